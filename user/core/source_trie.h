/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The IPv4 source trie of a rule image (include/xpf/maps.h, source_trie and source_rules):
 * which rule sources contain a source address, and for a small enough rule set the rule of
 * every class for it, as arrays the XDP program reads without a hash lookup. User space only;
 * pure, no BPF calls.
 */
#ifndef XPF_SOURCE_TRIE_H
#define XPF_SOURCE_TRIE_H

#include <stdint.h>

#include "core/compile.h"

struct xpf_source_trie {
	uint64_t *entries;	/* the root (XPF_SOURCE_ROOT entries), then chunk_count chunks */
	uint32_t chunk_count;
	uint32_t node_count;	/* distinct IPv4 rule sources, + 1 for node 0 (none) */
	/* [class number * node_count + node] → xpf_source_rule_of(), 0: no rule; NULL where
	 * the table would pass the room given to the build. */
	uint32_t *rules;
};

/* The chunks and the rule table's cells the image's IPv4 rule sources need (exactly what a
 * build makes). */
int xpf_source_trie_size(const struct xpf_image *image, uint32_t *chunks, uint64_t *rule_cells);

/* An IPv4 prefix as xpf_source_trie_size_of_prefixes() takes it: its address (host order)
 * above its length, so that numeric order is address order, shorter first. */
static inline uint64_t xpf_source_prefix(const uint8_t addr[4], uint8_t len)
{
	return ((uint64_t)addr[0] << 24 | (uint64_t)addr[1] << 16 | (uint64_t)addr[2] << 8 |
		addr[3]) << 8 | len;
}

/* The chunks and nodes a trie of @prefixes needs, whatever their order and repeats (sorted and
 * made distinct in place): a bound, before any compile, on the trie of an image whose IPv4
 * rule sources are among them. */
int xpf_source_trie_size_of_prefixes(uint64_t *prefixes, size_t count, uint32_t *chunks,
				     uint32_t *nodes);

/* The trie of the image's IPv4 rule sources; -E2BIG when it needs more than @chunk_room
 * chunks (the program then probes every length a class uses). The rule table too when it
 * fits in @rule_room cells. */
int xpf_source_trie_build(const struct xpf_image *image, uint32_t chunk_room, uint64_t rule_room,
			  struct xpf_source_trie *trie);

/* The entry the XDP program ends on for @addr (network order, 4 bytes): its lengths
 * (XPF_SOURCE_LENS()) and node (XPF_SOURCE_NODE()). */
uint64_t xpf_source_trie_lookup(const struct xpf_source_trie *trie, const uint8_t addr[4]);

void xpf_source_trie_free(struct xpf_source_trie *trie);

#endif /* XPF_SOURCE_TRIE_H */
