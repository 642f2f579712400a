// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The IPv4 source trie (include/xpf/maps.h): strides of 16, 8 and 8 bits; an entry below
 * which every address has the same containing rule sources holds the set of their lengths.
 *
 * Prefixes are taken in address order, shorter first where two start alike: an order in which
 * every prefix comes after all that contain it and before all it contains. So when a prefix is
 * written, its span of entries holds the set of its containers only (no chunk lies below it
 * yet), and the prefix's own set is that one with its length added. The chunks a trie needs
 * are then counted without building it: one per distinct value of the first b bits among
 * prefixes longer than b, for b = 16 and 24, which address order lets one pass count by
 * comparing neighbours.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "source_trie.h"

/* The image's distinct IPv4 rule sources, in address order. */
struct prefix_order {
	const struct xpf_image *image;
	uint32_t *index;		/* into image->entries */
	uint32_t count;
};

static const struct xpf_image *sort_image;	/* qsort() has no argument for it */

static int compare_sources(const void *a, const void *b)
{
	const struct xpf_image_rule_key *x = &sort_image->entries[*(const uint32_t *)a].key;
	const struct xpf_image_rule_key *y = &sort_image->entries[*(const uint32_t *)b].key;
	int diff = memcmp(x->source, y->source, 4);

	return diff ? diff : (int)x->prefix_len - (int)y->prefix_len;
}

static int order_sources(const struct xpf_image *image, struct prefix_order *order)
{
	uint32_t n = 0, count = 0;

	order->image = image;
	order->count = 0;
	order->index = malloc((image->entry_count ?: 1) * sizeof(*order->index));
	if (!order->index)
		return -ENOMEM;
	for (size_t i = 0; i < image->entry_count; i++)
		if (image->entries[i].key.family == AF_INET)
			order->index[count++] = (uint32_t)i;
	sort_image = image;
	qsort(order->index, count, sizeof(*order->index), compare_sources);
	sort_image = NULL;
	for (uint32_t i = 0; i < count; i++) {
		const struct xpf_image_rule_key *key = &image->entries[order->index[i]].key;
		const struct xpf_image_rule_key *last =
			n ? &image->entries[order->index[n - 1]].key : NULL;

		if (last && last->prefix_len == key->prefix_len && !memcmp(last->source, key->source, 4))
			continue;
		order->index[n++] = order->index[i];
	}
	order->count = n;
	return 0;
}

static uint32_t count_chunks(const struct prefix_order *order)
{
	uint32_t chunks = 0;

	for (uint32_t boundary = XPF_SOURCE_ROOT_BITS; boundary < 32; boundary += 8) {
		const uint8_t *last = NULL;

		for (uint32_t i = 0; i < order->count; i++) {
			const struct xpf_image_rule_key *key = &order->image->entries[order->index[i]].key;

			if (key->prefix_len <= boundary)
				continue;
			if (!last || memcmp(last, key->source, boundary / 8))
				chunks++;
			last = key->source;
		}
	}
	return chunks;
}

int xpf_source_trie_chunks(const struct xpf_image *image, uint32_t *chunks)
{
	struct prefix_order order;
	int err = order_sources(image, &order);

	if (!err)
		*chunks = count_chunks(&order);
	free(order.index);
	return err;
}

/* Writes one prefix: chunks down to the level its length ends in, then its span there. */
static int insert_prefix(struct xpf_source_trie *trie, const struct xpf_image_rule_key *key)
{
	uint64_t *level = trie->entries, containers;
	uint32_t index = (uint32_t)key->source[0] << 8 | key->source[1];
	uint32_t end = XPF_SOURCE_ROOT_BITS, next_byte = 2, span;

	while (key->prefix_len > end) {
		uint64_t entry = level[index];

		if (!(entry & XPF_SOURCE_CHUNK_FLAG)) {
			uint64_t *chunk = trie->entries + XPF_SOURCE_ROOT +
					  (size_t)trie->chunk_count * XPF_SOURCE_CHUNK;

			for (uint32_t i = 0; i < XPF_SOURCE_CHUNK; i++)
				chunk[i] = entry;
			entry = (uint64_t)trie->chunk_count++ << 1 | XPF_SOURCE_CHUNK_FLAG;
			level[index] = entry;
		}
		level = trie->entries + XPF_SOURCE_ROOT + (size_t)(entry >> 1) * XPF_SOURCE_CHUNK;
		index = key->source[next_byte++];
		end += 8;
	}
	span = 1u << (end - key->prefix_len);
	index &= ~(span - 1);
	containers = level[index];
	for (uint32_t i = index; i < index + span; i++)
		if (level[i] != containers)
			return -EINVAL;	/* not in containment order: cannot happen */
	for (uint32_t i = index; i < index + span; i++)
		level[i] = containers | 1ull << (key->prefix_len + 1);
	return 0;
}

int xpf_source_trie_build(const struct xpf_image *image, uint32_t chunk_room,
			  struct xpf_source_trie *trie)
{
	struct prefix_order order;
	uint32_t chunks;
	int err = order_sources(image, &order);

	memset(trie, 0, sizeof(*trie));
	if (err)
		goto out;
	chunks = count_chunks(&order);
	if (chunks > chunk_room) {
		err = -E2BIG;
		goto out;
	}
	/* Zeroed: every root entry starts as the empty set, no rule source. */
	trie->entries = calloc(XPF_SOURCE_ROOT + (size_t)chunks * XPF_SOURCE_CHUNK,
			       sizeof(*trie->entries));
	if (!trie->entries) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < order.count && !err; i++)
		err = insert_prefix(trie, &image->entries[order.index[i]].key);
out:
	free(order.index);
	if (err)
		xpf_source_trie_free(trie);
	return err;
}

uint64_t xpf_source_trie_lookup(const struct xpf_source_trie *trie, const uint8_t addr[4])
{
	uint64_t entry = trie->entries[(uint32_t)addr[0] << 8 | addr[1]];

	for (int next_byte = 2; entry & XPF_SOURCE_CHUNK_FLAG && next_byte < 4; next_byte++)
		entry = trie->entries[XPF_SOURCE_ROOT + (size_t)(entry >> 1) * XPF_SOURCE_CHUNK +
				      addr[next_byte]];
	return entry >> 1;
}

void xpf_source_trie_free(struct xpf_source_trie *trie)
{
	free(trie->entries);
	memset(trie, 0, sizeof(*trie));
}
