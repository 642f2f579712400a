/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The addresses of this host (of its network namespace), for a `local auto` site
 * (user/core/host_roles.h). User space only. */
#ifndef XPF_HOST_ADDRS_H
#define XPF_HOST_ADDRS_H

#include <stddef.h>

#include "core/config.h"

/* Every IPv4 and IPv6 address of every interface, up or down, loopback's too (a DSR real
 * server holds the VIP there), as hosts in a malloc()ed array: its count, or a negative errno. */
int xpf_host_addrs(struct xpf_prefix **addrs);

#endif /* XPF_HOST_ADDRS_H */
