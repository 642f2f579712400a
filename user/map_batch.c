// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Batched walks and deletes over BPF maps (map_batch.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "map_batch.h"

int xpf_map_walk(int fd, xpf_map_visit_fn visit, void *arg)
{
	struct bpf_map_info info = {};
	struct xpf_map_batch batch = {};
	__u32 length = sizeof(info), cursor = 0;
	bool first = true, more = true;
	int ret = 0;

	if (bpf_obj_get_info_by_fd(fd, &info, &length))
		return -errno;
	batch.key_size = info.key_size;
	batch.value_size = info.value_size;
	batch.keys = malloc((size_t)XPF_MAP_BATCH * info.key_size);
	batch.values = malloc((size_t)XPF_MAP_BATCH * info.value_size);
	if (!batch.keys || !batch.values)
		ret = -ENOMEM;
	while (!ret && more) {
		batch.count = XPF_MAP_BATCH;
		if (bpf_map_lookup_batch(fd, first ? NULL : &cursor, &cursor, batch.keys,
					 batch.values, &batch.count, NULL)) {
			if (errno != ENOENT) {
				ret = -errno;
				break;
			}
			more = false;
		}
		first = false;
		ret = batch.count ? visit(fd, &batch, arg) : 0;
	}
	free(batch.keys);
	free(batch.values);
	return ret;
}

int xpf_map_delete_keys(int fd, const void *keys, size_t key_size, uint32_t count)
{
	uint32_t deleted = count;

	if (!count || !bpf_map_delete_batch(fd, keys, &deleted, NULL))
		return 0;
	for (uint32_t i = deleted; i < count; i++)
		if (bpf_map_delete_elem(fd, (const char *)keys + i * key_size) && errno != ENOENT)
			return -errno;
	return 0;
}
