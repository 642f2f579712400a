/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the IPv4 source trie (user/source_trie.c): for any address, the set of lengths
 * of the rule sources containing it, read the way the XDP program reads it, equals the set
 * found by checking every prefix, and so does each class's rule in the rule table (the rule
 * of the longest source containing it); the chunks counted before building are the chunks
 * built; a trie past its room is refused, a table past its room left out. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/source_trie.h"
#include "support.h"

#define MAX_ENTRIES 4096

static struct xpf_image_rule entries[MAX_ENTRIES];
static struct xpf_image image = { .entries = entries };

static uint32_t mask_of(uint32_t len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

/* A rule entry of class @class_no, @family, source @addr (host order) masked to /@len, unless
 * the class has one for that source already (the compiler keeps one a key). */
static void add_rule(uint32_t class_no, uint8_t family, uint32_t addr, uint32_t len)
{
	struct xpf_image_rule *entry = &entries[image.entry_count];
	uint32_t masked = htonl(addr & mask_of(len));

	for (size_t i = 0; i < image.entry_count; i++)
		if (entries[i].class_no == class_no && entries[i].key.family == family &&
		    entries[i].key.prefix_len == len && !memcmp(entries[i].key.source, &masked, 4))
			return;
	memset(entry, 0, sizeof(*entry));
	entry->key.family = family;
	entry->key.prefix_len = (uint8_t)len;
	memcpy(entry->key.source, &masked, 4);
	entry->class_no = class_no;
	entry->value.rule_id = (uint32_t)image.entry_count;
	entry->value.action = image.entry_count % 3 ? XPF_ACTION_PASS : XPF_ACTION_DROP;
	if (class_no >= image.class_count)
		image.class_count = class_no + 1;
	image.entry_count++;
}

static void add_source(uint8_t family, uint32_t addr, uint32_t len)
{
	add_rule(0, family, addr, len);
}

static void add_text(const char *prefix)
{
	char text[32];
	char *slash;
	struct in_addr addr;

	snprintf(text, sizeof(text), "%s", prefix);
	slash = strchr(text, '/');
	*slash = '\0';
	assert_int_equal(inet_pton(AF_INET, text, &addr), 1);
	add_source(AF_INET, ntohl(addr.s_addr), (uint32_t)atoi(slash + 1));
}

/* Every IPv4 entry's source checked: the lengths of those containing @addr (host order). */
static uint64_t expected_lens(uint32_t addr)
{
	uint64_t lens = 0;

	for (size_t i = 0; i < image.entry_count; i++) {
		const struct xpf_image_rule_key *key = &entries[i].key;
		uint32_t source;

		if (key->family != AF_INET)
			continue;
		memcpy(&source, key->source, 4);
		if ((addr & mask_of(key->prefix_len)) == ntohl(source))
			lens |= 1ull << key->prefix_len;
	}
	return lens;
}

/* Checking every entry: the rule cell of class @class_no for @addr (host order), the rule of
 * the longest IPv4 source of the class containing it (0: none). */
static uint32_t expected_rule(uint32_t class_no, uint32_t addr)
{
	const struct xpf_image_rule *best = NULL;

	for (size_t i = 0; i < image.entry_count; i++) {
		const struct xpf_image_rule *entry = &entries[i];
		uint32_t source;

		if (entry->key.family != AF_INET || entry->class_no != class_no)
			continue;
		memcpy(&source, entry->key.source, 4);
		if ((addr & mask_of(entry->key.prefix_len)) == ntohl(source) &&
		    (!best || entry->key.prefix_len > best->key.prefix_len))
			best = entry;
	}
	return best ? xpf_source_rule_of(best->value.rule_id, best->value.action) : 0;
}

static uint64_t trie_leaf(const struct xpf_source_trie *trie, uint32_t addr)
{
	uint32_t network = htonl(addr);

	return xpf_source_trie_lookup(trie, (const uint8_t *)&network);
}

static uint64_t trie_lens(const struct xpf_source_trie *trie, uint32_t addr)
{
	return XPF_SOURCE_LENS(trie_leaf(trie, addr));
}

/* The lengths and every class's rule for @addr agree with every entry checked. */
static void assert_agrees(const struct xpf_source_trie *trie, uint32_t addr)
{
	uint32_t node = XPF_SOURCE_NODE(trie_leaf(trie, addr));

	assert_true(trie_lens(trie, addr) == expected_lens(addr));
	assert_true(node < trie->node_count);
	for (uint32_t c = 0; c < image.class_count; c++)
		assert_int_equal(trie->rules[c * trie->node_count + node], expected_rule(c, addr));
}

static void build(struct xpf_source_trie *trie)
{
	uint64_t cells;
	uint32_t counted;

	assert_int_equal(xpf_source_trie_size(&image, &counted, &cells), 0);
	assert_int_equal(xpf_source_trie_build(&image, counted, cells, trie), 0);
	assert_int_equal(trie->chunk_count, counted);
	assert_true(cells == (uint64_t)image.class_count * trie->node_count);
	assert_non_null(trie->rules);
}

static int reset(void **state)
{
	(void)state;
	image.entry_count = 0;
	image.class_count = 0;
	return 0;
}

static void director_sources(void **state)
{
	struct xpf_source_trie trie;

	(void)state;
	add_text("198.51.100.0/24");
	add_text("198.51.100.66/32");
	add_text("203.0.113.0/28");
	add_text("192.0.2.20/30");
	add_text("192.0.2.10/32");
	add_text("198.51.100.0/24");	/* the same source in another class: one prefix */
	add_source(AF_INET6, 0, 48);	/* IPv6 sources are not in the trie */
	build(&trie);
	/* 198.51 → its /24 chunk → .100's chunk (for the /32); 203.0 → .113 → its chunk;
	 * 192.0 → .2 → its chunk. */
	assert_int_equal(trie.chunk_count, 6);
	assert_int_equal(trie.node_count, 6);	/* five sources and none */
	assert_true(trie_lens(&trie, 0xc6336407) == (1ull << 24));		/* .7 */
	assert_true(trie_lens(&trie, 0xc6336442) == (1ull << 24 | 1ull << 32));	/* .66 */
	assert_true(trie_lens(&trie, 0xcb0071c8) == 0);	/* 203.0.113.200: none */
	assert_true(trie_lens(&trie, 0xcb00710f) == (1ull << 28));
	assert_true(trie_lens(&trie, 0xc0000217) == (1ull << 30));
	assert_true(trie_lens(&trie, 0xc0000218) == 0);
	assert_true(trie_lens(&trie, 0x0a000001) == 0);
	xpf_source_trie_free(&trie);
}

static void any_source_is_in_every_set(void **state)
{
	struct xpf_source_trie trie;

	(void)state;
	add_source(AF_INET, 0, 0);
	add_text("10.0.0.0/8");
	add_text("10.1.2.3/32");
	build(&trie);
	assert_true(trie_lens(&trie, 0x01020304) == 1);
	assert_true(trie_lens(&trie, 0x0a090909) == (1 | 1ull << 8));
	assert_true(trie_lens(&trie, 0x0a010203) == (1 | 1ull << 8 | 1ull << 32));
	assert_true(trie_lens(&trie, 0xffffffff) == 1);
	xpf_source_trie_free(&trie);
}

/* Random nested prefixes of every length in 8 classes, clustered so that they contain one
 * another: each lookup (random addresses and the first and last address of every prefix)
 * agrees with the prefixes checked one by one, lengths and each class's rule. */
static void random_prefixes_agree_with_every_prefix_checked(void **state)
{
	struct xpf_source_trie trie;

	(void)state;
	for (int round = 0; round < 8; round++) {
		image.entry_count = 0;
		for (int i = 0; i < 1500; i++) {
			uint32_t len = rng() % 33;
			/* Round 0 spreads over all space; the others within one /12. */
			uint32_t addr = round ? (0xc6100000u | (rng() & 0x000fffffu)) : rng();

			add_rule(rng() % 8, AF_INET, addr, len < 4 && round ? len + 8 : len);
		}
		build(&trie);
		for (size_t i = 0; i < image.entry_count; i++) {
			uint32_t first, len = entries[i].key.prefix_len;

			memcpy(&first, entries[i].key.source, 4);
			first = ntohl(first);
			assert_agrees(&trie, first);
			assert_agrees(&trie, first | ~mask_of(len));
		}
		for (int i = 0; i < 3000; i++)
			assert_agrees(&trie, round ? (0xc6100000u | (rng() & 0x000fffffu)) : rng());
		xpf_source_trie_free(&trie);
	}
}

static void more_chunks_than_room_is_refused(void **state)
{
	struct xpf_source_trie trie;
	uint64_t cells;
	uint32_t chunks;

	(void)state;
	for (uint32_t i = 0; i < 40; i++)
		add_source(AF_INET, 0x0a000000u | i << 16 | 7, 32);	/* 40 /16s, a /24 each */
	assert_int_equal(xpf_source_trie_size(&image, &chunks, &cells), 0);
	assert_int_equal(chunks, 80);
	assert_true(cells == 41);
	assert_int_equal(xpf_source_trie_build(&image, 79, cells, &trie), -E2BIG);
	assert_null(trie.entries);
	/* Room for the trie, not for its table: the trie alone. */
	assert_int_equal(xpf_source_trie_build(&image, 80, cells - 1, &trie), 0);
	assert_null(trie.rules);
	assert_true(trie_lens(&trie, 0x0a270007) == 1ull << 32);
	assert_true(trie_lens(&trie, 0x0a270008) == 0);
	xpf_source_trie_free(&trie);
}

static void no_sources_no_chunks(void **state)
{
	struct xpf_source_trie trie;

	(void)state;
	add_source(AF_INET6, 0, 64);
	build(&trie);
	assert_int_equal(trie.chunk_count, 0);
	assert_true(trie_lens(&trie, 0xc6336407) == 0);
	xpf_source_trie_free(&trie);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(director_sources, reset),
		cmocka_unit_test_setup(any_source_is_in_every_set, reset),
		cmocka_unit_test_setup(random_prefixes_agree_with_every_prefix_checked, reset),
		cmocka_unit_test_setup(more_chunks_than_room_is_refused, reset),
		cmocka_unit_test_setup(no_sources_no_chunks, reset),
	};

	rng_seed(0x9e3779b97f4a7c15ull);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
