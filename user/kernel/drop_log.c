// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The drop log: ring buffer events → wall-clock time, the deciding row, text or JSON. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/denied.h"
#include "kernel/drop_log.h"
#include "kernel/stats.h"

#define POLL_TIMEOUT_MS 250

struct follower {
	const struct xpf_filter *filter;
	xpf_drop_handler handler;
	void *ctx;
};

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec now;

	clock_gettime(clock, &now);
	return now.tv_sec * 1000000000ull + now.tv_nsec;
}

/* The row behind a rule id, numbered as `xpf stats` numbers the rows of its generation. */
static void find_rule(const struct xpf_filter *filter, struct xpf_drop *drop)
{
	struct xpf_meta meta;
	uint32_t zero = 0;

	if (drop->event.reason != XPF_REASON_RULE ||
	    bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta) ||
	    !meta.rule_id_span ||
	    bpf_map_lookup_elem(filter->map_fds[XPF_MAP_RULE_INFO], &drop->event.rule_id,
				&drop->rule))
		return;
	drop->has_rule = true;
	drop->rule_number = drop->event.rule_id % meta.rule_id_span + 1;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct follower *follower = ctx;
	struct xpf_drop drop = { .filter = follower->filter };

	if (size < sizeof(drop.event))
		return 0;
	memcpy(&drop.event, data, sizeof(drop.event));
	/* The event's clock is CLOCK_MONOTONIC: shifted to the wall clock as it reads now. */
	drop.realtime_ns = drop.event.time_ns + clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	find_rule(follower->filter, &drop);
	follower->handler(&drop, follower->ctx);
	return 0;
}

int xpf_drop_log_follow(const struct xpf_filter *filters, int count, volatile sig_atomic_t *stop,
			xpf_drop_handler handler, void *ctx)
{
	struct follower followers[XPF_MAX_FOLLOWED];
	struct ring_buffer *ring = NULL;
	int err = 0;

	if (count < 1 || count > XPF_MAX_FOLLOWED)
		return -EINVAL;
	for (int i = 0; i < count && !err; i++) {
		int fd = filters[i].map_fds[XPF_MAP_DROP_LOG];

		followers[i] = (struct follower){ &filters[i], handler, ctx };
		if (!ring) {
			ring = ring_buffer__new(fd, on_event, &followers[i], NULL);
			err = ring ? 0 : -errno;
		} else {
			err = ring_buffer__add(ring, fd, on_event, &followers[i]);
		}
	}
	while (!err && !*stop) {
		err = ring_buffer__poll(ring, POLL_TIMEOUT_MS);
		if (err == -EINTR)
			err = 0;
		err = err < 0 ? err : 0;
	}
	ring_buffer__free(ring);
	return err;
}

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
