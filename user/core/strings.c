// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Strings of parsed input, kept in large blocks (config.h, struct xpf_strings): a table of
 * 100,000 rows would otherwise be mostly fixed-size text fields, or one malloc per cell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "lib/hash.h"
#include "lib/huge_pages.h"
#include "lib/vector.h"

/* Blocks double from 64 KiB to 2 MiB: a small site stays small, and a large table's strings
 * fill huge pages (user/lib/huge_pages.c) instead of thousands of small ones. */
#define FIRST_BLOCK_SIZE 65536
#define LAST_BLOCK_SIZE (2u << 20)

const char *xpf_strings_add(struct xpf_strings *s, const char *text)
{
	size_t length = strlen(text) + 1;
	char *copy;

	if (length > s->left) {
		size_t size = s->block_count < 5 ? (size_t)FIRST_BLOCK_SIZE << s->block_count
						 : LAST_BLOCK_SIZE;

		if (size < length)
			size = length;
		if (xpf_array_reserve(&s->blocks, &s->block_cap, s->block_count + 1, 8))
			return NULL;
		s->blocks[s->block_count] = malloc(size);
		if (!s->blocks[s->block_count])
			return NULL;
		xpf_advise_huge_pages(s->blocks[s->block_count], size);
		s->next = s->blocks[s->block_count++];
		s->left = size;
	}
	copy = s->next;
	memcpy(copy, text, length);
	s->next += length;
	s->left -= length;
	return copy;
}

/* FNV-1a: its last multiply carries every byte into the top bits, the slots' tags. */
static uint64_t string_hash(const void *item)
{
	const char *text = *(const char *const *)item;
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 0x100000001b3ull;
	return h;
}

static bool same_string(const void *item, const void *key)
{
	return !strcmp(*(const char *const *)item, *(const char *const *)key);
}

static const struct xpf_hash_type interned_type = {
	.item_size = sizeof(const char *),
	.hash = string_hash,
	.equal = same_string,
	.first_items = 128,
	.first_slots = 256,
};

const char *xpf_strings_intern(struct xpf_strings *s, const char *text)
{
	struct xpf_hash_spot spot;
	const char *copy;
	long found;

	found = xpf_hash_find_spot(&s->interned, &interned_type, &text, &spot);
	if (found >= 0)
		return *(const char **)xpf_hash_item(&s->interned, &interned_type, (size_t)found);
	copy = xpf_strings_add(s, text);
	if (!copy || xpf_hash_insert(&s->interned, &interned_type, &spot, &copy, &(size_t){ 0 }))
		return NULL;
	return copy;
}

void xpf_strings_end_interning(struct xpf_strings *s)
{
	xpf_hash_free(&s->interned);
}

void xpf_strings_free(struct xpf_strings *s)
{
	for (size_t i = 0; i < s->block_count; i++)
		free(s->blocks[i]);
	free(s->blocks);
	xpf_hash_free(&s->interned);
	memset(s, 0, sizeof(*s));
}
