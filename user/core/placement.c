// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The image placed in the maps' room (placement.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/local_slots.h"
#include "core/placement.h"

/* The slot table, where a slot hash is found for the local addresses. */
static int place_local_slots(const struct xpf_image *image, const struct xpf_room *room,
			     struct xpf_config *config, struct xpf_placement *placed)
{
	config->local_slot_shift = 0;
	if (room->locals_in_hash)
		return 0;
	placed->slots = malloc(XPF_LOCAL_SLOTS * sizeof(*placed->slots));
	if (!placed->slots)
		return -ENOMEM;
	if (!xpf_local_slots_build(image->locals, image->local_count, config, placed->slots)) {
		free(placed->slots);
		placed->slots = NULL;
	}
	return 0;
}

void xpf_class_grid_shape(const struct xpf_image *image, uint32_t *rows, uint32_t *columns)
{
	*rows = 1;
	*columns = 1;
	for (size_t i = 0; i < image->class_count; i++) {
		if (image->classes[i].key.dest_class >= *rows)
			*rows = image->classes[i].key.dest_class + 1;
		if (image->classes[i].key.port_class >= *columns)
			*columns = image->classes[i].key.port_class + 1;
	}
}

/*
 * The class grid (include/xpf/maps.h): class_cells[dest class][port class] → class number,
 * prefix list id and span of class_sources, prefix_lists[id] → prefix lengths (the compiler's
 * distinct lists, ids from 1), and the spans where they fit. No grid (the classes hash) where
 * the grid or its lists do not fit.
 */
static int place_class_grid(const struct xpf_image *image, const struct xpf_room *room,
			    struct xpf_config *config, struct xpf_placement *placed)
{
	uint32_t rows, columns;
	int err;

	config->class_rows = 0;
	config->class_columns = 0;
	config->class_sources = 0;
	if (room->classes_in_hash)
		return 0;
	xpf_class_grid_shape(image, &rows, &columns);
	if ((uint64_t)rows * columns > room->class_cells ||
	    image->prefix_list_count >= room->prefix_lists) {
		placed->grid_left_out = true;
		placed->grid_cells_needed = (uint64_t)rows * columns;
		return 0;
	}
	config->class_rows = rows;
	config->class_columns = columns;
	if (room->sources_without_class_spans)
		return 0;
	err = xpf_class_spans_build(image, room->class_sources, &placed->spans);
	if (err == -E2BIG) {
		placed->spans_left_out = true;
		placed->spans_needed = xpf_class_spans_size(image);
		return 0;
	}
	config->class_sources = !err;
	return err;
}

/* Whether an IPv4 entry of @image is in a class the placement gave no span (no grid, no spans,
 * or more sources than the program scans): one the program looks up through the trie. */
static bool unspanned_ipv4(const struct xpf_image *image, const struct xpf_placement *placed)
{
	for (size_t i = 0; i < image->entry_count; i++)
		if (image->entries[i].key.family == AF_INET &&
		    (!placed->spans.spans || !placed->spans.spans[image->entries[i].class_no]))
			return true;
	return false;
}

/* The IPv4 source trie where it fits the room, and its rule table where that fits. */
static int place_source_trie(const struct xpf_image *image, const struct xpf_room *room,
			     struct xpf_config *config, struct xpf_placement *placed)
{
	uint32_t chunk_room;
	int err;

	config->source_trie = 0;
	config->source_rule_stride = 0;
	if (room->sources_without_trie)
		return 0;
	/* No room for a trie (a filter loaded for a rule set whose IPv4 sources all have a
	 * span): said where this image's classes without a span would take one. */
	if (room->source_trie < XPF_SOURCE_ROOT) {
		uint64_t cells;

		if (!unspanned_ipv4(image, placed))
			return 0;
		placed->trie_left_out = true;
		if (xpf_source_trie_size(image, &placed->trie_chunks_needed, &cells))
			placed->trie_chunks_needed = XPF_MAX_SOURCE_CHUNKS + 1;
		return 0;
	}
	chunk_room = (room->source_trie - XPF_SOURCE_ROOT) / XPF_SOURCE_CHUNK;
	err = xpf_source_trie_build(image, chunk_room,
				    room->sources_without_rule_table ? 0 : room->source_rules,
				    &placed->trie);
	if (err == -E2BIG) {
		uint64_t cells;

		placed->trie_left_out = true;
		xpf_source_trie_size(image, &placed->trie_chunks_needed, &cells);
		return 0;
	}
	if (err)
		return err;
	config->source_trie = 1;
	if (placed->trie.rules && image->class_count && placed->trie.node_count)
		config->source_rule_stride = placed->trie.node_count;
	return 0;
}

int xpf_image_place(const struct xpf_image *image, const struct xpf_room *room,
		    struct xpf_config *config, struct xpf_placement *placed)
{
	int err;

	memset(placed, 0, sizeof(*placed));
	err = place_local_slots(image, room, config, placed) ?:
	      place_class_grid(image, room, config, placed) ?:
	      place_source_trie(image, room, config, placed);
	if (err)
		xpf_placement_free(placed);
	return err;
}

void xpf_class_cells_fill(const struct xpf_image *image, const struct xpf_config *config,
			  const struct xpf_placement *placed, uint32_t first, uint32_t count,
			  uint64_t *cells)
{
	memset(cells, 0, count * sizeof(*cells));
	for (size_t i = 0; i < image->class_count; i++) {
		const struct xpf_image_class *class = &image->classes[i];
		uint32_t at = class->key.dest_class * config->class_columns + class->key.port_class;
		uint32_t span = placed->spans.spans ? placed->spans.spans[i] : 0;

		if (at - first < count)
			cells[at - first] = xpf_class_cell((uint32_t)i, class->list + 1, span);
	}
}

void xpf_placement_free(struct xpf_placement *placed)
{
	free(placed->slots);
	xpf_class_spans_free(&placed->spans);
	xpf_source_trie_free(&placed->trie);
	memset(placed, 0, sizeof(*placed));
}
