/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: what a site lacks for its tables (user/core/site_gaps.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/site_gaps.h"

#define HEADER "Caption\nProtocol | Source | Destination | Notes |\n---|---|---|---|\n"

static const char site_text[] =
	"local Director, Mediation\n"
	"role Director = 192.0.2.101\n"
	"role Mediation = 192.0.2.102\n"
	"role Edge = 192.0.2.50\n"
	"role Front End pool = 192.0.2.20\n";

static const char table_text[] = HEADER
	"TCP 5061 | Edge | Director | n |\n"
	"TCP 8080 | Reverse proxy | Director | n |\n"
	"TCP 4443 | Reverse proxy | Director | n |\n"
	"TCP 444 | Director | Front End pool or Front End Server | n |\n"
	"TCP 5062 | Any (can be defined as Front End Server IP address) | Director | n |\n"
	"TCP 80 | 198.51.100.0/24 | Director | n |\n"
	"TCP 81 | Any | Gateway or Proxy | n |\n";

static void gaps_name_each_missing_role_once(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_gaps gaps = { 0 };
	struct xpf_table table;
	struct xpf_site site;

	(void)state;
	assert_int_equal(xpf_site_parse(site_text, "site.conf", &site, &err), 0);
	assert_int_equal(xpf_table_read(table_text, "t.txt", &table, &err), 0);
	assert_int_equal(xpf_table_gaps(&site, &table, &gaps), 0);
	assert_int_equal(gaps.count, 4);
	assert_int_equal(gaps.gaps[0].kind, XPF_GAP_ROLE);
	assert_string_equal(gaps.gaps[0].name, "Reverse proxy");
	assert_string_equal(gaps.gaps[0].file, "t.txt");
	assert_int_equal(gaps.gaps[0].line, 5);
	assert_int_equal(gaps.gaps[0].rows, 2);
	assert_int_equal(gaps.gaps[1].kind, XPF_GAP_ROLE);
	assert_string_equal(gaps.gaps[1].name, "Gateway or Proxy");
	assert_int_equal(gaps.gaps[2].kind, XPF_GAP_PART);
	assert_string_equal(gaps.gaps[2].name, "Front End Server");
	assert_int_equal(gaps.gaps[2].line, 7);
	assert_int_equal(gaps.gaps[3].kind, XPF_GAP_NARROWING);
	assert_string_equal(gaps.gaps[3].name, "Front End Server IP address");
	xpf_gaps_free(&gaps);
	assert_null(gaps.gaps);
	xpf_table_free(&table);
	xpf_site_free(&site);
}

static void local_role_no_row_admits_to_is_a_gap(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_gaps gaps = { 0 };
	struct xpf_ruleset rs;
	struct xpf_table table;
	struct xpf_site site;

	(void)state;
	assert_int_equal(xpf_site_parse(site_text, "site.conf", &site, &err), 0);
	assert_int_equal(xpf_table_read(HEADER "TCP 5061 | Edge | Director | n |\n"
					"TCP 81 | Director | Mediation | n |\n", "t.txt", &table, &err),
			 0);
	assert_int_equal(xpf_ruleset_build(&site, &table, &rs, &err), 0);
	assert_int_equal(xpf_local_gaps(&site, &rs, &gaps), 0);
	assert_int_equal(gaps.count, 0);
	xpf_ruleset_free(&rs);
	xpf_table_free(&table);

	/* Mediation admitted to by nothing: named, with its line in the site file. */
	assert_int_equal(xpf_table_read(HEADER "TCP 5061 | Edge | Director | n |\n", "t.txt",
					&table, &err), 0);
	assert_int_equal(xpf_ruleset_build(&site, &table, &rs, &err), 0);
	assert_int_equal(xpf_local_gaps(&site, &rs, &gaps), 0);
	assert_int_equal(gaps.count, 1);
	assert_int_equal(gaps.gaps[0].kind, XPF_GAP_LOCAL);
	assert_string_equal(gaps.gaps[0].name, "Mediation");
	assert_string_equal(gaps.gaps[0].file, "site.conf");
	assert_int_equal(gaps.gaps[0].line, 3);
	xpf_gaps_free(&gaps);
	xpf_ruleset_free(&rs);
	xpf_table_free(&table);
	xpf_site_free(&site);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gaps_name_each_missing_role_once),
		cmocka_unit_test(local_role_no_row_admits_to_is_a_gap),
	};

	return cmocka_run_group_tests_name("site gaps", tests, NULL, NULL);
}
