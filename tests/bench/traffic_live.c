/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Live frames: trafficgen.bpf.o (XDP_TX) run with BPF_PROG_TEST_RUN and
 * BPF_F_TEST_XDP_LIVE_FRAMES, the way the kernel's selftests xdp_trafficgen and xdp_do_redirect
 * do (Debian's xdp-trafficgen does not work on the kernels this runs on). Frames the peer's ring
 * cannot take are not reported to the sender: the veth counts them
 * (tx_queue_N_xdp_xmit_errors).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "traffic_source.h"

#define LIVE_REPEAT (1 << 16)

unsigned long long traffic_now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000000000ULL + now.tv_nsec;
}

double traffic_elapsed(unsigned long long start_ns)
{
	return (traffic_now_ns() - start_ns) / 1e9;
}

int traffic_live(const uint8_t *frame, size_t len, int ifindex, const char *obj_path,
		 double seconds, struct traffic_count *count, bool *refused)
{
	struct bpf_program *prog;
	struct bpf_object *obj;
	unsigned long long start;
	int fd, err = 0;

	*refused = false;
	obj = bpf_object__open_file(obj_path, NULL);
	if (!obj) {
		err = -errno;
		fprintf(stderr, "opening %s: %s\n", obj_path, strerror(errno));
		return err;
	}
	if (bpf_object__load(obj)) {
		err = -errno;
		fprintf(stderr, "loading %s: %s\n", obj_path, strerror(errno));
		goto out;
	}
	prog = bpf_object__find_program_by_name(obj, "xdp_transmit");
	if (!prog) {
		err = -ENOENT;
		fprintf(stderr, "%s: no program xdp_transmit\n", obj_path);
		goto out;
	}
	fd = bpf_program__fd(prog);

	start = traffic_now_ns();
	do {
		struct xdp_md ctx = { .data_end = len, .ingress_ifindex = ifindex };
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = LIVE_REPEAT);

		if (bpf_prog_test_run_opts(fd, &opts)) {
			err = -errno;
			*refused = !count->frames &&
				   (err == -EPERM || err == -EOPNOTSUPP || err == -EINVAL);
			break;
		}
		count->frames += opts.repeat;
		count->seconds = traffic_elapsed(start);
	} while (count->seconds < seconds);
out:
	bpf_object__close(obj);
	return err;
}
