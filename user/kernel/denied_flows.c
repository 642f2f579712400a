// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/denied_flows.h"
#include "lib/vector.h"

struct flow_list {
	struct xpf_denied_flow_key *keys;	/* beside the flows: duplicates are found by key */
	struct xpf_denied_flow *flows;
	size_t count, key_capacity, flow_capacity;
};

static void describe(const struct xpf_denied_flow_key *key, struct xpf_denied_flow *flow)
{
	int family = key->family == AF_INET6 ? AF_INET6 : AF_INET;

	memset(flow, 0, sizeof(*flow));
	flow->source.family = (uint8_t)family;
	flow->source.len = key->prefix_len;
	memcpy(flow->source.addr, key->prefix, sizeof(key->prefix));
	flow->destination.family = (uint8_t)family;
	flow->destination.len = family == AF_INET ? 32 : 128;
	memcpy(flow->destination.addr, key->destination, family == AF_INET ? 4 : 16);
	flow->protocol = key->protocol;
	flow->port = key->port;
}

/* The LRU may evict while it is walked, and get_next_key after an evicted key starts over:
 * an entry read twice is kept once, with its later (larger) counts. */
static int add_flow(struct flow_list *list, const struct xpf_denied_flow_key *key,
		    const struct xpf_denied_counter *values, int ncpus)
{
	struct xpf_denied_flow flow;

	describe(key, &flow);
	for (int cpu = 0; cpu < ncpus; cpu++) {
		flow.packets += values[cpu].packets;
		flow.bytes += values[cpu].bytes;
	}
	for (size_t i = 0; i < list->count; i++)
		if (!memcmp(&list->keys[i], key, sizeof(*key))) {
			if (flow.packets > list->flows[i].packets)
				list->flows[i] = flow;
			return 0;
		}
	if (xpf_array_reserve(&list->keys, &list->key_capacity, list->count + 1, 64) ||
	    xpf_array_reserve(&list->flows, &list->flow_capacity, list->count + 1, 64))
		return -ENOMEM;
	list->keys[list->count] = *key;
	list->flows[list->count++] = flow;
	return 0;
}

int xpf_denied_flows_read(const struct xpf_filter *filter, struct xpf_denied_flow **flows,
			  size_t *count)
{
	int fd = filter->map_fds[XPF_MAP_DENIED_FLOWS], ncpus = libbpf_num_possible_cpus(), err = 0;
	struct xpf_denied_flow_key key, next;
	struct flow_list list = {};
	struct xpf_denied_counter *values;
	void *previous = NULL;

	*flows = NULL;
	*count = 0;
	if (ncpus < 0)
		return ncpus;
	values = calloc((size_t)ncpus, sizeof(*values));
	if (!values)
		return -ENOMEM;
	while (!err && !bpf_map_get_next_key(fd, previous, &next)) {
		key = next;
		previous = &key;
		if (!bpf_map_lookup_elem(fd, &key, values))
			err = add_flow(&list, &key, values, ncpus);
	}
	if (!err && errno != ENOENT)
		err = -errno;
	free(values);
	free(list.keys);
	if (err) {
		free(list.flows);
		return err;
	}
	*flows = list.flows;
	*count = list.count;
	return 0;
}
