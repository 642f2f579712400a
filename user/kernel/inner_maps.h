/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A generation's own map inside an outer map (BPF_MAP_TYPE_ARRAY_OF_MAPS, indexed by
 * generation): rule_info, the rule hashes, the lists' maps. Made to the generation's size when
 * it is written, put in place once whole, and dropped whole when it retires; the kernel frees
 * it once no program can still be reading it (inner_maps.c). User space only. */
#ifndef XPF_INNER_MAPS_H
#define XPF_INNER_MAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/filter.h"

/* @fd as @generation's map in @outer (the outer map keeps its own reference). */
int xpf_inner_set(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation,
		  int fd);

/* @generation's map taken out of @outer (none there: 0). */
int xpf_inner_drop(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation);

/* Whether @generation has a map in @outer. */
bool xpf_inner_present(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation);

/* An fd of @generation's map in @outer (close it), or -ENOENT when it has none. */
int xpf_inner_open(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation);

#endif /* XPF_INNER_MAPS_H */
