// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* One filter's counters as text and JSON (stats_view.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/pool_view.h"
#include "cli/stats_view.h"

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
	xpf_pool_print(out, "  ", stats);
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
	xpf_pool_json(root, stats);
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
