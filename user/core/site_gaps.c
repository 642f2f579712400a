// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A site file's gaps against its tables (site_gaps.h). The role cells are read as the rule set
 * reads them (ruleset.c, docs/tables.md): a cell the site defines whole, Any, or an address
 * needs nothing; otherwise its parts are looked up one by one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/site_gaps.h"
#include <xpf/maps.h>

static bool defined(const struct xpf_site *site, const char *name)
{
	for (size_t i = 0; i < site->role_count; i++)
		if (xpf_role_name_equal(site->roles[i].name, name))
			return true;
	return false;
}

/* Counts one more row naming @name, or adds it. */
static int add_gap(struct xpf_gaps *gaps, const char *name, const char *file, int line,
		   enum xpf_gap_kind kind)
{
	struct xpf_gap *gap;

	for (size_t i = 0; i < gaps->count; i++) {
		gap = &gaps->gaps[i];
		if (gap->kind == kind && xpf_role_name_equal(gap->name, name)) {
			gap->rows++;
			return 0;
		}
	}
	if (gaps->count == gaps->cap) {
		size_t n = gaps->cap ? 2 * gaps->cap : 16;

		gap = realloc(gaps->gaps, n * sizeof(*gap));
		if (!gap)
			return -ENOMEM;
		gaps->gaps = gap;
		gaps->cap = n;
	}
	gap = &gaps->gaps[gaps->count++];
	memset(gap, 0, sizeof(*gap));
	xpf_fold_blanks(name, gap->name, sizeof(gap->name));
	snprintf(gap->file, sizeof(gap->file), "%s", file);
	gap->line = line;
	gap->rows = 1;
	gap->kind = (uint8_t)kind;
	return 0;
}

static int cell_gaps(const struct xpf_site *site, const struct xpf_row *row, const char *cell,
		     struct xpf_gaps *gaps, enum xpf_gap_kind kind)
{
	struct xpf_role_cell split;
	struct xpf_prefix prefix;
	const char *problem;
	size_t named = 0;
	int ret = 0;

	if (xpf_role_name_equal(cell, "Any") || defined(site, cell) ||
	    xpf_looks_like_address(cell) || !xpf_prefix_parse(cell, &prefix, &problem))
		return 0;
	xpf_role_cell_split(cell, &split);
	for (size_t i = 0; i < split.count; i++)
		named += defined(site, split.parts[i]);
	if (!split.any && !named) {
		/* The rule set stops here: the site must define the cell or one of its parts. */
		return kind == XPF_GAP_ROLE ? add_gap(gaps, cell, row->file, row->line, kind) : 0;
	}
	for (size_t i = 0; i < split.count && !ret; i++) {
		if (defined(site, split.parts[i]))
			continue;
		if (split.any && kind == XPF_GAP_NARROWING)
			ret = add_gap(gaps, split.parts[i], row->file, row->line, kind);
		else if (!split.any && kind == XPF_GAP_PART)
			ret = add_gap(gaps, split.parts[i], row->file, row->line, kind);
	}
	return ret;
}

int xpf_table_gaps(const struct xpf_site *site, const struct xpf_table *table,
		   struct xpf_gaps *gaps)
{
	static const enum xpf_gap_kind kinds[] = { XPF_GAP_ROLE, XPF_GAP_PART, XPF_GAP_NARROWING };
	int ret = 0;

	/* One kind at a time, so that the list reads by kind. */
	for (size_t k = 0; table && k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (size_t i = 0; i < table->count && !ret; i++) {
			const struct xpf_row *row = &table->rows[i];

			ret = cell_gaps(site, row, row->source, gaps, kinds[k]);
			ret = ret ?: cell_gaps(site, row, row->destination, gaps, kinds[k]);
		}
	}
	return ret;
}

static bool admitted(const struct xpf_role *role, const struct xpf_ruleset *ruleset)
{
	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_rule *rule = &ruleset->rules[i];

		if (rule->direction != XPF_DIRECTION_INGRESS || rule->row.action != XPF_ACTION_PASS)
			continue;
		for (size_t j = 0; j < rule->destination_count; j++)
			for (size_t k = 0; k < role->count; k++)
				if (xpf_prefix_contains(&role->prefixes[k], &rule->destinations[j]))
					return true;
	}
	return false;
}

int xpf_local_gaps(const struct xpf_site *site, const struct xpf_ruleset *ruleset,
		   struct xpf_gaps *gaps)
{
	for (size_t i = 0; i < site->role_count; i++) {
		const struct xpf_role *role = &site->roles[i];
		bool local = role->local;
		int ret;

		for (size_t j = 0; j < site->local_name_count && !local; j++)
			local = xpf_role_name_equal(role->name, site->local_names[j]);
		if (!local || admitted(role, ruleset))
			continue;
		ret = add_gap(gaps, role->name, site->file, role->line, XPF_GAP_LOCAL);
		if (ret)
			return ret;
	}
	return 0;
}

void xpf_gaps_free(struct xpf_gaps *gaps)
{
	free(gaps->gaps);
	memset(gaps, 0, sizeof(*gaps));
}
