// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests: the growable arrays and the hash set of user/lib/ (vector.c, hash.c). Linked with
 * realloc() and calloc() wrapped (Makefile), so that a test can make the next one fail.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/vector.h"
#include "support.h"

void *__real_realloc(void *ptr, size_t size);
void *__real_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void *__wrap_calloc(size_t count, size_t size);

/* Calls to let through before one fails; -1: none fails. */
static int reallocs_until_failure = -1, callocs_until_failure = -1;
static size_t last_realloc_size;

void *__wrap_realloc(void *ptr, size_t size)
{
	if (reallocs_until_failure >= 0 && reallocs_until_failure-- == 0)
		return NULL;
	last_realloc_size = size;
	return __real_realloc(ptr, size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	if (callocs_until_failure >= 0 && callocs_until_failure-- == 0)
		return NULL;
	return __real_calloc(count, size);
}

static int let_through(void **state)
{
	(void)state;
	reallocs_until_failure = -1;
	callocs_until_failure = -1;
	return 0;
}

static void array_doubles_from_its_first_room(void **state)
{
	uint32_t *array = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(xpf_array_reserve(&array, &cap, 1, 4), 0);
	assert_int_equal(cap, 4);
	assert_int_equal(last_realloc_size, 4 * sizeof(*array));
	for (uint32_t i = 0; i < 4; i++)
		array[i] = i;
	/* Room enough: no realloc. */
	last_realloc_size = 0;
	assert_int_equal(xpf_array_reserve(&array, &cap, 4, 4), 0);
	assert_int_equal(last_realloc_size, 0);
	assert_int_equal(xpf_array_reserve(&array, &cap, 5, 4), 0);
	assert_int_equal(cap, 8);
	/* Far past the room: doubled as often as it takes, once. */
	assert_int_equal(xpf_array_reserve(&array, &cap, 100, 4), 0);
	assert_int_equal(cap, 128);
	assert_int_equal(last_realloc_size, 128 * sizeof(*array));
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(array[i], i);
	free(array);
}

static void array_left_whole_when_realloc_fails(void **state)
{
	uint64_t *array = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(xpf_array_reserve(&array, &cap, 8, 8), 0);
	for (uint64_t i = 0; i < 8; i++)
		array[i] = i * 3;
	before = array;
	reallocs_until_failure = 0;
	assert_int_equal(xpf_array_reserve(&array, &cap, 9, 8), -ENOMEM);
	assert_ptr_equal(array, before);
	assert_int_equal(cap, 8);
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(array[i], i * 3);
	/* A size that cannot be: refused before any allocation. */
	last_realloc_size = 0;
	assert_int_equal(xpf_array_reserve(&array, &cap, SIZE_MAX / 4, 8), -ENOMEM);
	assert_int_equal(xpf_array_reserve(&array, &cap, SIZE_MAX, 8), -ENOMEM);
	assert_int_equal(last_realloc_size, 0);
	assert_int_equal(cap, 8);
	free(array);
}

struct pair {
	uint32_t a;
	uint16_t b;
};

static void vector_pushes_copies_and_zeroes(void **state)
{
	struct xpf_vector vector = XPF_VECTOR_INIT(struct pair, 2);
	struct pair *pair;

	(void)state;
	for (uint32_t i = 0; i < 1000; i++) {
		struct pair item = { .a = i, .b = (uint16_t)(i * 7) };

		pair = xpf_vector_push(&vector, i % 10 ? &item : NULL);
		assert_non_null(pair);
		assert_ptr_equal(pair, xpf_vector_at(&vector, i));
	}
	assert_int_equal(vector.count, 1000);
	assert_int_equal(vector.cap, 1024);
	for (uint32_t i = 0; i < 1000; i++) {
		pair = xpf_vector_at(&vector, i);
		assert_int_equal(pair->a, i % 10 ? i : 0);
		assert_int_equal(pair->b, i % 10 ? (uint16_t)(i * 7) : 0);
	}
	xpf_vector_free(&vector);
	assert_null(vector.items);
	assert_int_equal(vector.count, 0);
	/* Empty again, and grows again. */
	assert_non_null(xpf_vector_push(&vector, NULL));
	assert_int_equal(vector.cap, 2);
	xpf_vector_free(&vector);
}

static void vector_unchanged_when_push_fails(void **state)
{
	struct xpf_vector vector;
	uint32_t value = 7;

	(void)state;
	xpf_vector_init(&vector, sizeof(uint32_t), 4);
	for (int i = 0; i < 4; i++)
		assert_non_null(xpf_vector_push(&vector, &value));
	reallocs_until_failure = 0;
	assert_null(xpf_vector_push(&vector, &value));
	assert_int_equal(vector.count, 4);
	assert_int_equal(vector.cap, 4);
	assert_non_null(xpf_vector_push(&vector, &value));
	assert_int_equal(vector.count, 5);
	xpf_vector_free(&vector);
}

static void vector_taken_without_its_spare_room(void **state)
{
	struct xpf_vector vector = XPF_VECTOR_INIT(uint32_t, 16);
	uint32_t *items;
	size_t count = 99;

	(void)state;
	assert_null(xpf_vector_take(&vector, &count));
	assert_int_equal(count, 0);
	for (uint32_t i = 0; i < 17; i++)
		assert_non_null(xpf_vector_push(&vector, &i));
	items = xpf_vector_take(&vector, &count);
	assert_int_equal(count, 17);
	assert_int_equal(last_realloc_size, 17 * sizeof(uint32_t));
	for (uint32_t i = 0; i < 17; i++)
		assert_int_equal(items[i], i);
	assert_null(vector.items);
	assert_int_equal(vector.count, 0);
	assert_int_equal(vector.cap, 0);
	free(items);

	/* When the array cannot shrink, it is handed over as it is. */
	for (uint32_t i = 0; i < 3; i++)
		assert_non_null(xpf_vector_push(&vector, &i));
	reallocs_until_failure = 0;
	items = xpf_vector_take(&vector, &count);
	assert_non_null(items);
	assert_int_equal(count, 3);
	assert_int_equal(items[2], 2);
	free(items);
}

/* Items of the hash tests: a key and a payload that is not part of it. */
struct item {
	uint32_t key;
	uint32_t payload;
};

static uint64_t (*item_hash_of_key)(uint32_t key);
static unsigned long equal_calls;

static uint64_t item_hash(const void *item)
{
	return item_hash_of_key(((const struct item *)item)->key);
}

static bool item_equal(const void *item, const void *key)
{
	equal_calls++;
	return ((const struct item *)item)->key == ((const struct item *)key)->key;
}

static uint64_t mixed(uint32_t key)
{
	return xpf_hash_bytes(&key, sizeof(key));
}

/* Every key in one probe sequence, and one tag: only item_equal() tells them apart. */
static uint64_t all_alike(uint32_t key)
{
	(void)key;
	return 42;
}

/* One probe sequence, a tag per key (the top 8 bits, as a slot of 24 bits of index keeps
 * them): the tags tell them apart. */
static uint64_t same_start(uint32_t key)
{
	return (uint64_t)key << 56 | 5;
}

static const struct xpf_hash_type item_type = {
	.item_size = sizeof(struct item),
	.hash = item_hash,
	.equal = item_equal,
	.first_items = 8,
	.first_slots = 16,
};

/* Adds keys @from..@to - 1 (payload: key + 1000), each new, at the index of its key. */
static void add_keys(struct xpf_hash *hash, const struct xpf_hash_type *type, uint32_t from,
		     uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		struct item item = { .key = i, .payload = i + 1000 };
		size_t index;

		assert_int_equal(xpf_hash_add(hash, type, &item, &index), 1);
		assert_int_equal(index, i);
	}
}

/* Keys 0..@n - 1 are there, at their index, with their first payload; key @n is not. */
static void find_keys(struct xpf_hash *hash, const struct xpf_hash_type *type, uint32_t n)
{
	assert_int_equal(xpf_hash_count(hash), n);
	for (uint32_t i = 0; i < n; i++) {
		struct item key = { .key = i, .payload = 1 }, *found;
		size_t index = SIZE_MAX;

		assert_int_equal(xpf_hash_find(hash, type, &key), i);
		assert_int_equal(xpf_hash_add(hash, type, &key, &index), 0);
		assert_int_equal(index, i);
		found = xpf_hash_item(hash, type, index);
		assert_int_equal(found->payload, i + 1000);
	}
	assert_int_equal(xpf_hash_find(hash, type, &(struct item){ .key = n }), -1);
	assert_int_equal(xpf_hash_count(hash), n);
}

static void hash_grows_and_keeps_every_index(void **state)
{
	struct xpf_hash hash = { 0 };

	(void)state;
	item_hash_of_key = mixed;
	assert_int_equal(xpf_hash_find(&hash, &item_type, &(struct item){ .key = 1 }), -1);
	add_keys(&hash, &item_type, 0, 100000);
	find_keys(&hash, &item_type, 100000);
	/* At most three quarters full. */
	assert_true(4 * xpf_hash_count(&hash) <= 3 * (hash.mask + 1));
	xpf_hash_free(&hash);
	assert_int_equal(xpf_hash_count(&hash), 0);
	assert_null(hash.items);
	assert_null(hash.slots);
	/* Empty, and as good as new. */
	add_keys(&hash, &item_type, 0, 100);
	find_keys(&hash, &item_type, 100);
	xpf_hash_free(&hash);
}

static void hash_collisions_told_apart(void **state)
{
	struct xpf_hash hash = { 0 };

	(void)state;
	item_hash_of_key = all_alike;
	equal_calls = 0;
	add_keys(&hash, &item_type, 0, 300);
	/* Each new key compared with every one before it. */
	assert_int_equal(equal_calls, 300 * 299 / 2);
	find_keys(&hash, &item_type, 300);
	xpf_hash_free(&hash);

	item_hash_of_key = same_start;
	equal_calls = 0;
	add_keys(&hash, &item_type, 0, 256);
	/* The tags differ: no key compared. */
	assert_int_equal(equal_calls, 0);
	find_keys(&hash, &item_type, 256);
	/* One compare a lookup (two a key: find and add), and the absent key's tag is 0's. */
	assert_int_equal(equal_calls, 2 * 256 + 1);
	xpf_hash_free(&hash);
}

/* Keyed by bytes: the first 8 of 12; the last 4 are not the key. */
struct keyed {
	uint64_t key;
	uint32_t payload;
};

static const struct xpf_hash_type keyed_type = {
	.item_size = sizeof(struct keyed),
	.key_size = sizeof(uint64_t),
};

static void hash_keyed_by_bytes(void **state)
{
	struct xpf_hash hash = { 0 };
	struct keyed *found;
	size_t index;

	(void)state;
	for (uint64_t i = 0; i < 5000; i++) {
		struct keyed item = { .key = i << 32, .payload = (uint32_t)i };

		assert_int_equal(xpf_hash_add(&hash, &keyed_type, &item, &index), 1);
		assert_int_equal(index, i);
	}
	assert_int_equal(xpf_hash_add(&hash, &keyed_type,
				      &(struct keyed){ .key = 7ull << 32, .payload = 1 }, &index),
			 0);
	assert_int_equal(index, 7);
	found = xpf_hash_item(&hash, &keyed_type, 7);
	assert_int_equal(found->payload, 7);
	assert_int_equal(xpf_hash_find(&hash, &keyed_type, &(struct keyed){ .key = 4999ull << 32 }),
			 4999);
	assert_int_equal(xpf_hash_find(&hash, &keyed_type, &(struct keyed){ .key = 5000ull << 32 }),
			 -1);
	xpf_hash_free(&hash);
}

static void hash_bytes_sees_every_byte(void **state)
{
	uint8_t bytes[13] = { 0 };
	uint64_t zero = xpf_hash_bytes(bytes, sizeof(bytes));

	(void)state;
	/* The tail past the last whole word counts, and so does the length. */
	bytes[12] = 1;
	assert_true(xpf_hash_bytes(bytes, sizeof(bytes)) != zero);
	bytes[12] = 0;
	bytes[0] = 1;
	assert_true(xpf_hash_bytes(bytes, sizeof(bytes)) != zero);
	assert_true(xpf_hash_bytes(bytes + 1, 12) != xpf_hash_bytes(bytes + 1, 11));
}

static void hash_expected_items_fit_the_first_table(void **state)
{
	struct xpf_hash hash = { 0 };
	uint32_t *first;

	(void)state;
	item_hash_of_key = mixed;
	xpf_hash_expect(&hash, &item_type, 3000);
	assert_null(hash.slots);
	add_keys(&hash, &item_type, 0, 1);
	first = hash.slots;
	assert_int_equal(hash.mask + 1, 4096);
	/* 3072 fill 4096 slots three quarters; the next one doubles them. */
	add_keys(&hash, &item_type, 1, 3072);
	assert_ptr_equal(hash.slots, first);
	add_keys(&hash, &item_type, 3072, 3073);
	assert_int_equal(hash.mask + 1, 8192);
	find_keys(&hash, &item_type, 3073);
	xpf_hash_free(&hash);
}

/* 100 items at most: 7 bits of index, 25 of tag. */
static const struct xpf_hash_type hundred_type = {
	.item_size = sizeof(struct item),
	.hash = item_hash,
	.equal = item_equal,
	.max_items = 100,
};

static void hash_refuses_past_its_max_items(void **state)
{
	struct xpf_hash hash = { 0 };
	size_t index;

	(void)state;
	item_hash_of_key = same_start;
	add_keys(&hash, &hundred_type, 0, 100);
	/* Keys whose hashes differ in the top bits only: a compare where the key is, none for
	 * the absent key, whose tag no slot has. */
	equal_calls = 0;
	find_keys(&hash, &hundred_type, 100);
	assert_int_equal(equal_calls, 2 * 100);
	assert_int_equal(xpf_hash_add(&hash, &hundred_type, &(struct item){ .key = 100 }, &index),
			 -E2BIG);
	assert_int_equal(xpf_hash_count(&hash), 100);
	/* Those it has are still found. */
	assert_int_equal(xpf_hash_add(&hash, &hundred_type, &(struct item){ .key = 99 }, &index),
			 0);
	assert_int_equal(index, 99);
	xpf_hash_free(&hash);
}

static void hash_unchanged_when_memory_runs_out(void **state)
{
	struct xpf_hash hash = { 0 };
	size_t index;

	(void)state;
	item_hash_of_key = mixed;
	/* No first table. */
	callocs_until_failure = 0;
	assert_int_equal(xpf_hash_add(&hash, &item_type, &(struct item){ .key = 0 }, &index),
			 -ENOMEM);
	assert_int_equal(xpf_hash_count(&hash), 0);
	assert_null(hash.slots);
	/* 12 items fill 16 slots three quarters: the 13th needs a larger table. */
	add_keys(&hash, &item_type, 0, 12);
	callocs_until_failure = 0;
	assert_int_equal(xpf_hash_add(&hash, &item_type, &(struct item){ .key = 12 }, &index),
			 -ENOMEM);
	assert_int_equal(hash.mask + 1, 16);
	find_keys(&hash, &item_type, 12);
	/* The items' array (room for 8, then 16) full, and no room for a 17th. */
	add_keys(&hash, &item_type, 12, 16);
	reallocs_until_failure = 0;
	assert_int_equal(xpf_hash_add(&hash, &item_type, &(struct item){ .key = 16 }, &index),
			 -ENOMEM);
	find_keys(&hash, &item_type, 16);
	/* And it goes on once memory is back. */
	add_keys(&hash, &item_type, 16, 17);
	find_keys(&hash, &item_type, 17);
	xpf_hash_free(&hash);
}

/* An item made only when its key is new, added where the lookup left off: also when the table
 * grows in between, and not at all when memory runs out. */
static void hash_inserts_at_the_spot_found(void **state)
{
	struct xpf_hash hash = { 0 };
	struct xpf_hash_spot spot;
	struct item item = { .key = 0, .payload = 1000 };
	size_t index;

	(void)state;
	item_hash_of_key = mixed;
	assert_int_equal(xpf_hash_find_spot(&hash, &item_type, &item, &spot), -1);
	assert_int_equal(xpf_hash_insert(&hash, &item_type, &spot, &item, &index), 0);
	assert_int_equal(index, 0);
	for (uint32_t i = 1; i < 40; i++) {
		item = (struct item){ .key = i, .payload = i + 1000 };
		assert_int_equal(xpf_hash_find_spot(&hash, &item_type, &item, &spot), -1);
		/* Each grows the table: 12, 24 and 48 fill 16, 32 and 64 slots. */
		if (i == 12 || i == 24) {
			callocs_until_failure = 0;
			assert_int_equal(xpf_hash_insert(&hash, &item_type, &spot, &item, &index),
					 -ENOMEM);
			assert_int_equal(xpf_hash_count(&hash), i);
		}
		assert_int_equal(xpf_hash_insert(&hash, &item_type, &spot, &item, &index), 0);
		assert_int_equal(index, i);
		assert_int_equal(xpf_hash_find_spot(&hash, &item_type, &item, &spot), i);
	}
	assert_int_equal(hash.mask + 1, 64);
	find_keys(&hash, &item_type, 40);
	xpf_hash_free(&hash);

	/* The max: refused before anything is made. */
	add_keys(&hash, &hundred_type, 0, 100);
	item = (struct item){ .key = 100 };
	assert_int_equal(xpf_hash_find_spot(&hash, &hundred_type, &item, &spot), -1);
	assert_int_equal(xpf_hash_insert(&hash, &hundred_type, &spot, &item, &index), -E2BIG);
	find_keys(&hash, &hundred_type, 100);
	xpf_hash_free(&hash);
}

static void hash_items_taken_in_order(void **state)
{
	struct xpf_hash hash = { 0 };
	struct item *items;
	size_t count;

	(void)state;
	item_hash_of_key = mixed;
	rng_seed(0xc0ffee);
	for (uint32_t i = 0; i < 1000; i++) {
		struct item item = { .key = rng() % 700 }, *added;
		size_t index;

		if (xpf_hash_add(&hash, &item_type, &item, &index) == 1) {
			added = xpf_hash_item(&hash, &item_type, index);
			added->payload = (uint32_t)index;
		}
	}
	assert_true(hash.cap > hash.count);
	items = xpf_hash_take_items(&hash, &item_type, &count);
	assert_non_null(items);
	assert_int_equal(last_realloc_size, count * sizeof(*items));
	for (size_t i = 0; i < count; i++)
		assert_int_equal(items[i].payload, i);
	assert_null(hash.slots);
	assert_int_equal(xpf_hash_count(&hash), 0);
	free(items);
	/* Empty, and takes items again. */
	add_keys(&hash, &item_type, 0, 50);
	find_keys(&hash, &item_type, 50);
	xpf_hash_free(&hash);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(array_doubles_from_its_first_room, let_through),
		cmocka_unit_test_setup(array_left_whole_when_realloc_fails, let_through),
		cmocka_unit_test_setup(vector_pushes_copies_and_zeroes, let_through),
		cmocka_unit_test_setup(vector_unchanged_when_push_fails, let_through),
		cmocka_unit_test_setup(vector_taken_without_its_spare_room, let_through),
		cmocka_unit_test_setup(hash_grows_and_keeps_every_index, let_through),
		cmocka_unit_test_setup(hash_collisions_told_apart, let_through),
		cmocka_unit_test_setup(hash_keyed_by_bytes, let_through),
		cmocka_unit_test_setup(hash_bytes_sees_every_byte, let_through),
		cmocka_unit_test_setup(hash_expected_items_fit_the_first_table, let_through),
		cmocka_unit_test_setup(hash_refuses_past_its_max_items, let_through),
		cmocka_unit_test_setup(hash_unchanged_when_memory_runs_out, let_through),
		cmocka_unit_test_setup(hash_inserts_at_the_spot_found, let_through),
		cmocka_unit_test_setup(hash_items_taken_in_order, let_through),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
