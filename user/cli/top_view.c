// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/top_view.h"

#define BAR_WIDTH 12
#define ROUTE_MIN 24
#define LINE_MAX_BYTES 1024

const char *top_sort_name(enum top_sort sort)
{
	switch (sort) {
	case TOP_SORT_RATE:
		return "rate";
	case TOP_SORT_TOTAL:
		return "total";
	case TOP_SORT_PORT:
		return "port";
	default:
		return "rule";
	}
}

static const struct xpf_stats *find_interface(const struct xpf_snapshot *snapshot,
					      const char *ifname)
{
	for (size_t i = 0; snapshot && i < snapshot->count; i++)
		if (!strcmp(snapshot->interfaces[i].ifname, ifname))
			return &snapshot->interfaces[i];
	return NULL;
}

static bool same_rule(const struct xpf_rule_info *a, const struct xpf_rule_info *b)
{
	return a->port_first == b->port_first && a->port_last == b->port_last &&
	       a->protocols == b->protocols && a->action == b->action &&
	       a->direction == b->direction && !strcmp(a->label, b->label) &&
	       !strcmp(a->source, b->source) && !strcmp(a->destination, b->destination);
}

/* The same rule a refresh ago: by content, not by counter id, since a reload gives the rules
 * new ids (and carries their counters over). Same position first: the usual case. */
static const struct xpf_rule_stat *previous_rule(const struct xpf_stats *before, size_t index,
						 const struct xpf_rule_info *info)
{
	if (!before)
		return NULL;
	if (index < before->rule_count && same_rule(&before->rules[index].info, info))
		return &before->rules[index];
	for (size_t i = 0; i < before->rule_count; i++)
		if (same_rule(&before->rules[i].info, info))
			return &before->rules[i];
	return NULL;
}

static double seconds_between(const struct xpf_stats *before, const struct xpf_stats *now)
{
	if (!before || now->monotonic_now_ns <= before->monotonic_now_ns)
		return 0;
	return (now->monotonic_now_ns - before->monotonic_now_ns) / 1e9;
}

/* Rates from two counters @seconds apart; unknown when a counter went back (unload, load). */
static bool rate(const struct xpf_counter *before, const struct xpf_counter *now, double seconds,
		 double *packets_per_second, double *bits_per_second)
{
	*packets_per_second = 0;
	if (bits_per_second)
		*bits_per_second = 0;
	if (!before || seconds <= 0 || now->packets < before->packets || now->bytes < before->bytes)
		return false;
	*packets_per_second = (now->packets - before->packets) / seconds;
	if (bits_per_second)
		*bits_per_second = (now->bytes - before->bytes) * 8.0 / seconds;
	return true;
}

int top_view_build(struct top_view *view, const struct xpf_snapshot *now,
		   const struct xpf_snapshot *before)
{
	size_t rows = 0;

	view->rows = NULL;
	view->reasons = NULL;
	view->row_count = view->reason_count = 0;
	view->max_packets_per_second = 0;
	view->interface_count = now->count;
	view->snapshot = now;
	for (size_t i = 0; i < now->count; i++)
		rows += now->interfaces[i].rule_count;
	view->rows = calloc(rows ?: 1, sizeof(*view->rows));
	view->reasons =
	    calloc(now->count ? now->count * XPF_REASON_COUNT : 1, sizeof(*view->reasons));
	if (!view->rows || !view->reasons) {
		top_view_free(view);
		return -ENOMEM;
	}
	for (size_t i = 0; i < now->count; i++) {
		const struct xpf_stats *stats = &now->interfaces[i];
		const struct xpf_stats *earlier = find_interface(before, stats->ifname);
		double seconds = seconds_between(earlier, stats);

		for (size_t r = 0; r < stats->rule_count; r++) {
			struct top_row *row = &view->rows[view->row_count++];
			const struct xpf_rule_stat *old = previous_rule(earlier, r,
									 &stats->rules[r].info);

			row->interface = stats;
			row->number = r + 1;
			row->rule = &stats->rules[r];
			row->rate_known = rate(old ? &old->counter : NULL, &row->rule->counter,
					       seconds, &row->packets_per_second,
					       &row->bits_per_second);
			if (row->packets_per_second > view->max_packets_per_second)
				view->max_packets_per_second = row->packets_per_second;
		}
		for (unsigned int reason = 0; reason < XPF_REASON_COUNT; reason++) {
			struct top_reason *entry = &view->reasons[view->reason_count++];

			entry->interface = stats;
			entry->reason = reason;
			entry->rate_known = rate(earlier ? &earlier->reasons[reason] : NULL,
						 &stats->reasons[reason], seconds,
						 &entry->packets_per_second, NULL);
		}
	}
	top_view_sort(view, view->sort);
	return 0;
}

void top_view_free(struct top_view *view)
{
	free(view->rows);
	free(view->reasons);
	view->rows = NULL;
	view->reasons = NULL;
	view->row_count = view->reason_count = 0;
}

/* Interface order, then rule number: the order every sort falls back to on ties. */
static int compare_position(const struct top_row *a, const struct top_row *b)
{
	int by_interface = strcmp(a->interface->ifname, b->interface->ifname);

	if (by_interface)
		return by_interface;
	return (a->number > b->number) - (a->number < b->number);
}

static int compare_rate(const void *pa, const void *pb)
{
	const struct top_row *a = pa, *b = pb;

	if (a->packets_per_second != b->packets_per_second)
		return a->packets_per_second < b->packets_per_second ? 1 : -1;
	if (a->bits_per_second != b->bits_per_second)
		return a->bits_per_second < b->bits_per_second ? 1 : -1;
	return compare_position(a, b);
}

static int compare_total(const void *pa, const void *pb)
{
	const struct top_row *a = pa, *b = pb;

	if (a->rule->counter.packets != b->rule->counter.packets)
		return a->rule->counter.packets < b->rule->counter.packets ? 1 : -1;
	return compare_position(a, b);
}

static int compare_port(const void *pa, const void *pb)
{
	const struct top_row *a = pa, *b = pb;

	if (a->rule->info.port_first != b->rule->info.port_first)
		return a->rule->info.port_first > b->rule->info.port_first ? 1 : -1;
	if (a->rule->info.port_last != b->rule->info.port_last)
		return a->rule->info.port_last > b->rule->info.port_last ? 1 : -1;
	return compare_position(a, b);
}

static int compare_rule(const void *a, const void *b)
{
	return compare_position(a, b);
}

void top_view_sort(struct top_view *view, enum top_sort sort)
{
	static int (*const compare[])(const void *, const void *) = {
		[TOP_SORT_RATE] = compare_rate,
		[TOP_SORT_TOTAL] = compare_total,
		[TOP_SORT_PORT] = compare_port,
		[TOP_SORT_RULE] = compare_rule,
	};

	view->sort = sort;
	qsort(view->rows, view->row_count, sizeof(*view->rows), compare[sort]);
}

/* 1234 → "1234", 12345678 → "12.3M": fixed width for a column. */
static void human(double value, const char *unit, char *buf, size_t size)
{
	static const char prefixes[] = " kMGTP";
	int prefix = 0;

	while (value >= 10000 && prefix < 5) {
		value /= 1000;
		prefix++;
	}
	if (prefix)
		snprintf(buf, size, "%.1f%c%s", value, prefixes[prefix], unit);
	else
		snprintf(buf, size, "%.0f%s", value, unit);
}

static void format_rate(bool known, double value, const char *unit, char *buf, size_t size)
{
	if (!known)
		snprintf(buf, size, "-");
	else if (value > 0 && value < 10 && !*unit)
		snprintf(buf, size, "%.1f", value);
	else
		human(value, unit, buf, size);
}

/* A bar of the row's share of the busiest row's packet rate, one '#' per twelfth; a row that
 * moved at all gets at least one, so a trickle is not mistaken for silence. */
static void format_bar(const struct top_view *view, const struct top_row *row, char *buf)
{
	int filled = 0;

	if (row->packets_per_second > 0 && view->max_packets_per_second > 0) {
		filled = (int)(row->packets_per_second * BAR_WIDTH / view->max_packets_per_second +
			       0.5);
		if (filled < 1)
			filled = 1;
		if (filled > BAR_WIDTH)
			filled = BAR_WIDTH;
	}
	memset(buf, '#', filled);
	memset(buf + filled, '.', BAR_WIDTH - filled);
	buf[BAR_WIDTH] = '\0';
}

static void format_route(const struct xpf_rule_info *info, char *buf, size_t size)
{
	snprintf(buf, size, "%s -> %s%s", info->source, info->destination,
		 info->direction == XPF_DIRECTION_OUTBOUND ? " (outbound)" :
		 info->action == XPF_ACTION_DROP ? " (deny)" : "");
}

/* Cut @text to @width columns, marking the cut with '~'. */
static void fit(char *text, int width)
{
	if (width > 0 && (int)strlen(text) > width) {
		text[width - 1] = '~';
		text[width] = '\0';
	}
}

static void emit_line(top_emit_fn emit, void *context, enum top_line_kind kind, int width,
		      char *line)
{
	fit(line, width);
	emit(context, kind, line);
}

static void pane_title(const struct top_view *view, int width, top_emit_fn emit, void *context)
{
	char line[LINE_MAX_BYTES], when[32], where[96];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	if (view->interface_count == 1) {
		const struct xpf_stats *stats = view->reasons[0].interface;

		snprintf(where, sizeof(where), "%s (%s, %s, %zu rules)", stats->ifname,
			 xpf_mode_name(stats->mode), stats->config.audit ? "AUDIT" : "enforcing",
			 stats->rule_count);
	} else {
		snprintf(where, sizeof(where), "%zu interfaces", view->interface_count);
	}
	snprintf(line, sizeof(line), "xpf top: %s  every %gs  sort: %s  %s%s", where,
		 view->interval, top_sort_name(view->sort), when, view->paused ? "  [paused]" : "");
	emit_line(emit, context, TOP_LINE_TITLE, width, line);
}

/* The IFACE column, shown only when there is more than one interface: 0 or its width + 1. */
static int interface_width(const struct top_view *view)
{
	int longest = strlen("IFACE");

	if (view->interface_count < 2)
		return 0;
	for (size_t i = 0; i < view->reason_count; i += XPF_REASON_COUNT)
		if ((int)strlen(view->reasons[i].interface->ifname) > longest)
			longest = strlen(view->reasons[i].interface->ifname);
	return longest + 1;
}

static int route_width(const struct top_view *view, int width)
{
	/* Everything on a row but the route: see pane_rules' format. */
	int fixed = interface_width(view) + 4 + 21 + 1 + 16 + 11 + 9 + 10 + 9 + BAR_WIDTH + 2;
	int longest = ROUTE_MIN;

	for (size_t i = 0; i < view->row_count; i++) {
		char route[2 * XPF_INFO_NAME_MAX + 24];

		format_route(&view->rows[i].rule->info, route, sizeof(route));
		if ((int)strlen(route) > longest)
			longest = strlen(route);
	}
	if (width > 0 && fixed + longest > width)
		return width - fixed > ROUTE_MIN ? width - fixed : ROUTE_MIN;
	return longest;
}

static void pane_rules(const struct top_view *view, int width, top_emit_fn emit, void *context)
{
	int interfaces = interface_width(view), routes = route_width(view, width);
	char line[LINE_MAX_BYTES];

	snprintf(line, sizeof(line), "%-*s%-3s %-20s %-*s %-15s %10s %8s %8s %8s  %s",
		 interfaces, interfaces ? "IFACE" : "", "NO",
		 "ROW", routes, "SOURCE -> DESTINATION", "PROTO/PORT", "PACKETS", "BYTES",
		 "PKT/S", "BIT/S", "RATE");
	emit_line(emit, context, TOP_LINE_HEADING, width, line);
	for (size_t i = 0; i < view->row_count; i++) {
		const struct top_row *row = &view->rows[i];
		char route[2 * XPF_INFO_NAME_MAX + 24], ports[32], bytes[16], pps[16], bps[16];
		char label[XPF_INFO_LABEL_MAX], bar[BAR_WIDTH + 1];

		format_route(&row->rule->info, route, sizeof(route));
		fit(route, routes);
		snprintf(label, sizeof(label), "%s", row->rule->info.label);
		fit(label, 20);
		xpf_format_ports(&row->rule->info, ports, sizeof(ports));
		human(row->rule->counter.bytes, "", bytes, sizeof(bytes));
		format_rate(row->rate_known, row->packets_per_second, "", pps, sizeof(pps));
		format_rate(row->rate_known, row->bits_per_second, "", bps, sizeof(bps));
		format_bar(view, row, bar);
		snprintf(line, sizeof(line), "%-*s%-3zu %-20s %-*s %-15s %10llu %8s %8s %8s  %s",
			 interfaces, interfaces ? row->interface->ifname : "", row->number, label,
			 routes, route, ports, (unsigned long long)row->rule->counter.packets,
			 bytes, pps, bps, bar);
		emit_line(emit, context, TOP_LINE_TEXT, width, line);
	}
}

/* Two reasons to a line, so that the rules keep most of a 24-line terminal. */
static void pane_reasons(const struct top_view *view, int width, top_emit_fn emit,
			 void *context)
{
	char line[LINE_MAX_BYTES], cell[2][128];
	int cells = 0;

	for (size_t i = 0; i < view->reason_count; i++) {
		const struct top_reason *entry = &view->reasons[i];
		const struct xpf_counter *counter = &entry->interface->reasons[entry->reason];
		char pps[16], name[IF_NAMESIZE + 16];

		if (i % XPF_REASON_COUNT == 0) {
			if (cells)
				emit_line(emit, context, TOP_LINE_TEXT, width, cell[0]);
			cells = 0;
			if (view->interface_count > 1) {
				snprintf(line, sizeof(line), "reasons on %s:",
					 entry->interface->ifname);
				emit_line(emit, context, TOP_LINE_TEXT, width, line);
			}
			snprintf(line, sizeof(line), "%-16s %10s %8s %10s    %-16s %10s %8s %10s",
				 "REASON", "PACKETS", "PKT/S", "WOULD DROP", "REASON", "PACKETS",
				 "PKT/S", "WOULD DROP");
			emit_line(emit, context, TOP_LINE_HEADING, width, line);
		}
		snprintf(name, sizeof(name), "%s", xpf_reason_name(entry->reason));
		format_rate(entry->rate_known, entry->packets_per_second, "", pps, sizeof(pps));
		snprintf(cell[cells], sizeof(cell[cells]), "%-16s %10llu %8s %10llu", name,
			 (unsigned long long)counter->packets, pps,
			 (unsigned long long)counter->would_drop);
		if (++cells == 2) {
			snprintf(line, sizeof(line), "%s    %s", cell[0], cell[1]);
			emit_line(emit, context, TOP_LINE_TEXT, width, line);
			cells = 0;
		}
	}
	if (cells)
		emit_line(emit, context, TOP_LINE_TEXT, width, cell[0]);
}

static void pane_flows(const struct top_view *view, int width, top_emit_fn emit, void *context)
{
	char line[LINE_MAX_BYTES];

	for (size_t i = 0; i < view->reason_count; i += XPF_REASON_COUNT) {
		const struct xpf_stats *stats = view->reasons[i].interface;

		snprintf(line, sizeof(line), "flows the host opened on %s: %zu tracked, %zu open",
			 stats->ifname, stats->flows_tracked, stats->flows_open);
		emit_line(emit, context, TOP_LINE_TEXT, width, line);
	}
}

static void denied_cell(const struct xpf_denied_entry *entries, int count, int i, char *cell,
			size_t size)
{
	if (i < count)
		snprintf(cell, size, "%-24s %10llu", entries[i].key,
			 (unsigned long long)entries[i].packets);
	else
		snprintf(cell, size, "%-24s %10s", "", "");
}

/* The busiest denied destination ports beside the busiest denied source prefixes (/24, /64),
 * per interface, from the kernel's denied record; nothing when it is empty or unread. */
static void pane_denied(const struct top_view *view, int width, top_emit_fn emit, void *context)
{
	const struct xpf_snapshot *snapshot = view->snapshot;
	char line[LINE_MAX_BYTES], port[64], source[64];

	if (!snapshot || !snapshot->denied)
		return;
	for (size_t i = 0; i < snapshot->count; i++) {
		const struct xpf_snapshot_denied *denied = &snapshot->denied[i];
		int rows = denied->port_count > denied->source_count ? denied->port_count
								      : denied->source_count;

		if (rows <= 0)
			continue;
		emit(context, TOP_LINE_TEXT, "");
		snprintf(line, sizeof(line), "%-24s %10s    %-24s %10s%s%s", "DENIED PORT", "PACKETS",
			 "DENIED SOURCE", "PACKETS", view->interface_count > 1 ? "    on " : "",
			 view->interface_count > 1 ? snapshot->interfaces[i].ifname : "");
		emit_line(emit, context, TOP_LINE_HEADING, width, line);
		for (int r = 0; r < rows; r++) {
			denied_cell(denied->ports, denied->port_count, r, port, sizeof(port));
			denied_cell(denied->sources, denied->source_count, r, source,
				    sizeof(source));
			snprintf(line, sizeof(line), "%s    %s", port, source);
			emit_line(emit, context, TOP_LINE_TEXT, width, line);
		}
	}
}

void top_view_render(const struct top_view *view, int width, top_emit_fn emit, void *context)
{
	pane_title(view, width, emit, context);
	emit(context, TOP_LINE_TEXT, "");
	pane_rules(view, width, emit, context);
	emit(context, TOP_LINE_TEXT, "");
	pane_reasons(view, width, emit, context);
	pane_denied(view, width, emit, context);
	pane_flows(view, width, emit, context);
}
