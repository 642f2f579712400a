// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/capacity.h"
#include "core/class_sources.h"
#include "core/source_trie.h"
#include "lib/hash.h"
#include "lib/mix.h"
#include "lib/vector.h"

/* @times @count, at least @at_least and at most @at_most. */
static uint32_t room_for(uint64_t times, uint64_t count, uint32_t at_least, uint32_t at_most)
{
	uint64_t room = times * count;

	if (room < at_least)
		return at_least;
	return room > at_most ? at_most : (uint32_t)room;
}

/* The least room a map sized at load is given, whatever the rule set: rule ids for a reload of
 * up to 1,024 rules (the largest built-in table has some 400 rows), and for the classes'
 * sources, the trie and its rule table a reload of some hundred rules keeps, without paying for
 * a large set's room (what a reload outgrows it goes without, and says so). */
#define LEAST_RULE_IDS 2048
#define LEAST_CLASS_SOURCES 1024
#define LEAST_SOURCE_CHUNKS 16
#define LEAST_SOURCE_RULE_CELLS 1024

/* The rule ids' part of the room. Each generation has its own range of rule ids, twice the
 * rules for a reload that grows: four times the rules. The classes' rule sources (@sources:
 * those of the classes with a span), in each generation's own region: twice them. */
static void rule_room(uint64_t rules, uint64_t sources, struct xpf_capacity *capacity)
{
	capacity->rule_ids = room_for(4, rules, LEAST_RULE_IDS, XPF_MAX_RULES);
	capacity->class_sources = room_for(2, sources, LEAST_CLASS_SOURCES, XPF_MAX_RULE_ENTRIES);
}

/* What the rule set asks of the maps whatever it compiles to: its lists' roots (every root of
 * both generations, or one element without lists: bpf/lists.h never reads the roots of a
 * generation without lists) and its flows. */
static void site_room(const struct xpf_ruleset *ruleset, struct xpf_capacity *capacity)
{
	capacity->list_root_pairs = ruleset->list_count ? XPF_LIST_ROOT_PAIRS : 1;
	capacity->flows = ruleset->policy.flows;
}

/* The trie's part of the room: twice its chunks a generation, for a reload that grows; none
 * past the most a generation may have (the install then leaves the trie out). */
static void trie_room(uint32_t chunks, uint64_t rule_cells, struct xpf_capacity *capacity)
{
	capacity->source_chunks = 0;
	capacity->source_rule_cells = 0;
	if (chunks > XPF_MAX_SOURCE_CHUNKS)
		return;
	capacity->source_chunks = room_for(2, chunks, LEAST_SOURCE_CHUNKS, XPF_MAX_SOURCE_CHUNKS);
	if (rule_cells <= XPF_MAX_SOURCE_RULES)
		capacity->source_rule_cells = room_for(2, rule_cells, LEAST_SOURCE_RULE_CELLS,
						       XPF_MAX_SOURCE_RULES);
}

/* The class grid's part of the room: twice its cells and prefix lists a generation, for a
 * reload that grows; the least room where a grid of @cells cannot fit (its classes go into the
 * hash), unless @cells is only a bound. The classes hash is a larger reload's way out: three
 * times the classes (those in force and twice as many beside them). A hash slot costs a
 * 16-byte bucket, the arrays 8 bytes a cell and 136 a prefix list. */
static void grid_room(uint64_t cells, bool bound, uint64_t prefix_lists, uint64_t classes,
		      struct xpf_capacity *capacity)
{
	capacity->class_cells = cells > XPF_CLASS_CELLS_PER_GENERATION && !bound
					? 1024 : room_for(2, cells, 1024, XPF_CLASS_CELLS_PER_GENERATION);
	capacity->prefix_lists = room_for(2, prefix_lists + 1, 64, XPF_MAX_PREFIX_LISTS);
	capacity->classes = room_for(3, classes, 1024, XPF_MAX_CLASSES);
}

static void image_grid_room(const struct xpf_image *image, struct xpf_capacity *capacity)
{
	uint32_t rows, columns;

	xpf_class_grid_shape(image, &rows, &columns);
	grid_room((uint64_t)rows * columns, false, image->prefix_list_count, image->class_count,
		  capacity);
}

/* No room for the trie: the program never reads it (every IPv4 source is in a span). */
static void no_trie(struct xpf_capacity *capacity)
{
	capacity->source_chunks = 0;
	capacity->source_rule_cells = 0;
	capacity->no_source_trie = true;
}

void xpf_capacity_of(const struct xpf_image *image, const struct xpf_ruleset *ruleset,
		     struct xpf_capacity *capacity)
{
	uint32_t chunks, rows, columns;
	uint64_t rule_cells;

	rule_room(ruleset->count, xpf_class_spans_size(image), capacity);
	site_room(ruleset, capacity);
	image_grid_room(image, capacity);
	capacity->no_source_trie = false;
	xpf_class_grid_shape(image, &rows, &columns);
	/* The spans are the grid's: without it, every class goes through the trie. */
	if ((uint64_t)rows * columns <= XPF_CLASS_CELLS_PER_GENERATION &&
	    image->prefix_list_count < XPF_MAX_PREFIX_LISTS && !xpf_class_unspanned_ipv4(image)) {
		no_trie(capacity);
		return;
	}
	if (xpf_source_trie_size(image, &chunks, &rule_cells))
		chunks = XPF_MAX_SOURCE_CHUNKS + 1;
	trie_room(chunks, rule_cells, capacity);
}

static size_t count_family(const struct xpf_prefix *prefixes, size_t count, uint8_t family)
{
	size_t n = 0;

	for (size_t i = 0; i < count; i++)
		n += prefixes[i].family == family;
	return n;
}

/* A rule's prefixes matched on (ingress: its sources; outbound: its replies' sources) and its
 * local addresses (ingress: its destinations; outbound: its replies' destinations). */
static const struct xpf_prefix *matched_of(const struct xpf_rule *rule, size_t *remotes,
					   const struct xpf_prefix **locals, size_t *local_count)
{
	if (rule->direction == XPF_DIRECTION_INGRESS && !rule->list) {
		*locals = rule->destinations;
		*local_count = rule->destination_count;
		*remotes = rule->source_count;
		return rule->sources;
	}
	if (rule->direction == XPF_DIRECTION_OUTBOUND) {
		*locals = rule->reply_locals;
		*local_count = rule->reply_local_count;
		*remotes = rule->reply_remote_count;
		return rule->reply_remotes;
	}
	*locals = NULL;
	*local_count = *remotes = 0;
	return NULL;
}

/* The port boundaries of one direction and transport, where a rule's range starts or ends
 * and so a port class may change: [p] counts those at or below port p. */
struct boundaries {
	uint32_t *upto;
};

#define PORT_SPACE (65536 + 1)	/* a range ending at 65535 has its boundary at 65536 */

static uint8_t transport_bit(int t)
{
	return t ? XPF_PROTO_UDP : XPF_PROTO_TCP;
}

static int find_boundaries(const struct xpf_ruleset *ruleset, enum xpf_direction direction,
			   int t, struct boundaries *b)
{
	b->upto = calloc(PORT_SPACE, sizeof(*b->upto));
	if (!b->upto)
		return -ENOMEM;
	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_rule *rule = &ruleset->rules[i];

		if (rule->direction != direction || rule->list ||
		    !(rule->row.protocols & transport_bit(t)))
			continue;
		b->upto[rule->row.port_first] = 1;
		b->upto[(uint32_t)rule->row.port_last + 1] = 1;
	}
	for (uint32_t port = 1; port < PORT_SPACE; port++)
		b->upto[port] += b->upto[port - 1];
	return 0;
}

/* The most port classes @rule's ports can fall in: the runs between boundaries its range
 * crosses, in each of its transports. */
static uint64_t port_classes_spanned(const struct xpf_rule *rule, const struct boundaries b[2])
{
	uint64_t spanned = 0;

	for (int t = 0; t < 2; t++)
		if (rule->row.protocols & transport_bit(t))
			spanned += 1 + b[t].upto[rule->row.port_last] -
				   b[t].upto[rule->row.port_first];
	return spanned;
}

/* The most local addresses whose classes the foresight of the spans weighs one by one (a
 * sweep of the ports for each); past them every entry is foreseen a span's. */
#define WEIGHED_LOCALS 16

/* @prefix's index in the rule set's local addresses; -1 when it is none of them (a rule set
 * built by hand: the compile gives it no class either). */
static long local_index(const struct xpf_ruleset *ruleset, const struct xpf_prefix *prefix)
{
	for (size_t l = 0; l < ruleset->local_count; l++)
		if (ruleset->locals[l].addr.family == prefix->family &&
		    !memcmp(ruleset->locals[l].addr.addr, prefix->addr, sizeof(prefix->addr)))
			return (long)l;
	return -1;
}

/* Calls @visit for each (local address, transport) of each of one direction's rules, with the
 * rule's matched prefixes of the address's family. */
typedef void (*rule_local_visit)(const struct xpf_rule *rule, long local, int t,
				 uint32_t sources, void *arg);

static void for_rule_locals(const struct xpf_ruleset *ruleset, enum xpf_direction direction,
			    rule_local_visit visit, void *arg)
{
	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_rule *rule = &ruleset->rules[i];
		const struct xpf_prefix *remotes, *locals;
		size_t remote_count, local_count;

		if (rule->direction != direction || rule->list)
			continue;
		remotes = matched_of(rule, &remote_count, &locals, &local_count);
		for (size_t j = 0; j < local_count; j++) {
			long l = local_index(ruleset, &locals[j]);
			uint32_t n = (uint32_t)count_family(remotes, remote_count, locals[j].family);

			for (int t = 0; t < 2 && l >= 0; t++)
				if (rule->row.protocols & transport_bit(t))
					visit(rule, l, t, n, arg);
		}
	}
}

/* Per local address and transport, [port]: the sources the rules naming the address bring to
 * that port's class, first as changes where ranges start and end. */
static uint32_t *sources_at(uint32_t *at, long local, int t)
{
	return at + ((size_t)local * 2 + (size_t)t) * PORT_SPACE;
}

static void add_range(const struct xpf_rule *rule, long local, int t, uint32_t sources,
		      void *arg)
{
	uint32_t *at = sources_at(arg, local, t);

	at[rule->row.port_first] += sources;
	at[(uint32_t)rule->row.port_last + 1] -= sources;
}

/* [transport][port]: the set of one direction's rules that cover the port, as a sum of a mark
 * a rule: the compiler's port classes are these sets (TCP's and UDP's alike), and runs between
 * boundaries with the same set are one class. */
static uint64_t *port_sets(const struct xpf_ruleset *ruleset, enum xpf_direction direction)
{
	uint64_t *sets = calloc(2 * (size_t)PORT_SPACE, sizeof(*sets));

	for (size_t i = 0; i < ruleset->count && sets; i++) {
		const struct xpf_rule *rule = &ruleset->rules[i];

		for (int t = 0; t < 2; t++) {
			uint64_t *at = sets + (size_t)t * PORT_SPACE;

			if (rule->direction != direction || rule->list ||
			    !(rule->row.protocols & transport_bit(t)))
				continue;
			at[rule->row.port_first] += xpf_mix64(i);
			at[(uint32_t)rule->row.port_last + 1] -= xpf_mix64(i);
		}
	}
	for (size_t p = 1; p < 2 * (size_t)PORT_SPACE && sets; p++)
		if (p != PORT_SPACE)
			sets[p] += sets[p - 1];
	return sets;
}

/* The port classes a local address meets, by their set of rules (a 64-bit sum of marks). */
static const struct xpf_hash_type port_set_type = {
	.item_size = sizeof(uint64_t),
	.key_size = sizeof(uint64_t),
	.first_items = 256,
	.first_slots = 512,
};

/* The sources of @local's port classes with a span (at most XPF_CLASS_SOURCES_SCAN), each
 * class once, summed along each transport's ports into *@spanned; -ENOMEM. */
static int local_spanned(uint32_t *at, long local, const uint64_t *sets,
			 const struct boundaries b[2], uint64_t *spanned)
{
	struct xpf_hash seen = { 0 };
	int err = 0;

	for (int t = 0; t < 2 && err >= 0; t++) {
		const uint32_t *changes = sources_at(at, local, t);
		uint32_t sources = 0;

		for (uint32_t port = 0; port < PORT_SPACE - 1 && err >= 0; port++) {
			size_t index;

			sources += changes[port];
			if (!sources || sources > XPF_CLASS_SOURCES_SCAN ||
			    (port && b[t].upto[port] == b[t].upto[port - 1]))
				continue;
			err = xpf_hash_add(&seen, &port_set_type, &sets[(size_t)t * PORT_SPACE + port],
					   &index);
			if (err > 0)
				*spanned += sources;
		}
	}
	xpf_hash_free(&seen);
	return err < 0 ? err : 0;
}

/* The classes' sources with a span (at most XPF_CLASS_SOURCES_SCAN a class) among one
 * direction's entries, foreseen as a class a local address and a port class, and 1/64 more;
 * @entries where the local addresses are too many to weigh. An estimate: a source that rows
 * repeat counts twice here, once in the class (which may then have a span after all: the 1/64),
 * and local addresses the rules treat alike are one class, not one each. Short of the image's,
 * the load makes the maps again to the image's size. */
static uint64_t spanned_sources(const struct xpf_ruleset *ruleset, enum xpf_direction direction,
				const struct boundaries b[2], uint64_t entries)
{
	uint64_t *sets = NULL, spanned = 0;
	uint32_t *at = NULL;
	int err = -ENOMEM;

	if (ruleset->local_count > WEIGHED_LOCALS)
		return entries;
	at = calloc(ruleset->local_count * 2 * PORT_SPACE + 1, sizeof(*at));
	sets = port_sets(ruleset, direction);
	if (at && sets) {
		err = 0;
		for_rule_locals(ruleset, direction, add_range, at);
		for (size_t l = 0; l < ruleset->local_count && !err; l++)
			err = local_spanned(at, (long)l, sets, b, &spanned);
		spanned += spanned / 64;
	}
	free(at);
	free(sets);
	return err ? entries : spanned;
}

/* Entries of one direction's rules: for each, its matched prefixes of a family by its local
 * addresses of that family by the port classes it can fall in (earlier rules taking a key
 * only make fewer); of them, those of classes with a span into @span_sources. Classes likewise: its
 * local addresses by those port classes. The most port classes the direction can have into
 * @port_classes, if more. */
static int count_entries(const struct xpf_ruleset *ruleset, enum xpf_direction direction,
			 uint64_t entries[2], uint64_t *span_sources, uint64_t *classes,
			 uint64_t *port_classes)
{
	uint64_t direction_entries = entries[0] + entries[1];
	struct boundaries b[2] = { { 0 } };
	int err = find_boundaries(ruleset, direction, 0, &b[0]) ?:
		  find_boundaries(ruleset, direction, 1, &b[1]);

	/* The port classes: at most a class a run between boundaries (a transport's runs are its
	 * boundaries and one), and 0. */
	uint64_t most = err ? 0 : (uint64_t)b[0].upto[PORT_SPACE - 1] + b[1].upto[PORT_SPACE - 1] +
				  2 + 1;

	if (most > *port_classes)
		*port_classes = most;

	for (size_t i = 0; i < ruleset->count && !err; i++) {
		const struct xpf_rule *rule = &ruleset->rules[i];
		const struct xpf_prefix *remotes, *locals;
		size_t remote_count, local_count;
		uint64_t spanned;

		if (rule->direction != direction || rule->list)
			continue;
		remotes = matched_of(rule, &remote_count, &locals, &local_count);
		spanned = port_classes_spanned(rule, b);
		*classes += local_count * spanned;
		for (int f = 0; f < 2; f++) {
			uint8_t family = f ? AF_INET6 : AF_INET;

			entries[f] += count_family(remotes, remote_count, family) *
				      count_family(locals, local_count, family) * spanned;
		}
	}
	direction_entries = entries[0] + entries[1] - direction_entries;
	if (!err)
		*span_sources += spanned_sources(ruleset, direction, b, direction_entries);
	free(b[0].upto);
	free(b[1].upto);
	return err;
}

/* Every IPv4 prefix a rule matches on, into *@sources (@count of them, repeats included). */
static int matched_ipv4(const struct xpf_ruleset *ruleset, uint64_t **sources,
			size_t *count)
{
	const struct xpf_prefix *last = NULL;
	size_t cap = 1024;

	*count = 0;
	*sources = malloc(cap * sizeof(**sources));
	if (!*sources)
		return -ENOMEM;
	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_prefix *remotes, *locals;
		size_t remote_count, local_count;

		remotes = matched_of(&ruleset->rules[i], &remote_count, &locals, &local_count);
		/* Rules that name the same role share its prefixes: taken once in a row. */
		if (remotes == last)
			continue;
		last = remotes;
		for (size_t s = 0; s < remote_count; s++) {
			if (remotes[s].family != AF_INET)
				continue;
			if (xpf_array_reserve(sources, &cap, *count + 1, 1024))
				return -ENOMEM;
			(*sources)[(*count)++] = xpf_source_prefix(remotes[s].addr, remotes[s].len);
		}
	}
	return 0;
}

/* How far past the most a rule table may have its foreseen bound may be and the table still
 * be foreseen (xpf_capacity_foreseen()). */
#define FAR_PAST_THE_TABLE 16

int xpf_capacity_foreseen(const struct xpf_ruleset *ruleset, struct xpf_capacity *capacity)
{
	uint64_t *sources = NULL, entries[2] = { 0, 0 }, spanned = 0, classes = 0, port_classes = 1;
	uint64_t cells, grid_cells;
	uint32_t chunks = 0, nodes = 0;
	size_t source_count;
	int err = count_entries(ruleset, XPF_DIRECTION_INGRESS, entries, &spanned, &classes,
				&port_classes) ?:
		  count_entries(ruleset, XPF_DIRECTION_OUTBOUND, entries, &spanned, &classes,
				&port_classes) ?:
		  matched_ipv4(ruleset, &sources, &source_count);

	if (!err)
		err = xpf_source_trie_size_of_prefixes(sources, source_count, &chunks, &nodes);
	free(sources);
	if (err)
		return err;
	rule_room(ruleset->count, spanned, capacity);
	site_room(ruleset, capacity);
	/* The grid: destination classes (ids from 1, an ingress and a reply class a local
	 * address at most) by port classes; a prefix list a class at most. */
	grid_cells = (2 * (uint64_t)ruleset->local_count + 1) * port_classes;
	grid_room(grid_cells, true, classes, classes, capacity);
	/* No trie where every entry is foreseen in a span and the grid, with its spans, fits. */
	capacity->no_source_trie = false;
	if (spanned >= entries[0] + entries[1] && grid_cells <= XPF_CLASS_CELLS_PER_GENERATION &&
	    classes < XPF_MAX_PREFIX_LISTS) {
		no_trie(capacity);
		return 0;
	}
	/* The rule table: classes by nodes, both bounds, so its room is the most a table that
	 * fits can need; none where the bound is FAR_PAST_THE_TABLE times the most a table may
	 * have, since the classes are never that much fewer than their bound (the benchmark
	 * sets: a quarter of it). A table that fits after all has the program loaded again. */
	cells = (uint64_t)classes * nodes;
	if (cells > XPF_MAX_SOURCE_RULES * FAR_PAST_THE_TABLE)
		cells = XPF_MAX_SOURCE_RULES + 1;
	else if (cells > XPF_MAX_SOURCE_RULES)
		cells = XPF_MAX_SOURCE_RULES;
	trie_room(chunks, cells, capacity);
	return 0;
}

static bool covers(const struct xpf_capacity *have, const struct xpf_capacity *need)
{
	return have->rule_ids >= need->rule_ids && have->source_chunks >= need->source_chunks &&
	       have->source_rule_cells >= need->source_rule_cells &&
	       have->class_sources >= need->class_sources &&
	       have->class_cells >= need->class_cells &&
	       have->prefix_lists >= need->prefix_lists && have->classes >= need->classes &&
	       have->list_root_pairs >= need->list_root_pairs && have->flows == need->flows &&
	       (!have->no_source_trie || need->no_source_trie);
}

bool xpf_capacity_foreseen_holds(const struct xpf_capacity *foreseen,
				 const struct xpf_image *image, const struct xpf_ruleset *ruleset)
{
	struct xpf_capacity need;

	/* A trie or table left out (or not foreseen) for its foreseen size may fit (or be needed
	 * by) the image's own. */
	if (!foreseen->source_chunks || !foreseen->source_rule_cells) {
		xpf_capacity_of(image, ruleset, &need);
		return covers(foreseen, &need);
	}
	/* Else only the entries can be more than foreseen: the trie's chunks and the rule
	 * table's cells are bounds. */
	rule_room(ruleset->count, xpf_class_spans_size(image), &need);
	site_room(ruleset, &need);
	image_grid_room(image, &need);
	need.source_chunks = 0;
	need.source_rule_cells = 0;
	need.no_source_trie = false;
	return covers(foreseen, &need);
}

int xpf_capacity_within_limits(const struct xpf_ruleset *ruleset, const struct xpf_image *image,
			       const char *site, struct xpf_error *err)
{
	uint32_t entries[2];

	if (ruleset->count > XPF_LIMIT_RULES)
		return xpf_error_set(err, site, 0, "%zu rules need as many rule ids; a filter has "
				     "%u for a rule set (as many again for a reload's): carry source "
				     "lists in `deny-list`/`allow-list` files (a list is one rule), or "
				     "split the rows across interfaces", ruleset->count,
				     XPF_LIMIT_RULES);
	xpf_image_count_entries(image, entries);
	for (int f = 0; f < 2; f++)
		if (entries[f] > XPF_LIMIT_RULE_ENTRIES)
			return xpf_error_set(err, site, 0, "the rules compile to %u %s rule entries "
					     "(sources by local addresses by port classes); a rule set "
					     "may have %u: carry sources in `deny-list`/`allow-list` "
					     "files, which take no entries, or name fewer local "
					     "addresses a row",
					     entries[f], f ? "IPv6" : "IPv4", XPF_LIMIT_RULE_ENTRIES);
	return 0;
}
