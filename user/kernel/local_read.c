// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A generation's local addresses, from the local_addrs hash (local_read.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/local_read.h"
#include "kernel/map_batch.h"
#include "lib/vector.h"

struct local_list {
	uint8_t generation;
	struct xpf_prefix *addrs;
	size_t count, cap;
};

static int keep_generation(int fd, struct xpf_map_batch *batch, void *arg)
{
	const struct xpf_local_key *keys = (const struct xpf_local_key *)batch->keys;
	struct local_list *list = arg;

	(void)fd;
	for (uint32_t i = 0; i < batch->count; i++) {
		struct xpf_prefix *addr;

		if (keys[i].generation != list->generation)
			continue;
		if (xpf_array_reserve(&list->addrs, &list->cap, list->count + 1, 16))
			return -ENOMEM;
		addr = &list->addrs[list->count++];
		memset(addr, 0, sizeof(*addr));
		addr->family = keys[i].family;
		addr->len = keys[i].family == AF_INET ? 32 : 128;
		memcpy(addr->addr, keys[i].addr, sizeof(addr->addr));
	}
	return 0;
}

static int address_order(const void *a, const void *b)
{
	const struct xpf_prefix *x = a, *y = b;

	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

int xpf_local_addrs_read(const struct xpf_filter *filter, uint8_t generation,
			 struct xpf_prefix **addrs)
{
	struct local_list list = { .generation = generation };
	int err = xpf_map_walk(filter->map_fds[XPF_MAP_LOCAL_ADDRS], keep_generation, &list);

	if (err < 0) {
		free(list.addrs);
		*addrs = NULL;
		return err;
	}
	if (list.count)
		qsort(list.addrs, list.count, sizeof(*list.addrs), address_order);
	*addrs = list.addrs;
	return (int)list.count;
}
