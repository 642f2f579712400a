/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: what `xpf top` shows (user/cli/top_view.c): rates between two snapshots, rules
 * matched across a reload, the sort keys, the rendered lines. No kernel: snapshots by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/top_view.h"

#define SECOND 1000000000ull

struct rule_spec {
	const char *label, *source;
	uint16_t port;
	uint64_t packets, bytes;
};

/* One interface "eth0" whose rules are @specs, read at @now_ns. */
static void make_snapshot(struct xpf_snapshot *snapshot, uint64_t now_ns, uint32_t first_id,
			  const struct rule_spec *specs, size_t count)
{
	struct xpf_stats *stats = calloc(1, sizeof(*stats));

	assert_non_null(stats);
	snprintf(stats->ifname, sizeof(stats->ifname), "eth0");
	stats->mode = XPF_MODE_NATIVE;
	stats->monotonic_now_ns = now_ns;
	stats->rule_count = count;
	stats->rules = calloc(count, sizeof(*stats->rules));
	assert_non_null(stats->rules);
	for (size_t i = 0; i < count; i++) {
		struct xpf_rule_stat *rule = &stats->rules[i];

		rule->id = first_id + i;
		snprintf(rule->info.label, sizeof(rule->info.label), "%s", specs[i].label);
		snprintf(rule->info.source, sizeof(rule->info.source), "%s", specs[i].source);
		snprintf(rule->info.destination, sizeof(rule->info.destination), "Director");
		rule->info.port_first = rule->info.port_last = specs[i].port;
		rule->info.protocols = XPF_PROTO_TCP;
		rule->counter.packets = specs[i].packets;
		rule->counter.bytes = specs[i].bytes;
	}
	stats->reasons[XPF_REASON_DEFAULT].packets = now_ns / SECOND * 3;
	*snapshot = (struct xpf_snapshot){ .interfaces = stats, .count = 1 };
}

static const struct rule_spec before_rules[] = {
	{ "SSH/TCP 22", "Admin workstations", 22, 10, 1000 },
	{ "HTTP/TCP 8080", "Reverse proxy", 8080, 100, 10000 },
	{ "SIP/MTLS/TCP 5061", "Edge Server", 5061, 500, 50000 },
};

static const struct top_row *row_labelled(const struct top_view *view, const char *label)
{
	for (size_t i = 0; i < view->row_count; i++)
		if (!strcmp(view->rows[i].rule->info.label, label))
			return &view->rows[i];
	fail_msg("no row %s", label);
	return NULL;
}

static void rates_are_deltas_over_the_elapsed_time(void **state)
{
	static const struct rule_spec after_rules[] = {
		{ "SSH/TCP 22", "Admin workstations", 22, 10, 1000 },
		{ "HTTP/TCP 8080", "Reverse proxy", 8080, 300, 30000 },
		{ "SIP/MTLS/TCP 5061", "Edge Server", 5061, 510, 51000 },
	};
	struct xpf_snapshot before, now;
	struct top_view view = { .sort = TOP_SORT_RULE };
	const struct top_row *row;

	(void)state;
	make_snapshot(&before, 10 * SECOND, 0, before_rules, 3);
	make_snapshot(&now, 12 * SECOND, 0, after_rules, 3);
	assert_int_equal(top_view_build(&view, &now, &before), 0);
	assert_int_equal(view.row_count, 3);
	row = row_labelled(&view, "HTTP/TCP 8080");
	assert_true(row->rate_known);
	assert_true(row->packets_per_second == 100.0);		/* 200 packets in 2 s */
	assert_true(row->bits_per_second == 80000.0);		/* 20000 bytes in 2 s */
	row = row_labelled(&view, "SIP/MTLS/TCP 5061");
	assert_true(row->packets_per_second == 5.0);
	assert_true(row_labelled(&view, "SSH/TCP 22")->packets_per_second == 0.0);
	assert_true(view.max_packets_per_second == 100.0);
	/* reason default: 30 then 36 packets, 2 s apart */
	assert_true(view.reasons[XPF_REASON_DEFAULT].rate_known);
	assert_true(view.reasons[XPF_REASON_DEFAULT].packets_per_second == 3.0);
	top_view_free(&view);
	xpf_snapshot_free(&before);
	xpf_snapshot_free(&now);
}

static void first_sample_has_no_rate(void **state)
{
	struct xpf_snapshot now;
	struct top_view view = { .sort = TOP_SORT_RULE };

	(void)state;
	make_snapshot(&now, 5 * SECOND, 0, before_rules, 3);
	assert_int_equal(top_view_build(&view, &now, NULL), 0);
	for (size_t i = 0; i < view.row_count; i++)
		assert_false(view.rows[i].rate_known);
	top_view_free(&view);
	xpf_snapshot_free(&now);
}

/* After `xpf reload` the same rules have new ids and maybe new positions: matched by content. */
static void rules_are_matched_across_a_reload(void **state)
{
	static const struct rule_spec reordered[] = {
		{ "SIP/MTLS/TCP 5061", "Edge Server", 5061, 520, 52000 },
		{ "HTTP/TCP 8080", "Reverse proxy", 8080, 110, 11000 },
		{ "SSH/TCP 22", "Admin workstations", 22, 10, 1000 },
		{ "HTTP/TCP 80", "Internal Clients", 80, 7, 700 },
	};
	struct xpf_snapshot before, now;
	struct top_view view = { .sort = TOP_SORT_RULE };

	(void)state;
	make_snapshot(&before, 10 * SECOND, 0, before_rules, 3);
	make_snapshot(&now, 11 * SECOND, 1024, reordered, 4);
	assert_int_equal(top_view_build(&view, &now, &before), 0);
	assert_true(row_labelled(&view, "SIP/MTLS/TCP 5061")->packets_per_second == 20.0);
	assert_true(row_labelled(&view, "HTTP/TCP 8080")->packets_per_second == 10.0);
	assert_false(row_labelled(&view, "HTTP/TCP 80")->rate_known);	/* a new rule */
	top_view_free(&view);
	xpf_snapshot_free(&before);
	xpf_snapshot_free(&now);
}

static void counter_that_went_back_has_no_rate(void **state)
{
	static const struct rule_spec reset[] = {
		{ "SSH/TCP 22", "Admin workstations", 22, 0, 0 },
		{ "HTTP/TCP 8080", "Reverse proxy", 8080, 5, 500 },
		{ "SIP/MTLS/TCP 5061", "Edge Server", 5061, 1, 100 },
	};
	struct xpf_snapshot before, now;
	struct top_view view = { .sort = TOP_SORT_RULE };

	(void)state;
	make_snapshot(&before, 10 * SECOND, 0, before_rules, 3);
	make_snapshot(&now, 11 * SECOND, 0, reset, 3);
	assert_int_equal(top_view_build(&view, &now, &before), 0);
	assert_false(row_labelled(&view, "HTTP/TCP 8080")->rate_known);
	assert_true(row_labelled(&view, "HTTP/TCP 8080")->packets_per_second == 0.0);
	top_view_free(&view);
	xpf_snapshot_free(&before);
	xpf_snapshot_free(&now);
}

static void sort_keys_order_the_rows(void **state)
{
	/* rates: 22 → 0, 8080 → 10/s, 5061 → 2/s; totals: 5061 > 8080 > 22 */
	static const struct rule_spec after_rules[] = {
		{ "SSH/TCP 22", "Admin workstations", 22, 10, 1000 },
		{ "HTTP/TCP 8080", "Reverse proxy", 8080, 110, 11000 },
		{ "SIP/MTLS/TCP 5061", "Edge Server", 5061, 502, 50200 },
	};
	struct xpf_snapshot before, now;
	struct top_view view = { .sort = TOP_SORT_RATE };

	(void)state;
	make_snapshot(&before, 10 * SECOND, 0, before_rules, 3);
	make_snapshot(&now, 11 * SECOND, 0, after_rules, 3);
	assert_int_equal(top_view_build(&view, &now, &before), 0);
	assert_int_equal(view.rows[0].rule->info.port_first, 8080);
	assert_int_equal(view.rows[1].rule->info.port_first, 5061);
	assert_int_equal(view.rows[2].rule->info.port_first, 22);
	top_view_sort(&view, TOP_SORT_TOTAL);
	assert_int_equal(view.rows[0].rule->info.port_first, 5061);
	assert_int_equal(view.rows[1].rule->info.port_first, 8080);
	assert_int_equal(view.rows[2].rule->info.port_first, 22);
	top_view_sort(&view, TOP_SORT_PORT);
	assert_int_equal(view.rows[0].rule->info.port_first, 22);
	assert_int_equal(view.rows[1].rule->info.port_first, 5061);
	assert_int_equal(view.rows[2].rule->info.port_first, 8080);
	top_view_sort(&view, TOP_SORT_RULE);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(view.rows[i].number, i + 1);
	assert_string_equal(top_sort_name(view.sort), "rule");
	top_view_free(&view);
	xpf_snapshot_free(&before);
	xpf_snapshot_free(&now);
}

struct captured {
	char text[8192];
	int lines, headings;
};

static void capture(void *context, enum top_line_kind kind, const char *line)
{
	struct captured *captured = context;
	size_t used = strlen(captured->text);

	snprintf(captured->text + used, sizeof(captured->text) - used, "%s\n", line);
	captured->lines++;
	captured->headings += kind == TOP_LINE_HEADING;
}

static const char *line_with(const char *text, const char *needle)
{
	const char *hit = strstr(text, needle);

	assert_non_null(hit);
	while (hit > text && hit[-1] != '\n')
		hit--;
	return hit;
}

static void rendered_rows_show_label_route_counts_rates_and_bar(void **state)
{
	static const struct rule_spec after_rules[] = {
		{ "SSH/TCP 22", "Admin workstations", 22, 10, 1000 },
		{ "HTTP/TCP 8080", "Reverse proxy", 8080, 200, 20000 },
		{ "SIP/MTLS/TCP 5061", "Edge Server", 5061, 550, 55000 },
	};
	struct xpf_snapshot before, now;
	struct top_view view = { .sort = TOP_SORT_RATE, .interval = 1 };
	struct captured out = {};
	const char *line;

	(void)state;
	make_snapshot(&before, 10 * SECOND, 0, before_rules, 3);
	make_snapshot(&now, 11 * SECOND, 0, after_rules, 3);
	assert_int_equal(top_view_build(&view, &now, &before), 0);
	top_view_render(&view, 0, capture, &out);
	assert_non_null(strstr(out.text, "xpf top: eth0 (native, enforcing, 3 rules)"));
	assert_non_null(strstr(out.text, "sort: rate"));
	line = line_with(out.text, "HTTP/TCP 8080");
	assert_memory_equal(line, "2   HTTP/TCP 8080        Reverse proxy -> Director", 49);
	/* 200 packets, 20000 bytes ("20.0k"), 100 packets/s, 80000 bits/s, the full bar */
	assert_non_null(strstr(line, "tcp/8080               200    20.0k      100    80.0k  "
				     "############\n"));
	line = line_with(out.text, "SIP/MTLS/TCP 5061");
	assert_non_null(strstr(line, "550    55.0k       50    40.0k  ######......\n"));
	line = line_with(out.text, "SSH/TCP 22");
	assert_non_null(strstr(line, "0        0  ............\n"));
	/* rows by rate: 8080 before 5061 before 22 */
	assert_true(strstr(out.text, "HTTP/TCP 8080") < strstr(out.text, "SIP/MTLS/TCP 5061"));
	assert_true(strstr(out.text, "SIP/MTLS/TCP 5061") < strstr(out.text, "SSH/TCP 22"));
	assert_non_null(strstr(out.text, "flows the host opened on eth0: 0 tracked, 0 open"));
	assert_int_equal(out.headings, 2);	/* the rules' columns, the reasons' columns */

	/* A narrow screen cuts lines, never writes past the width. */
	memset(&out, 0, sizeof(out));
	top_view_render(&view, 60, capture, &out);
	for (char *l = strtok(out.text, "\n"); l; l = strtok(NULL, "\n"))
		assert_true(strlen(l) <= 60);
	top_view_free(&view);
	xpf_snapshot_free(&before);
	xpf_snapshot_free(&now);
}

static void denied_pane_lists_ports_beside_sources(void **state)
{
	struct xpf_snapshot before, now;
	struct top_view view = { .sort = TOP_SORT_RATE, .interval = 1 };
	struct captured out = {};
	struct xpf_snapshot_denied *denied;
	const char *line;

	(void)state;
	make_snapshot(&before, 10 * SECOND, 0, before_rules, 3);
	make_snapshot(&now, 11 * SECOND, 0, before_rules, 3);
	/* No record read: no pane. */
	assert_int_equal(top_view_build(&view, &now, &before), 0);
	top_view_render(&view, 0, capture, &out);
	assert_null(strstr(out.text, "DENIED PORT"));
	top_view_free(&view);

	denied = calloc(1, sizeof(*denied));
	assert_non_null(denied);
	snprintf(denied->ports[0].key, sizeof(denied->ports[0].key), "tcp/3389");
	denied->ports[0].packets = 700;
	snprintf(denied->ports[1].key, sizeof(denied->ports[1].key), "udp/161");
	denied->ports[1].packets = 12;
	denied->port_count = 2;
	snprintf(denied->sources[0].key, sizeof(denied->sources[0].key), "203.0.113.0/24");
	denied->sources[0].packets = 712;
	denied->source_count = 1;
	now.denied = denied;
	memset(&out, 0, sizeof(out));
	assert_int_equal(top_view_build(&view, &now, &before), 0);
	top_view_render(&view, 0, capture, &out);
	assert_non_null(strstr(out.text, "DENIED PORT"));
	/* busiest first: each line a port and its count, then a source and its count */
	line = line_with(out.text, "tcp/3389");
	assert_memory_equal(line, "tcp/3389                        700    203.0.113.0/24           "
				  "       712\n", 74);
	line = line_with(out.text, "udp/161");
	assert_memory_equal(line, "udp/161                          12    ", 39);
	assert_true(strstr(out.text, "tcp/3389") < strstr(out.text, "udp/161"));
	assert_int_equal(out.headings, 3);	/* rules, reasons, denied */
	top_view_free(&view);
	xpf_snapshot_free(&before);
	xpf_snapshot_free(&now);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rates_are_deltas_over_the_elapsed_time),
		cmocka_unit_test(first_sample_has_no_rate),
		cmocka_unit_test(rules_are_matched_across_a_reload),
		cmocka_unit_test(counter_that_went_back_has_no_rate),
		cmocka_unit_test(sort_keys_order_the_rows),
		cmocka_unit_test(rendered_rows_show_label_route_counts_rates_and_bar),
		cmocka_unit_test(denied_pane_lists_ports_beside_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
