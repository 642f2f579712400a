/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Maps both programs use: the XDP program (bpf/xpf.bpf.c) and the egress program
 * (bpf/egress.bpf.c). BPF only. The loader creates them with the XDP program and hands them to
 * the egress program before it loads (bpf_map__reuse_fd), so both see the same maps.
 */
#ifndef XPF_SHARED_MAPS_H
#define XPF_SHARED_MAPS_H

#include "parse.h"

/* The rule set in force (maps.h, struct xpf_in_force): a global variable, so that a packet reads
 * it at an address the verifier fixes, with no map lookup (no key on the stack, no call that
 * makes the compiler spill registers around it). In a section of its own, libbpf makes it a
 * one-element array map of its own, named after the section: ".data.in_force" (xpf_map_names).
 * libbpf makes global data mappable, so the value starts on a page. */
struct xpf_in_force in_force SEC(".data.in_force");

/* The configuration in force and its generation: the first thing each packet reads. */
static __always_inline const struct xpf_config *config_in_force(__u32 *generation)
{
	*generation = in_force.generation & 1;
	return &in_force.config[*generation];
}

/* Where the local addresses have no slot table (more than some hundred): not preallocated, so
 * that a filter with a slot table pays only the buckets. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XPF_GENERATIONS * XPF_MAX_LOCAL_ADDRS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xpf_local_key);
	__type(value, struct xpf_local_value);
} local_addrs SEC(".maps");

/* [generation][slot] → local address and its classes: see xpf_local_slot_of(). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);	/* written by user space through mmap() */
	__uint(max_entries, XPF_GENERATIONS * XPF_LOCAL_SLOTS);
	__type(key, __u32);
	__type(value, struct xpf_local_slot);
} local_slots SEC(".maps");

/* LRU: a host that opens more flows than fit forgets its oldest idle ones first. Sized by the
 * loader (`flows max` of the site file, user/kernel/attach.c). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XPF_DEFAULT_FLOWS);
	__type(key, struct xpf_flow_key);
	__type(value, struct xpf_flow_value);
} flows SEC(".maps");

/* maps.h, XPF_REPLY_HINTS. (tests/e2e/other_layout.bpf.c builds it mappable, as another
 * version's: a layout that user/kernel/attach.c tells apart.) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
#ifdef XPF_TEST_OTHER_LAYOUT
	__uint(map_flags, BPF_F_MMAPABLE);
#endif
	__uint(max_entries, XPF_REPLY_HINTS);
	__type(key, __u32);
	__type(value, __u64);
} reply_hints SEC(".maps");

/* The 32-bit words of a 16-byte address, XORed: xpf_reply_hint_slot()'s @remote_fold. */
static __always_inline __u32 address_fold(const __u8 *addr)
{
	__u32 w[4];

	__builtin_memcpy(w, addr, 16);
	return w[0] ^ w[1] ^ w[2] ^ w[3];
}

/* The local_addrs hash's value for @addr: its key is made here, not on the slot table's
 * path that every packet takes. */
static __always_inline struct xpf_local_value *lookup_local_hash(__u32 generation, __u8 family,
								 const __u8 *addr)
{
	struct xpf_local_key key = { .generation = generation, .family = family };

	if (family == AF_INET)
		__builtin_memcpy(key.addr, addr, 4);
	else
		__builtin_memcpy(key.addr, addr, 16);
	return bpf_map_lookup_elem(&local_addrs, &key);
}

/* Whether @addr is one of the host's addresses in the generation, and its classes: one array
 * lookup and a compare through the slot table, or a hash lookup where the loader found no slot
 * hash for the set. */
static __always_inline int lookup_local_address(__u32 generation, const struct xpf_config *config,
						__u8 family, const __u8 *addr,
						struct xpf_local_value **value)
{
	struct xpf_local_slot *slot;
	__u32 index;

	if (config->local_slot_shift) {
		index = generation * XPF_LOCAL_SLOTS + xpf_local_slot_of(config, family, addr);
		slot = bpf_map_lookup_elem(&local_slots, &index);
		*value = NULL;
		if (!slot || slot->family != family)
			return 0;
		if (family == AF_INET) {
			if (*(__u32 *)slot->addr != *(__u32 *)addr)
				return 0;
		} else if (*(__u64 *)slot->addr != *(__u64 *)addr ||
			   *(__u64 *)(slot->addr + 8) != *(__u64 *)(addr + 8)) {
			return 0;
		}
		*value = &slot->value;
		return 1;
	}
	*value = lookup_local_hash(generation, family, addr);
	return *value != NULL;
}

/* Source and destination ports of a TCP or UDP header that lies whole in the packet. */
static __always_inline int read_ports(const struct packet *pkt, __u16 *source, __u16 *dest)
{
	__be16 *ports = pkt->l4;

	if (!header_fits(pkt, ports + 2))
		return 0;
	*source = bpf_ntohs(ports[0]);
	*dest = bpf_ntohs(ports[1]);
	return 1;
}

#endif /* XPF_SHARED_MAPS_H */
