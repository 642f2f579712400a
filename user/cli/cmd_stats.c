// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf stats [-j | --prometheus] [--by rule|port] [IFACE]: per-rule (or per-port) and
 * per-reason counters. xpf stats --denied [--top N] [-j] [IFACE]: what was dropped. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/prometheus.h"
#include "cli/snapshot.h"
#include "cli/snapshot_read.h"
#include "cli/stats_denied.h"
#include "cli/stats_view.h"
#include "kernel/filter.h"

#define DEFAULT_TOP 10
#define MAX_TOP 100000

static void stats_usage(void)
{
	fprintf(stderr, "usage: xpf stats [-j | --prometheus] [--by rule|port] [IFACE]\n"
			"       xpf stats --denied [--top N] [-j] [IFACE]\n");
}

enum stats_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS };

static void print_json(const struct xpf_snapshot *snapshot, enum xpf_stats_view view,
		       int one_named)
{
	struct json_object *all = NULL;

	/* One interface named: one JSON object; all interfaces: an array of them. */
	if (!one_named)
		all = json_object_new_array();
	for (size_t i = 0; i < snapshot->count; i++) {
		struct json_object *object = xpf_stats_json(&snapshot->interfaces[i], view);

		if (all) {
			json_object_array_add(all, object);
		} else {
			puts(json_object_to_json_string_ext(object, JSON_C_TO_STRING_PRETTY));
			json_object_put(object);
		}
	}
	if (all) {
		puts(json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY));
		json_object_put(all);
	}
}

int cmd_stats(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'P' },
		{ "by", required_argument, NULL, 'b' },
		{ "denied", no_argument, NULL, 'd' },
		{ "top", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE];
	enum xpf_stats_view view = XPF_VIEW_RULE;
	enum stats_format format = FORMAT_TEXT;
	struct xpf_snapshot snapshot;
	int opt, count, denied = 0, by_given = 0;
	long top = DEFAULT_TOP;
	const char *ifname;
	char *end;

	while ((opt = getopt_long(argc, argv, "jh", options, NULL)) != -1) {
		if (opt == 'j' && format != FORMAT_PROMETHEUS) {
			format = FORMAT_JSON;
		} else if (opt == 'P' && format != FORMAT_JSON) {
			format = FORMAT_PROMETHEUS;
		} else if (opt == 'b' && (!strcmp(optarg, "rule") || !strcmp(optarg, "port"))) {
			view = !strcmp(optarg, "port") ? XPF_VIEW_PORT : XPF_VIEW_RULE;
			by_given = 1;
		} else if (opt == 'd') {
			denied = 1;
		} else if (opt == 't') {
			top = strtol(optarg, &end, 10);
			if (*end || end == optarg || top < 1 || top > MAX_TOP) {
				fprintf(stderr, "xpf: --top takes a number from 1 to %d, not '%s'\n",
					MAX_TOP, optarg);
				return 2;
			}
		} else {
			stats_usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind < argc - 1 || (format == FORMAT_PROMETHEUS && (view == XPF_VIEW_PORT || denied)) ||
	    (denied && by_given)) {
		stats_usage();
		return 2;
	}
	if (xpf_check_privileges())
		return 1;
	ifname = optind == argc - 1 ? argv[optind] : NULL;
	count = xpf_snapshot_names(ifname, names, XPF_MAX_INTERFACES);
	if (count < 0)
		return 1;
	if (denied)
		return xpf_stats_denied_show(names, count, (size_t)top, format == FORMAT_JSON,
					     ifname != NULL);
	if (xpf_snapshot_read(names, count, "stats", &snapshot))
		return report_failure(ifname ?: "all interfaces", "stats", -ENOMEM);
	if (format == FORMAT_JSON)
		print_json(&snapshot, view, ifname != NULL);
	else if (format == FORMAT_PROMETHEUS)
		xpf_prometheus_write(stdout, &snapshot);
	else
		for (size_t i = 0; i < snapshot.count; i++)
			xpf_stats_print(stdout, &snapshot.interfaces[i], view);
	count = snapshot.failed;
	xpf_snapshot_free(&snapshot);
	return count;
}
