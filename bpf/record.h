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

/* The request of `xpf explain` in the packet's XDP metadata, or NULL. */
static __always_inline struct xpf_explain *explain_request(struct xdp_md *ctx)
{
	struct xpf_explain *request = (void *)(long)ctx->data_meta;

	if ((void *)(request + 1) > (void *)(long)ctx->data)
		return NULL;
	return request->magic == XPF_EXPLAIN_MAGIC ? request : NULL;
}

static __always_inline void count_denied(void *map, const void *key, __u64 bytes)
{
	struct xpf_denied_counter *counter = bpf_map_lookup_elem(map, key);
	struct xpf_denied_counter first = { .packets = 1, .bytes = bytes };

	if (!counter) {
		bpf_map_update_elem(map, key, &first, BPF_NOEXIST);
		return;
	}
	counter->packets++;
	counter->bytes += bytes;
}

static __always_inline void record_denied(const struct packet *pkt, __u16 dest_port,
					  __u64 bytes)
{
	struct xpf_denied_port_key port_key = { .port = dest_port, .protocol = pkt->protocol };
	struct xpf_denied_source_key source_key = { .family = pkt->family };

	if (pkt->family == AF_INET) {
		source_key.prefix_len = XPF_DENIED_PREFIX_V4;
		__builtin_memcpy(source_key.prefix, pkt->source, XPF_DENIED_PREFIX_V4 / 8);
	} else {
		source_key.prefix_len = XPF_DENIED_PREFIX_V6;
		__builtin_memcpy(source_key.prefix, pkt->source, XPF_DENIED_PREFIX_V6 / 8);
	}
	count_denied(&denied_ports, &port_key, bytes);
	count_denied(&denied_sources, &source_key, bytes);
}

/* One token of the drop log's bucket: config->log_rate a second, a burst of
 * XPF_LOG_BURST_SECONDS' worth. */
static __always_inline int take_log_token(const struct xpf_config *config, __u64 now)
{
	__u64 interval, tolerance, full_at;
	struct log_bucket *bucket;
	__u32 zero = 0;
	int taken = 0;

	if (!config->log_rate)
		return 0;
	bucket = bpf_map_lookup_elem(&log_bucket, &zero);
	if (!bucket)
		return 0;
	interval = NSEC_PER_SEC / config->log_rate;
	tolerance = XPF_LOG_BURST_SECONDS * NSEC_PER_SEC - interval;
	full_at = bucket->full_at_ns;
	if (full_at > now && full_at - now > tolerance)
		return 0;
	bpf_spin_lock(&bucket->lock);
	full_at = bucket->full_at_ns > now ? bucket->full_at_ns : now;
	if (full_at - now <= tolerance) {
		bucket->full_at_ns = full_at + interval;
		taken = 1;
	}
	bpf_spin_unlock(&bucket->lock);
	return taken;
}

static __always_inline void log_drop(struct xdp_md *ctx, const struct xpf_config *config,
				     const struct packet *pkt, const struct verdict *v,
				     __u16 source_port, __u16 dest_port, __u8 flags, __u32 bytes)
{
	__u64 now = bpf_ktime_get_ns();
	struct xpf_log_event *event;

	if (!take_log_token(config, now))
		return;
	event = bpf_ringbuf_reserve(&drop_log, sizeof(*event), 0);
	if (!event)
		return;
	event->time_ns = now;
	event->ifindex = ctx->ingress_ifindex;
	event->reason = v->reason;
	event->rule_id = v->rule_id;
	event->packet_bytes = bytes;
	event->source_port = source_port;
	event->dest_port = dest_port;
	event->family = pkt->family;
	event->protocol = pkt->protocol;
	event->flags = flags;
	event->pad = 0;
	__builtin_memcpy(event->source, pkt->source, 16);
	__builtin_memcpy(event->destination, pkt->destination, 16);
	bpf_ringbuf_submit(event, 0);
}

/* A drop (in audit mode a would-drop): the denied record and the drop log. A packet that did
 * not parse as far as its IP addresses is logged but not recorded by source or port. */
static __always_inline void record_drop(struct xdp_md *ctx, const struct xpf_config *config,
					const struct packet *pkt, const struct verdict *v,
					__u32 bytes, int would_drop)
{
	__u16 source_port = 0, dest_port = 0;
	__u8 flags = would_drop ? XPF_LOG_WOULD_DROP : 0;

	if ((pkt->protocol == IPPROTO_TCP || pkt->protocol == IPPROTO_UDP) &&
	    !(pkt->is_fragment && !pkt->is_first_fragment) &&
	    read_ports(pkt, &source_port, &dest_port))
		flags |= XPF_LOG_HAS_PORTS;
	if (pkt->family)
		record_denied(pkt, dest_port, bytes);
	log_drop(ctx, config, pkt, v, source_port, dest_port, flags, bytes);
}

#endif /* XPF_RECORD_H */
