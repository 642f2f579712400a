// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "kernel/map_memory.h"

/* The `memlock:` line of @fd's fdinfo: what the kernel charges for the map. */
static int memlock_of(int fd, uint64_t *bytes)
{
	char path[64], line[128];
	FILE *info;
	int err = -ENOENT;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = fopen(path, "r");
	if (!info)
		return -errno;
	while (fgets(line, sizeof(line), info))
		if (sscanf(line, "memlock: %" SCNu64, bytes) == 1) {
			err = 0;
			break;
		}
	fclose(info);
	return err;
}

/* The inner maps of the map of maps @outer, by the ids its entries hold. */
static int inner_memory(int outer, uint64_t *bytes)
{
	for (uint32_t generation = 0; generation < XPF_GENERATIONS; generation++) {
		uint32_t id;
		uint64_t map_bytes;
		int fd, err;

		if (bpf_map_lookup_elem(outer, &generation, &id))
			continue;	/* no map for that generation */
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* gone since: retired */
		err = memlock_of(fd, &map_bytes);
		close(fd);
		if (err)
			return err;
		*bytes += map_bytes;
	}
	return 0;
}

/* The maps the program @prog_fd uses, by the ids the kernel lists for it: every map it names,
 * the ones no xpf command reads (scratch space, the drop summaries) too. */
static int program_memory(int prog_fd, uint64_t *bytes)
{
	struct bpf_prog_info info = {};
	__u32 length = sizeof(info), ids[64];
	int err = 0;

	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &length))
		return -errno;
	for (__u32 i = 0; i < info.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]) && !err; i++) {
		uint64_t map_bytes = 0;
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			return -errno;
		err = memlock_of(fd, &map_bytes);
		close(fd);
		*bytes += map_bytes;
	}
	return err;
}

int xpf_map_memory(const struct xpf_filter *filter, uint64_t *bytes)
{
	static const enum xpf_map outers[] = { XPF_MAP_RULES_V4, XPF_MAP_RULES_V6,
					       XPF_MAP_LIST_LONG, XPF_MAP_LIST_PREFIX_V4,
					       XPF_MAP_LIST_PREFIX_V6, XPF_MAP_RULE_INFO };
	int err;

	*bytes = 0;
	err = program_memory(filter->prog_fd, bytes);
	for (size_t i = 0; i < sizeof(outers) / sizeof(outers[0]) && !err; i++)
		err = inner_memory(filter->map_fds[outers[i]], bytes);
	return err;
}
