// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * An ingress rule decides a packet when it is the candidate (destination and port hold the
 * packet's) whose source prefix holding the source is the longest, the earlier row on a tie
 * (xpf.site(5), RULES). So an earlier rule A takes every packet of a later rule B when A's
 * transports, ports and destinations hold B's, and every source prefix of B is one of A's:
 * wherever B's longest matching prefix is, A has the same one and comes first. B then never
 * decides, and its row is worth a warning. A source set that merely holds B's (Any over a /24)
 * does not shadow: the longer prefix wins.
 *
 * The earlier rule is a site row: the rows an administrator writes; a published table's rows
 * overlap by design and are not theirs to change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/row_overlap.h"
#include "lib/vector.h"

/* Pairs compared at most: a site of 1,000 rows before a table of 100,000 stays under a
 * second; beyond, the rows are checked as far as this goes. */
#define MAX_PAIRS 100000000ull

static bool same_prefix(const struct xpf_prefix *a, const struct xpf_prefix *b)
{
	return a->family == b->family && a->len == b->len && !memcmp(a->addr, b->addr, 16);
}

/* Every prefix of @inner is one of @outer's (exactly: the same network and length). */
static bool prefixes_among(const struct xpf_prefix *inner, size_t inner_count,
			   const struct xpf_prefix *outer, size_t outer_count)
{
	for (size_t i = 0; i < inner_count; i++) {
		size_t j = 0;

		while (j < outer_count && !same_prefix(&inner[i], &outer[j]))
			j++;
		if (j == outer_count)
			return false;
	}
	return true;
}

/* Every destination of @inner held by one of @outer's. */
static bool destinations_held(const struct xpf_rule *outer, const struct xpf_rule *inner)
{
	for (size_t i = 0; i < inner->destination_count; i++) {
		size_t j = 0;

		while (j < outer->destination_count &&
		       !xpf_prefix_contains(&outer->destinations[j], &inner->destinations[i]))
			j++;
		if (j == outer->destination_count)
			return false;
	}
	return true;
}

static bool shadows(const struct xpf_rule *first, const struct xpf_rule *later)
{
	const struct xpf_row *a = &first->row, *b = &later->row;

	return first->direction == XPF_DIRECTION_INGRESS && later->direction == XPF_DIRECTION_INGRESS &&
	       (a->protocols & b->protocols) == b->protocols && a->port_first <= b->port_first &&
	       a->port_last >= b->port_last && destinations_held(first, later) &&
	       prefixes_among(later->sources, later->source_count, first->sources,
			      first->source_count);
}

/* The same row written twice: transports, ports, action and both cells alike. */
static bool repeats(const struct xpf_rule *first, const struct xpf_rule *later)
{
	const struct xpf_row *a = &first->row, *b = &later->row;

	return a->protocols == b->protocols && a->port_first == b->port_first &&
	       a->port_last == b->port_last && a->action == b->action &&
	       xpf_role_name_equal(a->source, b->source) &&
	       xpf_role_name_equal(a->destination, b->destination);
}

static int add_warning(struct xpf_ruleset *ruleset, size_t *cap, const struct xpf_rule *later,
		       const struct xpf_rule *first)
{
	char text[XPF_MESSAGE_MAX];
	const char *what = first->row.action == later->row.action ? "" :
			   later->row.action == XPF_ACTION_DROP ? "; its deny never applies" :
								    "; its allow never applies";

	if (repeats(first, later))
		snprintf(text, sizeof(text), "%s:%d: the same row as %s:%d, which decides in its "
			 "place", later->row.file, later->row.line, first->row.file,
			 first->row.line);
	else
		snprintf(text, sizeof(text), "%s:%d: never decides: the row at %s:%d, earlier, "
			 "holds its transports, ports, destinations and every source prefix%s",
			 later->row.file, later->row.line, first->row.file, first->row.line, what);
	if (xpf_array_reserve(&ruleset->warnings, cap, ruleset->warning_count + 1, 8))
		return -ENOMEM;
	ruleset->warnings[ruleset->warning_count] = strdup(text);
	if (!ruleset->warnings[ruleset->warning_count])
		return -ENOMEM;
	ruleset->warning_count++;
	return 0;
}

/* The earliest site row that takes every packet of rule @index, or NULL. */
static const struct xpf_rule *shadowed_by(const struct xpf_ruleset *ruleset, size_t index,
					  unsigned long long *pairs)
{
	const struct xpf_rule *later = &ruleset->rules[index];

	for (size_t i = 0; i < index && !ruleset->rules[i].origin; i++) {
		const struct xpf_rule *first = &ruleset->rules[i];

		++*pairs;
		if (repeats(first, later) || shadows(first, later))
			return first;
	}
	return NULL;
}

int xpf_ruleset_warn_overlaps(struct xpf_ruleset *ruleset)
{
	size_t cap = ruleset->warning_count;
	unsigned long long pairs = 0;

	for (size_t i = 1; i < ruleset->count && pairs < MAX_PAIRS; i++) {
		const struct xpf_rule *first = shadowed_by(ruleset, i, &pairs);

		if (first && add_warning(ruleset, &cap, &ruleset->rules[i], first))
			return -ENOMEM;
	}
	return 0;
}
