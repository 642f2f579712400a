/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* BPF maps, root: xpf_map_write_array() (user/map_batch.c) writes exactly the values given,
 * through mmap() windows or batches, into arrays of every value size the loader writes. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kernel/map_batch.h"
#include "support.h"

static int make_array(uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "xpf_test_array", 4, value_size, max_entries,
				&opts);

	if (fd < 0)
		fail_msg("bpf_map_create: %s (root needed)", strerror(errno));
	return fd;
}

/* Writes random ranges of random bytes into an array of @value_size × @max_entries and checks
 * every element against what it should hold: the last value written there, else zero. */
static void writes_land_where_asked(uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	uint8_t *expected = calloc(max_entries, value_size), *values, *got = malloc(value_size);
	int fd = make_array(value_size, max_entries, flags);

	assert_non_null(expected);
	assert_non_null(got);
	for (int round = 0; round < 6; round++) {
		uint32_t first = rng() % max_entries, count = 1 + rng() % (max_entries - first);

		if (round == 0) {	/* the whole array once */
			first = 0;
			count = max_entries;
		}
		values = malloc((size_t)count * value_size);
		assert_non_null(values);
		for (size_t i = 0; i < (size_t)count * value_size; i++)
			values[i] = (uint8_t)rng();
		assert_int_equal(xpf_map_write_array(fd, first, values, value_size, count), 0);
		memcpy(expected + (size_t)first * value_size, values, (size_t)count * value_size);
		free(values);
	}
	for (uint32_t key = 0; key < max_entries; key++) {
		assert_int_equal(bpf_map_lookup_elem(fd, &key, got), 0);
		if (memcmp(got, expected + (size_t)key * value_size, value_size))
			fail_msg("value size %u, flags %#x: element %u differs", value_size, flags,
				 key);
	}
	close(fd);
	free(expected);
	free(got);
}

static void mapped_arrays_of_every_size(void **state)
{
	(void)state;
	writes_land_where_asked(4, 300000, BPF_F_MMAPABLE);	/* port classes, class cells */
	writes_land_where_asked(8, 70000, BPF_F_MMAPABLE);	/* source trie */
	writes_land_where_asked(28, 5000, BPF_F_MMAPABLE);	/* local slots */
	writes_land_where_asked(140, 9000, BPF_F_MMAPABLE);	/* prefix lists: 144-byte slots
								 * across page boundaries */
}

static void arrays_without_mmap_take_batches(void **state)
{
	(void)state;
	writes_land_where_asked(4, 50000, 0);
	writes_land_where_asked(140, 3000, 0);
}

static void wrong_size_or_past_the_end_is_refused(void **state)
{
	uint32_t values[4] = { 1, 2, 3, 4 }, key = 9, got;
	int fd = make_array(4, 10, BPF_F_MMAPABLE);

	(void)state;
	assert_int_equal(xpf_map_write_array(fd, 0, values, 8, 2), -EINVAL);
	assert_int_equal(xpf_map_write_array(fd, 8, values, 4, 3), -EINVAL);
	assert_int_equal(xpf_map_write_array(fd, 11, values, 4, 1), -EINVAL);
	/* Nothing written by a refused call. */
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &got), 0);
	assert_int_equal(got, 0);
	assert_int_equal(xpf_map_write_array(fd, 6, values, 4, 4), 0);
	assert_int_equal(bpf_map_lookup_elem(fd, &key, &got), 0);
	assert_int_equal(got, 4);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mapped_arrays_of_every_size),
		cmocka_unit_test(arrays_without_mmap_take_batches),
		cmocka_unit_test(wrong_size_or_past_the_end_is_refused),
	};

	rng_seed(0x9e3779b97f4a7c15ull);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
