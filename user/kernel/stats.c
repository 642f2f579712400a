// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/config.h"
#include "kernel/flows.h"
#include "kernel/map_batch.h"
#include "kernel/stats.h"

static const char *const reason_names[XPF_REASON_COUNT] = {
	[XPF_REASON_RULE] = "rule",
	[XPF_REASON_NON_IP] = "non_ip",
	[XPF_REASON_ICMP] = "icmp",
	[XPF_REASON_NOT_LOCAL] = "not_local",
	[XPF_REASON_DEFAULT] = "default",
	[XPF_REASON_REPLY] = "reply",
	[XPF_REASON_OTHER_PROTO] = "other_proto",
	[XPF_REASON_FRAGMENT] = "fragment",
	[XPF_REASON_MALFORMED] = "malformed",
	[XPF_REASON_UNCONFIGURED] = "unconfigured",
};

const char *xpf_reason_name(unsigned int reason)
{
	return reason < XPF_REASON_COUNT ? reason_names[reason] : "unknown";
}

const char *xpf_protocols_name(uint8_t protocols)
{
	switch (protocols & (XPF_PROTO_TCP | XPF_PROTO_UDP)) {
	case XPF_PROTO_TCP:
		return "tcp";
	case XPF_PROTO_UDP:
		return "udp";
	default:
		return "tcp+udp";
	}
}

const char *xpf_direction_name(uint8_t direction)
{
	switch (direction) {
	case XPF_DIRECTION_INGRESS:
		return "ingress";
	case XPF_DIRECTION_OUTBOUND:
		return "outbound";
	default:
		return "not-for-host";
	}
}

/* Per-CPU values summed; last_seen is the latest of the CPUs'. */
void xpf_counter_add(struct xpf_counter *to, const struct xpf_counter *from)
{
	to->packets += from->packets;
	to->bytes += from->bytes;
	to->would_drop += from->would_drop;
	if (from->last_seen_ns > to->last_seen_ns)
		to->last_seen_ns = from->last_seen_ns;
}

int xpf_reasons_read(int fd, int ncpus, struct xpf_counter sums[XPF_REASON_COUNT])
{
	struct xpf_cpu_state *states = calloc(ncpus, sizeof(*states));
	uint32_t zero = 0;

	memset(sums, 0, XPF_REASON_COUNT * sizeof(*sums));
	if (!states)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &zero, states)) {
		free(states);
		return -errno;
	}
	for (int cpu = 0; cpu < ncpus; cpu++)
		for (int reason = 0; reason < XPF_REASON_COUNT; reason++)
			xpf_counter_add(&sums[reason], &states[cpu].reasons[reason]);
	free(states);
	return 0;
}

struct rule_info_read {
	struct xpf_stats *stats;
	uint32_t first_id;
	size_t found;
};

/* The batch's rule_info entries of the generation in force, into their rules. */
static int take_rule_infos(int fd, struct xpf_map_batch *batch, void *arg)
{
	struct rule_info_read *read = arg;

	(void)fd;
	for (uint32_t i = 0; i < batch->count; i++) {
		uint32_t id;

		memcpy(&id, batch->keys + (size_t)i * batch->key_size, sizeof(id));
		if (id - read->first_id >= read->stats->rule_count)
			continue;
		memcpy(&read->stats->rules[id - read->first_id].info,
		       batch->values + (size_t)i * batch->value_size, sizeof(struct xpf_rule_info));
		read->found++;
	}
	return 0;
}

/* Every rule's metadata in one batched walk of rule_info (both generations' entries pass by;
 * a rule set of 100,000 rules is tens of bpf() calls, not one a rule). */
static int read_rule_infos(const struct xpf_filter *filter, struct xpf_stats *stats,
			   uint32_t first_id)
{
	struct rule_info_read read = { stats, first_id, 0 };
	int err = xpf_map_walk(filter->map_fds[XPF_MAP_RULE_INFO], take_rule_infos, &read);

	if (!err && read.found != stats->rule_count)
		err = -ENOENT;
	return err;
}

/* Adds rule @rule_id's counters of every CPU's block (@per_cpu: @ncpus blocks, as a per-CPU
 * lookup of rule_stats gives them) into @sum. */
static void rule_counter_sum(const struct xpf_counter_block *per_cpu, int ncpus,
			     uint32_t rule_id, struct xpf_counter *sum)
{
	for (int cpu = 0; cpu < ncpus; cpu++)
		xpf_counter_add(sum, &per_cpu[cpu].counters[rule_id % XPF_COUNTER_BLOCK]);
}

int xpf_rule_counter_read(int fd, uint32_t rule_id, int ncpus, struct xpf_counter_block *scratch,
			  struct xpf_counter *sum)
{
	uint32_t block = rule_id / XPF_COUNTER_BLOCK;

	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(fd, &block, scratch))
		return -errno;
	rule_counter_sum(scratch, ncpus, rule_id, sum);
	return 0;
}

/* Per-CPU blocks of rule counters read at a time: 512 (256 KiB), so 256 blocks of 16 rules on
 * two CPUs and fewer on more, and as many rules' carried counts. */
#define BATCH_CPU_BLOCKS 512

int xpf_rule_totals_read(const struct xpf_filter *filter, uint32_t first_id, uint32_t count,
			 int ncpus, xpf_rule_totals_fn take, void *ctx)
{
	uint32_t batch_blocks, batch;
	struct xpf_counter_block *blocks;
	struct xpf_counter *totals;
	int err;

	if (ncpus < 1)
		return -EINVAL;
	batch_blocks = ncpus < BATCH_CPU_BLOCKS ? BATCH_CPU_BLOCKS / (uint32_t)ncpus : 1;
	batch = batch_blocks * XPF_COUNTER_BLOCK;
	blocks = calloc((size_t)batch_blocks * ncpus, sizeof(*blocks));
	totals = malloc(batch * sizeof(*totals));
	err = blocks && totals ? 0 : -ENOMEM;

	/* A generation's ids start on a block (XPF_COUNTER_BLOCK divides rule_id_span): a batch
	 * of rules is whole blocks. */
	for (uint32_t done = 0; done < count && !err; done += batch) {
		uint32_t n = count - done < batch ? count - done : batch;

		err = xpf_map_read_array(filter->map_fds[XPF_MAP_RULE_CARRIED], first_id + done,
					 totals, n) ?:
		      xpf_map_read_array(filter->map_fds[XPF_MAP_RULE_STATS],
					 (first_id + done) / XPF_COUNTER_BLOCK, blocks,
					 (n + XPF_COUNTER_BLOCK - 1) / XPF_COUNTER_BLOCK);
		for (uint32_t i = 0; i < n && !err; i++)
			rule_counter_sum(&blocks[(size_t)(i / XPF_COUNTER_BLOCK) * ncpus], ncpus,
					 first_id + done + i, &totals[i]);
		err = err ?: take(first_id + done, totals, n, ctx);
	}
	free(blocks);
	free(totals);
	return err;
}

/* xpf_rule_totals_read()'s batch into the rules of xpf_stats_read(). */
static int take_totals(uint32_t first, const struct xpf_counter *totals, uint32_t count,
		       void *ctx)
{
	struct xpf_stats *stats = ctx;
	uint32_t first_id = stats->generation * stats->meta.rule_id_span;

	for (uint32_t i = 0; i < count; i++) {
		stats->rules[first - first_id + i].id = first + i;
		stats->rules[first - first_id + i].counter = totals[i];
	}
	return 0;
}

int xpf_stats_read(const struct xpf_filter *filter, struct xpf_stats *stats)
{
	int ncpus = libbpf_num_possible_cpus(), err = 0;
	struct xpf_active active = {};
	struct timespec now;
	uint32_t zero = 0, first_id;

	memset(stats, 0, sizeof(*stats));
	if (ncpus < 0)
		return ncpus;
	snprintf(stats->ifname, sizeof(stats->ifname), "%s", filter->ifname);
	stats->mode = filter->mode;
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_ACTIVE], &zero, &active) ||
	    bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &stats->meta))
		return -errno;
	stats->generation = active.generation & 1;
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_CONFIG], &stats->generation,
				&stats->config))
		return -errno;
	clock_gettime(CLOCK_MONOTONIC, &now);
	stats->monotonic_now_ns = now.tv_sec * 1000000000ull + now.tv_nsec;

	stats->rule_count = stats->meta.rule_count[stats->generation];
	stats->rules = calloc(stats->rule_count ?: 1, sizeof(*stats->rules));
	if (!stats->rules) {
		xpf_stats_free(stats);
		return -ENOMEM;
	}
	first_id = stats->generation * stats->meta.rule_id_span;
	err = read_rule_infos(filter, stats, first_id) ?:
	      xpf_rule_totals_read(filter, first_id, (uint32_t)stats->rule_count, ncpus,
				   take_totals, stats);
	if (!err)
		err = xpf_reasons_read(filter->map_fds[XPF_MAP_REASON_STATS], ncpus,
				       stats->reasons);
	if (!err) {
		struct xpf_flow *flows;

		err = xpf_flows_read(filter, &flows, &stats->flows_tracked);
		if (!err)
			stats->flows_open = xpf_flows_open(flows, stats->flows_tracked);
		free(flows);
	}
	if (err)
		xpf_stats_free(stats);
	return err;
}

void xpf_stats_free(struct xpf_stats *stats)
{
	free(stats->rules);
	stats->rules = NULL;
	stats->rule_count = 0;
}

void xpf_format_ports(const struct xpf_rule_info *info, char *buf, size_t size)
{
	if (info->port_first == info->port_last)
		snprintf(buf, size, "%s/%u", xpf_protocols_name(info->protocols), info->port_first);
	else
		snprintf(buf, size, "%s/%u-%u", xpf_protocols_name(info->protocols),
			 info->port_first, info->port_last);
}

const struct xpf_origin_info *xpf_origin_of(const struct xpf_stats *stats, uint8_t origin)
{
	uint32_t count = stats->meta.origin_count[stats->generation];

	if (!origin || origin > count || origin > XPF_MAX_ORIGINS)
		return NULL;
	return &stats->meta.origins[stats->generation][origin - 1];
}

void xpf_format_origin(const struct xpf_stats *stats, const struct xpf_rule_info *info,
		       char *buf, size_t size)
{
	size_t used;

	if (!xpf_origin_of(stats, info->origins[0])) {
		snprintf(buf, size, "%s:%u", info->from_site ? "site" : "table", info->line);
		return;
	}
	used = (size_t)snprintf(buf, size, "t%u:%u", info->origins[0], info->line);
	for (int i = 1; i < XPF_RULE_ORIGINS && info->origins[i] && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, ",t%u", info->origins[i]);
}

static void format_last_hit(const struct xpf_stats *stats, uint64_t last_seen_ns, char *buf,
			    size_t size)
{
	uint64_t ago;

	if (!last_seen_ns) {
		snprintf(buf, size, "never");
		return;
	}
	/* bpf_ktime_get_coarse_ns() may run a tick ahead of clock_gettime(). */
	ago = stats->monotonic_now_ns > last_seen_ns ? stats->monotonic_now_ns - last_seen_ns : 0;
	snprintf(buf, size, "%llus ago", ago / 1000000000ull);
}

static void format_time(uint64_t realtime_ns, char *buf, size_t size)
{
	time_t seconds = realtime_ns / 1000000000ull;
	struct tm tm;

	localtime_r(&seconds, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Rows that share a protocol and port range, summed: the per-port view. */
struct port_total {
	uint8_t protocols;
	uint16_t port_first, port_last;
	uint64_t packets, bytes, would_drop;
};

static size_t totals_by_port(const struct xpf_stats *stats, struct port_total *totals)
{
	size_t count = 0;

	for (size_t i = 0; i < stats->rule_count; i++) {
		const struct xpf_rule_stat *rule = &stats->rules[i];
		size_t t;

		for (t = 0; t < count; t++)
			if (totals[t].protocols == rule->info.protocols &&
			    totals[t].port_first == rule->info.port_first &&
			    totals[t].port_last == rule->info.port_last)
				break;
		if (t == count) {
			memset(&totals[t], 0, sizeof(totals[t]));
			totals[t].protocols = rule->info.protocols;
			totals[t].port_first = rule->info.port_first;
			totals[t].port_last = rule->info.port_last;
			count++;
		}
		totals[t].packets += rule->counter.packets;
		totals[t].bytes += rule->counter.bytes;
		totals[t].would_drop += rule->counter.would_drop;
	}
	return count;
}

static void print_header(FILE *out, const struct xpf_stats *stats)
{
	char loaded[32];

	format_time(stats->meta.loaded_at_ns[stats->generation], loaded, sizeof(loaded));
	fprintf(out, "xpf on %s: %s mode, %s, %zu rules, loaded %s\n", stats->ifname,
		xpf_mode_name(stats->mode), stats->config.audit ? "AUDIT (drops pass)" : "enforcing",
		stats->rule_count, loaded);
	fprintf(out, "  site %s, table %s\n", stats->meta.site[stats->generation],
		stats->meta.table[stats->generation][0] ? stats->meta.table[stats->generation] : "(none)");
	for (uint8_t i = 1; xpf_origin_of(stats, i); i++)
		fprintf(out, "  t%u: %s: %s\n", i, xpf_origin_of(stats, i)->table,
			xpf_origin_of(stats, i)->caption);
}

static void print_rules(FILE *out, const struct xpf_stats *stats)
{
	fprintf(out, "\n%-4s %-20s %-75s %-14s %12s %14s %12s %-10s %s\n", "ID", "ROW",
		"SOURCE -> DESTINATION", "PROTO/PORT", "PACKETS", "BYTES", "WOULD DROP", "LAST HIT",
		"FROM");
	for (size_t i = 0; i < stats->rule_count; i++) {
		const struct xpf_rule_stat *rule = &stats->rules[i];
		char route[160], ports[32], last_hit[32], origin[48];

		snprintf(route, sizeof(route), "%s -> %s%s", rule->info.source,
			 rule->info.destination,
			 rule->info.direction == XPF_DIRECTION_OUTBOUND ? " (outbound)" :
			 rule->info.action == XPF_ACTION_DROP ? " (deny)" : "");
		xpf_format_ports(&rule->info, ports, sizeof(ports));
		format_last_hit(stats, rule->counter.last_seen_ns, last_hit, sizeof(last_hit));
		xpf_format_origin(stats, &rule->info, origin, sizeof(origin));
		fprintf(out, "%-4zu %-20s %-75s %-14s %12llu %14llu %12llu %-10s %s\n", i + 1,
			rule->info.label, route, ports, (unsigned long long)rule->counter.packets,
			(unsigned long long)rule->counter.bytes,
			(unsigned long long)rule->counter.would_drop, last_hit, origin);
	}
}

static void print_ports(FILE *out, const struct xpf_stats *stats)
{
	struct port_total *totals = calloc(stats->rule_count ?: 1, sizeof(*totals));
	char ports[32];
	size_t count;

	if (!totals)
		return;
	count = totals_by_port(stats, totals);
	fprintf(out, "\n%-14s %12s %14s\n", "PROTO/PORT", "PACKETS", "BYTES");
	for (size_t t = 0; t < count; t++) {
		struct xpf_rule_info info = { .protocols = totals[t].protocols,
					      .port_first = totals[t].port_first,
					      .port_last = totals[t].port_last };

		xpf_format_ports(&info, ports, sizeof(ports));
		fprintf(out, "%-14s %12llu %14llu\n", ports, (unsigned long long)totals[t].packets,
			(unsigned long long)totals[t].bytes);
	}
	free(totals);
}

void xpf_stats_print(FILE *out, const struct xpf_stats *stats, enum xpf_stats_view view)
{
	print_header(out, stats);
	if (view == XPF_VIEW_PORT)
		print_ports(out, stats);
	else
		print_rules(out, stats);
	fprintf(out, "\n%-14s %12s %14s %12s\n", "REASON", "PACKETS", "BYTES", "WOULD DROP");
	for (unsigned int r = 0; r < XPF_REASON_COUNT; r++)
		fprintf(out, "%-14s %12llu %14llu %12llu\n",
			xpf_reason_name(r), (unsigned long long)stats->reasons[r].packets,
			(unsigned long long)stats->reasons[r].bytes,
			(unsigned long long)stats->reasons[r].would_drop);
	fprintf(out, "\nflows the host opened: %zu tracked, %zu open\n", stats->flows_tracked,
		stats->flows_open);
}

static void add_counter(struct json_object *object, const struct xpf_stats *stats,
			const struct xpf_counter *counter)
{
	json_object_object_add(object, "packets", json_object_new_uint64(counter->packets));
	json_object_object_add(object, "bytes", json_object_new_uint64(counter->bytes));
	json_object_object_add(object, "would_drop", json_object_new_uint64(counter->would_drop));
	if (counter->last_seen_ns && stats->monotonic_now_ns >= counter->last_seen_ns)
		json_object_object_add(object, "last_hit_seconds_ago",
				       json_object_new_double((stats->monotonic_now_ns -
							       counter->last_seen_ns) / 1e9));
	else
		json_object_object_add(object, "last_hit_seconds_ago", NULL);
}

/* The tables a rule comes from, its own row's first (with its line). */
static struct json_object *origins_json(const struct xpf_stats *stats,
					const struct xpf_rule_info *info)
{
	struct json_object *list = json_object_new_array();

	for (int i = 0; i < XPF_RULE_ORIGINS && xpf_origin_of(stats, info->origins[i]); i++) {
		const struct xpf_origin_info *origin = xpf_origin_of(stats, info->origins[i]);
		struct json_object *object = json_object_new_object();

		json_object_object_add(object, "table", json_object_new_string(origin->table));
		json_object_object_add(object, "caption", json_object_new_string(origin->caption));
		if (i == 0)
			json_object_object_add(object, "line", json_object_new_int(info->line));
		json_object_array_add(list, object);
	}
	return list;
}

static struct json_object *rule_json(const struct xpf_stats *stats,
				     const struct xpf_rule_stat *rule)
{
	struct json_object *object = json_object_new_object();

	/* The rule's number, as `xpf check` and the text view count; counter is the kernel's. */
	json_object_object_add(object, "id", json_object_new_int64(rule - stats->rules + 1));
	json_object_object_add(object, "counter", json_object_new_int64(rule->id));
	json_object_object_add(object, "label", json_object_new_string(rule->info.label));
	json_object_object_add(object, "source", json_object_new_string(rule->info.source));
	json_object_object_add(object, "destination",
			       json_object_new_string(rule->info.destination));
	json_object_object_add(object, "proto",
			       json_object_new_string(xpf_protocols_name(rule->info.protocols)));
	json_object_object_add(object, "port", json_object_new_int(rule->info.port_first));
	json_object_object_add(object, "port_last", json_object_new_int(rule->info.port_last));
	json_object_object_add(object, "action",
			       json_object_new_string(rule->info.action == XPF_ACTION_DROP ? "deny"
											: "allow"));
	json_object_object_add(object, "direction",
			       json_object_new_string(xpf_direction_name(rule->info.direction)));
	json_object_object_add(object, "origin",
			       json_object_new_string(rule->info.from_site ? "site" : "table"));
	json_object_object_add(object, "line", json_object_new_int(rule->info.line));
	json_object_object_add(object, "tables", origins_json(stats, &rule->info));
	add_counter(object, stats, &rule->counter);
	return object;
}

static struct json_object *flows_json(const struct xpf_stats *stats)
{
	struct json_object *flows = json_object_new_object();

	json_object_object_add(flows, "tracked", json_object_new_uint64(stats->flows_tracked));
	json_object_object_add(flows, "open", json_object_new_uint64(stats->flows_open));
	return flows;
}

struct json_object *xpf_stats_json(const struct xpf_stats *stats, enum xpf_stats_view view)
{
	struct json_object *root = json_object_new_object(), *list = json_object_new_array();
	struct json_object *reasons = json_object_new_object();

	json_object_object_add(root, "interface", json_object_new_string(stats->ifname));
	json_object_object_add(root, "mode", json_object_new_string(xpf_mode_name(stats->mode)));
	json_object_object_add(root, "audit", json_object_new_boolean(stats->config.audit));
	json_object_object_add(root, "site", json_object_new_string(stats->meta.site[stats->generation]));
	json_object_object_add(root, "table", json_object_new_string(stats->meta.table[stats->generation]));
	json_object_object_add(root, "generation", json_object_new_int(stats->generation));
	if (view == XPF_VIEW_PORT) {
		struct port_total *totals = calloc(stats->rule_count ?: 1, sizeof(*totals));
		size_t count = totals ? totals_by_port(stats, totals) : 0;

		for (size_t t = 0; t < count; t++) {
			struct json_object *port = json_object_new_object();

			json_object_object_add(port, "proto",
					       json_object_new_string(
						       xpf_protocols_name(totals[t].protocols)));
			json_object_object_add(port, "port", json_object_new_int(totals[t].port_first));
			json_object_object_add(port, "port_last",
					       json_object_new_int(totals[t].port_last));
			json_object_object_add(port, "packets", json_object_new_uint64(totals[t].packets));
			json_object_object_add(port, "bytes", json_object_new_uint64(totals[t].bytes));
			json_object_object_add(port, "would_drop",
					       json_object_new_uint64(totals[t].would_drop));
			json_object_array_add(list, port);
		}
		free(totals);
		json_object_object_add(root, "ports", list);
	} else {
		for (size_t i = 0; i < stats->rule_count; i++)
			json_object_array_add(list, rule_json(stats, &stats->rules[i]));
		json_object_object_add(root, "rules", list);
	}
	for (unsigned int r = 0; r < XPF_REASON_COUNT; r++) {
		struct json_object *reason = json_object_new_object();

		add_counter(reason, stats, &stats->reasons[r]);
		json_object_object_add(reasons, xpf_reason_name(r), reason);
	}
	json_object_object_add(root, "reasons", reasons);
	json_object_object_add(root, "flows", flows_json(stats));
	return root;
}
