// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The flows the host opened as text and JSON (flows_view.h). */
#include <arpa/inet.h>
#include <stdio.h>

#include "cli/flows_view.h"
#include "core/names.h"

static void format_address(uint8_t family, const uint8_t *addr, char *buf, size_t size)
{
	if (!inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr, buf, size))
		snprintf(buf, size, "?");
}

void xpf_flow_format_endpoint(uint8_t family, const uint8_t *addr, uint16_t port, char *buf,
			      size_t size)
{
	char text[INET6_ADDRSTRLEN];

	format_address(family, addr, text, sizeof(text));
	snprintf(buf, size, family == AF_INET ? "%s:%u" : "[%s]:%u", text, port);
}

struct json_object *xpf_flow_json(const struct xpf_flow *flow)
{
	struct json_object *object = json_object_new_object();
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN];

	format_address(flow->key.family, flow->key.local, local, sizeof(local));
	format_address(flow->key.family, flow->key.remote, remote, sizeof(remote));
	json_object_object_add(object, "proto",
			       json_object_new_string(flow->key.protocol == IPPROTO_TCP ? "tcp"
											: "udp"));
	json_object_object_add(object, "local", json_object_new_string(local));
	json_object_object_add(object, "local_port", json_object_new_int(flow->key.local_port));
	json_object_object_add(object, "remote", json_object_new_string(remote));
	json_object_object_add(object, "remote_port", json_object_new_int(flow->key.remote_port));
	json_object_object_add(object, "state",
			       json_object_new_string(xpf_flow_state_name(flow->value.state)));
	json_object_object_add(object, "idle_seconds", json_object_new_double(flow->idle_seconds));
	json_object_object_add(object, "expired", json_object_new_boolean(flow->expired));
	return object;
}
