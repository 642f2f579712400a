/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: addresses, prefixes, role-name matching and error formatting (user/core/prefix.c,
 * user/core/error.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "core/config.h"

static struct xpf_prefix parse_ok(const char *text)
{
	struct xpf_prefix prefix;
	const char *problem = "unset";

	assert_int_equal(xpf_prefix_parse(text, &prefix, &problem), 0);
	assert_null(problem);
	return prefix;
}

static const char *parse_problem(const char *text)
{
	struct xpf_prefix prefix;
	const char *problem = NULL;

	assert_int_equal(xpf_prefix_parse(text, &prefix, &problem), -EINVAL);
	assert_non_null(problem);
	return problem;
}

static void format(const struct xpf_prefix *prefix, char *buf)
{
	xpf_prefix_format(prefix, buf, INET6_ADDRSTRLEN + 4);
}

static void ipv4_host_parses_as_slash_32(void **state)
{
	struct xpf_prefix p = parse_ok("192.0.2.1");
	const uint8_t want[16] = { 192, 0, 2, 1 };

	(void)state;
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 32);
	assert_memory_equal(p.addr, want, 16);
}

static void ipv4_prefix_clears_host_bits(void **state)
{
	struct xpf_prefix p = parse_ok("192.0.2.77/25");
	const uint8_t want[16] = { 192, 0, 2, 0 };

	(void)state;
	assert_int_equal(p.len, 25);
	assert_memory_equal(p.addr, want, 16);
}

static void ipv6_prefix_clears_host_bits(void **state)
{
	struct xpf_prefix p = parse_ok("2001:db8:ffff::1/36");
	const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xf0 };

	(void)state;
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.len, 36);
	assert_memory_equal(p.addr, want, 16);
}

static void blanks_around_prefix_are_ignored(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("  10.0.0.0/8 \t").len, 8);
}

static void octet_300_is_a_bad_address(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("300.1.2.3"), "bad address");
}

static void three_octets_are_a_bad_address(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("10.1.2"), "bad address");
}

static void empty_text_is_a_bad_address(void **state)
{
	(void)state;
	assert_string_equal(parse_problem(""), "bad address");
	assert_string_equal(parse_problem("   "), "bad address");
}

static void ipv4_prefix_length_33_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("10.0.0.0/33"), "bad prefix length");
}

static void ipv6_prefix_length_129_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("2001:db8::/129"), "bad prefix length");
}

static void prefix_length_must_be_plain_digits(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("10.0.0.0/"), "bad prefix length");
	assert_string_equal(parse_problem("10.0.0.0/+8"), "bad prefix length");
	assert_string_equal(parse_problem("10.0.0.0/0x8"), "bad prefix length");
	assert_string_equal(parse_problem("10.0.0.0/8/8"), "bad prefix length");
}

static void output_is_zeroed_after_error(void **state)
{
	struct xpf_prefix p;
	const char *problem;

	(void)state;
	memset(&p, 0xab, sizeof(p));
	assert_int_equal(xpf_prefix_parse("10.0.0.0/40", &p, &problem), -EINVAL);
	assert_int_equal(p.family, 0);
	assert_int_equal(p.len, 0);
}

static void contains_needs_same_family_and_shorter_prefix(void **state)
{
	struct xpf_prefix net = parse_ok("192.0.2.0/24"), host = parse_ok("192.0.2.9");
	struct xpf_prefix other = parse_ok("192.0.3.9"), v6 = parse_ok("::/0");
	struct xpf_prefix any4 = parse_ok("0.0.0.0/0");

	(void)state;
	assert_true(xpf_prefix_contains(&net, &host));
	assert_true(xpf_prefix_contains(&net, &net));
	assert_false(xpf_prefix_contains(&host, &net));
	assert_false(xpf_prefix_contains(&net, &other));
	assert_false(xpf_prefix_contains(&v6, &host));
	assert_true(xpf_prefix_contains(&any4, &host));
}

static void contains_checks_partial_byte(void **state)
{
	struct xpf_prefix net = parse_ok("10.0.0.128/25");
	struct xpf_prefix in = parse_ok("10.0.0.200"), out = parse_ok("10.0.0.100");

	(void)state;
	assert_true(xpf_prefix_contains(&net, &in));
	assert_false(xpf_prefix_contains(&net, &out));
}

static void format_omits_full_length(void **state)
{
	struct xpf_prefix v4 = parse_ok("192.0.2.1"), v6 = parse_ok("2001:db8::1");
	char buf[INET6_ADDRSTRLEN + 4];

	(void)state;
	format(&v4, buf);
	assert_string_equal(buf, "192.0.2.1");
	format(&v6, buf);
	assert_string_equal(buf, "2001:db8::1");
}

static void format_prints_prefix_length(void **state)
{
	struct xpf_prefix v4 = parse_ok("10.1.2.3/8"), v6 = parse_ok("2001:db8::/32");
	char buf[INET6_ADDRSTRLEN + 4];

	(void)state;
	format(&v4, buf);
	assert_string_equal(buf, "10.0.0.0/8");
	format(&v6, buf);
	assert_string_equal(buf, "2001:db8::/32");
}

static void address_typos_look_like_addresses(void **state)
{
	(void)state;
	assert_true(xpf_looks_like_address("300.1.2.3"));
	assert_true(xpf_looks_like_address("10.0.0.0/33"));
	assert_true(xpf_looks_like_address("2001:db8::/129"));
	assert_true(xpf_looks_like_address("::1"));
	assert_true(xpf_looks_like_address(" 10.0.0.1 "));
}

static void role_names_do_not_look_like_addresses(void **state)
{
	(void)state;
	assert_false(xpf_looks_like_address("Director"));
	assert_false(xpf_looks_like_address("Front End pool or Front End Server"));
	assert_false(xpf_looks_like_address("Any"));
	assert_false(xpf_looks_like_address("Site A: web"));
	assert_false(xpf_looks_like_address("2013"));
	assert_false(xpf_looks_like_address(""));
}

static void role_names_match_ignoring_case_and_blanks(void **state)
{
	(void)state;
	assert_true(xpf_role_name_equal("Front End pool", "front  endpool"));
	assert_true(xpf_role_name_equal("Director", " DIRECTOR\t"));
	assert_false(xpf_role_name_equal("Director", "Directors"));
	assert_false(xpf_role_name_equal("Director", ""));
	assert_true(xpf_role_name_equal("", "  "));
}

static void error_carries_file_and_line(void **state)
{
	struct xpf_error err;

	(void)state;
	assert_int_equal(xpf_error_set(&err, "site.conf", 12, "unknown role '%s'", "X"), -EINVAL);
	assert_string_equal(err.message, "site.conf:12: unknown role 'X'");
}

static void error_without_line_carries_file_only(void **state)
{
	struct xpf_error err;

	(void)state;
	xpf_error_set(&err, "t.txt", 0, "no header row found");
	assert_string_equal(err.message, "t.txt: no header row found");
}

static void long_error_is_cut_and_terminated(void **state)
{
	char long_text[2 * XPF_MESSAGE_MAX];
	struct xpf_error err;

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	xpf_error_set(&err, "f", 1, "%s", long_text);
	assert_int_equal(strlen(err.message), XPF_MESSAGE_MAX - 1);
	assert_memory_equal(err.message, "f:1: xxx", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_host_parses_as_slash_32),
		cmocka_unit_test(ipv4_prefix_clears_host_bits),
		cmocka_unit_test(ipv6_prefix_clears_host_bits),
		cmocka_unit_test(blanks_around_prefix_are_ignored),
		cmocka_unit_test(octet_300_is_a_bad_address),
		cmocka_unit_test(three_octets_are_a_bad_address),
		cmocka_unit_test(empty_text_is_a_bad_address),
		cmocka_unit_test(ipv4_prefix_length_33_is_rejected),
		cmocka_unit_test(ipv6_prefix_length_129_is_rejected),
		cmocka_unit_test(prefix_length_must_be_plain_digits),
		cmocka_unit_test(output_is_zeroed_after_error),
		cmocka_unit_test(contains_needs_same_family_and_shorter_prefix),
		cmocka_unit_test(contains_checks_partial_byte),
		cmocka_unit_test(format_omits_full_length),
		cmocka_unit_test(format_prints_prefix_length),
		cmocka_unit_test(address_typos_look_like_addresses),
		cmocka_unit_test(role_names_do_not_look_like_addresses),
		cmocka_unit_test(role_names_match_ignoring_case_and_blanks),
		cmocka_unit_test(error_carries_file_and_line),
		cmocka_unit_test(error_without_line_carries_file_only),
		cmocka_unit_test(long_error_is_cut_and_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
