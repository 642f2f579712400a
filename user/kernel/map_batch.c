// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Batched walks, writes and deletes over BPF maps (map_batch.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kernel/map_batch.h"

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

/* @count keys and values in one call; one by one where the kernel has no batch op for the map.
 * @value_size: of one key's value, all CPUs' for a per-CPU map. */
int xpf_map_update_batch(int fd, const void *keys, size_t key_size, const void *values,
			size_t value_size, uint32_t count)
{
	uint32_t done = count;

	if (!count || !bpf_map_update_batch(fd, keys, values, &done, NULL))
		return 0;
	if (errno != EINVAL && errno != ENOTSUP && errno != EOPNOTSUPP)
		return -errno;
	for (uint32_t i = 0; i < count; i++) {
		if (bpf_map_update_elem(fd, (const char *)keys + i * key_size,
					(const char *)values + i * value_size, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* Pages of an array map mapped at a time by xpf_map_write_array(): a mapping's pages count in the
 * loader's RSS until it is unmapped. */
#define ARRAY_WINDOW_BYTES (256 << 10)

uint32_t xpf_map_max_entries(int fd)
{
	struct bpf_map_info info = {};
	__u32 length = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &length) ? 0 : info.max_entries;
}

int xpf_map_array_pages(int fd, uint32_t first, uint32_t count, size_t slot, int prot,
			void **mapped, size_t *length)
{
	size_t page = (size_t)getpagesize(), start = (size_t)first * slot;
	size_t map_at = start & ~(page - 1);

	*length = (start + (size_t)count * slot - map_at + page - 1) & ~(page - 1);
	*mapped = mmap(NULL, *length, prot, MAP_SHARED, fd, (off_t)map_at);
	if (*mapped == MAP_FAILED)
		return -errno;
	return (int)(start - map_at);
}

/* Values @first .. @first + @count - 1 of an array map whose elements are @slot bytes apart,
 * through shared mappings of some ARRAY_WINDOW_BYTES each. -errno when it cannot be mapped. */
static int write_mapped(int fd, uint32_t first, const void *values, size_t value_size,
			size_t slot, uint32_t count)
{
	uint32_t per_window = ARRAY_WINDOW_BYTES / slot ?: 1;

	for (uint32_t done = 0; done < count;) {
		uint32_t n = count - done < per_window ? count - done : per_window;
		size_t length;
		void *mapped;
		int offset = xpf_map_array_pages(fd, first + done, n, slot, PROT_READ | PROT_WRITE,
						 &mapped, &length);

		if (offset < 0)
			return offset;
		for (uint32_t i = 0; i < n; i++)
			memcpy((char *)mapped + offset + (size_t)i * slot,
			       (const char *)values + (size_t)(done + i) * value_size, value_size);
		munmap(mapped, length);
		done += n;
	}
	return 0;
}

int xpf_map_read_array(int fd, uint32_t first, void *values, uint32_t count)
{
	uint32_t *keys = malloc((count ?: 1) * sizeof(*keys));
	uint32_t got = count, before = first - 1, next;
	int err = 0;

	if (!keys)
		return -ENOMEM;
	/* An array's batch cursor is the key before the first one read. */
	if (count && bpf_map_lookup_batch(fd, first ? &before : NULL, &next, keys, values, &got,
					  NULL) && errno != ENOENT)
		err = -errno;
	else if (count && (got != count || keys[0] != first))
		err = -EIO;
	free(keys);
	return err;
}

/* @count values of an array map from index @first on. The maps xpf writes most (the class
 * grid, port classes, source trie) are BPF_F_MMAPABLE: stored through shared mappings, one
 * store per value instead of one copy_from_user() and map update in the kernel each (at
 * 100,000 rules some 600,000 values). The mapping's slots are the array's elements,
 * @value_size rounded up to 8. Updated in batches where it cannot be mapped. */
int xpf_map_write_array(int fd, uint32_t first, const void *values, size_t value_size,
		       uint32_t count)
{
	struct bpf_map_info info = {};
	__u32 length = sizeof(info);
	uint32_t *keys;
	int err;

	if (!count)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &length))
		return -errno;
	if (info.value_size != value_size || first > info.max_entries ||
	    count > info.max_entries - first)
		return -EINVAL;
	if ((info.map_flags & BPF_F_MMAPABLE) &&
	    !write_mapped(fd, first, values, value_size, (value_size + 7) & ~(size_t)7, count))
		return 0;
	keys = malloc(count * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++)
		keys[i] = first + i;
	err = xpf_map_update_batch(fd, keys, sizeof(*keys), values, value_size, count);
	free(keys);
	return err;
}
