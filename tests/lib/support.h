/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers that unit and BPF tests share (tests/lib/support.c): a whole file read into memory,
 * and the one pseudo-random generator of the tests. Test side only, linked into every test.
 */
#ifndef XPF_TESTS_SUPPORT_H
#define XPF_TESTS_SUPPORT_H

#include <stdint.h>

/* The whole of @path, NUL-terminated, never empty; fails the running cmocka test naming the
 * path when it cannot be read. The caller frees it. */
char *read_text(const char *path);

/*
 * xorshift64: fast, and the same numbers on every machine, so that a failing random case
 * fails again on the next run. Each test seeds it with a constant of its own before its
 * first rng() (a different seed per test: they explore different inputs).
 */
void rng_seed(uint64_t seed);
uint32_t rng(void);

#endif /* XPF_TESTS_SUPPORT_H */
