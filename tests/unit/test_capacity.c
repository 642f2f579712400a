/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the maps' room foreseen from a rule set before it compiles (user/core/capacity.c)
 * against the room its image needs. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "core/capacity.h"
#include "core/class_sources.h"
#include "random_site.h"

static int reset(void **state)
{
	(void)state;
	site_clear();
	/* Two local roles in both families, one in IPv6 alone, and a remote role of both. */
	add("local Director, VIP, V6only\n"
	    "role Director = 192.0.2.101, 2001:db8:1::101\n"
	    "role VIP = 192.0.2.100, 2001:db8:1::100\n"
	    "role V6only = 2001:db8:6::1\n"
	    "role Pool = 192.0.2.20/30, 2001:db8:1::20\n");
	return 0;
}

/* What the foresight promises: every room at least the image's own, and the image held. */
static void assert_foreseen_holds(void)
{
	struct xpf_capacity foreseen, need;
	struct xpf_ruleset rs;
	struct xpf_image image;

	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_int_equal(foreseen.rule_ids, need.rule_ids);
	assert_true(foreseen.source_chunks >= need.source_chunks);
	assert_true(foreseen.source_rule_cells >= need.source_rule_cells);
	assert_true(foreseen.class_sources >= need.class_sources);
	assert_true(foreseen.class_cells >= need.class_cells);
	assert_true(foreseen.prefix_lists >= need.prefix_lists);
	assert_true(foreseen.classes >= need.classes);
	assert_true(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	/* One rule id's room short of the image's: not held. */
	{
		struct xpf_capacity short_of = foreseen;

		short_of.rule_ids = need.rule_ids - 1;
		assert_false(xpf_capacity_foreseen_holds(&short_of, &image, &rs));
	}
	/* The grid: a cell's room short of the image's (twice its cells, at least 1024): not
	 * held; its cells and lists within the room it asks. */
	if (need.class_cells > 1024) {
		struct xpf_capacity short_of = foreseen;

		short_of.class_cells = need.class_cells - 1;
		assert_false(xpf_capacity_foreseen_holds(&short_of, &image, &rs));
	}
	{
		uint32_t rows, columns;

		xpf_class_grid_shape(&image, &rows, &columns);
		assert_true((uint64_t)rows * columns <= need.class_cells);
		assert_true(image.prefix_list_count < need.prefix_lists);
		assert_true(image.class_count <= need.classes);
	}
	if (need.class_sources > 1024) {
		struct xpf_capacity short_of = foreseen;

		short_of.class_sources = need.class_sources - 1;
		assert_false(xpf_capacity_foreseen_holds(&short_of, &image, &rs));
	}
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

static void small_site_is_held(void **state)
{
	(void)state;
	add("role Clients = 198.51.100.0/24, 2001:db8:100::/48\n"
	    "allow SSH/TCP 22 | 203.0.113.0/28 | Director | admin\n"
	    "allow HTTPS/TCP 443 | Clients | VIP | clients\n"
	    "deny HTTPS/TCP 443 | 198.51.100.66 | VIP | quarantined\n"
	    "allow HTTPS/TCP 444 | Director | Pool | outbound\n");
	assert_foreseen_holds();
}

/* Ranges that cut each other into many port classes: a rule of one row has entries in each
 * class its range crosses, which the foresight counts from the ranges' ends. */
static void ranges_cut_into_classes_are_counted(void **state)
{
	(void)state;
	add("role Wide = 198.18.0.0/15, 198.20.0.0/16, 198.21.0.0/16, 198.22.0.0/16, "
	    "198.23.0.0/16, 198.24.0.0/16, 198.25.0.0/16, 198.26.0.0/16, 2001:db8:5::/48\n"
	    "allow WIDE/TCP 1000-3000 | Wide | Director | wide\n");
	/* 1,000 ports inside the range, each its own class: the wide row has 8 × 2,001 IPv4
	 * entries, far past the least room the classes' sources are given. */
	for (int p = 1000; p < 3000; p += 2)
		add("allow NARROW/TCP %d | 203.0.113.%d | Director | narrow\n", p, p % 250);
	assert_foreseen_holds();
}

static void random_sites_are_held(void **state)
{
	(void)state;
	for_random_sites(20, reset, 2000, assert_foreseen_holds);
}

/* More /16 and /24 chunks than a generation may have: neither foresight nor image has a
 * trie, and the image is held all the same. */
static void too_many_chunks_leave_the_trie_out(void **state)
{
	struct xpf_capacity foreseen;
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	for (int i = 0; i < XPF_MAX_SOURCE_CHUNKS; i++)
		add("allow GEN/TCP 80 | %d.%d.7.1 | Director | host\n", 1 + i / 250, i % 250);
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	assert_int_equal(foreseen.source_chunks, 0);
	assert_true(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* Sources past the trie's chunks whose rows make no entry (IPv4 sources, a destination with
 * IPv6 addresses only) leave the foresight without a trie; the image, whose IPv4 sources (one
 * class of more than the program scans) fit, needs one: not held, so the load makes the maps
 * again at the image's size. */
static void a_trie_foreseen_out_but_needed_is_not_held(void **state)
{
	struct xpf_capacity foreseen, need;
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	for (int i = 0; i <= XPF_CLASS_SOURCES_SCAN; i++)
		add("allow GEN/TCP 22 | 203.0.113.%d | Director | IPv4 sources past a span\n", i);
	for (int i = 0; i < XPF_MAX_SOURCE_CHUNKS; i++)
		add("allow GEN/TCP 80 | %d.%d.7.1 | V6only | no entry\n", 1 + i / 250, i % 250);
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_int_equal(foreseen.source_chunks, 0);
	assert_true(need.source_chunks > 0);
	assert_false(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* The lists' roots: one element for a rule set without lists (no generation reads them),
 * every root of both generations for one with lists, foreseen and needed alike. */
static void list_roots_only_with_lists(void **state)
{
	struct xpf_capacity foreseen, need;
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	add("allow SSH/TCP 22 | 203.0.113.0/28 | Director | admin\n");
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_int_equal(foreseen.list_root_pairs, 1);
	assert_int_equal(need.list_root_pairs, 1);
	rs.list_count = 1;
	assert_false(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_int_equal(foreseen.list_root_pairs, XPF_LIST_ROOT_PAIRS);
	assert_int_equal(need.list_root_pairs, XPF_LIST_ROOT_PAIRS);
	assert_true(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	rs.list_count = 0;
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* The flow table: the site file's `flows max`, exactly (a load makes it once). */
static void flows_are_the_site_files(void **state)
{
	struct xpf_capacity foreseen, need;
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	add("flows max 2048\nallow SSH/TCP 22 | 203.0.113.0/28 | Director | admin\n");
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_int_equal(foreseen.flows, 2048);
	assert_int_equal(need.flows, 2048);
	assert_true(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	foreseen.flows = XPF_DEFAULT_FLOWS;
	assert_false(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* The classes' sources are room for the classes with a span (at most XPF_CLASS_SOURCES_SCAN
 * sources), not for every entry: 600 ports of one source each (600 spanned sources), and 600
 * sources on port 80 (one class, no span). */
static void class_sources_are_the_spanned_ones(void **state)
{
	struct xpf_capacity foreseen, need;
	struct xpf_ruleset rs;
	struct xpf_image image;
	uint32_t entries[2];

	(void)state;
	for (int i = 0; i < 600; i++)
		add("allow GEN/TCP %d | 198.18.%d.%d | VIP | one source\n"
		    "allow WEB/TCP 80 | 198.19.%d.%d | VIP | many sources\n",
		    1000 + i, i / 200, i % 200 + 1, i / 200, i % 200 + 1);
	compile_ok(site_text, NULL, &image, &rs);
	xpf_image_count_entries(&image, entries);
	assert_int_equal(entries[0], 1200);
	assert_int_equal(xpf_class_spans_size(&image), 600);
	xpf_capacity_of(&image, &rs, &need);
	assert_int_equal(need.class_sources, 2 * 600);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	/* Foreseen: the 600 and 1/64 more, for sources that rows repeat. */
	assert_int_equal(foreseen.class_sources, 2 * (600 + 600 / 64));
	assert_true(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	/* The class without a span takes the trie. */
	assert_false(need.no_source_trie);
	assert_false(foreseen.no_source_trie);
	assert_true(need.source_chunks > 0);
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* Every IPv4 source in a span (a class of at most XPF_CLASS_SOURCES_SCAN sources): the
 * program never reads the trie, which gets no room, foreseen and needed alike; room foreseen
 * without a trie does not hold an image that needs one. */
static void sources_all_spanned_take_no_trie(void **state)
{
	struct xpf_capacity foreseen, need;
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	add("role Clients = 198.51.100.0/24, 2001:db8:100::/48\n"
	    "allow SSH/TCP 22 | 203.0.113.0/28 | Director | admin\n"
	    "allow HTTPS/TCP 443 | Clients | VIP | clients\n"
	    "deny HTTPS/TCP 443 | 198.51.100.66 | VIP | quarantined\n");
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_class_unspanned_ipv4(&image), 0);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_true(need.no_source_trie);
	assert_true(foreseen.no_source_trie);
	assert_int_equal(need.source_chunks, 0);
	assert_int_equal(need.source_rule_cells, 0);
	assert_true(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
	/* Nine sources on port 22: a class without a span, which needs the trie. */
	for (int i = 0; i < XPF_CLASS_SOURCES_SCAN; i++)
		add("allow SSH/TCP 22 | 198.18.0.%d | Director | past a span\n", i + 1);
	compile_ok(site_text, NULL, &image, &rs);
	assert_true(xpf_class_unspanned_ipv4(&image) > 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_false(need.no_source_trie);
	assert_false(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* A rule table whose foreseen bound is far past the most a table may have is not foreseen,
 * and the image has none either: no room kept for it. 2,100 rows, each its own source, nine
 * to a port (no span): classes by trie nodes some millions of cells. */
static void a_rule_table_far_past_its_room_is_not_foreseen(void **state)
{
	struct xpf_capacity foreseen, need;
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	for (int i = 0; i < 2100; i++)
		add("allow GEN/TCP %d | 198.%d.%d.%d | Director | nine sources a port\n",
		    1000 + i / (XPF_CLASS_SOURCES_SCAN + 1), 18 + i / 256 % 2, i % 256, 1 + i / 512);
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_capacity_foreseen(&rs, &foreseen), 0);
	xpf_capacity_of(&image, &rs, &need);
	assert_true(foreseen.source_chunks > 0);
	assert_int_equal(foreseen.source_rule_cells, 0);
	assert_int_equal(need.source_rule_cells, 0);
	assert_true(xpf_capacity_foreseen_holds(&foreseen, &image, &rs));
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

static void a_small_rule_set_is_within_the_limits(void **state)
{
	struct xpf_error err = {};
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	add("allow SSH/TCP 22 | 203.0.113.0/28 | Director | admin\n");
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_capacity_within_limits(&rs, &image, "a.site", &err), 0);
	assert_string_equal(err.message, "");
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* The rule ids' limit: said with the need, the limit and the remedy, before any map exists. */
static void rules_past_the_limit_say_need_limit_and_remedy(void **state)
{
	struct xpf_error err = {};
	struct xpf_ruleset rs;
	struct xpf_image image;
	size_t count;

	(void)state;
	add("allow SSH/TCP 22 | 203.0.113.0/28 | Director | admin\n");
	compile_ok(site_text, NULL, &image, &rs);
	count = rs.count;
	rs.count = XPF_LIMIT_RULES + 1;
	assert_int_equal(xpf_capacity_within_limits(&rs, &image, "a.site", &err), -EINVAL);
	rs.count = count;
	assert_non_null(strstr(err.message, "a.site: 131073 rules need as many rule ids; a filter "
				 "has 131072"));
	assert_non_null(strstr(err.message, "`deny-list`/`allow-list`"));
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

static void entries_past_the_limit_say_need_limit_and_remedy(void **state)
{
	struct xpf_image image = {};
	struct xpf_ruleset rs = {};
	struct xpf_error err = {};

	(void)state;
	image.entry_count = XPF_LIMIT_RULE_ENTRIES + 1;
	image.entries = calloc(image.entry_count, sizeof(*image.entries));
	assert_non_null(image.entries);
	for (size_t i = 0; i < image.entry_count; i++)
		image.entries[i].key.family = AF_INET6;
	assert_int_equal(xpf_capacity_within_limits(&rs, &image, "b.site", &err), -EINVAL);
	assert_non_null(strstr(err.message, "b.site: the rules compile to 524289 IPv6 rule "
				 "entries"));
	assert_non_null(strstr(err.message, "may have 524288"));
	free(image.entries);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(small_site_is_held, reset),
		cmocka_unit_test_setup(ranges_cut_into_classes_are_counted, reset),
		cmocka_unit_test_setup(random_sites_are_held, reset),
		cmocka_unit_test_setup(too_many_chunks_leave_the_trie_out, reset),
		cmocka_unit_test_setup(a_trie_foreseen_out_but_needed_is_not_held, reset),
		cmocka_unit_test_setup(list_roots_only_with_lists, reset),
		cmocka_unit_test_setup(flows_are_the_site_files, reset),
		cmocka_unit_test_setup(class_sources_are_the_spanned_ones, reset),
		cmocka_unit_test_setup(sources_all_spanned_take_no_trie, reset),
		cmocka_unit_test_setup(a_rule_table_far_past_its_room_is_not_foreseen, reset),
		cmocka_unit_test_setup(a_small_rule_set_is_within_the_limits, reset),
		cmocka_unit_test_setup(rules_past_the_limit_say_need_limit_and_remedy, reset),
		cmocka_unit_test_setup(entries_past_the_limit_say_need_limit_and_remedy, reset),
	};

	rng_seed(0x2545f4914f6cdd1dull);
	return cmocka_run_group_tests(tests, NULL, site_teardown);
}
