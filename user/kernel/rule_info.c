// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* rule_info, an array a generation (rule_info.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kernel/inner_maps.h"
#include "kernel/rule_info.h"

/* Rule metadata written or read a part at a time: 768 KiB. */
#define INFOS_AT_ONCE 4096

int xpf_rule_info_open(const struct xpf_filter *filter, uint8_t generation)
{
	return xpf_inner_open(filter, XPF_MAP_RULE_INFO, generation);
}

bool xpf_rule_info_present(const struct xpf_filter *filter, uint8_t generation)
{
	return xpf_inner_present(filter, XPF_MAP_RULE_INFO, generation);
}

int xpf_rule_info_drop(const struct xpf_filter *filter, uint8_t generation)
{
	return xpf_inner_drop(filter, XPF_MAP_RULE_INFO, generation);
}

/* An array of @count metadata (at least one: the kernel makes no empty array), laid out as
 * bpf/classify.h's template; written through mmap(). */
static int make_array(uint32_t count)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, xpf_map_names[XPF_MAP_RULE_INFO],
				sizeof(uint32_t), sizeof(struct xpf_rule_info), count ?: 1, &opts);

	return fd < 0 ? -errno : fd;
}

/* Metadata @first .. @first + @count - 1 filled in place, in a mapping of the array's pages
 * (no copy of 100,000 rules' 19 MB from a buffer); else in @buffer, then written. */
static int fill_infos(int fd, uint32_t first, uint32_t count, xpf_rule_info_fill_fn fill,
		      void *arg, struct xpf_rule_info *buffer)
{
	size_t length;
	void *mapped;
	int offset = xpf_map_array_pages(fd, first, count, sizeof(struct xpf_rule_info),
					 PROT_READ | PROT_WRITE, &mapped, &length);

	if (offset >= 0) {
		fill(arg, first, count, (struct xpf_rule_info *)((char *)mapped + offset));
		munmap(mapped, length);
		return 0;
	}
	fill(arg, first, count, buffer);
	return xpf_map_write_array(fd, first, buffer, sizeof(*buffer), count);
}

int xpf_rule_info_write(const struct xpf_filter *filter, uint8_t generation, uint32_t count,
			xpf_rule_info_fill_fn fill, void *arg)
{
	struct xpf_rule_info *infos = malloc(INFOS_AT_ONCE * sizeof(*infos));
	int fd = make_array(count), err = fd < 0 ? fd : infos ? 0 : -ENOMEM;

	for (uint32_t done = 0; done < count && !err; done += INFOS_AT_ONCE) {
		uint32_t n = count - done < INFOS_AT_ONCE ? count - done : INFOS_AT_ONCE;

		err = fill_infos(fd, done, n, fill, arg, infos);
	}
	err = err ?: xpf_inner_set(filter, XPF_MAP_RULE_INFO, generation, fd);
	if (fd >= 0)
		close(fd);
	free(infos);
	return err;
}

int xpf_rule_info_get(const struct xpf_filter *filter, uint32_t span, uint32_t id,
		      struct xpf_rule_info *info)
{
	uint32_t index = span ? id % span : 0;
	int fd = span ? xpf_rule_info_open(filter, (uint8_t)(id / span)) : -ENOENT;
	int err;

	if (fd < 0)
		return fd;
	err = bpf_map_lookup_elem(fd, &index, info) ? -errno : 0;
	close(fd);
	return err;
}


/* @batch's values: the array's @count metadata from @first on, in place where they can be
 * mapped (no copy of 100,000 rules' 19 MB through bpf()), else read into @buffer. */
static int read_infos(int fd, uint32_t first, struct xpf_map_batch *batch, uint8_t *buffer,
		      void **mapped, size_t *length)
{
	int offset = xpf_map_array_pages(fd, first, batch->count, sizeof(struct xpf_rule_info),
					 PROT_READ, mapped, length);

	if (offset >= 0) {
		batch->values = (uint8_t *)*mapped + offset;
		return 0;
	}
	*mapped = NULL;
	batch->values = buffer;
	return xpf_map_read_array(fd, first, buffer, batch->count);
}

int xpf_rule_info_walk(const struct xpf_filter *filter, uint8_t generation, uint32_t span,
		       xpf_map_visit_fn visit, void *arg)
{
	struct xpf_map_batch batch = { .key_size = sizeof(uint32_t),
				       .value_size = sizeof(struct xpf_rule_info) };
	int fd = xpf_rule_info_open(filter, generation), err;
	uint8_t *buffer;
	uint32_t count;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	/* Its rules, or 1 for a generation of none. */
	count = xpf_map_max_entries(fd);
	batch.keys = malloc(INFOS_AT_ONCE * sizeof(uint32_t));
	buffer = malloc(INFOS_AT_ONCE * sizeof(struct xpf_rule_info));
	err = batch.keys && buffer ? 0 : -ENOMEM;
	for (uint32_t done = 0; done < count && !err; done += INFOS_AT_ONCE) {
		uint32_t *ids = (uint32_t *)batch.keys;
		size_t length = 0;
		void *mapped;

		batch.count = count - done < INFOS_AT_ONCE ? count - done : INFOS_AT_ONCE;
		err = read_infos(fd, done, &batch, buffer, &mapped, &length);
		for (uint32_t i = 0; i < batch.count; i++)
			ids[i] = generation * span + done + i;
		err = err ?: visit(fd, &batch, arg);
		if (mapped)
			munmap(mapped, length);
	}
	free(batch.keys);
	free(buffer);
	close(fd);
	return err;
}
