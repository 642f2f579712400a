/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Source lists (`deny-list FILE`, `allow-list FILE`): which list, if any, decides a TCP/UDP
 * packet to a local address, before the rows do. BPF only; included by xpf.bpf.c. The layout
 * is in include/xpf/maps.h. A source in a /16 that no listed prefix meets costs one array
 * read; the probes of the prefix hashes and the walk of the lists run in global functions,
 * verified once, on the path of sources a list may hold.
 */
#ifndef XPF_LISTS_H
#define XPF_LISTS_H

#include "classify.h"

/* Both generations' roots, made at load (user/core/capacity.c): every root of both where the
 * rule set has lists, one element where it has none (its generations never read them, and a
 * reload that brings lists is refused). Two 4-byte slots an element (list_root()), since the
 * kernel keeps 8 bytes a value: 1.5 MiB, not 3. One array read, where a map of a generation's
 * own would add the outer map's. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_LIST_ROOT_PAIRS);
	__type(key, __u32);
	__type(value, __u64);
} list_roots SEC(".maps");

/* A generation's long bitmap, IPv4's words then IPv6's; none for a generation without lists. */
struct list_long_bitmap {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 2 * XPF_LIST_LONG_WORDS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, XPF_GENERATIONS);
	__type(key, __u32);
	__array(values, struct list_long_bitmap);
} list_long SEC(".maps");

/* A generation's prefixes of a family, sorted: an array made to their number (BPF_F_INNER_MAP:
 * the sizes differ). */
struct list_prefixes4 {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));	/* inner maps take sizes, not types */
	__uint(value_size, sizeof(struct xpf_list_entry4));
};

struct list_prefixes6 {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct xpf_list_entry6));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, XPF_GENERATIONS);
	__type(key, __u32);
	__array(values, struct list_prefixes4);
} list_prefix_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, XPF_GENERATIONS);
	__type(key, __u32);
	__array(values, struct list_prefixes6);
} list_prefix_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XPF_GENERATIONS * XPF_MAX_LISTS);
	__type(key, __u32);
	__type(value, struct xpf_list_rule);
} list_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XPF_GENERATIONS);
	__type(key, __u32);
	__type(value, struct xpf_list_lengths);
} list_lengths SEC(".maps");

/* A source being looked up by list_pick(). */
struct list_query {
	__u8 source[16];		/* the packet's, IPv4 in the first 4 bytes */
	__u8 destination[16];
	__u64 lists;			/* out: the lists holding source */
	__u32 generation;
	__u32 family_index;		/* 0 IPv4, 1 IPv6 */
	__u32 groups;			/* the root's bits: lengths that may hold source */
	__u16 port;
	__u8 transport_bit;		/* 1 TCP, 2 UDP */
	__u8 pad;
};

/* list_pick()'s query, one a CPU: kept off the stack, since list_pick() ends a chain of calls
 * (the program, the general path, list_pick(), a bpf_loop() step) whose frames the verifier
 * adds up to at most 512 bytes. No user-space part: not in xpf_map_names. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct list_query);
} list_query_scratch SEC(".maps");

struct list_walk {
	struct list_query *query;
	void *prefixes4;		/* the generation's prefix hash of the family: two */
	void *prefixes6;		/* fields, since the verifier keeps one map a slot */
	const struct xpf_list_lengths *lengths;
};

/* Halving steps of a search: enough for 2^32 entries. */
#define LIST_SEARCH_STEPS 32

/* The entry of @prefixes equal to (@len, @high, @low), by halves: its lists, or 0. */
static __always_inline __u64 list_search_v6(void *prefixes, __u32 count, __u32 len, __u64 high,
					    __u64 low)
{
	__u32 first = 0, end = count;

	for (int step = 0; step < LIST_SEARCH_STEPS && first < end; step++) {
		__u32 middle = first + (end - first) / 2;
		struct xpf_list_entry6 *e = bpf_map_lookup_elem(prefixes, &middle);

		if (!e)
			return 0;
		if (e->length == len && e->high == high && e->low == low)
			return e->lists;
		if (e->length < len || (e->length == len && (e->high < high ||
							     (e->high == high && e->low < low))))
			first = middle + 1;
		else
			end = middle;
	}
	return 0;
}

static __always_inline __u64 list_search_v4(void *prefixes, __u32 count, __u64 key)
{
	__u32 first = 0, end = count;

	for (int step = 0; step < LIST_SEARCH_STEPS && first < end; step++) {
		__u32 middle = first + (end - first) / 2;
		struct xpf_list_entry4 *e = bpf_map_lookup_elem(prefixes, &middle);

		if (!e)
			return 0;
		if (e->key == key)
			return e->lists;
		if (e->key < key)
			first = middle + 1;
		else
			end = middle;
	}
	return 0;
}

/* @len bits of a 64-bit half starting at bit @from of the address, in host order. */
static __always_inline __u64 list_half_mask(__u32 len, __u32 from)
{
	if (len >= from + 64)
		return ~0ull;
	if (len <= from)
		return 0;
	return ~0ull << (64 - (len - from));
}

/* Step @len of the IPv6 walk: search the prefixes at /len where the root and the lengths in
 * use say a listed prefix may be. */
static long list_probe_v6_step(__u64 len, void *arg)
{
	struct list_walk *walk = arg;
	struct list_query *q = walk->query;
	__u32 words[4];
	__u64 high, low;

	if (len < 1 || len > 128 || !(q->groups >> xpf_list_root_bit(1, len) & 1) ||
	    !(walk->lengths->v6[len >> 6] >> (len & 63) & 1))
		return 0;
	__builtin_memcpy(words, q->source, 16);
	high = (__u64)bpf_ntohl(words[0]) << 32 | bpf_ntohl(words[1]);
	low = (__u64)bpf_ntohl(words[2]) << 32 | bpf_ntohl(words[3]);
	q->lists |= list_search_v6(walk->prefixes6, walk->lengths->entries[1], len,
				   high & list_half_mask(len, 0), low & list_half_mask(len, 64));
	return 0;
}

static long list_probe_v4_step(__u64 len, void *arg)
{
	struct list_walk *walk = arg;
	struct list_query *q = walk->query;
	__u32 word;

	if (len < 1 || len > 32 || !(q->groups >> (len - 1) & 1))
		return 0;
	__builtin_memcpy(&word, q->source, 4);
	word = bpf_ntohl(word) & (__u32)(~0ull << (32 - len));
	q->lists |= list_search_v4(walk->prefixes4, walk->lengths->entries[0],
				   (__u64)len << 32 | word);
	return 0;
}

/* Whether the long bitmap lets a listed prefix of /24 (IPv6: /64) or longer hold the source.
 * A generation without a bitmap has no list. */
static __always_inline int list_long_may_hold(const struct list_query *q)
{
	__u32 words[2], bit, index, generation = q->generation;
	__u64 *word;
	void *bitmap;

	bitmap = bpf_map_lookup_elem(&list_long, &generation);
	if (!bitmap)
		return 0;
	__builtin_memcpy(words, q->source, 8);
	bit = q->family_index ? xpf_list_v6_long_bit(words[0], words[1])
			      : bpf_ntohl(words[0]) >> 8;
	index = q->family_index * XPF_LIST_LONG_WORDS + (bit >> 6);
	word = bpf_map_lookup_elem(bitmap, &index);
	return word && (*word >> (bit & 63) & 1);
}

/* The lists holding q->source, into q->lists. */
static __always_inline void list_holders(struct list_query *q)
{
	struct list_walk walk = { .query = q };
	struct xpf_list_lengths *lengths;
	__u32 long_bits, index = q->generation;

	long_bits = q->family_index ? XPF_LIST_LONG_ROOT_BITS_V6 : XPF_LIST_LONG_ROOT_BITS_V4;
	if ((q->groups & long_bits) && !list_long_may_hold(q))
		q->groups &= ~long_bits;
	if (!q->groups)
		return;
	lengths = bpf_map_lookup_elem(&list_lengths, &index);
	if (!lengths)
		return;
	walk.lengths = lengths;
	if (q->family_index) {
		walk.prefixes6 = bpf_map_lookup_elem(&list_prefix_v6, &index);
		if (walk.prefixes6)
			bpf_loop(129, list_probe_v6_step, &walk, 0);
	} else {
		walk.prefixes4 = bpf_map_lookup_elem(&list_prefix_v4, &index);
		if (walk.prefixes4)
			bpf_loop(33, list_probe_v4_step, &walk, 0);
	}
}

/* IPv4 addresses are zero past their 4 bytes, in the packet and in the rule alike. */
static __always_inline int same_address(const __u8 *a, const __u8 *b)
{
	__u64 x[2], y[2];

	__builtin_memcpy(x, a, 16);
	__builtin_memcpy(y, b, 16);
	return x[0] == y[0] && x[1] == y[1];
}

/* Whether list rule @r names the packet's transport, port and destination. */
static __always_inline int list_rule_applies(const struct xpf_list_rule *r,
					     const struct list_query *q)
{
	__u8 family = q->family_index ? AF_INET6 : AF_INET;

	if (!(r->protocols & q->transport_bit) || q->port < r->port_first ||
	    q->port > r->port_last)
		return 0;
	if (!r->destination_count)
		return 1;
	for (int i = 0; i < XPF_LIST_DESTINATIONS; i++) {
		const struct xpf_list_destination *d = &r->destinations[i];

		if (i >= r->destination_count)
			break;
		if (d->family == family && same_address(d->addr, q->destination))
			return 1;
	}
	return 0;
}

struct list_pick {
	struct list_query *query;
	struct verdict *verdict;
	int found;
};

static long list_pick_step(__u64 i, void *arg)
{
	struct list_pick *pick = arg;
	struct list_query *q = pick->query;
	struct xpf_list_rule *r;
	__u32 index;

	if (i >= XPF_MAX_LISTS || !(q->lists >> i & 1))
		return 0;
	index = q->generation * XPF_MAX_LISTS + (__u32)i;
	r = bpf_map_lookup_elem(&list_rules, &index);
	if (!r || !list_rule_applies(r, q))
		return 0;
	pick->verdict->action = r->action;
	pick->verdict->reason = XPF_REASON_RULE;
	pick->verdict->rule_id = r->rule_id;
	pick->found = 1;
	return 1;
}

/* The first list, in site file order, that holds the source and applies: its verdict in @v.
 * @packed: generation | family index << 1 | transport bit << 2 | destination port << 8; the
 * addresses are the packet's. Scalars and pointers only: the query lives in this frame. */
__noinline int list_pick(__u32 packed, __u32 groups, const struct source_address *source,
			 const struct source_address *destination, struct verdict *v)
{
	struct list_pick pick = { .verdict = v };
	struct list_query *q;
	__u32 zero = 0;

	if (!source || !destination || !v)
		return 0;
	q = bpf_map_lookup_elem(&list_query_scratch, &zero);
	if (!q)
		return 0;
	q->generation = packed & 1;
	q->family_index = packed >> 1 & 1;
	q->transport_bit = packed >> 2 & 3;
	q->port = packed >> 8;
	q->groups = groups;
	q->lists = 0;
	__builtin_memcpy(q->source, source->bytes, 16);
	__builtin_memcpy(q->destination, destination->bytes, 16);
	list_holders(q);
	if (!q->lists)
		return 0;
	pick.query = q;
	bpf_loop(XPF_MAX_LISTS, list_pick_step, &pick, 0);
	return pick.found;
}

/* Root slot @index (xpf_list_root_index()): the half of its element's 8 bytes it lies in. */
static __always_inline __u32 *list_root(__u32 index)
{
	__u32 pair = index >> 1;
	__u32 *slots = bpf_map_lookup_elem(&list_roots, &pair);

	return slots ? slots + (index & 1) : NULL;
}

/* The one call site (decide_ports(), on both paths): whether a list decides this TCP/UDP
 * packet to a local address. @source and @destination: 16 bytes each, IPv4 in the first 4. */
static __always_inline int list_decides(__u32 generation, __u8 family, __u8 protocol,
					const __u8 *source, const __u8 *destination,
					__u16 dest_port, struct verdict *v)
{
	__u32 family_index = family != AF_INET, index, groups, words[2];
	__u32 *root;

	index = xpf_list_root_index(generation, 0, (__u32)source[0] << 8 | source[1]);
	if (family_index) {
		__builtin_memcpy(words, source, 8);
		index = xpf_list_root_index(generation, 2,
					    xpf_list_v6_root_hash(words[0], words[1]));
	}
	root = list_root(index);
	if (!root || !*root)
		return 0;
	groups = *root;
	/* (In an IPv4 root, that bit is /32's.) */
	if (family_index && (groups & XPF_LIST_SHORT_V6)) {
		index = xpf_list_root_index(generation, 1, (__u32)source[0] << 8 | source[1]);
		root = list_root(index);
		groups = (groups & ~XPF_LIST_SHORT_V6) | (root ? *root : 0);
		if (!groups)
			return 0;
	}
	return list_pick(generation | family_index << 1 |
				 (protocol == IPPROTO_UDP ? 2 : 1) << 2 | (__u32)dest_port << 8,
			 groups, (const struct source_address *)source,
			 (const struct source_address *)destination, v);
}

#endif /* XPF_LISTS_H */
