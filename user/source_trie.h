/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The IPv4 source trie of a rule image (include/xpf/maps.h, source_trie): which rule source
 * prefix lengths contain a source address, as arrays the XDP program reads without a hash
 * lookup. User space only; pure, no BPF calls.
 */
#ifndef XPF_SOURCE_TRIE_H
#define XPF_SOURCE_TRIE_H

#include <stdint.h>

#include "compile.h"

struct xpf_source_trie {
	uint64_t *entries;	/* the root (XPF_SOURCE_ROOT entries), then chunk_count chunks */
	uint32_t chunk_count;
};

/* The chunks the image's IPv4 rule sources need (exactly what a build makes), into @chunks. */
int xpf_source_trie_chunks(const struct xpf_image *image, uint32_t *chunks);

/* The trie of the image's IPv4 rule sources; -E2BIG when it needs more than @chunk_room
 * chunks (the program then probes every length a class uses). */
int xpf_source_trie_build(const struct xpf_image *image, uint32_t chunk_room,
			  struct xpf_source_trie *trie);

/* The set of lengths (bit L: /L) of the IPv4 rule sources containing @addr (network order,
 * 4 bytes), as the XDP program finds it. */
uint64_t xpf_source_trie_lookup(const struct xpf_source_trie *trie, const uint8_t addr[4]);

void xpf_source_trie_free(struct xpf_source_trie *trie);

#endif /* XPF_SOURCE_TRIE_H */
