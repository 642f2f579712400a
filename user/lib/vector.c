// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Arrays that grow by doubling: see vector.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/vector.h"

int xpf_array_grow(void *array, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t n = *cap ? *cap : (first ? first : 1);
	void *items, *grown;

	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return -ENOMEM;
	/* *array is some T *: read and written as the bytes of a pointer. */
	memcpy(&items, array, sizeof(items));
	grown = realloc(items, n * size);
	if (!grown)
		return -ENOMEM;
	memcpy(array, &grown, sizeof(grown));
	*cap = n;
	return 0;
}

void xpf_vector_init(struct xpf_vector *vector, size_t size, size_t first)
{
	memset(vector, 0, sizeof(*vector));
	vector->size = size;
	vector->first = first;
}

void *xpf_vector_take(struct xpf_vector *vector, size_t *count)
{
	void *items = vector->items;

	*count = vector->count;
	if (!vector->count) {
		free(items);
		items = NULL;
	} else if (vector->count < vector->cap) {
		void *fitted = realloc(items, vector->count * vector->size);

		if (fitted)
			items = fitted;
	}
	vector->items = NULL;
	vector->count = 0;
	vector->cap = 0;
	return items;
}

void xpf_vector_free(struct xpf_vector *vector)
{
	free(vector->items);
	vector->items = NULL;
	vector->count = 0;
	vector->cap = 0;
}
