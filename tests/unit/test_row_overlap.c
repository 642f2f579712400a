/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: rows that never decide, warned of with the row that decides in their place
 * (user/core/row_overlap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/config.h"

#include "site_text.h"

#define TABLE_HEADER "Protocol | Source | Destination | Notes |\n---|---|---|---|\n"
#define SITE "local Director\nrole Director = 192.0.2.101, 2001:db8::101\n" \
	     "role Clients = 198.51.100.0/24\nrole Admins = 203.0.113.0/28\n"
/* Rows start on line 5 of SITE + rows. */

/* The warnings of @site_text (and @table_text), joined by newlines. */
static const char *warnings_of(const char *site_text, const char *table_text)
{
	static char joined[4096];
	struct xpf_ruleset rs;
	size_t used = 0;

	build_ok(site_text, table_text, &rs);
	joined[0] = '\0';
	for (size_t i = 0; i < rs.warning_count; i++)
		used += (size_t)snprintf(joined + used, sizeof(joined) - used, "%s%s",
					 i ? "\n" : "", rs.warnings[i]);
	xpf_ruleset_free(&rs);
	return joined;
}

static void repeated_row_names_the_first(void **state)
{
	(void)state;
	assert_string_equal(warnings_of(SITE "allow SSH/TCP 22 | Admins | Director\n"
					"allow SSH/TCP 22 | admins | director\n", NULL),
			    "site.conf:6: the same row as site.conf:5, which decides in its place");
}

static void wider_earlier_row_with_the_same_sources_shadows(void **state)
{
	(void)state;
	assert_string_equal(warnings_of(SITE "allow TCP/UDP 1-1024 | Clients | Director\n"
					"deny TCP 443 | Clients | Director\n", NULL),
			    "site.conf:6: never decides: the row at site.conf:5, earlier, holds its "
			    "transports, ports, destinations and every source prefix; its deny "
			    "never applies");
}

static void longer_source_prefix_is_not_shadowed(void **state)
{
	(void)state;
	/* The /32 is longer than Any's /0: it decides for its address, whatever the order. */
	assert_string_equal(warnings_of(SITE "allow TCP 443 | Any | Director\n"
					"deny TCP 443 | 198.51.100.66 | Director\n", NULL), "");
}

static void shorter_source_prefix_is_not_shadowed(void **state)
{
	(void)state;
	/* Any after Clients decides for every source outside 198.51.100.0/24. */
	assert_string_equal(warnings_of(SITE "allow TCP 443 | Clients | Director\n"
					"deny TCP 443 | Any | Director\n", NULL), "");
}

static void port_outside_the_earlier_range_is_not_shadowed(void **state)
{
	(void)state;
	assert_string_equal(warnings_of(SITE "allow TCP 1-1024 | Clients | Director\n"
					"allow TCP 1000-2000 | Clients | Director\n"
					"allow UDP 53 | Clients | Director\n", NULL), "");
}

static void site_row_shadows_a_table_row(void **state)
{
	(void)state;
	assert_string_equal(warnings_of(SITE "deny TCP 1-65535 | Clients | Director\n",
					TABLE_HEADER "HTTPS/TCP 443 | Clients | Director | web |\n"),
			    "t.txt:3: never decides: the row at site.conf:5, earlier, holds its "
			    "transports, ports, destinations and every source prefix; its allow "
			    "never applies");
}

static void table_rows_do_not_shadow_each_other(void **state)
{
	(void)state;
	assert_string_equal(warnings_of(SITE, TABLE_HEADER
					"TCP 1-1024 | Clients | Director | all |\n"
					"HTTPS/TCP 443 | Clients | Director | web |\n"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(repeated_row_names_the_first),
		cmocka_unit_test(wider_earlier_row_with_the_same_sources_shadows),
		cmocka_unit_test(longer_source_prefix_is_not_shadowed),
		cmocka_unit_test(shorter_source_prefix_is_not_shadowed),
		cmocka_unit_test(port_outside_the_earlier_range_is_not_shadowed),
		cmocka_unit_test(site_row_shadows_a_table_row),
		cmocka_unit_test(table_rows_do_not_shadow_each_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
