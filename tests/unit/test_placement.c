// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit tests: the image placed in the maps' room (user/core/placement.c): what fits is placed
 * and flagged in the config, what a test asks to go without or what the room cannot hold is
 * left out, and the class grid's cells, filled a band at a time, are each class's. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/class_sources.h"
#include "core/placement.h"
#include "random_site.h"

/* As much room as any test site needs. */
static const struct xpf_room ample = {
	.class_cells = XPF_CLASS_CELLS_PER_GENERATION,
	.prefix_lists = XPF_MAX_PREFIX_LISTS,
	.class_sources = 1u << 20,
	.source_trie = XPF_SOURCE_ROOT + 4096 * XPF_SOURCE_CHUNK,
	.source_rules = 1u << 24,
};

static int reset(void **state)
{
	(void)state;
	site_clear();
	add("local Director, VIP\n"
	    "role Director = 192.0.2.101, 2001:db8:1::101\n"
	    "role VIP = 192.0.2.100, 2001:db8:1::100\n"
	    "role Pool = 192.0.2.20/30, 2001:db8:1::20\n");
	return 0;
}

/* The grid's cells, a band of @band at a time, against each class's own cell. */
static void assert_cells_are_the_classes(const struct xpf_image *image,
					 const struct xpf_config *config,
					 const struct xpf_placement *placed, uint32_t band)
{
	uint32_t count = config->class_rows * config->class_columns;
	uint64_t *cells = calloc(count, sizeof(*cells));
	bool *taken = calloc(count, sizeof(*taken));

	assert_non_null(cells);
	assert_non_null(taken);
	for (uint32_t first = 0; first < count; first += band)
		xpf_class_cells_fill(image, config, placed, first,
				     count - first < band ? count - first : band, cells + first);
	for (size_t i = 0; i < image->class_count; i++) {
		const struct xpf_image_class *class = &image->classes[i];
		uint32_t at = class->key.dest_class * config->class_columns + class->key.port_class;
		uint32_t span = placed->spans.spans ? placed->spans.spans[i] : 0;

		assert_true(at < count);
		assert_false(taken[at]);
		taken[at] = true;
		assert_true(cells[at] == xpf_class_cell((uint32_t)i, class->list + 1, span));
	}
	for (uint32_t at = 0; at < count; at++)
		if (!taken[at])
			assert_true(cells[at] == 0);
	free(cells);
	free(taken);
}

/* In ample room everything is placed: a slot table, the grid with its spans, the trie with
 * its rule table; and the grid's cells are the classes', whatever the band. */
static void ample_room_places_all(void)
{
	struct xpf_placement placed;
	struct xpf_ruleset rs;
	struct xpf_image image;
	struct xpf_config config;

	compile_ok(site_text, NULL, &image, &rs);
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &ample, &config, &placed), 0);
	assert_non_null(placed.slots);
	assert_int_not_equal(config.local_slot_shift, 0);
	assert_int_not_equal(config.class_columns, 0);
	assert_int_equal(config.class_sources, 1);
	assert_non_null(placed.spans.spans);
	assert_int_equal(placed.spans.count, xpf_class_spans_size(&image));
	assert_int_equal(config.source_trie, 1);
	assert_non_null(placed.trie.entries);
	assert_non_null(placed.trie.rules);
	assert_int_equal(config.source_rule_stride, placed.trie.node_count);
	assert_false(placed.spans_left_out);
	assert_false(placed.trie_left_out);
	assert_cells_are_the_classes(&image, &config, &placed, 1);
	assert_cells_are_the_classes(&image, &config, &placed, 7);
	assert_cells_are_the_classes(&image, &config, &placed, 1u << 20);
	xpf_placement_free(&placed);
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

static void random_sites_placed(void **state)
{
	(void)state;
	for_random_sites(10, reset, 500, ample_room_places_all);
}

/* Each layout a test asks for leaves out exactly its part, silently. */
static void layouts_asked_for(void **state)
{
	struct xpf_placement placed;
	struct xpf_ruleset rs;
	struct xpf_image image;
	struct xpf_config config;
	struct xpf_room room;

	(void)state;
	add_random_rows(200);
	compile_ok(site_text, NULL, &image, &rs);

	room = ample;
	room.locals_in_hash = true;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_null(placed.slots);
	assert_int_equal(config.local_slot_shift, 0);
	assert_int_not_equal(config.class_columns, 0);
	xpf_placement_free(&placed);

	room = ample;
	room.classes_in_hash = true;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.class_rows, 0);
	assert_int_equal(config.class_columns, 0);
	assert_int_equal(config.class_sources, 0);
	assert_null(placed.spans.spans);
	assert_non_null(placed.slots);
	xpf_placement_free(&placed);

	room = ample;
	room.sources_without_class_spans = true;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_not_equal(config.class_columns, 0);
	assert_int_equal(config.class_sources, 0);
	assert_null(placed.spans.spans);
	assert_cells_are_the_classes(&image, &config, &placed, 64);
	xpf_placement_free(&placed);

	room = ample;
	room.sources_without_rule_table = true;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.source_trie, 1);
	assert_null(placed.trie.rules);
	assert_int_equal(config.source_rule_stride, 0);
	xpf_placement_free(&placed);

	room = ample;
	room.sources_without_trie = true;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.source_trie, 0);
	assert_null(placed.trie.entries);
	assert_false(placed.trie_left_out);
	xpf_placement_free(&placed);

	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* Room short of the spans or the trie: left out, and what they need said; a trie map too
 * small for even the root (a filter loaded for sources that all had a span): no trie, said
 * only where a class without a span would have read it. */
static void short_room_left_out(void **state)
{
	struct xpf_placement placed;
	struct xpf_ruleset rs;
	struct xpf_image image;
	struct xpf_config config;
	struct xpf_room room = ample;
	uint64_t cells;
	uint32_t chunks;

	(void)state;
	add_random_rows(300);
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_source_trie_size(&image, &chunks, &cells), 0);
	assert_true(chunks > 0);
	assert_true(xpf_class_spans_size(&image) > 0);

	room.class_sources = xpf_class_spans_size(&image) - 1;
	room.source_trie = XPF_SOURCE_ROOT + (chunks - 1) * XPF_SOURCE_CHUNK;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_true(placed.spans_left_out);
	assert_int_equal(placed.spans_needed, xpf_class_spans_size(&image));
	assert_int_equal(config.class_sources, 0);
	assert_int_not_equal(config.class_columns, 0);
	assert_true(placed.trie_left_out);
	assert_int_equal(placed.trie_chunks_needed, chunks);
	assert_int_equal(config.source_trie, 0);
	assert_int_equal(config.source_rule_stride, 0);
	xpf_placement_free(&placed);

	/* Exactly the room they need: placed. */
	room.class_sources = xpf_class_spans_size(&image);
	room.source_trie = XPF_SOURCE_ROOT + chunks * XPF_SOURCE_CHUNK;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_false(placed.spans_left_out);
	assert_false(placed.trie_left_out);
	assert_int_equal(config.class_sources, 1);
	assert_int_equal(config.source_trie, 1);
	xpf_placement_free(&placed);

	room.source_trie = XPF_SOURCE_ROOT - 1;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.source_trie, 0);
	assert_int_equal(placed.trie_left_out, xpf_class_unspanned_ipv4(&image) > 0);
	xpf_placement_free(&placed);

	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* No room for a trie: nothing said where every IPv4 source has a span; where a class has more
 * sources than the program scans, the trie it would read is left out and its need said. */
static void no_trie_room_said_only_where_read(void **state)
{
	struct xpf_placement placed;
	struct xpf_ruleset rs;
	struct xpf_image image;
	struct xpf_config config;
	struct xpf_room room = ample;

	(void)state;
	room.source_trie = 1;
	add("allow SSH/TCP 22 | 203.0.113.0/28 | Director | admin\n");
	compile_ok(site_text, NULL, &image, &rs);
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_not_equal(config.class_sources, 0);
	assert_int_equal(config.source_trie, 0);
	assert_false(placed.trie_left_out);
	xpf_placement_free(&placed);
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);

	for (int i = 0; i < XPF_CLASS_SOURCES_SCAN; i++)
		add("allow SSH/TCP 22 | 198.18.0.%d | Director | past a span\n", i + 1);
	compile_ok(site_text, NULL, &image, &rs);
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.source_trie, 0);
	assert_true(placed.trie_left_out);
	assert_true(placed.trie_chunks_needed > 0);
	xpf_placement_free(&placed);
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* A grid of more cells, or more prefix lists, than the room: the classes hash, no grid; exactly
 * the room: the grid. */
static void grid_past_its_room_goes_to_the_hash(void **state)
{
	struct xpf_placement placed;
	struct xpf_ruleset rs;
	struct xpf_image image;
	struct xpf_config config;
	struct xpf_room room = ample;
	uint32_t rows, columns;

	(void)state;
	add_random_rows(200);
	compile_ok(site_text, NULL, &image, &rs);
	xpf_class_grid_shape(&image, &rows, &columns);
	assert_true(rows * columns > 1);

	room.class_cells = rows * columns - 1;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.class_columns, 0);
	assert_null(placed.spans.spans);
	assert_true(placed.grid_left_out);
	assert_int_equal(placed.grid_cells_needed, rows * columns);
	xpf_placement_free(&placed);

	room = ample;
	room.prefix_lists = (uint32_t)image.prefix_list_count;	/* ids from 1: one short */
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.class_columns, 0);
	xpf_placement_free(&placed);

	room = ample;
	room.class_cells = rows * columns;
	room.prefix_lists = (uint32_t)image.prefix_list_count + 1;
	config = image.config;
	assert_int_equal(xpf_image_place(&image, &room, &config, &placed), 0);
	assert_int_equal(config.class_rows, rows);
	assert_int_equal(config.class_columns, columns);
	xpf_placement_free(&placed);

	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(random_sites_placed, reset),
		cmocka_unit_test_setup(layouts_asked_for, reset),
		cmocka_unit_test_setup(short_room_left_out, reset),
		cmocka_unit_test_setup(no_trie_room_said_only_where_read, reset),
		cmocka_unit_test_setup(grid_past_its_room_goes_to_the_hash, reset),
	};

	return cmocka_run_group_tests(tests, NULL, site_teardown);
}
