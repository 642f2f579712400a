/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The compile's last steps, made once the maps' room is known: the image placed as the XDP
 * program reads it. The local-address slot table (local_slots.h), the class grid's shape and
 * its classes' spans of rule sources (class_sources.h), the IPv4 source trie and its rule
 * table (source_trie.h). What does not fit its room is left out, and the program goes without
 * it. The map writer (kernel/install.c) then only writes. Pure: no BPF calls.
 */
#ifndef XPF_PLACEMENT_H
#define XPF_PLACEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/class_sources.h"
#include "core/compile.h"
#include "core/source_trie.h"

/* The room of one generation in the maps sized at load, and the layouts a test asks for. */
struct xpf_room {
	uint32_t class_cells;		/* entries of class_cells */
	uint32_t prefix_lists;		/* entries of prefix_lists, id 0 unused */
	uint32_t class_sources;		/* entries of class_sources */
	uint32_t source_trie;		/* entries of source_trie: the root, then chunks */
	uint64_t source_rules;		/* cells of source_rules */
	/* The classes hash even where the grid fits, the local_addrs hash even where a slot
	 * table is found; no source trie, no rule table, no spans: the tests run every layout. */
	bool classes_in_hash;
	bool locals_in_hash;
	bool sources_without_trie;
	bool sources_without_rule_table;
	bool sources_without_class_spans;
};

struct xpf_placement {
	struct xpf_local_slot *slots;	/* XPF_LOCAL_SLOTS; NULL: the local_addrs hash */
	struct xpf_class_spans spans;	/* spans NULL: none (no grid, or they did not fit) */
	struct xpf_source_trie trie;	/* entries NULL: no trie; rules NULL: no rule table */
	/* Left out for want of room, and the room they need: the grid's cells, the spans'
	 * sources, the trie's chunks. */
	bool grid_left_out;
	bool spans_left_out;
	bool trie_left_out;
	uint64_t grid_cells_needed;
	uint32_t spans_needed;
	uint32_t trie_chunks_needed;
};

/* The class grid @image makes: destination classes (@rows) by port classes (@columns). */
void xpf_class_grid_shape(const struct xpf_image *image, uint32_t *rows, uint32_t *columns);

/* Places @image in @room. Sets @config's generation-free fields of what was placed: the slot
 * hash (local_slot_shift 0: none), the class grid (class_columns 0: the classes hash), the
 * spans' and the trie's flags (class_sources, source_trie) and the rule table's stride (0:
 * none). The regions of a generation (the *_base fields) are the writer's. 0, or -ENOMEM
 * with nothing left allocated. */
int xpf_image_place(const struct xpf_image *image, const struct xpf_room *room,
		    struct xpf_config *config, struct xpf_placement *placed);

/* Cells @first .. @first + @count - 1 of the class grid of @config (class_rows by
 * class_columns, row-major) into @cells: each class's number, prefix list id and span, 0 where
 * there is no class. A band at a time: the grid is never held whole. */
void xpf_class_cells_fill(const struct xpf_image *image, const struct xpf_config *config,
			  const struct xpf_placement *placed, uint32_t first, uint32_t count,
			  uint64_t *cells);

void xpf_placement_free(struct xpf_placement *placed);

#endif /* XPF_PLACEMENT_H */
