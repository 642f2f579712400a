// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What xpf calls the numbers of the maps and of libxdp, in text and JSON alike (names.h). */
#include <netinet/in.h>
#include <stdio.h>

#include "core/names.h"

static const char *const reason_names[XPF_REASON_COUNT] = {
	[XPF_REASON_RULE] = "rule",
	[XPF_REASON_NON_IP] = "non_ip",
	[XPF_REASON_ICMP] = "icmp",
	[XPF_REASON_NOT_LOCAL] = "not_local",
	[XPF_REASON_DEFAULT] = "default",
	[XPF_REASON_REPLY] = "reply",
	[XPF_REASON_OTHER_PROTO] = "other_proto",
	[XPF_REASON_FRAGMENT] = "fragment",
	[XPF_REASON_MALFORMED] = "malformed",
	[XPF_REASON_UNCONFIGURED] = "unconfigured",
};

const char *xpf_reason_name(unsigned int reason)
{
	return reason < XPF_REASON_COUNT ? reason_names[reason] : "unknown";
}

const char *xpf_protocols_name(uint8_t protocols)
{
	switch (protocols & (XPF_PROTO_TCP | XPF_PROTO_UDP)) {
	case XPF_PROTO_TCP:
		return "tcp";
	case XPF_PROTO_UDP:
		return "udp";
	default:
		return "tcp+udp";
	}
}

const char *xpf_direction_name(uint8_t direction)
{
	switch (direction) {
	case XPF_DIRECTION_INGRESS:
		return "ingress";
	case XPF_DIRECTION_OUTBOUND:
		return "outbound";
	default:
		return "not-for-host";
	}
}

void xpf_format_ports(const struct xpf_rule_info *info, char *buf, size_t size)
{
	if (info->port_first == info->port_last)
		snprintf(buf, size, "%s/%u", xpf_protocols_name(info->protocols), info->port_first);
	else
		snprintf(buf, size, "%s/%u-%u", xpf_protocols_name(info->protocols),
			 info->port_first, info->port_last);
}

const char *xpf_mode_name(unsigned int mode)
{
	switch (mode) {
	case XPF_MODE_NATIVE:
		return "native";
	case XPF_MODE_SKB:
		return "skb";
	case XPF_MODE_HW:
		return "hw";
	default:
		return "unknown";
	}
}

const char *xpf_egress_attach_name(enum xpf_egress_attach how)
{
	switch (how) {
	case XPF_EGRESS_TCX:
		return "tcx";
	case XPF_EGRESS_CLSACT:
	case XPF_EGRESS_CLSACT_CREATED:
		return "clsact";
	default:
		return "none";
	}
}

const char *xpf_flow_state_name(uint32_t state)
{
	switch (state) {
	case XPF_FLOW_UDP:
		return "udp";
	case XPF_FLOW_TCP_SYN_SENT:
		return "syn-sent";
	case XPF_FLOW_TCP_ESTABLISHED:
		return "established";
	case XPF_FLOW_TCP_CLOSING:
		return "closing";
	default:
		return "unknown";
	}
}

const char *xpf_ip_protocol_name(uint8_t protocol, char *buf, size_t size)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "ipv6-icmp";
	default:
		snprintf(buf, size, "%u", protocol);
		return buf;
	}
}
