/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The benchmark's frames (scripts/bench): one list, read by tests/bench/test_run_cost (part 1,
 * BPF_PROG_TEST_RUN) and tests/bench/trafficgen (part 2, the same frames sent live into a
 * veth), so that both parts' figures are of the same bytes. 64-byte frames on the wire (60
 * before the FCS), checksums filled in so that the stack of a receiving namespace takes them.
 */
#ifndef XPF_BENCH_FRAMES_H
#define XPF_BENCH_FRAMES_H

#include <stdint.h>

#include "packets.h"

#define BENCH_FRAMES_MAX 24

enum bench_hook { BENCH_XDP, BENCH_EGRESS };

struct bench_frame {
	const char *name;
	enum bench_hook hook;
	struct frame frame;
	/* Sent once before the frame is measured, if len: the first fragment of a later one;
	 * for egress the SYN of an established flow (then the frame once: its first ACK). */
	struct frame prime;
};

/*
 * Fills @frames (BENCH_FRAMES_MAX) and returns how many; @dest_mac (6 bytes) is every frame's
 * Ethernet destination, or NULL for the frame builder's own.
 */
int bench_frames_build(struct bench_frame *frames, const uint8_t *dest_mac);

/* The frame of that name in @frames (@count of them), or NULL. */
const struct bench_frame *bench_frame_find(const struct bench_frame *frames, int count,
					   const char *name);

#endif /* XPF_BENCH_FRAMES_H */
