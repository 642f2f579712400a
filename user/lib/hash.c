// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A hash set of items in the order they came: the part that is not inline (hash.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/huge_pages.h"

#define MIN_SLOTS 16

static size_t first_slots(const struct xpf_hash *hash, const struct xpf_hash_type *type)
{
	size_t size = hash->first_slots ? hash->first_slots : type->first_slots;

	return size > MIN_SLOTS ? size : MIN_SLOTS;
}

void xpf_hash_expect(struct xpf_hash *hash, const struct xpf_hash_type *type, size_t count)
{
	size_t size = first_slots(hash, type);

	/* Three quarters full at most: 3 * slots >= 4 * count. */
	while (3 * size < 4 * count)
		size *= 2;
	hash->first_slots = size;
}

uint32_t *xpf_hash_next_slots(const struct xpf_hash *hash, const struct xpf_hash_type *type,
			      size_t *size)
{
	uint32_t *slots;

	*size = hash->slots ? 2 * (hash->mask + 1) : first_slots(hash, type);
	slots = calloc(*size, sizeof(*slots));
	/* Probed at random: in huge pages, a large table takes no TLB miss a probe. */
	xpf_advise_huge_pages(slots, *size * sizeof(*slots));
	return slots;
}

void *xpf_hash_take_items(struct xpf_hash *hash, const struct xpf_hash_type *type,
			  size_t *count)
{
	struct xpf_vector items = {
		.items = hash->items,
		.count = hash->count,
		.cap = hash->cap,
		.size = type->item_size,
	};

	hash->items = NULL;
	xpf_hash_free(hash);
	return xpf_vector_take(&items, count);
}

void xpf_hash_free(struct xpf_hash *hash)
{
	free(hash->items);
	hash->items = NULL;
	hash->count = 0;
	hash->cap = 0;
	free(hash->slots);
	hash->slots = NULL;
	hash->mask = 0;
}
