/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `local auto`: which roles of a site are a given host's, from the host's addresses. Pure: the
 * addresses come from the caller (user/kernel/host_addrs.h on the host itself, `xpf check
 * --host` for another). User space only. */
#ifndef XPF_HOST_ROLES_H
#define XPF_HOST_ROLES_H

#include <stddef.h>

#include "core/config.h"

/* For each of @addrs (hosts: /32 or /128), the roles holding it with their longest prefix are
 * the host's: a Director's own /32 wins over the /24 of the network it sits in, which another
 * role may name. Those roles become local, and the addresses they hold are kept in
 * site->host_addrs: only they are enforced, not the other members of a pool role. Roles named
 * by `protect` are behind the host, never its own. A site without `local auto` is left as it
 * is. -ENOENT, with FILE:LINE of `local`, when no role holds
 * any of the addresses. */
int xpf_site_take_host(struct xpf_site *site, const struct xpf_prefix *addrs, size_t count,
		       struct xpf_error *err);

#endif /* XPF_HOST_ROLES_H */
