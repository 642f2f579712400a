// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kernel/inner_maps.h"
#include "kernel/list_maps.h"
#include "kernel/map_batch.h"
#include "lib/logging.h"

int xpf_list_maps_clear(const struct xpf_filter *filter, uint8_t generation)
{
	return xpf_inner_drop(filter, XPF_MAP_LIST_LONG, generation) ?:
	       xpf_inner_drop(filter, XPF_MAP_LIST_PREFIX_V4, generation) ?:
	       xpf_inner_drop(filter, XPF_MAP_LIST_PREFIX_V6, generation);
}

/* An inner map of @outer, laid out as bpf/lists.h's template, of @max_entries. */
static int make_inner(enum xpf_map outer, uint32_t max_entries)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);
	uint32_t value_size = sizeof(uint64_t);
	int fd;

	if (outer == XPF_MAP_LIST_PREFIX_V4)
		value_size = sizeof(struct xpf_list_entry4);
	else if (outer == XPF_MAP_LIST_PREFIX_V6)
		value_size = sizeof(struct xpf_list_entry6);
	if (outer == XPF_MAP_LIST_PREFIX_V4 || outer == XPF_MAP_LIST_PREFIX_V6)
		opts.map_flags |= BPF_F_INNER_MAP;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, xpf_map_names[outer], sizeof(uint32_t),
			    value_size, max_entries, &opts);
	return fd < 0 ? -errno : fd;
}

/* An array made to the family's prefixes, filled through mmap(), then put in its place. Where
 * the kernel cannot make it, the need is said: nothing is in force yet. */
static int write_prefixes(const struct xpf_filter *filter, const struct xpf_list_image *image,
			  uint8_t generation, int family_index)
{
	enum xpf_map outer = family_index ? XPF_MAP_LIST_PREFIX_V6 : XPF_MAP_LIST_PREFIX_V4;
	size_t count = image->family_count[family_index];
	size_t size = family_index ? sizeof(*image->v6) : sizeof(*image->v4);
	const void *entries = family_index ? (const void *)image->v6 : (const void *)image->v4;
	int fd, err;

	if (!count)
		return 0;
	fd = make_inner(outer, (uint32_t)count);
	if (fd < 0) {
		pr_warn("xpf: cannot make the map of %zu listed %s prefixes, %zu MiB (%s): raise "
			"the memory the kernel may give BPF maps (ulimit -l, the cgroup's "
			"memory.max), or shorten the lists\n", count, family_index ? "IPv6" : "IPv4",
			(count * size) >> 20, strerror(-fd));
		return fd;
	}
	err = xpf_map_write_array(fd, 0, entries, size, (uint32_t)count);
	err = err ?: xpf_inner_set(filter, outer, generation, fd);
	close(fd);
	return err;
}

/* A map of fixed size (@count values of @size) of the generation's in @outer, written from
 * @values; none without them. */
static int write_whole(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation,
		       const void *values, size_t size, uint32_t count)
{
	int fd, err;

	if (!values)
		return 0;
	fd = make_inner(outer, count);
	if (fd < 0)
		return fd;
	err = xpf_map_write_array(fd, 0, values, size, count);
	err = err ?: xpf_inner_set(filter, outer, generation, fd);
	close(fd);
	return err;
}

/* The generation's region of the roots, where it has lists (a generation without them never
 * reads its roots). Two slots an element: the image's [root][slot] array as it lies in
 * memory. */
static int write_roots(const struct xpf_filter *filter, const struct xpf_list_image *image,
		       uint8_t generation)
{
	if (!image->roots)
		return 0;
	return xpf_map_write_array(filter->map_fds[XPF_MAP_LIST_ROOTS],
				   xpf_list_root_index(generation, 0, 0) / 2, image->roots,
				   sizeof(uint64_t), XPF_LIST_ROOT_ENTRIES / 2);
}

int xpf_list_maps_write(const struct xpf_filter *filter, const struct xpf_list_image *image,
			uint8_t generation, uint32_t first_id)
{
	struct xpf_list_rule rules[XPF_MAX_LISTS];
	uint32_t index = generation;
	int err;

	memcpy(rules, image->rules, sizeof(rules));
	for (size_t i = 0; i < image->list_count; i++)
		rules[i].rule_id += first_id;
	err = xpf_list_maps_clear(filter, generation) ?:
	      xpf_map_write_array(filter->map_fds[XPF_MAP_LIST_RULES], generation * XPF_MAX_LISTS,
				  rules, sizeof(rules[0]), XPF_MAX_LISTS);
	err = err ?: (bpf_map_update_elem(filter->map_fds[XPF_MAP_LIST_LENGTHS], &index,
					  &image->lengths, BPF_ANY) ? -errno : 0);
	return err ?: write_prefixes(filter, image, generation, 0) ?:
	       write_prefixes(filter, image, generation, 1) ?:
	       write_whole(filter, XPF_MAP_LIST_LONG, generation, image->long_words,
			   sizeof(*image->long_words), 2 * XPF_LIST_LONG_WORDS) ?:
	       write_roots(filter, image, generation);
}
