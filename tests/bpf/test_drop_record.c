/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the program's exit leaves besides the counters, through BPF_PROG_TEST_RUN on the real
 * program: the denied record (per destination port, per source /24 or /64; drops only), the
 * drop log (ring buffer events and their fields; the token bucket of `log rate N/s`), and the
 * answer to `xpf explain` (its variant of the program, in the XDP metadata; nothing counted,
 * nothing remembered; the attached program answers no look-alike request). Needs
 * root: when the program cannot be loaded the run fails, it never skips.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "kernel/explain.h"
#include "core/probe.h"
#include "core/stats.h"

#include "fixture.h"

#define RULE_CAPACITY 1024
#define DIRECTOR4 "192.0.2.101"
#define DIRECTOR6 "2001:db8:1::101"
#define CLIENT4 "198.51.100.7"
#define CLIENT4_SAME_24 "198.51.100.200"
#define OUTSIDER4 "203.0.113.9"
#define CLIENT6 "2001:db8:100::7"
#define CLIENT6_SAME_64 "2001:db8:100::ffff:1"
#define CLIENT6_OTHER_64 "2001:db8:100:1::7"
#define QUARANTINED4 "198.51.100.66"
#define ELSEWHERE4 "192.0.2.77"
#define CLOSED_PORT 5555
#define ALLOWED_PORT 5061	/* Edge Server internal interface -> Director */
#define EDGE4 "192.0.2.50"

static const char site_text[] =
	"table  lync2013-director-dns-hlb\n"
	"local  Director, Director Hardware Load Balancer VIP\n"
	"role   Director = " DIRECTOR4 ", " DIRECTOR6 "\n"
	"role   Director Hardware Load Balancer VIP = 192.0.2.100, 2001:db8:1::100\n"
	"role   Reverse proxy internal interface = 192.0.2.10\n"
	"role   Internal Clients = 198.51.100.0/24, 2001:db8:100::/48\n"
	"role   Edge Server internal interface = " EDGE4 "\n"
	"role   Front End pool or Front End Server = 192.0.2.20/30\n"
	"deny   HTTPS/TCP 5062 | " QUARANTINED4 " | Director | quarantined\n";

enum variant {
	LOG_DEFAULT,	/* no `log` line: 100 a second */
	LOG_FIVE,	/* log rate 5/s */
	LOG_OFF,	/* log rate 0/s */
	AUDIT,		/* --audit */
	VARIANT_COUNT,
};

static const struct {
	const char *extra;
	bool audit;
} variants[VARIANT_COUNT] = {
	[LOG_DEFAULT] = { "" },
	[LOG_FIVE] = { "log rate 5/s\n" },
	[LOG_OFF] = { "log rate 0/s\n" },
	[AUDIT] = { "", true },
};

struct loaded {
	struct site_program program;
	struct ring_buffer *ring;
};

static struct {
	struct loaded sites[VARIANT_COUNT];
	char dir[64];
	int ncpus;
} fx;

/* ---- fixture ------------------------------------------------------------------------------ */

struct events {
	struct xpf_log_event last;
	int count;
};

static struct events *collecting;

static int on_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (collecting && size >= sizeof(collecting->last)) {
		memcpy(&collecting->last, data, sizeof(collecting->last));
		collecting->count++;
	}
	return 0;
}

static int load(enum variant v)
{
	struct loaded *site = &fx.sites[v];
	char name[16];
	int ret;

	snprintf(name, sizeof(name), "%d.site", v);
	ret = site_program_open(&site->program, fx.dir, name, site_text, variants[v].extra,
				&(struct site_options){ .rule_ids = RULE_CAPACITY,
							.audit = variants[v].audit });
	if (ret)
		return ret;
	site->ring = ring_buffer__new(site->program.filter.map_fds[XPF_MAP_DROP_LOG], on_event,
				      NULL, NULL);
	return site->ring ? 0 : -errno;
}

static int teardown(void **state)
{
	(void)state;
	for (int v = 0; v < VARIANT_COUNT; v++) {
		ring_buffer__free(fx.sites[v].ring);
		fx.sites[v].ring = NULL;
		site_program_close(&fx.sites[v].program);
	}
	if (fx.dir[0])
		rmdir(fx.dir);
	return 0;
}

static int setup(void **state)
{
	fx.ncpus = libbpf_num_possible_cpus();
	snprintf(fx.dir, sizeof(fx.dir), "/tmp/xpf-test-drop-record.XXXXXX");
	if (fx.ncpus < 0 || !mkdtemp(fx.dir)) {
		fx.dir[0] = '\0';
		return -1;
	}
	for (int v = 0; v < VARIANT_COUNT; v++) {
		if (load(v)) {
			teardown(state);
			return -1;
		}
	}
	return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static struct xpf_filter *filter(enum variant v)
{
	return &fx.sites[v].program.filter;
}

/* Runs @f @repeat times; returns the XDP action. */
static int run(enum variant v, const struct frame *f, uint32_t repeat)
{
	return run_frame(filter(v)->prog_fd, f, repeat);
}

/* Summed over CPUs; 0 packets when the key is not there. */
static struct xpf_denied_counter denied(enum variant v, enum xpf_map map, const void *key)
{
	struct xpf_denied_counter values[fx.ncpus], sum = {};

	if (bpf_map_lookup_elem(filter(v)->map_fds[map], key, values))
		return sum;
	for (int cpu = 0; cpu < fx.ncpus; cpu++) {
		sum.packets += values[cpu].packets;
		sum.bytes += values[cpu].bytes;
	}
	return sum;
}

static struct xpf_denied_counter denied_port(enum variant v, uint8_t protocol, uint16_t port)
{
	struct xpf_denied_port_key key = { .port = port, .protocol = protocol };

	return denied(v, XPF_MAP_DENIED_PORTS, &key);
}

static struct xpf_denied_counter denied_source(enum variant v, const char *prefix_text)
{
	struct xpf_denied_source_key key = {};
	struct xpf_prefix prefix;
	const char *problem;

	assert_int_equal(xpf_prefix_parse(prefix_text, &prefix, &problem), 0);
	key.family = prefix.family;
	key.prefix_len = prefix.len;
	memcpy(key.prefix, prefix.addr, sizeof(key.prefix));
	return denied(v, XPF_MAP_DENIED_SOURCES, &key);
}

static struct xpf_denied_counter denied_flow(enum variant v, const char *source_prefix,
					      const char *destination, uint8_t protocol,
					      uint16_t port)
{
	struct xpf_denied_flow_key key = { .protocol = protocol, .port = port };
	struct xpf_prefix prefix, host;
	const char *problem;

	assert_int_equal(xpf_prefix_parse(source_prefix, &prefix, &problem), 0);
	assert_int_equal(xpf_prefix_parse(destination, &host, &problem), 0);
	key.family = prefix.family;
	key.prefix_len = prefix.len;
	memcpy(key.prefix, prefix.addr, sizeof(key.prefix));
	memcpy(key.destination, host.addr, sizeof(key.destination));
	return denied(v, XPF_MAP_DENIED_FLOWS, &key);
}

/* Packets in every entry of a denied map. */
static uint64_t denied_total(enum variant v, enum xpf_map map)
{
	int fd = filter(v)->map_fds[map];
	uint8_t key[16], next[16];
	void *previous = NULL;
	uint64_t total = 0;

	while (!bpf_map_get_next_key(fd, previous, next)) {
		struct xpf_denied_counter values[fx.ncpus];

		memcpy(key, next, sizeof(key));
		previous = key;
		if (bpf_map_lookup_elem(fd, key, values))
			continue;
		for (int cpu = 0; cpu < fx.ncpus; cpu++)
			total += values[cpu].packets;
	}
	return total;
}

static struct events drain(enum variant v)
{
	struct events events = {};

	collecting = &events;
	assert_true(ring_buffer__consume(fx.sites[v].ring) >= 0);
	collecting = NULL;
	return events;
}

/* Nothing left to read in @v's drop log, and its bucket full: earlier tests may have taken
 * its tokens, and a second refills it (the bucket holds one second of `log rate N/s`). */
static void log_afresh(enum variant v)
{
	drain(v);
	sleep(1);
}

static uint64_t all_reason_packets(enum variant v)
{
	uint64_t sum = 0;

	for (int r = 0; r < XPF_REASON_COUNT; r++)
		sum += reason_packets(filter(v), r);
	return sum;
}

/* ---- the denied record -------------------------------------------------------------------- */

static void default_drop_counted_by_port_and_source_24(void **state)
{
	struct xpf_denied_counter port_before, source_before, port_after, source_after;
	struct frame f;

	(void)state;
	port_before = denied_port(LOG_DEFAULT, IPPROTO_TCP, CLOSED_PORT);
	source_before = denied_source(LOG_DEFAULT, "198.51.100.0/24");
	frame_build_tcp(&f, CLIENT4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_DROP);
	frame_build_tcp(&f, CLIENT4_SAME_24, DIRECTOR4, 40001, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 2), XDP_DROP);
	port_after = denied_port(LOG_DEFAULT, IPPROTO_TCP, CLOSED_PORT);
	source_after = denied_source(LOG_DEFAULT, "198.51.100.0/24");
	assert_int_equal(port_after.packets - port_before.packets, 3);
	assert_int_equal(port_after.bytes - port_before.bytes, 3 * f.len);
	assert_int_equal(source_after.packets - source_before.packets, 3);
	drain(LOG_DEFAULT);
}

static void drop_counted_by_flow_for_suggest(void **state)
{
	struct xpf_denied_counter before, after, other_port_before, other_port_after;
	struct frame f;

	(void)state;
	before = denied_flow(LOG_DEFAULT, "198.51.100.0/24", DIRECTOR4, IPPROTO_TCP, CLOSED_PORT);
	other_port_before = denied_flow(LOG_DEFAULT, "198.51.100.0/24", DIRECTOR4, IPPROTO_TCP,
					CLOSED_PORT + 1);
	frame_build_tcp(&f, CLIENT4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 2), XDP_DROP);
	frame_build_tcp(&f, CLIENT4_SAME_24, DIRECTOR4, 40001, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 3), XDP_DROP);
	frame_build_tcp(&f, CLIENT4, DIRECTOR4, 40000, CLOSED_PORT + 1, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_DROP);
	after = denied_flow(LOG_DEFAULT, "198.51.100.0/24", DIRECTOR4, IPPROTO_TCP, CLOSED_PORT);
	other_port_after = denied_flow(LOG_DEFAULT, "198.51.100.0/24", DIRECTOR4, IPPROTO_TCP,
				       CLOSED_PORT + 1);
	assert_int_equal(after.packets - before.packets, 5);
	assert_int_equal(after.bytes - before.bytes, 5 * f.len);
	assert_int_equal(other_port_after.packets - other_port_before.packets, 1);
	drain(LOG_DEFAULT);
}

static void ipv6_sources_keyed_by_64(void **state)
{
	struct xpf_denied_counter same_before, other_before, same_after, other_after;
	struct frame f;

	(void)state;
	same_before = denied_source(LOG_DEFAULT, "2001:db8:100::/64");
	other_before = denied_source(LOG_DEFAULT, "2001:db8:100:1::/64");
	frame_build_tcp(&f, CLIENT6, DIRECTOR6, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_DROP);
	frame_build_tcp(&f, CLIENT6_SAME_64, DIRECTOR6, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_DROP);
	frame_build_tcp(&f, CLIENT6_OTHER_64, DIRECTOR6, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_DROP);
	same_after = denied_source(LOG_DEFAULT, "2001:db8:100::/64");
	other_after = denied_source(LOG_DEFAULT, "2001:db8:100:1::/64");
	assert_int_equal(same_after.packets - same_before.packets, 2);
	assert_int_equal(other_after.packets - other_before.packets, 1);
	drain(LOG_DEFAULT);
}

static void passes_are_not_recorded(void **state)
{
	uint64_t ports = denied_total(LOG_DEFAULT, XPF_MAP_DENIED_PORTS);
	uint64_t sources = denied_total(LOG_DEFAULT, XPF_MAP_DENIED_SOURCES);
	struct frame f;

	(void)state;
	/* a rule allows */
	frame_build_tcp(&f, EDGE4, DIRECTOR4, 40000, ALLOWED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 5), XDP_PASS);
	/* not local: policy other */
	frame_build_tcp(&f, CLIENT4, ELSEWHERE4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 5), XDP_PASS);
	assert_int_equal(denied_total(LOG_DEFAULT, XPF_MAP_DENIED_PORTS), ports);
	assert_int_equal(denied_total(LOG_DEFAULT, XPF_MAP_DENIED_SOURCES), sources);
	assert_int_equal(drain(LOG_DEFAULT).count, 0);
}

static void other_protocol_recorded_without_port(void **state)
{
	struct xpf_denied_counter before = denied_port(LOG_DEFAULT, 47, 0), after;
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_ipv4(&f, OUTSIDER4, DIRECTOR4);
	frame_protocol(&f, 47);
	frame_payload(&f, 16);
	frame_finish(&f);
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_DROP);
	after = denied_port(LOG_DEFAULT, 47, 0);
	assert_int_equal(after.packets - before.packets, 1);
	drain(LOG_DEFAULT);
}

/* ---- the drop log ------------------------------------------------------------------------- */

static void log_event_carries_the_packet_and_reason(void **state)
{
	struct in_addr source, dest;
	struct events events;
	struct frame f;

	(void)state;
	log_afresh(LOG_FIVE);
	frame_build_tcp(&f, CLIENT4, DIRECTOR4, 40123, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_FIVE, &f, 1), XDP_DROP);
	events = drain(LOG_FIVE);
	assert_int_equal(events.count, 1);
	inet_pton(AF_INET, CLIENT4, &source);
	inet_pton(AF_INET, DIRECTOR4, &dest);
	assert_int_equal(events.last.family, AF_INET);
	assert_int_equal(events.last.protocol, IPPROTO_TCP);
	assert_memory_equal(events.last.source, &source, 4);
	assert_memory_equal(events.last.destination, &dest, 4);
	assert_int_equal(events.last.source_port, 40123);
	assert_int_equal(events.last.dest_port, CLOSED_PORT);
	assert_int_equal(events.last.reason, XPF_REASON_DEFAULT);
	assert_int_equal(events.last.flags, XPF_LOG_HAS_PORTS);
	assert_int_equal(events.last.packet_bytes, f.len);
	assert_true(events.last.time_ns > 0);
}

static void log_event_names_the_deny_rule(void **state)
{
	struct xpf_explanation explained;
	struct events events;
	struct frame f;

	(void)state;
	log_afresh(LOG_DEFAULT);
	frame_build_tcp(&f, QUARANTINED4, DIRECTOR4, 40000, 5062, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_DROP);
	events = drain(LOG_DEFAULT);
	assert_int_equal(events.count, 1);
	assert_int_equal(events.last.reason, XPF_REASON_RULE);
	/* The same rule id as explain names for the same packet. */
	assert_int_equal(xpf_explain_run(filter(LOG_DEFAULT), f.data, f.len,
					 &explained), 0);
	assert_int_equal(explained.answer.rule_id, events.last.rule_id);
}

/* A burst of N + k drops in one go: the bucket holds N (one second of `log rate N/s`). */
static void burst_logs_at_most_the_bucket(void **state)
{
	struct events events;
	struct frame f;

	(void)state;
	log_afresh(LOG_FIVE);
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_FIVE, &f, 50), XDP_DROP);
	events = drain(LOG_FIVE);
	assert_int_equal(events.count, 5);
	/* Empty now: the next drops within the same 200 ms log nothing. */
	assert_int_equal(run(LOG_FIVE, &f, 20), XDP_DROP);
	assert_int_equal(drain(LOG_FIVE).count, 0);
}

static void burst_at_default_rate_logs_100(void **state)
{
	struct events events;
	struct frame f;

	(void)state;
	log_afresh(LOG_DEFAULT);
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_DEFAULT, &f, 1000), XDP_DROP);
	events = drain(LOG_DEFAULT);
	/* One more token may come in while the 1000 runs last (one every 10 ms). */
	assert_in_range(events.count, 100, 101);
}

static void bucket_refills_at_the_rate(void **state)
{
	struct frame f;

	(void)state;
	log_afresh(LOG_FIVE);
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	run(LOG_FIVE, &f, 50);
	assert_int_equal(drain(LOG_FIVE).count, 5);
	usleep(450 * 1000);	/* 5/s: two tokens in 400 ms, a third at 600 ms */
	run(LOG_FIVE, &f, 50);
	assert_int_equal(drain(LOG_FIVE).count, 2);
}

static void log_rate_zero_logs_nothing_but_records(void **state)
{
	struct xpf_denied_counter before = denied_port(LOG_OFF, IPPROTO_TCP, CLOSED_PORT), after;
	struct frame f;

	(void)state;
	drain(LOG_OFF);
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_OFF, &f, 10), XDP_DROP);
	assert_int_equal(drain(LOG_OFF).count, 0);
	after = denied_port(LOG_OFF, IPPROTO_TCP, CLOSED_PORT);
	assert_int_equal(after.packets - before.packets, 10);
}

/* Packets of the denied record counted by sampling, all CPUs (bpf/record.h). */
static uint64_t estimated_drops(enum variant v)
{
	struct xpf_denied_sampler values[fx.ncpus];
	uint32_t zero = 0;
	uint64_t sum = 0;

	assert_int_equal(bpf_map_lookup_elem(filter(v)->map_fds[XPF_MAP_DENIED_SAMPLER],
					     &zero, values), 0);
	for (int cpu = 0; cpu < fx.ncpus; cpu++)
		sum += values[cpu].estimated_drops;
	return sum;
}

/* A flood is recorded 1 drop in XPF_DENIED_SAMPLE_EVERY past the first drops of each window:
 * the counts are an estimate close to the truth, and the sampler says how many packets it
 * estimated. (The few drops of the tests above were counted exactly.) */
static void flood_is_sampled_and_says_so(void **state)
{
	const uint32_t flood = 50000;
	struct xpf_denied_counter before = denied_port(LOG_OFF, IPPROTO_TCP, CLOSED_PORT), after;
	struct xpf_denied_counter source_before = denied_source(LOG_OFF, "203.0.113.0/24");
	struct xpf_denied_counter source_after;
	uint64_t estimated_before = estimated_drops(LOG_OFF), estimated, counted;
	uint64_t reason_before = reason_packets(filter(LOG_OFF), XPF_REASON_DEFAULT);
	struct frame f;

	(void)state;
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(LOG_OFF, &f, flood), XDP_DROP);
	after = denied_port(LOG_OFF, IPPROTO_TCP, CLOSED_PORT);
	source_after = denied_source(LOG_OFF, "203.0.113.0/24");
	counted = after.packets - before.packets;
	estimated = estimated_drops(LOG_OFF) - estimated_before;
	/* A run of 50,000 drops spans a few windows of 4 ms; each may be off by less than one
	 * sample, and each begins with up to 256 exact counts. */
	assert_true(estimated > 0);
	assert_true(estimated <= counted);
	assert_int_equal(estimated % XPF_DENIED_SAMPLE_EVERY, 0);
	assert_true(counted > flood - flood / 20 && counted < flood + flood / 20);
	assert_int_equal(after.bytes - before.bytes, counted * f.len);
	assert_int_equal(source_after.packets - source_before.packets, counted);
	/* The counters stay exact: only the denied record samples. */
	assert_int_equal(reason_packets(filter(LOG_OFF), XPF_REASON_DEFAULT) - reason_before,
			 flood);
}

static void audit_logs_and_records_would_drops(void **state)
{
	struct xpf_denied_counter before = denied_port(AUDIT, IPPROTO_TCP, CLOSED_PORT), after;
	struct events events;
	struct frame f;

	(void)state;
	drain(AUDIT);
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run(AUDIT, &f, 1), XDP_PASS);
	events = drain(AUDIT);
	assert_int_equal(events.count, 1);
	assert_int_equal(events.last.flags, XPF_LOG_HAS_PORTS | XPF_LOG_WOULD_DROP);
	after = denied_port(AUDIT, IPPROTO_TCP, CLOSED_PORT);
	assert_int_equal(after.packets - before.packets, 1);
}

/* ---- explain ------------------------------------------------------------------------------ */

static void explain_answers_without_counting(void **state)
{
	uint64_t counted = all_reason_packets(LOG_DEFAULT);
	uint64_t ports = denied_total(LOG_DEFAULT, XPF_MAP_DENIED_PORTS);
	struct xpf_explanation explained;
	struct frame f;

	(void)state;
	log_afresh(LOG_DEFAULT);
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(xpf_explain_run(filter(LOG_DEFAULT), f.data, f.len,
					 &explained), 0);
	assert_int_equal(explained.xdp_action, XDP_DROP);
	assert_int_equal(explained.answer.flags, XPF_EXPLAIN_DECIDED);
	assert_int_equal(explained.answer.action, XPF_ACTION_DROP);
	assert_int_equal(explained.answer.reason, XPF_REASON_DEFAULT);
	assert_int_equal(all_reason_packets(LOG_DEFAULT), counted);
	assert_int_equal(denied_total(LOG_DEFAULT, XPF_MAP_DENIED_PORTS), ports);
	assert_int_equal(drain(LOG_DEFAULT).count, 0);
}

static void explain_names_the_allowing_rule(void **state)
{
	uint64_t counted = all_reason_packets(LOG_DEFAULT), before;
	struct xpf_explanation explained;
	struct frame f;

	(void)state;
	frame_build_tcp(&f, EDGE4, DIRECTOR4, 40000, ALLOWED_PORT, TH_SYN);
	assert_int_equal(xpf_explain_run(filter(LOG_DEFAULT), f.data, f.len,
					 &explained), 0);
	assert_int_equal(explained.xdp_action, XDP_PASS);
	assert_int_equal(explained.answer.reason, XPF_REASON_RULE);
	assert_int_equal(explained.answer.action, XPF_ACTION_PASS);
	assert_int_equal(all_reason_packets(LOG_DEFAULT), counted);
	/* The rule id is the one the real run counts on. */
	before = rule_counter(filter(LOG_DEFAULT), explained.answer.rule_id).packets;
	assert_int_equal(run(LOG_DEFAULT, &f, 1), XDP_PASS);
	assert_int_equal(rule_counter(filter(LOG_DEFAULT), explained.answer.rule_id).packets,
			 before + 1);
}

static void explain_in_audit_says_would_drop(void **state)
{
	struct xpf_explanation explained;
	struct frame f;

	(void)state;
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(xpf_explain_run(filter(AUDIT), f.data, f.len, &explained), 0);
	assert_int_equal(explained.xdp_action, XDP_PASS);
	assert_int_equal(explained.answer.flags, XPF_EXPLAIN_DECIDED | XPF_EXPLAIN_WOULD_DROP);
	assert_int_equal(explained.answer.action, XPF_ACTION_PASS);
	assert_int_equal(explained.answer.reason, XPF_REASON_DEFAULT);
}

/* An explained first fragment is not remembered: its later fragment still has no first. */
static void explained_first_fragment_leaves_nothing_behind(void **state)
{
	struct xpf_probe probe = {
		.protocol = IPPROTO_TCP, .source_port = 40000, .dest_port = ALLOWED_PORT,
		.fragment = XPF_PROBE_FIRST_FRAGMENT,
	};
	struct xpf_explanation first, later;
	uint8_t frame[XPF_PROBE_MAX_BYTES];
	const char *problem;
	size_t length;

	(void)state;
	assert_int_equal(xpf_prefix_parse(EDGE4, &probe.source, &problem), 0);
	assert_int_equal(xpf_prefix_parse(DIRECTOR4, &probe.destination, &problem), 0);
	length = xpf_probe_build(&probe, frame, sizeof(frame));
	assert_int_equal(xpf_explain_run(filter(LOG_DEFAULT), frame, length, &first), 0);
	assert_int_equal(first.answer.reason, XPF_REASON_RULE);
	probe.fragment = XPF_PROBE_LATER_FRAGMENT;
	length = xpf_probe_build(&probe, frame, sizeof(frame));
	assert_int_equal(xpf_explain_run(filter(LOG_DEFAULT), frame, length, &later), 0);
	assert_int_equal(later.answer.reason, XPF_REASON_FRAGMENT);
	assert_int_equal(later.answer.action, XPF_ACTION_DROP);

	/* Contrast: the first fragment really received is remembered, and explain then says
	 * the later one passes. */
	probe.fragment = XPF_PROBE_FIRST_FRAGMENT;
	length = xpf_probe_build(&probe, frame, sizeof(frame));
	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = length,
			    .repeat = 1);

		assert_int_equal(bpf_prog_test_run_opts(filter(LOG_DEFAULT)->prog_fd,
							&opts), 0);
		assert_int_equal(opts.retval, XDP_PASS);
	}
	probe.fragment = XPF_PROBE_LATER_FRAGMENT;
	length = xpf_probe_build(&probe, frame, sizeof(frame));
	assert_int_equal(xpf_explain_run(filter(LOG_DEFAULT), frame, length, &later), 0);
	assert_int_equal(later.answer.reason, XPF_REASON_FRAGMENT);
	assert_int_equal(later.answer.action, XPF_ACTION_PASS);
}

/* Runs @f through the attached program (not the explain variant) behind XDP metadata that
 * looks like a request of `xpf explain`, as another XDP program before xpf could leave it;
 * returns the XDP action, the metadata as the run handed it back in @back. */
static int run_behind_lookalike(enum variant v, const struct frame *f, struct xpf_explain *back)
{
	struct xpf_explain request = { .magic = XPF_EXPLAIN_MAGIC };
	uint8_t in[sizeof(request) + sizeof(f->data)], out[sizeof(in)] = {};
	struct xdp_md ctx = { .data = sizeof(request), .data_end = sizeof(request) + f->len };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = sizeof(request) + f->len,
		    .data_out = out, .data_size_out = sizeof(out), .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1);

	memcpy(in, &request, sizeof(request));
	memcpy(in + sizeof(request), f->data, f->len);
	assert_int_equal(bpf_prog_test_run_opts(filter(v)->prog_fd, &opts), 0);
	assert_true(opts.data_size_out >= sizeof(*back));
	memcpy(back, out, sizeof(*back));
	return opts.retval;
}

/* Only the explain variant answers a request: the attached program counts a packet behind
 * look-alike metadata like any other, and leaves the metadata as it found it. */
static void lookalike_request_is_counted_not_answered(void **state)
{
	uint64_t defaults = reason_packets(filter(LOG_DEFAULT), XPF_REASON_DEFAULT);
	struct xpf_denied_counter ports = denied_port(LOG_DEFAULT, IPPROTO_TCP, CLOSED_PORT);
	struct xpf_explanation explained;
	struct xpf_explain back;
	uint64_t ruled;
	struct frame f;

	(void)state;
	log_afresh(LOG_DEFAULT);
	frame_build_tcp(&f, OUTSIDER4, DIRECTOR4, 40000, CLOSED_PORT, TH_SYN);
	assert_int_equal(run_behind_lookalike(LOG_DEFAULT, &f, &back), XDP_DROP);
	assert_true(back.magic == XPF_EXPLAIN_MAGIC);
	assert_int_equal(back.flags, 0);
	assert_int_equal(back.reason, 0);
	assert_int_equal(reason_packets(filter(LOG_DEFAULT), XPF_REASON_DEFAULT), defaults + 1);
	assert_int_equal(denied_port(LOG_DEFAULT, IPPROTO_TCP, CLOSED_PORT).packets,
			 ports.packets + 1);
	assert_int_equal(drain(LOG_DEFAULT).count, 1);

	frame_build_tcp(&f, EDGE4, DIRECTOR4, 40000, ALLOWED_PORT, TH_SYN);
	assert_int_equal(xpf_explain_run(filter(LOG_DEFAULT), f.data, f.len, &explained), 0);
	assert_int_equal(explained.answer.reason, XPF_REASON_RULE);
	ruled = rule_counter(filter(LOG_DEFAULT), explained.answer.rule_id).packets;
	assert_int_equal(run_behind_lookalike(LOG_DEFAULT, &f, &back), XDP_PASS);
	assert_int_equal(back.flags, 0);
	assert_int_equal(rule_counter(filter(LOG_DEFAULT), explained.answer.rule_id).packets,
			 ruled + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_drop_counted_by_port_and_source_24),
		cmocka_unit_test(drop_counted_by_flow_for_suggest),
		cmocka_unit_test(ipv6_sources_keyed_by_64),
		cmocka_unit_test(passes_are_not_recorded),
		cmocka_unit_test(other_protocol_recorded_without_port),
		cmocka_unit_test(log_event_carries_the_packet_and_reason),
		cmocka_unit_test(log_event_names_the_deny_rule),
		cmocka_unit_test(burst_logs_at_most_the_bucket),
		cmocka_unit_test(burst_at_default_rate_logs_100),
		cmocka_unit_test(bucket_refills_at_the_rate),
		cmocka_unit_test(log_rate_zero_logs_nothing_but_records),
		cmocka_unit_test(audit_logs_and_records_would_drops),
		cmocka_unit_test(explain_answers_without_counting),
		cmocka_unit_test(explain_names_the_allowing_rule),
		cmocka_unit_test(explain_in_audit_says_would_drop),
		cmocka_unit_test(explained_first_fragment_leaves_nothing_behind),
		cmocka_unit_test(lookalike_request_is_counted_not_answered),
		cmocka_unit_test(flood_is_sampled_and_says_so),
	};

	int failed = 0;

	/* Every verdict on both of the program's paths (fixture.h). */
	for (int path = PATH_FAST; path < PATH_COUNT; path++) {
		fixture_set_path(path);
		failed += _cmocka_run_group_tests(program_path_names[path], tests,
						  sizeof(tests) / sizeof(tests[0]), setup,
						  teardown);
	}
	return failed ? 1 : 0;
}
