// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf explain's kernel side: the request in the metadata, the run, the answer read back. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <xdp/libxdp.h>

#include "kernel/explain.h"
#include "lib/logging.h"

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
	return 0;
}

int xpf_explain_run(const struct xpf_filter *filter, const uint8_t *frame, size_t length,
		    struct xpf_explanation *out)
{
	struct xdp_multiprog *multiprog;
	struct xdp_program *dispatcher;
	int err;

	memset(out, 0, sizeof(*out));
	err = run(filter->prog_fd, filter->ifindex, frame, length, out);
	if (!err || !filter->ifindex)
		return err;
	/* Behind libxdp's dispatcher xpf is an extension program, which the kernel does not
	 * test-run alone: the dispatcher runs it (with any program before it in the chain). */
	pr_debug("xpf: test run of xpf alone: %s; trying the dispatcher\n", strerror(-err));
	multiprog = xdp_multiprog__get_from_ifindex(filter->ifindex);
	if (libxdp_get_error(multiprog))
		return err;
	dispatcher = xdp_multiprog__is_legacy(multiprog) ? NULL
							 : xdp_multiprog__main_prog(multiprog);
	if (dispatcher) {
		err = run(xdp_program__fd(dispatcher), filter->ifindex, frame, length, out);
		out->through_dispatcher = !err;
	}
	xdp_multiprog__close(multiprog);
	return err;
}
