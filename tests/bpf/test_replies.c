/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Replies to the host's own flows, through BPF_PROG_TEST_RUN on both programs: the egress
 * program (tc) sees what the Director sends and remembers its flows; the XDP program admits
 * what answers them, counted on the outbound row they answer, and nothing else.
 * Verdict-table row: "TCP/UDP to local, reply to a flow the host opened".
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fixture.h"
#include "kernel/egress.h"
/* After the headers that define the types of its global data (xpf/maps.h). */
#include "egress.skel.h"

#define DIRECTOR "192.0.2.101"
#define DIRECTOR6 "2001:db8:1::101"
#define FRONT_END "192.0.2.20"
#define FRONT_END6 "2001:db8:1::20"
#define DNS_SERVER "198.51.100.53"
#define STRANGER "203.0.113.5"

/* Rows of the site file below, by index in the rule set (site rows come first). */
enum { ROW_DNS = 0, ROW_FRONT_END = 1, ROW_EDGE = 2 };

static const char site_text[] =
	"local  Director\n"
	"role   Director = " DIRECTOR ", " DIRECTOR6 "\n"
	"role   Front End = " FRONT_END ", " FRONT_END6 "\n"
	"role   DNS servers = " DNS_SERVER "\n"
	"role   Edge = 192.0.2.50\n"
	"allow  DNS/UDP 53 | Director | DNS servers\n"
	"allow  HTTPS/TCP 444 | Director | Front End\n"
	"allow  SIP/MTLS/TCP 5061 | Edge | Director\n"
	"policy icmp drop\n";

struct fixture {
	struct site_program program;
	struct egress_bpf *egress;
};

static struct fixture normal, short_timeouts;
static char temp_dir[64];

static int load(struct fixture *fx, const char *name, const char *extra)
{
	int ret = site_program_open(&fx->program, temp_dir, name, site_text, extra,
				    &(struct site_options){ .rule_ids = 8192 });

	ret = ret ?: xpf_egress_load(fx->program.filter.map_fds, &fx->egress);
	if (ret)
		fprintf(stderr, "setting up the filter failed: %s\n", strerror(-ret));
	return ret;
}

static int setup(void **state)
{
	(void)state;
	snprintf(temp_dir, sizeof(temp_dir), "/tmp/xpf-replies-XXXXXX");
	if (!mkdtemp(temp_dir))
		return -1;
	if (load(&normal, "normal.site", ""))
		return -1;
	return load(&short_timeouts, "short.site", "timeout tcp 1\ntimeout udp 1\n") ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	for (struct fixture *fx = &normal; fx; fx = fx == &normal ? &short_timeouts : NULL) {
		egress_bpf__destroy(fx->egress);
		fx->egress = NULL;
		site_program_close(&fx->program);
	}
	rmdir(temp_dir);
	return 0;
}

/* The host sends @f: the egress program sees it. It must never drop (TC_ACT_OK = 0). */
static void host_sends(struct fixture *fx, const struct frame *f)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->data, .data_size_in = f->len,
		    .repeat = 1);

	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(fx->egress->progs.xpf_egress),
						&opts), 0);
	assert_int_equal(opts.retval, 0);
}

/* @f arrives: the XDP program's verdict. */
static int arrives(struct fixture *fx, const struct frame *f)
{
	return run_frame(fx->program.filter.prog_fd, f, 1);
}

static uint64_t row_packets(struct fixture *fx, uint32_t row)
{
	return rule_counter(&fx->program.filter, row).packets;
}

static uint64_t reasons(struct fixture *fx, enum xpf_reason reason)
{
	return reason_packets(&fx->program.filter, reason);
}

/* A frame of the host's or a peer's: TCP with @flags; UDP with 32 bytes of payload. */
static void tcp(struct frame *f, const char *source, uint16_t source_port,
		const char *destination, uint16_t dest_port, uint8_t flags)
{
	frame_build_tcp(f, source, destination, source_port, dest_port, flags);
}

static void udp(struct frame *f, const char *source, uint16_t source_port,
		const char *destination, uint16_t dest_port)
{
	frame_build_udp(f, source, destination, source_port, dest_port, 32);
}

/* The flows map entry of a flow the host opened, from the host's side. */
static int flow_of(struct fixture *fx, uint8_t protocol, const char *local, uint16_t local_port,
		   const char *remote, uint16_t remote_port, struct xpf_flow_value *value)
{
	struct xpf_flow_key key = host_flow_key(protocol, local, local_port, remote, remote_port);

	return bpf_map_lookup_elem(fx->program.filter.map_fds[XPF_MAP_FLOWS], &key, value) ?
		       -errno : 0;
}

static void syn_ack_to_the_hosts_syn_passes_on_its_outbound_row(void **state)
{
	struct frame f;
	uint64_t before = row_packets(&normal, ROW_FRONT_END);

	(void)state;
	tcp(&f, DIRECTOR, 40000, FRONT_END, 444, TH_SYN);
	host_sends(&normal, &f);
	tcp(&f, FRONT_END, 444, DIRECTOR, 40000, TH_SYN | TH_ACK);
	assert_int_equal(arrives(&normal, &f), XDP_PASS);
	assert_int_equal(row_packets(&normal, ROW_FRONT_END), before + 1);
}

static void ipv6_reply_passes_on_its_outbound_row(void **state)
{
	struct frame f;
	uint64_t before = row_packets(&normal, ROW_FRONT_END);

	(void)state;
	tcp(&f, DIRECTOR6, 40000, FRONT_END6, 444, TH_SYN);
	host_sends(&normal, &f);
	tcp(&f, FRONT_END6, 444, DIRECTOR6, 40000, TH_SYN | TH_ACK);
	assert_int_equal(arrives(&normal, &f), XDP_PASS);
	assert_int_equal(row_packets(&normal, ROW_FRONT_END), before + 1);
}

static void unsolicited_syn_ack_drops_as_default(void **state)
{
	struct frame f;
	uint64_t before = reasons(&normal, XPF_REASON_DEFAULT);

	(void)state;
	tcp(&f, FRONT_END, 444, DIRECTOR, 40999, TH_SYN | TH_ACK);
	assert_int_equal(arrives(&normal, &f), XDP_DROP);
	assert_int_equal(reasons(&normal, XPF_REASON_DEFAULT), before + 1);
}

static void reply_with_reversed_ports_drops(void **state)
{
	struct frame f;

	(void)state;
	tcp(&f, DIRECTOR, 40001, FRONT_END, 444, TH_SYN);
	host_sends(&normal, &f);
	tcp(&f, FRONT_END, 40001, DIRECTOR, 444, TH_SYN | TH_ACK);
	assert_int_equal(arrives(&normal, &f), XDP_DROP);
}

static void reply_from_another_source_drops(void **state)
{
	struct frame f;

	(void)state;
	tcp(&f, DIRECTOR, 40002, FRONT_END, 444, TH_SYN);
	host_sends(&normal, &f);
	tcp(&f, "192.0.2.21", 444, DIRECTOR, 40002, TH_SYN | TH_ACK);
	assert_int_equal(arrives(&normal, &f), XDP_DROP);
}

/* A SYN without ACK answers nothing: not even on a remembered flow's tuple (so a SYN flood is
 * dropped without a flow lookup). */
static void bare_syn_on_a_remembered_flow_drops(void **state)
{
	struct frame f;

	(void)state;
	tcp(&f, DIRECTOR, 40010, FRONT_END, 444, TH_SYN);
	host_sends(&normal, &f);
	tcp(&f, FRONT_END, 444, DIRECTOR, 40010, TH_SYN);
	assert_int_equal(arrives(&normal, &f), XDP_DROP);
	tcp(&f, FRONT_END, 444, DIRECTOR, 40010, TH_SYN | TH_ACK);
	assert_int_equal(arrives(&normal, &f), XDP_PASS);
}

static void udp_answer_passes_on_its_outbound_row(void **state)
{
	struct frame f;
	uint64_t before = row_packets(&normal, ROW_DNS);

	(void)state;
	udp(&f, DIRECTOR, 5353, DNS_SERVER, 53);
	host_sends(&normal, &f);
	udp(&f, DNS_SERVER, 53, DIRECTOR, 5353);
	assert_int_equal(arrives(&normal, &f), XDP_PASS);
	assert_int_equal(row_packets(&normal, ROW_DNS), before + 1);
}

static void udp_from_port_53_to_a_closed_port_drops(void **state)
{
	struct frame f;

	(void)state;
	udp(&f, DNS_SERVER, 53, DIRECTOR, 5354);
	assert_int_equal(arrives(&normal, &f), XDP_DROP);
}

static void reply_to_a_flow_no_row_names_counts_as_reply(void **state)
{
	struct frame f;
	uint64_t before = reasons(&normal, XPF_REASON_REPLY);

	(void)state;
	tcp(&f, DIRECTOR, 40003, STRANGER, 8443, TH_SYN);
	host_sends(&normal, &f);
	tcp(&f, STRANGER, 8443, DIRECTOR, 40003, TH_SYN | TH_ACK);
	assert_int_equal(arrives(&normal, &f), XDP_PASS);
	assert_int_equal(reasons(&normal, XPF_REASON_REPLY), before + 1);
}

static void hosts_syn_ack_does_not_open_a_flow(void **state)
{
	struct xpf_flow_value value;
	struct frame f;

	(void)state;
	/* The Director answering the Edge's connection to 5061. */
	tcp(&f, DIRECTOR, 5061, "192.0.2.50", 50000, TH_SYN | TH_ACK);
	host_sends(&normal, &f);
	assert_int_equal(flow_of(&normal, IPPROTO_TCP, DIRECTOR, 5061, "192.0.2.50", 50000, &value),
			 -ENOENT);
}

static void forwarded_packet_does_not_open_a_flow(void **state)
{
	struct xpf_flow_value value;
	struct frame f;

	(void)state;
	tcp(&f, "192.0.2.77", 40004, FRONT_END, 444, TH_SYN);
	host_sends(&normal, &f);
	assert_int_equal(flow_of(&normal, IPPROTO_TCP, "192.0.2.77", 40004, FRONT_END, 444, &value),
			 -ENOENT);
}

static void tcp_flow_state_follows_the_hosts_packets(void **state)
{
	struct xpf_flow_value value;
	struct frame f;

	(void)state;
	tcp(&f, DIRECTOR, 40005, FRONT_END, 444, TH_SYN);
	host_sends(&normal, &f);
	assert_int_equal(flow_of(&normal, IPPROTO_TCP, DIRECTOR, 40005, FRONT_END, 444, &value), 0);
	assert_int_equal(value.state, XPF_FLOW_TCP_SYN_SENT);
	tcp(&f, DIRECTOR, 40005, FRONT_END, 444, TH_ACK);
	host_sends(&normal, &f);
	assert_int_equal(flow_of(&normal, IPPROTO_TCP, DIRECTOR, 40005, FRONT_END, 444, &value), 0);
	assert_int_equal(value.state, XPF_FLOW_TCP_ESTABLISHED);
	tcp(&f, DIRECTOR, 40005, FRONT_END, 444, TH_FIN | TH_ACK);
	host_sends(&normal, &f);
	assert_int_equal(flow_of(&normal, IPPROTO_TCP, DIRECTOR, 40005, FRONT_END, 444, &value), 0);
	assert_int_equal(value.state, XPF_FLOW_TCP_CLOSING);
}

/* The egress cost bound: a busy flow's entry is rewritten at most once per refresh interval. */
static void busy_flow_is_refreshed_at_most_once_a_second(void **state)
{
	struct xpf_flow_value first, later;
	struct frame f;

	(void)state;
	udp(&f, DIRECTOR, 5355, DNS_SERVER, 53);
	host_sends(&normal, &f);
	assert_int_equal(flow_of(&normal, IPPROTO_UDP, DIRECTOR, 5355, DNS_SERVER, 53, &first), 0);
	for (int i = 0; i < 100; i++)
		host_sends(&normal, &f);
	assert_int_equal(flow_of(&normal, IPPROTO_UDP, DIRECTOR, 5355, DNS_SERVER, 53, &later), 0);
	assert_true(later.last_seen_ns == first.last_seen_ns ||
		    later.last_seen_ns - first.last_seen_ns >= XPF_FLOW_REFRESH_NS);
}

static void reply_after_the_idle_timeout_drops(void **state)
{
	struct frame out_tcp, out_udp, in_tcp, in_udp;

	(void)state;
	tcp(&out_tcp, DIRECTOR, 40006, FRONT_END, 444, TH_SYN);
	udp(&out_udp, DIRECTOR, 5356, DNS_SERVER, 53);
	tcp(&in_tcp, FRONT_END, 444, DIRECTOR, 40006, TH_SYN | TH_ACK);
	udp(&in_udp, DNS_SERVER, 53, DIRECTOR, 5356);
	host_sends(&short_timeouts, &out_tcp);
	host_sends(&short_timeouts, &out_udp);
	assert_int_equal(arrives(&short_timeouts, &in_tcp), XDP_PASS);
	assert_int_equal(arrives(&short_timeouts, &in_udp), XDP_PASS);
	/* timeout tcp 1 / udp 1, and the coarse clock ticks in milliseconds. */
	usleep(1300 * 1000);
	assert_int_equal(arrives(&short_timeouts, &in_tcp), XDP_DROP);
	assert_int_equal(arrives(&short_timeouts, &in_udp), XDP_DROP);
}

/* An ICMP error quoting the host's own packet: the IPv4 header and 8 bytes of UDP. */
static void icmp_error_about(struct frame *f, const char *router, const char *local,
			     uint16_t local_port, const char *remote, uint16_t remote_port)
{
	struct frame quoted;
	size_t quoted_len;

	udp(&quoted, local, local_port, remote, remote_port);
	quoted_len = sizeof(struct iphdr) + sizeof(struct udphdr);
	frame_init(f);
	frame_eth(f);
	frame_ipv4(f, router, local);
	frame_icmp(f, 3, 3);	/* port unreachable */
	frame_payload(f, quoted_len);
	memcpy(f->data + f->len - quoted_len, quoted.data + quoted.l3, quoted_len);
	frame_finish(f);
}

static void icmp_error_about_a_host_flow_passes_with_policy_icmp_drop(void **state)
{
	struct frame f;
	uint64_t before = reasons(&normal, XPF_REASON_ICMP);

	(void)state;
	udp(&f, DIRECTOR, 5357, DNS_SERVER, 53);
	host_sends(&normal, &f);
	icmp_error_about(&f, DNS_SERVER, DIRECTOR, 5357, DNS_SERVER, 53);
	assert_int_equal(arrives(&normal, &f), XDP_PASS);
	assert_int_equal(reasons(&normal, XPF_REASON_ICMP), before + 1);
}

static void icmp_error_about_an_unknown_flow_follows_policy_icmp(void **state)
{
	struct frame f;

	(void)state;
	icmp_error_about(&f, DNS_SERVER, DIRECTOR, 5358, DNS_SERVER, 53);
	assert_int_equal(arrives(&normal, &f), XDP_DROP);
}

static void egress_never_drops_what_it_cannot_parse(void **state)
{
	struct frame f;

	(void)state;
	frame_init(&f);
	frame_eth(&f);
	frame_arp(&f, DIRECTOR, FRONT_END);
	host_sends(&normal, &f);
	tcp(&f, DIRECTOR, 40007, FRONT_END, 444, TH_SYN);
	frame_cut(&f, 14 + 20 + 6);	/* the TCP header cut after its ports */
	host_sends(&normal, &f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syn_ack_to_the_hosts_syn_passes_on_its_outbound_row),
		cmocka_unit_test(ipv6_reply_passes_on_its_outbound_row),
		cmocka_unit_test(unsolicited_syn_ack_drops_as_default),
		cmocka_unit_test(reply_with_reversed_ports_drops),
		cmocka_unit_test(reply_from_another_source_drops),
		cmocka_unit_test(bare_syn_on_a_remembered_flow_drops),
		cmocka_unit_test(udp_answer_passes_on_its_outbound_row),
		cmocka_unit_test(udp_from_port_53_to_a_closed_port_drops),
		cmocka_unit_test(reply_to_a_flow_no_row_names_counts_as_reply),
		cmocka_unit_test(hosts_syn_ack_does_not_open_a_flow),
		cmocka_unit_test(forwarded_packet_does_not_open_a_flow),
		cmocka_unit_test(tcp_flow_state_follows_the_hosts_packets),
		cmocka_unit_test(busy_flow_is_refreshed_at_most_once_a_second),
		cmocka_unit_test(reply_after_the_idle_timeout_drops),
		cmocka_unit_test(icmp_error_about_a_host_flow_passes_with_policy_icmp_drop),
		cmocka_unit_test(icmp_error_about_an_unknown_flow_follows_policy_icmp),
		cmocka_unit_test(egress_never_drops_what_it_cannot_parse),
	};

	int failed = 0;

	/* Every verdict on both of the program's paths (fixture.h). */
	for (int path = PATH_FAST; path < PATH_COUNT; path++) {
		fixture_set_path(path);
		failed += _cmocka_run_group_tests(program_path_names[path], tests,
						  sizeof(tests) / sizeof(tests[0]), setup,
						  teardown);
	}
	return failed ? 1 : 0;
}
