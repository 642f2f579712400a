/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The kernel memory a filter's maps take, as the kernel counts it (map_memory.c). User only. */
#ifndef XPF_MAP_MEMORY_H
#define XPF_MAP_MEMORY_H

#include <stdint.h>

#include "kernel/filter.h"

/* Bytes of @filter's maps: each map's `memlock` in its fdinfo, the inner maps of the lists'
 * maps of maps (both generations) included. 0 or a negative errno. */
int xpf_map_memory(const struct xpf_filter *filter, uint64_t *bytes);

#endif /* XPF_MAP_MEMORY_H */
