// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The denied record: read both per-CPU LRU maps, sum the CPUs, sort by packets. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/denied.h"
#include "lib/vector.h"

static void describe_port(const struct xpf_denied_port_key *key, struct xpf_denied_entry *entry)
{
	char number[8];
	const char *name = xpf_ip_protocol_name(key->protocol, number, sizeof(number));

	entry->port = key->port;
	entry->protocol = key->protocol;
	if (key->port)
		snprintf(entry->key, sizeof(entry->key), "%u/%s", key->port, name);
	else if (key->protocol == IPPROTO_TCP || key->protocol == IPPROTO_UDP)
		snprintf(entry->key, sizeof(entry->key), "%s (no port)", name);
	else if (name == number)
		snprintf(entry->key, sizeof(entry->key), "proto %s", name);
	else
		snprintf(entry->key, sizeof(entry->key), "%s", name);
}

static void describe_source(const struct xpf_denied_source_key *key,
			    struct xpf_denied_entry *entry)
{
	char text[INET6_ADDRSTRLEN];
	int family = key->family == AF_INET6 ? AF_INET6 : AF_INET;

	entry->family = family;
	entry->prefix_len = key->prefix_len;
	memset(entry->prefix, 0, sizeof(entry->prefix));
	memcpy(entry->prefix, key->prefix, sizeof(key->prefix));
	inet_ntop(family, entry->prefix, text, sizeof(text));
	snprintf(entry->key, sizeof(entry->key), "%s/%u", text, key->prefix_len);
}

static int by_key(const void *a, const void *b)
{
	const struct xpf_denied_entry *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* Sorted by key, one of each: the later read of an entry read twice is the newer. */
static size_t drop_duplicates(struct xpf_denied_entry *all, size_t count)
{
	size_t kept = 0;

	qsort(all, count, sizeof(*all), by_key);
	for (size_t i = 0; i < count; i++) {
		if (kept && !strcmp(all[kept - 1].key, all[i].key)) {
			if (all[i].packets > all[kept - 1].packets)
				all[kept - 1] = all[i];
			continue;
		}
		all[kept++] = all[i];
	}
	return kept;
}

static int by_packets(const void *a, const void *b)
{
	const struct xpf_denied_entry *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return strcmp(x->key, y->key);
}

int64_t xpf_denied_estimated(const struct xpf_filter *filter)
{
	int ncpus = libbpf_num_possible_cpus();
	struct xpf_denied_sampler *samplers;
	int64_t estimated = 0;
	uint32_t zero = 0;

	if (ncpus < 0)
		return ncpus;
	samplers = calloc(ncpus, sizeof(*samplers));
	if (!samplers)
		return -ENOMEM;
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_DENIED_SAMPLER], &zero, samplers))
		estimated = -errno;
	for (int cpu = 0; cpu < ncpus && estimated >= 0; cpu++)
		estimated += (int64_t)samplers[cpu].estimated_drops;
	free(samplers);
	return estimated;
}

/* The entries read so far, in a growing array. */
struct denied_list {
	struct xpf_denied_entry *all;
	size_t count, capacity;
};

/* A zeroed entry at the end of @list, or NULL when out of memory. */
static struct xpf_denied_entry *denied_append(struct denied_list *list)
{
	struct xpf_denied_entry *entry;

	if (xpf_array_reserve(&list->all, &list->capacity, list->count + 1, 256))
		return NULL;
	entry = &list->all[list->count++];
	memset(entry, 0, sizeof(*entry));
	return entry;
}

/* Every entry of the map @fd into @list, its CPUs' counters (@values, one per CPU) summed. */
static int read_denied(int fd, enum xpf_denied_kind kind, struct xpf_denied_counter *values,
		       int ncpus, struct denied_list *list)
{
	union {
		struct xpf_denied_port_key port;
		struct xpf_denied_source_key source;
	} key, next;
	void *previous = NULL;

	/* The LRU may evict while it is walked; get_next_key after an evicted key starts over,
	 * so an entry can come twice: the caller drops duplicates. */
	while (!bpf_map_get_next_key(fd, previous, &next)) {
		struct xpf_denied_entry *entry;

		key = next;
		previous = &key;
		if (bpf_map_lookup_elem(fd, &key, values))
			continue;	/* evicted since get_next_key */
		entry = denied_append(list);
		if (!entry)
			return -ENOMEM;
		for (int cpu = 0; cpu < ncpus; cpu++) {
			entry->packets += values[cpu].packets;
			entry->bytes += values[cpu].bytes;
		}
		if (kind == XPF_DENIED_BY_PORT)
			describe_port(&key.port, entry);
		else
			describe_source(&key.source, entry);
	}
	return errno == ENOENT ? 0 : -errno;
}

int xpf_denied_top(const struct xpf_filter *filter, enum xpf_denied_kind kind,
		   struct xpf_denied_entry *out, size_t max, size_t *total)
{
	int fd = filter->map_fds[kind == XPF_DENIED_BY_PORT ? XPF_MAP_DENIED_PORTS
							     : XPF_MAP_DENIED_SOURCES];
	int ncpus = libbpf_num_possible_cpus(), err;
	struct denied_list list = {};
	struct xpf_denied_counter *values;

	if (ncpus < 0)
		return ncpus;
	values = calloc(ncpus, sizeof(*values));
	if (!values)
		return -ENOMEM;
	err = read_denied(fd, kind, values, ncpus, &list);
	if (err)
		goto out;
	if (list.count) {
		list.count = drop_duplicates(list.all, list.count);
		qsort(list.all, list.count, sizeof(*list.all), by_packets);
	}
	if (total)
		*total = list.count;
	if (max > list.count)
		max = list.count;
	if (max)
		memcpy(out, list.all, max * sizeof(*out));
	err = (int)max;
out:
	free(values);
	free(list.all);
	return err;
}
