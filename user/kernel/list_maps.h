/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A list image (user/core/list_image.h) into a filter's list maps as one generation, and a
 * generation's lists dropped (list_maps.c). User space only. */
#ifndef XPF_LIST_MAPS_H
#define XPF_LIST_MAPS_H

#include <stdint.h>

#include "core/list_image.h"
#include "kernel/filter.h"

/* @image as @generation's lists, rule ids moved by @first_id: its rules and lengths, its
 * prefix hashes and long bitmap (maps made to its size, each put in its outer map once
 * filled) and its roots (zeros without lists). */
int xpf_list_maps_write(const struct xpf_filter *filter, const struct xpf_list_image *image,
			uint8_t generation, uint32_t first_id);
/* @generation's prefix hashes and long bitmap taken out of their outer maps. */
int xpf_list_maps_clear(const struct xpf_filter *filter, uint8_t generation);

#endif /* XPF_LIST_MAPS_H */
