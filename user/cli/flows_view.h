/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `xpf flows`: the flows the host opened, as text and JSON. User space only. */
#ifndef XPF_FLOWS_VIEW_H
#define XPF_FLOWS_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "kernel/flows.h"

/* "192.0.2.101:40000" or "[2001:db8::1]:40000": @size of 64 holds any. */
void xpf_flow_format_endpoint(uint8_t family, const uint8_t *addr, uint16_t port, char *buf,
			      size_t size);
struct json_object *xpf_flow_json(const struct xpf_flow *flow);

#endif /* XPF_FLOWS_VIEW_H */
