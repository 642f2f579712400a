// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A generation's own map inside an outer map (inner_maps.h). */
#include <errno.h>

#include <bpf/bpf.h>

#include "kernel/inner_maps.h"

int xpf_inner_set(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation,
		  int fd)
{
	uint32_t index = generation;

	return bpf_map_update_elem(filter->map_fds[outer], &index, &fd, BPF_ANY) ? -errno : 0;
}

int xpf_inner_drop(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation)
{
	uint32_t index = generation;

	if (bpf_map_delete_elem(filter->map_fds[outer], &index) && errno != ENOENT)
		return -errno;
	return 0;
}

bool xpf_inner_present(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation)
{
	uint32_t index = generation, id;

	return !bpf_map_lookup_elem(filter->map_fds[outer], &index, &id);
}

int xpf_inner_open(const struct xpf_filter *filter, enum xpf_map outer, uint8_t generation)
{
	uint32_t index = generation, id;
	int fd;

	if (bpf_map_lookup_elem(filter->map_fds[outer], &index, &id))
		return -errno;
	fd = bpf_map_get_fd_by_id(id);
	return fd < 0 ? -errno : fd;
}
