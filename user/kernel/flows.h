/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The flows the host opened, as the egress program remembers them. User space only. */
#ifndef XPF_FLOWS_H
#define XPF_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/filter.h"

struct xpf_flow {
	struct xpf_flow_key key;
	struct xpf_flow_value value;
	double idle_seconds;		/* since the host's last packet on it */
	bool expired;			/* idle past its timeout: replies no longer pass */
};

/* The flows the map holds at most (`flows max` of the load that made it); 0 when unknown. */
uint32_t xpf_flows_room(const struct xpf_filter *filter);
/* All entries of the flows map; *count of them in *flows (malloc'd). */
int xpf_flows_read(const struct xpf_filter *filter, struct xpf_flow **flows, size_t *count);
/* Entries whose replies would still pass now. */
size_t xpf_flows_open(const struct xpf_flow *flows, size_t count);

#endif /* XPF_FLOWS_H */
