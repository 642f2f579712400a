/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The local-address slot table (include/xpf/maps.h, local_slots): a multiplicative hash
 * chosen so that no two of the host's addresses share a slot, which makes "is this
 * destination local, and in which class" one array lookup and one compare in the XDP program.
 * User space only; pure.
 */
#ifndef XPF_LOCAL_SLOTS_H
#define XPF_LOCAL_SLOTS_H

#include <stdbool.h>

#include "core/compile.h"

/* Fills @slots (XPF_LOCAL_SLOTS entries) and @config's local_slot_shift and
 * local_multipliers when a hash without collisions is found for @locals; otherwise returns
 * false and leaves local_slot_shift 0: the program then looks addresses up in local_addrs. */
bool xpf_local_slots_build(const struct xpf_image_local *locals, size_t count,
			   struct xpf_config *config, struct xpf_local_slot *slots);

#endif /* XPF_LOCAL_SLOTS_H */
