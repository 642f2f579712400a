/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the Prometheus text format (user/cli/prometheus.c), from a snapshot made by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/prometheus.h"

static char output[32768];

/* What @write prints, in output[] (zeroed first, so it ends in a NUL). */
static const char *written(void (*write)(FILE *, const void *), const void *arg)
{
	FILE *out;

	memset(output, 0, sizeof(output));
	out = fmemopen(output, sizeof(output) - 1, "w");
	assert_non_null(out);
	write(out, arg);
	assert_int_equal(fclose(out), 0);
	return output;
}

static void write_label(FILE *out, const void *value)
{
	xpf_prometheus_label_value(out, value);
}

static void label_values_escape_backslash_quote_newline(void **state)
{
	const char *text = written(write_label, "Lab \"ops\" \\ desk\nwest");

	(void)state;
	assert_string_equal(text, "\"Lab \\\"ops\\\" \\\\ desk\\nwest\"");
}

static void write_snapshot(FILE *out, const void *snapshot)
{
	assert_int_equal(xpf_prometheus_write(out, snapshot), 0);
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void families_once_with_help_type_and_every_sample(void **state)
{
	struct xpf_rule_stat rules[2] = {};
	struct xpf_stats stats = {};
	struct xpf_snapshot snapshot = { .interfaces = &stats, .count = 1 };
	const char *families[] = {
		"xpf_up", "xpf_info", "xpf_rule_packets_total", "xpf_rule_bytes_total",
		"xpf_rule_would_drop_total", "xpf_reason_packets_total", "xpf_reason_bytes_total",
		"xpf_reason_would_drop_total", "xpf_flows", "xpf_flows_open",
	};
	const char *previous = NULL, *text;

	(void)state;
	snprintf(stats.ifname, sizeof(stats.ifname), "eth0");
	stats.mode = XPF_MODE_SKB;
	stats.config.audit = 1;
	/* The generation in force names its own site file: the other one's must not show. */
	stats.generation = 1;
	snprintf(stats.meta.site[0], sizeof(stats.meta.site[0]), "/etc/xpf/old.site");
	snprintf(stats.meta.site[1], sizeof(stats.meta.site[1]), "/etc/xpf/eth0.site");
	snprintf(stats.meta.table[1], sizeof(stats.meta.table[1]), "lync2013-director-dns-hlb");
	stats.rules = rules;
	stats.rule_count = 2;
	rules[0].id = 1024;
	rules[0].info.from_site = 1;
	snprintf(rules[0].info.label, sizeof(rules[0].info.label), "HTTP/TCP 8080");
	snprintf(rules[0].info.source, sizeof(rules[0].info.source), "Reverse \"proxy\"");
	snprintf(rules[0].info.destination, sizeof(rules[0].info.destination), "VIP");
	rules[0].info.protocols = XPF_PROTO_TCP;
	rules[0].info.port_first = rules[0].info.port_last = 8080;
	rules[0].counter = (struct xpf_counter){ .packets = 12, .bytes = 3456, .would_drop = 0 };
	rules[1].id = 1025;
	snprintf(rules[1].info.label, sizeof(rules[1].info.label), "TCP/UDP 50,000-59,999");
	snprintf(rules[1].info.source, sizeof(rules[1].info.source), "198.51.100.66");
	snprintf(rules[1].info.destination, sizeof(rules[1].info.destination), "Director");
	rules[1].info.protocols = XPF_PROTO_TCP | XPF_PROTO_UDP;
	rules[1].info.port_first = 50000;
	rules[1].info.port_last = 59999;
	rules[1].info.action = XPF_ACTION_DROP;
	rules[1].counter = (struct xpf_counter){ .packets = 7, .bytes = 700, .would_drop = 7 };
	stats.reasons[XPF_REASON_MALFORMED].packets = 3;
	stats.flows_tracked = 5;
	stats.flows_open = 2;

	text = written(write_snapshot, &snapshot);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		char help[96], type[96];
		const char *at;

		snprintf(help, sizeof(help), "# HELP %s ", families[i]);
		snprintf(type, sizeof(type), "# TYPE %s %s\n", families[i],
			 strstr(families[i], "_total") ? "counter" : "gauge");
		assert_int_equal(count(text, help), 1);
		assert_int_equal(count(text, type), 1);
		at = strstr(text, help);
		assert_true(!previous || at > previous);	/* in order, each once */
		previous = at;
	}
	/* The rule label: its file, then FNV-1a 64 of the row's other label values (each + '\n'), as
	 * a reader recomputes it (prometheus_check.py computed these two). */
	assert_non_null(strstr(text,
		"xpf_rule_packets_total{device=\"eth0\",rule=\"/etc/xpf/eth0.site:fd2347fc983ccb3b\","
		"label=\"HTTP/TCP 8080\","
		"proto=\"tcp\",port=\"8080\",source=\"Reverse \\\"proxy\\\"\",destination=\"VIP\","
		"action=\"allow\",direction=\"ingress\"} 12\n"));
	assert_non_null(strstr(
	    text,
	    "xpf_rule_would_drop_total{device=\"eth0\","
	    "rule=\"lync2013-director-dns-hlb:296374179549f09f\",label=\"TCP/UDP 50,000-59,999\","
	    "proto=\"tcp+udp\",port=\"50000-59999\",source=\"198.51.100.66\","
	    "destination=\"Director\",action=\"deny\",direction=\"ingress\"} 7\n"));
	assert_non_null(strstr(text, "xpf_rule_bytes_total{device=\"eth0\",rule=\"/etc/xpf/eth0.site:"));
	assert_non_null(strstr(text, "\"} 3456\n"));
	assert_non_null(strstr(text,
		"xpf_reason_packets_total{device=\"eth0\",reason=\"malformed\"} 3\n"));
	assert_int_equal(count(text, "\nxpf_reason_packets_total{"), XPF_REASON_COUNT);
	assert_int_equal(count(text, "\nxpf_rule_packets_total{"), 2);
	assert_non_null(strstr(text, "\nxpf_flows{device=\"eth0\"} 5\n"));
	assert_non_null(strstr(text, "\nxpf_flows_open{device=\"eth0\"} 2\n"));
	assert_non_null(strstr(text, "\nxpf_up{device=\"eth0\"} 1\n"));
	assert_non_null(strstr(text,
			       "xpf_info{device=\"eth0\",mode=\"skb\",audit=\"true\","
			       "site=\"/etc/xpf/eth0.site\",table=\"lync2013-director-dns-hlb\","
			       "generation=\"1\"} 1\n"));
}

/* A site row allowing @port from @source, as the site parser leaves it. */
static void site_row(struct xpf_rule_stat *rule, const char *source, uint16_t port)
{
	memset(rule, 0, sizeof(*rule));
	snprintf(rule->info.label, sizeof(rule->info.label), "TCP %u", port);
	snprintf(rule->info.source, sizeof(rule->info.source), "%s", source);
	snprintf(rule->info.destination, sizeof(rule->info.destination), "Director");
	rule->info.protocols = XPF_PROTO_TCP;
	rule->info.port_first = rule->info.port_last = port;
	rule->info.from_site = 1;
}

static void one_interface(struct xpf_stats *stats, struct xpf_rule_stat *rules, size_t count)
{
	memset(stats, 0, sizeof(*stats));
	snprintf(stats->ifname, sizeof(stats->ifname), "eth0");
	snprintf(stats->meta.site[0], sizeof(stats->meta.site[0]), "/etc/xpf/eth0.site");
	stats->rules = rules;
	stats->rule_count = count;
}

/* The rule label of the packets sample whose port label is @port, into @buf. */
static void rule_label_of(const char *text, const char *port, char *buf, size_t size)
{
	char needle[48];
	const char *line, *rule, *end;

	snprintf(needle, sizeof(needle), "port=\"%s\"", port);
	line = strstr(text, "\nxpf_rule_packets_total{");
	assert_non_null(line);
	while (line && (!strstr(line, needle) || strstr(line, needle) > strchr(line + 1, '\n')))
		line = strstr(line + 1, "\nxpf_rule_packets_total{");
	assert_non_null(line);
	rule = strstr(line, "rule=\"");
	assert_non_null(rule);
	rule += strlen("rule=\"");
	end = strchr(rule, '"');
	assert_true(end && (size_t)(end - rule) < size);
	memcpy(buf, rule, end - rule);
	buf[end - rule] = '\0';
}

static void rule_label_follows_the_row_not_its_position(void **state)
{
	struct xpf_rule_stat rules[3];
	struct xpf_stats stats;
	struct xpf_snapshot snapshot = { .interfaces = &stats, .count = 1 };
	char first_22[128], first_443[128], then_22[128], then_443[128];

	(void)state;
	site_row(&rules[0], "Admin workstations", 22);
	site_row(&rules[1], "Internal Clients", 443);
	one_interface(&stats, rules, 2);
	written(write_snapshot, &snapshot);
	rule_label_of(output, "22", first_22, sizeof(first_22));
	rule_label_of(output, "443", first_443, sizeof(first_443));
	/* A reload that inserts a row before both and swaps them. */
	rules[2] = rules[0];
	site_row(&rules[0], "Any", 80);
	one_interface(&stats, rules, 3);
	written(write_snapshot, &snapshot);
	rule_label_of(output, "22", then_22, sizeof(then_22));
	rule_label_of(output, "443", then_443, sizeof(then_443));
	assert_string_equal(first_22, then_22);
	assert_string_equal(first_443, then_443);
	assert_string_not_equal(first_22, first_443);
	assert_non_null(strstr(first_22, "/etc/xpf/eth0.site:"));
	/* Another file, the same hash. */
	snprintf(stats.meta.site[0], sizeof(stats.meta.site[0]), "/etc/xpf/eth1.site");
	written(write_snapshot, &snapshot);
	rule_label_of(output, "22", then_22, sizeof(then_22));
	assert_string_equal(strchr(first_22, ':'), strchr(then_22, ':'));
	assert_non_null(strstr(then_22, "/etc/xpf/eth1.site:"));
	/* What the row says is its name: another port, another rule. */
	rules[2].info.port_first = rules[2].info.port_last = 2222;
	written(write_snapshot, &snapshot);
	rule_label_of(output, "2222", then_22, sizeof(then_22));
	assert_string_not_equal(first_22, then_22);
}

static void a_row_said_twice_gets_a_second_name(void **state)
{
	struct xpf_rule_stat rules[3];
	struct xpf_stats stats;
	struct xpf_snapshot snapshot = { .interfaces = &stats, .count = 1 };
	char name[128], twice[160];

	(void)state;
	site_row(&rules[0], "Admin workstations", 22);
	site_row(&rules[1], "Internal Clients", 443);
	site_row(&rules[2], "Admin workstations", 22);
	one_interface(&stats, rules, 3);
	written(write_snapshot, &snapshot);
	rule_label_of(output, "22", name, sizeof(name));
	snprintf(twice, sizeof(twice), "rule=\"%s/2\"", name);
	assert_int_equal(count(output, twice), 3);	/* packets, bytes, would_drop */
	snprintf(twice, sizeof(twice), "rule=\"%s\"", name);
	assert_int_equal(count(output, twice), 3);
	assert_null(strstr(output, "/3\""));
}

static void nothing_loaded_is_every_family_without_samples(void **state)
{
	struct xpf_snapshot snapshot = {};
	const char *text;

	(void)state;
	text = written(write_snapshot, &snapshot);
	assert_int_equal(count(text, "# TYPE "), 10);
	for (const char *line = text; *line; line = strchr(line, '\n') + 1)
		assert_true(line[0] == '#');
}

static void an_interface_not_loaded_is_up_0(void **state)
{
	char unread[1][IF_NAMESIZE] = { "eth1" };
	struct xpf_stats stats;
	struct xpf_snapshot snapshot = { .interfaces = &stats, .count = 1, .failed = 1,
					  .unread = unread, .unread_count = 1 };
	const char *text;

	(void)state;
	one_interface(&stats, NULL, 0);
	text = written(write_snapshot, &snapshot);
	assert_non_null(strstr(text, "# TYPE xpf_up gauge\nxpf_up{device=\"eth0\"} 1\n"
				     "xpf_up{device=\"eth1\"} 0\n# HELP xpf_info "));
	assert_int_equal(count(text, "device=\"eth1\""), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_values_escape_backslash_quote_newline),
		cmocka_unit_test(families_once_with_help_type_and_every_sample),
		cmocka_unit_test(rule_label_follows_the_row_not_its_position),
		cmocka_unit_test(a_row_said_twice_gets_a_second_name),
		cmocka_unit_test(nothing_loaded_is_every_family_without_samples),
		cmocka_unit_test(an_interface_not_loaded_is_up_0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
