// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "core/site_record.h"
#include "kernel/generation.h"
#include "kernel/loaded_site.h"

int xpf_filter_in_force(const struct xpf_filter *filter, uint32_t *generation,
			struct xpf_config *config, uint64_t *loaded_at_ns)
{
	struct xpf_meta meta;
	uint32_t zero = 0;
	int err = xpf_filter_read_config(filter, config, generation);

	if (err)
		return err;
	if (!config->loaded)
		return -ENOENT;
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta))
		return -errno;
	*loaded_at_ns = meta.loaded_at_ns[*generation & 1];
	return 0;
}

void xpf_filter_site_path(const struct xpf_filter *filter, char *path, size_t size)
{
	struct xpf_config config;
	struct xpf_meta meta;
	uint32_t generation, zero = 0;

	path[0] = '\0';
	if (!xpf_filter_read_config(filter, &config, &generation) &&
	    !bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta))
		snprintf(path, size, "%.*s", (int)sizeof(meta.site[0]), meta.site[generation & 1]);
}

int xpf_filter_record_site(const struct xpf_filter *filter, const char *text)
{
	struct xpf_config config;
	uint64_t loaded_at_ns;
	uint32_t generation;
	int err = xpf_filter_in_force(filter, &generation, &config, &loaded_at_ns);

	return err ?: xpf_site_record_write(filter->ifname, loaded_at_ns, text);
}

int xpf_filter_recorded_site(const struct xpf_filter *filter, char **text, struct xpf_error *err)
{
	struct xpf_config config;
	uint64_t loaded_at_ns;
	uint32_t generation;
	int ret = xpf_filter_in_force(filter, &generation, &config, &loaded_at_ns);

	*text = NULL;
	if (ret)
		return xpf_error_set(err, filter->ifname, 0, "no rule set in force: %s",
				     strerror(-ret)), ret;
	return xpf_site_record_read(filter->ifname, loaded_at_ns, text, err);
}

int xpf_filter_loaded_config(const struct xpf_filter *filter, struct xpf_loaded_config *config,
			     struct xpf_error *err)
{
	char *text, name[IF_NAMESIZE + 32];
	int ret = xpf_filter_recorded_site(filter, &text, err);

	memset(config, 0, sizeof(*config));
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%s (in force)", filter->ifname);
	ret = xpf_config_read_text(text, name, config, err) ?: xpf_config_build(config, err);
	free(text);
	return ret;
}
