/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the XDP program's exit does besides counting: the denied record, the drop log and the
 * answer to `xpf explain`. BPF only (included by bpf/xpf.bpf.c). Keys, values and events are
 * in include/xpf/maps.h.
 */
#ifndef XPF_RECORD_H
#define XPF_RECORD_H

#include "shared_maps.h"

#define NSEC_PER_SEC 1000000000ull

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, XPF_MAX_DENIED_PORTS);
	__type(key, struct xpf_denied_port_key);
	__type(value, struct xpf_denied_counter);
} denied_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, XPF_MAX_DENIED_SOURCES);
	__type(key, struct xpf_denied_source_key);
	__type(value, struct xpf_denied_counter);
} denied_sources SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, XPF_MAX_DENIED_FLOWS);
	__type(key, struct xpf_denied_flow_key);
	__type(value, struct xpf_denied_counter);
} denied_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xpf_denied_sampler);
} denied_sampler SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XPF_LOG_RING_BYTES);
} drop_log SEC(".maps");

/* The drop log's rate limit: one token bucket for the whole filter, kept as GCRA's theoretical
 * arrival time (the time the bucket is full again). A drop flood only reads it; the lock is
 * taken when a token may be there, at most about log_rate times a second. */
struct log_bucket {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 full_at_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct log_bucket);
} log_bucket SEC(".maps");

/* One value a CPU: the reason counters an admin reads, and the exit's own state beside them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xpf_cpu_state);
} reason_stats SEC(".maps");

/* This CPU's state (maps.h, struct xpf_cpu_state): the reason counters, the coarse clock and
 * the denied record's sampling window in one value. */
static __always_inline struct xpf_cpu_state *this_cpu_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&reason_stats, &zero);
}

/* The coarse clock, read once per tick and CPU (bpf_jiffies64() is a load; the coarse clock a
 * helper call, and both only move at a tick). */
static __always_inline __u64 coarse_now(struct xpf_cpu_state *state)
{
	__u64 jiffies = bpf_jiffies64();

	if (!state)
		return bpf_ktime_get_coarse_ns();
	if (state->jiffies != jiffies) {
		__u64 now = bpf_ktime_get_coarse_ns();

		state->jiffies = jiffies;
		state->coarse_ns = now;
		/* The denied record's window only moves when the clock does: reset here, once a
		 * tick, not tested on every drop. */
		if (state->denied_window != now >> XPF_DENIED_WINDOW_SHIFT) {
			state->denied_window = now >> XPF_DENIED_WINDOW_SHIFT;
			state->denied_drops = 0;
		}
	}
	return state->coarse_ns;
}

/* @now where the caller has read the clock, else (0) the clock read here: the fast path reads
 * it at its exit (fast_record()), not before a decision that needs it only for a reply. Kept
 * out of the decision, the clock and this CPU's state are two values fewer that clang must
 * keep across it, in the four registers a call leaves. */
static __always_inline __u64 clock_of(__u64 now)
{
	return now ?: coarse_now(this_cpu_state());
}

#ifdef XPF_EXPLAIN
/* Whether the packet carries a request of `xpf explain` in its XDP metadata. A flag, not the
 * pointer: a pointer-or-NULL carried through the whole program would double the states the
 * verifier walks, while an unknown 0/1 scalar does not. */
static __always_inline int explain_requested(struct xdp_md *ctx)
{
	struct xpf_explain *request = (void *)(long)ctx->data_meta;

	if ((void *)(request + 1) > (void *)(long)ctx->data)
		return 0;
	return request->magic == XPF_EXPLAIN_MAGIC;
}

/* The decision, written back into the request (BPF_PROG_TEST_RUN returns the metadata with the
 * packet). */
static __always_inline void answer_explain(struct xdp_md *ctx, __u32 action, __u32 reason,
					   __u32 rule_id, int would_drop)
{
	struct xpf_explain *request = (void *)(long)ctx->data_meta;

	if ((void *)(request + 1) > (void *)(long)ctx->data)
		return;
	request->flags = XPF_EXPLAIN_DECIDED | (would_drop ? XPF_EXPLAIN_WOULD_DROP : 0);
	request->action = action;
	request->reason = reason;
	request->rule_id = rule_id;
}
#endif /* XPF_EXPLAIN */

/* What a drop leaves behind, in scalars: handed to record_drop(), which the verifier then
 * checks once instead of once for every way a packet reaches the exit. */
struct drop_summary {
	__u64 now;		/* bpf_ktime_get_coarse_ns(), already read for the counters */
	__u32 l4_offset;	/* from the frame's first byte; 0: no L4 header found */
	__u32 ip_end_offset;	/* end of the IP packet per its length field */
	__u32 reason;
	__u32 rule_id;
	__u32 bytes;
	__u32 log_rate;
	__u16 source_port;
	__u16 dest_port;
	__u8 family;		/* 0: the packet did not parse as far as its addresses */
	__u8 protocol;
	__u8 flags;		/* enum xpf_log_flags */
	__u8 pad;
	__u32 weight;		/* denied_weight() of this drop, 0: not in the denied record */
	__u32 log_tolerance_ns;	/* config's: see bucket_with_room() */
	__u8 source[16];
	__u8 destination[16];
};

/* Where a drop's summary is written: a per-CPU scratch value, filled on the drop path only,
 * instead of the stack every packet's program shares with the parse and the rule lookup. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct drop_summary);
} drop_summaries SEC(".maps");

static __always_inline struct drop_summary *drop_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&drop_summaries, &zero);
}

static __always_inline void count_denied(void *map, const void *key, __u64 bytes, __u32 weight)
{
	struct xpf_denied_counter *counter = bpf_map_lookup_elem(map, key);
	struct xpf_denied_counter first = { .packets = weight, .bytes = bytes * weight };

	if (!counter) {
		bpf_map_update_elem(map, key, &first, BPF_NOEXIST);
		return;
	}
	counter->packets += weight;
	counter->bytes += bytes * weight;
}

/* How many packets this drop stands for in the denied record: 1 while this CPU's drops are
 * few, past XPF_DENIED_EXACT_PER_WINDOW in a window XPF_DENIED_SAMPLE_EVERY for one drop in
 * XPF_DENIED_SAMPLE_EVERY and 0 for the others (maps.h). The window is counted in @state, which
 * the exit has read already (and coarse_now() resets at a tick): no atomics, no hashing, no
 * other value on the drops that are not recorded. */
static __always_inline __u32 denied_weight(struct xpf_cpu_state *state)
{
	struct xpf_denied_sampler *sampler;
	__u32 zero = 0, seen;

	if (!state)
		return 1;
	seen = state->denied_drops++;
	if (seen < XPF_DENIED_EXACT_PER_WINDOW)
		return 1;
	/* The middle drop of each group of XPF_DENIED_SAMPLE_EVERY stands for the group: a group
	 * the window cuts short is counted whole or not at all, so the error does not lean one
	 * way. */
	if (((seen - XPF_DENIED_EXACT_PER_WINDOW) & (XPF_DENIED_SAMPLE_EVERY - 1)) !=
	    XPF_DENIED_SAMPLE_EVERY / 2 - 1)
		return 0;
	sampler = bpf_map_lookup_elem(&denied_sampler, &zero);
	if (sampler)
		sampler->estimated_drops += XPF_DENIED_SAMPLE_EVERY;
	return XPF_DENIED_SAMPLE_EVERY;
}

/* The drop log's bucket when it may hold a token, else NULL: read without the lock, so that a
 * drop flood only reads it. @tolerance_ns: config's log_tolerance_ns, how far ahead of now the
 * bucket may be full again and still give a token. */
static __always_inline struct log_bucket *bucket_with_room(__u32 rate, __u32 tolerance_ns,
							   __u64 now)
{
	struct log_bucket *bucket;
	__u32 zero = 0;
	__u64 full_at;

	if (!rate)
		return NULL;
	bucket = bpf_map_lookup_elem(&log_bucket, &zero);
	if (!bucket)
		return NULL;
	full_at = bucket->full_at_ns;
	return full_at <= now || full_at - now <= tolerance_ns ? bucket : NULL;
}

/* Whether the drop log may have a token for this drop. The bucket is shared by every CPU; its
 * full_at_ns only grows, so the value this CPU last read is a lower bound: while now plus the
 * tolerance is below it, no token is there and the shared line is not read at all. */
static __always_inline int log_may_have_room(struct xpf_cpu_state *state,
					     const struct xpf_config *config, __u64 now)
{
	struct log_bucket *bucket;
	__u32 zero = 0;
	__u64 full_at;

	if (!config->log_rate)
		return 0;
	if (state && now + config->log_tolerance_ns < state->log_full_at_ns)
		return 0;
	bucket = bpf_map_lookup_elem(&log_bucket, &zero);
	if (!bucket)
		return 0;
	full_at = bucket->full_at_ns;
	if (full_at <= now || full_at - now <= config->log_tolerance_ns)
		return 1;
	if (state)
		state->log_full_at_ns = full_at;
	return 0;
}

/* One token of the drop log's bucket: @rate a second, a burst of XPF_LOG_BURST_SECONDS'
 * worth. */
static __always_inline int take_log_token(__u32 rate, __u32 tolerance_ns, __u64 now)
{
	struct log_bucket *bucket = bucket_with_room(rate, tolerance_ns, now);
	__u64 interval = XPF_LOG_BURST_SECONDS * NSEC_PER_SEC - tolerance_ns, full_at;
	int taken = 0;

	if (!bucket)
		return 0;
	bpf_spin_lock(&bucket->lock);
	full_at = bucket->full_at_ns > now ? bucket->full_at_ns : now;
	if (full_at - now <= tolerance_ns) {
		bucket->full_at_ns = full_at + interval;
		taken = 1;
	}
	bpf_spin_unlock(&bucket->lock);
	return taken;
}

/* Source and destination port of a dropped TCP/UDP packet whose header lies whole in the IP
 * packet, read again at the offset decide() found: in the first buffer, or copied from a later
 * one of a multi-buffer frame (load_l4_header()), as decide() read them. */
static __always_inline void read_drop_ports(struct xdp_md *ctx, struct drop_summary *drop)
{
	void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
	__u32 offset = drop->l4_offset;
	struct l4_copy copy;
	__be16 *ports;

	if (!offset || (drop->protocol != IPPROTO_TCP && drop->protocol != IPPROTO_UDP))
		return;
	/* The first buffer is at most a page: the bound lets the verifier add the offset. */
	if (offset > 0x3fff || offset + 4 > drop->ip_end_offset)
		return;
	ports = data + offset;
	if ((void *)(ports + 2) > data_end) {
		if (load_l4_header(ctx, offset, drop->ip_end_offset, 4, &copy))
			return;
		ports = (__be16 *)copy.bytes;
	}
	drop->source_port = bpf_ntohs(ports[0]);
	drop->dest_port = bpf_ntohs(ports[1]);
	drop->flags |= XPF_LOG_HAS_PORTS;
}

/* The same drop by source prefix, protocol, port and destination together (for suggest). */
static __always_inline void count_denied_flow(const struct drop_summary *drop,
					      const struct xpf_denied_source_key *source,
					      __u32 weight)
{
	struct xpf_denied_flow_key key = {};

	key.family = source->family;
	key.prefix_len = source->prefix_len;
	key.protocol = drop->protocol;
	key.port = drop->dest_port;
	__builtin_memcpy(key.prefix, source->prefix, sizeof(key.prefix));
	__builtin_memcpy(key.destination, drop->destination, sizeof(key.destination));
	count_denied(&denied_flows, &key, drop->bytes, weight);
}

/* A drop (in audit mode a would-drop) that record() found worth recording: counted by
 * destination port and by source prefix with its weight (under a flood, sampled:
 * denied_weight()), and logged when the bucket has a token. A packet that did not parse as far
 * as its addresses is logged only. A global function: verified once. */
__noinline int record_drop(struct xdp_md *ctx, struct drop_summary *drop)
{
	struct xpf_denied_port_key port_key = {};
	struct xpf_denied_source_key source_key = {};
	struct xpf_log_event *event;
	__u32 weight;
	__u64 now;

	if (!ctx || !drop)
		return 0;
	weight = drop->weight;
	if (weight) {
		read_drop_ports(ctx, drop);
		port_key.port = drop->dest_port;
		port_key.protocol = drop->protocol;
		source_key.family = drop->family;
		if (drop->family == AF_INET) {
			source_key.prefix_len = XPF_DENIED_PREFIX_V4;
			__builtin_memcpy(source_key.prefix, drop->source, XPF_DENIED_PREFIX_V4 / 8);
		} else {
			source_key.prefix_len = XPF_DENIED_PREFIX_V6;
			__builtin_memcpy(source_key.prefix, drop->source, XPF_DENIED_PREFIX_V6 / 8);
		}
		count_denied(&denied_ports, &port_key, drop->bytes, weight);
		count_denied(&denied_sources, &source_key, drop->bytes, weight);
		count_denied_flow(drop, &source_key, weight);
	}
	/* The bucket runs on the coarse clock the counters read anyway (a tick of a few ms is
	 * far finer than one second's bucket); only an event that is written reads the fine one. */
	if (!take_log_token(drop->log_rate, drop->log_tolerance_ns, drop->now))
		return 0;
	if (!weight)
		read_drop_ports(ctx, drop);
	event = bpf_ringbuf_reserve(&drop_log, sizeof(*event), 0);
	if (!event)
		return 0;
	now = bpf_ktime_get_ns();
	event->time_ns = now;
	event->ifindex = ctx->ingress_ifindex;
	event->reason = drop->reason;
	event->rule_id = drop->rule_id;
	event->packet_bytes = drop->bytes;
	event->source_port = drop->source_port;
	event->dest_port = drop->dest_port;
	event->family = drop->family;
	event->protocol = drop->protocol;
	event->flags = drop->flags;
	event->pad = 0;
	__builtin_memcpy(event->source, drop->source, 16);
	__builtin_memcpy(event->destination, drop->destination, 16);
	bpf_ringbuf_submit(event, 0);
	return 1;
}

/* The drop's summary, from the parsed packet's scalars (its pointers stay dead past decide(),
 * so the verifier prunes the exit's states). A packet that did not parse as far as its L4
 * header has offsets 0. */
static __always_inline void summarize_drop(const struct packet *pkt, const struct verdict *v,
					   __u32 bytes, const struct xpf_config *config,
					   int would_drop, __u64 now, __u32 weight,
					   struct drop_summary *drop)
{
	drop->now = now;
	drop->weight = weight;
	drop->log_tolerance_ns = config->log_tolerance_ns;
	drop->reason = v->reason;
	drop->rule_id = v->rule_id;
	drop->bytes = bytes;
	drop->log_rate = config->log_rate;
	drop->l4_offset = pkt->l4_offset;
	drop->ip_end_offset = pkt->ip_end_offset;
	drop->family = pkt->family;
	drop->protocol = pkt->protocol;
	drop->flags = would_drop ? XPF_LOG_WOULD_DROP : 0;
	drop->pad = 0;
	drop->source_port = 0;
	drop->dest_port = 0;
	if (pkt->is_fragment && !pkt->is_first_fragment)
		drop->l4_offset = 0;	/* what follows a later fragment's header is no header */
	__builtin_memcpy(drop->source, pkt->source, 16);
	__builtin_memcpy(drop->destination, pkt->destination, 16);
}

#endif /* XPF_RECORD_H */
