// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * https://prometheus.io/docs/instrumenting/exposition_formats/ : counters end in _total;
 * label values are escaped (\\, \", \n); all samples of a family follow its HELP and TYPE.
 */
#include <inttypes.h>

#include "cli/prometheus.h"

void xpf_prometheus_label_value(FILE *out, const char *value)
{
	fputc('"', out);
	for (; *value; value++) {
		if (*value == '\\')
			fputs("\\\\", out);
		else if (*value == '"')
			fputs("\\\"", out);
		else if (*value == '\n')
			fputs("\\n", out);
		else
			fputc(*value, out);
	}
	fputc('"', out);
}

static void label(FILE *out, const char *name, const char *value, int first)
{
	fprintf(out, "%s%s=", first ? "" : ",", name);
	xpf_prometheus_label_value(out, value);
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

enum rule_value { RULE_PACKETS, RULE_BYTES, RULE_WOULD_DROP };

static uint64_t counter_value(const struct xpf_counter *counter, enum rule_value value)
{
	return value == RULE_PACKETS ? counter->packets :
	       value == RULE_BYTES   ? counter->bytes : counter->would_drop;
}

static void rule_samples(FILE *out, const struct xpf_snapshot *snapshot, const char *name,
			 enum rule_value value)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct xpf_stats *stats = &snapshot->interfaces[i];

		for (size_t r = 0; r < stats->rule_count; r++) {
			const struct xpf_rule_stat *rule = &stats->rules[r];
			const struct xpf_origin_info *origin;
			char number[24], port[16];

			/* The rule's number, as `xpf check`, `xpf stats` and their JSON count. */
			snprintf(number, sizeof(number), "%zu", r + 1);
			if (rule->info.port_first == rule->info.port_last)
				snprintf(port, sizeof(port), "%u", rule->info.port_first);
			else
				snprintf(port, sizeof(port), "%u-%u", rule->info.port_first,
					 rule->info.port_last);
			fprintf(out, "%s{", name);
			label(out, "iface", stats->ifname, 1);
			label(out, "rule", number, 0);
			label(out, "label", rule->info.label, 0);
			label(out, "proto", xpf_protocols_name(rule->info.protocols), 0);
			label(out, "port", port, 0);
			label(out, "source", rule->info.source, 0);
			label(out, "destination", rule->info.destination, 0);
			label(out, "action",
			      rule->info.action == XPF_ACTION_DROP ? "deny" : "allow", 0);
			label(out, "direction", xpf_direction_name(rule->info.direction), 0);
			origin = xpf_origin_of(stats, rule->info.origins[0]);
			if (origin) {
				label(out, "table", origin->table, 0);
				label(out, "caption", origin->caption, 0);
			}
			fprintf(out, "} %" PRIu64 "\n", counter_value(&rule->counter, value));
		}
	}
}

static void reason_samples(FILE *out, const struct xpf_snapshot *snapshot, const char *name,
			   enum rule_value value)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct xpf_stats *stats = &snapshot->interfaces[i];

		for (unsigned int reason = 0; reason < XPF_REASON_COUNT; reason++) {
			fprintf(out, "%s{", name);
			label(out, "iface", stats->ifname, 1);
			label(out, "reason", xpf_reason_name(reason), 0);
			fprintf(out, "} %" PRIu64 "\n",
				counter_value(&stats->reasons[reason], value));
		}
	}
}

static void gauge_samples(FILE *out, const struct xpf_snapshot *snapshot, const char *name,
			  int open)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct xpf_stats *stats = &snapshot->interfaces[i];

		fprintf(out, "%s{", name);
		label(out, "iface", stats->ifname, 1);
		fprintf(out, "} %zu\n", open ? stats->flows_open : stats->flows_tracked);
	}
}

void xpf_prometheus_write(FILE *out, const struct xpf_snapshot *snapshot)
{
	family(out, "xpf_info", "gauge", "The filter on an interface: mode, audit, site, table, policy digest.");
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct xpf_stats *stats = &snapshot->interfaces[i];
		char generation[8];

		snprintf(generation, sizeof(generation), "%u", stats->generation);
		fprintf(out, "xpf_info{");
		label(out, "iface", stats->ifname, 1);
		label(out, "mode", xpf_mode_name(stats->mode), 0);
		label(out, "audit", stats->config.audit ? "true" : "false", 0);
		label(out, "site", stats->meta.site[stats->generation], 0);
		label(out, "table", stats->meta.table[stats->generation], 0);
		label(out, "generation", generation, 0);
		label(out, "digest", stats->meta.digest[stats->generation], 0);
		fprintf(out, "} 1\n");
	}
	family(out, "xpf_rule_packets_total", "counter",
	       "Packets a rule decided or replies it admitted.");
	rule_samples(out, snapshot, "xpf_rule_packets_total", RULE_PACKETS);
	family(out, "xpf_rule_bytes_total", "counter",
	       "Bytes of those packets (first buffer of a multi-buffer frame).");
	rule_samples(out, snapshot, "xpf_rule_bytes_total", RULE_BYTES);
	family(out, "xpf_rule_would_drop_total", "counter",
	       "Packets a deny rule would have dropped in audit mode.");
	rule_samples(out, snapshot, "xpf_rule_would_drop_total", RULE_WOULD_DROP);
	family(out, "xpf_reason_packets_total", "counter",
	       "Packets by the reason of their verdict.");
	reason_samples(out, snapshot, "xpf_reason_packets_total", RULE_PACKETS);
	family(out, "xpf_reason_bytes_total", "counter", "Bytes by the reason of their verdict.");
	reason_samples(out, snapshot, "xpf_reason_bytes_total", RULE_BYTES);
	family(out, "xpf_reason_would_drop_total", "counter",
	       "Packets that would have been dropped, by reason (audit mode).");
	reason_samples(out, snapshot, "xpf_reason_would_drop_total", RULE_WOULD_DROP);
	family(out, "xpf_flows", "gauge", "Flows the host opened, tracked in the flows map.");
	gauge_samples(out, snapshot, "xpf_flows", 0);
	family(out, "xpf_flows_open", "gauge", "Tracked flows whose replies pass now.");
	gauge_samples(out, snapshot, "xpf_flows_open", 1);
}
