/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The kernel memory a filter's maps take, as the kernel counts it (map_memory.c). User only. */
#ifndef XPF_MAP_MEMORY_H
#define XPF_MAP_MEMORY_H

#include <stdint.h>

#include "kernel/filter.h"

/* Bytes of @filter's maps: the `memlock` in the fdinfo of each map its XDP program uses, and
 * of the inner maps of its maps of maps (the lists', rule_info; both generations). 0 or a
 * negative errno. */
int xpf_map_memory(const struct xpf_filter *filter, uint64_t *bytes);

#endif /* XPF_MAP_MEMORY_H */
