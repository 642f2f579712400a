/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Load generator of the live benchmark (scripts/bench, part 2): sends one 64-byte frame as
 * fast as one CPU can, out of IFACE (one end of a veth pair), for SECONDS. It runs
 * trafficgen.bpf.o (XDP_TX) with BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES, the way the
 * kernel's selftests xdp_trafficgen and xdp_do_redirect do: Debian's xdp-trafficgen does not
 * work on this kernel.
 *
 * Frames (checksums filled in, so that the stack of the receiving namespace takes them):
 *   denied:  203.0.113.200:40000 → 192.0.2.100:3389/TCP SYN  (no row names 3389: default drop)
 *   denied443: 203.0.113.200:40000 → 192.0.2.100:443/TCP SYN (443 is named: every prefix length
 *            of its class is tried, then default drop)
 *   allowed: 198.51.100.7:40000 → 192.0.2.100:443/TCP ACK   (Internal Clients → HLB VIP)
 *
 * usage: trafficgen -i IFACE -d DEST_MAC [-k KIND] [-t SECONDS] [-b BPF_OBJ]
 * stdout: "frames SECONDS" sent.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/ether.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "packets.h"

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint32_t add_bytes(uint32_t sum, const uint8_t *bytes, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += bytes[i] << 8 | bytes[i + 1];
	if (len & 1)
		sum += bytes[len - 1] << 8;
	return sum;
}

static void checksums(struct frame *f)
{
	struct iphdr *ip = f->ip4;
	size_t l4_len = ntohs(ip->tot_len) - ip->ihl * 4;
	uint32_t sum = 0;

	ip->check = 0;
	ip->check = htons(~fold(add_bytes(0, (uint8_t *)ip, ip->ihl * 4)) & 0xffff);
	f->tcp->check = 0;
	sum = add_bytes(sum, (uint8_t *)&ip->saddr, 8);
	sum += IPPROTO_TCP + l4_len;
	sum = add_bytes(sum, f->data + f->l4, l4_len);
	f->tcp->check = htons(~fold(sum) & 0xffff);
}

static int build(struct frame *f, const char *kind, const struct ether_addr *dest)
{
	const char *source = "203.0.113.200";
	uint16_t port = 3389;
	uint8_t flags = TH_SYN;

	if (!strcmp(kind, "allowed")) {
		source = "198.51.100.7";
		port = 443;
		flags = TH_ACK;
	} else if (!strcmp(kind, "denied443")) {
		port = 443;
	} else if (strcmp(kind, "denied")) {
		return -EINVAL;
	}
	frame_init(f);
	frame_eth(f);
	memcpy(f->data, dest, ETH_ALEN);
	frame_ipv4(f, source, "192.0.2.100");
	frame_tcp(f, 40000, port, flags);
	frame_payload(f, 6);	/* 60 bytes: a 64-byte frame with its FCS */
	frame_finish(f);
	checksums(f);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *kind = "denied", *obj_path = "build/tests/bench/trafficgen.bpf.o";
	struct ether_addr *mac, dest = {};
	struct bpf_object *obj = NULL;
	double seconds = 2, elapsed = 0;
	unsigned long long frames = 0;
	struct timespec start, now;
	struct frame f;
	int opt, fd, ifindex, ret = 1;

	while ((opt = getopt(argc, argv, "i:d:k:t:b:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'd':
			mac = ether_aton(optarg);
			if (!mac)
				goto usage;
			dest = *mac;
			break;
		case 'k': kind = optarg; break;
		case 't': seconds = atof(optarg); break;
		case 'b': obj_path = optarg; break;
		default: goto usage;
		}
	}
	if (!ifname || build(&f, kind, &dest))
		goto usage;
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		perror(ifname);
		return 1;
	}
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "loading %s: %s\n", obj_path, strerror(errno));
		goto out;
	}
	fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "xdp_transmit"));

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (elapsed < seconds) {
		struct xdp_md ctx = { .data_end = f.len, .ingress_ifindex = ifindex };
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f.data, .data_size_in = f.len,
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = 1 << 16);

		if (bpf_prog_test_run_opts(fd, &opts)) {
			fprintf(stderr, "live test run on %s: %s\n", ifname, strerror(errno));
			goto out;
		}
		frames += opts.repeat;
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
	}
	printf("%llu %.6f\n", frames, elapsed);
	ret = 0;
out:
	bpf_object__close(obj);
	return ret;
usage:
	fprintf(stderr, "usage: %s -i IFACE -d DEST_MAC [-k denied|denied443|allowed] "
			"[-t SECONDS] [-b BPF_OBJ]\n", argv[0]);
	return 2;
}
