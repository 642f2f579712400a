/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The "Verdicts" table of DESIGN.md, row by row, through BPF_PROG_TEST_RUN on the real
 * program. Each case is a row of the table below: a name that says what it shows, the site
 * variant (policy) it runs on, the frame (built with tests/bpf/lib_packets.c), and what must
 * come of it: the XDP action, the one reason counter that moves by exactly that packet, and the
 * one rule counter that does when a rule decides (none other moves); in audit mode, would-drop
 * counted on both. A case that needs a flow of the host's has it opened first; a case of
 * several packets (fragments of one datagram, the same frame under two policies) lists the
 * packets after the first, each with its variant and its expectations. One runner runs them
 * all. Needs root: when the program cannot be loaded the run fails, it never skips.
 *
 * The site: the built-in Director table (DNS + HLB), this host being the Director and the HLB
 * VIP, plus site rows that exercise longest-prefix and first-row ties and a UDP range. Each
 * policy variant is its own loaded program, so cases never reconfigure a shared one.
 * Every case runs on both paths of the program (its fast path, and with in_force.general_only
 * every frame through its general path: tests/bpf/fixture.h), and on each four times: with the classes in their arrays (class_cells, prefix_lists),
 * the local addresses in their slot table (local_slots) and sources found in the classes'
 * spans of rule sources (class_sources); the same without spans, IPv4 sources decided by the
 * source trie's rule table (source_trie, source_rules); the same with the trie giving the
 * lengths to probe in rules_v4 but no rule table; and with classes and local addresses in
 * their hashes (classes, local_addrs) and every length probed: the layouts of rule sets and
 * hosts too big for the arrays.
 */
#include <errno.h>
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

#include "core/stats.h"

#include "fixture.h"
#include "kernel/generation.h"

#define RULE_CAPACITY  8192
#define MAX_TEST_RULES 64
#define NO_RULE	       (-1)
#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))

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
#define JUMBO_PAYLOAD	8000 /* past a page: the frame reaches the program in buffers */

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

/* Where the site files are written. */
static char temp_dir[64];

static struct {
	struct site_program sites[VARIANT_COUNT];
	int ncpus;
	bool setup_failed;
} fx;

/* The runs' layouts (see the head of this file): the arrays (class grid with spans of rule
 * sources, local slot table); the same without spans (source trie and its rule table); the
 * same with the source trie but not its rule table (the lengths it gives probed in rules_v4);
 * classes and local addresses in their hashes and every length probed. */
enum layout { LAYOUT_SPANS, LAYOUT_ARRAYS, LAYOUT_TRIE_PROBES, LAYOUT_HASHES, LAYOUT_COUNT };
static enum layout layout;
static const char *const layout_names[] = {
	[LAYOUT_SPANS] = "verdicts",
	[LAYOUT_ARRAYS] = "verdicts_trie_table",
	[LAYOUT_TRIE_PROBES] = "verdicts_trie_probes",
	[LAYOUT_HASHES] = "verdicts_hash_layout",
};

/* Fragment identifications: the fragments map outlives a case, so each case takes its own. */
static uint32_t next_fragment_id = 0x1000;

/* ---- fixture -------------------------------------------------------------------------- */

static void set_layout(struct xpf_filter *filter)
{
	filter->classes_in_hash = layout == LAYOUT_HASHES;
	filter->locals_in_hash = layout == LAYOUT_HASHES;
	filter->sources_without_trie = layout == LAYOUT_HASHES;
	filter->sources_without_rule_table = layout == LAYOUT_TRIE_PROBES;
	filter->sources_without_class_spans = layout != LAYOUT_SPANS;
}

/* The layout asked for is the one in force: the default run through the class arrays, their
 * spans and the local slot table, the others through the source trie, and through the hashes
 * and every length probed. */
static bool layout_in_force(const struct xpf_filter *filter)
{
	struct xpf_config config;

	if (xpf_filter_read_config(filter, &config, NULL))
		return false;
	return !config.class_columns == (layout == LAYOUT_HASHES) &&
	       !config.local_slot_shift == (layout == LAYOUT_HASHES) &&
	       !config.source_trie == (layout == LAYOUT_HASHES) &&
	       !config.source_rule_stride == (layout != LAYOUT_ARRAYS && layout != LAYOUT_SPANS) &&
	       !config.class_sources == (layout != LAYOUT_SPANS);
}

static int load_site(enum variant variant)
{
	struct site_program *site = &fx.sites[variant];
	int ret;

	ret = site_program_open(site, temp_dir, variants[variant].file, site_text,
				variants[variant].policy,
				&(struct site_options){ .rule_ids = RULE_CAPACITY,
							.audit = variants[variant].audit,
							.before_install = set_layout });
	if (ret)
		return ret;
	if (site->config.ruleset.count > MAX_TEST_RULES) {
		fprintf(stderr, "test_verdicts: %zu rules, more than the %d this test reads\n",
			site->config.ruleset.count, MAX_TEST_RULES);
		return -E2BIG;
	}
	if (!layout_in_force(&site->filter)) {
		fprintf(stderr, "test_verdicts: FAIL: layout %s not in force\n",
			layout_names[layout]);
		return -EINVAL;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	for (int v = 0; v < VARIANT_COUNT; v++)
		site_program_close(&fx.sites[v]);
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

/* ---- what a case expects, and the check of it ----------------------------------------- */

/* A row of the rule set, by its protocols, its first port and its source as written. */
struct rule_ref {
	uint8_t protocols; /* XPF_PROTO_TCP, XPF_PROTO_UDP */
	uint16_t port;
	const char *source; /* NULL: no rule decides */
};

struct expect {
	int action; /* XDP_PASS or XDP_DROP */
	enum xpf_reason reason;
	struct rule_ref rule;
	bool would_drop; /* audit mode: passed, counted as would-drop */
};

struct snapshot {
	struct xpf_counter reasons[XPF_REASON_COUNT];
	struct xpf_counter rules[MAX_TEST_RULES];
	size_t rule_count;
};

/* Rule i of the rule set counts at generation * rule_id_span + i. */
static uint32_t rule_id(const struct site_program *site, size_t index)
{
	struct xpf_in_force active;
	struct xpf_meta meta = {};
	uint32_t zero = 0;

	assert_int_equal(xpf_in_force_read(&site->filter, &active), 0);
	assert_int_equal(bpf_map_lookup_elem(site->filter.map_fds[XPF_MAP_META], &zero, &meta), 0);
	return (active.generation & 1) * meta.rule_id_span + index;
}

static void snapshot_take(const struct site_program *site, struct snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	assert_int_equal(xpf_reasons_read(site->filter.map_fds[XPF_MAP_REASON_STATS], fx.ncpus,
					  snap->reasons), 0);
	snap->rule_count = site->config.ruleset.count;
	for (size_t i = 0; i < snap->rule_count; i++)
		snap->rules[i] = rule_counter(&site->filter, rule_id(site, i));
}

/* The rule-set index of @rule: the first row that matches it. */
static int rule_index(enum variant variant, const struct rule_ref *rule)
{
	const struct xpf_ruleset *ruleset = &fx.sites[variant].config.ruleset;

	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_row *row = &ruleset->rules[i].row;

		if (row->protocols == rule->protocols && row->port_first == rule->port &&
		    xpf_role_name_equal(row->source, rule->source))
			return i;
	}
	fail_msg("no rule for port %u from '%s' in the rule set", rule->port, rule->source);
	return NO_RULE;
}

static const char *action_name(int action)
{
	return action == XDP_PASS ? "XDP_PASS" : action == XDP_DROP ? "XDP_DROP" : "other";
}

static void counter_moved(const char *which, const char *what, const struct xpf_counter *before,
			  const struct xpf_counter *after, uint64_t packets, uint64_t bytes,
			  uint64_t would_drop)
{
	if (after->packets - before->packets != packets)
		fail_msg("%s%s: packets moved by %llu, expected %llu", which, what,
			 (unsigned long long)(after->packets - before->packets),
			 (unsigned long long)packets);
	if (after->bytes - before->bytes != bytes)
		fail_msg("%s%s: bytes moved by %llu, expected %llu", which, what,
			 (unsigned long long)(after->bytes - before->bytes),
			 (unsigned long long)bytes);
	if (after->would_drop - before->would_drop != would_drop)
		fail_msg("%s%s: would_drop moved by %llu, expected %llu", which, what,
			 (unsigned long long)(after->would_drop - before->would_drop),
			 (unsigned long long)would_drop);
}

/*
 * Runs @f once through @variant's program; asserts the action, that reason_stats[reason] and
 * nothing else moved by one packet (of the frame's bytes), and that rule_stats of the rule
 * expected (if any) and no other rule moved likewise. A rule expected must be one whose own
 * action is the verdict (its deny in audit mode): the case then shows that rule decided, not
 * another row for the same packet. @which names the packet in messages ("" or "packet 2 of 3: ").
 */
static void expect_verdict(enum variant variant, const struct frame *f, const struct expect *e,
			   const char *which)
{
	const struct site_program *site = &fx.sites[variant];
	int rule = e->rule.source ? rule_index(variant, &e->rule) : NO_RULE;
	struct snapshot before, after;
	char what[256];
	int action;

	if (rule != NO_RULE) {
		int row_action = site->config.ruleset.rules[rule].row.action;
		int verdict = e->would_drop || e->action == XDP_DROP ? XPF_ACTION_DROP :
								       XPF_ACTION_PASS;

		if (row_action != verdict)
			fail_msg("%sthe first row for port %u from '%s' does not %s", which,
				 e->rule.port, e->rule.source,
				 verdict == XPF_ACTION_DROP ? "deny" : "allow");
	}
	snapshot_take(site, &before);
	action = run_frame(site->filter.prog_fd, f, 1);
	snapshot_take(site, &after);

	if (action != e->action) {
		size_t len = 0;

		what[0] = '\0';
		for (uint32_t r = 0; r < XPF_REASON_COUNT; r++)
			if (after.reasons[r].packets != before.reasons[r].packets &&
			    len < sizeof(what))
				len += snprintf(what + len, sizeof(what) - len, " %s",
						xpf_reason_name(r));
		fail_msg("%sverdict %s (%d) on %s, expected %s; counted as:%s", which,
			 action_name(action), action, variants[variant].file,
			 action_name(e->action), what);
	}
	for (uint32_t r = 0; r < XPF_REASON_COUNT; r++) {
		bool hit = r == (uint32_t)e->reason;

		snprintf(what, sizeof(what), "reason_stats[%s]", xpf_reason_name(r));
		counter_moved(which, what, &before.reasons[r], &after.reasons[r], hit,
			      hit ? f->len : 0, hit && e->would_drop);
	}
	for (size_t i = 0; i < after.rule_count; i++) {
		const struct xpf_row *row = &site->config.ruleset.rules[i].row;
		bool hit = (int)i == rule;

		snprintf(what, sizeof(what), "rule_stats[%zu: %s from %.40s]", i, row->label,
			 row->source);
		counter_moved(which, what, &before.rules[i], &after.rules[i], hit,
			      hit ? f->len : 0, hit && e->would_drop);
	}
}

/* ---- packets ---------------------------------------------------------------------------- */

struct ext_header {
	uint8_t type;	/* IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS or IPPROTO_AH */
	uint16_t bytes; /* its length (AH: 16, the builder's); 0 ends the list */
};

enum upper_layer { UPPER_TCP, UPPER_UDP, UPPER_ICMP, UPPER_BARE, UPPER_ARP, UPPER_ETHER_TYPE };

/*
 * A frame, front to back: Ethernet, VLAN tags, then ARP, a bare EtherType, or IPv4 (with
 * options) or IPv6; a fragment (IPv4's fields, or IPv6's fragment header right after the
 * fixed header), IPv6 extension headers, the upper-layer header and payload; finished (the
 * lengths filled in), padded, and edited last (what makes it malformed). A fragment past
 * offset 0 carries no headers: its protocol field names what the first one started with.
 */
struct packet {
	const char *source, *destination; /* IPv6 when the destination is */
	uint16_t vlan[3];		  /* TPIDs, outermost first; 0 ends them */
	uint8_t ipv4_option_words;
	uint8_t hop_limit; /* TTL or hop limit; 0: the builder's 64 */
	bool fragment;
	uint16_t fragment_offset; /* bytes */
	bool more_fragments;
	bool other_datagram; /* the case's second identification, not its first */
	struct ext_header ext[6];
	uint8_t ext_chain; /* that many 8-byte headers: hop-by-hop, destination, routing, ... */
	enum upper_layer upper;
	uint8_t protocol;    /* UPPER_BARE */
	uint16_t ether_type; /* UPPER_ETHER_TYPE */
	uint16_t source_port, dest_port;
	uint8_t tcp_flags;
	uint8_t icmp_type, icmp_code;
	uint16_t payload; /* bytes after the upper-layer header */
	uint16_t pad;	  /* Ethernet padding past the IP packet */
	void (*edit)(struct frame *f);
	/* Run in two buffers, the first ending this many bytes into the upper-layer header
	 * (SPLIT_IN_UPPER). */
	bool split;
	uint16_t split_upper_bytes;
};

static uint8_t upper_protocol(const struct packet *p, const struct frame *f)
{
	switch (p->upper) {
	case UPPER_TCP:
		return IPPROTO_TCP;
	case UPPER_UDP:
		return IPPROTO_UDP;
	case UPPER_ICMP:
		return f->ip6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	default:
		return p->protocol;
	}
}

static void build_ip(struct frame *f, const struct packet *p, const uint32_t datagram_ids[2])
{
	uint32_t id = datagram_ids[p->other_datagram];

	if (strchr(p->destination, ':'))
		frame_ipv6(f, p->source, p->destination);
	else
		frame_ipv4_options(f, p->source, p->destination, p->ipv4_option_words);
	if (p->hop_limit && f->ip6)
		f->ip6->hop_limit = p->hop_limit;
	else if (p->hop_limit)
		f->ip4->ttl = p->hop_limit;
	if (p->fragment && f->ip6)
		frame_ipv6_fragment(f, p->fragment_offset, p->more_fragments, id);
	else if (p->fragment)
		frame_ipv4_fragment(f, (uint16_t)id, p->fragment_offset, p->more_fragments);
	if (p->fragment && p->fragment_offset) {
		frame_protocol(f, p->ext[0].bytes ? p->ext[0].type : upper_protocol(p, f));
		return;
	}
	for (int i = 0; i < (int)ARRAY_SIZE(p->ext) && p->ext[i].bytes; i++) {
		if (p->ext[i].type == IPPROTO_AH)
			frame_ipv6_ah(f);
		else
			frame_ipv6_ext(f, p->ext[i].type, p->ext[i].bytes);
	}
	for (int i = 0; i < p->ext_chain; i++) {
		static const uint8_t types[] = {IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING};

		frame_ipv6_ext(f, types[i % 3], 8);
	}
	switch (p->upper) {
	case UPPER_TCP:
		frame_tcp(f, p->source_port, p->dest_port, p->tcp_flags);
		break;
	case UPPER_UDP:
		frame_udp(f, p->source_port, p->dest_port);
		break;
	case UPPER_ICMP:
		frame_icmp(f, p->icmp_type, p->icmp_code);
		break;
	default:
		frame_protocol(f, p->protocol);
		break;
	}
}

static void build_packet(struct frame *f, const struct packet *p, const uint32_t datagram_ids[2])
{
	frame_init(f);
	frame_eth(f);
	for (int i = 0; i < (int)ARRAY_SIZE(p->vlan) && p->vlan[i]; i++)
		frame_vlan(f, p->vlan[i]);
	if (p->upper == UPPER_ARP) {
		frame_arp(f, p->source, p->destination);
	} else if (p->upper == UPPER_ETHER_TYPE) {
		frame_ether_type(f, p->ether_type);
		frame_payload(f, p->payload);
	} else {
		build_ip(f, p, datagram_ids);
		frame_payload(f, p->payload);
		frame_finish(f);
	}
	if (p->pad)
		frame_pad(f, p->pad);
	if (p->edit)
		p->edit(f);
	if (p->split)
		f->first_buffer = f->l4 + p->split_upper_bytes;
}

/* What breaks a frame, applied after frame_finish(). */

static void ihl_4(struct frame *f)
{
	f->ip4->ihl = 4;
}

static void ihl_15_in_a_40_byte_packet(struct frame *f)
{
	f->ip4->ihl = 15;
}

static void version_6_in_ipv4_header(struct frame *f)
{
	f->ip4->version = 6;
}

static void total_length_one_past_the_frame(struct frame *f)
{
	f->ip4->tot_len = htons(ntohs(f->ip4->tot_len) + 1);
}

static void total_length_19(struct frame *f)
{
	f->ip4->tot_len = htons(19);
}

/* IPv4 header and 10 bytes of TCP in the packet; the rest of the TCP header past it. */
static void total_length_30(struct frame *f)
{
	f->ip4->tot_len = htons(20 + 10);
}

static void payload_length_one_past_the_frame(struct frame *f)
{
	f->ip6->payload_len = htons(ntohs(f->ip6->payload_len) + 1);
}

static void cut_inside_ipv4_header(struct frame *f)
{
	frame_cut(f, f->l3 + 19);
}

static void cut_inside_ipv6_header(struct frame *f)
{
	frame_cut(f, f->l3 + 39);
}

/* The lengths then say the packet ends there: it is the header that is short. */
static void cut_inside_tcp_header(struct frame *f)
{
	frame_cut(f, f->l4 + 19);
	frame_finish(f);
}

/* 8 bytes of TCP: ports and sequence number, the flags left for the next fragment. */
static void cut_tcp_after_8_bytes(struct frame *f)
{
	frame_cut(f, f->l4 + 8);
	frame_finish(f);
}

static void cut_inside_icmp_header(struct frame *f)
{
	frame_cut(f, f->l4 + 1);
	frame_finish(f);
}

/* 16 of the 64 bytes of the destination options before TCP. */
static void cut_inside_destination_options(struct frame *f)
{
	frame_cut(f, f->l4 - 64 + 16);
	frame_finish(f);
}

static void cut_inside_vlan_tag(struct frame *f)
{
	frame_cut(f, sizeof(struct ethhdr) + 2);
}

static void cut_after_ether_type(struct frame *f)
{
	frame_cut(f, sizeof(struct ethhdr));
}

static void tcp_doff_0(struct frame *f)
{
	f->tcp->doff = 0;
}

static void tcp_doff_2(struct frame *f)
{
	f->tcp->doff = 2;
}

static void tcp_doff_4(struct frame *f)
{
	f->tcp->doff = 4;
}

/* 60 bytes of TCP header in 20. */
static void tcp_doff_15(struct frame *f)
{
	f->tcp->doff = 15;
}

static void udp_length_0(struct frame *f)
{
	f->udp_hdr->len = htons(0);
}

static void udp_length_7(struct frame *f)
{
	f->udp_hdr->len = htons(7);
}

/* 20 bytes of payload, 21 claimed. */
static void udp_length_one_past_the_packet(struct frame *f)
{
	f->udp_hdr->len = htons(8 + 21);
}

/* A first fragment's UDP length is the whole datagram's. */
static void udp_length_of_a_2000_byte_datagram(struct frame *f)
{
	f->udp_hdr->len = htons(8 + 2000);
}

static void udp_length_of_an_80_byte_datagram(struct frame *f)
{
	f->udp_hdr->len = htons(8 + 72);
}

/* The second of two 8-byte extension headers before TCP claims 88 bytes. */
static void destination_options_past_the_packet(struct frame *f)
{
	f->data[f->l4 - 8 + 1] = 10;
}

/* The authentication header before TCP claims (40 + 2) * 4 bytes. */
static void ah_past_the_packet(struct frame *f)
{
	f->data[f->l4 - 16 + 1] = 40;
}

/* ---- the shorthand of the table ------------------------------------------------------- */

#define SYN(src, dst, port)                                                                        \
	.packet.source = src, .packet.destination = dst, .packet.upper = UPPER_TCP,                \
	.packet.source_port = EPHEMERAL_PORT, .packet.dest_port = port, .packet.tcp_flags = TH_SYN
#define TCP_PACKET(src, sport, dst, dport, flags)                                                  \
	.packet.source = src, .packet.destination = dst, .packet.upper = UPPER_TCP,                \
	.packet.source_port = sport, .packet.dest_port = dport, .packet.tcp_flags = flags
#define UDP_PACKET(src, sport, dst, dport, bytes)                                                  \
	.packet.source = src, .packet.destination = dst, .packet.upper = UPPER_UDP,                \
	.packet.source_port = sport, .packet.dest_port = dport, .packet.payload = bytes
#define UDP_TO(src, dst, port, bytes) UDP_PACKET(src, EPHEMERAL_PORT, dst, port, bytes)
/* 28 bytes after the header: the quoted header of an error, or echo data. */
#define ICMP_PACKET(src, dst, type, code, hops)                                                    \
	.packet.source = src, .packet.destination = dst, .packet.upper = UPPER_ICMP,               \
	.packet.icmp_type = type, .packet.icmp_code = code, .packet.hop_limit = hops,              \
	.packet.payload = 28
#define BARE_PROTOCOL(src, dst, number, bytes)                                                     \
	.packet.source = src, .packet.destination = dst, .packet.upper = UPPER_BARE,               \
	.packet.protocol = number, .packet.payload = bytes
#define ARP_REQUEST(sender, target)                                                                \
	.packet.source = sender, .packet.destination = target, .packet.upper = UPPER_ARP
#define ETHER_FRAME(type, bytes)                                                                   \
	.packet.upper = UPPER_ETHER_TYPE, .packet.ether_type = type, .packet.payload = bytes
#define FRAGMENT(offset, more)                                                                     \
	.packet.fragment = true, .packet.fragment_offset = offset, .packet.more_fragments = more
/* A fragment of a SYN to @port: the first carries the TCP header and @bytes, the others
 * @bytes of data. */
#define TCP_FRAGMENT(src, dst, port, offset, more, bytes)                                          \
	SYN(src, dst, port), FRAGMENT(offset, more), .packet.payload = bytes
#define UDP_FRAGMENT(src, dst, port, offset, more, bytes)                                          \
	UDP_TO(src, dst, port, bytes), FRAGMENT(offset, more)
#define ICMP_FRAGMENT(src, dst, type, offset, more, bytes)                                         \
	.packet.source = src, .packet.destination = dst, .packet.upper = UPPER_ICMP,               \
	.packet.icmp_type = type, .packet.payload = bytes, FRAGMENT(offset, more)
#define MORE true
#define LAST false
/* A multi-buffer frame whose first buffer ends @bytes into the upper-layer header. */
#define SPLIT_IN_UPPER(bytes) .packet.split = true, .packet.split_upper_bytes = bytes

#define PASSES(why)  .expect = {.action = XDP_PASS, .reason = XPF_REASON_##why}
#define DROPS(why)   .expect = {.action = XDP_DROP, .reason = XPF_REASON_##why}
#define RULE(proto, port, src)                                                                     \
	.reason = XPF_REASON_RULE, .rule = {XPF_PROTO_##proto, port, src}
#define RULE_PASSES(proto, port, src) .expect = {.action = XDP_PASS, RULE(proto, port, src)}
#define RULE_DROPS(proto, port, src)  .expect = {.action = XDP_DROP, RULE(proto, port, src)}
#define WOULD_DROP(why)                                                                            \
	.expect = {.action = XDP_PASS, .reason = XPF_REASON_##why, .would_drop = true}
#define RULE_WOULD_DROP(proto, port, src)                                                          \
	.expect = {.action = XDP_PASS, RULE(proto, port, src), .would_drop = true}

/* A flow the host opened, written to the flows map before the case's first packet as the
 * egress program (bpf/egress.bpf.c) writes it, its last packet @idle_ms ago (negative: stamped
 * ahead of the clock, as egress on another CPU stamps it when this CPU's copy of the clock is a
 * tick behind). */
struct host_flow {
	uint8_t protocol;
	const char *local;
	uint16_t local_port;
	const char *remote;
	uint16_t remote_port;
	uint32_t state;
	int64_t idle_ms;
};

#define HOST_FLOW(...)		     .flow = &(const struct host_flow){__VA_ARGS__, 0}
#define HOST_FLOW_IDLE_FOR(seconds, ...)                                                    \
	.flow = &(const struct host_flow){__VA_ARGS__, (seconds) * 1000ll}
#define HOST_FLOW_STAMPED_AHEAD_BY(ms, ...) .flow = &(const struct host_flow){__VA_ARGS__, -(ms)}

/* A packet after a case's first, on its own site variant. */
struct step {
	enum variant site;
	struct packet packet;
	struct expect expect;
};

#define THEN(...)                                                                                  \
	.then = (const struct step[]){__VA_ARGS__},                                                \
	.then_count = ARRAY_SIZE(((const struct step[]){__VA_ARGS__}))

struct verdict_case {
	const char *name;
	enum variant site;
	struct packet packet;
	struct expect expect;
	const struct host_flow *flow;
	const struct step *then;
	size_t then_count;
};

/* ---- the cases -------------------------------------------------------------------------- */

static const struct verdict_case cases[] = {
    /* Row: not IPv4/IPv6 (ARP, LLDP, ...) → pass, non_ip */
    {"arp_passes_as_non_ip", SITE_DEFAULTS, ARP_REQUEST(CLIENT4, DIRECTOR4), PASSES(NON_IP)},
    {"arp_passes_with_policy_other_drop", SITE_OTHER_DROP, ARP_REQUEST(CLIENT4, ELSEWHERE4),
     PASSES(NON_IP)},
    {"arp_in_vlan_passes_as_non_ip", SITE_OTHER_DROP, ARP_REQUEST(CLIENT4, DIRECTOR4),
     .packet.vlan = {ETH_P_8021Q}, PASSES(NON_IP)},
    {"lldp_passes_as_non_ip", SITE_OTHER_DROP, ETHER_FRAME(ETH_P_LLDP, 46), PASSES(NON_IP)},

    /* Row: ICMPv6 NDP (133-137, hop limit 255), packet-too-big, ICMPv4 frag-needed — any
     * destination → pass, icmp. Shown against `policy other drop` (not local) and `policy
     * icmp drop` (local), the two policies they would otherwise fall under. */
    {"ndp_solicitation_to_multicast_passes_with_policy_other_drop", SITE_OTHER_DROP,
     ICMP_PACKET(CLIENT6, "ff02::1:ff00:101", 135, 0, 255), PASSES(ICMP)},
    {"ndp_every_type_133_to_137_passes_with_policy_icmp_drop", SITE_ICMP_DROP,
     ICMP_PACKET("fe80::1", DIRECTOR6, 133, 0, 255), PASSES(ICMP),
     THEN({SITE_ICMP_DROP, ICMP_PACKET("fe80::1", DIRECTOR6, 134, 0, 255), PASSES(ICMP)},
	  {SITE_ICMP_DROP, ICMP_PACKET("fe80::1", DIRECTOR6, 135, 0, 255), PASSES(ICMP)},
	  {SITE_ICMP_DROP, ICMP_PACKET("fe80::1", DIRECTOR6, 136, 0, 255), PASSES(ICMP)},
	  {SITE_ICMP_DROP, ICMP_PACKET("fe80::1", DIRECTOR6, 137, 0, 255), PASSES(ICMP)})},
    {"ndp_with_hop_limit_64_to_local_follows_policy_icmp", SITE_ICMP_DROP,
     ICMP_PACKET("fe80::1", DIRECTOR6, 135, 0, 64), DROPS(ICMP)},
    {"ndp_with_hop_limit_64_to_multicast_follows_policy_other", SITE_OTHER_DROP,
     ICMP_PACKET(CLIENT6, "ff02::1:ff00:101", 135, 0, 64), DROPS(NOT_LOCAL)},
    {"icmpv6_type_138_is_not_ndp", SITE_OTHER_DROP, ICMP_PACKET(CLIENT6, "ff02::1", 138, 0, 255),
     DROPS(NOT_LOCAL)},
    {"packet_too_big_to_non_local_passes_with_policy_other_drop", SITE_OTHER_DROP,
     ICMP_PACKET(OUTSIDER6, ELSEWHERE6, ICMPV6_PKT_TOOBIG, 0, 64), PASSES(ICMP)},
    {"packet_too_big_to_local_passes_with_policy_icmp_drop", SITE_ICMP_DROP,
     ICMP_PACKET(OUTSIDER6, DIRECTOR6, ICMPV6_PKT_TOOBIG, 0, 64), PASSES(ICMP)},
    {"frag_needed_to_non_local_passes_with_policy_other_drop", SITE_OTHER_DROP,
     ICMP_PACKET(OUTSIDER4, ELSEWHERE4, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 64), PASSES(ICMP)},
    {"frag_needed_to_local_passes_with_policy_icmp_drop", SITE_ICMP_DROP,
     ICMP_PACKET(OUTSIDER4, VIP4, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, 64), PASSES(ICMP)},
    {"port_unreachable_is_not_frag_needed", SITE_OTHER_DROP,
     ICMP_PACKET(OUTSIDER4, ELSEWHERE4, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 64),
     DROPS(NOT_LOCAL)},

    /* Row: IP, destination not a local address (incl. broadcast/multicast) → policy other,
     * not_local */
    {"not_local_v4_passes_with_policy_other_pass", SITE_DEFAULTS, SYN(CLIENT4, ELSEWHERE4, 443),
     PASSES(NOT_LOCAL)},
    {"not_local_v4_drops_with_policy_other_drop", SITE_OTHER_DROP, SYN(CLIENT4, ELSEWHERE4, 443),
     DROPS(NOT_LOCAL)},
    {"not_local_v6_passes_with_policy_other_pass", SITE_DEFAULTS, SYN(CLIENT6, ELSEWHERE6, 443),
     PASSES(NOT_LOCAL)},
    {"not_local_v6_drops_with_policy_other_drop", SITE_OTHER_DROP, SYN(CLIENT6, ELSEWHERE6, 443),
     DROPS(NOT_LOCAL)},
    {"limited_broadcast_follows_policy_other", SITE_DEFAULTS,
     UDP_TO("0.0.0.0", "255.255.255.255", 67, 300), PASSES(NOT_LOCAL),
     THEN({SITE_OTHER_DROP, UDP_TO("0.0.0.0", "255.255.255.255", 67, 300), DROPS(NOT_LOCAL)})},
    {"subnet_broadcast_follows_policy_other", SITE_DEFAULTS, UDP_TO(PROXY4, "192.0.2.255", 137, 50),
     PASSES(NOT_LOCAL),
     THEN({SITE_OTHER_DROP, UDP_TO(PROXY4, "192.0.2.255", 137, 50), DROPS(NOT_LOCAL)})},
    {"multicast_v4_follows_policy_other", SITE_DEFAULTS, UDP_TO(CLIENT4, "224.0.0.251", 5353, 40),
     PASSES(NOT_LOCAL),
     THEN({SITE_OTHER_DROP, UDP_TO(CLIENT4, "224.0.0.251", 5353, 40), DROPS(NOT_LOCAL)})},
    {"multicast_v6_follows_policy_other", SITE_DEFAULTS, UDP_TO(CLIENT6, "ff02::fb", 5353, 40),
     PASSES(NOT_LOCAL),
     THEN({SITE_OTHER_DROP, UDP_TO(CLIENT6, "ff02::fb", 5353, 40), DROPS(NOT_LOCAL)})},
    /* The 444 row (Director → Front End) is outbound: on this NIC its packets are not ours. */
    {"front_end_destination_of_outbound_row_is_not_local", SITE_OTHER_DROP,
     SYN(DIRECTOR4, FRONT_END4, 444), DROPS(NOT_LOCAL)},

    /* Row: other ICMP/ICMPv6 to local → policy icmp, icmp */
    {"echo_request_v4_to_local_passes_with_policy_icmp_pass", SITE_DEFAULTS,
     ICMP_PACKET(OUTSIDER4, DIRECTOR4, ICMP_ECHO, 0, 64), PASSES(ICMP)},
    {"echo_request_v4_to_local_drops_with_policy_icmp_drop", SITE_ICMP_DROP,
     ICMP_PACKET(OUTSIDER4, DIRECTOR4, ICMP_ECHO, 0, 64), DROPS(ICMP)},
    {"echo_request_v6_to_local_passes_with_policy_icmp_pass", SITE_DEFAULTS,
     ICMP_PACKET(OUTSIDER6, VIP6, ICMPV6_ECHO_REQUEST, 0, 64), PASSES(ICMP)},
    {"echo_request_v6_to_local_drops_with_policy_icmp_drop", SITE_ICMP_DROP,
     ICMP_PACKET(OUTSIDER6, VIP6, ICMPV6_ECHO_REQUEST, 0, 64), DROPS(ICMP)},
    {"policy_icmp_drop_leaves_tcp_alone", SITE_ICMP_DROP, SYN(CLIENT4, VIP4, 443),
     RULE_PASSES(TCP, 443, "Internal Clients")},

    /* Row: TCP/UDP to local, a rule matches → that rule's action, counted on that rule.
     * Every published row, v4 and v6, from its source role (counted on the row) and from a
     * wrong source or to a wrong local role (nothing matches: policy default, default). */
    /* HTTP/TCP 8080: Reverse proxy internal interface → Director HLB VIP */
    {"row_8080_admits_reverse_proxy_to_vip_v4", SITE_DEFAULTS, SYN(PROXY4, VIP4, 8080),
     RULE_PASSES(TCP, 8080, "Reverse proxy internal interface")},
    {"row_8080_admits_reverse_proxy_to_vip_v6", SITE_DEFAULTS, SYN(PROXY6, VIP6, 8080),
     RULE_PASSES(TCP, 8080, "Reverse proxy internal interface")},
    {"row_8080_drops_internal_client_as_default_v4", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 8080),
     DROPS(DEFAULT)},
    {"row_8080_drops_internal_client_as_default_v6", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 8080),
     DROPS(DEFAULT)},
    {"row_8080_does_not_cover_the_director_address_v4", SITE_DEFAULTS,
     SYN(PROXY4, DIRECTOR4, 8080), DROPS(DEFAULT)},
    {"row_8080_does_not_cover_the_director_address_v6", SITE_DEFAULTS,
     SYN(PROXY6, DIRECTOR6, 8080), DROPS(DEFAULT)},
    /* HTTPS/TCP 4443: Reverse proxy internal interface → Director HLB VIP */
    {"row_4443_admits_reverse_proxy_to_vip_v4", SITE_DEFAULTS, SYN(PROXY4, VIP4, 4443),
     RULE_PASSES(TCP, 4443, "Reverse proxy internal interface")},
    {"row_4443_admits_reverse_proxy_to_vip_v6", SITE_DEFAULTS, SYN(PROXY6, VIP6, 4443),
     RULE_PASSES(TCP, 4443, "Reverse proxy internal interface")},
    {"row_4443_drops_edge_server_as_default_v4", SITE_DEFAULTS, SYN(EDGE4, VIP4, 4443),
     DROPS(DEFAULT)},
    {"row_4443_drops_edge_server_as_default_v6", SITE_DEFAULTS, SYN(EDGE6, VIP6, 4443),
     DROPS(DEFAULT)},
    /* HTTP/TCP 80: Internal Clients → Director HLB VIP */
    {"row_80_admits_internal_client_to_vip_v4", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 80),
     RULE_PASSES(TCP, 80, "Internal Clients")},
    {"row_80_admits_internal_client_to_vip_v6", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 80),
     RULE_PASSES(TCP, 80, "Internal Clients")},
    {"row_80_drops_reverse_proxy_as_default_v4", SITE_DEFAULTS, SYN(PROXY4, VIP4, 80),
     DROPS(DEFAULT)},
    {"row_80_drops_reverse_proxy_as_default_v6", SITE_DEFAULTS, SYN(PROXY6, VIP6, 80),
     DROPS(DEFAULT)},
    /* HTTPS/TCP 443: Internal Clients → Director HLB VIP */
    {"row_443_admits_internal_client_to_vip_v4", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     RULE_PASSES(TCP, 443, "Internal Clients")},
    {"row_443_admits_internal_client_to_vip_v6", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     RULE_PASSES(TCP, 443, "Internal Clients")},
    {"row_443_drops_outsider_as_default_v4", SITE_DEFAULTS, SYN(OUTSIDER4, VIP4, 443),
     DROPS(DEFAULT)},
    {"row_443_drops_outsider_as_default_v6", SITE_DEFAULTS, SYN(OUTSIDER6, VIP6, 443),
     DROPS(DEFAULT)},
    /* SIP/MTLS/TCP 5061: Edge Server internal interface → Director */
    {"row_5061_admits_edge_server_to_director_v4", SITE_DEFAULTS, SYN(EDGE4, DIRECTOR4, 5061),
     RULE_PASSES(TCP, 5061, "Edge Server internal interface")},
    {"row_5061_admits_edge_server_to_director_v6", SITE_DEFAULTS, SYN(EDGE6, DIRECTOR6, 5061),
     RULE_PASSES(TCP, 5061, "Edge Server internal interface")},
    {"row_5061_drops_internal_client_as_default_v4", SITE_DEFAULTS,
     SYN(CLIENT4, DIRECTOR4, 5061), DROPS(DEFAULT)},
    {"row_5061_drops_internal_client_as_default_v6", SITE_DEFAULTS,
     SYN(CLIENT6, DIRECTOR6, 5061), DROPS(DEFAULT)},
    {"row_5061_does_not_cover_the_vip_v4", SITE_DEFAULTS, SYN(EDGE4, VIP4, 5061), DROPS(DEFAULT)},
    /* MTLS/TCP/50001, 50002, 50003: Any → Director */
    {"row_50001_admits_any_source_to_director_v4", SITE_DEFAULTS,
     SYN(OUTSIDER4, DIRECTOR4, 50001), RULE_PASSES(TCP, 50001, "Any")},
    {"row_50001_admits_any_source_to_director_v6", SITE_DEFAULTS,
     SYN(OUTSIDER6, DIRECTOR6, 50001), RULE_PASSES(TCP, 50001, "Any")},
    {"row_50002_admits_any_source_to_director_v4", SITE_DEFAULTS, SYN(CLIENT4, DIRECTOR4, 50002),
     RULE_PASSES(TCP, 50002, "Any")},
    {"row_50002_admits_any_source_to_director_v6", SITE_DEFAULTS, SYN(CLIENT6, DIRECTOR6, 50002),
     RULE_PASSES(TCP, 50002, "Any")},
    {"row_50003_admits_any_source_to_director_v4", SITE_DEFAULTS, SYN(EDGE4, DIRECTOR4, 50003),
     RULE_PASSES(TCP, 50003, "Any")},
    {"row_50003_admits_any_source_to_director_v6", SITE_DEFAULTS, SYN(EDGE6, DIRECTOR6, 50003),
     RULE_PASSES(TCP, 50003, "Any")},
    {"row_50003_does_not_cover_the_vip_v4", SITE_DEFAULTS, SYN(OUTSIDER4, VIP4, 50003),
     DROPS(DEFAULT)},
    {"row_50003_does_not_cover_the_vip_v6", SITE_DEFAULTS, SYN(OUTSIDER6, VIP6, 50003),
     DROPS(DEFAULT)},
    {"port_next_to_a_published_range_drops_as_default", SITE_DEFAULTS,
     SYN(OUTSIDER4, DIRECTOR4, 50004), DROPS(DEFAULT)},
    /* HTTPS/TCP 444: Director → Front End is outbound; nothing admits it inbound */
    {"row_444_is_outbound_and_admits_nothing_inbound_v4", SITE_DEFAULTS,
     SYN(FRONT_END4, DIRECTOR4, 444), DROPS(DEFAULT)},
    {"row_444_is_outbound_and_admits_nothing_inbound_v6", SITE_DEFAULTS,
     SYN(FRONT_END6, DIRECTOR6, 444), DROPS(DEFAULT)},
    /* site: allow Media/UDP 40000-40099 | Internal Clients | Director */
    {"udp_range_admits_its_first_port_v4", SITE_DEFAULTS,
     UDP_TO(CLIENT4, DIRECTOR4, UDP_RANGE_FIRST, 20),
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients")},
    {"udp_range_admits_its_last_port_v4", SITE_DEFAULTS,
     UDP_TO(CLIENT4, DIRECTOR4, UDP_RANGE_LAST, 20),
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients")},
    {"udp_range_admits_a_middle_port_v6", SITE_DEFAULTS, UDP_TO(CLIENT6, DIRECTOR6, 40050, 20),
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients")},
    {"udp_range_admits_its_last_port_v6", SITE_DEFAULTS,
     UDP_TO(CLIENT6, DIRECTOR6, UDP_RANGE_LAST, 20),
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients")},
    {"udp_port_past_the_range_drops_as_default", SITE_DEFAULTS,
     UDP_TO(CLIENT4, DIRECTOR4, UDP_RANGE_LAST + 1, 20), DROPS(DEFAULT)},
    {"udp_port_before_the_range_drops_as_default", SITE_DEFAULTS,
     UDP_TO(CLIENT6, DIRECTOR6, UDP_RANGE_FIRST - 1, 20), DROPS(DEFAULT)},
    {"udp_range_does_not_admit_tcp", SITE_DEFAULTS, SYN(CLIENT4, DIRECTOR4, 40050),
     DROPS(DEFAULT)},
    {"udp_range_drops_wrong_source_as_default", SITE_DEFAULTS, UDP_TO(EDGE4, DIRECTOR4, 40050, 20),
     DROPS(DEFAULT)},
    {"tcp_row_does_not_admit_udp", SITE_DEFAULTS, UDP_TO(CLIENT4, VIP4, 443, 20), DROPS(DEFAULT)},

    /* Row: a rule matches — longest source prefix wins; equal → first row */
    {"deny_row_overrides_shorter_allow_v4", SITE_DEFAULTS, SYN(QUARANTINED4, VIP4, 443),
     RULE_DROPS(TCP, 443, QUARANTINED4)},
    {"deny_row_overrides_shorter_allow_v6", SITE_DEFAULTS, SYN(QUARANTINED6, VIP6, 443),
     RULE_DROPS(TCP, 443, QUARANTINED6)},
    {"deny_row_spares_the_neighbouring_address", SITE_DEFAULTS, SYN(NEIGHBOUR4, VIP4, 443),
     RULE_PASSES(TCP, 443, "Internal Clients")},
    {"deny_row_applies_only_to_its_port", SITE_DEFAULTS, SYN(QUARANTINED4, VIP4, 80),
     RULE_PASSES(TCP, 80, "Internal Clients")},
    {"longer_deny_wins_over_earlier_shorter_allow", SITE_DEFAULTS,
     SYN(QUARANTINED4, DIRECTOR4, 8443), RULE_DROPS(TCP, 8443, QUARANTINED4)},
    {"shorter_allow_still_admits_the_rest_of_its_prefix", SITE_DEFAULTS,
     SYN(CLIENT4, DIRECTOR4, 8443), RULE_PASSES(TCP, 8443, "Internal Clients")},
    /* The first of the two rows for PINNED4 is the allow (an expected rule's action is the
     * verdict's): it, not the deny after it, counts the packet. */
    {"equal_prefix_first_row_wins", SITE_DEFAULTS, SYN(PINNED4, DIRECTOR4, 8444),
     RULE_PASSES(TCP, 8444, PINNED4)},
    {"policy_default_pass_does_not_override_a_deny_row", SITE_DEFAULT_PASS,
     SYN(QUARANTINED4, VIP4, 443), RULE_DROPS(TCP, 443, QUARANTINED4)},

    /* Row: TCP/UDP to local, reply to a flow the host opened → pass, counted on the outbound
     * row, else reply. Without a flow in the flows map a reply-like packet is one no rule
     * admits (policy default). */
    {"syn_ack_from_front_end_drops_as_default_v4", SITE_DEFAULTS,
     TCP_PACKET(FRONT_END4, 444, DIRECTOR4, EPHEMERAL_PORT, TH_SYN | TH_ACK), DROPS(DEFAULT)},
    {"syn_ack_from_front_end_drops_as_default_v6", SITE_DEFAULTS,
     TCP_PACKET(FRONT_END6, 444, DIRECTOR6, EPHEMERAL_PORT, TH_SYN | TH_ACK), DROPS(DEFAULT)},
    {"reply_to_host_flow_counts_on_outbound_row_v4", SITE_DEFAULTS,
     HOST_FLOW(IPPROTO_TCP, DIRECTOR4, 52001, FRONT_END4, 444, XPF_FLOW_TCP_SYN_SENT),
     TCP_PACKET(FRONT_END4, 444, DIRECTOR4, 52001, TH_SYN | TH_ACK),
     RULE_PASSES(TCP, 444, "Director")},
    {"reply_to_host_flow_counts_on_outbound_row_v6", SITE_DEFAULTS,
     HOST_FLOW(IPPROTO_TCP, DIRECTOR6, 52002, FRONT_END6, 444, XPF_FLOW_TCP_ESTABLISHED),
     TCP_PACKET(FRONT_END6, 444, DIRECTOR6, 52002, TH_ACK), RULE_PASSES(TCP, 444, "Director")},
    {"reply_to_host_flow_outside_every_row_counts_as_reply", SITE_DEFAULTS,
     HOST_FLOW(IPPROTO_UDP, VIP4, 52003, OUTSIDER4, 53, XPF_FLOW_UDP),
     UDP_PACKET(OUTSIDER4, 53, VIP4, 52003, 60), PASSES(REPLY)},
    {"reply_to_another_port_of_the_host_drops_as_default", SITE_DEFAULTS,
     HOST_FLOW(IPPROTO_TCP, DIRECTOR4, 52004, FRONT_END4, 444, XPF_FLOW_TCP_ESTABLISHED),
     TCP_PACKET(FRONT_END4, 444, DIRECTOR4, 52005, TH_ACK), DROPS(DEFAULT)},
    /* Egress stamps with the coarse clock it reads; the XDP program's copy of it, taken at its
     * CPU's first packet of the tick, may be a tick behind: a flow stamped ahead is fresh. */
    {"reply_to_a_flow_stamped_ahead_of_the_clock_passes_v6", SITE_DEFAULTS,
     HOST_FLOW_STAMPED_AHEAD_BY(50, IPPROTO_UDP, DIRECTOR6, 52008, OUTSIDER6, 53, XPF_FLOW_UDP),
     UDP_PACKET(OUTSIDER6, 53, DIRECTOR6, 52008, 60), PASSES(REPLY)},
    {"reply_to_a_flow_stamped_ahead_of_the_clock_counts_on_outbound_row_v4", SITE_DEFAULTS,
     HOST_FLOW_STAMPED_AHEAD_BY(50, IPPROTO_TCP, DIRECTOR4, 52009, FRONT_END4, 444,
				XPF_FLOW_TCP_ESTABLISHED),
     TCP_PACKET(FRONT_END4, 444, DIRECTOR4, 52009, TH_ACK), RULE_PASSES(TCP, 444, "Director")},
    {"reply_after_the_flow_went_idle_drops_as_default", SITE_DEFAULTS,
     HOST_FLOW_IDLE_FOR(XPF_DEFAULT_TCP_TIMEOUT_S + 60, IPPROTO_TCP, DIRECTOR4, 52006,
			FRONT_END4, 444, XPF_FLOW_TCP_ESTABLISHED),
     TCP_PACKET(FRONT_END4, 444, DIRECTOR4, 52006, TH_ACK), DROPS(DEFAULT)},

    /* Row: TCP/UDP to local, nothing matches → policy default, default */
    {"unmatched_tcp_drops_with_policy_default_drop", SITE_DEFAULTS, SYN(CLIENT4, DIRECTOR4, 22),
     DROPS(DEFAULT)},
    {"unmatched_udp_drops_with_policy_default_drop", SITE_DEFAULTS, UDP_TO(CLIENT6, VIP6, 53, 30),
     DROPS(DEFAULT)},
    {"unmatched_tcp_passes_with_policy_default_pass_v4", SITE_DEFAULT_PASS,
     SYN(CLIENT4, DIRECTOR4, 22), PASSES(DEFAULT)},
    {"unmatched_udp_passes_with_policy_default_pass_v6", SITE_DEFAULT_PASS,
     UDP_TO(CLIENT6, VIP6, 53, 30), PASSES(DEFAULT)},

    /* Row: other IP protocol to local → policy default, other_proto */
    {"gre_to_local_drops_as_other_proto", SITE_DEFAULTS,
     BARE_PROTOCOL(CLIENT4, DIRECTOR4, IPPROTO_GRE, 24), DROPS(OTHER_PROTO)},
    {"sctp_v6_to_local_drops_as_other_proto", SITE_DEFAULTS,
     BARE_PROTOCOL(CLIENT6, VIP6, IPPROTO_SCTP, 32), DROPS(OTHER_PROTO)},
    {"ipv6_no_next_header_to_local_is_other_proto", SITE_DEFAULTS,
     BARE_PROTOCOL(CLIENT6, DIRECTOR6, 59, 0), DROPS(OTHER_PROTO)},
    {"gre_to_local_passes_with_policy_default_pass", SITE_DEFAULT_PASS,
     BARE_PROTOCOL(CLIENT4, DIRECTOR4, IPPROTO_GRE, 24), PASSES(OTHER_PROTO)},
    {"sctp_to_non_local_is_not_local", SITE_OTHER_DROP,
     BARE_PROTOCOL(CLIENT4, ELSEWHERE4, IPPROTO_SCTP, 32), DROPS(NOT_LOCAL)},

    /* Row: non-first fragment → verdict of its first fragment; unknown → drop, fragment */
    {"fragment_follows_first_verdict_v4", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 0, MORE, 1400), RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(CLIENT4, VIP4, 443, 1424, MORE, 1400), PASSES(FRAGMENT)},
	  {SITE_DEFAULTS, TCP_FRAGMENT(CLIENT4, VIP4, 443, 2824, LAST, 100), PASSES(FRAGMENT)})},
    {"fragment_follows_first_verdict_v6", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 0, MORE, 1200), RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(CLIENT6, VIP6, 443, 1224, LAST, 300), PASSES(FRAGMENT)})},
    /* An essential ICMP message (here packet-too-big, passed whatever the policy) that arrives
     * fragmented: its later fragments follow the first one's pass too. Found by the
     * differential test: the essential path returned before the first fragment's verdict was
     * remembered. */
    {"fragment_follows_essential_icmp_first_fragment", SITE_ICMP_DROP,
     ICMP_FRAGMENT(OUTSIDER6, DIRECTOR6, ICMPV6_PKT_TOOBIG, 0, MORE, 1000), PASSES(ICMP),
     THEN({SITE_ICMP_DROP, ICMP_FRAGMENT(OUTSIDER6, DIRECTOR6, ICMPV6_PKT_TOOBIG, 1008, LAST, 200),
	   PASSES(FRAGMENT)})},
    {"udp_fragment_follows_first_verdict", SITE_DEFAULTS,
     UDP_FRAGMENT(CLIENT4, DIRECTOR4, 40010, 0, MORE, 1000),
     .packet.edit = udp_length_of_a_2000_byte_datagram,
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients"),
     THEN({SITE_DEFAULTS, UDP_FRAGMENT(CLIENT4, DIRECTOR4, 40010, 1008, LAST, 1000),
	   PASSES(FRAGMENT)})},
    /* RFC 8200 4.5: the Next Header of every fragment's fragment header names the first
     * header of the fragmentable part, here a destination options header that precedes TCP.
     * The non-first fragment belongs to the same datagram (same source, destination,
     * identification). */
    {"fragment_follows_first_verdict_with_destination_options_v6", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 0, MORE, 1200), .packet.ext = {{IPPROTO_DSTOPTS, 8}},
     RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(CLIENT6, VIP6, 443, 1232, LAST, 300),
	   .packet.ext = {{IPPROTO_DSTOPTS, 8}}, PASSES(FRAGMENT)})},
    {"fragment_of_denied_first_is_dropped_v4", SITE_DEFAULTS,
     TCP_FRAGMENT(QUARANTINED4, VIP4, 443, 0, MORE, 1400), RULE_DROPS(TCP, 443, QUARANTINED4),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(QUARANTINED4, VIP4, 443, 1424, LAST, 200),
	   DROPS(FRAGMENT)})},
    {"fragment_of_default_dropped_first_is_dropped_v6", SITE_DEFAULTS,
     TCP_FRAGMENT(OUTSIDER6, VIP6, 443, 0, MORE, 1200), DROPS(DEFAULT),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(OUTSIDER6, VIP6, 443, 1224, LAST, 300),
	   DROPS(FRAGMENT)})},
    {"unknown_non_first_fragment_is_dropped_v4", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 1480, LAST, 200), DROPS(FRAGMENT)},
    {"unknown_non_first_fragment_is_dropped_v6", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 1456, LAST, 200), DROPS(FRAGMENT)},
    /* Another identification, or another source with the same one: another datagram. */
    {"admitted_first_does_not_admit_another_datagram", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 0, MORE, 1400), RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(CLIENT4, VIP4, 443, 1424, LAST, 200),
	   .packet.other_datagram = true, DROPS(FRAGMENT)},
	  {SITE_DEFAULTS, TCP_FRAGMENT(NEIGHBOUR4, VIP4, 443, 1424, LAST, 200),
	   DROPS(FRAGMENT)})},
    {"non_first_fragment_to_non_local_follows_policy_other", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, ELSEWHERE4, 443, 1480, LAST, 200), PASSES(NOT_LOCAL)},
    {"policy_fragments_drop_drops_an_admissible_first_fragment_v4", SITE_FRAGMENTS_DROP,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 0, MORE, 1400), DROPS(FRAGMENT)},
    /* RFC 6946: an IPv6 atomic fragment (offset 0, M clear) is a whole packet, classified as
     * one. */
    {"ipv6_atomic_fragment_is_a_whole_packet", SITE_FRAGMENTS_DROP,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 0, LAST, 100), RULE_PASSES(TCP, 443, "Internal Clients")},
    {"policy_fragments_drop_drops_an_admissible_first_fragment_v6", SITE_FRAGMENTS_DROP,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 0, MORE, 1200), DROPS(FRAGMENT)},
    {"policy_fragments_drop_drops_non_first_fragments", SITE_FRAGMENTS_DROP,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 1480, LAST, 200), DROPS(FRAGMENT)},
    {"policy_fragments_drop_leaves_whole_packets_alone", SITE_FRAGMENTS_DROP,
     SYN(CLIENT4, VIP4, 443), RULE_PASSES(TCP, 443, "Internal Clients")},

    /* Row: first fragment too short for its L4 header (RFC 1858) or without the whole IPv6
     * header chain (RFC 7112); TCP fragment at offset 8 (RFC 3128) → drop, malformed */
    {"tiny_first_fragment_v4_is_malformed", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 0, MORE, 0), .packet.edit = cut_tcp_after_8_bytes,
     DROPS(MALFORMED)},
    {"tiny_first_fragment_v6_is_malformed", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 0, MORE, 0), .packet.edit = cut_tcp_after_8_bytes,
     DROPS(MALFORMED)},
    {"tiny_first_fragment_leaves_its_followers_unknown", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 0, MORE, 0), .packet.edit = cut_tcp_after_8_bytes,
     DROPS(MALFORMED),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(CLIENT4, VIP4, 443, 16, LAST, 100), DROPS(FRAGMENT)})},
    /* RFC 7112: the first fragment ends inside a destination options header. */
    {"ipv6_first_fragment_without_whole_chain_is_malformed", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 0, MORE, 0), .packet.ext = {{IPPROTO_DSTOPTS, 64}},
     .packet.edit = cut_inside_destination_options, DROPS(MALFORMED)},
    /* RFC 7112: the chain ends right after the fragment header, announcing one more header. */
    {"ipv6_first_fragment_ending_after_fragment_header_is_malformed", SITE_DEFAULTS,
     BARE_PROTOCOL(CLIENT6, VIP6, IPPROTO_ROUTING, 0), FRAGMENT(0, MORE), DROPS(MALFORMED)},
    {"tcp_fragment_at_offset_8_is_malformed_v4", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 8, LAST, 64), DROPS(MALFORMED)},
    {"tcp_fragment_at_offset_8_is_malformed_v6", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 8, LAST, 64), DROPS(MALFORMED)},
    /* RFC 3128's attack: an admitted first fragment, then one at offset 8 rewriting its
     * flags. */
    {"tcp_fragment_at_offset_8_is_malformed_after_admitted_first", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT4, VIP4, 443, 0, MORE, 16), RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(CLIENT4, VIP4, 443, 8, LAST, 64), DROPS(MALFORMED)})},
    /* RFC 3128 where a destination options header precedes TCP in the fragmentable part: the
     * TCP header starts at offset 8 there, so a fragment at offset 8 rewrites its ports and
     * flags after the first fragment was admitted on them (64 bytes: a TCP header to port 22
     * where the one to 443 was). The fragment header of every fragment names destination
     * options (60), not TCP, as the next header. */
    {"tcp_fragment_rewriting_header_behind_destination_options_is_malformed_v6", SITE_DEFAULTS,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 0, MORE, 8), .packet.ext = {{IPPROTO_DSTOPTS, 8}},
     RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, TCP_FRAGMENT(CLIENT6, VIP6, 443, 8, LAST, 64),
	   .packet.ext = {{IPPROTO_DSTOPTS, 8}}, DROPS(MALFORMED)})},
    {"udp_fragment_at_offset_8_follows_first_verdict", SITE_DEFAULTS,
     UDP_FRAGMENT(CLIENT4, DIRECTOR4, 40020, 0, MORE, 8),
     .packet.edit = udp_length_of_an_80_byte_datagram,
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients"),
     THEN({SITE_DEFAULTS, UDP_FRAGMENT(CLIENT4, DIRECTOR4, 40020, 16, LAST, 64),
	   PASSES(FRAGMENT)})},

    /* Row: truncated or malformed headers → drop, malformed. IHL<5, IPv4 total length beyond
     * the frame, TCP doff<5, UDP length<8, IPv6 extension header past the packet, a chain over
     * the limit (8), a third VLAN tag, headers cut short. */
    {"ipv4_ihl_below_5_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = ihl_4, DROPS(MALFORMED)},
    {"ipv4_total_length_beyond_frame_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = total_length_one_past_the_frame, DROPS(MALFORMED)},
    {"ipv4_total_length_below_header_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = total_length_19, DROPS(MALFORMED)},
    {"ipv4_options_beyond_total_length_are_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = ihl_15_in_a_40_byte_packet, DROPS(MALFORMED)},
    {"ipv4_version_other_than_4_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = version_6_in_ipv4_header, DROPS(MALFORMED)},
    {"ipv4_header_cut_short_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = cut_inside_ipv4_header, DROPS(MALFORMED)},
    {"ipv6_header_cut_short_is_malformed", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.edit = cut_inside_ipv6_header, DROPS(MALFORMED)},
    {"ipv6_payload_length_beyond_frame_is_malformed", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.edit = payload_length_one_past_the_frame, DROPS(MALFORMED)},
    {"tcp_header_cut_short_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = cut_inside_tcp_header, DROPS(MALFORMED)},
    {"tcp_doff_below_5_is_malformed_v4", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = tcp_doff_4, DROPS(MALFORMED)},
    {"tcp_doff_below_5_is_malformed_v6", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.edit = tcp_doff_0, DROPS(MALFORMED)},
    {"tcp_doff_past_the_packet_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = tcp_doff_15, DROPS(MALFORMED)},
    {"udp_length_below_8_is_malformed_v4", SITE_DEFAULTS, UDP_TO(CLIENT4, DIRECTOR4, 40000, 20),
     .packet.edit = udp_length_7, DROPS(MALFORMED)},
    {"udp_length_below_8_is_malformed_v6", SITE_DEFAULTS, UDP_TO(CLIENT6, DIRECTOR6, 40000, 20),
     .packet.edit = udp_length_0, DROPS(MALFORMED)},
    {"udp_length_past_the_packet_is_malformed", SITE_DEFAULTS,
     UDP_TO(CLIENT4, DIRECTOR4, 40000, 20), .packet.edit = udp_length_one_past_the_packet,
     DROPS(MALFORMED)},
    {"icmp_header_cut_short_to_local_is_malformed", SITE_DEFAULTS,
     ICMP_PACKET(OUTSIDER4, DIRECTOR4, ICMP_ECHO, 0, 64), .packet.edit = cut_inside_icmp_header,
     DROPS(MALFORMED)},
    {"ipv6_extension_header_past_the_packet_is_malformed", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.ext = {{IPPROTO_HOPOPTS, 8}, {IPPROTO_DSTOPTS, 8}},
     .packet.edit = destination_options_past_the_packet, DROPS(MALFORMED)},
    {"ipv6_ah_past_the_packet_is_malformed", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.ext = {{IPPROTO_AH, 16}}, .packet.edit = ah_past_the_packet, DROPS(MALFORMED)},
    {"ipv6_chain_over_8_extension_headers_is_malformed", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.ext_chain = XPF_MAX_IPV6_EXT_HEADERS + 1, DROPS(MALFORMED)},
    {"ipv6_chain_of_8_extension_headers_keeps_verdict", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.ext_chain = XPF_MAX_IPV6_EXT_HEADERS, RULE_PASSES(TCP, 443, "Internal Clients")},
    {"three_vlan_tags_are_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.vlan = {ETH_P_8021AD, ETH_P_8021Q, ETH_P_8021Q}, DROPS(MALFORMED)},
    /* BPF_PROG_TEST_RUN refuses frames shorter than an Ethernet header (EINVAL), so the
     * shortest truncated Ethernet the program can be shown is one whose VLAN tag is cut. */
    {"ethernet_cut_inside_vlan_tag_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.vlan = {ETH_P_8021Q}, .packet.edit = cut_inside_vlan_tag, DROPS(MALFORMED)},
    {"ethernet_ending_at_its_ether_type_is_malformed", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = cut_after_ether_type, DROPS(MALFORMED)},

    /* Row: bytes past the IP total length (Ethernet padding) → ignored: normal verdict */
    {"ethernet_padding_past_ipv4_keeps_verdict", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.pad = 6 /* 54 → 60, the Ethernet minimum */,
     RULE_PASSES(TCP, 443, "Internal Clients")},
    {"ethernet_padding_past_ipv6_keeps_verdict", SITE_DEFAULTS, SYN(QUARANTINED6, VIP6, 443),
     .packet.pad = 26, RULE_DROPS(TCP, 443, QUARANTINED6)},
    {"ethernet_padding_past_udp_keeps_verdict", SITE_DEFAULTS, UDP_TO(CLIENT4, DIRECTOR4, 40001, 2),
     .packet.pad = 16, RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients")},
    /* The TCP header must lie inside the IP packet: bytes in the padding do not complete it. */
    {"padding_does_not_complete_a_cut_tcp_header", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.edit = total_length_30, DROPS(MALFORMED)},

    /* Parsing that must not change a verdict: 1 and 2 VLAN tags (802.1Q, 802.1ad), IPv4
     * options, IPv6 extension headers (hop-by-hop, routing, destination options, AH). */
    {"one_vlan_tag_keeps_verdict", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.vlan = {ETH_P_8021Q}, RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, SYN(QUARANTINED6, VIP6, 443), .packet.vlan = {ETH_P_8021Q},
	   RULE_DROPS(TCP, 443, QUARANTINED6)})},
    {"two_vlan_tags_8021ad_8021q_keep_verdict", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.vlan = {ETH_P_8021AD, ETH_P_8021Q}, RULE_PASSES(TCP, 443, "Internal Clients"),
     THEN({SITE_DEFAULTS, SYN(QUARANTINED4, VIP4, 443), .packet.vlan = {ETH_P_8021AD, ETH_P_8021Q},
	   RULE_DROPS(TCP, 443, QUARANTINED4)})},
    {"two_8021q_tags_keep_verdict", SITE_DEFAULTS, SYN(EDGE4, DIRECTOR4, 5061),
     .packet.vlan = {ETH_P_8021Q, ETH_P_8021Q},
     RULE_PASSES(TCP, 5061, "Edge Server internal interface")},
    {"vlan_tag_keeps_not_local_verdict", SITE_OTHER_DROP, SYN(CLIENT4, ELSEWHERE4, 443),
     .packet.vlan = {ETH_P_8021AD, ETH_P_8021Q}, DROPS(NOT_LOCAL)},
    {"ipv4_options_keep_verdict", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     .packet.ipv4_option_words = 1, RULE_PASSES(TCP, 443, "Internal Clients")},
    {"longest_ipv4_options_keep_verdict", SITE_DEFAULTS, SYN(QUARANTINED4, VIP4, 443),
     .packet.ipv4_option_words = 10 /* IHL 15 */, RULE_DROPS(TCP, 443, QUARANTINED4)},
    {"ipv6_extension_headers_keep_verdict", SITE_DEFAULTS, SYN(CLIENT6, VIP6, 443),
     .packet.ext = {{IPPROTO_HOPOPTS, 8},
		    {IPPROTO_DSTOPTS, 16},
		    {IPPROTO_ROUTING, 24},
		    {IPPROTO_AH, 16},
		    {IPPROTO_DSTOPTS, 8}},
     RULE_PASSES(TCP, 443, "Internal Clients")},
    {"ipv6_extension_headers_keep_deny_verdict", SITE_DEFAULTS, SYN(QUARANTINED6, VIP6, 443),
     .packet.ext = {{IPPROTO_HOPOPTS, 8}, {IPPROTO_AH, 16}}, RULE_DROPS(TCP, 443, QUARANTINED6)},
    {"ipv6_extension_headers_before_icmpv6_keep_essential_verdict", SITE_OTHER_DROP,
     .packet.source = OUTSIDER6, .packet.destination = ELSEWHERE6, .packet.upper = UPPER_ICMP,
     .packet.icmp_type = ICMPV6_PKT_TOOBIG, .packet.payload = 40,
     .packet.ext = {{IPPROTO_DSTOPTS, 8}}, PASSES(ICMP)},

    /* Jumbo frames: the program is frags-aware and parses within the first buffer. A frame
     * longer than a page reaches it in several buffers (BPF_PROG_TEST_RUN splits it the same
     * way): its verdict and its byte count are those of the whole frame. */
    {"jumbo_frame_keeps_verdict_v4", SITE_DEFAULTS,
     TCP_PACKET(CLIENT4, EPHEMERAL_PORT, VIP4, 443, TH_ACK | TH_PSH),
     .packet.payload = JUMBO_PAYLOAD, RULE_PASSES(TCP, 443, "Internal Clients")},
    {"jumbo_frame_keeps_verdict_v6", SITE_DEFAULTS,
     UDP_TO(CLIENT6, DIRECTOR6, 40005, JUMBO_PAYLOAD),
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients")},
    {"jumbo_frame_of_denied_source_is_denied", SITE_DEFAULTS,
     TCP_PACKET(QUARANTINED4, EPHEMERAL_PORT, VIP4, 443, TH_ACK | TH_PSH),
     .packet.payload = JUMBO_PAYLOAD, RULE_DROPS(TCP, 443, QUARANTINED4)},

    /* Row: headers past the first buffer of a multi-buffer frame. The IP header is read in
     * the first buffer; a TCP, UDP or ICMP header that runs into the next is read from a copy
     * (bpf_xdp_load_bytes) and decided as if it were whole in the first. One the IP packet
     * does not hold whole stays malformed. */
    {"tcp_header_across_two_buffers_keeps_verdict_v4", SITE_DEFAULTS, SYN(CLIENT4, VIP4, 443),
     SPLIT_IN_UPPER(10), RULE_PASSES(TCP, 443, "Internal Clients")},
    {"tcp_header_across_two_buffers_to_closed_port_is_default_v4", SITE_DEFAULTS,
     SYN(CLIENT4, VIP4, 5555), SPLIT_IN_UPPER(10), DROPS(DEFAULT)},
    {"tcp_header_across_two_buffers_of_denied_source_is_denied_v6", SITE_DEFAULTS,
     SYN(QUARANTINED6, VIP6, 443), SPLIT_IN_UPPER(13), RULE_DROPS(TCP, 443, QUARANTINED6)},
    {"tcp_header_wholly_in_second_buffer_keeps_verdict_v6", SITE_DEFAULTS,
     SYN(CLIENT6, VIP6, 443), .packet.payload = 100, SPLIT_IN_UPPER(0),
     RULE_PASSES(TCP, 443, "Internal Clients")},
    {"udp_header_across_two_buffers_keeps_verdict_v4", SITE_DEFAULTS,
     UDP_TO(CLIENT4, DIRECTOR4, 40005, 20), SPLIT_IN_UPPER(4),
     RULE_PASSES(UDP, UDP_RANGE_FIRST, "Internal Clients")},
    {"icmp_type_in_second_buffer_keeps_essential_verdict_v6", SITE_OTHER_DROP,
     ICMP_PACKET(OUTSIDER6, ELSEWHERE6, ICMPV6_PKT_TOOBIG, 0, 64), SPLIT_IN_UPPER(0),
     PASSES(ICMP)},
    {"tcp_header_cut_short_across_two_buffers_is_malformed_v4", SITE_DEFAULTS,
     SYN(CLIENT4, VIP4, 443), .packet.edit = cut_inside_tcp_header, SPLIT_IN_UPPER(10),
     DROPS(MALFORMED)},
    {"tcp_doff_past_the_packet_across_two_buffers_is_malformed_v4", SITE_DEFAULTS,
     SYN(CLIENT4, VIP4, 443), .packet.edit = tcp_doff_15, SPLIT_IN_UPPER(10), DROPS(MALFORMED)},

    /* Audit mode (--audit): every drop becomes pass and is counted as would-drop */
    {"audit_passes_a_default_drop_and_counts_would_drop", SITE_AUDIT, SYN(OUTSIDER4, VIP4, 443),
     WOULD_DROP(DEFAULT)},
    {"audit_passes_a_deny_row_and_counts_would_drop_on_it", SITE_AUDIT,
     SYN(QUARANTINED6, VIP6, 443), RULE_WOULD_DROP(TCP, 443, QUARANTINED6)},
    {"audit_passes_a_malformed_packet_and_counts_would_drop", SITE_AUDIT, SYN(CLIENT4, VIP4, 443),
     .packet.edit = tcp_doff_2, WOULD_DROP(MALFORMED)},
    {"audit_passes_an_unknown_fragment_and_counts_would_drop", SITE_AUDIT,
     TCP_FRAGMENT(CLIENT6, VIP6, 443, 1456, LAST, 100), WOULD_DROP(FRAGMENT)},
    {"audit_does_not_count_would_drop_for_an_admitted_packet", SITE_AUDIT,
     SYN(CLIENT4, VIP4, 443), RULE_PASSES(TCP, 443, "Internal Clients")},
};

/* ---- the runner ------------------------------------------------------------------------- */

static void open_host_flow(enum variant variant, const struct host_flow *flow)
{
	struct xpf_flow_key key = host_flow_key(flow->protocol, flow->local, flow->local_port,
						flow->remote, flow->remote_port);
	struct xpf_flow_value value = {.state = flow->state};
	struct timespec now;

	/* bpf_ktime_get_coarse_ns() is CLOCK_MONOTONIC_COARSE */
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC_COARSE, &now), 0);
	value.last_seen_ns = (uint64_t)((int64_t)now.tv_sec * 1000000000ll + now.tv_nsec -
					flow->idle_ms * 1000000ll);
	assert_int_equal(bpf_map_update_elem(fx.sites[variant].filter.map_fds[XPF_MAP_FLOWS], &key,
					     &value, BPF_ANY),
			 0);
	open_reply_hint(&fx.sites[variant].filter, &key, value.last_seen_ns);
}

/* One case: its flow opened, then each of its packets built, run and held to its
 * expectations. Its fragments are of two datagrams of its own. */
static void run_case(void **state)
{
	const struct verdict_case *c = *state;
	const uint32_t datagram_ids[2] = {next_fragment_id, next_fragment_id + 1};
	struct frame f;

	next_fragment_id += 2;
	if (c->flow)
		open_host_flow(c->site, c->flow);
	build_packet(&f, &c->packet, datagram_ids);
	expect_verdict(c->site, &f, &c->expect, c->then_count ? "packet 1: " : "");
	for (size_t i = 0; i < c->then_count; i++) {
		const struct step *step = &c->then[i];
		char which[32];

		snprintf(which, sizeof(which), "packet %zu: ", i + 2);
		build_packet(&f, &step->packet, datagram_ids);
		expect_verdict(step->site, &f, &step->expect, which);
	}
}

int main(void)
{
	static struct CMUnitTest tests[ARRAY_SIZE(cases)];
	size_t packets = 0;
	int failed = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		tests[i] = (struct CMUnitTest){
		    .name = cases[i].name,
		    .test_func = run_case,
		    .initial_state = (void *)&cases[i],
		};
		packets += 1 + cases[i].then_count;
	}
	printf("test_verdicts: %zu cases (%zu packets), each run in %d layouts on %d paths\n",
	       ARRAY_SIZE(cases), packets, LAYOUT_COUNT, PATH_COUNT);
	for (int path = PATH_FAST; path < PATH_COUNT; path++) {
		fixture_set_path(path);
		printf("test_verdicts: the program's %s\n", program_path_names[path]);
		for (layout = LAYOUT_SPANS; layout < LAYOUT_COUNT; layout++) {
			failed += _cmocka_run_group_tests(layout_names[layout], tests,
							  ARRAY_SIZE(tests), group_setup,
							  group_teardown);
			if (fx.setup_failed) {
				fprintf(stderr,
					"test_verdicts: FAILED: the fixture could not be set up\n");
				return 1;
			}
		}
	}
	return failed ? 1 : 0;
}
