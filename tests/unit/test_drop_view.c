/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: a drop log event as the key=value line of `xpf log --syslog`
 * (user/cli/drop_view.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/drop_view.h"

static struct xpf_filter filter = { .ifname = "eth0" };

/* 2026-12-07T16:50:00.123Z, TCP 198.51.100.7:51000 -> 192.0.2.101:443, reason default. */
static struct xpf_drop tcp_drop(void)
{
	struct xpf_drop drop = { .filter = &filter, .realtime_ns = 1796662200123000000ull };

	drop.event.family = AF_INET;
	drop.event.protocol = IPPROTO_TCP;
	drop.event.flags = XPF_LOG_HAS_PORTS;
	drop.event.source_port = 51000;
	drop.event.dest_port = 443;
	drop.event.packet_bytes = 60;
	drop.event.reason = XPF_REASON_DEFAULT;
	inet_pton(AF_INET, "198.51.100.7", drop.event.source);
	inet_pton(AF_INET, "192.0.2.101", drop.event.destination);
	return drop;
}

static void default_drop_has_the_json_keys_in_order(void **state)
{
	struct xpf_drop drop = tcp_drop();
	char line[1024];

	(void)state;
	xpf_drop_format_fields(&drop, line, sizeof(line));
	assert_string_equal(line, "time=2026-12-07T16:50:00.123Z interface=eth0 family=4 "
			    "source=198.51.100.7 destination=192.0.2.101 proto=tcp "
			    "source_port=51000 dest_port=443 reason=default would_drop=0 bytes=60");
}

static void rule_fields_quote_blanks_quotes_and_backslashes(void **state)
{
	struct xpf_drop drop = tcp_drop();
	char line[1024];

	(void)state;
	drop.event.reason = XPF_REASON_RULE;
	drop.event.flags |= XPF_LOG_WOULD_DROP;
	drop.has_rule = true;
	drop.rule_number = 2;
	strcpy(drop.rule.label, "HTTPS/TCP 443");
	strcpy(drop.rule.source, "Lab \"ops\" \\ desk");
	strcpy(drop.rule.destination, "Director");
	drop.rule.line = 16;
	xpf_drop_format_fields(&drop, line, sizeof(line));
	assert_non_null(strstr(line, " reason=rule rule_id=2 rule_label=\"HTTPS/TCP 443\" "
				     "rule_source=\"Lab \\\"ops\\\" \\\\ desk\" "
				     "rule_destination=Director rule_line=16 would_drop=1 bytes=60"));
}

static void icmp_has_no_ports(void **state)
{
	struct xpf_drop drop = tcp_drop();
	char line[1024];

	(void)state;
	drop.event.protocol = IPPROTO_ICMP;
	drop.event.flags = 0;
	xpf_drop_format_fields(&drop, line, sizeof(line));
	assert_null(strstr(line, "port="));
	assert_non_null(strstr(line, " proto=icmp reason=default "));
}

static void short_buffer_keeps_whole_fields(void **state)
{
	struct xpf_drop drop = tcp_drop();
	char line[60];

	(void)state;
	xpf_drop_format_fields(&drop, line, sizeof(line));
	assert_string_equal(line, "time=2026-12-07T16:50:00.123Z interface=eth0 family=4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_drop_has_the_json_keys_in_order),
		cmocka_unit_test(rule_fields_quote_blanks_quotes_and_backslashes),
		cmocka_unit_test(icmp_has_no_ports),
		cmocka_unit_test(short_buffer_keeps_whole_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
