/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Helpers that unit and BPF tests share: see support.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

char *read_text(const char *path)
{
	FILE *file = fopen(path, "r");
	char *text;
	long size;

	if (!file)
		print_error("%s: %s\n", path, strerror(errno));
	assert_non_null(file);
	assert_int_equal(fseek(file, 0, SEEK_END), 0);
	size = ftell(file);
	if (size <= 0)
		fail_msg("%s: empty or unreadable", path);
	rewind(file);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, file), (size_t)size);
	fclose(file);
	return text;
}

/* Never zero: xorshift would stay there. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

void rng_seed(uint64_t seed)
{
	rng_state = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}
