/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The two ways tests/bench/trafficgen sends one frame out of an interface, for a bounded time:
 *   live:     BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES (traffic_live.c): the frame
 *             enters the veth peer through ndo_xdp_xmit, as from another XDP program;
 *   afpacket: sendmmsg() on an AF_PACKET socket with PACKET_QDISC_BYPASS
 *             (traffic_afpacket.c): the frame enters the peer through ndo_start_xmit, as an skb.
 */
#ifndef XPF_BENCH_TRAFFIC_SOURCE_H
#define XPF_BENCH_TRAFFIC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct traffic_count {
	unsigned long long frames;  /* frames offered to the interface */
	unsigned long long refused; /* of them, refused with an error the sender saw */
	double seconds;
};

/*
 * Sends @frame out of @ifindex with the XDP_TX program of @obj_path until @seconds have passed.
 * Returns 0 or a negative errno. @refused is set when the kernel refuses live frames: the first
 * test run failed with EPERM, EOPNOTSUPP or EINVAL, nothing sent.
 */
int traffic_live(const uint8_t *frame, size_t len, int ifindex, const char *obj_path,
		 double seconds, struct traffic_count *count, bool *refused);

/* Sends @frame out of @ifindex, @batch copies per sendmmsg(), until @seconds have passed. */
int traffic_afpacket(const uint8_t *frame, size_t len, int ifindex, unsigned int batch,
		     double seconds, struct traffic_count *count);

/* Seconds since @start_ns (CLOCK_MONOTONIC). */
double traffic_elapsed(unsigned long long start_ns);
unsigned long long traffic_now_ns(void);

#endif /* XPF_BENCH_TRAFFIC_SOURCE_H */
