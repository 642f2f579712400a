/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Load generator of the live benchmark (scripts/bench, part 2) and of
 * tests/e2e/test_reload_under_load.sh: sends one 64-byte frame as fast as one CPU can, out of
 * IFACE (one end of a veth pair), for SECONDS. Two sources (traffic_source.h): live frames
 * (BPF_F_TEST_XDP_LIVE_FRAMES) or an AF_PACKET socket; auto, the default, takes live frames
 * and falls back to AF_PACKET when the kernel refuses them at the first test run (EPERM,
 * EOPNOTSUPP, EINVAL: kernels that do not allow live frames to this caller).
 *
 * Frames: the XDP frames of tests/bench/bench_frames.c, by name (allowed_v4, denied_port,
 * udp_closed, ext_v6...; denied, denied443 and allowed name denied_port, denied_v4 and
 * allowed_v4), to DEST_MAC.
 *
 * usage: trafficgen -i IFACE -d DEST_MAC [-k FRAME] [-P] [-s auto|live|afpacket] [-t SECONDS]
 *                   [-b BPF_OBJ] [-n BATCH]
 *   -P: send the frame's prime instead (the first fragment of fragment_next), for SECONDS
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

#include "bench_frames.h"
#include "traffic_source.h"

/* The names the e2e tests send by (tests/e2e/test_reload_under_load.sh, test_load_stream.sh). */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "denied", "denied_port" },
	{ "denied443", "denied_v4" },
	{ "allowed", "allowed_v4" },
};

/* The XDP frame of that name (or alias) of tests/bench/bench_frames.c, to @dest. */
static const struct bench_frame *pick(const char *kind, const struct ether_addr *dest)
{
	static struct bench_frame frames[BENCH_FRAMES_MAX];
	const struct bench_frame *f;
	int count = bench_frames_build(frames, dest->ether_addr_octet);

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(kind, aliases[i].alias))
			kind = aliases[i].name;
	f = bench_frame_find(frames, count, kind);
	return f && f->hook == BENCH_XDP ? f : NULL;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *kind = "denied", *source = "auto";
	const char *obj_path = "build/tests/bench/trafficgen.bpf.o";
	struct traffic_count count = {};
	struct ether_addr *mac, dest = {};
	const struct bench_frame *picked;
	const struct frame *f;
	unsigned int batch = 256;
	bool refused = false, prime = false;
	double seconds = 2;
	int opt, ifindex, err;

	while ((opt = getopt(argc, argv, "i:d:k:Pt:b:s:n:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'd':
			mac = ether_aton(optarg);
			if (!mac)
				goto usage;
			dest = *mac;
			break;
		case 'k': kind = optarg; break;
		case 'P': prime = true; break;
		case 't': seconds = atof(optarg); break;
		case 'b': obj_path = optarg; break;
		case 's': source = optarg; break;
		case 'n': batch = strtoul(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (!ifname || !(seconds > 0) || !batch || batch > 1024 ||
	    (strcmp(source, "auto") && strcmp(source, "live") && strcmp(source, "afpacket")))
		goto usage;
	picked = pick(kind, &dest);
	if (!picked || (prime && !picked->prime.len)) {
		fprintf(stderr, "trafficgen: no XDP frame %s%s in tests/bench/bench_frames.c\n",
			kind, prime ? " with a prime" : "");
		return 2;
	}
	f = prime ? &picked->prime : &picked->frame;
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		perror(ifname);
		return 1;
	}

	if (strcmp(source, "afpacket")) {
		err = traffic_live(f->data, f->len, ifindex, obj_path, seconds, &count, &refused);
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
		err = traffic_afpacket(f->data, f->len, ifindex, batch, seconds, &count);
		if (err) {
			fprintf(stderr, "AF_PACKET on %s: %s\n", ifname, strerror(-err));
			return 1;
		}
	}
	printf("%llu %.6f %s %llu\n", count.frames, count.seconds, source, count.refused);
	return 0;
usage:
	fprintf(stderr, "usage: %s -i IFACE -d DEST_MAC [-k FRAME] [-P] "
			"[-s auto|live|afpacket] [-t SECONDS] [-b BPF_OBJ] [-n BATCH]\n", argv[0]);
	return 2;
}
