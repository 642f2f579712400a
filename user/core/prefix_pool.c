// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Prefix arrays of a rule set, kept in large blocks (config.h, struct xpf_prefix_pool): 100,000
 * rules would otherwise be 200,000 small mallocs, each with its own header and rounding, and
 * as many frees.
 */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "lib/vector.h"

#define BLOCK_PREFIXES 4096

struct xpf_prefix *xpf_prefix_pool_copy(struct xpf_prefix_pool *pool,
					const struct xpf_prefix *prefixes, size_t count)
{
	struct xpf_prefix *copy;

	if (count > pool->left) {
		size_t size = count > BLOCK_PREFIXES ? count : BLOCK_PREFIXES;

		if (xpf_array_reserve(&pool->blocks, &pool->block_cap, pool->block_count + 1, 8))
			return NULL;
		pool->blocks[pool->block_count] = malloc(size * sizeof(*prefixes));
		if (!pool->blocks[pool->block_count])
			return NULL;
		pool->next = pool->blocks[pool->block_count++];
		pool->left = size;
	}
	copy = pool->next;
	memcpy(copy, prefixes, count * sizeof(*prefixes));
	pool->next += count;
	pool->left -= count;
	return copy;
}

void xpf_prefix_pool_free(struct xpf_prefix_pool *pool)
{
	for (size_t i = 0; i < pool->block_count; i++)
		free(pool->blocks[i]);
	free(pool->blocks);
	memset(pool, 0, sizeof(*pool));
}
