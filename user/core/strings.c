// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Strings of parsed input, kept in large blocks (config.h, struct xpf_strings): a table of
 * 100,000 rows would otherwise be mostly fixed-size text fields, or one malloc per cell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "lib/huge_pages.h"

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
		char **blocks;

		if (size < length)
			size = length;
		blocks = realloc(s->blocks, (s->block_count + 1) * sizeof(*blocks));
		if (!blocks)
			return NULL;
		s->blocks = blocks;
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

static size_t string_hash(const char *text)
{
	size_t h = 0xcbf29ce484222325ull;

	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 0x100000001b3ull;
	return h;
}

static int intern_grow(struct xpf_strings *s)
{
	size_t size = s->intern_mask ? 2 * (s->intern_mask + 1) : 256;
	const char **table = calloc(size, sizeof(*table));

	if (!table)
		return -ENOMEM;
	for (size_t i = 0; s->intern_mask && i <= s->intern_mask; i++) {
		size_t h;

		if (!s->interned[i])
			continue;
		for (h = string_hash(s->interned[i]); table[h & (size - 1)]; h++)
			;
		table[h & (size - 1)] = s->interned[i];
	}
	free(s->interned);
	s->interned = table;
	s->intern_mask = size - 1;
	return 0;
}

const char *xpf_strings_intern(struct xpf_strings *s, const char *text)
{
	size_t h;

	if (2 * (s->intern_count + 1) > s->intern_mask + 1 && intern_grow(s))
		return NULL;
	for (h = string_hash(text); s->interned[h & s->intern_mask]; h++)
		if (!strcmp(s->interned[h & s->intern_mask], text))
			return s->interned[h & s->intern_mask];
	s->interned[h & s->intern_mask] = xpf_strings_add(s, text);
	if (!s->interned[h & s->intern_mask])
		return NULL;
	s->intern_count++;
	return s->interned[h & s->intern_mask];
}

void xpf_strings_end_interning(struct xpf_strings *s)
{
	free(s->interned);
	s->interned = NULL;
	s->intern_count = 0;
	s->intern_mask = 0;
}

void xpf_strings_free(struct xpf_strings *s)
{
	for (size_t i = 0; i < s->block_count; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->interned);
	memset(s, 0, sizeof(*s));
}
