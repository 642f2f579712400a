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
#include "lib/vector.h"
#include <xpf/maps.h>

static bool defined(const struct xpf_site *site, const char *name)
{
	for (size_t i = 0; i < site->role_count; i++)
		if (xpf_role_name_equal(site->roles[i].name, name))
			return true;
	return false;
}

static int append(struct xpf_gaps *gaps, const struct xpf_gap *gap)
{
	if (xpf_array_reserve(&gaps->gaps, &gaps->cap, gaps->count + 1, 16))
		return -ENOMEM;
	gaps->gaps[gaps->count++] = *gap;
	return 0;
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
	if (xpf_array_reserve(&gaps->gaps, &gaps->cap, gaps->count + 1, 16))
		return -ENOMEM;
	gap = &gaps->gaps[gaps->count++];
	memset(gap, 0, sizeof(*gap));
	xpf_fold_blanks(name, gap->name, sizeof(gap->name));
	snprintf(gap->file, sizeof(gap->file), "%s", file);
	gap->line = line;
	gap->rows = 1;
	gap->kind = (uint8_t)kind;
	return 0;
}

/* The gaps of one cell, each kind into its own list. */
static int cell_gaps(const struct xpf_site *site, const struct xpf_row *row, const char *cell,
		     struct xpf_gaps lists[3])
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
	/* The rule set stops here: the site must define the cell or one of its parts. */
	if (!split.any && !named)
		return add_gap(&lists[XPF_GAP_ROLE], cell, row->file, row->line, XPF_GAP_ROLE);
	for (size_t i = 0; i < split.count && !ret; i++) {
		enum xpf_gap_kind kind = split.any ? XPF_GAP_NARROWING : XPF_GAP_PART;

		if (!defined(site, split.parts[i]))
			ret = add_gap(&lists[kind], split.parts[i], row->file, row->line, kind);
	}
	return ret;
}

int xpf_table_gaps(const struct xpf_site *site, const struct xpf_table *table,
		   struct xpf_gaps *gaps)
{
	struct xpf_gaps lists[3] = { 0 };
	const char *fine[2] = { NULL, NULL };	/* cells that need nothing, last seen */
	int ret = 0;

	for (size_t i = 0; table && i < table->count && !ret; i++) {
		const struct xpf_row *row = &table->rows[i];
		const char *cells[2] = { row->source, row->destination };

		/* Cells recur row after row, one copy each (interned): each looked at once. */
		for (int c = 0; c < 2 && !ret; c++) {
			size_t before = lists[0].count + lists[1].count + lists[2].count;

			if (cells[c] == fine[c])
				continue;
			ret = cell_gaps(site, row, cells[c], lists);
			if (!ret && lists[0].count + lists[1].count + lists[2].count == before)
				fine[c] = cells[c];
		}
	}
	/* By kind, so that the list reads by kind. */
	for (int k = 0; k < 3 && !ret; k++)
		for (size_t i = 0; i < lists[k].count && !ret; i++)
			ret = append(gaps, &lists[k].gaps[i]);
	for (int k = 0; k < 3; k++)
		xpf_gaps_free(&lists[k]);
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
