/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A site file's text (and a table's) taken the way xpf takes the files, for the unit tests:
 * parsed, resolved into a rule set, compiled into a map image. The texts are named site.conf
 * and t.txt in messages; an error fails the running cmocka test with its message and stage.
 */
#ifndef XPF_TESTS_SITE_TEXT_H
#define XPF_TESTS_SITE_TEXT_H

#include "core/compile.h"

/* @table_text NULL: no table (@table left empty). */
void parse_inputs(const char *site_text, const char *table_text, struct xpf_site *site,
		  struct xpf_table *table);
void build_ok(const char *site_text, const char *table_text, struct xpf_ruleset *rs);
/* The rule set is kept in @rs when given, else freed. */
void compile_ok(const char *site_text, const char *table_text, struct xpf_image *image,
		struct xpf_ruleset *rs);

#endif /* XPF_TESTS_SITE_TEXT_H */
