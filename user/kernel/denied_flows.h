/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The denied record by flow (maps.h, denied_flows): every entry, its CPUs summed. User space
 * only; `xpf suggest` reads it. */
#ifndef XPF_DENIED_FLOWS_H
#define XPF_DENIED_FLOWS_H

#include <stddef.h>

#include "core/suggest.h"
#include "kernel/filter.h"

/* Into *@flows (malloc()ed), *@count of them. */
int xpf_denied_flows_read(const struct xpf_filter *filter, struct xpf_denied_flow **flows,
			  size_t *count);

#endif /* XPF_DENIED_FLOWS_H */
