/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Arrays that grow (user/lib/vector.c). Every one doubles by realloc(): main.c has glibc map
 * each large allocation on its own, so that doubling a large array is an mremap (no copy, no
 * second array beside the first at the peak) and freeing it gives its pages back at once.
 * User space only; pure.
 */
#ifndef XPF_VECTOR_H
#define XPF_VECTOR_H

#include <stddef.h>
#include <string.h>

/* Grows the array for xpf_array_reserve_bytes() when it is short of room. */
int xpf_array_grow(void *array, size_t *cap, size_t need, size_t size, size_t first);

/*
 * Room for @need items of @size bytes in the array at *@array, of *@cap items: its capacity
 * doubles, from @first, until they fit. 0, or -ENOMEM with the array and *@cap unchanged.
 * For an array kept in a struct of its own (a table's rows, a rule set's rules); an array the
 * caller keeps to itself is a struct xpf_vector. Inline: a table's cells ask for room at
 * every character.
 */
static inline int xpf_array_reserve_bytes(void *array, size_t *cap, size_t need, size_t size,
					  size_t first)
{
	return need <= *cap ? 0 : xpf_array_grow(array, cap, need, size, first);
}

/* xpf_array_reserve(&rows, &cap, count + 1, 16): the item size is the array's own. */
#define xpf_array_reserve(array, cap, need, first) \
	xpf_array_reserve_bytes((array), (cap), (need), sizeof(**(array)), (first))

struct xpf_vector {
	void *items;
	size_t count;
	size_t cap;
	size_t size;		/* of an item */
	size_t first;		/* items the first allocation has room for */
};

#define XPF_VECTOR_INIT(type, first_cap) { .size = sizeof(type), .first = (first_cap) }

void xpf_vector_init(struct xpf_vector *vector, size_t size, size_t first);

static inline void *xpf_vector_at(const struct xpf_vector *vector, size_t index)
{
	return (char *)vector->items + index * vector->size;
}

/* The new last item, a copy of @item (zeroed when NULL); NULL when out of memory, the vector
 * then unchanged. Inline: the compile pushes ids for every rule. */
static inline void *xpf_vector_push(struct xpf_vector *vector, const void *item)
{
	void *at;

	if (xpf_array_reserve_bytes(&vector->items, &vector->cap, vector->count + 1, vector->size,
				    vector->first))
		return NULL;
	at = xpf_vector_at(vector, vector->count++);
	if (item)
		memcpy(at, item, vector->size);
	else
		memset(at, 0, vector->size);
	return at;
}

/* Hands the items to the caller, who frees them: *@count of them, with the spare room given
 * back (kept when realloc() cannot), NULL when there are none. The vector is left empty. */
void *xpf_vector_take(struct xpf_vector *vector, size_t *count);

/* Frees the items; the vector is empty and can grow again. */
void xpf_vector_free(struct xpf_vector *vector);

#endif /* XPF_VECTOR_H */
