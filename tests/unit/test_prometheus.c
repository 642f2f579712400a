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
	xpf_prometheus_write(out, snapshot);
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
		"xpf_info", "xpf_rule_packets_total", "xpf_rule_bytes_total",
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
	snprintf(stats.meta.digest[0], sizeof(stats.meta.digest[0]), "0ld");
	snprintf(stats.meta.digest[1], sizeof(stats.meta.digest[1]), "d1gest");
	stats.rules = rules;
	stats.rule_count = 2;
	rules[0].id = 1024;
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
	assert_non_null(strstr(text,
		"xpf_rule_packets_total{iface=\"eth0\",rule=\"1\",label=\"HTTP/TCP 8080\","
		"proto=\"tcp\",port=\"8080\",source=\"Reverse \\\"proxy\\\"\",destination=\"VIP\","
		"action=\"allow\",direction=\"ingress\"} 12\n"));
	assert_non_null(strstr(
	    text,
	    "xpf_rule_would_drop_total{iface=\"eth0\",rule=\"2\",label=\"TCP/UDP 50,000-59,999\","
	    "proto=\"tcp+udp\",port=\"50000-59999\",source=\"198.51.100.66\","
	    "destination=\"Director\",action=\"deny\",direction=\"ingress\"} 7\n"));
	assert_non_null(strstr(text, "xpf_rule_bytes_total{iface=\"eth0\",rule=\"1\","));
	assert_non_null(strstr(text, "\"} 3456\n"));
	assert_non_null(strstr(text,
		"xpf_reason_packets_total{iface=\"eth0\",reason=\"malformed\"} 3\n"));
	assert_int_equal(count(text, "\nxpf_reason_packets_total{"), XPF_REASON_COUNT);
	assert_int_equal(count(text, "\nxpf_rule_packets_total{"), 2);
	assert_non_null(strstr(text, "\nxpf_flows{iface=\"eth0\"} 5\n"));
	assert_non_null(strstr(text, "\nxpf_flows_open{iface=\"eth0\"} 2\n"));
	assert_non_null(strstr(text,
			       "xpf_info{iface=\"eth0\",mode=\"skb\",audit=\"true\","
			       "site=\"/etc/xpf/eth0.site\",table=\"lync2013-director-dns-hlb\","
			       "generation=\"1\",digest=\"d1gest\"} 1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_values_escape_backslash_quote_newline),
		cmocka_unit_test(families_once_with_help_type_and_every_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
