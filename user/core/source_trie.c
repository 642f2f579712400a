// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The IPv4 source trie (include/xpf/maps.h): strides of 16, 8 and 8 bits; a leaf, below which
 * every address is in the same rule sources, holds the set of their lengths and the longest of
 * them (its node).
 *
 * Sources are taken in address order, shorter first where two start alike: an order in which
 * every prefix comes after all that contain it and before all it contains. So when a prefix is
 * written, its span of entries holds its longest container's leaf (no chunk lies below it
 * yet): its parent, whose set with the prefix's length added is the prefix's own. Node numbers
 * follow that order, so a parent's is below its children's. The chunks a trie needs are
 * counted without building it: one per distinct value of the first b bits among sources longer
 * than b, for b = 16 and 24, which address order lets one pass count by comparing neighbours.
 *
 * The rule table: a class's rule for a node is the class's rule of the node's source itself,
 * else the class's rule for its parent, which the node order has already found.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/source_trie.h"

/* Bits of an entry's index in a sort key: an image has at most XPF_MAX_RULE_ENTRIES. */
#define ORDER_INDEX_BITS 20
_Static_assert(XPF_MAX_RULE_ENTRIES <= 1u << ORDER_INDEX_BITS, "entry index in a sort key");

/* The image's IPv4 rule entries in address order, and the node of each. */
struct source_order {
	const struct xpf_image *image;
	/* xpf_source_prefix() of the entry's source above its index in image->entries:
	 * sorted as numbers, address order, shorter first, IPv4 only */
	uint64_t *keys;
	uint32_t count;
	uint32_t *node;			/* [i]: node of keys[i] */
	uint32_t nodes;			/* distinct sources + 1 */
};

static uint32_t index_at(const struct source_order *order, uint32_t i)
{
	return (uint32_t)(order->keys[i] & ((1u << ORDER_INDEX_BITS) - 1));
}

static const struct xpf_image_rule_key *key_at(const struct source_order *order, uint32_t i)
{
	return &order->image->entries[index_at(order, i)].key;
}

static void free_order(struct source_order *order)
{
	free(order->keys);
	free(order->node);
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int order_sources(const struct xpf_image *image, struct source_order *order)
{
	memset(order, 0, sizeof(*order));
	order->image = image;
	order->keys = malloc((image->entry_count ?: 1) * sizeof(*order->keys));
	order->node = malloc((image->entry_count ?: 1) * sizeof(*order->node));
	if (!order->keys || !order->node) {
		free_order(order);
		return -ENOMEM;
	}
	for (size_t i = 0; i < image->entry_count; i++) {
		const struct xpf_image_rule_key *key = &image->entries[i].key;

		if (key->family == AF_INET)
			order->keys[order->count++] =
				xpf_source_prefix(key->source, key->prefix_len) << ORDER_INDEX_BITS | i;
	}
	qsort(order->keys, order->count, sizeof(*order->keys), compare_u64);
	order->nodes = 1;
	for (uint32_t i = 0; i < order->count; i++) {
		if (!i || order->keys[i] >> ORDER_INDEX_BITS != order->keys[i - 1] >> ORDER_INDEX_BITS)
			order->nodes++;
		order->node[i] = order->nodes - 1;
	}
	return 0;
}

/* The chunks a trie of @count sources needs: @keys sorted, each an xpf_source_prefix() above
 * @shift bits of something else. */
static uint32_t count_chunks(const uint64_t *keys, uint32_t count, unsigned int shift)
{
	uint32_t chunks = 0;

	for (uint32_t boundary = XPF_SOURCE_ROOT_BITS; boundary < 32; boundary += 8) {
		uint32_t last = 0;
		bool any = false;

		for (uint32_t i = 0; i < count; i++) {
			uint64_t prefix = keys[i] >> shift;
			uint32_t above = (uint32_t)(prefix >> 8) >> (32 - boundary);

			if ((uint8_t)prefix <= boundary)
				continue;
			if (!any || last != above)
				chunks++;
			last = above;
			any = true;
		}
	}
	return chunks;
}

int xpf_source_trie_size_of_prefixes(uint64_t *prefixes, size_t count, uint32_t *chunks,
				     uint32_t *nodes)
{
	size_t distinct = 0;

	if (count > UINT32_MAX)
		return -E2BIG;
	qsort(prefixes, count, sizeof(*prefixes), compare_u64);
	for (size_t i = 0; i < count; i++)
		if (!distinct || prefixes[i] != prefixes[distinct - 1])
			prefixes[distinct++] = prefixes[i];
	*chunks = count_chunks(prefixes, (uint32_t)distinct, 0);
	*nodes = (uint32_t)distinct + 1;
	return 0;
}

int xpf_source_trie_size(const struct xpf_image *image, uint32_t *chunks, uint64_t *rule_cells)
{
	struct source_order order;
	int err = order_sources(image, &order);

	if (err)
		return err;
	*chunks = count_chunks(order.keys, order.count, ORDER_INDEX_BITS);
	*rule_cells = (uint64_t)image->class_count * order.nodes;
	free_order(&order);
	return 0;
}

/* Writes source @node: chunks down to the level its length ends in, then its span there.
 * Returns its parent's node, or -EINVAL. */
static long insert_source(struct xpf_source_trie *trie, const struct xpf_image_rule_key *key,
			  uint32_t node)
{
	uint64_t *level = trie->entries, parent;
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
	parent = level[index];
	for (uint32_t i = index; i < index + span; i++)
		if (level[i] != parent)
			return -EINVAL;	/* not in containment order: cannot happen */
	for (uint32_t i = index; i < index + span; i++)
		level[i] = XPF_SOURCE_LEAF(XPF_SOURCE_LENS(parent) | 1ull << key->prefix_len, node);
	return XPF_SOURCE_NODE(parent);
}

/* Each class's rule for each node: its own source's where the class has one, else its
 * parent's (@parent[n] < n). */
static int fill_rules(struct xpf_source_trie *trie, const struct source_order *order,
		      const uint32_t *parent)
{
	const struct xpf_image *image = order->image;
	uint32_t stride = trie->node_count;

	trie->rules = calloc((size_t)image->class_count * stride ?: 1, sizeof(*trie->rules));
	if (!trie->rules)
		return -ENOMEM;
	for (uint32_t i = 0; i < order->count; i++) {
		const struct xpf_image_rule *entry = &image->entries[index_at(order, i)];

		trie->rules[(size_t)entry->class_no * stride + order->node[i]] =
			xpf_source_rule_of(entry->value.rule_id, entry->value.action);
	}
	for (size_t c = 0; c < image->class_count; c++) {
		uint32_t *rules = trie->rules + c * stride;

		for (uint32_t n = 1; n < stride; n++)
			if (!rules[n])
				rules[n] = rules[parent[n]];
	}
	return 0;
}

int xpf_source_trie_build(const struct xpf_image *image, uint32_t chunk_room, uint64_t rule_room,
			  struct xpf_source_trie *trie)
{
	struct source_order order;
	uint32_t *parent = NULL, chunks;
	int err = order_sources(image, &order);

	memset(trie, 0, sizeof(*trie));
	if (err)
		return err;
	trie->node_count = order.nodes;
	chunks = count_chunks(order.keys, order.count, ORDER_INDEX_BITS);
	if (chunks > chunk_room) {
		err = -E2BIG;
		goto out;
	}
	/* Zeroed: every root entry starts as a leaf of node 0, no rule source. */
	trie->entries = calloc(XPF_SOURCE_ROOT + (size_t)chunks * XPF_SOURCE_CHUNK,
			       sizeof(*trie->entries));
	parent = calloc(order.nodes, sizeof(*parent));
	if (!trie->entries || !parent) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < order.count && !err; i++) {
		long up;

		if (i && order.node[i] == order.node[i - 1])
			continue;
		up = insert_source(trie, key_at(&order, i), order.node[i]);
		if (up < 0)
			err = (int)up;
		else
			parent[order.node[i]] = (uint32_t)up;
	}
	if (!err && (uint64_t)image->class_count * order.nodes <= rule_room)
		err = fill_rules(trie, &order, parent);
out:
	free(parent);
	free_order(&order);
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
	return entry;
}

void xpf_source_trie_free(struct xpf_source_trie *trie)
{
	free(trie->entries);
	free(trie->rules);
	memset(trie, 0, sizeof(*trie));
}
