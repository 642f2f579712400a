/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Maps and lookups of the XDP program. BPF only (included by bpf/xpf.bpf.c).
 * The layout of every key and value is in include/xpf/maps.h.
 */
#ifndef XPF_CLASSIFY_H
#define XPF_CLASSIFY_H

#include "shared_maps.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XPF_PORT_CLASS_REGIONS);
	__type(key, __u32);
	__type(value, struct xpf_port_class_region);
} port_classes SEC(".maps");

/* The class of @port (host order) for @protocol in @direction's rows of @generation, 0 where
 * no row names it. */
static __always_inline __u32 port_class_of(__u32 generation, __u32 direction, __u8 protocol,
					   __u32 port)
{
	__u32 region = xpf_port_class_region(generation, direction,
					     protocol == IPPROTO_UDP ? XPF_TRANSPORT_UDP
								     : XPF_TRANSPORT_TCP);
	struct xpf_port_class_region *classes = bpf_map_lookup_elem(&port_classes, &region);

	return classes ? classes->port_class[port & (XPF_PORTS - 1)] : 0;
}

/* Sized by the loader: two generations' regions, each [destination class][port class] → class
 * number, prefix list id and span of class_sources (maps.h, xpf_class_cell()); class_rows ×
 * class_columns of the generation's config are in use, from its class_cells_base. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_GENERATIONS * XPF_CLASS_CELLS_PER_GENERATION);
	__type(key, __u32);
	__type(value, __u64);
} class_cells SEC(".maps");

/* Sized by the loader: two generations' regions of the classes' rule sources, each class's
 * longest first. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_GENERATIONS * 4096);
	__type(key, __u32);
	__type(value, struct xpf_class_source);
} class_sources SEC(".maps");

/* Sized by the loader: two generations' regions, each [list id] → source prefix lengths,
 * longest first: the lists classes share. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_GENERATIONS * XPF_MAX_PREFIX_LISTS);
	__type(key, __u32);
	__type(value, struct xpf_class_value);
} prefix_lists SEC(".maps");

/* Where the class grid does not fit the arrays. Not preallocated: empty otherwise, its
 * buckets alone (16 bytes each) made; sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XPF_MAX_CLASSES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xpf_class_key);
	__type(value, struct xpf_class_value);
} classes SEC(".maps");

/* Sized by the loader (xpf_capacity_of): two generations' regions, each the root and room
 * for chunks. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_GENERATIONS * (XPF_SOURCE_ROOT + 64 * XPF_SOURCE_CHUNK));
	__type(key, __u32);
	__type(value, __u64);
} source_trie SEC(".maps");

/* Sized by the loader: two generations' class × node tables, where they fit. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_GENERATIONS * 4096);
	__type(key, __u32);
	__type(value, __u32);
} source_rules SEC(".maps");

/* A generation's rule entries of a family: a hash made for it when it is written, to the
 * entries the program may probe (those of classes without a span), and dropped whole when it
 * retires. A hash's size is not part of its layout: the templates' 1 is no limit. */
struct rule_hash4 {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(key_size, sizeof(struct xpf_rule_key4));	/* inner maps take sizes, not types */
	__uint(value_size, sizeof(struct xpf_rule_value));
};

struct rule_hash6 {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(key_size, sizeof(struct xpf_rule_key6));
	__uint(value_size, sizeof(struct xpf_rule_value));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, XPF_GENERATIONS);
	__type(key, __u32);
	__array(values, struct rule_hash4);
} rules_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, XPF_GENERATIONS);
	__type(key, __u32);
	__array(values, struct rule_hash6);
} rules_v6 SEC(".maps");

/* Sized by the loader to the rule set (bpf_map__set_max_entries): per-CPU memory, in blocks
 * of XPF_COUNTER_BLOCK rules. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XPF_MAX_RULES / XPF_COUNTER_BLOCK);
	__type(key, __u32);
	__type(value, struct xpf_counter_block);
} rule_stats SEC(".maps");

/* Shared, not per-CPU: the fragments of one datagram may arrive on different CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XPF_MAX_FRAGMENTS);
	__type(key, struct xpf_fragment_key);
	__type(value, struct xpf_fragment_value);
} fragments SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XPF_MAX_FRAGMENTS);
	__type(key, struct xpf_fragment_key4);
	__type(value, struct xpf_fragment_value);
} fragments_v4 SEC(".maps");

/* A generation's rule metadata, by rule id less the generation's first: an array made to its
 * rules (BPF_F_INNER_MAP: the sizes differ). User space's alone (user/kernel/rule_info.c). */
struct rule_info_array {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));	/* inner maps take sizes, not types */
	__uint(value_size, sizeof(struct xpf_rule_info));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, XPF_GENERATIONS);
	__type(key, __u32);
	__array(values, struct rule_info_array);
} rule_info SEC(".maps");

/* Sized by the loader like rule_stats, a rule id an element (maps.h, rule_carried). User
 * space's alone. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_MAX_RULES);
	__type(key, __u32);
	__type(value, struct xpf_counter);
} rule_carried SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xpf_meta);
} meta SEC(".maps");

struct verdict {
	__u32 action;		/* enum xpf_action */
	__u32 reason;		/* enum xpf_reason */
	__u32 rule_id;		/* with XPF_REASON_RULE */
};

static __always_inline struct verdict decided(__u32 action, __u32 reason)
{
	struct verdict v = { .action = action, .reason = reason };
	return v;
}

static __always_inline int lookup_local(__u32 generation, const struct xpf_config *config,
					const struct packet *pkt, struct xpf_local_value **local)
{
	return lookup_local_address(generation, config, pkt->family, pkt->destination, local);
}

/* The key of @pkt's datagram in the map that keeps it: IPv4 datagrams in fragments_v4 under
 * 12-byte keys (@key4), IPv6 in fragments under 40-byte ones (@key). */
static __always_inline void fragment_key_of(const struct packet *pkt,
					    struct xpf_fragment_key4 *key4,
					    struct xpf_fragment_key *key)
{
	if (pkt->family == AF_INET) {
		key4->id_protocol = pkt->fragment_id << 8 | pkt->fragment_protocol;
		__builtin_memcpy(key4->source, pkt->source, 4);
		__builtin_memcpy(key4->destination, pkt->destination, 4);
		return;
	}
	key->family = pkt->family;
	key->protocol = pkt->fragment_protocol;
	key->id = pkt->fragment_id;
	__builtin_memcpy(key->source, pkt->source, 16);
	__builtin_memcpy(key->destination, pkt->destination, 16);
}

/* The verdict recorded for the first fragment of @pkt's datagram, or NULL. */
static __always_inline struct xpf_fragment_value *first_fragment_of(const struct packet *pkt)
{
	struct xpf_fragment_key4 key4 = {};
	struct xpf_fragment_key key = {};

	fragment_key_of(pkt, &key4, &key);
	if (pkt->family == AF_INET)
		return bpf_map_lookup_elem(&fragments_v4, &key4);
	return bpf_map_lookup_elem(&fragments, &key);
}

static __always_inline void remember_fragment_verdict(const struct packet *pkt,
						      const struct xpf_fragment_value *value)
{
	struct xpf_fragment_key4 key4 = {};
	struct xpf_fragment_key key = {};

	fragment_key_of(pkt, &key4, &key);
	if (pkt->family == AF_INET)
		bpf_map_update_elem(&fragments_v4, &key4, value, BPF_ANY);
	else
		bpf_map_update_elem(&fragments, &key, value, BPF_ANY);
}

/* @prefix_len leading ones of a 32-bit word, in network byte order. */
static __always_inline __u32 prefix_mask(__s32 prefix_len)
{
	__u32 bits = prefix_len <= 0 ? 0 : prefix_len >= 32 ? 32 : prefix_len;

	/* bits == 0 shifts all 32 ones out of the low word: no branch for it. */
	return bpf_htonl((__u32)(0xffffffffull << (32 - bits)));
}

/* The IPv4 source trie's leaf for @source (network order), include/xpf/maps.h: the lengths of
 * the rule sources containing it and the longest of them. At most three array reads, each
 * inlined. Returns 0 where an entry cannot be read (the caller then probes every length:
 * slower, still exact). */
static __always_inline int source_leaf_v4(__u32 trie_base, __u32 source, __u64 *leaf)
{
	__u8 *bytes = (__u8 *)&source;
	__u32 index = trie_base + ((__u32)bytes[0] << 8 | bytes[1]);
	__u64 *entry = bpf_map_lookup_elem(&source_trie, &index);

	if (entry && (*entry & XPF_SOURCE_CHUNK_FLAG)) {
		index = trie_base + XPF_SOURCE_ROOT + (__u32)(*entry >> 1) * XPF_SOURCE_CHUNK +
			bytes[2];
		entry = bpf_map_lookup_elem(&source_trie, &index);
	}
	if (entry && (*entry & XPF_SOURCE_CHUNK_FLAG)) {
		index = trie_base + XPF_SOURCE_ROOT + (__u32)(*entry >> 1) * XPF_SOURCE_CHUNK +
			bytes[3];
		entry = bpf_map_lookup_elem(&source_trie, &index);
	}
	if (!entry || (*entry & XPF_SOURCE_CHUNK_FLAG))
		return 0;
	*leaf = *entry;
	return 1;
}

/* A hit in a rule hash: its verdict into @v. */
static __always_inline void take_rule(const struct xpf_rule_value *rule, struct verdict *v)
{
	v->action = rule->action;
	v->reason = XPF_REASON_RULE;
	v->rule_id = rule->rule_id;
}

/* An IPv6 rule lookup: the class the packet falls in and its source address. */
struct rule_query {
	__u32 generation;
	__u32 class_no;
	__u8 source[16];
};

/* A source address as a global function takes it: a pointer to 16 bytes. */
struct source_address {
	__u8 bytes[16];
};

/* Tuple-space search: one hash lookup per prefix length in @lens (the class's list), longest
 * first, skipping those not in @from (bit L: a rule source of length L contains the address);
 * the first hit is the longest-prefix rule. @class_key: the rule keys' first word, length 0.
 * One global function per family: each is verified once, not once per caller (ingress rows
 * and reply rows both use them), and an IPv4 packet hashes 8-byte keys. */
__noinline int lookup_rule_v4(__u32 class_key, __u32 source, __u64 from,
			      const struct xpf_class_value *lens, struct verdict *v)
{
	struct xpf_rule_key4 key = {};
	__u32 count, generation = class_key & 1;
	void *rules = bpf_map_lookup_elem(&rules_v4, &generation);

	if (!rules || !lens || !v)
		return 0;
	count = lens->prefix_len_count;
	for (__u32 i = 0; i < 33; i++) {
		struct xpf_rule_value *rule;
		__u32 len, masked;

		if (i >= count)
			break;
		len = lens->prefix_lens[i];
		if (len > 32 || !(from >> len & 1))
			continue;
		key.class_key = class_key | xpf_rule_class_key(0, len, 0);
		masked = source & prefix_mask(len);
		__builtin_memcpy(key.source, &masked, 4);
		rule = bpf_map_lookup_elem(rules, &key);
		if (rule) {
			take_rule(rule, v);
			return 1;
		}
	}
	return 0;
}

/* One IPv6 walk: what bpf_loop() hands each step. */
struct rule_walk6 {
	const struct rule_query *query;
	const struct xpf_class_value *lens;
	void *rules;			/* the generation's rule hash, looked up once */
	struct verdict *v;
	int found;
};

/* Step @i of the walk: the i-th longest prefix length. bpf_loop() lets the verifier check one
 * step for all 129 lengths instead of each in turn (a third of the program's verification). */
static long lookup_rule_v6_step(__u64 i, void *arg)
{
	struct rule_walk6 *walk = arg;
	struct xpf_rule_key6 key = {};
	struct xpf_rule_value *rule;
	__u32 len;

	if (i >= XPF_MAX_PREFIX_LENS)
		return 1;
	len = walk->lens->prefix_lens[i];
	key.class_key = xpf_rule_class_key(walk->query->generation, len, walk->query->class_no);
#pragma unroll
	for (int word = 0; word < 4; word++) {
		__u32 value;

		__builtin_memcpy(&value, walk->query->source + word * 4, 4);
		value &= prefix_mask((__s32)len - word * 32);
		__builtin_memcpy(key.source + word * 4, &value, 4);
	}
	rule = bpf_map_lookup_elem(walk->rules, &key);
	if (!rule)
		return 0;
	take_rule(rule, walk->v);
	walk->found = 1;
	return 1;
}

__noinline int lookup_rule_v6(const struct rule_query *query, const struct xpf_class_value *lens,
			      struct verdict *v)
{
	struct rule_walk6 walk = { .query = query, .lens = lens, .v = v };
	__u32 count, generation;

	if (!query || !lens || !v)
		return 0;
	generation = query->generation & 1;
	walk.rules = bpf_map_lookup_elem(&rules_v6, &generation);
	if (!walk.rules)
		return 0;
	count = lens->prefix_len_count;
	if (count > XPF_MAX_PREFIX_LENS)
		count = XPF_MAX_PREFIX_LENS;
	bpf_loop(count, lookup_rule_v6_step, &walk, 0);
	return walk.found;
}

/* The rule of the first of @count entries from @first whose prefix holds the source's @words
 * 32-bit words (network order), 0 if none: the bits that differ, under the mask, without a
 * branch. The entries are the packet's family's part of a span, so no family is compared.
 * Words, not wider loads: the source was stored 4 bytes at a time. */
static __always_inline __u32 scan_span(__u32 first, __u32 count, int words, const __u32 source[4])
{
	for (__u32 i = 0; i < XPF_CLASS_SOURCES_SCAN; i++) {
		struct xpf_class_source *entry;
		__u32 index = first + i, differ = 0;

		if (i >= count)
			break;
		entry = bpf_map_lookup_elem(&class_sources, &index);
		if (!entry)
			break;
#pragma unroll
		for (int w = 0; w < 4; w++)
			if (w < words)
				differ |= (source[w] ^ ((__u32 *)entry->source)[w]) &
					  ((__u32 *)entry->mask)[w];
		if (!differ)
			return entry->rule;
	}
	return 0;
}

/* A class's rule sources of the packet's family (@span: the class cell's high word), longest
 * first: the first that contains the source is the longest match, what the hash probes would
 * find, with independent array reads instead of a hash per length (or, for IPv4, the trie's
 * dependent ones). @base: the generation's region of class_sources. */
static __always_inline int scan_class_sources(__u32 base, __u32 span, __u8 family,
					      const __u8 *source, struct verdict *v)
{
	__u32 words[4], rule;

	__builtin_memcpy(words, source, 16);
	rule = family == AF_INET
		       ? scan_span(base + xpf_class_span_family_first(span, 1),
				   xpf_class_span_family_count(span, 1), 1, words)
		       : scan_span(base + xpf_class_span_family_first(span, 0),
				   xpf_class_span_family_count(span, 0), 4, words);
	/* One exit for every entry the loop may stop at. A rule is never 0 (its id + 1). */
	if (!rule)
		return 0;
	v->action = xpf_source_rule_action(rule);
	v->reason = XPF_REASON_RULE;
	v->rule_id = xpf_source_rule_id(rule);
	return 1;
}

/* The class grid's cell of (destination class, port class), NULL where no rule is: read where
 * config says the grid is in its arrays. */
static __always_inline __u64 *class_cell_of(const struct xpf_config *config, __u32 dest_class,
					    __u32 port_class)
{
	__u32 index;
	__u64 *cell;

	if (dest_class >= config->class_rows || port_class >= config->class_columns)
		return NULL;
	index = config->class_cells_base + dest_class * config->class_columns + port_class;
	cell = bpf_map_lookup_elem(&class_cells, &index);
	return cell && *cell ? cell : NULL;
}

static __always_inline __u32 rule_place(__u32 generation, __u8 family)
{
	return generation << 8 | family;
}

static __always_inline __u64 class_pair(__u32 dest_class, __u32 port_class)
{
	return (__u64)dest_class << 32 | port_class;
}

/* The rule for a source in (destination class, port class), if any, where the class has no
 * span of rule sources: into @v. The class comes from the class grid's arrays, or from the
 * classes hash when the generation's config says its grid did not fit them. For an IPv4 source
 * the source trie says which lengths can match: none (no rule source contains it) ends the
 * search before the class's prefix lengths are read, and where the generation has the trie's
 * rule table, that table holds the answer. Else the class's lengths are probed in the rule
 * hashes. @place: rule_place() of the generation and the source's family; @pair: class_pair()
 * of the destination and port class. A global function (five arguments at most, hence the
 * pairs): verified once for ingress rows and reply rows, its locals off the main program's
 * stack. Long function: per-packet code in one body, since clang orders the instructions of
 * any split of it differently (llvm-objdump -d) and the rule path is measured as it is. */
__noinline int probe_rule(const struct xpf_config *config, __u32 place, __u64 pair,
			  const struct source_address *source_address, struct verdict *v)
{
	__u32 generation = place >> 8 & 1, dest_class = pair >> 32, port_class = (__u32)pair;
	const struct xpf_class_value *lens = NULL;
	__u32 index, class_no, list = 0, source4, *rule_cell;
	__u8 family = (__u8)place, *source;
	struct rule_query query;
	__u64 from = ~0ull, leaf, *cell;

	if (!config || !source_address || !v)
		return 0;
	source = (__u8 *)source_address->bytes;
	if (!config->class_columns) {
		struct xpf_class_key class_key = {
			.generation = generation,
			.dest_class = dest_class,
			.port_class = port_class,
		};

		lens = bpf_map_lookup_elem(&classes, &class_key);
		if (!lens)
			return 0;
		class_no = lens->class_no;
	} else {
		cell = class_cell_of(config, dest_class, port_class);
		if (!cell)
			return 0;
		class_no = *cell & XPF_CELL_CLASS_MASK;
		list = (__u32)*cell >> XPF_CELL_CLASS_BITS;
	}
	__builtin_memcpy(&source4, source, 4);
	if (family == AF_INET && config->source_trie &&
	    source_leaf_v4(config->source_trie_base, source4, &leaf)) {
		from = XPF_SOURCE_LENS(leaf);
		if (!from)
			return 0;
		if (config->source_rule_stride) {
			index = config->source_rules_base +
				class_no * config->source_rule_stride + XPF_SOURCE_NODE(leaf);
			rule_cell = bpf_map_lookup_elem(&source_rules, &index);
			if (rule_cell) {
				if (!*rule_cell)
					return 0;
				v->action = xpf_source_rule_action(*rule_cell);
				v->reason = XPF_REASON_RULE;
				v->rule_id = xpf_source_rule_id(*rule_cell);
				return 1;
			}
		}
	}
	if (!lens) {
		index = config->prefix_lists_base + list;
		lens = bpf_map_lookup_elem(&prefix_lists, &index);
		if (!lens)
			return 0;
	}
	if (family == AF_INET)
		return lookup_rule_v4(xpf_rule_class_key(generation, 0, class_no), source4, from,
				      lens, v);
	query.generation = generation;
	query.class_no = class_no;
	__builtin_memcpy(query.source, source, 16);
	return lookup_rule_v6(&query, lens, v);
}

/* scan_class_sources() as a global function: the general path's and the reply rows' scan,
 * kept off their callers' stacks (the general path's, with parse_frame() below it, is at the
 * verifier's limit). @span: the class cell's high word. */
__noinline int scan_class_sources_apart(__u32 base, __u32 span, __u32 family,
					const struct source_address *source_address,
					struct verdict *v)
{
	if (!source_address || !v)
		return 0;
	return scan_class_sources(base, span, (__u8)family, source_address->bytes, v);
}

/* The rule for @source in (destination class, port class), if any: into @v. In the class
 * grid's arrays a class with few rule sources has their span, and the scan decides: a few
 * array reads, inline where @inline_scan (a constant: the fast path's ingress rows), else in
 * scan_class_sources_apart(). Other classes, and the classes hash, go to probe_rule(). This is
 * where a packet's source is looked up. */
static __always_inline int find_rule(__u32 generation, const struct xpf_config *config,
				     __u8 family, __u32 dest_class, __u32 port_class,
				     const __u8 *source, struct verdict *v, int inline_scan)
{
	__u64 *cell;
	__u32 span;

	if (config->class_columns && config->class_sources) {
		cell = class_cell_of(config, dest_class, port_class);
		if (!cell)
			return 0;
		span = *cell >> 32;
		/* xpf_class_span_count(), spelled out: called here too, clang spills a register
		 * on this path (the object otherwise the same). */
		if (span >> (32 - XPF_CELL_SPAN_COUNT_BITS) && !inline_scan)
			return scan_class_sources_apart(config->class_sources_base, span, family,
							(const struct source_address *)source, v);
		if (span >> (32 - XPF_CELL_SPAN_COUNT_BITS))
			return scan_class_sources(config->class_sources_base, span, family, source,
						  v);
	}
	return probe_rule(config, rule_place(generation, family),
			  class_pair(dest_class, port_class), (const struct source_address *)source,
			  v);
}

#endif /* XPF_CLASSIFY_H */
