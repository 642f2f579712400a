/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: source list files, one format a case (user/core/prefix_list.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "core/prefix_list.h"

static void parse_ok(const char *text, struct xpf_prefix_list *list)
{
	struct xpf_error err = {};

	assert_int_equal(xpf_prefix_list_parse(text, "list.txt", list, &err), 0);
	assert_string_equal(err.message, "");
}

static void assert_prefix(const struct xpf_prefix *prefix, const char *expected)
{
	char buf[INET6_ADDRSTRLEN + 4];

	xpf_prefix_format(prefix, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

static const char *parse_error(const char *text, struct xpf_error *err)
{
	struct xpf_prefix_list list = { (void *)1, 1 };

	assert_int_equal(xpf_prefix_list_parse(text, "list.txt", &list, err), -EINVAL);
	assert_null(list.prefixes);
	assert_int_equal(list.count, 0);
	return err->message;
}

static void plain_list_mixes_families(void **state)
{
	struct xpf_prefix_list list;

	(void)state;
	parse_ok("192.0.2.7\n198.51.100.0/24\n2001:db8::/32\n2001:db8::1\n", &list);
	assert_int_equal(list.count, 4);
	assert_prefix(&list.prefixes[0], "192.0.2.7");
	assert_int_equal(list.prefixes[0].len, 32);
	assert_prefix(&list.prefixes[1], "198.51.100.0/24");
	assert_prefix(&list.prefixes[2], "2001:db8::/32");
	assert_int_equal(list.prefixes[3].family, AF_INET6);
	assert_int_equal(list.prefixes[3].len, 128);
	xpf_prefix_list_free(&list);
}

static void firehol_netset_reads_with_its_header(void **state)
{
	static const char netset[] =
		"#\n"
		"# firehol_level1\n"
		"# ipv4 hash:net ipset\n"
		"#\n"
		"# Maintainer      : FireHOL\n"
		"# Source File Date: Mon Dec  7 10:00:00 UTC 2026\n"
		"#\n"
		"0.0.0.0/8\n"
		"1.10.16.0/20\n"
		"198.51.100.23\n";
	struct xpf_prefix_list list;

	(void)state;
	parse_ok(netset, &list);
	assert_int_equal(list.count, 3);
	assert_prefix(&list.prefixes[0], "0.0.0.0/8");
	assert_prefix(&list.prefixes[1], "1.10.16.0/20");
	assert_prefix(&list.prefixes[2], "198.51.100.23");
	xpf_prefix_list_free(&list);
}

static void spamhaus_drop_sbl_tails_are_comments(void **state)
{
	static const char drop[] =
		"; Spamhaus DROP List 2026/12/07 - (c) 2026 The Spamhaus Project\n"
		"; https://www.spamhaus.org/drop/drop.txt\n"
		"; Last-Modified: Mon, 07 Dec 2026 10:00:00 GMT\n"
		"; Expires: Mon, 07 Dec 2026 11:00:00 GMT\n"
		"1.10.16.0/20 ; SBL256894\n"
		"1.19.0.0/16 ; SBL434604\n"
		"2001:678:738::/48 ; SBL523390\n";
	struct xpf_prefix_list list;

	(void)state;
	parse_ok(drop, &list);
	assert_int_equal(list.count, 3);
	assert_prefix(&list.prefixes[0], "1.10.16.0/20");
	assert_prefix(&list.prefixes[1], "1.19.0.0/16");
	assert_prefix(&list.prefixes[2], "2001:678:738::/48");
	xpf_prefix_list_free(&list);
}

static void crlf_blank_lines_and_comments_are_skipped(void **state)
{
	struct xpf_prefix_list list;

	(void)state;
	parse_ok("\r\n   \r\n# a comment\r\n\t203.0.113.9\t# why\r\n  ; another\r\n", &list);
	assert_int_equal(list.count, 1);
	assert_prefix(&list.prefixes[0], "203.0.113.9");
	xpf_prefix_list_free(&list);
}

static void last_line_needs_no_line_break(void **state)
{
	struct xpf_prefix_list list;

	(void)state;
	parse_ok("192.0.2.1\n192.0.2.2", &list);
	assert_int_equal(list.count, 2);
	assert_prefix(&list.prefixes[1], "192.0.2.2");
	xpf_prefix_list_free(&list);
}

static void host_bits_are_cleared(void **state)
{
	struct xpf_prefix_list list;

	(void)state;
	parse_ok("192.0.2.77/24\n", &list);
	assert_prefix(&list.prefixes[0], "192.0.2.0/24");
	xpf_prefix_list_free(&list);
}

static void empty_file_is_an_empty_list(void **state)
{
	struct xpf_prefix_list list;

	(void)state;
	parse_ok("", &list);
	assert_int_equal(list.count, 0);
	xpf_prefix_list_free(&list);
}

static void bad_address_names_file_and_line(void **state)
{
	struct xpf_error err = {};

	(void)state;
	assert_string_equal(parse_error("192.0.2.1\n# fine\n192.0.2.300\n", &err),
			    "list.txt:3: bad address '192.0.2.300'");
}

static void bad_prefix_length_names_file_and_line(void **state)
{
	struct xpf_error err = {};

	(void)state;
	assert_string_equal(parse_error("2001:db8::/129 ; SBL1\n", &err),
			    "list.txt:1: bad prefix length '2001:db8::/129'");
}

static void two_entries_on_a_line_are_an_error(void **state)
{
	struct xpf_error err = {};

	(void)state;
	assert_string_equal(parse_error("192.0.2.1 192.0.2.2\n", &err),
			    "list.txt:1: one address or prefix a line, found '192.0.2.1 192.0.2.2'");
}

static void a_role_name_is_not_an_address(void **state)
{
	struct xpf_error err = {};

	(void)state;
	assert_string_equal(parse_error("\n\nDirector\n", &err), "list.txt:3: bad address 'Director'");
}

static void a_prefix_of_every_address_is_an_error(void **state)
{
	struct xpf_error err = {};

	(void)state;
	assert_string_equal(parse_error("192.0.2.1\n::/0\n", &err),
			    "list.txt:2: '::/0' holds every address: a list names some (a row "
			    "with source Any names all)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_list_mixes_families),
		cmocka_unit_test(firehol_netset_reads_with_its_header),
		cmocka_unit_test(spamhaus_drop_sbl_tails_are_comments),
		cmocka_unit_test(crlf_blank_lines_and_comments_are_skipped),
		cmocka_unit_test(last_line_needs_no_line_break),
		cmocka_unit_test(host_bits_are_cleared),
		cmocka_unit_test(empty_file_is_an_empty_list),
		cmocka_unit_test(bad_address_names_file_and_line),
		cmocka_unit_test(bad_prefix_length_names_file_and_line),
		cmocka_unit_test(two_entries_on_a_line_are_an_error),
		cmocka_unit_test(a_role_name_is_not_an_address),
		cmocka_unit_test(a_prefix_of_every_address_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
