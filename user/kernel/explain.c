// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf explain's kernel side: the explain variant loaded on the filter's maps, the request in
 * the metadata, the run, the answer read back. The attached program reads no metadata: only
 * this variant, never attached, answers a request (bpf/xpf.bpf.c, record()).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "kernel/explain.h"
#include "lib/logging.h"
#include "xpf_explain.skel.h"

#define EXPLAIN_BUFFER 512

static int run(int prog_fd, int ifindex, const uint8_t *frame, size_t length,
	       struct xpf_explanation *out)
{
	uint8_t in[EXPLAIN_BUFFER] = {}, back[EXPLAIN_BUFFER] = {};
	struct xpf_explain request = { .magic = XPF_EXPLAIN_MAGIC };
	/* Metadata first, then the frame: ctx.data is where the frame starts. */
	struct xdp_md ctx = {
		.data = sizeof(request),
		.data_end = sizeof(request) + length,
		.ingress_ifindex = ifindex,
	};
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = in,
		.data_size_in = sizeof(request) + length,
		.data_out = back,
		.data_size_out = sizeof(back),
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = 1,
	);
	int err;

	if (sizeof(request) + length > sizeof(in))
		return -EMSGSIZE;
	memcpy(in, &request, sizeof(request));
	memcpy(in + sizeof(request), frame, length);
	err = bpf_prog_test_run_opts(prog_fd, &opts);
	if (err)
		return -errno;
	/* The run hands back the metadata and the frame, in that order. */
	if (opts.data_size_out < sizeof(out->answer))
		return -EPROTO;
	memcpy(&out->answer, back, sizeof(out->answer));
	out->xdp_action = opts.retval;
	return out->answer.flags & XPF_EXPLAIN_DECIDED ? 0 : -EPROTO;
}

/* Every map of the variant that the filter has, by name (xpf_map_names), is the filter's own;
 * the others are per-CPU scratch space, made fresh for the run. */
static int share_maps(const struct xpf_filter *filter, struct xpf_explain_bpf *skel)
{
	struct bpf_map *map;
	int err;

	bpf_object__for_each_map(map, skel->obj) {
		for (int m = 0; m < XPF_MAP_COUNT; m++) {
			if (strcmp(bpf_map__name(map), xpf_map_names[m]))
				continue;
			if (filter->map_fds[m] < 0)
				return -ENOENT;
			err = bpf_map__reuse_fd(map, filter->map_fds[m]);
			if (err)
				return err;
		}
	}
	return 0;
}

int xpf_explain_run(const struct xpf_filter *filter, const uint8_t *frame, size_t length,
		    struct xpf_explanation *out)
{
	struct xpf_explain_bpf *skel;
	int err;

	memset(out, 0, sizeof(*out));
	skel = xpf_explain_bpf__open();
	if (!skel)
		return -errno;
	err = share_maps(filter, skel);
	err = err ?: xpf_explain_bpf__load(skel);
	if (err)
		pr_debug("xpf: loading the explain program: %s\n", strerror(-err));
	err = err ?: run(bpf_program__fd(skel->progs.xpf_xdp), filter->ifindex, frame, length,
			 out);
	xpf_explain_bpf__destroy(skel);
	return err;
}
