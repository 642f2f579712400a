/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Site and table text → rule set → image for the unit tests: see site_text.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "site_text.h"

void parse_inputs(const char *site_text, const char *table_text, struct xpf_site *site,
		  struct xpf_table *table)
{
	struct xpf_error err = { { 0 } };

	if (xpf_site_parse(site_text, "site.conf", site, &err))
		fail_msg("site: %s", err.message);
	memset(table, 0, sizeof(*table));
	if (table_text && xpf_table_parse(table_text, "t.txt", table, &err))
		fail_msg("table: %s", err.message);
}

void build_ok(const char *site_text, const char *table_text, struct xpf_ruleset *rs)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table;
	struct xpf_site site;

	parse_inputs(site_text, table_text, &site, &table);
	if (xpf_ruleset_build(&site, &table, rs, &err))
		fail_msg("build: %s", err.message);
	xpf_table_free(&table);
	xpf_site_free(&site);
}

void compile_ok(const char *site_text, const char *table_text, struct xpf_image *image,
		struct xpf_ruleset *rs)
{
	struct xpf_error err = { { 0 } };
	struct xpf_ruleset built;

	build_ok(site_text, table_text, &built);
	if (xpf_compile(&built, image, &err))
		fail_msg("compile: %s", err.message);
	if (rs)
		*rs = built;
	else
		xpf_ruleset_free(&built);
}
