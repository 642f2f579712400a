/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A hash set of items (user/lib/hash.c): open addressing, linear probing, at most three
 * quarters full. The items are kept in the order they came, in one array that grows as
 * vector.h's do: an item's index is its place there and never changes, so a caller keeps the
 * index to name it. A slot holds index + 1 (0: empty) and, in the bits above it, the top bits
 * of the item's hash: a probe compares items only where those bits agree. Nothing is ever
 * removed: no caller needs it. User space only; pure.
 *
 * What the items are (struct xpf_hash_type) is given to every call, a constant: adding and
 * finding are inline, so that the compiler inlines the type's hash and equality and copies
 * items of a known size (as fast as a table written for one type). A zeroed struct xpf_hash is
 * an empty set.
 */
#ifndef XPF_HASH_H
#define XPF_HASH_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mix.h"
#include "lib/vector.h"

struct xpf_hash_type {
	size_t item_size;
	/* An item's key is its first @key_size bytes, hashed and compared as bytes; or, when 0,
	 * what @hash (all 64 bits of it used) and @equal say. */
	size_t key_size;
	uint64_t (*hash)(const void *item);
	bool (*equal)(const void *item, const void *key);
	size_t first_items;	/* room of the items' first array */
	size_t first_slots;	/* of the first table, a power of two; at least 16 */
	/* Past this many items, adding fails with -E2BIG. 0: 2^24 - 1; at most 2^31 - 1 (a
	 * slot keeps a bit of tag), and the fewer, the more bits of tag. */
	size_t max_items;
};

struct xpf_hash {
	void *items;
	size_t count;
	size_t cap;			/* items the array has room for */
	uint32_t *slots;
	size_t mask;			/* slots - 1; 0 before the first add */
	size_t first_slots;		/* 0: the type's; else what xpf_hash_expect() asked for */
};

/* Sizes the first table for @count items, so that they are added without rehashing it. The
 * table is still made by the first add, not now. */
void xpf_hash_expect(struct xpf_hash *hash, const struct xpf_hash_type *type, size_t count);

/* The slots of the next table: twice as many, or the first table's; NULL when out of memory.
 * For xpf_hash_grow_(). */
uint32_t *xpf_hash_next_slots(const struct xpf_hash *hash, const struct xpf_hash_type *type,
			      size_t *size);

/* Frees the slots and hands the items to the caller, who frees them: *@count of them, with
 * the spare room given back (kept when realloc() cannot), NULL when there are none. The set is
 * left empty. */
void *xpf_hash_take_items(struct xpf_hash *hash, const struct xpf_hash_type *type,
			  size_t *count);

/* Frees the slots and the items; the set is empty and can be added to again. */
void xpf_hash_free(struct xpf_hash *hash);

/* The hash of @size bytes (splitmix64 over each word). */
static inline uint64_t xpf_hash_bytes(const void *bytes, size_t size)
{
	const unsigned char *at = bytes;
	uint64_t hash = size, word;

	for (; size >= sizeof(word); size -= sizeof(word), at += sizeof(word)) {
		memcpy(&word, at, sizeof(word));
		hash = xpf_mix64(hash ^ word);
	}
	if (size) {
		word = 0;
		memcpy(&word, at, size);
		hash = xpf_mix64(hash ^ word);
	}
	return hash;
}

static inline size_t xpf_hash_count(const struct xpf_hash *hash)
{
	return hash->count;
}

static inline void *xpf_hash_item(const struct xpf_hash *hash, const struct xpf_hash_type *type,
				  size_t index)
{
	return (char *)hash->items + index * type->item_size;
}

/* What follows is the inline part of xpf_hash_find() and xpf_hash_add(): always inlined, or
 * a caller with sets of several types would get one copy for all, with no type known. */
#define XPF_HASH_INLINE static inline __attribute__((always_inline))

static inline size_t xpf_hash_max_items_(const struct xpf_hash_type *type)
{
	if (!type->max_items)
		return (1u << 24) - 1;
	return type->max_items < (1u << 31) - 1 ? type->max_items : (1u << 31) - 1;
}

/* Bits of a slot that hold index + 1, up to max_items: the rest is the tag. */
static inline unsigned int xpf_hash_index_bits_(const struct xpf_hash_type *type)
{
	return 64 - (unsigned int)__builtin_clzll(xpf_hash_max_items_(type));
}

static inline uint64_t xpf_hash_of_(const struct xpf_hash_type *type, const void *item)
{
	return type->key_size ? xpf_hash_bytes(item, type->key_size) : type->hash(item);
}

static inline uint32_t xpf_hash_tag_(const struct xpf_hash_type *type, uint64_t item_hash)
{
	unsigned int bits = xpf_hash_index_bits_(type);

	return (uint32_t)(item_hash >> (32 + bits)) << bits;
}

/* Index of the item with @key's key, or -1 with *@at the empty slot that ends its probe. */
XPF_HASH_INLINE long xpf_hash_probe_(const struct xpf_hash *hash, const struct xpf_hash_type *type,
				   const void *key, uint64_t key_hash, size_t *at)
{
	uint32_t tag = xpf_hash_tag_(type, key_hash);
	uint32_t index_mask = (1u << xpf_hash_index_bits_(type)) - 1;

	for (size_t h = (size_t)key_hash;; h++) {
		uint32_t slot = hash->slots[h & hash->mask];
		const void *item;

		if (!slot) {
			*at = h & hash->mask;
			return -1;
		}
		if ((slot & ~index_mask) != tag)
			continue;
		item = xpf_hash_item(hash, type, (slot & index_mask) - 1);
		if (type->key_size ? !memcmp(item, key, type->key_size) : type->equal(item, key))
			return (long)(slot & index_mask) - 1;
	}
}

/* Makes the table larger (the first one when there is none): 0 or -ENOMEM, the set unchanged.
 * Inline for the items' hashes, which it takes again. */
XPF_HASH_INLINE int xpf_hash_grow_(struct xpf_hash *hash, const struct xpf_hash_type *type)
{
	size_t size;
	uint32_t *slots = xpf_hash_next_slots(hash, type, &size);

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < hash->count; i++) {
		uint64_t item_hash = xpf_hash_of_(type, xpf_hash_item(hash, type, i));
		size_t h;

		for (h = (size_t)item_hash; slots[h & (size - 1)]; h++)
			;
		slots[h & (size - 1)] = (uint32_t)(i + 1) | xpf_hash_tag_(type, item_hash);
	}
	free(hash->slots);
	hash->slots = slots;
	hash->mask = size - 1;
	return 0;
}

/* Index of the item with @key's key (@key: an item with that key), or -1. */
XPF_HASH_INLINE long xpf_hash_find(const struct xpf_hash *hash, const struct xpf_hash_type *type,
				 const void *key)
{
	size_t at;

	if (!hash->slots)
		return -1;
	return xpf_hash_probe_(hash, type, key, xpf_hash_of_(type, key), &at);
}

/* Where a key not in the set goes: xpf_hash_find_spot() to xpf_hash_insert(). */
struct xpf_hash_spot {
	uint64_t hash;
	size_t at;		/* its slot while the table does not grow */
};

/* xpf_hash_find(), and the spot for the key when it is not there: so that a caller can make
 * the item (copy a string, say) only when it is new, and add it without hashing it again. */
XPF_HASH_INLINE long xpf_hash_find_spot(const struct xpf_hash *hash,
				      const struct xpf_hash_type *type, const void *key,
				      struct xpf_hash_spot *spot)
{
	spot->hash = xpf_hash_of_(type, key);
	spot->at = 0;
	if (!hash->slots)
		return -1;
	return xpf_hash_probe_(hash, type, key, spot->hash, &spot->at);
}

/* Adds @item, whose key xpf_hash_find_spot() just did not find (@spot), at *@index (the next
 * index). 0; -ENOMEM or -E2BIG past the type's max_items, the set unchanged. */
XPF_HASH_INLINE int xpf_hash_insert(struct xpf_hash *hash, const struct xpf_hash_type *type,
				  const struct xpf_hash_spot *spot, const void *item,
				  size_t *index)
{
	size_t at = spot->at;

	if (hash->count >= xpf_hash_max_items_(type))
		return -E2BIG;
	if (!hash->slots || 4 * (hash->count + 1) > 3 * (hash->mask + 1)) {
		if (xpf_hash_grow_(hash, type))
			return -ENOMEM;
		/* The key is not there: its spot in the new table is the first empty slot. */
		for (at = (size_t)spot->hash & hash->mask; hash->slots[at];
		     at = (at + 1) & hash->mask)
			;
	}
	if (xpf_array_reserve_bytes(&hash->items, &hash->cap, hash->count + 1, type->item_size,
				    type->first_items))
		return -ENOMEM;
	memcpy(xpf_hash_item(hash, type, hash->count), item, type->item_size);
	hash->slots[at] = (uint32_t)(hash->count + 1) | xpf_hash_tag_(type, spot->hash);
	*index = hash->count++;
	return 0;
}

/*
 * Adds a copy of @item unless an item with its key is there. 1: added, at *@index (the next
 * index); 0: found, at *@index; -ENOMEM; -E2BIG past the type's max_items. A caller may change
 * what is not the key of an item it holds.
 */
XPF_HASH_INLINE int xpf_hash_add(struct xpf_hash *hash, const struct xpf_hash_type *type,
			       const void *item, size_t *index)
{
	struct xpf_hash_spot spot;
	long found = xpf_hash_find_spot(hash, type, item, &spot);
	int ret;

	if (found >= 0) {
		*index = (size_t)found;
		return 0;
	}
	ret = xpf_hash_insert(hash, type, &spot, item, index);
	return ret ? ret : 1;
}

#endif /* XPF_HASH_H */
