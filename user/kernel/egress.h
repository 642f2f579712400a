/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The egress program of a filter: loaded, attached, found, detached (egress.c). User
 * space only. */
#ifndef XPF_EGRESS_H
#define XPF_EGRESS_H

#include <stdint.h>

#include "kernel/filter.h"

/* The egress program that remembers the host's flows (bpf/egress.bpf.c): tcx where the kernel
 * has it and bpffs can hold its link, else a tc filter on clsact, which outlives xpf without
 * bpffs. Attach records how in the meta map; detach undoes exactly that. */
int xpf_egress_attach(struct xpf_filter *filter);
/* Attaches an egress program xpf_egress_load() loaded on @filter's maps, and destroys it. */
int xpf_egress_attach_loaded(struct xpf_filter *filter, struct egress_bpf *skel);
/* Loads the egress program on the maps @map_fds (by enum xpf_map) without attaching it: for
 * BPF_PROG_TEST_RUN, and for attach. Destroy with egress_bpf__destroy() (build/egress.skel.h). */
int xpf_egress_load(const int map_fds[XPF_MAP_COUNT], struct egress_bpf **skel);
/* A loaded egress program that is not to be attached (NULL: none). */
void xpf_egress_discard(struct egress_bpf *skel);
int xpf_egress_detach(struct xpf_filter *filter);
/* The egress program's id (0 when none) and how it is attached. */
int xpf_egress_find(const struct xpf_filter *filter, uint32_t *prog_id,
		    enum xpf_egress_attach *how);
/* An xpf egress program on @ifindex found without the meta map (tcx, else xpf's tc filter):
 * 1 and its id when there is one. */
int xpf_egress_find_orphan(int ifindex, uint32_t *prog_id, enum xpf_egress_attach *how);
/* Removes it: the tcx link's pin, xpf's tc filter. */
int xpf_egress_remove_orphan(const char *ifname, int ifindex);

#endif /* XPF_EGRESS_H */
