/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Unit tests: every page of the published family in tables/ (SOURCES.md there), read as
 * published (user/core/table.c, table_rows.c). Each test pins what its page yields: its tables
 * (header line, layout, caption), every row compiled (line, transport, ports, label, source ->
 * destination) and every row reported, with its line and why. A page that yields anything else
 * fails here first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

#ifndef XPF_TABLE_DIR
#define XPF_TABLE_DIR "tables"
#endif

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	return text;
}

static const char *transport(uint8_t protocols)
{
	return protocols == (XPF_PROTO_TCP | XPF_PROTO_UDP) ? "tcp+udp" :
	       protocols == XPF_PROTO_TCP ? "tcp" : "udp";
}

/* The page as lines of text, one a table, row or report, in page order. */
static size_t render_page(const struct xpf_table *t, char lines[][512], size_t max)
{
	size_t n = 0;

	for (size_t s = 0; s < t->section_count; s++) {
		const struct xpf_section *sec = &t->sections[s];

		assert_true(n < max);
		snprintf(lines[n++], 512, "table %d %s: %s", sec->header_line,
			 xpf_layout_name(sec->layout), sec->caption);
		for (size_t i = sec->first_row; i < sec->first_row + sec->row_count; i++) {
			const struct xpf_row *r = &t->rows[i];
			char ports[16];

			if (r->port_first == r->port_last)
				snprintf(ports, sizeof(ports), "%u", r->port_first);
			else
				snprintf(ports, sizeof(ports), "%u-%u", r->port_first, r->port_last);
			assert_true(n < max);
			snprintf(lines[n++], 512, "%d %s %s | %s | %s -> %s", r->line,
				 transport(r->protocols), ports, r->label, r->source, r->destination);
		}
		for (size_t i = sec->first_report; i < sec->first_report + sec->report_count; i++) {
			assert_true(n < max);
			snprintf(lines[n++], 512, "reported %d: %s", t->reports[i].line,
				 t->reports[i].problem);
		}
	}
	return n;
}

#define CHECK_PAGE(name, expected) \
	check_page(name, expected, sizeof(expected) / sizeof(expected[0]))

static void check_page(const char *name, const char *const *expected, size_t count)
{
	static char lines[256][512];
	struct xpf_error err = { { 0 } };
	char path[256];
	struct xpf_table table;
	size_t n, reports = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/%s.txt", XPF_TABLE_DIR, name);
	text = read_text(path);
	if (xpf_table_read(text, name, &table, &err))
		fail_msg("%s", err.message);
	n = render_page(&table, lines, 256);
	for (size_t i = 0; i < n && i < count; i++)
		assert_string_equal(lines[i], expected[i]);
	assert_int_equal(n, count);
	/* Every report belongs to a table of the page, and every row to one. */
	for (size_t s = 0; s < table.section_count; s++)
		reports += table.sections[s].report_count;
	assert_int_equal(reports, table.report_count);
	for (size_t i = 0; i < table.count; i++)
		assert_non_null(xpf_table_section_of(&table, &table.rows[i]));
	assert_string_equal(table.rows[0].file, name);
	xpf_table_free(&table);
	free(text);
}
static const char *const lync2013_autodiscover[] = {
	"table 8 flows: Firewall Details for Reverse Proxy Server: External Interface",
	"10 tcp 80 | HTTP/TCP/80 | Any -> Reverse proxy listener",
	"14 tcp 443 | HTTPS/TCP/443 | Any -> Reverse proxy listener",
	"table 19 flows: Firewall Details for Reverse Proxy Server: Internal Interface",
	"21 tcp 8080 | HTTP/TCP/8080 | Internal reverse proxy interface -> Front End Server, "
	  "Front End pool, Director, Director pool, Office Web Apps for conferencing",
	"25 tcp 4443 | HTTPS/TCP/4443 | Internal reverse proxy interface -> Front End "
	  "Server, Front End pool, Director, Director pool, Office Web Apps for conferencing",
};

static void page_lync2013_autodiscover(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-autodiscover", lync2013_autodiscover);
}

static const char *const lync2013_director_dns_hlb[] = {
	"table 5 flows: Single Director Ports and Protocols for Firewall Definitions",
	"7 tcp 8080 | HTTP/TCP 8080 | Reverse proxy internal interface -> Director Hardware "
	  "Load Balancer VIP",
	"11 tcp 4443 | HTTPS/TCP 4443 | Reverse proxy internal interface -> Director "
	  "Hardware Load Balancer VIP",
	"15 tcp 444 | HTTPS/TCP 444 | Director -> Front End pool or Front End Server",
	"19 tcp 80 | HTTP/TCP 80 | Internal Clients -> Director Hardware Load Balancer VIP",
	"23 tcp 443 | HTTPS/TCP 443 | Internal Clients -> Director Hardware Load Balancer VIP",
	"27 tcp 5061 | SIP/MTLS/TCP 5061 | Edge Server internal interface -> Director",
	"31 tcp 50001 | MTLS/TCP/50001 | Any -> Director",
	"35 tcp 50002 | MTLS/TCP/50002 | Any -> Director",
	"39 tcp 50003 | MTLS/TCP/50003 | Any -> Director",
};

static void page_lync2013_director_dns_hlb(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-director-dns-hlb", lync2013_director_dns_hlb);
}

static const char *const lync2013_director_single[] = {
	"table 5 flows: Single Director Ports and Protocols for Firewall Definitions",
	"7 tcp 8080 | HTTP/TCP 8080 | Reverse proxy internal interface -> Director",
	"11 tcp 4443 | HTTPS/TCP 4443 | Reverse proxy internal interface -> Director",
	"15 tcp 444 | HTTPS/TCP 444 | Director -> Front End server or Front End pool",
	"19 tcp 80 | HTTP/TCP 80 | Internal Clients -> Director web services",
	"23 tcp 443 | HTTPS/TCP 443 | Internal Clients -> Director web services",
	"27 tcp 5061 | SIP/MTLS/TCP 5061 | Edge Server internal interface -> Director",
	"31 tcp 50001 | MTLS/TCP/50001 | Any -> Edge Server internal interface",
	"35 tcp 50002 | MTLS/TCP/50002 | Any -> Edge Server internal interface",
	"39 tcp 50003 | MTLS/TCP/50003 | Any -> Edge Server internal interface",
};

static void page_lync2013_director_single(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-director-single", lync2013_director_single);
}

static const char *const lync2013_edge_scaled_dns_nat[] = {
	"table 10 flows: Firewall Summary for Scaled Consolidated Edge, DNS Load Balancing "
	  "with Private IP Addresses Using NAT: External Interface – Node 1 and Node 2 "
	  "(Example)",
	"12 tcp 5269 | XMPP/TCP/5269 | Any -> XMPP Proxy service (shares IP address with "
	  "Access Edge service)",
	"16 tcp 5269 | XMPP/TCP/5269 | XMPP Proxy service (shares IP address with Access "
	  "Edge service) -> Any",
	"20 tcp 80 | Access/HTTP/TCP/80 | Edge Server Access Edge service -> Any",
	"24 tcp 53 | Access/DNS/TCP/53 | Edge Server Access Edge service -> Any",
	"28 udp 53 | Access/DNS/UDP/53 | Edge Server Access Edge service -> Any",
	"32 tcp 443 | Access/SIP(TLS)/TCP/443 | Any -> Edge Server Access Edge service",
	"36 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Any -> Edge Server Access Edge service",
	"40 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service -> Any",
	"44 tcp 443 | Web Conferencing/PSOM(TLS)/TCP/443 | Any -> Edge Server Web "
	  "Conferencing Edge service",
	"48 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service -> Any",
	"52 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Edge Server A/V Edge service -> Any",
	"56 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Any -> Edge Server A/V Edge service",
	"60 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Any -> Edge Server A/V Edge service",
	"64 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service -> Any",
	"68 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Any -> Edge Server A/V Edge service",
	"72 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Any -> Edge Server A/V Edge service",
	"76 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Edge Server A/V Edge service -> Any",
	"table 81 flows: Firewall Summary for Scaled Consolidated Edge, DNS Load Balancing "
	  "with Private IP Addresses Using NAT: Internal Interface – Node 1 and Node 2 "
	  "(Example)",
	"83 tcp 23456 | XMPP/MTLS/TCP/23456 | Any (can be defined as Front End Server "
	  "address, or Front End pool IP address running the XMPP Gateway service) -> Edge "
	  "Server internal interface IP address",
	"87 tcp 5061 | SIP/MTLS/TCP/5061 | Any (can be defined as Director, Director pool IP "
	  "address, Front End Server or Front End pool IP address) -> Edge Server internal "
	  "interface",
	"91 tcp 5061 | SIP/MTLS/TCP/5061 | Edge Server internal interface -> Any (can be "
	  "defined as Director, Director pool IP address, Front End Server or Front End pool "
	  "IP address)",
	"95 tcp 8057 | PSOM/MTLS/TCP/8057 | Any (can be defined as Front End Server IP "
	  "address, or each Front End Server IP address in a Front End pool) -> Edge Server "
	  "internal interface",
	"99 tcp 5062 | SIP/MTLS/TCP/5062 | Any (can be defined as Front End Server IP "
	  "address, or Front End pool IP address or any Survivable Branch Appliance or "
	  "Survivable Branch Server using this Edge Server) -> Edge Server internal interface",
	"103 udp 3478 | STUN/MSTURN/UDP/3478 | Any -> Edge Server internal interface",
	"107 tcp 443 | STUN/MSTURN/TCP/443 | Any -> Edge Server internal interface",
	"111 tcp 4443 | HTTPS/TCP/4443 | Any (can be defined as the Front End Server IP "
	  "address, or pool that holds the Central Management store) -> Edge Server internal "
	  "interface",
	"115 tcp 50001 | MTLS/TCP/50001 | Any -> Edge Server internal interface",
	"119 tcp 50002 | MTLS/TCP/50002 | Any -> Edge Server internal interface",
	"123 tcp 50003 | MTLS/TCP/50003 | Any -> Edge Server internal interface",
	"table 128 flows: Firewall Summary for Federation",
	"130 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Access Edge service public IP address -> Any",
	"table 135 flows: Firewall Summary – Public Instant Messaging Connectivity",
	"137 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Public IM connectivity partners -> Edge "
	  "Server Access Edge service",
	"141 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service -> "
	  "Public IM connectivity partners",
	"145 tcp 443 | Access/SIP(TLS)/TCP/443 | Clients -> Edge Server Access Edge service",
	"149 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service -> "
	  "Live Messenger clients",
	"153 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service -> Live "
	  "Messenger clients",
	"157 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Live Messenger clients -> Edge Server A/V "
	  "Edge service",
	"table 162 flows: Firewall Summary for Extensible Messaging and Presence Protocol",
	"164 tcp 5269 | XMPP/TCP/5269 | Any -> Edge Server Access Edge service interface IP "
	  "address",
	"168 tcp 5269 | XMPP/TCP/5269 | Edge Server Access Edge service interface IP address "
	  "-> Any",
	"172 tcp 23456 | XMPP/MTLS/TCP/23456 | Any -> Each internal Edge Server interface IP",
};

static void page_lync2013_edge_scaled_dns_nat(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-edge-scaled-dns-nat", lync2013_edge_scaled_dns_nat);
}

static const char *const lync2013_edge_scaled_dns_public[] = {
	"table 10 flows: Firewall Summary for Scaled Consolidated Edge, DNS Load Balancing "
	  "with Public IP Addresses: External Interface – Node 1 and Node 2 (Example)",
	"12 tcp 5269 | XMPP/TCP/5269 | Any -> XMPP Proxy service (shares IP address with "
	  "Access Edge service)",
	"16 tcp 80 | Access/HTTP/TCP/80 | Edge Server Access Edge service public IP address -> Any",
	"20 tcp 53 | Access/DNS/TCP/53 | Edge Server Access Edge service public IP address -> Any",
	"24 udp 53 | Access/DNS/UDP/53 | Edge Server Access Edge service public IP address -> Any",
	"28 tcp 443 | Access/SIP(TLS)/TCP/443 | Any -> Edge Server Access Edge service "
	  "public IP address",
	"32 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Any -> Edge Server Access Edge service "
	  "public IP address",
	"36 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service public IP "
	  "address -> Any",
	"40 tcp 443 | Web Conferencing/PSOM(TLS)TCP/443 | Any -> Edge Server Web "
	  "Conferencing Edge service public IP address",
	"44 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service "
	  "public IP address -> Any",
	"48 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Edge Server A/V Edge service "
	  "public IP address -> Any",
	"52 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Any -> Edge Server A/V Edge "
	  "service public IP address",
	"56 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Any -> Edge Server A/V Edge "
	  "service public IP address",
	"60 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service public IP "
	  "address -> Any",
	"64 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Any -> Edge Server A/V Edge service public "
	  "IP address",
	"68 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Any -> Edge Server A/V Edge service public "
	  "IP address",
	"72 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Edge Server A/V Edge service -> Any",
	"table 77 flows: Firewall Summary for Scaled Consolidated Edge, DNS Load Balancing "
	  "with Public IP Addresses: Internal Interface – Node 1 and Node 2 (Example)",
	"79 tcp 23456 | XMPP/MTLS/TCP/23456 | Any (can be defined as Front End Server "
	  "address, or Front End pool IP address running the XMPP Gateway service) -> Edge "
	  "Server internal interface",
	"83 tcp 5061 | SIP/MTLS/TCP/5061 | Any (can be defined as Director, Director pool IP "
	  "address, Front End Server or Front End pool IP address) -> Edge Server internal "
	  "interface",
	"87 tcp 5061 | SIP/MTLS/TCP/5061 | Edge Server internal interface -> Any (can be "
	  "defined as Director, Director pool IP address, Front End Server or Front End pool "
	  "IP address)",
	"91 tcp 8057 | PSOM/MTLS/TCP/8057 | Any (can be defined as Front End Server IP "
	  "address, or each Front End Server IP address in a Front End pool) -> Edge Server "
	  "internal interface",
	"95 tcp 5062 | SIP/MTLS/TCP/5062 | Any (can be defined as Front End Server IP "
	  "address, or Front End pool IP address or any Survivable Branch Appliance or "
	  "Survivable Branch Server using this Edge Server) -> Edge Server internal interface",
	"99 udp 3478 | STUN/MSTURN/UDP/3478 | Any -> Edge Server internal interface",
	"103 tcp 443 | STUN/MSTURN/TCP/443 | Any -> Edge Server internal interface",
	"107 tcp 4443 | HTTPS/TCP/4443 | Any (can be defined as the Front End Server IP "
	  "address, or pool that holds the Central Management store) -> Edge Server internal "
	  "interface",
	"111 tcp 50001 | MTLS/TCP/50001 | Any -> Edge Server internal interface",
	"115 tcp 50002 | MTLS/TCP/50002 | Any -> Edge Server internal interface",
	"119 tcp 50003 | MTLS/TCP/50003 | Any -> Edge Server internal interface",
	"table 124 flows: Firewall Summary for Federation",
	"126 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Access Edge service public IP address -> Any",
	"table 131 flows: Firewall Summary – Public Instant Messaging Connectivity",
	"133 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Public IM connectivity partners -> Edge "
	  "Server Access Edge service",
	"137 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service -> "
	  "Public IM connectivity partners",
	"141 tcp 443 | Access/SIP(TLS)/TCP/443 | Clients -> Edge Server Access Edge service",
	"145 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service -> "
	  "Live Messenger clients",
	"149 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service -> Live "
	  "Messenger clients",
	"153 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Live Messenger clients -> Edge Server A/V "
	  "Edge service",
	"table 158 flows: Firewall Summary for Extensible Messaging and Presence Protocol",
	"160 tcp 5269 | XMPP/TCP/5269 | Any -> Edge Server Access Edge service interface IP "
	  "address",
	"164 tcp 5269 | XMPP/TCP/5269 | Edge Server Access Edge service interface IP address "
	  "-> Any",
	"168 tcp 23456 | XMPP/MTLS/TCP/23456 | Any -> Each internal Edge Server Interface IP",
};

static void page_lync2013_edge_scaled_dns_public(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-edge-scaled-dns-public", lync2013_edge_scaled_dns_public);
}

static const char *const lync2013_edge_scaled_hlb[] = {
	"table 10 flows: Firewall Summary for Scaled Consolidated Edge, Hardware Load "
	  "Balanced: External Interface – Node 1 and Node 2 (Example)",
	"12 tcp 80 | Access/HTTP/TCP/80 | Edge Server Access Edge service public IP address -> Any",
	"16 tcp 53 | Access/DNS/TCP/53 | Edge Server Access Edge service public IP address -> Any",
	"20 udp 53 | Access/DNS/UDP/53 | Edge Server Access Edge service public IP address -> Any",
	"24 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service IP "
	  "address -> Any",
	"28 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Edge Server A/V Edge service "
	  "public IP address -> Any",
	"32 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Any -> Edge Server A/V Edge "
	  "service public IP address",
	"36 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Any -> Edge Server A/V Edge "
	  "service public IP address",
	"40 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service public IP "
	  "address -> Any",
	"44 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Any -> Edge Server A/V Edge service public "
	  "IP address",
	"48 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Any -> Edge Server A/V Edge service public "
	  "IP address",
	"52 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Edge Server A/V Edge service public IP "
	  "address -> Any",
	"table 57 flows: Firewall Summary for Scaled Consolidated Edge, Hardware Load "
	  "Balanced: Internal Interface Node 1 and Node 2",
	"59 tcp 23456 | XMPP/MTLS/TCP/23456 | Any (can be defined as Front End Server "
	  "address, or Front End pool virtual IP address running the XMPP Gateway service) -> "
	  "Edge Server internal interface",
	"63 tcp 4443 | HTTPS/TCP/4443 | Any (can be defined as the Front End Server server "
	  "IP or pool that holds the Central Management store) -> Edge Server Internal "
	  "interface",
	"67 tcp 8057 | PSOM/MTLS/TCP/8057 | Any (can be defined as Director IP, Front End "
	  "Server IP or Pool virtual IP) -> Edge Server Internal interface",
	"71 udp 3478 | STUN/MSTURN/UDP/3478 | Any (can be defined as Director IP, Front End "
	  "Server IP or Pool virtual IP) -> Edge Server Internal interface",
	"75 tcp 443 | STUN/MSTURN/TCP/443 | Any (can be defined as Director IP, Front End "
	  "Server IP or Pool virtual IP) -> Edge Server Internal interface",
	"79 tcp 50001 | MTLS/TCP/50001 | Any -> Edge Server internal interface",
	"83 tcp 50002 | MTLS/TCP/50002 | Any -> Edge Server internal interface",
	"87 tcp 50003 | MTLS/TCP/50003 | Any -> Edge Server internal interface",
	"table 107 flows: External Port Settings Required for Scaled Consolidated Edge, "
	  "Hardware Load Balanced: External Interface Virtual IPs",
	"109 tcp 5269 | XMPP/TCP/5269 | Any -> XMPP Proxy service (shares IP address with "
	  "Access Edge service)",
	"113 tcp 5269 | XMPP/TCP/5269 | XMPP Proxy service (shares IP address with Access "
	  "Edge service) -> Any",
	"117 tcp 443 | Access/SIP(TLS)/TCP/443 | Any -> Access Edge service public VIP address",
	"121 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Any -> Access Edge service public VIP address",
	"125 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Access Edge service public VIP address "
	  "-> Federated partner",
	"129 tcp 443 | Web Conferencing/PSOM(TLS)/TCP/443 | Any -> Edge Server Web "
	  "Conferencing Edge service public VIP address",
	"133 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Any -> Edge Server A/V Edge service "
	  "public VIP address",
	"137 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Any -> Edge Server A/V Edge service public "
	  "VIP address",
	"table 142 flows: Firewall Summary for Scaled Consolidated Edge, Hardware Load "
	  "Balanced: Internal Interface Virtual IPs",
	"144 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Any (can be defined as Director, "
	  "Director pool virtual IP address, Front End Server or Front End pool virtual IP "
	  "address) -> Edge Server Internal VIP interface",
	"148 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Internal VIP interface -> "
	  "Any (can be defined as Director, Director pool virtual IP address, Front End Server "
	  "or Front End pool virtual IP address)",
	"152 tcp 5062 | SIP/MTLS/TCP/5062 | Any (can be defined as Front End Server IP "
	  "address, or Front End pool IP address or any Survivable Branch Appliance or "
	  "Survivable Branch Server using this Edge Server) -> Edge Server Internal VIP "
	  "interface",
	"156 udp 3478 | STUN/MSTURN/UDP/3478 | Any -> Edge Server Internal VIP interface",
	"160 tcp 443 | STUN/MSTURN/TCP/443 | Any -> Edge Server Internal VIP interface",
	"164 tcp 443 | STUN/MSTURN/TCP/443 | Edge Server Internal VIP interface -> Any",
};

static void page_lync2013_edge_scaled_hlb(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-edge-scaled-hlb", lync2013_edge_scaled_hlb);
}

static const char *const lync2013_edge_single_nat[] = {
	"table 10 flows: Firewall Summary for Single Consolidated Edge with Private IP "
	  "Addresses using NAT: External Interface",
	"12 tcp 5269 | XMPP/TCP/5269 | Any -> XMPP Proxy service (shares IP address with "
	  "Access Edge service)",
	"16 tcp 80 | Access/HTTP/TCP/80 | Edge Server Access Edge service -> Any",
	"20 tcp 53 | Access/DNS/TCP/53 | Edge Server Access Edge service -> Any",
	"24 udp 53 | Access/DNS/UDP/53 | Edge Server Access Edge service -> Any",
	"28 tcp 443 | Access/SIP(TLS)/TCP/443 | Any -> Edge Server Access Edge service",
	"32 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Any -> Edge Server Access Edge service",
	"36 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service -> Any",
	"40 tcp 443 | Web Conferencing/PSOM(TLS)/TCP/443 | Any -> Edge Server Web "
	  "Conferencing Edge service",
	"44 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service -> Any",
	"48 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Edge Server A/V Edge service -> Any",
	"52 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Any -> Edge Server A/V Edge service",
	"56 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Any -> Edge Server A/V Edge service",
	"60 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service -> Any",
	"64 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Any -> Edge Server A/V Edge service",
	"68 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Any -> Edge Server A/V Edge service",
	"72 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Edge Server A/V Edge service -> Any",
	"table 77 flows: Firewall Summary for Single Consolidated Edge with Private IP "
	  "Addresses Using NAT: Internal Interface",
	"79 tcp 23456 | XMPP/MTLS/TCP/23456 | Any (can be defined as Standard Edition server "
	  "IP, Standard Edition server IP address, or pool IP address running the XMPP Gateway "
	  "service) -> Edge Server internal interface",
	"83 tcp 5061 | SIP/MTLS/TCP/5061 | Any (can be defined as Director, Director pool IP "
	  "address, Front End Server or Front End pool IP address) -> Edge Server internal "
	  "interface",
	"87 tcp 5061 | SIP/MTLS/TCP/5061 | Edge Server internal interface -> Any (can be "
	  "defined as Director, Director pool IP address, Front End Server or Front End pool "
	  "IP address)",
	"91 tcp 8057 | PSOM/MTLS/TCP/8057 | Any (can be defined as Front End Server IP "
	  "address, or each Front End Server IP address in a Front End pool) -> Edge Server "
	  "internal interface",
	"95 tcp 5062 | SIP/MTLS/TCP/5062 | Any (can be defined as Front End Server IP "
	  "address, or Front End pool IP address or any Survivable Branch Appliance or "
	  "Survivable Branch Server using this Edge Server) -> Edge Server internal interface",
	"99 udp 3478 | STUN/MSTURN/UDP/3478 | Any -> Edge Server internal interface",
	"103 tcp 443 | STUN/MSTURN/TCP/443 | Any -> Edge Server internal interface",
	"107 tcp 4443 | HTTPS/TCP/4443 | Any (can be defined as the Front End Server IP "
	  "address, or pool that holds the Central Management store) -> Edge Server internal "
	  "interface",
	"111 tcp 50001 | MTLS/TCP/50001 | Any -> Edge Server internal interface",
	"115 tcp 50002 | MTLS/TCP/50002 | Any -> Edge Server internal interface",
	"119 tcp 50003 | MTLS/TCP/50003 | Any -> Edge Server internal interface",
	"table 124 flows: Firewall Summary for Federation",
	"126 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Access Edge service public IP address -> Any",
	"table 131 flows: Firewall Summary – Public Instant Messaging Connectivity",
	"133 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Public IM connectivity partners -> Edge "
	  "Server Access Edge service",
	"137 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service -> "
	  "Public IM connectivity partners",
	"141 tcp 443 | Access/SIP(TLS)/TCP/443 | Clients -> Edge Server Access Edge service",
	"145 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service -> "
	  "Live Messenger clients",
	"149 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service -> Live "
	  "Messenger clients",
	"153 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Live Messenger clients -> Edge Server A/V "
	  "Edge service",
	"table 158 flows: Firewall Summary for Extensible Messaging and Presence Protocol",
	"160 tcp 5269 | XMPP/TCP/5269 | Any -> Edge Server Access Edge service interface IP "
	  "address",
	"164 tcp 5269 | XMPP/TCP/5269 | Edge Server Access Edge service interface IP address "
	  "-> Any",
	"168 tcp 23456 | XMPP/MTLS/TCP/23456 | Any -> Each internal Edge Server Interface IP",
};

static void page_lync2013_edge_single_nat(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-edge-single-nat", lync2013_edge_single_nat);
}

static const char *const lync2013_edge_single_public[] = {
	"table 10 flows: Firewall Summary for Single Consolidated Edge with Public IP "
	  "Addresses: External Interface",
	"12 tcp 5269 | XMPP/TCP/5269 | Any -> XMPP Proxy service (shares IP address with "
	  "Access Edge service)",
	"16 tcp 80 | Access/HTTP/TCP/80 | Edge Server Access Edge service public IP address -> Any",
	"20 tcp 53 | Access/DNS/TCP/53 | Edge Server Access Edge service public IP address -> Any",
	"24 udp 53 | Access/DNS/UDP/53 | Edge Server Access Edge service public IP address -> Any",
	"28 tcp 443 | Access/SIP(TLS)/TCP/443 | Any -> Edge Server Access Edge service "
	  "public IP address",
	"32 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Any -> Edge Server Access Edge service "
	  "public IP address",
	"36 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service public IP "
	  "address -> Any",
	"40 tcp 443 | Web Conferencing/PSOM(TLS)/TCP/443 | Any -> Edge Server Web "
	  "Conferencing Edge service public IP address",
	"44 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server Access Edge service "
	  "public IP address -> Any",
	"48 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Edge Server A/V Edge service "
	  "public IP address -> Any",
	"52 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Any -> Edge Server A/V Edge "
	  "service public IP address",
	"56 udp 50000-59999 | A/V/RTP/UDP/50,000-59,999 | Any -> Edge Server A/V Edge "
	  "service public IP address",
	"60 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service public IP "
	  "address -> Any",
	"64 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Any -> Edge Server A/V Edge service public "
	  "IP address",
	"68 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Any -> Edge Server A/V Edge service public "
	  "IP address",
	"72 tcp 443 | A/V/STUN,MSTURN/TCP/443 | Edge Server A/V Edge service public IP "
	  "address -> Any",
	"table 77 flows: Firewall Summary for Single Consolidated Edge with Public IP "
	  "Addresses: Internal Interface",
	"79 tcp 23456 | XMPP/MTLS/TCP/23456 | Any (can be defined as Standard Edition server "
	  "IP, Standard Edition server IP address, or pool IP address running the XMPP Gateway "
	  "service) -> Edge Server internal interface",
	"83 tcp 5061 | SIP/MTLS/TCP/5061 | Any (can be defined as Director, Director pool IP "
	  "address, Front End Server or Front End pool IP address) -> Edge Server IP, or pool "
	  "that holds the internal interface",
	"87 tcp 5061 | SIP/MTLS/TCP/5061 | Edge Server internal interface -> Any (can be "
	  "defined as Director, Director pool IP address, Front End Server or Front End pool "
	  "address)",
	"91 tcp 8057 | PSOM/MTLS/TCP/8057 | Any (can be defined as Front End Server IP "
	  "address, or each Front End Server IP address in a Front End pool) -> Edge Server "
	  "internal interface",
	"95 tcp 5062 | SIP/MTLS/TCP/5062 | Any (can be defined as Front End Server IP "
	  "address, or Front End pool IP address or any Survivable Branch Appliance or "
	  "Survivable Branch Server using this Edge Server) -> Edge Server internal interface",
	"99 udp 3478 | STUN/MSTURN/UDP/3478 | Any -> Edge Server internal interface",
	"103 tcp 443 | STUN/MSTURN/TCP/443 | Any -> Edge Server internal interface",
	"107 tcp 4443 | HTTPS/TCP/4443 | Any (can be defined as the Front End Server IP "
	  "address, or pool that holds the Central Management store) -> Edge Server internal "
	  "interface",
	"111 tcp 50001 | MTLS/TCP/50001 | Any -> Edge Server internal interface",
	"115 tcp 50002 | MTLS/TCP/50002 | Any -> Edge Server internal interface",
	"119 tcp 50003 | MTLS/TCP/50003 | Any -> Edge Server internal interface",
	"table 124 flows: Firewall Summary for Federation",
	"126 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Access Edge service public IP address -> Any",
	"table 131 flows: Firewall Summary – Public Instant Messaging Connectivity",
	"133 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Public IM connectivity partners -> Edge "
	  "Server Access Edge service",
	"137 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access Edge service -> "
	  "Public IM connectivity partners",
	"141 tcp 443 | Access/SIP(TLS)/TCP/443 | Clients -> Edge Server Access Edge service",
	"145 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server A/V Edge service -> "
	  "Live Messenger clients",
	"149 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server A/V Edge service -> Live "
	  "Messenger clients",
	"153 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Live Messenger clients -> Edge Server A/V "
	  "Edge service",
	"table 158 flows: Firewall Summary for Extensible Messaging and Presence Protocol",
	"160 tcp 5269 | XMPP/TCP/5269 | Any -> Edge Server Access Edge service interface IP "
	  "address",
	"164 tcp 5269 | XMPP/TCP/5269 | Edge Server Access Edge service interface IP address "
	  "-> Any",
	"168 tcp 23456 | XMPP/MTLS/TCP/23456 | Any -> Each internal Edge Server Interface IP",
};

static void page_lync2013_edge_single_public(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-edge-single-public", lync2013_edge_single_public);
}

static const char *const lync2013_federation_xmpp[] = {
	"table 8 flows: Firewall Summary - SIP Federation",
	"10 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Access Edge service public IP address -> Any",
	"table 15 flows: Firewall Summary – Public Instant Messaging Connectivity",
	"17 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Public IM connectivity partners -> Edge "
	  "Server Access interface",
	"21 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access interface -> Public IM "
	  "connectivity partners",
	"25 tcp 443 | Access/SIP(TLS)/TCP/443 | Clients -> Edge Server Access interface",
	"29 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server Access interface -> "
	  "Live Messenger clients",
	"33 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server Access interface -> Live "
	  "Messenger clients",
	"37 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Live Messenger clients -> Edge Server "
	  "Access interface",
	"table 42 flows: Firewall Summary - Extensible Messaging and Presence Protocol (XMPP)",
	"44 tcp 5269 | XMPP/TCP/5269 | Any -> Access Edge service interface IP address",
	"48 tcp 5269 | XMPP/TCP/5269 | Access Edge service interface IP address -> Any",
	"52 tcp 23456 | XMPP/MTLS/23456 | Any -> Internal Edge Server Interface IP",
};

static void page_lync2013_federation_xmpp(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-federation-xmpp", lync2013_federation_xmpp);
}

static const char *const lync2013_internal_servers[] = {
	"table 8 server ports: Required Server Ports (by Server Role)",
	"10 udp 1434 | UDP 1434 | Any -> All Servers",
	"15 tcp 5060 | TCP 5060 | Any -> Front End Servers",
	"20 tcp 5061 | TCP (TLS) 5061 | Any -> Front End Servers",
	"25 tcp 444 | HTTPS TCP 444 | Any -> Front End Servers",
	"35 tcp 5062 | TCP 5062 | Any -> Front End Servers",
	"40 tcp 8057 | TCP (TLS) 8057 | Any -> Front End Servers",
	"45 tcp 8058 | TCP (TLS) 8058 | Any -> Front End Servers",
	"50 tcp 5063 | TCP 5063 | Any -> Front End Servers",
	"55 tcp+udp 57501-65535 | TCP/UDP 57501-65535 | Any -> Front End Servers",
	"60 tcp 80 | HTTP 80 | Any -> Front End Servers",
	"65 tcp 443 | HTTPS 443 | Any -> Front End Servers",
	"70 tcp 8080 | TCP and HTTP 8080 | Any -> Front End Servers",
	"75 tcp 4443 | HTTPS 4443 | Any -> Front End Servers",
	"80 tcp 8060 | TCP (MTLS) 8060 | Any -> Front End Servers",
	"85 tcp 8061 | TCP (MTLS) 8061 | Any -> Front End Servers",
	"90 tcp 5086 | TCP (MTLS) 5086 | Any -> Front End Servers",
	"95 tcp 5087 | TCP (MTLS) 5087 | Any -> Front End Servers",
	"100 tcp 443 | HTTPS 443 | Any -> Front End Servers",
	"105 tcp 5064 | TCP 5064 | Any -> Front End Servers",
	"110 tcp 5072 | TCP 5072 | Any -> Front End Servers",
	"115 tcp 5070 | TCP 5070 | Any -> Front End Servers that also run a Collocated "
	  "Mediation Server",
	"120 tcp 5067 | TCP (TLS) 5067 | Any -> Front End Servers that also run a Collocated "
	  "Mediation Server",
	"125 tcp 5068 | TCP 5068 | Any -> Front End Servers that also run a Collocated "
	  "Mediation Server",
	"130 tcp 5081 | TCP 5081 | Any -> Front End Servers that also run a Collocated "
	  "Mediation Server",
	"135 tcp 5082 | TCP (TLS) 5082 | Any -> Front End Servers that also run a Collocated "
	  "Mediation Server",
	"140 tcp 5065 | TCP 5065 | Any -> Front End Servers",
	"145 tcp 49152-65535 | TCP 49152-65535 | Any -> Front End Servers",
	"150 tcp 5073 | TCP 5073 | Any -> Front End Servers",
	"155 tcp 5075 | TCP 5075 | Any -> Front End Servers",
	"160 tcp 5076 | TCP 5076 | Any -> Front End Servers",
	"165 tcp 5066 | TCP 5066 | Any -> Front End Servers",
	"170 tcp 5071 | TCP 5071 | Any -> Front End Servers",
	"175 tcp 8404 | TCP (MTLS) 8404 | Any -> Front End Servers",
	"180 tcp 5080 | TCP 5080 | Any -> Front End Servers",
	"185 tcp 448 | TCP 448 | Any -> Front End Servers",
	"190 tcp 445 | TCP 445 | Any -> Front End Servers where the Central Management store "
	  "resides",
	"195 udp 1434 | UDP 1434 | Any -> All Servers",
	"200 tcp+udp 49152-57500 | TCP/UDP 49152-57500 | Any -> All internal servers",
	"210 tcp 5060 | TCP 5060 | Any -> Directors",
	"215 tcp 444 | HTTPS TCP 444 | Any -> Directors",
	"220 tcp 80 | TCP 80 | Any -> Directors",
	"225 tcp 443 | HTTPS 443 | Any -> Directors",
	"230 tcp 5061 | TCP 5061 | Any -> Directors",
	"235 tcp 5070 | TCP 5070 | Any -> Mediation Servers",
	"240 tcp 5067 | TCP (TLS) 5067 | Any -> Mediation Servers",
	"245 tcp 5068 | TCP 5068 | Any -> Mediation Servers",
	"250 tcp 5070 | TCP (MTLS) 5070 | Any -> Mediation Servers",
	"255 tcp 5041 | TCP (MTLS) 5041 | Any -> Persistent Chat Front End Server",
	"260 tcp 881 | TCP (TLS) and TCP (MTLS) 881 | Any -> Persistent Chat Front End Server",
	"265 tcp 443 | TCP (TLS) 443 | Any -> Persistent Chat Front End Server",
	"reported 33: no transport (TCP or UDP, or a protocol that stands for one) in 'DCOM "
	  "and remote procedure call (RPC)'",
	"reported 208: empty protocol cell in the row of 'Office Web Apps Servers', port "
	  "443: no transport",
	"table 272 load balancer ports: Hardware Load Balancer Ports if Using Only Hardware "
	  "Load Balancing",
	"274 tcp 5061 | TCP (TLS) 5061 | Any -> Front End Server load balancer",
	"277 tcp 444 | HTTPS 444 | Any -> Front End Server load balancer",
	"283 tcp 80 | HTTP 80 | Any -> Front End Server load balancer",
	"286 tcp 8080 | TCP - Client and device retrieval of root certificate from 8080 | "
	  "Any -> Front End Server load balancer",
	"289 tcp 443 | HTTPS 443 | Any -> Front End Server load balancer",
	"292 tcp 4443 | HTTPS (from reverse proxy) 4443 | Any -> Front End Server load balancer",
	"295 tcp 5072 | TCP 5072 | Any -> Front End Server load balancer",
	"298 tcp 5073 | TCP 5073 | Any -> Front End Server load balancer",
	"301 tcp 5075 | TCP 5075 | Any -> Front End Server load balancer",
	"304 tcp 5076 | TCP 5076 | Any -> Front End Server load balancer",
	"307 tcp 5071 | TCP 5071 | Any -> Front End Server load balancer",
	"310 tcp 5080 | TCP 5080 | Any -> Front End Server load balancer",
	"313 tcp 448 | TCP 448 | Any -> Front End Server load balancer",
	"316 tcp 5070 | TCP 5070 | Any -> Mediation Server load balancer",
	"319 tcp 5070 | TCP 5070 | Any -> Front End Server load balancer (if the pool also "
	  "runs Mediation Server)",
	"322 tcp 443 | HTTPS 443 | Any -> Director load balancer",
	"325 tcp 444 | HTTPS 444 | Any -> Director load balancer",
	"328 tcp 5061 | TCP 5061 | Any -> Director load balancer",
	"331 tcp 4443 | HTTPS (from reverse proxy) 4443 | Any -> Director load balancer",
	"reported 282: no transport (TCP or UDP, or a protocol that stands for one) in 'DCOM "
	  "and remote procedure call (RPC)'",
	"table 336 load balancer ports: Hardware Load Balancer Ports if Using DNS Load Balancing",
	"338 tcp 80 | HTTP 80 | Any -> Front End Server load balancer",
	"341 tcp 443 | HTTPS 443 | Any -> Front End Server load balancer",
	"344 tcp 8080 | TCP - Client and device retrieval of root certificate from 8080 | "
	  "Any -> Front End Server load balancer",
	"347 tcp 4443 | HTTPS (from reverse proxy) 4443 | Any -> Front End Server load balancer",
	"350 tcp 443 | HTTPS 443 | Any -> Director load balancer",
	"356 tcp 4443 | HTTPS (from reverse proxy) 4443 | Any -> Director load balancer",
	"reported 353: empty row",
	"table 360 client ports: Required Client Ports",
	"362 udp 67 | DHCP 67/68 | Clients -> Any",
	"362 udp 68 | DHCP 67/68 | Clients -> Any",
	"366 tcp 443 | TCP (TLS) 443 | Clients -> Any",
	"370 tcp 443 | TCP (PSOM/TLS) 443 | Clients -> Any",
	"374 tcp 443 | TCP (STUN/MSTURN) 443 | Clients -> Any",
	"378 udp 3478 | UDP (STUN/MSTURN) 3478 | Clients -> Any",
	"382 tcp 5061 | TCP (MTLS) 5061 | Clients -> Any",
	"386 tcp 6891-6901 | TCP 6891-6901 | Clients -> Any",
	"390 tcp+udp 1024-65535 | TCP/UDP 1024-65535 * | Clients -> Any",
	"394 tcp+udp 1024-65535 | TCP/UDP 1024-65535 * | Clients -> Any",
	"398 tcp 1024-65535 | TCP 1024-65535 * | Clients -> Any",
	"402 tcp 1024-65535 | TCP 1024-65535 * | Clients -> Any",
	"reported 406: component cell longer than 127 characters",
};

static void page_lync2013_internal_servers(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-internal-servers", lync2013_internal_servers);
}

static const char *const lync2013_public_im_connectivity[] = {
	"table 6 flows: Firewall Summary – Public Instant Messaging Connectivity",
	"8 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Public IM connectivity partners -> Edge "
	  "Server Access interface",
	"12 tcp 5061 | Access/SIP(MTLS)/TCP/5061 | Edge Server Access interface -> Public IM "
	  "connectivity partners",
	"16 tcp 443 | Access/SIP(TLS)/TCP/443 | Clients -> Edge Server Access interface",
	"20 tcp 50000-59999 | A/V/RTP/TCP/50,000-59,999 | Edge Server Access interface -> "
	  "Live Messenger clients",
	"24 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Edge Server Access interface -> Live "
	  "Messenger clients",
	"28 udp 3478 | A/V/STUN,MSTURN/UDP/3478 | Live Messenger clients -> Edge Server "
	  "Access interface",
};

static void page_lync2013_public_im_connectivity(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-public-im-connectivity", lync2013_public_im_connectivity);
}

static const char *const lync2013_xmpp_federation_only[] = {
	"table 5 flows: Firewall Summary for Extensible Messaging and Presence Protocol",
	"7 tcp 5269 | XMPP/TCP/5269 | Any -> Access Edge service interface IP address",
	"11 tcp 5269 | XMPP/TCP/5269 | Access Edge service interface IP address -> Any",
	"15 tcp 23456 | XMPP/MTLS/23456 | Any -> Internal Edge Server Interface IP",
};

static void page_lync2013_xmpp_federation_only(void **state)
{
	(void)state;
	CHECK_PAGE("lync2013-xmpp-federation-only", lync2013_xmpp_federation_only);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_lync2013_autodiscover),
		cmocka_unit_test(page_lync2013_director_dns_hlb),
		cmocka_unit_test(page_lync2013_director_single),
		cmocka_unit_test(page_lync2013_edge_scaled_dns_nat),
		cmocka_unit_test(page_lync2013_edge_scaled_dns_public),
		cmocka_unit_test(page_lync2013_edge_scaled_hlb),
		cmocka_unit_test(page_lync2013_edge_single_nat),
		cmocka_unit_test(page_lync2013_edge_single_public),
		cmocka_unit_test(page_lync2013_federation_xmpp),
		cmocka_unit_test(page_lync2013_internal_servers),
		cmocka_unit_test(page_lync2013_public_im_connectivity),
		cmocka_unit_test(page_lync2013_xmpp_federation_only),
	};

	return cmocka_run_group_tests_name("published pages", tests, NULL, NULL);
}
