/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The local addresses a loaded generation enforces, read back from its local_addrs hash: what
 * `xpf status` and `stats -j` show, so that the hosts of a pool show their own. User space
 * only. */
#ifndef XPF_LOCAL_READ_H
#define XPF_LOCAL_READ_H

#include "core/config.h"
#include "kernel/filter.h"

/* The addresses of @generation, sorted (IPv4 first), in a malloc()ed array: their count, or a
 * negative errno. */
int xpf_local_addrs_read(const struct xpf_filter *filter, uint8_t generation,
			 struct xpf_prefix **addrs);

#endif /* XPF_LOCAL_READ_H */
