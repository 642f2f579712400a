/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The host a `local auto` site is built for: the addresses of `xpf check --host`, or this
 * host's own. User space only. */
#ifndef XPF_HOST_LIST_H
#define XPF_HOST_LIST_H

#include <stddef.h>

#include "core/config.h"

struct xpf_host_list {
	struct xpf_prefix *addrs;
	size_t count;
	size_t cap;
};

/* "ADDR" or "ADDR,ADDR,...": each a host address (no prefix length). -EINVAL with *problem. */
int xpf_host_list_parse(struct xpf_host_list *list, const char *text, const char **problem);
/* Builds `local auto` sites for @list's addresses from now on; for this host's own when @list
 * has none (they are found here). -errno when they cannot be read. */
int xpf_host_list_apply(struct xpf_host_list *list);
void xpf_host_list_free(struct xpf_host_list *list);

#endif /* XPF_HOST_LIST_H */
