/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Map keys and values, reason codes and limits shared by the XDP program (bpf/) and the xpf
 * command (user/). Included by both sides; holds nothing else.
 *
 * Classification, one packet:
 *   in_force.generation                → generation g (0 or 1) of the rule image in force
 *   in_force.config[g]                 → policies, audit flag (struct xpf_in_force: global
 *                                        data of the programs, no lookup)
 *   local_slots[g][slot of dst]        → destination class (address differs: not local)
 *     (slot: a multiplicative hash the loader chose so that no two local addresses share a
 *      slot; where it found none, config[g].local_slot_shift == 0 and the local_addrs hash
 *      {g, family, dst} is used instead)
 *   port_classes[g][0][proto].port_class[dst port] → port class (0: no rule names this port)
 *   source_trie[g][src bits 0-15] → [chunk][bits 16-23] → [chunk][bits 24-31]
 *                                      → lengths of the IPv4 rule sources containing src, and
 *                                        the longest of them (node)
 *     (arrays only; the empty set: no rule can match. config[g].source_trie == 0 where the
 *      trie did not fit: every length a class uses is a candidate)
 *   class_cells[g][dest class][port class] → class number + prefix list id (0: no rule there),
 *                                      and where the class has few rule sources their span:
 *   class_sources[g][first .. first + count - 1] → the class's rule sources, longest first,
 *                                      each with its rule: the first that contains src is the
 *                                      longest match. Done, for either family, without the trie
 *                                      or a hash (config[g].class_sources == 0: no spans)
 *   source_rules[g][class number][node] → an IPv4 source's rule, where the table fits: done
 *   prefix_lists[g][list id]           → prefix lengths in use there, longest first
 *     (a rule set whose classes do not fit those arrays: classes{g, dest class, port class} →
 *      class number + prefix lengths, a hash; config[g].class_columns == 0 says so)
 *   rules_v4{g, prefix len, class number, source masked} → rule id + action (8-byte key),
 *     probed for the class's lengths, longest first, that a rule source containing src has:
 *     the first hit is the longest match
 *   rules_v6{...the same, 16-byte source}                → rule id + action (20-byte key)
 * A TCP/UDP packet no rule decides may be the reply to a flow the host opened (flows map,
 * written by the egress program); it is then counted on the outbound row it answers, found the
 * same way with the local address's reply class and port_classes[g][1][proto], by src port.
 * A reload writes generation !g beside g and then flips in_force.generation: one store, so a
 * packet sees one complete image or the other.
 */
#ifndef XPF_MAPS_H
#define XPF_MAPS_H

#include <linux/types.h>

#define XPF_GENERATIONS 2
#define XPF_AF_INET 2			/* AF_INET: BPF programs have no <sys/socket.h> */
#define XPF_MAX_LOCAL_ADDRS 4096
#define XPF_MAX_CLASSES 262144
#define XPF_MAX_RULE_ENTRIES 1048576
#define XPF_MAX_RULES 262144		/* rule ids, both generations together */
#define XPF_MAX_FRAGMENTS 4096		/* datagrams whose first fragment was seen, a family */
#define XPF_PORTS 65536
#define XPF_TRANSPORTS 2		/* index 0: TCP, 1: UDP */
#define XPF_DIRECTIONS 2		/* index 0: ingress rows by destination port;
					 * 1: outbound rows by a reply's source port */
/* port_classes: one value a (generation, direction, transport), each port's class in it */
#define XPF_PORT_CLASS_REGIONS (XPF_GENERATIONS * XPF_DIRECTIONS * XPF_TRANSPORTS)
#define XPF_MAX_PREFIX_LENS 129		/* /0 to /128 */
/* The (destination class, port class) grid of one generation, as an array: two array lookups,
 * which the verifier inlines, instead of a hash lookup. The loader sizes class_cells and
 * prefix_lists to the rule set (core/capacity.h), each generation its region (the config's
 * class_cells_base, prefix_lists_base), at most these: 8 bytes a cell, 136 a prefix list (the
 * Director table has 8 lists, the 100,000-rule benchmark set 7,004). A rule set with more
 * cells, or more distinct prefix lists, than its generation's region uses the classes hash
 * instead. */
#define XPF_CLASS_CELLS_PER_GENERATION 524288
#define XPF_MAX_PREFIX_LISTS 8192	/* per generation, id 0 unused */
/* A class_cells value: the class number in the low XPF_CELL_CLASS_BITS, the prefix list id
 * above it (0: no rule in the cell), both in the low word; in the high word the class's span
 * of class_sources: its first entry in the generation's region, how many of its entries are
 * IPv4 (they come first, the IPv6 ones after them) and, in the top XPF_CELL_SPAN_COUNT_BITS,
 * how many in all (0: no span, the class has more rule sources than the program scans). A
 * packet scans its own family's entries only. Class numbers are below XPF_MAX_CLASSES. */
#define XPF_CELL_CLASS_BITS 18
#define XPF_CELL_CLASS_MASK ((1u << XPF_CELL_CLASS_BITS) - 1)
#define XPF_CELL_SPAN_COUNT_BITS 4
#define XPF_CELL_SPAN_FIRST_BITS (32 - 2 * XPF_CELL_SPAN_COUNT_BITS)
#define XPF_CELL_SPAN_FIRST_MASK ((1u << XPF_CELL_SPAN_FIRST_BITS) - 1)
#define XPF_CELL_SPAN_COUNT_MASK ((1u << XPF_CELL_SPAN_COUNT_BITS) - 1)
/* The most rule sources of one class the program scans: past this many, a hash probe per
 * length is cheaper than the scan. (Classes of the Director table have 1 or 2; of the
 * 100,000-rule benchmark set, 99.97 % have at most 5.) */
#define XPF_CLASS_SOURCES_SCAN 8

/* The high word of a class cell: @count sources from @first, the first @v4_count of them IPv4
 * (0, 0, 0: no span). */
static inline __u32 xpf_class_span(__u32 first, __u32 count, __u32 v4_count)
{
	return count << (32 - XPF_CELL_SPAN_COUNT_BITS) |
	       (v4_count & XPF_CELL_SPAN_COUNT_MASK) << XPF_CELL_SPAN_FIRST_BITS |
	       (first & XPF_CELL_SPAN_FIRST_MASK);
}

static inline __u32 xpf_class_span_first(__u32 span)
{
	return span & XPF_CELL_SPAN_FIRST_MASK;
}

static inline __u32 xpf_class_span_count(__u32 span)
{
	return span >> (32 - XPF_CELL_SPAN_COUNT_BITS);
}

static inline __u32 xpf_class_span_v4_count(__u32 span)
{
	return span >> XPF_CELL_SPAN_FIRST_BITS & XPF_CELL_SPAN_COUNT_MASK;
}

/* The part of a span a packet of @family scans: its first entry, from the span's, and how
 * many (@is_v4: the family is IPv4). */
static inline __u32 xpf_class_span_family_first(__u32 span, int is_v4)
{
	return xpf_class_span_first(span) + (is_v4 ? 0 : xpf_class_span_v4_count(span));
}

static inline __u32 xpf_class_span_family_count(__u32 span, int is_v4)
{
	return is_v4 ? xpf_class_span_v4_count(span)
		     : xpf_class_span_count(span) - xpf_class_span_v4_count(span);
}

static inline __u64 xpf_class_cell(__u32 class_no, __u32 list, __u32 span)
{
	return (__u64)span << 32 | list << XPF_CELL_CLASS_BITS | class_no;
}

/* One rule source of a class (class_sources): its prefix, masked, its mask, and the rule of
 * the class for it (xpf_source_rule_of()). IPv4 in the first 4 bytes, the rest zero: one
 * comparison of 16 bytes under the mask, without a branch, serves both families. */
struct xpf_class_source {
	__u8 source[16];
	__u8 mask[16];
	__u32 rule;
	__u8 family;
	__u8 prefix_len;
	__u8 pad[2];
};
/* Slots of the local-address table, per generation (a power of two). A perfect hash is found
 * for up to some hundred addresses; more use the local_addrs hash. */
#define XPF_LOCAL_SLOT_BITS 12
#define XPF_LOCAL_SLOTS (1u << XPF_LOCAL_SLOT_BITS)
#define XPF_MAX_VLAN_TAGS 2
#define XPF_MAX_IPV6_EXT_HEADERS 8

enum xpf_direction_index {
	XPF_INGRESS_ROWS = 0,
	XPF_REPLY_ROWS = 1,
};

/* A port_classes value: the class of each port of one transport, in one direction of one
 * generation (0: no rule names the port). A region is one value, written in one update, with
 * no padding: an array's elements are 8-byte aligned, and a 4-byte class an element took 8. */
struct xpf_port_class_region {
	__u32 port_class[XPF_PORTS];
};

static inline __u32 xpf_port_class_region(__u32 generation, __u32 direction, __u32 transport)
{
	return (generation * XPF_DIRECTIONS + direction) * XPF_TRANSPORTS + transport;
}

enum xpf_transport {
	XPF_TRANSPORT_TCP = 0,
	XPF_TRANSPORT_UDP = 1,
};

enum xpf_action {
	XPF_ACTION_PASS = 1,
	XPF_ACTION_DROP = 2,		/* PASS + 1: xpf_source_rule_action() */
};

enum xpf_fragment_policy {
	XPF_FRAGMENTS_TRACK = 1,
	XPF_FRAGMENTS_DROP = 2,
};

/* Why a packet was decided without a rule; index into xpf_cpu_state.reasons. */
enum xpf_reason {
	XPF_REASON_RULE = 0,		/* decided by a rule: counted in rule_stats too */
	XPF_REASON_NON_IP,
	XPF_REASON_ICMP,
	XPF_REASON_NOT_LOCAL,
	XPF_REASON_DEFAULT,
	XPF_REASON_REPLY,
	XPF_REASON_OTHER_PROTO,
	XPF_REASON_FRAGMENT,
	XPF_REASON_MALFORMED,
	XPF_REASON_UNCONFIGURED,	/* no rule set in force (never on an interface): drop */
	XPF_REASON_COUNT,
};

/* A generation's configuration, one of the two in struct xpf_in_force: 128 bytes from the start of
 * a page, so that what every packet reads (the policies, the destination's slot hash, the class
 * grid and its spans, the drop log's rate) lies in one cache line. */
struct xpf_config {
	__u8 loaded;			/* 0 until the loader has written this generation */
	__u8 audit;			/* drops become passes, counted as would_drop */
	__u8 policy_default;		/* enum xpf_action: local TCP/UDP no rule admits */
	__u8 policy_other;		/* enum xpf_action: IP not addressed to a local role */
	__u8 policy_icmp;		/* enum xpf_action: ICMP/ICMPv6 to local addresses */
	__u8 policy_fragments;		/* enum xpf_fragment_policy */
	__u8 has_lists;			/* 1: deny-list/allow-list rules: list_decides() asks */
	__u8 pad;
	__u32 local_slot_shift;		/* 32 - bits of the slot table in use; 0: no slot table,
					 * local addresses are in the local_addrs hash */
	__u32 local_multipliers[4];	/* of the slot hash: xpf_local_slot_of() */
	__u32 class_rows;		/* destination class ids 0 .. class_rows - 1 */
	__u32 class_columns;		/* port class ids 0 .. class_columns - 1; 0: classes are
					 * in the classes hash, not in class_cells */
	__u32 class_sources;		/* 1: class_cells carry spans of class_sources */
	__u32 class_sources_base;	/* this generation's region of class_sources */
	__u32 log_rate;			/* drop-log events a second, whole filter; 0: off */
	__u32 log_tolerance_ns;		/* XPF_LOG_BURST_SECONDS s - 1 s / log_rate: how far ahead
					 * the log bucket may run (no division per drop) */
	__u32 source_trie;		/* 1: IPv4 sources go through source_trie; 0: every
					 * length a class uses is probed */
	__u32 source_trie_base;		/* this generation's region of source_trie */
	__u32 source_rule_stride;	/* nodes + 1; 0: no source_rules, rules_v4 probed */
	/* 64: what fewer packets read */
	__u32 source_rules_base;	/* this generation's region of source_rules */
	__u32 tcp_timeout_s;		/* idle timeout of an established flow the host opened */
	__u32 tcp_transitory_timeout_s;	/* SYN sent / closing */
	__u32 udp_timeout_s;
	/* CLOCK_REALTIME ns: a reload made with --confirm reverts then unless `xpf confirm`
	 * clears it; 0: nothing waits. User space's; the program never reads it. */
	__u64 revert_at_ns;
	__u32 class_cells_base;		/* this generation's region of class_cells */
	__u32 prefix_lists_base;	/* this generation's region of prefix_lists */
	__u8 reserved[32];
};

/* The rule set in force: both generations' configurations and which of them packets read.
 * The XDP and egress programs hold it as a global variable (bpf/shared_maps.h), which they
 * address directly, without a map lookup; user space sees the one-element array map behind it
 * (user/kernel/generation.c). A reload writes config[!generation], then generation: one store
 * of one byte's change, so a packet sees one complete configuration or the other. */
struct xpf_in_force {
	struct xpf_config config[XPF_GENERATIONS];
	__u32 generation;
	/* 1: every packet takes the XDP program's general path, never its fast path (the BPF
	 * tests run each verdict through both; xpf never sets it, and keeps it over a flip). */
	__u32 general_only;
};

struct xpf_local_key {
	__u8 generation;
	__u8 family;			/* AF_INET or AF_INET6 */
	__u8 pad[2];
	__u8 addr[16];			/* IPv4 in the first 4 bytes, the rest zero */
};

struct xpf_local_value {
	__u32 dest_class;		/* local addresses that every ingress row treats alike */
	__u32 reply_class;		/* ... every outbound row (replies are counted on them) */
};

/* One slot of the local-address table: family 0 is an empty slot. */
struct xpf_local_slot {
	__u8 addr[16];			/* IPv4 in the first 4 bytes, the rest zero */
	struct xpf_local_value value;
	__u8 family;
	__u8 pad[3];
};

/* The slot of an address: a multiplicative hash of its 32-bit words (as they lie in memory,
 * so that the loader and the program agree on any byte order), the top bits kept. Four
 * independent multiplies: a few cycles, against a BPF hash lookup's jhash and bucket walk. */
static inline __u32 xpf_local_slot_of(const struct xpf_config *config, __u8 family,
				      const __u8 *addr)
{
	__u32 w[4], x;

	__builtin_memcpy(w, addr, 16);
	x = w[0] * config->local_multipliers[0];
	if (family != XPF_AF_INET)
		x ^= w[1] * config->local_multipliers[1] ^ w[2] * config->local_multipliers[2] ^
		     w[3] * config->local_multipliers[3];
	return (x >> (config->local_slot_shift & 31)) & (XPF_LOCAL_SLOTS - 1);
}

struct xpf_class_key {
	__u8 generation;
	__u8 pad[3];
	__u32 dest_class;
	__u32 port_class;
};

struct xpf_class_value {
	__u32 prefix_len_count;
	__u32 class_no;			/* in the classes hash: the class's number (rule keys) */
	__u8 prefix_lens[XPF_MAX_PREFIX_LENS + 3];	/* longest first */
};

/*
 * Which IPv4 rule source prefixes contain a source address: a multibit trie (strides 16, 8, 8)
 * of ARRAY entries, so that a source costs at most three inlined array reads, and only the
 * lengths that can match are probed in rules_v4 (for a source no rule names, none). Built by
 * the loader from the rule entries' sources (user/core/source_trie.c). A generation's region: the
 * root (2^16 entries, by the address's first 16 bits), then chunks of 256 entries, each by the
 * next byte. An entry is a chunk (chunk number << 1 | XPF_SOURCE_CHUNK_FLAG) or a leaf: the
 * set of lengths of the rule sources containing every address below it (bit L: a /L) and the
 * longest of them, its node (0: none).
 * Where the classes × nodes fit (config.source_rule_stride != 0), source_rules[class number *
 * stride + node] holds each class's rule for the node's addresses, found by the loader: the
 * class's rule of the longest source containing them. Then no hash is probed at all.
 * IPv6 sources would need up to 15 reads, more than the hash lookups they save.
 */
#define XPF_SOURCE_ROOT_BITS 16
#define XPF_SOURCE_ROOT (1u << XPF_SOURCE_ROOT_BITS)
#define XPF_SOURCE_CHUNK 256
#define XPF_SOURCE_CHUNK_FLAG 1ull
#define XPF_SOURCE_LENS(entry) ((entry) >> 1 & ((1ull << 33) - 1))
#define XPF_SOURCE_NODE(entry) ((__u32)((entry) >> 34))
#define XPF_SOURCE_LEAF(lens, node) ((__u64)(node) << 34 | (lens) << 1)
#define XPF_MAX_SOURCE_CHUNKS 4096		/* per generation: 8 MiB (8 bytes an entry) */
#define XPF_MAX_SOURCE_RULES 262144		/* cells per generation: 2 MiB */

/* A source_rules cell: rule id + 1 (0: no rule) and the action in the top bit. */
static inline __u32 xpf_source_rule_of(__u32 rule_id, __u32 action)
{
	return (rule_id + 1) | (action == XPF_ACTION_DROP ? 1u << 31 : 0);
}

static inline __u32 xpf_source_rule_id(__u32 cell)
{
	return (cell & ~(1u << 31)) - 1;
}

/* Without a branch (XPF_ACTION_DROP is XPF_ACTION_PASS + 1): one path for the verifier to
 * follow from a rule found in an array, not one per action. */
static inline __u32 xpf_source_rule_action(__u32 cell)
{
	return XPF_ACTION_PASS + (cell >> 31);
}

/* The first word of a rule key: generation (bit 0), source prefix length (bits 1-8) and the
 * number of the (destination class, port class) class (bits 9-31). One map per family keeps
 * the IPv4 key at 8 bytes: the kernel's jhash and key compare scale with the key. */
static inline __u32 xpf_rule_class_key(__u32 generation, __u32 prefix_len, __u32 class_no)
{
	return generation | prefix_len << 1 | class_no << 9;
}

struct xpf_rule_key4 {
	__u32 class_key;		/* xpf_rule_class_key() */
	__u8 source[4];			/* masked to the prefix length */
};

struct xpf_rule_key6 {
	__u32 class_key;
	__u8 source[16];
};

struct xpf_rule_value {
	__u32 rule_id;			/* index into rule_stats */
	__u32 action;			/* enum xpf_action */
};

/* IPv4 datagrams: 12 bytes to hash instead of 40. */
struct xpf_fragment_key4 {
	__u32 id_protocol;		/* identification << 8 | protocol */
	__u8 source[4];
	__u8 destination[4];
};

struct xpf_fragment_key {
	__u8 family;
	__u8 protocol;
	__u8 pad[2];
	__u32 id;			/* IPv4: 16-bit identification; IPv6: fragment header id */
	__u8 source[16];
	__u8 destination[16];
};

struct xpf_fragment_value {
	__u32 action;			/* enum xpf_action decided for the first fragment */
	__u32 rule_id;
	__u8 protocol;			/* upper-layer protocol of the first fragment */
	__u8 pad;
	__u16 l4_offset;		/* bytes from the fragmentable part to its L4 header */
};

/*
 * Flows the host opened, written by the egress program (bpf/egress.bpf.c), read by the XDP
 * program to admit their replies. Keyed from the host's side.
 */
/* The flows map's entries where the site file says no `flows max` (the loader sizes the map; a
 * flow the LRU forgets has its replies judged by the rules). */
#define XPF_DEFAULT_FLOWS 16384
#define XPF_FLOW_REFRESH_NS 1000000000ull	/* egress rewrites an entry at most once a second */
#define XPF_TCP_TRANSITORY_TIMEOUT_S 30		/* SYN sent, or FIN/RST seen */
#define XPF_DEFAULT_TCP_TIMEOUT_S 300		/* established, since the host's last packet */
#define XPF_DEFAULT_UDP_TIMEOUT_S 60

enum xpf_flow_state {
	XPF_FLOW_UDP = 1,
	XPF_FLOW_TCP_SYN_SENT,
	XPF_FLOW_TCP_ESTABLISHED,
	XPF_FLOW_TCP_CLOSING,
};

struct xpf_flow_key {
	__u8 family;
	__u8 protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	__u16 local_port;		/* host byte order */
	__u16 remote_port;
	__u8 pad[2];
	__u8 local[16];
	__u8 remote[16];
};

/* reply_hints[slot] → the coarse time egress last wrote a flow whose remote address, port and
 * protocol fall in the slot (0: never). Written with every write of a flow's last_seen_ns, so
 * a flow that is still fresh has a hint younger than the longest timeout: a packet whose slot
 * is older (a UDP or ACK flood to a closed port) skips the flows lookup. Collisions only cost
 * a lookup. */
#define XPF_REPLY_HINT_BITS 16
#define XPF_REPLY_HINTS (1u << XPF_REPLY_HINT_BITS)

/* @remote_fold: the remote address's 32-bit words XORed (IPv4: the address itself); @port in
 * host order. A multiplicative hash, top bits kept. */
static inline __u32 xpf_reply_hint_slot(__u32 remote_fold, __u16 port, __u8 protocol)
{
	return ((remote_fold ^ ((__u32)port << 8 | protocol)) * 0x9e3779b1u) >>
	       (32 - XPF_REPLY_HINT_BITS);
}

struct xpf_flow_value {
	__u64 last_seen_ns;		/* bpf_ktime_get_coarse_ns() of the host's last packet */
	__u32 state;			/* enum xpf_flow_state */
	__u32 pad;
};

/* Per-CPU; summed by user space. Used for rules and for reasons alike. */
struct xpf_counter {
	__u64 packets;
	__u64 bytes;
	__u64 last_seen_ns;		/* bpf_ktime_get_coarse_ns() of the last hit */
	__u64 would_drop;		/* audit mode: packets passed that would have been dropped */
};

/* reason_stats' one per-CPU value: every reason's counter, and beside them what the XDP
 * program keeps for each packet's exit (bpf/record.h): its tick clock and the denied record's
 * sampling window. One per-CPU value a packet reads, not two. */
struct xpf_cpu_state {
	__u64 jiffies;			/* the coarse clock, read once a tick */
	__u64 coarse_ns;
	__u64 denied_window;		/* coarse_ns >> XPF_DENIED_WINDOW_SHIFT, reset at a tick */
	__u32 denied_drops;		/* drops of this CPU in that window */
	__u32 pad;
	__u64 log_full_at_ns;		/* the log bucket's full_at_ns as this CPU last read it:
					 * it only grows, so while now + tolerance is below it the
					 * bucket has no token and is not read */
	struct xpf_counter reasons[XPF_REASON_COUNT];
};

/* rule_stats holds the rules' counters XPF_COUNTER_BLOCK to an element: rule id r is
 * counters[r % XPF_COUNTER_BLOCK] of element r / XPF_COUNTER_BLOCK. The kernel allocates a
 * per-CPU array's memory element by element, and 262,144 elements took 0.19 s of a load;
 * 16,384 blocks take a third of that. A generation's ids start on a block. */
#define XPF_COUNTER_BLOCK 16

struct xpf_counter_block {
	struct xpf_counter counters[XPF_COUNTER_BLOCK];
};

/*
 * What xpf needs to print its counters, kept in the kernel beside them so that any later xpf
 * command finds it from the interface alone (no files, no bpffs). The XDP program never reads
 * these on its hot path.
 */
#define XPF_INFO_LABEL_MAX 48
#define XPF_INFO_NAME_MAX 64
#define XPF_INFO_PATH_MAX 192
#define XPF_INFO_CAPTION_MAX 192
#define XPF_MAX_ORIGINS 64			/* tables a site takes rows from */
#define XPF_RULE_ORIGINS 4			/* of them, named in a rule's info */
#define XPF_DIGEST_HEX_SIZE 65			/* a SHA-256 in hex, and its NUL */

/* A table rules came from: its page and its caption (cut to fit; "" when it has none). */
struct xpf_origin_info {
	char table[XPF_INFO_NAME_MAX];
	char caption[XPF_INFO_CAPTION_MAX];
};

struct xpf_rule_info {
	char label[XPF_INFO_LABEL_MAX];		/* protocol cell as published */
	char source[XPF_INFO_NAME_MAX];		/* role name or literal prefix */
	char destination[XPF_INFO_NAME_MAX];
	__u32 line;				/* row's line in its file */
	__u16 port_first;
	__u16 port_last;
	__u8 protocols;				/* bit 0: TCP, bit 1: UDP */
	__u8 action;				/* enum xpf_action */
	__u8 direction;				/* 0 ingress, 1 outbound, 2 not for this host */
	__u8 from_site;				/* 1: site file row, 0: table row */
	/* The tables a table row came from, its own first: meta.origins[g][origins[i] - 1];
	 * 0 past the last (a rule from more tables names its first XPF_RULE_ORIGINS). */
	__u8 origins[XPF_RULE_ORIGINS];
};

/* rule_carried[rule id]: the counts of the same rule in earlier generations, carried over
 * reloads. Kept apart from the per-CPU counter, because user space cannot add to a per-CPU
 * value the program is incrementing without losing increments; and apart from rule_info, an
 * array by id, so that a reload writes a generation's carried counts as one range (no walk of
 * rule_info, no rewrite of its values). Zero for a generation's ids until its carry. */

enum xpf_egress_attach {
	XPF_EGRESS_NONE = 0,
	XPF_EGRESS_TCX,			/* a tcx link, pinned beside the maps */
	XPF_EGRESS_CLSACT,		/* a tc filter on a clsact qdisc that was there */
	XPF_EGRESS_CLSACT_CREATED,	/* ... on a clsact qdisc xpf added: removed with it */
};

/* Rule ids of generation g are g * rule_id_span + 0 .. rule_count[g] - 1. */
struct xpf_meta {
	__u32 rule_count[XPF_GENERATIONS];
	__u32 rule_id_span;
	__u32 attach_mode;			/* enum xdp_attach_mode of libxdp */
	__u32 egress_attach;			/* enum xpf_egress_attach */
	__u32 pad;
	__u64 loaded_at_ns[XPF_GENERATIONS];	/* CLOCK_REALTIME, ns */
	char site[XPF_GENERATIONS][XPF_INFO_PATH_MAX];	/* site file of each generation */
	char table[XPF_GENERATIONS][XPF_INFO_PATH_MAX];
	__u32 rule_entries[XPF_GENERATIONS][2];	/* in rules_v4, rules_v6 */
	__u32 origin_count[XPF_GENERATIONS];
	struct xpf_origin_info origins[XPF_GENERATIONS][XPF_MAX_ORIGINS];
	/* Each generation's policy digest: SHA-256 of its host-independent policy text, in
	 * lowercase hex (user/cli/policy_digest.h); "" when the loader gave none. */
	char digest[XPF_GENERATIONS][XPF_DIGEST_HEX_SIZE];
	__u32 list_entries[XPF_GENERATIONS][2];	/* in list_prefix_v4, list_prefix_v6 */
};

_Static_assert(sizeof(struct xpf_rule_info) == 192, "rule info layout");
_Static_assert(XPF_GENERATIONS * (__u64)XPF_MAX_RULE_ENTRIES <= XPF_CELL_SPAN_FIRST_MASK + 1ull,
	       "a span's first entry fits its bits");
_Static_assert(sizeof(struct xpf_config) == 128 &&
		       __builtin_offsetof(struct xpf_config, source_rules_base) == 64, "config layout");
_Static_assert(sizeof(struct xpf_flow_key) == 40, "flow key layout");
_Static_assert(sizeof(struct xpf_flow_value) == 16, "flow value layout");
_Static_assert(sizeof(struct xpf_local_key) == 20, "local key layout");
_Static_assert(sizeof(struct xpf_class_key) == 12, "class key layout");
_Static_assert(sizeof(struct xpf_local_slot) == 28, "local slot layout");
_Static_assert(sizeof(struct xpf_class_value) == 140, "class value layout");
_Static_assert(sizeof(struct xpf_rule_key4) == 8 && sizeof(struct xpf_rule_key6) == 20,
	       "rule key layout");
_Static_assert(sizeof(struct xpf_fragment_key) == 40 && sizeof(struct xpf_fragment_key4) == 12,
	       "fragment key layout");
_Static_assert(sizeof(struct xpf_counter) == 32, "counter layout");
_Static_assert(sizeof(struct xpf_class_source) == 40, "class source layout");

/*
 * The denied side (bpf/record.h): what was dropped, in bounded memory. Updated only for drop
 * verdicts (audit mode: would-drops), never for passes. Per-CPU LRU hashes: no atomics on the
 * drop path, and a flood of new sources evicts the oldest entries instead of failing. Their
 * memory is per CPU: a few thousand entries show the heaviest droppers, which are what the
 * view is for, without tens of MiB on a many-core machine.
 */
#define XPF_MAX_DENIED_PORTS 4096
#define XPF_MAX_DENIED_SOURCES 4096
#define XPF_DENIED_PREFIX_V4 24
#define XPF_DENIED_PREFIX_V6 64

struct xpf_denied_port_key {
	__u16 port;			/* destination port, host order; 0 without one */
	__u8 protocol;			/* IP protocol number */
	__u8 pad;
};

struct xpf_denied_source_key {
	__u8 family;			/* AF_INET or AF_INET6 */
	__u8 prefix_len;		/* XPF_DENIED_PREFIX_V4 or _V6 */
	__u8 pad[2];
	__u8 prefix[8];			/* source masked to prefix_len; IPv4 in the first 4 */
};

/* Drops by source prefix, protocol, destination port and destination address together: what
 * `xpf suggest` turns into rows. */
#define XPF_MAX_DENIED_FLOWS 4096

struct xpf_denied_flow_key {
	__u8 family;			/* AF_INET or AF_INET6 */
	__u8 prefix_len;		/* XPF_DENIED_PREFIX_V4 or _V6 */
	__u8 protocol;			/* IP protocol number */
	__u8 pad;
	__u16 port;			/* destination port, host order; 0 without one */
	__u8 pad2[2];
	__u8 prefix[8];			/* source masked to prefix_len; IPv4 in the first 4 */
	__u8 destination[16];		/* IPv4 in the first 4 */
};

_Static_assert(sizeof(struct xpf_denied_flow_key) == 32, "denied flow key layout");

struct xpf_denied_counter {
	__u64 packets;
	__u64 bytes;
};

/*
 * Two LRU updates on every drop would cost a drop flood a third of its rate. Each CPU counts
 * its drops in windows of 2^XPF_DENIED_WINDOW_SHIFT ns (about 4 ms): the first
 * XPF_DENIED_EXACT_PER_WINDOW of a window are recorded one by one, exactly; past them one
 * drop in XPF_DENIED_SAMPLE_EVERY (the middle one of each group) is recorded for
 * XPF_DENIED_SAMPLE_EVERY packets (and as many times its bytes). Below some 60,000 drops a
 * second per CPU the record is exact; above, an estimate, and `estimated_drops` says how many
 * of its packets were counted that way.
 */
#define XPF_DENIED_WINDOW_SHIFT 22
#define XPF_DENIED_EXACT_PER_WINDOW 256
#define XPF_DENIED_SAMPLE_EVERY 128	/* a power of two */

/* Per CPU: the packets the sampling stood for. (The window and its drop count are the XDP
 * program's own, beside its tick clock: bpf/record.h.) */
struct xpf_denied_sampler {
	__u64 estimated_drops;		/* packets counted by sampling, ever */
};

/*
 * The drop log: one event per sampled drop in a ring buffer, at most config.log_rate a second
 * for the whole filter (a token bucket shared by all CPUs, see bpf/record.h).
 */
#define XPF_LOG_RING_BYTES (256 * 1024)
#define XPF_LOG_BURST_SECONDS 1		/* the bucket holds one second's worth of events */

enum xpf_log_flags {
	XPF_LOG_WOULD_DROP = 1,		/* audit mode: passed, would have been dropped */
	XPF_LOG_HAS_PORTS = 2,		/* source_port and dest_port were read */
};

struct xpf_log_event {
	__u64 time_ns;			/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 ifindex;
	__u32 reason;			/* enum xpf_reason */
	__u32 rule_id;			/* with XPF_REASON_RULE */
	__u32 packet_bytes;
	__u16 source_port;
	__u16 dest_port;
	__u8 family;
	__u8 protocol;
	__u8 flags;			/* enum xpf_log_flags */
	__u8 pad;
	__u8 source[16];
	__u8 destination[16];
};

/*
 * `xpf explain`: the packet is run through the loaded program (BPF_PROG_TEST_RUN) with this in
 * its XDP metadata. The program then writes its decision here, in place, and counts nothing:
 * no rule or reason counter, no denied entry, no log event, no fragment remembered. Only
 * BPF_PROG_TEST_RUN and XDP programs run before xpf on the same interface can put metadata in
 * front of a packet; the 64-bit magic keeps the latter's own metadata from being taken for a
 * request.
 */
#define XPF_EXPLAIN_MAGIC 0x78706665787071ull	/* "xpfexpq" */

enum xpf_explain_flags {
	XPF_EXPLAIN_DECIDED = 1,	/* the program wrote its decision */
	XPF_EXPLAIN_WOULD_DROP = 2,	/* audit mode turned a drop into a pass */
};

struct xpf_explain {
	__u64 magic;			/* XPF_EXPLAIN_MAGIC; the program leaves it */
	__u32 flags;			/* out: enum xpf_explain_flags */
	__u32 action;			/* out: enum xpf_action, after audit */
	__u32 reason;			/* out: enum xpf_reason */
	__u32 rule_id;			/* out: with XPF_REASON_RULE */
};

_Static_assert(sizeof(struct xpf_denied_port_key) == 4, "denied port key layout");
_Static_assert(sizeof(struct xpf_denied_source_key) == 12, "denied source key layout");
_Static_assert(sizeof(struct xpf_denied_sampler) == 8, "denied sampler layout");
_Static_assert(sizeof(struct xpf_log_event) == 64, "log event layout");
_Static_assert(sizeof(struct xpf_explain) == 24 && sizeof(struct xpf_explain) % 4 == 0,
	       "explain metadata: a multiple of 4 bytes, at most 32 (XDP metadata)");

/*
 * Source lists: `deny-list FILE` and `allow-list FILE` in the site file (bpf/lists.h). A list
 * is one rule, however many prefixes it holds; lists decide before the rows, the first list
 * of the site file that holds the source (and names the packet's transport, port and
 * destination) deciding.
 *   list_roots[g][root][slot] → which prefix lengths of listed prefixes meet the source's /16
 *     (IPv4), or its /16 and the hash of its /48 (IPv6; xpf_list_root_bit()). 0: no list holds
 *     the source, after one array read (IPv6: two). Two slots an element.
 *   list_long[g] → a bitmap by the source's /24 (IPv4) or a hash of its /64 (IPv6): whether a
 *     listed prefix of /24 (/64) or longer may hold it; if not, those lengths are not probed.
 *   list_prefix_v4[g], list_prefix_v6[g] → sorted arrays of (length, prefix, the lists holding
 *     it), searched by halves for each length left.
 *   list_rules[g][list] → the list's rule id, action, transports, ports and destinations.
 * list_long and the prefix arrays are maps of maps: a generation's own maps, made for it at
 * load or reload when it has lists, to its size, and dropped whole when it retires. A
 * generation without lists has none of them, and its roots are not read (its config's
 * has_lists is 0).
 */
#define XPF_MAX_LISTS 64			/* a generation's lists: bits of a u64 */
#define XPF_LIST_ROOT_BITS 16
#define XPF_LIST_ROOT (1u << XPF_LIST_ROOT_BITS)
/* A generation's roots: IPv4 by the top 16 bits; IPv6 prefixes /48 or longer by a hash of the
 * top 48 bits (so that a list inside one /32 leaves the rest of that /32 one read), shorter
 * ones by the top 16 bits. */
#define XPF_LIST_ROOTS 3
#define XPF_LIST_ROOT_ENTRIES (XPF_LIST_ROOTS * XPF_LIST_ROOT)	/* a generation's */
#define XPF_LIST_ROOT_PAIRS (XPF_GENERATIONS * XPF_LIST_ROOT_ENTRIES / 2)
#define XPF_LIST_HASHED_V6 48
/* In every slot of the hashed root: the generation has IPv6 prefixes shorter than /48, so the
 * root by the top 16 bits is read too (no IPv6 length's bit is that high; IPv4's /32 is). */
#define XPF_LIST_SHORT_V6 (1u << 31)
#define XPF_LIST_LONG_BITS 24			/* index bits of the long-prefix bitmap */
#define XPF_LIST_LONG_WORDS (1u << (XPF_LIST_LONG_BITS - 6))	/* a family's */
#define XPF_LIST_LONG_V4 24			/* /24 and longer: in the long bitmap */
#define XPF_LIST_LONG_V6 64
#define XPF_LIST_DESTINATIONS 8			/* local addresses a list may name; or all */
#define XPF_LIST_HASH_MULTIPLIER 0x9e3779b97f4a7c15ull

/* A length's bit in a root entry (lengths 1 to 32 or 128; a list holds no /0). IPv4: bit L - 1.
 * IPv6: five lengths a bit, /64 starting bit 13. */
static inline __u32 xpf_list_root_bit(__u32 family_index, __u32 len)
{
	if (!family_index)
		return len - 1;
	return len < XPF_LIST_LONG_V6 ? (len - 1) / 5 : 13 + (len - XPF_LIST_LONG_V6) / 5;
}

#define XPF_LIST_LONG_ROOT_BITS_V4 0xff800000u	/* bits of /24 to /32 */
#define XPF_LIST_LONG_ROOT_BITS_V6 0x03ffe000u	/* bits of /64 to /128 */

/* root: 0 IPv4, 1 IPv6 by the top 16 bits, 2 IPv6 by xpf_list_v6_root_hash(). */
static inline __u32 xpf_list_root_index(__u32 generation, __u32 root, __u32 slot)
{
	return (generation * XPF_LIST_ROOTS + root) * XPF_LIST_ROOT + slot;
}

/* The hashed root's slot of an IPv6 /48: its first two 32-bit words as they lie in memory. */
static inline __u32 xpf_list_v6_root_hash(__u32 word0, __u32 word1)
{
	/* The word's first two bytes, whatever the host's byte order. */
	const __u8 bytes[4] = { 0xff, 0xff, 0, 0 };
	__u32 first_two;

	__builtin_memcpy(&first_two, bytes, sizeof(first_two));
	return (__u32)((((__u64)word0 << 32 | (word1 & first_two)) * XPF_LIST_HASH_MULTIPLIER) >>
		       (64 - XPF_LIST_ROOT_BITS));
}

/* The long bitmap's bit of an IPv6 /64 (its two 32-bit words as they lie in memory). */
static inline __u32 xpf_list_v6_long_bit(__u32 word0, __u32 word1)
{
	return (__u32)((((__u64)word0 << 32 | word1) * XPF_LIST_HASH_MULTIPLIER) >>
		       (64 - XPF_LIST_LONG_BITS));
}

/* The lists' prefixes of a generation and family: arrays sorted by length, then prefix (in host
 * order, so that words compare as numbers), searched by halves. Written through mmap() in one
 * copy, where a hash would take an update (and a bucket lock) per prefix. */
struct xpf_list_entry4 {
	__u64 key;				/* length << 32 | prefix */
	__u64 lists;				/* bit i: the generation's list i */
};

struct xpf_list_entry6 {
	__u64 high;				/* prefix, first 64 bits */
	__u64 low;
	__u32 length;
	__u32 pad;
	__u64 lists;
};

struct xpf_list_destination {
	__u8 addr[16];				/* IPv4 in the first 4 bytes */
	__u8 family;
	__u8 pad[3];
};

/* A list's rule; a list slot no list uses has protocols 0 and matches nothing. */
struct xpf_list_rule {
	__u32 rule_id;
	__u8 action;				/* enum xpf_action */
	__u8 protocols;				/* bit 0: TCP, bit 1: UDP */
	__u8 destination_count;			/* 0: every local address */
	__u8 pad;
	__u16 port_first;
	__u16 port_last;
	struct xpf_list_destination destinations[XPF_LIST_DESTINATIONS];
};

/* Per generation: the prefix lengths in use (IPv4: bit L; IPv6: bit L of the three words) and
 * the entries of each family's array. */
struct xpf_list_lengths {
	__u64 v4;
	__u64 v6[3];
	__u32 entries[2];
};

_Static_assert(sizeof(struct xpf_list_entry4) == 16 && sizeof(struct xpf_list_entry6) == 32,
	       "list entry layout");
_Static_assert(sizeof(struct xpf_list_rule) == 172, "list rule layout");

#define XPF_PROG_NAME "xpf_xdp"

#endif /* XPF_MAPS_H */
