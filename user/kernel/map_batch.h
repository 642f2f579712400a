/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Batched walks, writes and deletes over BPF maps: a 100,000-rule generation is tens of bpf()
 * calls, not one per key. Shared by the loader (install.c, carry.c) and leftovers.c. User
 * only. */
#ifndef XPF_MAP_BATCH_H
#define XPF_MAP_BATCH_H

#include <stddef.h>
#include <stdint.h>

/* Elements per batched bpf() call. */
#define XPF_MAP_BATCH 4096

struct xpf_map_batch {
	uint8_t *keys;		/* count keys of key_size bytes; the visitor may reorder them */
	uint8_t *values;	/* their values, value_size bytes each */
	uint32_t key_size, value_size, count;
};

typedef int (*xpf_map_visit_fn)(int fd, struct xpf_map_batch *batch, void *arg);

/* Reads every entry of @fd in batches and calls @visit on each; stops when @visit returns
 * non-zero and returns that. A hash map's batch cursor is a bucket, so @visit may delete keys
 * of its batch: the walk still sees every key once. 0, or a negative errno. */
int xpf_map_walk(int fd, xpf_map_visit_fn visit, void *arg);

/* Deletes @count keys in one call; where the batch stops (a key that is not there), one by
 * one. 0, or a negative errno other than -ENOENT. */
int xpf_map_delete_keys(int fd, const void *keys, size_t key_size, uint32_t count);

/* @count keys and values in one call; one by one where the kernel has no batch op for the
 * map. @value_size: of one key's value, all CPUs' for a per-CPU map. 0, or a negative errno. */
int xpf_map_update_batch(int fd, const void *keys, size_t key_size, const void *values,
			 size_t value_size, uint32_t count);

/* @count values of @value_size bytes (the map's) into the array map @fd from index @first on:
 * through mmap() where the map is BPF_F_MMAPABLE, else in batches. 0, or a negative errno
 * (-EINVAL: not the map's value size, or past its end). */
int xpf_map_write_array(int fd, uint32_t first, const void *values, size_t value_size,
			uint32_t count);

/* The map's max_entries, 0 where its info cannot be read. */
uint32_t xpf_map_max_entries(int fd);

/* Elements @first .. @first + @count - 1 of the BPF_F_MMAPABLE array @fd, @slot bytes apart,
 * in a shared mapping of their pages (@prot): their offset in *@mapped, which the caller
 * unmaps (@length bytes); -errno when it cannot be mapped. */
int xpf_map_array_pages(int fd, uint32_t first, uint32_t count, size_t slot, int prot,
			void **mapped, size_t *length);

/* @count values of the array map @fd from index @first on into @values (the map's value size
 * each, all CPUs' for a per-CPU map), in one batch. 0, or a negative errno (-EIO: fewer
 * read). */
int xpf_map_read_array(int fd, uint32_t first, void *values, uint32_t count);

#endif /* XPF_MAP_BATCH_H */
