/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The generation in force of a filter, and its configuration. User space only. */
#ifndef XPF_GENERATION_H
#define XPF_GENERATION_H

#include <stdint.h>

#include "kernel/filter.h"

/* The configuration in force and its generation (@generation may be NULL). */
int xpf_filter_read_config(const struct xpf_filter *filter, struct xpf_config *config,
			   uint32_t *generation);
/* Rewrites @generation's configuration in place (a loaded one: BPF_EXIST). */
int xpf_filter_write_config(const struct xpf_filter *filter, uint32_t generation,
			    const struct xpf_config *config);

#endif /* XPF_GENERATION_H */
