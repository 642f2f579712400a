// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The packet `xpf explain` builds (user/core/probe.c), byte by byte, and the roles of an
 * address. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "core/config.h"
#include "core/probe.h"

static void host(const char *text, struct xpf_prefix *out)
{
	const char *problem;

	assert_int_equal(xpf_prefix_parse(text, out, &problem), 0);
}

static uint16_t get16(const uint8_t *at)
{
	return (uint16_t)(at[0] << 8 | at[1]);
}

static void tcp_syn_v4_is_ethernet_ipv4_tcp(void **state)
{
	struct xpf_probe probe = { .protocol = IPPROTO_TCP, .source_port = 51000,
				   .dest_port = 5061 };
	uint8_t frame[XPF_PROBE_MAX_BYTES];
	size_t length;

	(void)state;
	host("192.0.2.50", &probe.source);
	host("192.0.2.101", &probe.destination);
	length = xpf_probe_build(&probe, frame, sizeof(frame));
	assert_int_equal(length, 14 + 20 + 20 + 8);
	assert_int_equal(get16(frame + 12), 0x0800);
	assert_int_equal(frame[14], 0x45);
	assert_int_equal(get16(frame + 16), 20 + 20 + 8);	/* total length */
	assert_int_equal(get16(frame + 20), 0);			/* no fragment */
	assert_int_equal(frame[23], IPPROTO_TCP);
	assert_memory_equal(frame + 26, probe.source.addr, 4);
	assert_memory_equal(frame + 30, probe.destination.addr, 4);
	assert_int_equal(get16(frame + 34), 51000);
	assert_int_equal(get16(frame + 36), 5061);
	assert_int_equal(frame[34 + 12], 5 << 4);		/* data offset */
	assert_int_equal(frame[34 + 13], 0x02);			/* SYN */
}

static void reply_is_an_ack(void **state)
{
	struct xpf_probe probe = { .protocol = IPPROTO_TCP, .reply = true };
	uint8_t frame[XPF_PROBE_MAX_BYTES];

	(void)state;
	host("192.0.2.20", &probe.source);
	host("192.0.2.101", &probe.destination);
	xpf_probe_build(&probe, frame, sizeof(frame));
	assert_int_equal(frame[34 + 13], 0x10);
}

static void two_vlans_outer_8021ad_inner_8021q(void **state)
{
	struct xpf_probe probe = { .protocol = IPPROTO_UDP, .dest_port = 53, .vlans = { 5, 7 },
				   .vlan_count = 2 };
	uint8_t frame[XPF_PROBE_MAX_BYTES];

	(void)state;
	host("2001:db8::1", &probe.source);
	host("2001:db8::2", &probe.destination);
	assert_int_equal(xpf_probe_build(&probe, frame, sizeof(frame)), 14 + 8 + 40 + 8 + 8);
	assert_int_equal(get16(frame + 12), 0x88A8);
	assert_int_equal(get16(frame + 14), 5);
	assert_int_equal(get16(frame + 16), 0x8100);
	assert_int_equal(get16(frame + 18), 7);
	assert_int_equal(get16(frame + 20), 0x86DD);
	assert_int_equal(get16(frame + 22 + 4), 16);		/* payload length: UDP + 8 */
	assert_int_equal(frame[22 + 6], IPPROTO_UDP);
	assert_int_equal(get16(frame + 62 + 2), 53);
	assert_int_equal(get16(frame + 62 + 4), 16);		/* UDP length */
}

static void later_fragment_v4_has_offset_and_no_header(void **state)
{
	struct xpf_probe probe = { .protocol = IPPROTO_TCP, .dest_port = 80,
				   .fragment = XPF_PROBE_LATER_FRAGMENT };
	uint8_t frame[XPF_PROBE_MAX_BYTES];

	(void)state;
	host("198.51.100.7", &probe.source);
	host("192.0.2.100", &probe.destination);
	assert_int_equal(xpf_probe_build(&probe, frame, sizeof(frame)), 14 + 20 + 8);
	assert_int_equal(get16(frame + 20), 1480 / 8);		/* offset, MF clear */
	assert_int_equal(get16(frame + 16), 28);
}

static void first_fragment_v6_has_fragment_header_with_m(void **state)
{
	struct xpf_probe probe = { .protocol = IPPROTO_TCP, .dest_port = 80,
				   .fragment = XPF_PROBE_FIRST_FRAGMENT };
	uint8_t frame[XPF_PROBE_MAX_BYTES];

	(void)state;
	host("2001:db8::1", &probe.source);
	host("2001:db8::2", &probe.destination);
	assert_int_equal(xpf_probe_build(&probe, frame, sizeof(frame)), 14 + 40 + 8 + 20 + 8);
	assert_int_equal(frame[14 + 6], 44);			/* next header: fragment */
	assert_int_equal(frame[54], IPPROTO_TCP);
	assert_int_equal(get16(frame + 56), 1);			/* offset 0, M */
	assert_int_equal(get16(frame + 14 + 4), 8 + 20 + 8);
	assert_int_equal(get16(frame + 62 + 2), 80);
}

static void icmp_is_echo_of_its_family(void **state)
{
	struct xpf_probe probe = {};
	uint8_t frame[XPF_PROBE_MAX_BYTES];

	(void)state;
	assert_int_equal(xpf_probe_protocol("icmp", AF_INET6, &probe.protocol), 0);
	assert_int_equal(probe.protocol, IPPROTO_ICMPV6);
	host("2001:db8::1", &probe.source);
	host("2001:db8::2", &probe.destination);
	xpf_probe_build(&probe, frame, sizeof(frame));
	assert_int_equal(frame[54], 128);
	assert_int_equal(xpf_probe_protocol("icmp", AF_INET, &probe.protocol), 0);
	assert_int_equal(probe.protocol, IPPROTO_ICMP);
}

static void protocol_names_and_numbers(void **state)
{
	uint8_t protocol;

	(void)state;
	assert_int_equal(xpf_probe_protocol("TCP", AF_INET, &protocol), 0);
	assert_int_equal(protocol, IPPROTO_TCP);
	assert_int_equal(xpf_probe_protocol("47", AF_INET, &protocol), 0);
	assert_int_equal(protocol, 47);
	assert_int_equal(xpf_probe_protocol("256", AF_INET, &protocol), -EINVAL);
	assert_int_equal(xpf_probe_protocol("sctp", AF_INET, &protocol), -EINVAL);
	assert_int_equal(xpf_probe_protocol("", AF_INET, &protocol), -EINVAL);
}

static void small_buffer_builds_nothing(void **state)
{
	struct xpf_probe probe = { .protocol = IPPROTO_TCP };
	uint8_t frame[64];

	(void)state;
	host("192.0.2.1", &probe.source);
	host("192.0.2.2", &probe.destination);
	assert_int_equal(xpf_probe_build(&probe, frame, sizeof(frame)), 0);
}

static void roles_of_an_address_in_file_order_then_any(void **state)
{
	static const char text[] = "local Director\n"
				   "role Director = 192.0.2.101\n"
				   "role Internal Clients = 198.51.100.0/24\n"
				   "role Quarantine = 198.51.100.66\n";
	struct xpf_error err = {};
	struct xpf_site site;
	struct xpf_prefix addr;
	const char *names[4];

	(void)state;
	assert_int_equal(xpf_site_parse(text, "t.site", &site, &err), 0);
	host("198.51.100.66", &addr);
	assert_int_equal(xpf_roles_containing(&site, &addr, names, 4), 3);
	assert_string_equal(names[0], "Internal Clients");
	assert_string_equal(names[1], "Quarantine");
	assert_string_equal(names[2], "Any");
	host("203.0.113.9", &addr);
	assert_int_equal(xpf_roles_containing(&site, &addr, names, 4), 1);
	assert_string_equal(names[0], "Any");
	host("2001:db8::1", &addr);		/* another family: only Any */
	assert_int_equal(xpf_roles_containing(&site, &addr, names, 4), 1);
	xpf_site_free(&site);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_syn_v4_is_ethernet_ipv4_tcp),
		cmocka_unit_test(reply_is_an_ack),
		cmocka_unit_test(two_vlans_outer_8021ad_inner_8021q),
		cmocka_unit_test(later_fragment_v4_has_offset_and_no_header),
		cmocka_unit_test(first_fragment_v6_has_fragment_header_with_m),
		cmocka_unit_test(icmp_is_echo_of_its_family),
		cmocka_unit_test(protocol_names_and_numbers),
		cmocka_unit_test(small_buffer_builds_nothing),
		cmocka_unit_test(roles_of_an_address_in_file_order_then_any),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
