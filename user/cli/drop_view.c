// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The drop log's events as text and JSON (drop_view.h). */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cli/drop_view.h"
#include "core/names.h"

/* A field as long as a role name with every character escaped, its key and quotes. */
#define XPF_FIELD_MAX 320

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

/* Appends " KEY=VALUE" (no blank before the first) when it fits whole; quoted when VALUE
 * holds a blank, '"', '=' or '\\'. */
static void add_field(char *buf, size_t size, const char *key, const char *value)
{
	size_t used = strlen(buf), length;
	bool quote = value[strcspn(value, " \t\"=\\")] != '\0';
	char field[XPF_FIELD_MAX];
	char *out = field;

	out += snprintf(field, sizeof(field), "%s%s=%s", used ? " " : "", key, quote ? "\"" : "");
	for (const char *c = value; *c && out < field + sizeof(field) - 3; c++) {
		if (quote && (*c == '"' || *c == '\\'))
			*out++ = '\\';
		*out++ = *c;
	}
	if (quote)
		*out++ = '"';
	*out = '\0';
	length = (size_t)(out - field);
	if (used + length < size)
		memcpy(buf + used, field, length + 1);
}

static void add_number(char *buf, size_t size, const char *key, unsigned long long value)
{
	char text[24];

	snprintf(text, sizeof(text), "%llu", value);
	add_field(buf, size, key, text);
}

void xpf_drop_format_fields(const struct xpf_drop *drop, char *buf, size_t size)
{
	const struct xpf_log_event *e = &drop->event;
	char text[INET6_ADDRSTRLEN + 48], number[8], ifname[IF_NAMESIZE];

	if (!size)
		return;
	buf[0] = '\0';
	format_time(drop->realtime_ns, text, sizeof(text));
	add_field(buf, size, "time", text);
	add_field(buf, size, "interface", interface_name(drop, ifname));
	add_number(buf, size, "family", e->family == AF_INET6 ? 6 : e->family == AF_INET ? 4 : 0);
	format_address(e->family, e->source, text, sizeof(text));
	add_field(buf, size, "source", text);
	format_address(e->family, e->destination, text, sizeof(text));
	add_field(buf, size, "destination", text);
	add_field(buf, size, "proto", xpf_ip_protocol_name(e->protocol, number, sizeof(number)));
	if (e->flags & XPF_LOG_HAS_PORTS) {
		add_number(buf, size, "source_port", e->source_port);
		add_number(buf, size, "dest_port", e->dest_port);
	}
	add_field(buf, size, "reason", xpf_reason_name(e->reason));
	if (drop->has_rule) {
		add_number(buf, size, "rule_id", drop->rule_number);
		add_field(buf, size, "rule_label", drop->rule.label);
		add_field(buf, size, "rule_source", drop->rule.source);
		add_field(buf, size, "rule_destination", drop->rule.destination);
		add_number(buf, size, "rule_line", drop->rule.line);
	}
	add_number(buf, size, "would_drop", !!(e->flags & XPF_LOG_WOULD_DROP));
	add_number(buf, size, "bytes", e->packet_bytes);
}
