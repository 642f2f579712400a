// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * https://prometheus.io/docs/instrumenting/exposition_formats/ : counters end in _total;
 * label values are escaped (\\, \", \n); all samples of a family follow its HELP and TYPE.
 * Labels as node_exporter names them: the interface is `device`. A rule is named by its file
 * and a hash of its row (core/rule_identity.h), never by its position, so that a reload that
 * renumbers rows keeps every unchanged row's series.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cli/prometheus.h"
#include "core/rule_identity.h"

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

/* The rules' identities, per interface of the snapshot, computed once for the three families. */
struct identities {
	struct xpf_rule_identity **of;	/* [interface][rule] */
	size_t count;
};

static void identities_free(struct identities *identities)
{
	for (size_t i = 0; i < identities->count; i++)
		free(identities->of[i]);
	free(identities->of);
}

static int identities_make(const struct xpf_snapshot *snapshot, struct identities *identities)
{
	identities->count = 0;
	identities->of = calloc(snapshot->count ?: 1, sizeof(*identities->of));
	if (!identities->of)
		return -ENOMEM;
	for (; identities->count < snapshot->count; identities->count++) {
		const struct xpf_stats *stats = &snapshot->interfaces[identities->count];
		struct xpf_rule_identity *of = calloc(stats->rule_count ?: 1, sizeof(*of));

		identities->of[identities->count] = of;
		if (!of || xpf_rule_identities(stats, of)) {
			identities->count++;
			identities_free(identities);
			return -ENOMEM;
		}
	}
	return 0;
}

static void rule_labels(FILE *out, const struct xpf_stats *stats,
			const struct xpf_rule_stat *rule, const struct xpf_rule_identity *identity)
{
	const struct xpf_origin_info *origin = xpf_origin_of(stats, rule->info.origins[0]);
	char name[XPF_RULE_IDENTITY_MAX], port[16];

	xpf_rule_identity_format(stats, &rule->info, identity, name, sizeof(name));
	if (rule->info.port_first == rule->info.port_last)
		snprintf(port, sizeof(port), "%u", rule->info.port_first);
	else
		snprintf(port, sizeof(port), "%u-%u", rule->info.port_first, rule->info.port_last);
	label(out, "device", stats->ifname, 1);
	label(out, "rule", name, 0);
	label(out, "label", rule->info.label, 0);
	label(out, "proto", xpf_protocols_name(rule->info.protocols), 0);
	label(out, "port", port, 0);
	label(out, "source", rule->info.source, 0);
	label(out, "destination", rule->info.destination, 0);
	label(out, "action", rule->info.action == XPF_ACTION_DROP ? "deny" : "allow", 0);
	label(out, "direction", xpf_direction_name(rule->info.direction), 0);
	if (origin) {
		label(out, "table", origin->table, 0);
		label(out, "caption", origin->caption, 0);
	}
}

static void rule_samples(FILE *out, const struct xpf_snapshot *snapshot,
			 const struct identities *identities, const char *name,
			 enum rule_value value)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct xpf_stats *stats = &snapshot->interfaces[i];

		for (size_t r = 0; r < stats->rule_count; r++) {
			fprintf(out, "%s{", name);
			rule_labels(out, stats, &stats->rules[r], &identities->of[i][r]);
			fprintf(out, "} %" PRIu64 "\n", counter_value(&stats->rules[r].counter, value));
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
			label(out, "device", stats->ifname, 1);
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
		label(out, "device", stats->ifname, 1);
		fprintf(out, "} %zu\n", open ? stats->flows_open : stats->flows_tracked);
	}
}

/* 1 for every interface read, 0 for every one asked for that could not be (not loaded). */
static void up_samples(FILE *out, const struct xpf_snapshot *snapshot)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		fprintf(out, "xpf_up{");
		label(out, "device", snapshot->interfaces[i].ifname, 1);
		fprintf(out, "} 1\n");
	}
	for (size_t i = 0; i < snapshot->unread_count; i++) {
		fprintf(out, "xpf_up{");
		label(out, "device", snapshot->unread[i], 1);
		fprintf(out, "} 0\n");
	}
}

static void info_samples(FILE *out, const struct xpf_snapshot *snapshot)
{
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct xpf_stats *stats = &snapshot->interfaces[i];
		char generation[8];

		snprintf(generation, sizeof(generation), "%u", stats->generation);
		fprintf(out, "xpf_info{");
		label(out, "device", stats->ifname, 1);
		label(out, "mode", xpf_mode_name(stats->mode), 0);
		label(out, "audit", stats->config.audit ? "true" : "false", 0);
		label(out, "site", stats->meta.site[stats->generation], 0);
		label(out, "table", stats->meta.table[stats->generation], 0);
		label(out, "generation", generation, 0);
		fprintf(out, "} 1\n");
	}
}

int xpf_prometheus_write(FILE *out, const struct xpf_snapshot *snapshot)
{
	struct identities identities;

	if (identities_make(snapshot, &identities))
		return -ENOMEM;
	family(out, "xpf_up", "gauge", "1 when xpf filters the device, 0 when it was asked for "
	       "and xpf is not loaded there.");
	up_samples(out, snapshot);
	family(out, "xpf_info", "gauge", "The filter on a device: mode, audit, site, table.");
	info_samples(out, snapshot);
	family(out, "xpf_rule_packets_total", "counter",
	       "Packets a rule decided or replies it admitted.");
	rule_samples(out, snapshot, &identities, "xpf_rule_packets_total", RULE_PACKETS);
	family(out, "xpf_rule_bytes_total", "counter",
	       "Bytes of those packets (first buffer of a multi-buffer frame).");
	rule_samples(out, snapshot, &identities, "xpf_rule_bytes_total", RULE_BYTES);
	family(out, "xpf_rule_would_drop_total", "counter",
	       "Packets a deny rule would have dropped in audit mode.");
	rule_samples(out, snapshot, &identities, "xpf_rule_would_drop_total", RULE_WOULD_DROP);
	identities_free(&identities);
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
	return 0;
}
