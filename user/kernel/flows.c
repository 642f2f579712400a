// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The flows map, read (flows.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "kernel/flows.h"
#include "kernel/generation.h"
#include "kernel/map_batch.h"
#include "lib/vector.h"

/* The same rule as the XDP program's flow_is_fresh(). */
static uint32_t timeout_of(const struct xpf_config *config, uint32_t state)
{
	switch (state) {
	case XPF_FLOW_TCP_ESTABLISHED:
		return config->tcp_timeout_s;
	case XPF_FLOW_UDP:
		return config->udp_timeout_s;
	default:
		return config->tcp_transitory_timeout_s;
	}
}

uint32_t xpf_flows_room(const struct xpf_filter *filter)
{
	return xpf_map_max_entries(filter->map_fds[XPF_MAP_FLOWS]);
}

int xpf_flows_read(const struct xpf_filter *filter, struct xpf_flow **flows, size_t *count)
{
	int fd = filter->map_fds[XPF_MAP_FLOWS], err = 0;
	struct xpf_flow_key key, *previous = NULL;
	struct xpf_config config;
	size_t capacity = 0;
	struct timespec now;
	uint64_t now_ns;

	*flows = NULL;
	*count = 0;
	err = xpf_filter_read_config(filter, &config, NULL);
	if (err)
		return err;
	/* bpf_ktime_get_coarse_ns() is CLOCK_MONOTONIC at tick resolution. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	now_ns = now.tv_sec * 1000000000ull + now.tv_nsec;
	while (!bpf_map_get_next_key(fd, previous, &key)) {
		struct xpf_flow *flow;

		if (xpf_array_reserve(flows, &capacity, *count + 1, 64)) {
			err = -ENOMEM;
			break;
		}
		flow = &(*flows)[*count];
		flow->key = key;
		previous = &flow->key;
		/* Gone between the two calls (LRU eviction): skip it. */
		if (bpf_map_lookup_elem(fd, &key, &flow->value))
			continue;
		flow->idle_seconds = now_ns > flow->value.last_seen_ns
					     ? (now_ns - flow->value.last_seen_ns) / 1e9
					     : 0;
		flow->expired = flow->idle_seconds >= timeout_of(&config, flow->value.state);
		(*count)++;
	}
	if (err) {
		free(*flows);
		*flows = NULL;
		*count = 0;
	}
	return err;
}

size_t xpf_flows_open(const struct xpf_flow *flows, size_t count)
{
	size_t open = 0;

	for (size_t i = 0; i < count; i++)
		open += !flows[i].expired;
	return open;
}
