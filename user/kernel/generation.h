/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The rule set in force of a filter (maps.h, struct xpf_in_force): which generation packets read,
 * and the generations' configurations. User space only. */
#ifndef XPF_GENERATION_H
#define XPF_GENERATION_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/filter.h"

int xpf_in_force_read(const struct xpf_filter *filter, struct xpf_in_force *image);
/* Whether the generation not in force is the one a reload flipped away from and has not yet
 * retired: loaded, and loaded before the one in force (a reload writing its generation before
 * the flip makes it the newer one). */
bool xpf_spare_is_left_behind(const struct xpf_in_force *in_force, const struct xpf_meta *meta);
/* The configuration in force and its generation (@generation may be NULL). */
int xpf_filter_read_config(const struct xpf_filter *filter, struct xpf_config *config,
			   uint32_t *generation);
/* Rewrites @generation's configuration, the other one and the generation in force kept. */
int xpf_filter_write_config(const struct xpf_filter *filter, uint32_t generation,
			    const struct xpf_config *config);
/* Packets read @generation from now on: the flip of a reload. */
int xpf_filter_flip(const struct xpf_filter *filter, uint32_t generation);
/* Every packet through the general path (the BPF tests' switch; maps.h). */
int xpf_filter_set_general_only(const struct xpf_filter *filter, bool general_only);

#endif /* XPF_GENERATION_H */
