// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf stats [-j] [--by rule|port] [IFACE]: per-rule (or per-port) and per-reason counters. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "filter.h"
#include "stats.h"

static void stats_usage(void)
{
	fprintf(stderr, "usage: xpf stats [-j] [--by rule|port] [IFACE]\n");
}

static int read_one(const char *ifname, struct xpf_stats *stats)
{
	struct xpf_filter filter;
	int err = xpf_filter_find(ifname, &filter);

	if (err)
		return report_filter_error(ifname, "stats", err);
	err = xpf_stats_read(&filter, stats);
	xpf_filter_close(&filter);
	return err ? report_failure(ifname, "read counters", err) : 0;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE];
	enum xpf_stats_view view = XPF_VIEW_RULE;
	struct json_object *all = NULL;
	int opt, json = 0, count, failed = 0;

	while ((opt = getopt_long(argc, argv, "jh", options, NULL)) != -1) {
		if (opt == 'j') {
			json = 1;
		} else if (opt == 'b' && (!strcmp(optarg, "rule") || !strcmp(optarg, "port"))) {
			view = !strcmp(optarg, "port") ? XPF_VIEW_PORT : XPF_VIEW_RULE;
		} else {
			stats_usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind < argc - 1) {
		stats_usage();
		return 2;
	}
	if (xpf_check_privileges())
		return 1;
	if (optind == argc - 1) {
		snprintf(names[0], IF_NAMESIZE, "%s", argv[optind]);
		count = 1;
	} else {
		count = xpf_filter_list(names, XPF_MAX_INTERFACES);
		if (count <= 0) {
			fprintf(stderr, "xpf: not loaded on any interface\n");
			return 1;
		}
	}
	/* One interface named: one JSON object; all interfaces: an array of them. */
	if (json && optind != argc - 1)
		all = json_object_new_array();
	for (int i = 0; i < count; i++) {
		struct xpf_stats stats;

		if (read_one(names[i], &stats)) {
			failed = 1;
			continue;
		}
		if (json) {
			struct json_object *object = xpf_stats_json(&stats, view);

			if (all) {
				json_object_array_add(all, object);
			} else {
				puts(json_object_to_json_string_ext(object, JSON_C_TO_STRING_PRETTY));
				json_object_put(object);
			}
		} else {
			xpf_stats_print(stdout, &stats, view);
		}
		xpf_stats_free(&stats);
	}
	if (all) {
		puts(json_object_to_json_string_ext(all, JSON_C_TO_STRING_PRETTY));
		json_object_put(all);
	}
	return failed;
}
