// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The generation in force and its configuration (generation.h). */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "kernel/generation.h"

int xpf_filter_read_config(const struct xpf_filter *filter, struct xpf_config *config,
			   uint32_t *generation)
{
	struct xpf_active active = {};
	uint32_t zero = 0, index;

	memset(config, 0, sizeof(*config));
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_ACTIVE], &zero, &active))
		return -errno;
	index = active.generation & 1;
	if (generation)
		*generation = index;
	return bpf_map_lookup_elem(filter->map_fds[XPF_MAP_CONFIG], &index, config) ? -errno : 0;
}

int xpf_filter_write_config(const struct xpf_filter *filter, uint32_t generation,
			    const struct xpf_config *config)
{
	return bpf_map_update_elem(filter->map_fds[XPF_MAP_CONFIG], &generation, config, BPF_EXIST)
		       ? -errno : 0;
}
