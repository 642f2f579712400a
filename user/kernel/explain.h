/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One packet through the XDP program's explain variant (BPF_PROG_TEST_RUN) with a request of
 * `xpf explain` in its XDP metadata: the variant, loaded on the filter's maps for the run and
 * closed after it, decides as the attached program does, answers there and counts nothing
 * (include/xpf/maps.h, struct xpf_explain). User space only.
 */
#ifndef XPF_EXPLAIN_H
#define XPF_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/filter.h"

struct xpf_explanation {
	uint32_t xdp_action;		/* what the program returned: XDP_PASS, XDP_DROP */
	struct xpf_explain answer;	/* flags, action, reason, rule id */
};

/* -EPROTO when the variant did not answer. */
int xpf_explain_run(const struct xpf_filter *filter, const uint8_t *frame, size_t length,
		    struct xpf_explanation *out);

#endif /* XPF_EXPLAIN_H */
