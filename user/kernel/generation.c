// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The rule set in force: its generation and configurations (generation.h). */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "kernel/generation.h"

int xpf_in_force_read(const struct xpf_filter *filter, struct xpf_in_force *in_force)
{
	uint32_t zero = 0;

	memset(in_force, 0, sizeof(*in_force));
	return bpf_map_lookup_elem(filter->map_fds[XPF_MAP_IN_FORCE], &zero, in_force) ? -errno : 0;
}

bool xpf_spare_is_left_behind(const struct xpf_in_force *in_force, const struct xpf_meta *meta)
{
	uint32_t current = in_force->generation & 1, spare = !current;

	return in_force->config[spare].loaded && meta->loaded_at_ns[spare] &&
	       meta->loaded_at_ns[spare] < meta->loaded_at_ns[current];
}

/* The whole value rewritten: the bytes a packet may be reading are written with what they
 * hold already, so it reads them whole whatever order the kernel copies in. */
static int in_force_write(const struct xpf_filter *filter, const struct xpf_in_force *in_force)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(filter->map_fds[XPF_MAP_IN_FORCE], &zero, in_force, BPF_EXIST)
		       ? -errno : 0;
}

int xpf_filter_read_config(const struct xpf_filter *filter, struct xpf_config *config,
			   uint32_t *generation)
{
	struct xpf_in_force in_force;
	int err = xpf_in_force_read(filter, &in_force);

	memset(config, 0, sizeof(*config));
	if (err)
		return err;
	if (generation)
		*generation = in_force.generation & 1;
	*config = in_force.config[in_force.generation & 1];
	return 0;
}

int xpf_filter_write_config(const struct xpf_filter *filter, uint32_t generation,
			    const struct xpf_config *config)
{
	struct xpf_in_force in_force;
	int err = xpf_in_force_read(filter, &in_force);

	if (err)
		return err;
	in_force.config[generation & 1] = *config;
	return in_force_write(filter, &in_force);
}

int xpf_filter_flip(const struct xpf_filter *filter, uint32_t generation)
{
	struct xpf_in_force in_force;
	int err = xpf_in_force_read(filter, &in_force);

	if (err)
		return err;
	in_force.generation = generation & 1;
	return in_force_write(filter, &in_force);
}

int xpf_filter_set_general_only(const struct xpf_filter *filter, bool general_only)
{
	struct xpf_in_force in_force;
	int err = xpf_in_force_read(filter, &in_force);

	if (err)
		return err;
	in_force.general_only = general_only;
	return in_force_write(filter, &in_force);
}
