/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The flows the host opened, as the egress program remembers them. User space only. */
#ifndef XPF_FLOWS_H
#define XPF_FLOWS_H

#include <json-c/json.h>

#include "kernel/filter.h"

struct xpf_flow {
	struct xpf_flow_key key;
	struct xpf_flow_value value;
	double idle_seconds;		/* since the host's last packet on it */
	bool expired;			/* idle past its timeout: replies no longer pass */
};

/* All entries of the flows map; *count of them in *flows (malloc'd). */
int xpf_flows_read(const struct xpf_filter *filter, struct xpf_flow **flows, size_t *count);
/* Entries whose replies would still pass now. */
size_t xpf_flows_open(const struct xpf_flow *flows, size_t count);
const char *xpf_flow_state_name(uint32_t state);
/* "192.0.2.101:40000" or "[2001:db8::1]:40000": @size of 64 holds any. */
void xpf_flow_format_endpoint(uint8_t family, const uint8_t *addr, uint16_t port, char *buf,
			      size_t size);
struct json_object *xpf_flow_json(const struct xpf_flow *flow);

#endif /* XPF_FLOWS_H */
