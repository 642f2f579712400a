/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the classes' spans of rule sources (user/core/class_sources.c) against the image's
 * rule entries: the first source of a span that holds an address, as the XDP program scans
 * it, is the entry the hash probes would find, the longest of the class that holds it. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "core/class_sources.h"
#include "random_site.h"

#define FIRST_ID 1000	/* rule ids moved as a second generation's are */

static int reset(void **state)
{
	(void)state;
	site_clear();
	add("local Director, VIP\n"
	    "role Director = 192.0.2.101, 2001:db8:1::101\n"
	    "role VIP = 192.0.2.100, 2001:db8:1::100\n"
	    "role Pool = 192.0.2.20/30, 2001:db8:1::20\n"
	    "role V6Clients = 2001:db8:100::/48, 2001:db8:100:5::/64\n");
	return 0;
}

static bool prefix_holds(const uint8_t *prefix, uint8_t len, const uint8_t addr[16])
{
	for (uint32_t bit = 0; bit < len; bit++)
		if ((prefix[bit / 8] ^ addr[bit / 8]) & (0x80 >> bit % 8))
			return false;
	return true;
}

/* The program's scan of a span (bpf/classify.h, scan_class_sources()): the packet's family's
 * part of it, under each source's mask, no family compared. */
static uint32_t scan(const struct xpf_image *image, const struct xpf_class_spans *spans,
		     uint32_t span, uint8_t family, const uint8_t addr[16])
{
	int is_v4 = family == AF_INET;
	uint32_t first = xpf_class_span_family_first(span, is_v4);

	for (uint32_t i = 0; i < xpf_class_span_family_count(span, is_v4); i++) {
		struct xpf_class_source sources[1], *source = sources;
		uint8_t differ = 0;

		xpf_class_sources_fill(image, spans, FIRST_ID, first + i, 1, sources);
		assert_int_equal(source->family, family);
		for (int b = 0; b < (is_v4 ? 4 : 16); b++)
			differ |= (addr[b] ^ source->source[b]) & source->mask[b];
		if (!differ)
			return source->rule;
	}
	return 0;
}

/* What the hash probes find: the longest entry of the class and family holding @addr. */
static uint32_t longest_entry(const struct xpf_image *image, uint32_t class_no, uint8_t family,
			      const uint8_t addr[16])
{
	const struct xpf_image_rule *best = NULL;

	for (size_t i = 0; i < image->entry_count; i++) {
		const struct xpf_image_rule *entry = &image->entries[i];

		if (entry->class_no != class_no || entry->key.family != family ||
		    !prefix_holds(entry->key.source, entry->key.prefix_len, addr))
			continue;
		assert_true(!best || best->key.prefix_len != entry->key.prefix_len);
		if (!best || entry->key.prefix_len > best->key.prefix_len)
			best = entry;
	}
	return best ? xpf_source_rule_of(best->value.rule_id + FIRST_ID, best->value.action) : 0;
}

/* An address inside @entry's source, or near it (its other bits random). */
static void address_near(const struct xpf_image_rule *entry, uint8_t addr[16])
{
	uint32_t keep = rng() % 2 ? entry->key.prefix_len : rng() % (entry->key.prefix_len + 1);

	memset(addr, 0, 16);
	for (int b = 0; b < (entry->key.family == AF_INET ? 4 : 16); b++)
		addr[b] = (uint8_t)rng();
	for (uint32_t bit = 0; bit < keep; bit++) {
		uint8_t m = 0x80 >> bit % 8;

		addr[bit / 8] = (addr[bit / 8] & ~m) | (entry->key.source[bit / 8] & m);
	}
}

/* Every class with few enough entries has a span of exactly them, IPv4 first, each family
 * longest first; the others
 * none; and the scan finds, for addresses in and around every source, what the probes do. */
static void assert_spans_match_entries(void)
{
	struct xpf_class_spans spans;
	struct xpf_ruleset rs;
	struct xpf_image image;
	uint32_t *per_class;

	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_class_spans_build(&image, UINT32_MAX, &spans), 0);
	assert_int_equal(spans.count, xpf_class_spans_size(&image));
	per_class = calloc(image.class_count, sizeof(*per_class));
	assert_non_null(per_class);
	for (size_t i = 0; i < image.entry_count; i++)
		per_class[image.entries[i].class_no]++;
	for (size_t c = 0; c < image.class_count; c++) {
		uint32_t span = spans.spans[c], count = xpf_class_span_count(span);

		assert_int_equal(count, per_class[c] <= XPF_CLASS_SOURCES_SCAN ? per_class[c] : 0);
		for (uint32_t i = 0; i < count; i++) {
			const struct xpf_image_rule *at =
				&image.entries[spans.order[xpf_class_span_first(span) + i]];

			assert_int_equal(at->key.family,
					 i < xpf_class_span_v4_count(span) ? AF_INET : AF_INET6);
			if (i && i != xpf_class_span_v4_count(span))
				assert_true(image.entries[spans.order[xpf_class_span_first(span) +
								      i - 1]]
						    .key.prefix_len >= at->key.prefix_len);
		}
	}
	for (size_t i = 0; i < image.entry_count; i++) {
		const struct xpf_image_rule *entry = &image.entries[i];
		uint32_t span = spans.spans[entry->class_no];
		uint8_t addr[16];

		if (!xpf_class_span_count(span))
			continue;
		for (int t = 0; t < 8; t++) {
			address_near(entry, addr);
			assert_int_equal(scan(&image, &spans, span, entry->key.family, addr),
					 longest_entry(&image, entry->class_no, entry->key.family,
						       addr));
		}
		/* The other family's address with the same bytes finds none of this family. */
		address_near(entry, addr);
		if (entry->key.family == AF_INET)
			assert_int_equal(scan(&image, &spans, span, AF_INET6, addr),
					 longest_entry(&image, entry->class_no, AF_INET6, addr));
	}
	free(per_class);
	xpf_class_spans_free(&spans);
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
}

/* Nested sources of one class, a deny inside an allow inside an allow: the longest wins. */
static void nested_sources_longest_first(void **state)
{
	(void)state;
	add("allow HTTPS/TCP 443 | 198.18.0.0/15 | VIP | wide\n"
	    "deny HTTPS/TCP 443 | 198.18.7.0/24 | VIP | narrow\n"
	    "allow HTTPS/TCP 443 | 198.18.7.66 | VIP | host\n"
	    "deny HTTPS/TCP 443 | 2001:db8:100:5::/64 | VIP | v6 narrow\n"
	    "allow HTTPS/TCP 443 | V6Clients | VIP | v6\n");
	assert_spans_match_entries();
}

static void random_sites_match(void **state)
{
	(void)state;
	for_random_sites(20, reset, 1000, assert_spans_match_entries);
}

/* A class with more sources than the program scans has no span (the trie and the hashes
 * decide it); a room smaller than the spans' sources is refused whole. */
static void past_the_scan_no_span(void **state)
{
	struct xpf_class_spans spans;
	struct xpf_ruleset rs;
	struct xpf_image image;

	(void)state;
	for (int i = 0; i <= XPF_CLASS_SOURCES_SCAN; i++)
		add("allow SSH/TCP 22 | 203.0.113.%d | Director | host %d\n", i, i);
	add("allow HTTPS/TCP 443 | 198.51.100.0/24 | Director | clients\n");
	compile_ok(site_text, NULL, &image, &rs);
	assert_int_equal(xpf_class_spans_size(&image), 1);
	assert_int_equal(xpf_class_spans_build(&image, 0, &spans), -E2BIG);
	assert_int_equal(xpf_class_spans_build(&image, 1, &spans), 0);
	assert_int_equal(spans.count, 1);
	for (size_t c = 0; c < image.class_count; c++)
		assert_int_equal(xpf_class_span_count(spans.spans[c]) != 0,
				 image.classes[c].key.port_class ==
					 image.port_classes[XPF_TRANSPORT_TCP][443]);
	xpf_class_spans_free(&spans);
	xpf_image_free(&image);
	xpf_ruleset_free(&rs);
	assert_spans_match_entries();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(nested_sources_longest_first, reset),
		cmocka_unit_test_setup(random_sites_match, reset),
		cmocka_unit_test_setup(past_the_scan_no_span, reset),
	};

	rng_seed(0x2545f4914f6cdd1dull);
	return cmocka_run_group_tests(tests, NULL, site_teardown);
}
