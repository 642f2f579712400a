// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The drop log's events as text and JSON (drop_view.h). */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

#include "cli/drop_view.h"
#include "core/names.h"

static void format_time(uint64_t realtime_ns, char *buf, size_t size)
{
	time_t seconds = realtime_ns / 1000000000ull;
	struct tm tm;
	char whole[32];

	gmtime_r(&seconds, &tm);
	strftime(whole, sizeof(whole), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%03lluZ", whole, (unsigned long long)(realtime_ns / 1000000) % 1000);
}

static void format_address(uint8_t family, const uint8_t *addr, char *buf, size_t size)
{
	if (family != AF_INET && family != AF_INET6)
		snprintf(buf, size, "?");
	else
		inet_ntop(family, addr, buf, size);
}

static const char *interface_name(const struct xpf_drop *drop, char *buf)
{
	if (drop->filter->ifname[0])
		return drop->filter->ifname;
	return if_indextoname(drop->event.ifindex, buf) ? buf : "?";
}

void xpf_drop_print(FILE *out, const struct xpf_drop *drop)
{
	const struct xpf_log_event *e = &drop->event;
	char when[48], source[INET6_ADDRSTRLEN], dest[INET6_ADDRSTRLEN], number[8];
	char ifname[IF_NAMESIZE];
	const char *proto = xpf_ip_protocol_name(e->protocol, number, sizeof(number));
	bool v6 = e->family == AF_INET6;

	format_time(drop->realtime_ns, when, sizeof(when));
	format_address(e->family, e->source, source, sizeof(source));
	format_address(e->family, e->destination, dest, sizeof(dest));
	fprintf(out, "%s %s %s %s ", when, interface_name(drop, ifname),
		e->flags & XPF_LOG_WOULD_DROP ? "would-drop" : "drop", proto);
	if (e->flags & XPF_LOG_HAS_PORTS)
		fprintf(out, "%s%s%s:%u -> %s%s%s:%u", v6 ? "[" : "", source, v6 ? "]" : "",
			e->source_port, v6 ? "[" : "", dest, v6 ? "]" : "", e->dest_port);
	else
		fprintf(out, "%s -> %s", source, dest);
	fprintf(out, " %s", xpf_reason_name(e->reason));
	if (drop->has_rule)
		fprintf(out, " %u (%s | %s -> %s, line %u)", drop->rule_number, drop->rule.label,
			drop->rule.source, drop->rule.destination, drop->rule.line);
	fputc('\n', out);
}

struct json_object *xpf_drop_json(const struct xpf_drop *drop)
{
	const struct xpf_log_event *e = &drop->event;
	struct json_object *object = json_object_new_object();
	char when[48], address[INET6_ADDRSTRLEN], number[8], ifname[IF_NAMESIZE];
	bool ports = e->flags & XPF_LOG_HAS_PORTS;

	format_time(drop->realtime_ns, when, sizeof(when));
	json_object_object_add(object, "time", json_object_new_string(when));
	json_object_object_add(object, "time_ns", json_object_new_uint64(drop->realtime_ns));
	json_object_object_add(object, "interface",
			       json_object_new_string(interface_name(drop, ifname)));
	json_object_object_add(object, "family",
			       json_object_new_int(e->family == AF_INET6 ? 6
						   : e->family == AF_INET ? 4 : 0));
	format_address(e->family, e->source, address, sizeof(address));
	json_object_object_add(object, "source", json_object_new_string(address));
	format_address(e->family, e->destination, address, sizeof(address));
	json_object_object_add(object, "destination", json_object_new_string(address));
	json_object_object_add(object, "proto", json_object_new_string(
		xpf_ip_protocol_name(e->protocol, number, sizeof(number))));
	json_object_object_add(object, "source_port",
			       ports ? json_object_new_int(e->source_port) : NULL);
	json_object_object_add(object, "dest_port", ports ? json_object_new_int(e->dest_port) : NULL);
	json_object_object_add(object, "reason", json_object_new_string(xpf_reason_name(e->reason)));
	if (drop->has_rule) {
		struct json_object *rule = json_object_new_object();

		json_object_object_add(rule, "id", json_object_new_int64(drop->rule_number));
		json_object_object_add(rule, "counter", json_object_new_int64(e->rule_id));
		json_object_object_add(rule, "label", json_object_new_string(drop->rule.label));
		json_object_object_add(rule, "source", json_object_new_string(drop->rule.source));
		json_object_object_add(rule, "destination",
				       json_object_new_string(drop->rule.destination));
		json_object_object_add(rule, "line", json_object_new_int(drop->rule.line));
		json_object_object_add(object, "rule", rule);
	} else {
		json_object_object_add(object, "rule", NULL);
	}
	json_object_object_add(object, "would_drop",
			       json_object_new_boolean(e->flags & XPF_LOG_WOULD_DROP));
	json_object_object_add(object, "bytes", json_object_new_int64(e->packet_bytes));
	return object;
}
