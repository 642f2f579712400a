/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The "Verdicts" table of DESIGN.md, row by row, through BPF_PROG_TEST_RUN on the real
 * program: each test builds one frame (or a few), runs it, and checks the XDP action and that
 * exactly one reason counter (and, for rule hits, exactly one rule counter) moved by exactly
 * one packet. Needs root: when the program cannot be loaded the run fails, it never skips.
 *
 * The site: the built-in Director table (DNS + HLB), this host being the Director and the HLB
 * VIP, plus site rows that exercise longest-prefix and first-row ties and a UDP range. Each
 * policy variant is its own loaded program, so tests never reconfigure a shared one.
 * Every test runs four times: with the classes in their arrays (class_cells, prefix_lists),
 * the local addresses in their slot table (local_slots) and sources found in the classes'
 * spans of rule sources (class_sources); the same without spans, IPv4 sources decided by the
 * source trie's rule table (source_trie, source_rules); the same with the trie giving the
 * lengths to probe in rules_v4 but no rule table; and with classes and local addresses in
 * their hashes (classes, local_addrs) and every length probed: the layouts of rule sets and
 * hosts too big for the arrays.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

/* glibc's <net/if.h> (through filter.h) before the UAPI headers of packets.h. */
#include "core/compile.h"
#include "core/config.h"
#include "core/config_load.h"
#include "core/names.h"
#include "kernel/counters.h"
#include "kernel/filter.h"
#include "kernel/generation.h"
#include "kernel/install.h"

#include "packets.h"

#define RULE_CAPACITY  8192
#define MAX_TEST_RULES 64
#define NO_RULE	       (-1)

/* Addresses of the site below. */
#define DIRECTOR4    "192.0.2.101"
#define DIRECTOR6    "2001:db8:1::101"
#define VIP4	     "192.0.2.100"
#define VIP6	     "2001:db8:1::100"
#define PROXY4	     "192.0.2.10"
#define PROXY6	     "2001:db8:1::10"
#define EDGE4	     "192.0.2.50"
#define EDGE6	     "2001:db8:1::50"
#define FRONT_END4   "192.0.2.21" /* inside 192.0.2.20/30 */
#define FRONT_END6   "2001:db8:1::20"
#define CLIENT4	     "198.51.100.7"
#define CLIENT6	     "2001:db8:100::7"
#define QUARANTINED4 "198.51.100.66" /* the site's deny row */
#define QUARANTINED6 "2001:db8:100::66"
#define NEIGHBOUR4   "198.51.100.67" /* next to it, still an Internal Client */
#define PINNED4	     "198.51.100.88" /* two rows with the same /32: the first wins */
#define OUTSIDER4    "203.0.113.9"   /* in no role but Any */
#define OUTSIDER6    "2001:db8:ffff::9"
#define ELSEWHERE4   "192.0.2.77" /* not local, in no role */
#define ELSEWHERE6   "2001:db8:1::77"

#define EPHEMERAL_PORT	51000
#define UDP_RANGE_FIRST 40000
#define UDP_RANGE_LAST	40099

static const char site_text[] =
    "# test_verdicts: the Director of the DNS + HLB topology\n"
    "table  lync2013-director-dns-hlb\n"
    "local  Director, Director Hardware Load Balancer VIP\n"
    "role   Director = " DIRECTOR4 ", " DIRECTOR6 "\n"
    "role   Director Hardware Load Balancer VIP = " VIP4 ", " VIP6 "\n"
    "role   Reverse proxy internal interface = " PROXY4 ", " PROXY6 "\n"
    "role   Internal Clients = 198.51.100.0/24, 2001:db8:100::/48\n"
    "role   Edge Server internal interface = " EDGE4 ", " EDGE6 "\n"
    "role   Front End pool or Front End Server = 192.0.2.20/30, " FRONT_END6 "\n"
    "deny   HTTPS/TCP 443 | " QUARANTINED4 " | Director Hardware Load Balancer VIP | quarantined\n"
    "deny   HTTPS/TCP 443 | " QUARANTINED6 " | Director Hardware Load Balancer VIP | quarantined\n"
    "allow  Media/UDP 40000-40099 | Internal Clients | Director | media relay\n"
    "# a shorter allow before a longer deny: length decides, not order\n"
    "allow  Alt-HTTPS/TCP 8443 | Internal Clients | Director | admin portal\n"
    "deny   Alt-HTTPS/TCP 8443 | " QUARANTINED4 " | Director | quarantined\n"
    "# the same prefix twice: the first row decides\n"
    "allow  Probe/TCP 8444 | " PINNED4 " | Director | monitoring\n"
    "deny   Probe/TCP 8444 | " PINNED4 " | Director | shadowed by the row above\n";

enum variant {
	SITE_DEFAULTS, /* default drop, other pass, icmp pass, fragments track */
	SITE_DEFAULT_PASS,
	SITE_OTHER_DROP,
	SITE_ICMP_DROP,
	SITE_FRAGMENTS_DROP,
	SITE_AUDIT, /* the defaults, loaded with --audit */
	VARIANT_COUNT,
};

static const struct {
	const char *file;
	const char *policy;
	bool audit;
} variants[VARIANT_COUNT] = {
    [SITE_DEFAULTS] = {"defaults.site", ""},
    [SITE_DEFAULT_PASS] = {"default-pass.site", "policy default pass\n"},
    [SITE_OTHER_DROP] = {"other-drop.site", "policy other drop\n"},
    [SITE_ICMP_DROP] = {"icmp-drop.site", "policy icmp drop\n"},
    [SITE_FRAGMENTS_DROP] = {"fragments-drop.site", "policy fragments drop\n"},
    [SITE_AUDIT] = {"audit.site", "", true},
};

/* Where the site files are written: apart from fx, which holds their paths. */
static char temp_dir[64];

struct loaded_site {
	char path[sizeof(temp_dir) + 32];
	struct xpf_loaded_config config;
	bool config_loaded;
	struct xpf_filter filter;
	bool filter_loaded;
};

static struct {
	struct loaded_site sites[VARIANT_COUNT];
	int ncpus;
	bool setup_failed;
} fx;

/* The runs' layouts (see the head of this file): the arrays (class grid with spans of rule
 * sources, local slot table); the same without spans (source trie and its rule table); the
 * same with the source trie but not its rule table (the lengths it gives probed in rules_v4);
 * classes and local addresses in their hashes and every length probed. */
enum layout { LAYOUT_SPANS, LAYOUT_ARRAYS, LAYOUT_TRIE_PROBES, LAYOUT_HASHES };
static enum layout layout;
static const char *const layout_names[] = {
	[LAYOUT_SPANS] = "verdicts",
	[LAYOUT_ARRAYS] = "verdicts_trie_table",
	[LAYOUT_TRIE_PROBES] = "verdicts_trie_probes",
	[LAYOUT_HASHES] = "verdicts_hash_layout",
};

/* Distinct fragment identifications per test: the fragments map is shared by all tests. */
static uint32_t next_fragment_id = 0x1000;

/* ---- fixture -------------------------------------------------------------------------- */

static int write_site(const char *path, const char *policy)
{
	FILE *file = fopen(path, "w");

	if (!file)
		return -errno;
	fputs(site_text, file);
	fputs(policy, file);
	return fclose(file) ? -errno : 0;
}

static int load_site(enum variant variant)
{
	struct loaded_site *site = &fx.sites[variant];
	struct xpf_image image = {};
	struct xpf_error err = {};
	int ret;

	snprintf(site->path, sizeof(site->path), "%s/%s", temp_dir, variants[variant].file);
	ret = write_site(site->path, variants[variant].policy);
	if (ret) {
		fprintf(stderr, "test_verdicts: writing %s: %s\n", site->path, strerror(-ret));
		return ret;
	}
	ret = xpf_config_load(site->path, &site->config, &err);
	if (ret) {
		fprintf(stderr, "test_verdicts: %s\n", err.message);
		return ret;
	}
	site->config_loaded = true;
	if (site->config.ruleset.count > MAX_TEST_RULES) {
		fprintf(stderr, "test_verdicts: %zu rules, more than the %d this test reads\n",
			site->config.ruleset.count, MAX_TEST_RULES);
		return -E2BIG;
	}
	ret = xpf_compile(&site->config.ruleset, &image, &err);
	if (ret) {
		fprintf(stderr, "test_verdicts: compiling %s: %s\n", site->path, err.message);
		return ret;
	}
	image.config.audit = variants[variant].audit;

	ret = xpf_filter_load_unattached(&(struct xpf_capacity){ .rule_ids = RULE_CAPACITY },
					 &site->filter);
	if (ret) {
		fprintf(stderr,
			"test_verdicts: FAIL: cannot load the XDP program: %s. These tests need "
			"root (CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON) and are never skipped.\n",
			strerror(-ret));
		goto cleanup;
	}
	site->filter_loaded = true;
	site->filter.classes_in_hash = layout == LAYOUT_HASHES;
	site->filter.locals_in_hash = layout == LAYOUT_HASHES;
	site->filter.sources_without_trie = layout == LAYOUT_HASHES;
	site->filter.sources_without_rule_table = layout == LAYOUT_TRIE_PROBES;
	site->filter.sources_without_class_spans = layout != LAYOUT_SPANS;
	ret = xpf_filter_install(&site->filter, &image, &site->config.ruleset, site->path,
				 site->config.table_name);
	if (ret)
		fprintf(stderr, "test_verdicts: installing %s: %s\n", site->path, strerror(-ret));
	/* The layout asked for is the one in force: the default run through the class arrays,
	 * their spans and the local slot table, the others through the source trie, and through
	 * the hashes and every length probed. */
	if (!ret) {
		struct xpf_config config;

		ret = xpf_filter_read_config(&site->filter, &config, NULL);
		if (!ret && (!config.class_columns != (layout == LAYOUT_HASHES) ||
			     !config.local_slot_shift != (layout == LAYOUT_HASHES) ||
			     !config.source_trie != (layout == LAYOUT_HASHES) ||
			     !config.source_rule_stride !=
				     (layout != LAYOUT_ARRAYS && layout != LAYOUT_SPANS) ||
			     !config.class_sources != (layout != LAYOUT_SPANS))) {
			fprintf(stderr, "test_verdicts: FAIL: layout %d not in force\n", layout);
			ret = -EINVAL;
		}
	}
cleanup:
	xpf_image_free(&image);
	return ret;
}

static int group_teardown(void **state)
{
	(void)state;
	for (int v = 0; v < VARIANT_COUNT; v++) {
		struct loaded_site *site = &fx.sites[v];

		if (site->filter_loaded)
			xpf_filter_close(&site->filter);
		if (site->config_loaded)
			xpf_config_free(&site->config);
		if (site->path[0])
			unlink(site->path);
		memset(site, 0, sizeof(*site));
	}
	if (temp_dir[0])
		rmdir(temp_dir);
	temp_dir[0] = '\0';
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	fx.ncpus = libbpf_num_possible_cpus();
	if (fx.ncpus < 0) {
		fprintf(stderr, "test_verdicts: possible CPUs: %s\n", strerror(-fx.ncpus));
		goto fail;
	}
	snprintf(temp_dir, sizeof(temp_dir), "/tmp/xpf-test-verdicts.XXXXXX");
	if (!mkdtemp(temp_dir)) {
		fprintf(stderr, "test_verdicts: mkdtemp: %s\n", strerror(errno));
		temp_dir[0] = '\0';
		goto fail;
	}
	for (int v = 0; v < VARIANT_COUNT; v++)
		if (load_site(v))
			goto fail;
	return 0;
fail:
	fx.setup_failed = true;
	group_teardown(state);
	return -1;
}

/* ---- counters ------------------------------------------------------------------------- */

struct snapshot {
	struct xpf_counter reasons[XPF_REASON_COUNT];
	struct xpf_counter rules[MAX_TEST_RULES];
	size_t rule_count;
};

/* A rule's counters: rule_stats holds them in blocks (user/kernel/counters.c does the
 * arithmetic). */
static void read_rule_counter(int fd, uint32_t rule_id, struct xpf_counter *sum)
{
	struct xpf_counter_block blocks[fx.ncpus];

	assert_int_equal(xpf_rule_counter_read(fd, rule_id, fx.ncpus, blocks, sum), 0);
	sum->last_seen_ns = 0;	/* the tests compare the rest */
}

/* Rule i of the rule set counts at generation * rule_id_span + i. */
static uint32_t rule_id(const struct loaded_site *site, size_t index)
{
	struct xpf_active active = {};
	struct xpf_meta meta = {};
	uint32_t zero = 0;

	assert_int_equal(bpf_map_lookup_elem(site->filter.map_fds[XPF_MAP_ACTIVE], &zero, &active),
			 0);
	assert_int_equal(bpf_map_lookup_elem(site->filter.map_fds[XPF_MAP_META], &zero, &meta), 0);
	return (active.generation & 1) * meta.rule_id_span + index;
}

static void snapshot_take(const struct loaded_site *site, struct snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	assert_int_equal(xpf_reasons_read(site->filter.map_fds[XPF_MAP_REASON_STATS], fx.ncpus,
					  snap->reasons), 0);
	for (uint32_t reason = 0; reason < XPF_REASON_COUNT; reason++)
		snap->reasons[reason].last_seen_ns = 0;	/* the tests compare the rest */
	snap->rule_count = site->config.ruleset.count;
	for (size_t i = 0; i < snap->rule_count; i++)
		read_rule_counter(site->filter.map_fds[XPF_MAP_RULE_STATS], rule_id(site, i),
				  &snap->rules[i]);
}

/* The rule-set index of the row for @port (its first port) from @source (role or literal). */
static int rule_of(enum variant variant, uint8_t protocols, uint16_t port, const char *source)
{
	const struct xpf_ruleset *ruleset = &fx.sites[variant].config.ruleset;

	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_row *row = &ruleset->rules[i].row;

		if (row->protocols == protocols && row->port_first == port &&
		    xpf_role_name_equal(row->source, source))
			return i;
	}
	fail_msg("no rule for port %u from '%s' in the rule set", port, source);
	return NO_RULE;
}

#define TCP_RULE(variant, port, source) rule_of(variant, XPF_PROTO_TCP, port, source)
#define UDP_RULE(variant, port, source) rule_of(variant, XPF_PROTO_UDP, port, source)

static const char *action_name(int action)
{
	return action == XDP_PASS ? "XDP_PASS" : action == XDP_DROP ? "XDP_DROP" : "other";
}

static void counter_moved(const char *what, const struct xpf_counter *before,
			  const struct xpf_counter *after, uint64_t packets, uint64_t bytes,
			  uint64_t would_drop, const char *file, int line)
{
	if (after->packets - before->packets != packets) {
		print_error("%s: packets moved by %llu, expected %llu\n", what,
			    (unsigned long long)(after->packets - before->packets),
			    (unsigned long long)packets);
		_fail(file, line);
	}
	if (after->bytes - before->bytes != bytes) {
		print_error("%s: bytes moved by %llu, expected %llu\n", what,
			    (unsigned long long)(after->bytes - before->bytes),
			    (unsigned long long)bytes);
		_fail(file, line);
	}
	if (after->would_drop - before->would_drop != would_drop) {
		print_error("%s: would_drop moved by %llu, expected %llu\n", what,
			    (unsigned long long)(after->would_drop - before->would_drop),
			    (unsigned long long)would_drop);
		_fail(file, line);
	}
}

/*
 * Runs @f once through @variant's program; asserts the action, that reason_stats[@reason]
 * and nothing else moved by one packet (of the frame's bytes), and that rule_stats of @rule
 * (a rule-set index, or NO_RULE) and no other rule moved likewise.
 */
static void run_verdict(enum variant variant, const struct frame *f, int action,
			enum xpf_reason reason, int rule, bool would_drop, const char *file,
			int line)
{
	const struct loaded_site *site = &fx.sites[variant];
	struct snapshot before, after;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->data, .data_size_in = f->len,
		    .repeat = 1, );
	char what[256];
	int err;

	snapshot_take(site, &before);
	err = bpf_prog_test_run_opts(site->filter.prog_fd, &opts);
	if (err) {
		print_error("bpf_prog_test_run_opts: %s\n", strerror(-err));
		_fail(file, line);
	}
	snapshot_take(site, &after);

	if ((int)opts.retval != action) {
		print_error("verdict %s (%u), expected %s; counted as:", action_name(opts.retval),
			    opts.retval, action_name(action));
		for (uint32_t r = 0; r < XPF_REASON_COUNT; r++)
			if (after.reasons[r].packets != before.reasons[r].packets)
				print_error(" %s", xpf_reason_name(r));
		print_error("\n");
		_fail(file, line);
	}
	for (uint32_t r = 0; r < XPF_REASON_COUNT; r++) {
		bool hit = r == (uint32_t)reason;

		snprintf(what, sizeof(what), "reason_stats[%s]", xpf_reason_name(r));
		counter_moved(what, &before.reasons[r], &after.reasons[r], hit, hit ? f->len : 0,
			      hit && would_drop, file, line);
	}
	for (size_t i = 0; i < after.rule_count; i++) {
		const struct xpf_row *row = &site->config.ruleset.rules[i].row;
		bool hit = (int)i == rule;

		snprintf(what, sizeof(what), "rule_stats[%zu: %s from %.40s]", i, row->label,
			 row->source);
		counter_moved(what, &before.rules[i], &after.rules[i], hit, hit ? f->len : 0,
			      hit && would_drop, file, line);
	}
}

/* A verdict decided without a rule. */
#define expect_verdict(variant, f, action, reason)                                                 \
	run_verdict(variant, f, action, reason, NO_RULE, false, __FILE__, __LINE__)
/* A verdict decided by rule-set index @rule. */
#define expect_rule(variant, f, action, rule)                                                      \
	run_verdict(variant, f, action, XPF_REASON_RULE, rule, false, __FILE__, __LINE__)
/* Audit mode: passed, counted as would-drop on @reason (and @rule). */
#define expect_would_drop(variant, f, reason, rule)                                                \
	run_verdict(variant, f, XDP_PASS, reason, rule, true, __FILE__, __LINE__)

/* ---- frames used throughout ----------------------------------------------------------- */

static void ip_header(struct frame *f, const char *source, const char *destination)
{
	if (strchr(destination, ':'))
		frame_ipv6(f, source, destination);
	else
		frame_ipv4(f, source, destination);
}

static void build_tcp(struct frame *f, const char *source, const char *destination,
		      uint16_t source_port, uint16_t dest_port, uint8_t flags)
{
	frame_init(f);
	frame_eth(f);
	ip_header(f, source, destination);
	frame_tcp(f, source_port, dest_port, flags);
	frame_finish(f);
}

static void build_syn(struct frame *f, const char *source, const char *destination,
		      uint16_t dest_port)
{
	build_tcp(f, source, destination, EPHEMERAL_PORT, dest_port, TH_SYN);
}

static void build_udp(struct frame *f, const char *source, const char *destination,
		      uint16_t dest_port, size_t payload)
{
	frame_init(f);
	frame_eth(f);
	ip_header(f, source, destination);
	frame_udp(f, EPHEMERAL_PORT, dest_port);
	frame_payload(f, payload);
	frame_finish(f);
}

static void build_icmp(struct frame *f, const char *source, const char *destination, uint8_t type,
		       uint8_t code, uint8_t hop_limit)
{
	frame_init(f);
	frame_eth(f);
	ip_header(f, source, destination);
	if (f->ip6)
		f->ip6->hop_limit = hop_limit;
	else
		f->ip4->ttl = hop_limit;
	frame_icmp(f, type, code);
	frame_payload(f, 28); /* the quoted header of an error, or echo data */
	frame_finish(f);
}

static void build_protocol(struct frame *f, const char *source, const char *destination,
			   uint8_t protocol, size_t payload)
{
	frame_init(f);
	frame_eth(f);
	ip_header(f, source, destination);
	frame_protocol(f, protocol);
	frame_payload(f, payload);
	frame_finish(f);
}

/* An IPv4 fragment of a TCP datagram: the first carries the TCP header and @payload bytes,
 * the others @payload bytes of data. */
static void build_tcp4_fragment(struct frame *f, const char *source, const char *destination,
				uint16_t dest_port, uint16_t id, uint16_t offset, bool more,
				size_t payload)
{
	frame_init(f);
	frame_eth(f);
	frame_ipv4(f, source, destination);
	frame_ipv4_fragment(f, id, offset, more);
	if (offset == 0)
		frame_tcp(f, EPHEMERAL_PORT, dest_port, TH_SYN);
	else
		frame_protocol(f, IPPROTO_TCP);
	frame_payload(f, payload);
	frame_finish(f);
}

static void build_tcp6_fragment(struct frame *f, const char *source, const char *destination,
				uint16_t dest_port, uint32_t id, uint16_t offset, bool more,
				size_t payload)
{
	frame_init(f);
	frame_eth(f);
	frame_ipv6(f, source, destination);
	frame_ipv6_fragment(f, offset, more, id);
	if (offset == 0)
		frame_tcp(f, EPHEMERAL_PORT, dest_port, TH_SYN);
	else
		frame_protocol(f, IPPROTO_TCP);
	frame_payload(f, payload);
	frame_finish(f);
}

/* ================================================================================
 * Row: not IPv4/IPv6 (ARP, LLDP, ...) → pass, non_ip
 * ================================================================================ */

static void arp_passes_as_non_ip(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_arp(&f, CLIENT4, DIRECTOR4);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NON_IP);
}

static void arp_passes_with_policy_other_drop(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_arp(&f, CLIENT4, ELSEWHERE4);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_PASS, XPF_REASON_NON_IP);
}

static void arp_in_vlan_passes_as_non_ip(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_vlan(&f, ETH_P_8021Q);
	frame_arp(&f, CLIENT4, DIRECTOR4);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_PASS, XPF_REASON_NON_IP);
}

static void lldp_passes_as_non_ip(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ether_type(&f, ETH_P_LLDP);
	frame_payload(&f, 46);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_PASS, XPF_REASON_NON_IP);
}

/* ================================================================================
 * Row: ICMPv6 NDP (133-137, hop limit 255), packet-too-big, ICMPv4 frag-needed — any
 * destination → pass, icmp. Shown against `policy other drop` (not local) and `policy icmp
 * drop` (local), the two policies they would otherwise fall under.
 * ================================================================================ */

static void ndp_solicitation_to_multicast_passes_with_policy_other_drop(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, CLIENT6, "ff02::1:ff00:101", 135, 0, 255);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_PASS, XPF_REASON_ICMP);
}

static void ndp_every_type_133_to_137_passes_with_policy_icmp_drop(void **state)
{
	struct frame f;

	(void)state;
	for (uint8_t type = 133; type <= 137; type++) {
		build_icmp(&f, "fe80::1", DIRECTOR6, type, 0, 255);
		expect_verdict(SITE_ICMP_DROP, &f, XDP_PASS, XPF_REASON_ICMP);
	}
}

static void ndp_with_hop_limit_64_to_local_follows_policy_icmp(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, "fe80::1", DIRECTOR6, 135, 0, 64);
	expect_verdict(SITE_ICMP_DROP, &f, XDP_DROP, XPF_REASON_ICMP);
}

static void ndp_with_hop_limit_64_to_multicast_follows_policy_other(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, CLIENT6, "ff02::1:ff00:101", 135, 0, 64);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void icmpv6_type_138_is_not_ndp(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, CLIENT6, "ff02::1", 138, 0, 255);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void packet_too_big_to_non_local_passes_with_policy_other_drop(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER6, ELSEWHERE6, ICMPV6_PKT_TOOBIG, 0, 64);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_PASS, XPF_REASON_ICMP);
}

static void packet_too_big_to_local_passes_with_policy_icmp_drop(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER6, DIRECTOR6, ICMPV6_PKT_TOOBIG, 0, 64);
	expect_verdict(SITE_ICMP_DROP, &f, XDP_PASS, XPF_REASON_ICMP);
}

static void frag_needed_to_non_local_passes_with_policy_other_drop(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER4, ELSEWHERE4, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 64);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_PASS, XPF_REASON_ICMP);
}

static void frag_needed_to_local_passes_with_policy_icmp_drop(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER4, VIP4, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 64);
	expect_verdict(SITE_ICMP_DROP, &f, XDP_PASS, XPF_REASON_ICMP);
}

static void port_unreachable_is_not_frag_needed(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER4, ELSEWHERE4, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 64);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

/* ================================================================================
 * Row: IP, destination not a local address (incl. broadcast/multicast) → policy other,
 * not_local
 * ================================================================================ */

static void not_local_v4_passes_with_policy_other_pass(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, ELSEWHERE4, 443);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NOT_LOCAL);
}

static void not_local_v4_drops_with_policy_other_drop(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, ELSEWHERE4, 443);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void not_local_v6_passes_with_policy_other_pass(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT6, ELSEWHERE6, 443);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NOT_LOCAL);
}

static void not_local_v6_drops_with_policy_other_drop(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT6, ELSEWHERE6, 443);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void limited_broadcast_follows_policy_other(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, "0.0.0.0", "255.255.255.255", 67, 300);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NOT_LOCAL);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void subnet_broadcast_follows_policy_other(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, PROXY4, "192.0.2.255", 137, 50);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NOT_LOCAL);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void multicast_v4_follows_policy_other(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT4, "224.0.0.251", 5353, 40);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NOT_LOCAL);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void multicast_v6_follows_policy_other(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT6, "ff02::fb", 5353, 40);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NOT_LOCAL);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

/* The 444 row (Director → Front End) is outbound: on this NIC its packets are not ours. */
static void front_end_destination_of_outbound_row_is_not_local(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, DIRECTOR4, FRONT_END4, 444);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

/* ================================================================================
 * Row: other ICMP/ICMPv6 to local → policy icmp, icmp
 * ================================================================================ */

static void echo_request_v4_to_local_passes_with_policy_icmp_pass(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER4, DIRECTOR4, ICMP_ECHO, 0, 64);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_ICMP);
}

static void echo_request_v4_to_local_drops_with_policy_icmp_drop(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER4, DIRECTOR4, ICMP_ECHO, 0, 64);
	expect_verdict(SITE_ICMP_DROP, &f, XDP_DROP, XPF_REASON_ICMP);
}

static void echo_request_v6_to_local_passes_with_policy_icmp_pass(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER6, VIP6, ICMPV6_ECHO_REQUEST, 0, 64);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_ICMP);
}

static void echo_request_v6_to_local_drops_with_policy_icmp_drop(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER6, VIP6, ICMPV6_ECHO_REQUEST, 0, 64);
	expect_verdict(SITE_ICMP_DROP, &f, XDP_DROP, XPF_REASON_ICMP);
}

static void policy_icmp_drop_leaves_tcp_alone(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	expect_rule(SITE_ICMP_DROP, &f, XDP_PASS,
		    TCP_RULE(SITE_ICMP_DROP, 443, "Internal Clients"));
}

/* ================================================================================
 * Row: TCP/UDP to local, a rule matches → that rule's action, counted on that rule.
 * Every published row, v4 and v6, from its source role (counted on the row) and from a wrong
 * source or to a wrong local role (nothing matches: policy default, default). A table of
 * cases, one test each.
 * ================================================================================ */

struct row_case {
	const char *name;
	uint8_t transport; /* XPF_PROTO_TCP or XPF_PROTO_UDP */
	uint16_t port;
	const char *row_source; /* the row that must count it; NULL: no row, policy default */
	const char *source;
	const char *destination;
};

#define ROW_CASE(nm, tr, pt, row, src, dst)                                                        \
	{                                                                                          \
		.name = nm, .transport = tr, .port = pt, .row_source = row, .source = src,         \
		.destination = dst                                                                 \
	}

static const struct row_case row_cases[] = {
    /* HTTP/TCP 8080: Reverse proxy internal interface → Director HLB VIP */
    ROW_CASE("row_8080_admits_reverse_proxy_to_vip_v4", XPF_PROTO_TCP, 8080,
	     "Reverse proxy internal interface", PROXY4, VIP4),
    ROW_CASE("row_8080_admits_reverse_proxy_to_vip_v6", XPF_PROTO_TCP, 8080,
	     "Reverse proxy internal interface", PROXY6, VIP6),
    ROW_CASE("row_8080_drops_internal_client_as_default_v4", XPF_PROTO_TCP, 8080, NULL, CLIENT4,
	     VIP4),
    ROW_CASE("row_8080_drops_internal_client_as_default_v6", XPF_PROTO_TCP, 8080, NULL, CLIENT6,
	     VIP6),
    ROW_CASE("row_8080_does_not_cover_the_director_address_v4", XPF_PROTO_TCP, 8080, NULL, PROXY4,
	     DIRECTOR4),
    ROW_CASE("row_8080_does_not_cover_the_director_address_v6", XPF_PROTO_TCP, 8080, NULL, PROXY6,
	     DIRECTOR6),
    /* HTTPS/TCP 4443: Reverse proxy internal interface → Director HLB VIP */
    ROW_CASE("row_4443_admits_reverse_proxy_to_vip_v4", XPF_PROTO_TCP, 4443,
	     "Reverse proxy internal interface", PROXY4, VIP4),
    ROW_CASE("row_4443_admits_reverse_proxy_to_vip_v6", XPF_PROTO_TCP, 4443,
	     "Reverse proxy internal interface", PROXY6, VIP6),
    ROW_CASE("row_4443_drops_edge_server_as_default_v4", XPF_PROTO_TCP, 4443, NULL, EDGE4, VIP4),
    ROW_CASE("row_4443_drops_edge_server_as_default_v6", XPF_PROTO_TCP, 4443, NULL, EDGE6, VIP6),
    /* HTTP/TCP 80: Internal Clients → Director HLB VIP */
    ROW_CASE("row_80_admits_internal_client_to_vip_v4", XPF_PROTO_TCP, 80, "Internal Clients",
	     CLIENT4, VIP4),
    ROW_CASE("row_80_admits_internal_client_to_vip_v6", XPF_PROTO_TCP, 80, "Internal Clients",
	     CLIENT6, VIP6),
    ROW_CASE("row_80_drops_reverse_proxy_as_default_v4", XPF_PROTO_TCP, 80, NULL, PROXY4, VIP4),
    ROW_CASE("row_80_drops_reverse_proxy_as_default_v6", XPF_PROTO_TCP, 80, NULL, PROXY6, VIP6),
    /* HTTPS/TCP 443: Internal Clients → Director HLB VIP */
    ROW_CASE("row_443_admits_internal_client_to_vip_v4", XPF_PROTO_TCP, 443, "Internal Clients",
	     CLIENT4, VIP4),
    ROW_CASE("row_443_admits_internal_client_to_vip_v6", XPF_PROTO_TCP, 443, "Internal Clients",
	     CLIENT6, VIP6),
    ROW_CASE("row_443_drops_outsider_as_default_v4", XPF_PROTO_TCP, 443, NULL, OUTSIDER4, VIP4),
    ROW_CASE("row_443_drops_outsider_as_default_v6", XPF_PROTO_TCP, 443, NULL, OUTSIDER6, VIP6),
    /* SIP/MTLS/TCP 5061: Edge Server internal interface → Director */
    ROW_CASE("row_5061_admits_edge_server_to_director_v4", XPF_PROTO_TCP, 5061,
	     "Edge Server internal interface", EDGE4, DIRECTOR4),
    ROW_CASE("row_5061_admits_edge_server_to_director_v6", XPF_PROTO_TCP, 5061,
	     "Edge Server internal interface", EDGE6, DIRECTOR6),
    ROW_CASE("row_5061_drops_internal_client_as_default_v4", XPF_PROTO_TCP, 5061, NULL, CLIENT4,
	     DIRECTOR4),
    ROW_CASE("row_5061_drops_internal_client_as_default_v6", XPF_PROTO_TCP, 5061, NULL, CLIENT6,
	     DIRECTOR6),
    ROW_CASE("row_5061_does_not_cover_the_vip_v4", XPF_PROTO_TCP, 5061, NULL, EDGE4, VIP4),
    /* MTLS/TCP/50001, 50002, 50003: Any → Director */
    ROW_CASE("row_50001_admits_any_source_to_director_v4", XPF_PROTO_TCP, 50001, "Any", OUTSIDER4,
	     DIRECTOR4),
    ROW_CASE("row_50001_admits_any_source_to_director_v6", XPF_PROTO_TCP, 50001, "Any", OUTSIDER6,
	     DIRECTOR6),
    ROW_CASE("row_50002_admits_any_source_to_director_v4", XPF_PROTO_TCP, 50002, "Any", CLIENT4,
	     DIRECTOR4),
    ROW_CASE("row_50002_admits_any_source_to_director_v6", XPF_PROTO_TCP, 50002, "Any", CLIENT6,
	     DIRECTOR6),
    ROW_CASE("row_50003_admits_any_source_to_director_v4", XPF_PROTO_TCP, 50003, "Any", EDGE4,
	     DIRECTOR4),
    ROW_CASE("row_50003_admits_any_source_to_director_v6", XPF_PROTO_TCP, 50003, "Any", EDGE6,
	     DIRECTOR6),
    ROW_CASE("row_50003_does_not_cover_the_vip_v4", XPF_PROTO_TCP, 50003, NULL, OUTSIDER4, VIP4),
    ROW_CASE("row_50003_does_not_cover_the_vip_v6", XPF_PROTO_TCP, 50003, NULL, OUTSIDER6, VIP6),
    ROW_CASE("port_next_to_a_published_range_drops_as_default", XPF_PROTO_TCP, 50004, NULL,
	     OUTSIDER4, DIRECTOR4),
    /* HTTPS/TCP 444: Director → Front End is outbound; nothing admits it inbound */
    ROW_CASE("row_444_is_outbound_and_admits_nothing_inbound_v4", XPF_PROTO_TCP, 444, NULL,
	     FRONT_END4, DIRECTOR4),
    ROW_CASE("row_444_is_outbound_and_admits_nothing_inbound_v6", XPF_PROTO_TCP, 444, NULL,
	     FRONT_END6, DIRECTOR6),
    /* site: allow Media/UDP 40000-40099 | Internal Clients | Director */
    ROW_CASE("udp_range_admits_its_first_port_v4", XPF_PROTO_UDP, UDP_RANGE_FIRST,
	     "Internal Clients", CLIENT4, DIRECTOR4),
    ROW_CASE("udp_range_admits_its_last_port_v4", XPF_PROTO_UDP, UDP_RANGE_LAST, "Internal Clients",
	     CLIENT4, DIRECTOR4),
    ROW_CASE("udp_range_admits_a_middle_port_v6", XPF_PROTO_UDP, 40050, "Internal Clients", CLIENT6,
	     DIRECTOR6),
    ROW_CASE("udp_range_admits_its_last_port_v6", XPF_PROTO_UDP, UDP_RANGE_LAST, "Internal Clients",
	     CLIENT6, DIRECTOR6),
    ROW_CASE("udp_port_past_the_range_drops_as_default", XPF_PROTO_UDP, UDP_RANGE_LAST + 1, NULL,
	     CLIENT4, DIRECTOR4),
    ROW_CASE("udp_port_before_the_range_drops_as_default", XPF_PROTO_UDP, UDP_RANGE_FIRST - 1, NULL,
	     CLIENT6, DIRECTOR6),
    ROW_CASE("udp_range_does_not_admit_tcp", XPF_PROTO_TCP, 40050, NULL, CLIENT4, DIRECTOR4),
    ROW_CASE("udp_range_drops_wrong_source_as_default", XPF_PROTO_UDP, 40050, NULL, EDGE4,
	     DIRECTOR4),
    ROW_CASE("tcp_row_does_not_admit_udp", XPF_PROTO_UDP, 443, NULL, CLIENT4, VIP4),
};

static void row_case_verdict(void **state)
{
	const struct row_case *c = *state;
	uint16_t first_port = c->port;
	struct frame f;

	if (c->transport == XPF_PROTO_UDP)
		build_udp(&f, c->source, c->destination, c->port, 20);
	else
		build_syn(&f, c->source, c->destination, c->port);
	if (!c->row_source) {
		expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
		return;
	}
	if (c->transport == XPF_PROTO_UDP)
		first_port = UDP_RANGE_FIRST;
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS,
		    rule_of(SITE_DEFAULTS, c->transport, first_port, c->row_source));
}

/* ================================================================================
 * Row: a rule matches — longest source prefix wins; equal → first row
 * ================================================================================ */

static void deny_row_overrides_shorter_allow_v4(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, QUARANTINED4, VIP4, 443);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED4));
}

static void deny_row_overrides_shorter_allow_v6(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, QUARANTINED6, VIP6, 443);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED6));
}

static void deny_row_spares_the_neighbouring_address(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, NEIGHBOUR4, VIP4, 443);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
}

static void deny_row_applies_only_to_its_port(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, QUARANTINED4, VIP4, 80);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 80, "Internal Clients"));
}

static void longer_deny_wins_over_earlier_shorter_allow(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, QUARANTINED4, DIRECTOR4, 8443);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 8443, QUARANTINED4));
}

static void shorter_allow_still_admits_the_rest_of_its_prefix(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, DIRECTOR4, 8443);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 8443, "Internal Clients"));
}

static void equal_prefix_first_row_wins(void **state)
{
	const struct xpf_ruleset *ruleset = &fx.sites[SITE_DEFAULTS].config.ruleset;
	int first = TCP_RULE(SITE_DEFAULTS, 8444, PINNED4);
	struct frame f;

	(void)state;
	assert_int_equal(ruleset->rules[first].row.action, XPF_ACTION_PASS);
	build_syn(&f, PINNED4, DIRECTOR4, 8444);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, first);
}

static void policy_default_pass_does_not_override_a_deny_row(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, QUARANTINED4, VIP4, 443);
	expect_rule(SITE_DEFAULT_PASS, &f, XDP_DROP,
		    TCP_RULE(SITE_DEFAULT_PASS, 443, QUARANTINED4));
}

/* ================================================================================
 * Row: TCP/UDP to local, reply to a flow the host opened → pass, counted on the outbound
 * row, else reply. Without a flow in the flows map a reply-like packet is one no rule
 * admits (policy default). The flows are written here as the egress program
 * (bpf/egress.bpf.c) writes them, keyed from the host's side.
 * ================================================================================ */

static void open_host_flow(enum variant variant, uint8_t protocol, const char *local,
			   uint16_t local_port, const char *remote, uint16_t remote_port,
			   uint32_t flow_state, uint64_t idle_ns)
{
	struct xpf_flow_key key = {
	    .protocol = protocol,
	    .local_port = local_port,
	    .remote_port = remote_port,
	};
	struct xpf_flow_value value = {.state = flow_state};
	int family = strchr(local, ':') ? AF_INET6 : AF_INET;
	struct timespec now;

	key.family = family;
	assert_int_equal(inet_pton(family, local, key.local), 1);
	assert_int_equal(inet_pton(family, remote, key.remote), 1);
	/* bpf_ktime_get_coarse_ns() is CLOCK_MONOTONIC_COARSE */
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC_COARSE, &now), 0);
	value.last_seen_ns = now.tv_sec * 1000000000ull + now.tv_nsec - idle_ns;
	assert_int_equal(bpf_map_update_elem(fx.sites[variant].filter.map_fds[XPF_MAP_FLOWS], &key,
					     &value, BPF_ANY),
			 0);
}

static void reply_to_host_flow_counts_on_outbound_row_v4(void **state)
{
	struct frame f;

	(void)state;
	open_host_flow(SITE_DEFAULTS, IPPROTO_TCP, DIRECTOR4, 52001, FRONT_END4, 444,
		       XPF_FLOW_TCP_SYN_SENT, 0);
	build_tcp(&f, FRONT_END4, DIRECTOR4, 444, 52001, TH_SYN | TH_ACK);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 444, "Director"));
}

static void reply_to_host_flow_counts_on_outbound_row_v6(void **state)
{
	struct frame f;

	(void)state;
	open_host_flow(SITE_DEFAULTS, IPPROTO_TCP, DIRECTOR6, 52002, FRONT_END6, 444,
		       XPF_FLOW_TCP_ESTABLISHED, 0);
	build_tcp(&f, FRONT_END6, DIRECTOR6, 444, 52002, TH_ACK);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 444, "Director"));
}

static void reply_to_host_flow_outside_every_row_counts_as_reply(void **state)
{
	struct frame f;

	(void)state;
	open_host_flow(SITE_DEFAULTS, IPPROTO_UDP, VIP4, 52003, OUTSIDER4, 53, XPF_FLOW_UDP, 0);
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, OUTSIDER4, VIP4);
	frame_udp(&f, 53, 52003);
	frame_payload(&f, 60);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_REPLY);
}

static void reply_to_another_port_of_the_host_drops_as_default(void **state)
{
	struct frame f;

	(void)state;
	open_host_flow(SITE_DEFAULTS, IPPROTO_TCP, DIRECTOR4, 52004, FRONT_END4, 444,
		       XPF_FLOW_TCP_ESTABLISHED, 0);
	build_tcp(&f, FRONT_END4, DIRECTOR4, 444, 52005, TH_ACK);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
}

static void reply_after_the_flow_went_idle_drops_as_default(void **state)
{
	struct frame f;

	(void)state;
	open_host_flow(SITE_DEFAULTS, IPPROTO_TCP, DIRECTOR4, 52006, FRONT_END4, 444,
		       XPF_FLOW_TCP_ESTABLISHED, (XPF_DEFAULT_TCP_TIMEOUT_S + 60) * 1000000000ull);
	build_tcp(&f, FRONT_END4, DIRECTOR4, 444, 52006, TH_ACK);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
}

/* No flow: a SYN-ACK from a Front End is a packet no rule admits. */
static void syn_ack_from_front_end_drops_as_default_v4(void **state)
{
	struct frame f;

	(void)state;
	build_tcp(&f, FRONT_END4, DIRECTOR4, 444, EPHEMERAL_PORT, TH_SYN | TH_ACK);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
}

static void syn_ack_from_front_end_drops_as_default_v6(void **state)
{
	struct frame f;

	(void)state;
	build_tcp(&f, FRONT_END6, DIRECTOR6, 444, EPHEMERAL_PORT, TH_SYN | TH_ACK);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
}

/* ================================================================================
 * Row: TCP/UDP to local, nothing matches → policy default, default
 * ================================================================================ */

static void unmatched_tcp_drops_with_policy_default_drop(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, DIRECTOR4, 22);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
}

static void unmatched_udp_drops_with_policy_default_drop(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT6, VIP6, 53, 30);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
}

static void unmatched_tcp_passes_with_policy_default_pass_v4(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, DIRECTOR4, 22);
	expect_verdict(SITE_DEFAULT_PASS, &f, XDP_PASS, XPF_REASON_DEFAULT);
}

static void unmatched_udp_passes_with_policy_default_pass_v6(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT6, VIP6, 53, 30);
	expect_verdict(SITE_DEFAULT_PASS, &f, XDP_PASS, XPF_REASON_DEFAULT);
}

/* ================================================================================
 * Row: other IP protocol to local → policy default, other_proto
 * ================================================================================ */

static void gre_to_local_drops_as_other_proto(void **state)
{
	struct frame f;

	(void)state;
	build_protocol(&f, CLIENT4, DIRECTOR4, IPPROTO_GRE, 24);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_OTHER_PROTO);
}

static void sctp_v6_to_local_drops_as_other_proto(void **state)
{
	struct frame f;

	(void)state;
	build_protocol(&f, CLIENT6, VIP6, IPPROTO_SCTP, 32);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_OTHER_PROTO);
}

static void ipv6_no_next_header_to_local_is_other_proto(void **state)
{
	struct frame f;

	(void)state;
	build_protocol(&f, CLIENT6, DIRECTOR6, 59, 0);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_OTHER_PROTO);
}

static void gre_to_local_passes_with_policy_default_pass(void **state)
{
	struct frame f;

	(void)state;
	build_protocol(&f, CLIENT4, DIRECTOR4, IPPROTO_GRE, 24);
	expect_verdict(SITE_DEFAULT_PASS, &f, XDP_PASS, XPF_REASON_OTHER_PROTO);
}

static void sctp_to_non_local_is_not_local(void **state)
{
	struct frame f;

	(void)state;
	build_protocol(&f, CLIENT4, ELSEWHERE4, IPPROTO_SCTP, 32);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

/* ================================================================================
 * Row: non-first fragment → verdict of its first fragment; unknown → drop, fragment
 * ================================================================================ */

static void fragment_follows_first_verdict_v4(void **state)
{
	uint16_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 0, true, 1400);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 1424, true, 1400);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_FRAGMENT);
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 2824, false, 100);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_FRAGMENT);
}

static void fragment_follows_first_verdict_v6(void **state)
{
	uint32_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, id, 0, true, 1200);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, id, 1224, false, 300);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_FRAGMENT);
}

static void udp_fragment_follows_first_verdict(void **state)
{
	uint16_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, CLIENT4, DIRECTOR4);
	frame_ipv4_fragment(&f, id, 0, true);
	frame_udp(&f, EPHEMERAL_PORT, 40010);
	frame_payload(&f, 1000);
	frame_finish(&f);
	f.udp_hdr->len = htons(8 + 2000); /* the whole datagram's length */
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS,
		    UDP_RULE(SITE_DEFAULTS, UDP_RANGE_FIRST, "Internal Clients"));

	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, CLIENT4, DIRECTOR4);
	frame_ipv4_fragment(&f, id, 1008, false);
	frame_protocol(&f, IPPROTO_UDP);
	frame_payload(&f, 1000);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_FRAGMENT);
}

/* An essential ICMP message (here packet-too-big, passed whatever the policy) that arrives
 * fragmented: its later fragments follow the first one's pass too. Found by the differential
 * test: the essential path returned before the first fragment's verdict was remembered. */
static void fragment_follows_essential_icmp_first_fragment(void **state)
{
	uint32_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, OUTSIDER6, DIRECTOR6);
	frame_ipv6_fragment(&f, 0, true, id);
	frame_icmp(&f, ICMPV6_PKT_TOOBIG, 0);
	frame_payload(&f, 1000);
	frame_finish(&f);
	expect_verdict(SITE_ICMP_DROP, &f, XDP_PASS, XPF_REASON_ICMP);

	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, OUTSIDER6, DIRECTOR6);
	frame_ipv6_fragment(&f, 1008, false, id);
	frame_protocol(&f, IPPROTO_ICMPV6);
	frame_payload(&f, 200);
	frame_finish(&f);
	expect_verdict(SITE_ICMP_DROP, &f, XDP_PASS, XPF_REASON_FRAGMENT);
}

/* RFC 8200 4.5: the Next Header of every fragment's fragment header names the first header of
 * the fragmentable part, here a destination options header that precedes TCP. The non-first
 * fragment belongs to the same datagram (same source, destination, identification). */
static void fragment_follows_first_verdict_with_destination_options_v6(void **state)
{
	uint32_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_fragment(&f, 0, true, id);
	frame_ipv6_ext(&f, IPPROTO_DSTOPTS, 8);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_payload(&f, 1200);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));

	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_fragment(&f, 1232, false, id);
	frame_protocol(&f, IPPROTO_DSTOPTS);
	frame_payload(&f, 300);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_FRAGMENT);
}

static void fragment_of_denied_first_is_dropped_v4(void **state)
{
	uint16_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, QUARANTINED4, VIP4, 443, id, 0, true, 1400);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED4));
	build_tcp4_fragment(&f, QUARANTINED4, VIP4, 443, id, 1424, false, 200);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

static void fragment_of_default_dropped_first_is_dropped_v6(void **state)
{
	uint32_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, OUTSIDER6, VIP6, 443, id, 0, true, 1200);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_DEFAULT);
	build_tcp6_fragment(&f, OUTSIDER6, VIP6, 443, id, 1224, false, 300);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

static void unknown_non_first_fragment_is_dropped_v4(void **state)
{
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, next_fragment_id++, 1480, false, 200);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

static void unknown_non_first_fragment_is_dropped_v6(void **state)
{
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, next_fragment_id++, 1456, false, 200);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

static void admitted_first_does_not_admit_another_datagram(void **state)
{
	uint16_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 0, true, 1400);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id + 1, 1424, false, 200);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_FRAGMENT);
	build_tcp4_fragment(&f, NEIGHBOUR4, VIP4, 443, id, 1424, false, 200);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

static void non_first_fragment_to_non_local_follows_policy_other(void **state)
{
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, ELSEWHERE4, 443, next_fragment_id++, 1480, false, 200);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_NOT_LOCAL);
}

static void policy_fragments_drop_drops_an_admissible_first_fragment_v4(void **state)
{
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, next_fragment_id++, 0, true, 1400);
	expect_verdict(SITE_FRAGMENTS_DROP, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

static void policy_fragments_drop_drops_an_admissible_first_fragment_v6(void **state)
{
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, next_fragment_id++, 0, true, 1200);
	expect_verdict(SITE_FRAGMENTS_DROP, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

static void policy_fragments_drop_drops_non_first_fragments(void **state)
{
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, next_fragment_id++, 1480, false, 200);
	expect_verdict(SITE_FRAGMENTS_DROP, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

/* RFC 6946: an IPv6 atomic fragment (offset 0, M clear) is a whole packet, classified as one. */
static void ipv6_atomic_fragment_is_a_whole_packet(void **state)
{
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, next_fragment_id++, 0, false, 100);
	expect_rule(SITE_FRAGMENTS_DROP, &f, XDP_PASS,
		    TCP_RULE(SITE_FRAGMENTS_DROP, 443, "Internal Clients"));
}

static void policy_fragments_drop_leaves_whole_packets_alone(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	expect_rule(SITE_FRAGMENTS_DROP, &f, XDP_PASS,
		    TCP_RULE(SITE_FRAGMENTS_DROP, 443, "Internal Clients"));
}

/* ================================================================================
 * Row: first fragment too short for its L4 header (RFC 1858) or without the whole IPv6
 * header chain (RFC 7112); TCP fragment at offset 8 (RFC 3128) → drop, malformed
 * ================================================================================ */

static void tiny_first_fragment_v4_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	/* 8 bytes of TCP: ports and sequence number, the flags left for the next fragment */
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, next_fragment_id++, 0, true, 0);
	frame_cut(&f, f.l4 + 8);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tiny_first_fragment_v6_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, next_fragment_id++, 0, true, 0);
	frame_cut(&f, f.l4 + 8);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tiny_first_fragment_leaves_its_followers_unknown(void **state)
{
	uint16_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 0, true, 0);
	frame_cut(&f, f.l4 + 8);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 16, false, 100);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_FRAGMENT);
}

/* RFC 7112: the first fragment ends inside a destination options header. */
static void ipv6_first_fragment_without_whole_chain_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_fragment(&f, 0, true, next_fragment_id++);
	frame_ipv6_ext(&f, IPPROTO_DSTOPTS, 64);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_cut(&f, f.l4 - 64 + 16); /* 16 of the option header's 64 bytes */
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

/* RFC 7112: the chain ends right after the fragment header, announcing one more header. */
static void ipv6_first_fragment_ending_after_fragment_header_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_fragment(&f, 0, true, next_fragment_id++);
	frame_protocol(&f, IPPROTO_ROUTING);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tcp_fragment_at_offset_8_is_malformed_v4(void **state)
{
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, next_fragment_id++, 8, false, 64);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tcp_fragment_at_offset_8_is_malformed_v6(void **state)
{
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, next_fragment_id++, 8, false, 64);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

/* RFC 3128's attack: an admitted first fragment, then one at offset 8 rewriting its flags. */
static void tcp_fragment_at_offset_8_is_malformed_after_admitted_first(void **state)
{
	uint16_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 0, true, 16);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
	build_tcp4_fragment(&f, CLIENT4, VIP4, 443, id, 8, false, 64);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

/* RFC 3128 where a destination options header precedes TCP in the fragmentable part: the
 * TCP header starts at offset 8 there, so a fragment at offset 8 rewrites its ports and flags
 * after the first fragment was admitted on them. The fragment header of every fragment names
 * destination options (60), not TCP, as the next header. */
static void tcp_fragment_rewriting_header_behind_destination_options_is_malformed_v6(void **state)
{
	uint32_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_fragment(&f, 0, true, id);
	frame_ipv6_ext(&f, IPPROTO_DSTOPTS, 8);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_payload(&f, 8);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));

	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_fragment(&f, 8, false, id);
	frame_protocol(&f, IPPROTO_DSTOPTS);
	frame_payload(&f, 64); /* a TCP header to port 22 where the one to 443 was */
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void udp_fragment_at_offset_8_follows_first_verdict(void **state)
{
	uint16_t id = next_fragment_id++;
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, CLIENT4, DIRECTOR4);
	frame_ipv4_fragment(&f, id, 0, true);
	frame_udp(&f, EPHEMERAL_PORT, 40020);
	frame_payload(&f, 8);
	frame_finish(&f);
	f.udp_hdr->len = htons(8 + 72);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS,
		    UDP_RULE(SITE_DEFAULTS, UDP_RANGE_FIRST, "Internal Clients"));

	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, CLIENT4, DIRECTOR4);
	frame_ipv4_fragment(&f, id, 16, false);
	frame_protocol(&f, IPPROTO_UDP);
	frame_payload(&f, 64);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_PASS, XPF_REASON_FRAGMENT);
}

/* ================================================================================
 * Row: truncated or malformed headers → drop, malformed. IHL<5, IPv4 total length beyond
 * the frame, TCP doff<5, UDP length<8, IPv6 extension header past the packet, a chain over
 * the limit (8), a third VLAN tag, headers cut short.
 * ================================================================================ */

static void ipv4_ihl_below_5_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.ip4->ihl = 4;
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv4_total_length_beyond_frame_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.ip4->tot_len = htons(ntohs(f.ip4->tot_len) + 1);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv4_total_length_below_header_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.ip4->tot_len = htons(19);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv4_options_beyond_total_length_are_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.ip4->ihl = 15; /* 60 bytes of header in a 40-byte packet */
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv4_version_other_than_4_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.ip4->version = 6;
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv4_header_cut_short_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	frame_cut(&f, f.l3 + 19);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv6_header_cut_short_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT6, VIP6, 443);
	frame_cut(&f, f.l3 + 39);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv6_payload_length_beyond_frame_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT6, VIP6, 443);
	f.ip6->payload_len = htons(ntohs(f.ip6->payload_len) + 1);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tcp_header_cut_short_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	frame_cut(&f, f.l4 + 19);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tcp_doff_below_5_is_malformed_v4(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.tcp->doff = 4;
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tcp_doff_below_5_is_malformed_v6(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT6, VIP6, 443);
	f.tcp->doff = 0;
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void tcp_doff_past_the_packet_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.tcp->doff = 15; /* 60 bytes of TCP header in 20 */
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void udp_length_below_8_is_malformed_v4(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT4, DIRECTOR4, 40000, 20);
	f.udp_hdr->len = htons(7);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void udp_length_below_8_is_malformed_v6(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT6, DIRECTOR6, 40000, 20);
	f.udp_hdr->len = htons(0);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void udp_length_past_the_packet_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT4, DIRECTOR4, 40000, 20);
	f.udp_hdr->len = htons(8 + 21);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void icmp_header_cut_short_to_local_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_icmp(&f, OUTSIDER4, DIRECTOR4, ICMP_ECHO, 0, 64);
	frame_cut(&f, f.l4 + 1);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv6_extension_header_past_the_packet_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_ext(&f, IPPROTO_HOPOPTS, 8);
	frame_ipv6_ext(&f, IPPROTO_DSTOPTS, 8);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	f.data[f.l4 - 8 + 1] = 10; /* the destination options claim 88 bytes */
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv6_ah_past_the_packet_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_ah(&f);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	f.data[f.l4 - 16 + 1] = 40; /* (40 + 2) * 4 bytes claimed */
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void build_ext_chain(struct frame *f, int headers)
{
	static const uint8_t types[] = {IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING};

	frame_init(f);
	frame_eth(f);
	frame_ipv6(f, CLIENT6, VIP6);
	for (int i = 0; i < headers; i++)
		frame_ipv6_ext(f, types[i % 3], 8);
	frame_tcp(f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(f);
}

static void ipv6_chain_over_8_extension_headers_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_ext_chain(&f, XPF_MAX_IPV6_EXT_HEADERS + 1);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ipv6_chain_of_8_extension_headers_keeps_verdict(void **state)
{
	struct frame f;

	(void)state;
	build_ext_chain(&f, XPF_MAX_IPV6_EXT_HEADERS);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
}

static void three_vlan_tags_are_malformed(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_vlan(&f, ETH_P_8021AD);
	frame_vlan(&f, ETH_P_8021Q);
	frame_vlan(&f, ETH_P_8021Q);
	frame_ipv4(&f, CLIENT4, VIP4);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

/* BPF_PROG_TEST_RUN refuses frames shorter than an Ethernet header (EINVAL), so the shortest
 * truncated Ethernet the program can be shown is one whose VLAN tag is cut. */
static void ethernet_cut_inside_vlan_tag_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_vlan(&f, ETH_P_8021Q);
	frame_ipv4(&f, CLIENT4, VIP4);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	frame_cut(&f, sizeof(struct ethhdr) + 2);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

static void ethernet_ending_at_its_ether_type_is_malformed(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	frame_cut(&f, sizeof(struct ethhdr));
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

/* ================================================================================
 * Row: bytes past the IP total length (Ethernet padding) → ignored: normal verdict
 * ================================================================================ */

static void ethernet_padding_past_ipv4_keeps_verdict(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	frame_pad(&f, 6); /* 54 → 60, the Ethernet minimum */
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
}

static void ethernet_padding_past_ipv6_keeps_verdict(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, QUARANTINED6, VIP6, 443);
	frame_pad(&f, 26);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED6));
}

static void ethernet_padding_past_udp_keeps_verdict(void **state)
{
	struct frame f;

	(void)state;
	build_udp(&f, CLIENT4, DIRECTOR4, 40001, 2);
	frame_pad(&f, 16);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS,
		    UDP_RULE(SITE_DEFAULTS, UDP_RANGE_FIRST, "Internal Clients"));
}

/* The TCP header must lie inside the IP packet: bytes in the padding do not complete it. */
static void padding_does_not_complete_a_cut_tcp_header(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.ip4->tot_len = htons(20 + 10);
	expect_verdict(SITE_DEFAULTS, &f, XDP_DROP, XPF_REASON_MALFORMED);
}

/* ================================================================================
 * Parsing that must not change a verdict: 1 and 2 VLAN tags (802.1Q, 802.1ad), IPv4
 * options, IPv6 extension headers (hop-by-hop, routing, destination options, AH).
 * ================================================================================ */

static void build_tagged_syn(struct frame *f, const uint16_t *tpids, int tags, const char *source,
			     const char *destination, uint16_t port)
{
	frame_init(f);
	frame_eth(f);
	for (int i = 0; i < tags; i++)
		frame_vlan(f, tpids[i]);
	ip_header(f, source, destination);
	frame_tcp(f, EPHEMERAL_PORT, port, TH_SYN);
	frame_finish(f);
}

static void one_vlan_tag_keeps_verdict(void **state)
{
	static const uint16_t tags[] = {ETH_P_8021Q};
	struct frame f;

	(void)state;
	build_tagged_syn(&f, tags, 1, CLIENT4, VIP4, 443);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
	build_tagged_syn(&f, tags, 1, QUARANTINED6, VIP6, 443);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED6));
}

static void two_vlan_tags_8021ad_8021q_keep_verdict(void **state)
{
	static const uint16_t tags[] = {ETH_P_8021AD, ETH_P_8021Q};
	struct frame f;

	(void)state;
	build_tagged_syn(&f, tags, 2, CLIENT6, VIP6, 443);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
	build_tagged_syn(&f, tags, 2, QUARANTINED4, VIP4, 443);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED4));
}

static void two_8021q_tags_keep_verdict(void **state)
{
	static const uint16_t tags[] = {ETH_P_8021Q, ETH_P_8021Q};
	struct frame f;

	(void)state;
	build_tagged_syn(&f, tags, 2, EDGE4, DIRECTOR4, 5061);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS,
		    TCP_RULE(SITE_DEFAULTS, 5061, "Edge Server internal interface"));
}

static void vlan_tag_keeps_not_local_verdict(void **state)
{
	static const uint16_t tags[] = {ETH_P_8021AD, ETH_P_8021Q};
	struct frame f;

	(void)state;
	build_tagged_syn(&f, tags, 2, CLIENT4, ELSEWHERE4, 443);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_DROP, XPF_REASON_NOT_LOCAL);
}

static void ipv4_options_keep_verdict(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4_options(&f, CLIENT4, VIP4, 1);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
}

static void longest_ipv4_options_keep_verdict(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4_options(&f, QUARANTINED4, VIP4, 10); /* IHL 15 */
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED4));
}

static void ipv6_extension_headers_keep_verdict(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, VIP6);
	frame_ipv6_ext(&f, IPPROTO_HOPOPTS, 8);
	frame_ipv6_ext(&f, IPPROTO_DSTOPTS, 16);
	frame_ipv6_ext(&f, IPPROTO_ROUTING, 24);
	frame_ipv6_ah(&f);
	frame_ipv6_ext(&f, IPPROTO_DSTOPTS, 8);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
}

static void ipv6_extension_headers_keep_deny_verdict(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, QUARANTINED6, VIP6);
	frame_ipv6_ext(&f, IPPROTO_HOPOPTS, 8);
	frame_ipv6_ah(&f);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_SYN);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED6));
}

static void ipv6_extension_headers_before_icmpv6_keep_essential_verdict(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, OUTSIDER6, ELSEWHERE6);
	frame_ipv6_ext(&f, IPPROTO_DSTOPTS, 8);
	frame_icmp(&f, ICMPV6_PKT_TOOBIG, 0);
	frame_payload(&f, 40);
	frame_finish(&f);
	expect_verdict(SITE_OTHER_DROP, &f, XDP_PASS, XPF_REASON_ICMP);
}

/* ================================================================================
 * Jumbo frames: the program is frags-aware and parses within the first buffer. A frame
 * longer than a page reaches it in several buffers (BPF_PROG_TEST_RUN splits it the same
 * way): its verdict and its byte count are those of the whole frame.
 * ================================================================================ */

#define JUMBO_PAYLOAD 8000

static void jumbo_frame_keeps_verdict_v4(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, CLIENT4, VIP4);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_ACK | TH_PSH);
	frame_payload(&f, JUMBO_PAYLOAD);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS, TCP_RULE(SITE_DEFAULTS, 443, "Internal Clients"));
}

static void jumbo_frame_keeps_verdict_v6(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv6(&f, CLIENT6, DIRECTOR6);
	frame_udp(&f, EPHEMERAL_PORT, 40005);
	frame_payload(&f, JUMBO_PAYLOAD);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_PASS,
		    UDP_RULE(SITE_DEFAULTS, UDP_RANGE_FIRST, "Internal Clients"));
}

static void jumbo_frame_of_denied_source_is_denied(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, QUARANTINED4, VIP4);
	frame_tcp(&f, EPHEMERAL_PORT, 443, TH_ACK | TH_PSH);
	frame_payload(&f, JUMBO_PAYLOAD);
	frame_finish(&f);
	expect_rule(SITE_DEFAULTS, &f, XDP_DROP, TCP_RULE(SITE_DEFAULTS, 443, QUARANTINED4));
}

/* ================================================================================
 * Audit mode (--audit): every drop becomes pass and is counted as would-drop
 * ================================================================================ */

static void audit_passes_a_default_drop_and_counts_would_drop(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, OUTSIDER4, VIP4, 443);
	expect_would_drop(SITE_AUDIT, &f, XPF_REASON_DEFAULT, NO_RULE);
}

static void audit_passes_a_deny_row_and_counts_would_drop_on_it(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, QUARANTINED6, VIP6, 443);
	expect_would_drop(SITE_AUDIT, &f, XPF_REASON_RULE, TCP_RULE(SITE_AUDIT, 443, QUARANTINED6));
}

static void audit_passes_a_malformed_packet_and_counts_would_drop(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	f.tcp->doff = 2;
	expect_would_drop(SITE_AUDIT, &f, XPF_REASON_MALFORMED, NO_RULE);
}

static void audit_passes_an_unknown_fragment_and_counts_would_drop(void **state)
{
	struct frame f;

	(void)state;
	build_tcp6_fragment(&f, CLIENT6, VIP6, 443, next_fragment_id++, 1456, false, 100);
	expect_would_drop(SITE_AUDIT, &f, XPF_REASON_FRAGMENT, NO_RULE);
}

static void audit_does_not_count_would_drop_for_an_admitted_packet(void **state)
{
	struct frame f;

	(void)state;
	build_syn(&f, CLIENT4, VIP4, 443);
	expect_rule(SITE_AUDIT, &f, XDP_PASS, TCP_RULE(SITE_AUDIT, 443, "Internal Clients"));
}

/* ---- runner --------------------------------------------------------------------------- */

static const struct CMUnitTest named_tests[] = {
    /* not IPv4/IPv6 */
    cmocka_unit_test(arp_passes_as_non_ip),
    cmocka_unit_test(arp_passes_with_policy_other_drop),
    cmocka_unit_test(arp_in_vlan_passes_as_non_ip),
    cmocka_unit_test(lldp_passes_as_non_ip),
    /* NDP, packet-too-big, frag-needed */
    cmocka_unit_test(ndp_solicitation_to_multicast_passes_with_policy_other_drop),
    cmocka_unit_test(ndp_every_type_133_to_137_passes_with_policy_icmp_drop),
    cmocka_unit_test(ndp_with_hop_limit_64_to_local_follows_policy_icmp),
    cmocka_unit_test(ndp_with_hop_limit_64_to_multicast_follows_policy_other),
    cmocka_unit_test(icmpv6_type_138_is_not_ndp),
    cmocka_unit_test(packet_too_big_to_non_local_passes_with_policy_other_drop),
    cmocka_unit_test(packet_too_big_to_local_passes_with_policy_icmp_drop),
    cmocka_unit_test(frag_needed_to_non_local_passes_with_policy_other_drop),
    cmocka_unit_test(frag_needed_to_local_passes_with_policy_icmp_drop),
    cmocka_unit_test(port_unreachable_is_not_frag_needed),
    /* not local */
    cmocka_unit_test(not_local_v4_passes_with_policy_other_pass),
    cmocka_unit_test(not_local_v4_drops_with_policy_other_drop),
    cmocka_unit_test(not_local_v6_passes_with_policy_other_pass),
    cmocka_unit_test(not_local_v6_drops_with_policy_other_drop),
    cmocka_unit_test(limited_broadcast_follows_policy_other),
    cmocka_unit_test(subnet_broadcast_follows_policy_other),
    cmocka_unit_test(multicast_v4_follows_policy_other),
    cmocka_unit_test(multicast_v6_follows_policy_other),
    cmocka_unit_test(front_end_destination_of_outbound_row_is_not_local),
    /* other ICMP to local */
    cmocka_unit_test(echo_request_v4_to_local_passes_with_policy_icmp_pass),
    cmocka_unit_test(echo_request_v4_to_local_drops_with_policy_icmp_drop),
    cmocka_unit_test(echo_request_v6_to_local_passes_with_policy_icmp_pass),
    cmocka_unit_test(echo_request_v6_to_local_drops_with_policy_icmp_drop),
    cmocka_unit_test(policy_icmp_drop_leaves_tcp_alone),
    /* a rule matches: longest prefix, first row */
    cmocka_unit_test(deny_row_overrides_shorter_allow_v4),
    cmocka_unit_test(deny_row_overrides_shorter_allow_v6),
    cmocka_unit_test(deny_row_spares_the_neighbouring_address),
    cmocka_unit_test(deny_row_applies_only_to_its_port),
    cmocka_unit_test(longer_deny_wins_over_earlier_shorter_allow),
    cmocka_unit_test(shorter_allow_still_admits_the_rest_of_its_prefix),
    cmocka_unit_test(equal_prefix_first_row_wins),
    cmocka_unit_test(policy_default_pass_does_not_override_a_deny_row),
    /* reply to a flow the host opened */
    cmocka_unit_test(syn_ack_from_front_end_drops_as_default_v4),
    cmocka_unit_test(syn_ack_from_front_end_drops_as_default_v6),
    cmocka_unit_test(reply_to_host_flow_counts_on_outbound_row_v4),
    cmocka_unit_test(reply_to_host_flow_counts_on_outbound_row_v6),
    cmocka_unit_test(reply_to_host_flow_outside_every_row_counts_as_reply),
    cmocka_unit_test(reply_to_another_port_of_the_host_drops_as_default),
    cmocka_unit_test(reply_after_the_flow_went_idle_drops_as_default),
    /* nothing matches */
    cmocka_unit_test(unmatched_tcp_drops_with_policy_default_drop),
    cmocka_unit_test(unmatched_udp_drops_with_policy_default_drop),
    cmocka_unit_test(unmatched_tcp_passes_with_policy_default_pass_v4),
    cmocka_unit_test(unmatched_udp_passes_with_policy_default_pass_v6),
    /* other IP protocol */
    cmocka_unit_test(gre_to_local_drops_as_other_proto),
    cmocka_unit_test(sctp_v6_to_local_drops_as_other_proto),
    cmocka_unit_test(ipv6_no_next_header_to_local_is_other_proto),
    cmocka_unit_test(gre_to_local_passes_with_policy_default_pass),
    cmocka_unit_test(sctp_to_non_local_is_not_local),
    /* non-first fragments */
    cmocka_unit_test(fragment_follows_first_verdict_v4),
    cmocka_unit_test(fragment_follows_first_verdict_v6),
    cmocka_unit_test(fragment_follows_essential_icmp_first_fragment),
    cmocka_unit_test(udp_fragment_follows_first_verdict),
    cmocka_unit_test(fragment_follows_first_verdict_with_destination_options_v6),
    cmocka_unit_test(fragment_of_denied_first_is_dropped_v4),
    cmocka_unit_test(fragment_of_default_dropped_first_is_dropped_v6),
    cmocka_unit_test(unknown_non_first_fragment_is_dropped_v4),
    cmocka_unit_test(unknown_non_first_fragment_is_dropped_v6),
    cmocka_unit_test(admitted_first_does_not_admit_another_datagram),
    cmocka_unit_test(non_first_fragment_to_non_local_follows_policy_other),
    cmocka_unit_test(policy_fragments_drop_drops_an_admissible_first_fragment_v4),
    cmocka_unit_test(ipv6_atomic_fragment_is_a_whole_packet),
    cmocka_unit_test(policy_fragments_drop_drops_an_admissible_first_fragment_v6),
    cmocka_unit_test(policy_fragments_drop_drops_non_first_fragments),
    cmocka_unit_test(policy_fragments_drop_leaves_whole_packets_alone),
    /* RFC 1858, RFC 7112, RFC 3128 */
    cmocka_unit_test(tiny_first_fragment_v4_is_malformed),
    cmocka_unit_test(tiny_first_fragment_v6_is_malformed),
    cmocka_unit_test(tiny_first_fragment_leaves_its_followers_unknown),
    cmocka_unit_test(ipv6_first_fragment_without_whole_chain_is_malformed),
    cmocka_unit_test(ipv6_first_fragment_ending_after_fragment_header_is_malformed),
    cmocka_unit_test(tcp_fragment_at_offset_8_is_malformed_v4),
    cmocka_unit_test(tcp_fragment_at_offset_8_is_malformed_v6),
    cmocka_unit_test(tcp_fragment_at_offset_8_is_malformed_after_admitted_first),
    cmocka_unit_test(tcp_fragment_rewriting_header_behind_destination_options_is_malformed_v6),
    cmocka_unit_test(udp_fragment_at_offset_8_follows_first_verdict),
    /* truncated or malformed headers */
    cmocka_unit_test(ipv4_ihl_below_5_is_malformed),
    cmocka_unit_test(ipv4_total_length_beyond_frame_is_malformed),
    cmocka_unit_test(ipv4_total_length_below_header_is_malformed),
    cmocka_unit_test(ipv4_options_beyond_total_length_are_malformed),
    cmocka_unit_test(ipv4_version_other_than_4_is_malformed),
    cmocka_unit_test(ipv4_header_cut_short_is_malformed),
    cmocka_unit_test(ipv6_header_cut_short_is_malformed),
    cmocka_unit_test(ipv6_payload_length_beyond_frame_is_malformed),
    cmocka_unit_test(tcp_header_cut_short_is_malformed),
    cmocka_unit_test(tcp_doff_below_5_is_malformed_v4),
    cmocka_unit_test(tcp_doff_below_5_is_malformed_v6),
    cmocka_unit_test(tcp_doff_past_the_packet_is_malformed),
    cmocka_unit_test(udp_length_below_8_is_malformed_v4),
    cmocka_unit_test(udp_length_below_8_is_malformed_v6),
    cmocka_unit_test(udp_length_past_the_packet_is_malformed),
    cmocka_unit_test(icmp_header_cut_short_to_local_is_malformed),
    cmocka_unit_test(ipv6_extension_header_past_the_packet_is_malformed),
    cmocka_unit_test(ipv6_ah_past_the_packet_is_malformed),
    cmocka_unit_test(ipv6_chain_over_8_extension_headers_is_malformed),
    cmocka_unit_test(ipv6_chain_of_8_extension_headers_keeps_verdict),
    cmocka_unit_test(three_vlan_tags_are_malformed),
    cmocka_unit_test(ethernet_cut_inside_vlan_tag_is_malformed),
    cmocka_unit_test(ethernet_ending_at_its_ether_type_is_malformed),
    /* Ethernet padding */
    cmocka_unit_test(ethernet_padding_past_ipv4_keeps_verdict),
    cmocka_unit_test(ethernet_padding_past_ipv6_keeps_verdict),
    cmocka_unit_test(ethernet_padding_past_udp_keeps_verdict),
    cmocka_unit_test(padding_does_not_complete_a_cut_tcp_header),
    /* VLAN tags, IPv4 options, IPv6 extension headers */
    cmocka_unit_test(one_vlan_tag_keeps_verdict),
    cmocka_unit_test(two_vlan_tags_8021ad_8021q_keep_verdict),
    cmocka_unit_test(two_8021q_tags_keep_verdict),
    cmocka_unit_test(vlan_tag_keeps_not_local_verdict),
    cmocka_unit_test(ipv4_options_keep_verdict),
    cmocka_unit_test(longest_ipv4_options_keep_verdict),
    cmocka_unit_test(ipv6_extension_headers_keep_verdict),
    cmocka_unit_test(ipv6_extension_headers_keep_deny_verdict),
    cmocka_unit_test(ipv6_extension_headers_before_icmpv6_keep_essential_verdict),
    /* jumbo frames */
    cmocka_unit_test(jumbo_frame_keeps_verdict_v4),
    cmocka_unit_test(jumbo_frame_keeps_verdict_v6),
    cmocka_unit_test(jumbo_frame_of_denied_source_is_denied),
    /* audit mode */
    cmocka_unit_test(audit_passes_a_default_drop_and_counts_would_drop),
    cmocka_unit_test(audit_passes_a_deny_row_and_counts_would_drop_on_it),
    cmocka_unit_test(audit_passes_a_malformed_packet_and_counts_would_drop),
    cmocka_unit_test(audit_passes_an_unknown_fragment_and_counts_would_drop),
    cmocka_unit_test(audit_does_not_count_would_drop_for_an_admitted_packet),
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int main(void)
{
	static struct CMUnitTest tests[ARRAY_SIZE(named_tests) + ARRAY_SIZE(row_cases)];
	size_t count = 0;
	int failed = 0;

	/* The published rows: one test per case of the table, named by the case. */
	for (size_t i = 0; i < ARRAY_SIZE(row_cases); i++)
		tests[count++] = (struct CMUnitTest){
		    .name = row_cases[i].name,
		    .test_func = row_case_verdict,
		    .initial_state = (void *)&row_cases[i],
		};
	for (size_t i = 0; i < ARRAY_SIZE(named_tests); i++)
		tests[count++] = named_tests[i];

	for (layout = LAYOUT_SPANS; layout <= LAYOUT_HASHES; layout++) {
		failed += _cmocka_run_group_tests(layout_names[layout], tests, count, group_setup,
						  group_teardown);
		if (fx.setup_failed) {
			fprintf(stderr, "test_verdicts: FAILED: the fixture could not be set up\n");
			return 1;
		}
	}
	return failed ? 1 : 0;
}
