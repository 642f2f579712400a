// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf stats --denied [--top N] [-j] [IFACE]: what was dropped, by destination port and by
 * source prefix, read from the filter's denied record (user/kernel/denied.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "core/names.h"
#include "kernel/denied.h"
#include "kernel/filter.h"
#include "cli/stats_denied.h"

struct denied_view {
	struct xpf_denied_entry *ports, *sources;
	int port_count, source_count;
	size_t ports_total, sources_total;
	int64_t estimated;	/* packets counted by sampling under a flood */
};

static int read_denied(const char *ifname, size_t top, struct denied_view *view)
{
	struct xpf_filter filter;
	int err = xpf_filter_find(ifname, &filter);

	if (err)
		return report_filter_error(ifname, "stats", err);
	memset(view, 0, sizeof(*view));
	view->ports = calloc(top ?: 1, sizeof(*view->ports));
	view->sources = calloc(top ?: 1, sizeof(*view->sources));
	if (!view->ports || !view->sources) {
		err = -ENOMEM;
	} else {
		view->port_count = xpf_denied_top(&filter, XPF_DENIED_BY_PORT, view->ports, top,
						  &view->ports_total);
		view->source_count = xpf_denied_top(&filter, XPF_DENIED_BY_SOURCE, view->sources,
						    top, &view->sources_total);
		view->estimated = xpf_denied_estimated(&filter);
		err = view->port_count < 0 ? view->port_count
		      : view->source_count < 0 ? view->source_count
		      : view->estimated < 0 ? (int)view->estimated : 0;
	}
	xpf_filter_close(&filter);
	if (err) {
		free(view->ports);
		free(view->sources);
		return report_failure(ifname, "read the denied record", err);
	}
	return 0;
}

static void print_denied_list(const char *title, const struct xpf_denied_entry *entries,
			      int count, size_t total)
{
	printf("\n%-42s %12s %14s\n", title, "PACKETS", "BYTES");
	for (int i = 0; i < count; i++)
		printf("%-42s %12llu %14llu\n", entries[i].key,
		       (unsigned long long)entries[i].packets, (unsigned long long)entries[i].bytes);
	if (total > (size_t)count)
		printf("(%zu more)\n", total - (size_t)count);
}

static struct json_object *denied_list_json(const struct xpf_denied_entry *entries, int count,
					    enum xpf_denied_kind kind)
{
	struct json_object *list = json_object_new_array();
	char number[8];

	for (int i = 0; i < count; i++) {
		struct json_object *entry = json_object_new_object();

		json_object_object_add(entry, "key", json_object_new_string(entries[i].key));
		if (kind == XPF_DENIED_BY_PORT) {
			json_object_object_add(entry, "port", json_object_new_int(entries[i].port));
			json_object_object_add(entry, "proto", json_object_new_string(
				xpf_ip_protocol_name(entries[i].protocol, number, sizeof(number))));
		} else {
			json_object_object_add(entry, "prefix", json_object_new_string(entries[i].key));
		}
		json_object_object_add(entry, "packets", json_object_new_uint64(entries[i].packets));
		json_object_object_add(entry, "bytes", json_object_new_uint64(entries[i].bytes));
		json_object_array_add(list, entry);
	}
	return list;
}

static struct json_object *denied_json(const char *ifname, const struct denied_view *view)
{
	struct json_object *root = json_object_new_object();

	json_object_object_add(root, "interface", json_object_new_string(ifname));
	json_object_object_add(root, "ports", denied_list_json(view->ports, view->port_count,
							       XPF_DENIED_BY_PORT));
	json_object_object_add(root, "ports_tracked", json_object_new_uint64(view->ports_total));
	json_object_object_add(root, "sources", denied_list_json(view->sources,
								 view->source_count,
								 XPF_DENIED_BY_SOURCE));
	json_object_object_add(root, "sources_tracked",
			       json_object_new_uint64(view->sources_total));
	json_object_object_add(root, "estimated", json_object_new_boolean(view->estimated > 0));
	json_object_object_add(root, "estimated_packets",
			       json_object_new_uint64((uint64_t)view->estimated));
	return root;
}

static int show_denied(const char *ifname, size_t top, struct json_object *interfaces)
{
	struct denied_view view;

	if (read_denied(ifname, top, &view))
		return 1;
	if (interfaces) {
		json_object_array_add(interfaces, denied_json(ifname, &view));
	} else {
		printf("denied on %s (drops; in audit mode would-drops)\n", ifname);
		/* Under a flood the record samples (bpf/record.h): say so, with how much. */
		if (view.estimated > 0)
			printf("estimated: %lld packets were counted by sampling 1 drop in %u "
			       "under a flood\n", (long long)view.estimated,
			       (unsigned int)XPF_DENIED_SAMPLE_EVERY);
		print_denied_list("DESTINATION PORT", view.ports, view.port_count,
				  view.ports_total);
		print_denied_list("SOURCE PREFIX", view.sources, view.source_count,
				  view.sources_total);
	}
	free(view.ports);
	free(view.sources);
	return 0;
}

int xpf_stats_denied_show(char (*names)[IF_NAMESIZE], int count, size_t top,
			  struct json_object *interfaces)
{
	int failed = 0;

	for (int i = 0; i < count; i++)
		failed |= show_denied(names[i], top, interfaces);
	return failed;
}
