/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A finished image into the maps of a filter: written as the generation not in force,
 * flipped to, the old one retired (install.c). User space only. */
#ifndef XPF_INSTALL_H
#define XPF_INSTALL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/compile.h"
#include "kernel/filter.h"
#include "kernel/map_batch.h"
#include "kernel/settle.h"

/* Which keys of a generation-keyed hash a walk (xpf_map_walk()) is after. */
struct xpf_generation_query {
	enum xpf_map map;
	uint8_t generation;
};

/* Moves the batch's keys of the query's generation to its front; returns how many there are. */
uint32_t xpf_batch_keep_generation(const struct xpf_generation_query *query,
				   struct xpf_map_batch *batch);

/* Writes @image and its rule metadata as the generation not in force, then flips to it; on a
 * reload, carries the counters over and fills filter->removed. */
int xpf_filter_install(struct xpf_filter *filter, const struct xpf_image *image,
		       const struct xpf_ruleset *ruleset, const char *site, const char *table);

/* xpf_filter_install in two steps, so that a reload can free its image and rule set before the
 * old generation's rules are read back to carry their counters: the two never need memory at
 * once. write_and_flip fills @retirement; retire finishes a reload (nothing after a first load). */
struct xpf_retirement {
	struct xpf_meta meta;
	uint8_t target;			/* the generation now in force */
	bool pending;			/* another was in force before: carry, then clear it */
	struct xpf_settle settle;	/* until no packet reads the old generation any more */
};

int xpf_filter_write_and_flip(struct xpf_filter *filter, const struct xpf_image *image,
			      const struct xpf_ruleset *ruleset, const char *site, const char *table,
			      struct xpf_retirement *retirement);
int xpf_filter_retire(struct xpf_filter *filter, struct xpf_retirement *retirement);
/* Empties @generation: its config, map entries and rule metadata. */
int xpf_filter_clear_generation(const struct xpf_filter *filter, uint8_t generation);

#endif /* XPF_INSTALL_H */
