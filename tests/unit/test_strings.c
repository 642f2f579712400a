/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the blocks that parsed strings and rule prefixes live in (user/core/strings.c,
 * user/core/prefix_pool.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/config.h"

#define MANY 200000	/* strings of ~12 bytes: 2.4 MB, past the blocks' doubling to 2 MiB */

static void strings_survive_the_blocks_after_them(void **state)
{
	struct xpf_strings strings = { 0 };
	const char **copies = malloc(MANY * sizeof(*copies));
	char text[32];

	(void)state;
	assert_non_null(copies);
	for (int i = 0; i < MANY; i++) {
		snprintf(text, sizeof(text), "row %d", i);
		copies[i] = xpf_strings_add(&strings, text);
		assert_non_null(copies[i]);
	}
	assert_true(strings.block_count > 5);
	for (int i = 0; i < MANY; i++) {
		snprintf(text, sizeof(text), "row %d", i);
		assert_string_equal(copies[i], text);
	}
	free(copies);
	xpf_strings_free(&strings);
	assert_int_equal(strings.block_count, 0);
}

static void string_longer_than_a_block_is_kept_whole(void **state)
{
	struct xpf_strings strings = { 0 };
	size_t length = 3u << 20;
	char *text = malloc(length + 1);
	const char *before, *copy, *after;

	(void)state;
	assert_non_null(text);
	memset(text, 'x', length);
	text[length] = '\0';
	before = xpf_strings_add(&strings, "before");
	copy = xpf_strings_add(&strings, text);
	after = xpf_strings_add(&strings, "after");
	assert_non_null(copy);
	assert_int_equal(strlen(copy), length);
	assert_string_equal(before, "before");
	assert_string_equal(after, "after");
	free(text);
	xpf_strings_free(&strings);
}

static void interned_equals_share_one_copy(void **state)
{
	struct xpf_strings strings = { 0 };
	const char *first = xpf_strings_intern(&strings, "HTTPS/TCP 443");
	char text[32];

	(void)state;
	/* Enough others in between to grow the intern table several times. */
	for (int i = 0; i < 5000; i++) {
		snprintf(text, sizeof(text), "GEN/TCP %d", i);
		assert_non_null(xpf_strings_intern(&strings, text));
	}
	assert_ptr_equal(xpf_strings_intern(&strings, "HTTPS/TCP 443"), first);
	assert_ptr_not_equal(xpf_strings_add(&strings, "HTTPS/TCP 443"), first);
	assert_int_equal(xpf_hash_count(&strings.interned), 5001);
	xpf_strings_free(&strings);
}

static struct xpf_prefix numbered(uint32_t i)
{
	struct xpf_prefix prefix = { .family = AF_INET6, .len = 128 };

	memcpy(prefix.addr, &i, sizeof(i));
	return prefix;
}

static void pooled_prefixes_survive_the_blocks_after_them(void **state)
{
	struct xpf_prefix_pool pool = { 0 };
	struct xpf_prefix *singles[10000], *large = NULL, many[5000];

	(void)state;
	for (uint32_t i = 0; i < 5000; i++)
		many[i] = numbered(1000000 + i);
	for (uint32_t i = 0; i < 10000; i++) {
		struct xpf_prefix one = numbered(i);

		singles[i] = xpf_prefix_pool_copy(&pool, &one, 1);
		assert_non_null(singles[i]);
		/* An array larger than a block, half way. */
		if (i == 5000) {
			large = xpf_prefix_pool_copy(&pool, many, 5000);
			assert_non_null(large);
		}
	}
	assert_true(pool.block_count >= 3);
	for (uint32_t i = 0; i < 10000; i++) {
		struct xpf_prefix one = numbered(i);

		assert_memory_equal(singles[i], &one, sizeof(one));
	}
	assert_memory_equal(large, many, sizeof(many));
	xpf_prefix_pool_free(&pool);
	assert_int_equal(pool.block_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_survive_the_blocks_after_them),
		cmocka_unit_test(string_longer_than_a_block_is_kept_whole),
		cmocka_unit_test(interned_equals_share_one_copy),
		cmocka_unit_test(pooled_prefixes_survive_the_blocks_after_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
