/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What xpf calls the numbers of the maps (include/xpf/maps.h) and of libxdp: reasons, modes,
 * directions, protocols, ports, flow states. One table each, for the text and JSON of every
 * verb. Pure.
 */
#ifndef XPF_NAMES_H
#define XPF_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <xpf/maps.h>

#include "core/config.h"

/* libxdp's attach modes (enum xdp_attach_mode) by libxdp's numbers, which the meta map records
 * too (attach_mode): named here without libxdp. kernel/filter.h holds the two to each other. */
enum xpf_attach_mode {
	XPF_MODE_UNSPEC = 0,
	XPF_MODE_NATIVE,
	XPF_MODE_SKB,
	XPF_MODE_HW,
};

/* "rule", "non_ip", ... (enum xpf_reason); "unknown" past them */
const char *xpf_reason_name(unsigned int reason);
/* "native", "skb", "hw" or "unknown" (@mode: enum xpf_attach_mode, or libxdp's) */
const char *xpf_mode_name(unsigned int mode);
/* "ingress", "outbound" or "not-for-host" (enum xpf_direction) */
const char *xpf_direction_name(uint8_t direction);
/* "tcp", "udp" or "tcp+udp" */
const char *xpf_protocols_name(uint8_t protocols);
/* "tcp/8080" or "tcp+udp/50000-59999" */
void xpf_format_ports(const struct xpf_rule_info *info, char *buf, size_t size);
/* "tcx", "clsact" or "none" */
const char *xpf_egress_attach_name(enum xpf_egress_attach how);
/* "udp", "syn-sent", "established", "closing" (enum xpf_flow_state); "unknown" else */
const char *xpf_flow_state_name(uint32_t state);
/* "tcp", "udp", "icmp", "ipv6-icmp", else the number: "47" (written into @buf). */
const char *xpf_ip_protocol_name(uint8_t protocol, char *buf, size_t size);

#endif /* XPF_NAMES_H */
