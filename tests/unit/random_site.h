/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Random sites for the unit tests that hold a compiled image to what it promises
 * (test_capacity.c, test_class_sources.c): the site text built up with add(), and random
 * rows; compile_ok() (tests/lib/site_text.c) compiles it. Included by one test file each:
 * its functions are static.
 */
#ifndef XPF_TEST_RANDOM_SITE_H
#define XPF_TEST_RANDOM_SITE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/compile.h"
#include "site_text.h"
#include "support.h"

#define SITE_MAX (4 << 20)

static char *site_text;
static size_t site_len;

static void add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void add(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(site_text + site_len, SITE_MAX - site_len, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < SITE_MAX - site_len);
	site_len += (size_t)n;
}

/* An empty site text. */
static void site_clear(void)
{
	free(site_text);
	site_text = calloc(1, SITE_MAX);
	site_len = 0;
	assert_non_null(site_text);
}

/* The group teardown of the tests that include this. */
static int site_teardown(void **state)
{
	(void)state;
	free(site_text);
	site_text = NULL;
	return 0;
}

/* A random source: an IPv4 prefix of /8../32 in 198.18.0.0/15 and 203.0.113.0/24 and around,
 * or an IPv6 one of /32../128. */
static void add_random_source(void)
{
	if (rng() % 4 == 0) {
		add("2001:db8:%x:%x::%x/%u", rng() & 0xffff, rng() & 0xffff, rng() & 0xffff,
		    32 + rng() % 97);
		return;
	}
	add("%u.%u.%u.%u/%u", 192 + rng() % 12, rng() % 256, rng() % 256, rng() % 256,
	    8 + rng() % 25);
}

/* @rows random rows: ingress from random sources to a local role, ports and ranges that
 * overlap, TCP, UDP or both; some outbound, from a local role to a remote one. */
static void add_random_rows(int rows)
{
	static const char *const protocols[] = { "TCP", "UDP", "TCP/UDP" };

	for (int r = 0; r < rows; r++) {
		uint32_t first = 1 + rng() % 4000, last = first + (rng() % 3 ? 0 : rng() % 300);
		const char *protocol = protocols[rng() % 3];

		if (rng() % 10 == 0) {
			add("allow GEN/%s %u | %s | Pool | outbound\n", protocol, first,
			    rng() % 2 ? "Director" : "VIP");
			continue;
		}
		add("%s GEN/%s %u", rng() % 5 ? "allow" : "deny", protocol, first);
		if (last != first)
			add("-%u", last);
		add(" | ");
		add_random_source();
		add(" | %s | row %d\n", rng() % 2 ? "Director" : "VIP", r);
	}
}

/* @rounds random sites, each @reset's text and 50 to 50 + @more_rows - 1 random rows, held to
 * @check. */
static void for_random_sites(int rounds, int (*reset)(void **), int more_rows,
			     void (*check)(void))
{
	for (int round = 0; round < rounds; round++) {
		reset(NULL);
		add_random_rows(50 + (int)(rng() % (uint32_t)more_rows));
		check();
	}
}

#endif /* XPF_TEST_RANDOM_SITE_H */
