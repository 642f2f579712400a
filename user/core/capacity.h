/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * How large the maps sized at load are made: from a compiled image, or from the rule set
 * before it is compiled, so that `xpf load` can make the maps and have the program verified
 * while the compile runs. Pure: no BPF calls.
 */
#ifndef XPF_CAPACITY_H
#define XPF_CAPACITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compile.h"
#include "core/placement.h"

/* What the maps sized at load hold, for both generations: rule ids (rule_stats). A reload
 * that needs more is refused: unload and load. Per generation (0: the program's defaults): the
 * classes' rule sources (class_sources: those of the classes with a span), the IPv4 source
 * trie's chunks and its rule table's cells; a reload whose sources, trie or table do not fit
 * runs without them (the trie, every length probed, or the lengths the trie gives). The rule
 * hashes are no part of it: each generation's are made to it when it is written. */
struct xpf_capacity {
	uint32_t rule_ids;
	uint32_t source_chunks;
	uint32_t source_rule_cells;
	uint32_t class_sources;
	/* Per generation: the class grid's cells (class_cells) and prefix lists (prefix_lists);
	 * a grid that does not fit goes into the classes hash, whose room (both generations)
	 * is @classes. */
	uint32_t class_cells;
	uint32_t prefix_lists;
	uint32_t classes;
	/* The lists' roots (list_roots), elements of both generations: every root of both
	 * where the rule set has lists, one element where it has none (a reload that brings
	 * lists is then refused: unload and load); 0: the program's default, every root. */
	uint32_t list_root_pairs;
	/* The flows map's entries: the site file's `flows max`; 0: the program's default. No
	 * reload changes it. */
	uint32_t flows;
	/* Every IPv4 entry is in a class with a span, which the program scans without the
	 * source trie: the trie and its rule table get one element (no room; a reload that needs
	 * them goes without, and says so). */
	bool no_source_trie;
};

/* Room for @image (compiled from @ruleset) and a reload growing it to twice its size. */
void xpf_capacity_of(const struct xpf_image *image, const struct xpf_ruleset *ruleset,
		     struct xpf_capacity *capacity);

/* The same room foreseen from @ruleset before it is compiled: its rule ids, lists and flows
 * exactly; its trie from every IPv4 prefix a rule matches on, its rule table from those and
 * the classes a rule can make (bounds; none where the bound is far past the most a table may
 * have); and its classes' sources as each rule's matched prefixes by its local addresses of
 * their family by the port classes its range can cross (rules earlier in the set that take a
 * key make fewer, and classes with more sources than the program scans have no span). */
int xpf_capacity_foreseen(const struct xpf_ruleset *ruleset, struct xpf_capacity *capacity);

/* The most a rule set may need: rule ids, so that a reload of its size fits beside it, and
 * rule entries of a family (the compiler's bound). A list is one rule and no entry however
 * long. */
#define XPF_LIMIT_RULES (XPF_MAX_RULES / 2u)
#define XPF_LIMIT_RULE_ENTRIES (XPF_MAX_RULE_ENTRIES / 2u)

/* 0 when @ruleset compiled to @image is within the limits above; else -E2BIG and @err says
 * the need, the limit and what to do ("@site: ..."). */
int xpf_capacity_within_limits(const struct xpf_ruleset *ruleset, const struct xpf_image *image,
			       const char *site, struct xpf_error *err);

/* Whether maps sized @foreseen hold @image (compiled from @ruleset) with the room
 * xpf_capacity_of() would give it. */
bool xpf_capacity_foreseen_holds(const struct xpf_capacity *foreseen,
				 const struct xpf_image *image, const struct xpf_ruleset *ruleset);

#endif /* XPF_CAPACITY_H */
