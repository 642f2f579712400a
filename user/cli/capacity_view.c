// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <sys/socket.h>
#include <unistd.h>

#include "cli/capacity_view.h"
#include "core/capacity.h"
#include "core/list_image.h"
#include "core/prefix_list.h"

#define MIB (1024.0 * 1024.0)
/* A preallocated hash element: the kernel's header (about 48 bytes) and the key and value. */
#define HASH_ELEMENT_OVERHEAD 48

/* The lists' maps of one generation: the sorted arrays (at most: repeats are merged), the long
 * bitmap; the roots of both generations (8 bytes an element, two slots). */
static double list_bytes(const struct xpf_capacity *c, const uint64_t prefixes[2])
{
	double bytes = 8.0 * c->list_root_pairs;

	if (prefixes[0] || prefixes[1])
		bytes += prefixes[0] * sizeof(struct xpf_list_entry4) +
			 prefixes[1] * sizeof(struct xpf_list_entry6) + XPF_LIST_LONG_BYTES;
	return bytes;
}

/* The flows map: preallocated LRU elements (the kernel's header, the key and the value) and a
 * bucket of 16 bytes for each of a power of two at least as many. */
static double flow_bytes(uint32_t flows)
{
	uint64_t buckets = 1;

	while (buckets < flows)
		buckets <<= 1;
	return (double)flows * (HASH_ELEMENT_OVERHEAD + sizeof(struct xpf_flow_key) +
				sizeof(struct xpf_flow_value)) + 16.0 * buckets;
}

/* The maps load sizes to the rule set: counters per possible CPU and carried, the rule hashes
 * (@hashed entries: those of classes without a span; their key and a bucket), the class grid
 * (its cells, prefix lists and the classes hash's buckets), the spans, the trie and its rule
 * table, with a reload's room; and rule_info's array of the @rules. */
static double rule_map_bytes(const struct xpf_capacity *c, size_t rules, double hashed)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);

	return (double)c->rule_ids * sizeof(struct xpf_counter) * ((cpus > 0 ? cpus : 1) + 1) +
	       (double)rules * sizeof(struct xpf_rule_info) +
	       (hashed > 0 ? hashed : 0) * (HASH_ELEMENT_OVERHEAD + 32 + 16) +
	       2.0 * c->class_cells * sizeof(uint64_t) +
	       2.0 * c->prefix_lists * sizeof(struct xpf_class_value) + 16.0 * c->classes +
	       2.0 * c->class_sources * sizeof(struct xpf_class_source) +
	       (c->no_source_trie ? 0 : 2.0 * (XPF_SOURCE_ROOT + (double)c->source_chunks *
						       XPF_SOURCE_CHUNK) * 8) +
	       2.0 * c->source_rule_cells * 8;	/* 4-byte values, 8 bytes each in the kernel */
}

void xpf_print_needs(FILE *out, const struct xpf_ruleset *ruleset, const struct xpf_image *image)
{
	struct xpf_capacity capacity;
	uint64_t prefixes[2] = { 0, 0 };
	uint32_t entries[2];

	xpf_image_count_entries(image, entries);
	/* As `xpf load` sizes them: the room foreseen from the rule set where it holds the
	 * image, else the image's own (cli/cmd_load.c, loaded_for()). */
	if (xpf_capacity_foreseen(ruleset, &capacity) ||
	    !xpf_capacity_foreseen_holds(&capacity, image, ruleset))
		xpf_capacity_of(image, ruleset, &capacity);
	for (size_t l = 0; l < ruleset->list_count; l++)
		for (size_t i = 0; i < ruleset->lists[l].count; i++)
			prefixes[ruleset->lists[l].prefixes[i].family == AF_INET6]++;
	fprintf(out, "needs:  %zu rule ids (limit %u), rule entries %u IPv4 and %u IPv6 (limit %u "
		"each)\n", ruleset->count, XPF_LIMIT_RULES, entries[0], entries[1],
		XPF_LIMIT_RULE_ENTRIES);
	fprintf(out, "        %zu lists (limit %d) of %llu IPv4 and %llu IPv6 prefixes (no limit "
		"but the kernel's memory for BPF maps)\n", ruleset->list_count, XPF_MAX_LISTS,
		(unsigned long long)prefixes[0], (unsigned long long)prefixes[1]);
	fprintf(out, "        %u flows remembered (`flows max`; a load sizes the flow table, a "
		"reload keeps it)\n", capacity.flows);
	fprintf(out, "memory: lists %.1f MiB, rule maps about %.1f MiB (with a reload's room), "
		"flows %.1f MiB, besides the maps of fixed size (`xpf status` gives the total in "
		"force)\n", list_bytes(&capacity, prefixes) / MIB,
		rule_map_bytes(&capacity, ruleset->count,
			       (double)entries[0] + entries[1] - xpf_class_spans_size(image)) / MIB,
		flow_bytes(capacity.flows) / MIB);
}
