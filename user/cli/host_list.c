// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The host a `local auto` site is built for (host_list.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/host_list.h"
#include "core/config_load.h"
#include "kernel/host_addrs.h"
#include "lib/vector.h"

int xpf_host_list_parse(struct xpf_host_list *list, const char *text, const char **problem)
{
	char *copy = strdup(text), *item, *save = NULL;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ", ", &save); item && !ret; item = strtok_r(NULL, ", ", &save)) {
		struct xpf_prefix addr;

		if (strchr(item, '/')) {
			*problem = "an address, not a prefix";
			ret = -EINVAL;
		} else if (xpf_prefix_parse(item, &addr, problem)) {
			ret = -EINVAL;
		} else if (xpf_array_reserve(&list->addrs, &list->cap, list->count + 1, 4)) {
			ret = -ENOMEM;
		} else {
			list->addrs[list->count++] = addr;
		}
	}
	free(copy);
	return ret;
}

int xpf_host_list_apply(struct xpf_host_list *list)
{
	if (!list->count) {
		int count = xpf_host_addrs(&list->addrs);

		if (count < 0)
			return count;
		list->count = list->cap = (size_t)count;
	}
	xpf_config_set_host(list->addrs, list->count);
	return 0;
}

void xpf_host_list_free(struct xpf_host_list *list)
{
	xpf_config_set_host(NULL, 0);
	free(list->addrs);
	memset(list, 0, sizeof(*list));
}
