/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Shared by the libFuzzer targets of tests/fuzz/ (user space only).
 *
 * FUZZ_CHECK is an assertion that survives -DNDEBUG and names the broken invariant: a logic
 * bug then crashes the target like a memory error does, and libFuzzer keeps the input.
 */
#ifndef XPF_FUZZ_COMMON_H
#define XPF_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                                      \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,  \
				#cond);                                                       \
			abort();                                                              \
		}                                                                             \
	} while (0)

/* The parsers take C strings: the input, NUL-terminated (an embedded NUL ends the text early,
 * as it would for a file read with the same code). NULL when out of memory. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return NULL;
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

/* All-zero: what the parsers promise to leave behind on an error. */
static inline int fuzz_is_zero(const void *p, size_t size)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < size; i++)
		if (b[i])
			return 0;
	return 1;
}

/* A char array holds a terminated string. */
#define FUZZ_TERMINATED(array) (memchr((array), '\0', sizeof(array)) != NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif /* XPF_FUZZ_COMMON_H */
