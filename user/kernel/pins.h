/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Where a filter's pins live in bpffs, and bpffs itself. User space only.
 *
 * Pins are a convenience for other tools (the kernel is the source of truth, kernel/filter.h):
 * the XDP program and its maps, and the egress program's tcx link.
 */
#ifndef XPF_PINS_H
#define XPF_PINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XPF_BPFFS "/sys/fs/bpf"
#define XPF_PIN_ROOT XPF_BPFFS "/xpf"

/* Whether bpffs is usable at XPF_BPFFS; mounts it when this process is in the host's mount
 * namespace (where the mount outlives it), never elsewhere (ip netns exec). */
bool xpf_bpffs_ready(void);
bool xpf_bpffs_mounted(void);	/* without mounting it */

/* Where @ifname's pins live: XPF_PIN_ROOT/IFACE in the host's network namespace,
 * XPF_PIN_ROOT/netns-INODE/IFACE in another. */
void xpf_pin_dir(const char *ifname, char *buf, size_t size);
/* The id of the program pinned at @path, 0 when there is none. */
uint32_t xpf_pinned_prog_id(const char *path);

#endif /* XPF_PINS_H */
