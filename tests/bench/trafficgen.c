/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Load generator of the live benchmark (scripts/bench, part 2) and of
 * tests/e2e/test_reload_under_load.sh: sends one 64-byte frame as fast as one CPU can, out of
 * IFACE (one end of a veth pair), for SECONDS. Two sources (traffic_source.h): live frames
 * (BPF_F_TEST_XDP_LIVE_FRAMES) or an AF_PACKET socket; auto, the default, takes live frames
 * and falls back to AF_PACKET when the kernel refuses them at the first test run (EPERM,
 * EOPNOTSUPP, EINVAL: kernels that do not allow live frames to this caller).
 *
 * Frames (checksums filled in, so that the stack of the receiving namespace takes them):
 *   denied:  203.0.113.200:40000 → 192.0.2.100:3389/TCP SYN  (no row names 3389: default drop)
 *   denied443: 203.0.113.200:40000 → 192.0.2.100:443/TCP SYN (443 is named: every prefix length
 *            of its class is tried, then default drop)
 *   allowed: 198.51.100.7:40000 → 192.0.2.100:443/TCP ACK   (Internal Clients → HLB VIP)
 *
 * usage: trafficgen -i IFACE -d DEST_MAC [-k KIND] [-s auto|live|afpacket] [-t SECONDS]
 *                   [-b BPF_OBJ] [-n BATCH]
 *   -b: the XDP_TX program of the live source; -n: frames per sendmmsg() of AF_PACKET (256)
 * stdout, one line: FRAMES SECONDS SOURCE REFUSED
 *   FRAMES offered to the interface, SOURCE live or afpacket, REFUSED of them the ones the
 *   kernel refused to the sender with an error (AF_PACKET only; a live test run does not tell
 *   its sender, the veth counts them: tx_queue_N_xdp_xmit_errors).
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/ether.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets.h"
#include "traffic_source.h"

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
	const char *ifname = NULL, *kind = "denied", *source = "auto";
	const char *obj_path = "build/tests/bench/trafficgen.bpf.o";
	struct traffic_count count = {};
	struct ether_addr *mac, dest = {};
	unsigned int batch = 256;
	bool refused = false;
	double seconds = 2;
	struct frame f;
	int opt, ifindex, err;

	while ((opt = getopt(argc, argv, "i:d:k:t:b:s:n:")) != -1) {
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
		case 's': source = optarg; break;
		case 'n': batch = strtoul(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (!ifname || build(&f, kind, &dest) || !(seconds > 0) || !batch || batch > 1024 ||
	    (strcmp(source, "auto") && strcmp(source, "live") && strcmp(source, "afpacket")))
		goto usage;
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		perror(ifname);
		return 1;
	}

	if (strcmp(source, "afpacket")) {
		err = traffic_live(f.data, f.len, ifindex, obj_path, seconds, &count, &refused);
		if (refused && !strcmp(source, "auto")) {
			fprintf(stderr, "trafficgen: live frames refused (%s): AF_PACKET instead\n",
				strerror(-err));
			source = "afpacket";
		} else if (err) {
			fprintf(stderr, "live test run on %s: %s\n", ifname, strerror(-err));
			return 1;
		} else {
			source = "live";
		}
	}
	if (!strcmp(source, "afpacket")) {
		err = traffic_afpacket(f.data, f.len, ifindex, batch, seconds, &count);
		if (err) {
			fprintf(stderr, "AF_PACKET on %s: %s\n", ifname, strerror(-err));
			return 1;
		}
	}
	printf("%llu %.6f %s %llu\n", count.frames, count.seconds, source, count.refused);
	return 0;
usage:
	fprintf(stderr, "usage: %s -i IFACE -d DEST_MAC [-k denied|denied443|allowed] "
			"[-s auto|live|afpacket] [-t SECONDS] [-b BPF_OBJ] [-n BATCH]\n", argv[0]);
	return 2;
}
