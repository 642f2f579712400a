/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the protocol cell of a port table (user/core/protocol.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "core/config.h"

/* The labels' copies: they outlive parse_ok()'s row. */
static struct xpf_strings strings;

static struct xpf_row parse_ok(const char *cell)
{
	struct xpf_row row;
	const char *problem = "unset";

	memset(&row, 0, sizeof(row));
	assert_int_equal(xpf_row_parse_protocol(cell, &strings, &row, &problem), 0);
	assert_null(problem);
	return row;
}

static const char *parse_problem(const char *cell)
{
	static struct xpf_row row;
	const char *problem = NULL;

	memset(&row, 0xab, sizeof(row));
	assert_int_equal(xpf_row_parse_protocol(cell, &strings, &row, &problem), -EINVAL);
	assert_non_null(problem);
	/* Nothing half-parsed survives. */
	assert_string_equal(row.label, "");
	assert_int_equal(row.protocols, 0);
	assert_int_equal(row.port_first, 0);
	assert_int_equal(row.port_last, 0);
	return problem;
}

static void http_tcp_8080_parses(void **state)
{
	struct xpf_row row = parse_ok("HTTP/TCP 8080");

	(void)state;
	assert_string_equal(row.label, "HTTP/TCP 8080");
	assert_int_equal(row.protocols, XPF_PROTO_TCP);
	assert_int_equal(row.port_first, 8080);
	assert_int_equal(row.port_last, 8080);
}

static void port_after_slash_parses(void **state)
{
	struct xpf_row row = parse_ok("MTLS/TCP/50001");

	(void)state;
	assert_string_equal(row.label, "MTLS/TCP/50001");
	assert_int_equal(row.protocols, XPF_PROTO_TCP);
	assert_int_equal(row.port_first, 50001);
	assert_int_equal(row.port_last, 50001);
}

static void labels_before_transport_are_kept(void **state)
{
	struct xpf_row row = parse_ok("SIP/MTLS/TCP 5061");

	(void)state;
	assert_string_equal(row.label, "SIP/MTLS/TCP 5061");
	assert_int_equal(row.port_first, 5061);
}

static void tcp_udp_means_both(void **state)
{
	struct xpf_row row = parse_ok("TCP/UDP 3478");

	(void)state;
	assert_int_equal(row.protocols, XPF_PROTO_TCP | XPF_PROTO_UDP);
}

static void udp_alone_is_udp(void **state)
{
	struct xpf_row row = parse_ok("STUN/UDP 3478");

	(void)state;
	assert_int_equal(row.protocols, XPF_PROTO_UDP);
}

static void transport_is_case_insensitive(void **state)
{
	struct xpf_row row = parse_ok("http/tcp 80");

	(void)state;
	assert_int_equal(row.protocols, XPF_PROTO_TCP);
	assert_string_equal(row.label, "http/tcp 80");
}

static void range_parses(void **state)
{
	struct xpf_row row = parse_ok("MTLS/TCP 50001-50003");

	(void)state;
	assert_int_equal(row.port_first, 50001);
	assert_int_equal(row.port_last, 50003);
}

static void thousands_separators_are_accepted(void **state)
{
	struct xpf_row row = parse_ok("TCP/UDP 50,000-59,999");

	(void)state;
	assert_int_equal(row.protocols, XPF_PROTO_TCP | XPF_PROTO_UDP);
	assert_int_equal(row.port_first, 50000);
	assert_int_equal(row.port_last, 59999);
}

static void full_port_range_is_accepted(void **state)
{
	struct xpf_row row = parse_ok("TCP 1-65535");

	(void)state;
	assert_int_equal(row.port_first, 1);
	assert_int_equal(row.port_last, 65535);
}

static void blanks_in_label_are_folded(void **state)
{
	struct xpf_row row = parse_ok("  HTTP/TCP \n\t 8080 ");

	(void)state;
	assert_string_equal(row.label, "HTTP/TCP 8080");
}

static void missing_transport_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("HTTP 8080"), "no transport (TCP or UDP) in 'HTTP 8080'");
}

static void empty_cell_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("  "), "no transport (TCP or UDP) in ''");
}

static void missing_port_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("HTTPS/TCP"), "no port in 'HTTPS/TCP'");
}

static void two_ports_are_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("TCP 80/443"),
			    "more than one port: write one row per port, or a range FIRST-LAST in "
			    "'TCP 80/443'");
}

#define PORT_LIST(list, cell)                                                                  \
	"a list of ports '" list "' is not allowed here: write one row per port, or a range "  \
	"FIRST-LAST (a comma before three digits is a thousands separator, as in 50,000) in '" \
	cell "'"

static void port_list_is_refused_saying_so(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("SSH/TCP 22,80"), PORT_LIST("22,80", "SSH/TCP 22,80"));
	assert_string_equal(parse_problem("TCP 5060,5061"), PORT_LIST("5060,5061", "TCP 5060,5061"));
}

static void port_0_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("TCP 0"), "port 0 out of range 1-65535 in 'TCP 0'");
}

static void port_70000_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("HTTP/TCP 70000"),
			    "port 70000 out of range 1-65535 in 'HTTP/TCP 70000'");
}

static void huge_port_is_rejected_without_overflow(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("TCP 18446744073709551617"),
			    "port 18446744073709551617 out of range 1-65535 in "
			    "'TCP 18446744073709551617'");
}

static void range_end_out_of_range_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("UDP 60000-70000"),
			    "port 70000 out of range 1-65535 in 'UDP 60000-70000'");
}

static void range_start_0_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("UDP 0-10"), "port 0 out of range 1-65535 in 'UDP 0-10'");
}

static void reversed_range_is_rejected(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("TCP 5000-4000"),
			    "reversed port range 5000-4000 in 'TCP 5000-4000'");
}

static void letters_in_number_are_a_bad_number(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("TCP 50x1"), "bad port number '50x1' in 'TCP 50x1'");
}

static void comma_without_three_digits_is_a_list(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("TCP 50,00"), PORT_LIST("50,00", "TCP 50,00"));
	assert_string_equal(parse_problem("TCP 5,0000"), PORT_LIST("5,0000", "TCP 5,0000"));
}

static void open_range_is_a_bad_number(void **state)
{
	(void)state;
	assert_string_equal(parse_problem("TCP 5000-"), "bad port number '5000-' in 'TCP 5000-'");
	assert_string_equal(parse_problem("TCP 1-2-3"), "bad port number '1-2-3' in 'TCP 1-2-3'");
}

static void overlong_cell_is_rejected(void **state)
{
	char cell[XPF_LABEL_MAX + 16];

	(void)state;
	memset(cell, 'A', sizeof(cell) - 1);
	cell[sizeof(cell) - 1] = '\0';
	memcpy(cell, "TCP 80 ", 7);
	assert_non_null(strstr(parse_problem(cell), "protocol cell longer than 63 characters"));
}

/* The family's cells as published. */
static void family_cells_parse(void **state)
{
	struct xpf_row row;

	(void)state;
	row = parse_ok("Web Conferencing/PSOM(TLS)TCP/443");	/* a slash missing */
	assert_int_equal(row.protocols, XPF_PROTO_TCP);
	assert_int_equal(row.port_first, 443);
	row = parse_ok("A/V/STUN,MSTURN/UDP/3478");
	assert_int_equal(row.protocols, XPF_PROTO_UDP);
	assert_int_equal(row.port_first, 3478);
	row = parse_ok("Access/SIP(MTLS)/TCP/5061");
	assert_int_equal(row.protocols, XPF_PROTO_TCP);
	row = parse_ok("A/V/RTP/TCP/50,000-59,999");
	assert_int_equal(row.port_first, 50000);
	assert_int_equal(row.port_last, 59999);
}

/* TLS runs over TCP alone: a cell that names it and no transport is TCP; HTTP is not. */
static void tls_without_transport_is_tcp(void **state)
{
	struct xpf_row row;

	(void)state;
	row = parse_ok("XMPP/MTLS/23456");
	assert_int_equal(row.protocols, XPF_PROTO_TCP);
	assert_int_equal(row.port_first, 23456);
	row = parse_ok("SIP(TLS) 443");
	assert_int_equal(row.protocols, XPF_PROTO_TCP);
	row = parse_ok("MTLS/UDP 5000");	/* a transport named is the transport */
	assert_int_equal(row.protocols, XPF_PROTO_UDP);
	assert_string_equal(parse_problem("HTTPS 443"), "no transport (TCP or UDP) in 'HTTPS 443'");
	assert_string_equal(parse_problem("DTLS 443"), "no transport (TCP or UDP) in 'DTLS 443'");
}

static uint8_t transport_of(const char *cell)
{
	const char *problem = "unset";
	uint8_t protocols = 0xff;

	assert_int_equal(xpf_transport_parse(cell, &protocols, &problem), 0);
	assert_null(problem);
	return protocols;
}

static void transport_cells_parse(void **state)
{
	const char *problem;
	uint8_t protocols;

	(void)state;
	assert_int_equal(transport_of("TCP"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("UDP"), XPF_PROTO_UDP);
	assert_int_equal(transport_of("TCP/UDP"), XPF_PROTO_TCP | XPF_PROTO_UDP);
	assert_int_equal(transport_of("TCP (TLS)"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("TCP (TLS) and TCP (MTLS)"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("TCP and HTTP"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("HTTPS TCP"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("HTTPS (from reverse proxy)"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("HTTP"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("UDP (STUN/MSTURN)"), XPF_PROTO_UDP);
	assert_int_equal(transport_of("TCP (PSOM/TLS)"), XPF_PROTO_TCP);
	assert_int_equal(transport_of("DHCP"), XPF_PROTO_UDP);
	/* Notes written into the cell: its transport still counts. */
	assert_int_equal(transport_of("TCP - Client and device retrieval of root certificate"),
			 XPF_PROTO_TCP);
	assert_int_equal(xpf_transport_parse("DCOM and remote procedure call (RPC)", &protocols,
					     &problem), -EINVAL);
	assert_string_equal(problem, "no transport (TCP or UDP, or a protocol that stands for "
				     "one) in 'DCOM and remote procedure call (RPC)'");
	assert_int_equal(xpf_transport_parse(" ", &protocols, &problem), -EINVAL);
	assert_string_equal(problem, "empty protocol cell");
	/* A word that only contains a transport's letters is no transport. */
	assert_int_equal(xpf_transport_parse("TCPX", &protocols, &problem), -EINVAL);
}

static void port_cells_parse(void **state)
{
	uint16_t first[4], last[4];
	const char *problem;

	(void)state;
	assert_int_equal(xpf_ports_parse("5061", first, last, 4, &problem), 1);
	assert_int_equal(first[0], 5061);
	assert_int_equal(last[0], 5061);
	assert_int_equal(xpf_ports_parse("57501-65535", first, last, 4, &problem), 1);
	assert_int_equal(first[0], 57501);
	assert_int_equal(last[0], 65535);
	assert_int_equal(xpf_ports_parse("67/68", first, last, 4, &problem), 2);
	assert_int_equal(first[0], 67);
	assert_int_equal(first[1], 68);
	assert_int_equal(last[1], 68);
	assert_int_equal(xpf_ports_parse("1024-65535 *", first, last, 4, &problem), 1);
	assert_int_equal(first[0], 1024);
	assert_int_equal(xpf_ports_parse("50,000-59,999", first, last, 4, &problem), 1);
	assert_int_equal(last[0], 59999);
	assert_int_equal(xpf_ports_parse("1/2/3", first, last, 2, &problem), -EINVAL);
	assert_string_equal(problem, "more than 2 ports in '1/2/3'");
	assert_int_equal(xpf_ports_parse("*", first, last, 4, &problem), -EINVAL);
	assert_string_equal(problem, "empty port cell");
	assert_int_equal(xpf_ports_parse("80 and 443", first, last, 4, &problem), -EINVAL);
	assert_string_equal(problem, "bad port number '80 and 443' in '80 and 443'");
	assert_int_equal(xpf_ports_parse("0", first, last, 4, &problem), -EINVAL);
	assert_string_equal(problem, "port 0 out of range 1-65535 in '0'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(http_tcp_8080_parses),
		cmocka_unit_test(port_after_slash_parses),
		cmocka_unit_test(labels_before_transport_are_kept),
		cmocka_unit_test(tcp_udp_means_both),
		cmocka_unit_test(udp_alone_is_udp),
		cmocka_unit_test(transport_is_case_insensitive),
		cmocka_unit_test(range_parses),
		cmocka_unit_test(thousands_separators_are_accepted),
		cmocka_unit_test(full_port_range_is_accepted),
		cmocka_unit_test(blanks_in_label_are_folded),
		cmocka_unit_test(missing_transport_is_rejected),
		cmocka_unit_test(empty_cell_is_rejected),
		cmocka_unit_test(missing_port_is_rejected),
		cmocka_unit_test(two_ports_are_rejected),
		cmocka_unit_test(port_0_is_rejected),
		cmocka_unit_test(port_70000_is_rejected),
		cmocka_unit_test(huge_port_is_rejected_without_overflow),
		cmocka_unit_test(range_end_out_of_range_is_rejected),
		cmocka_unit_test(range_start_0_is_rejected),
		cmocka_unit_test(reversed_range_is_rejected),
		cmocka_unit_test(letters_in_number_are_a_bad_number),
		cmocka_unit_test(comma_without_three_digits_is_a_list),
		cmocka_unit_test(port_list_is_refused_saying_so),
		cmocka_unit_test(open_range_is_a_bad_number),
		cmocka_unit_test(overlong_cell_is_rejected),
		cmocka_unit_test(family_cells_parse),
		cmocka_unit_test(tls_without_transport_is_tcp),
		cmocka_unit_test(transport_cells_parse),
		cmocka_unit_test(port_cells_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
