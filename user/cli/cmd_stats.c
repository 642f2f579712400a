// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf stats [--prometheus] [--by rule|port] [IFACE]: per-rule (or per-port) and
 * per-reason counters. xpf stats --denied [--top N] [-j] [IFACE]: what was dropped. */
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/prometheus.h"
#include "cli/snapshot.h"
#include "cli/snapshot_read.h"
#include "cli/stats_denied.h"
#include "cli/stats_view.h"
#include "kernel/filter.h"

#define DEFAULT_TOP 10
#define MAX_TOP 100000

enum { OPTION_PROMETHEUS = 256, OPTION_BY, OPTION_DENIED, OPTION_TOP };

static const struct xpf_option stats_options[] = {
	{ OPTION_PROMETHEUS, "prometheus", NULL, "in Prometheus' text exposition format", NULL, 0 },
	{ OPTION_BY, "by", "rule|port", "counters by rule (the default) or by port", "rule port",
	  0 },
	{ OPTION_DENIED, "denied", NULL, "the sources and ports dropped most", NULL, 0 },
	{ OPTION_TOP, "top", "N", "with --denied: how many (10)", NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_stats = {
	"stats", cmd_stats, "[IFACE]", 0, 1, true,
	"counters by rule, port and reason; what was dropped", stats_options, true,
};

enum stats_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS };

struct stats_request {
	enum xpf_stats_view view;
	enum stats_format format;
	bool denied, by_given;
	long top;
	const char *ifname;
};

static int parse_option(int opt, struct stats_request *r)
{
	char *end;

	switch (opt) {
	case OPTION_PROMETHEUS:
		r->format = FORMAT_PROMETHEUS;
		return 0;
	case OPTION_BY:
		if (strcmp(optarg, "rule") && strcmp(optarg, "port"))
			return xpf_misuse(&xpf_verb_stats, "--by is rule or port, not '%s'", optarg);
		r->view = !strcmp(optarg, "port") ? XPF_VIEW_PORT : XPF_VIEW_RULE;
		r->by_given = true;
		return 0;
	case OPTION_DENIED:
		r->denied = true;
		return 0;
	default:
		r->top = strtol(optarg, &end, 10);
		if (*end || end == optarg || r->top < 1 || r->top > MAX_TOP)
			return xpf_misuse(&xpf_verb_stats, "--top takes a number from 1 to %d, not "
				"'%s'", MAX_TOP, optarg);
		return 0;
	}
}

/* The options that make no sense together, each said. */
static int parse_request(int argc, char **argv, struct stats_request *r)
{
	struct xpf_args args;
	int opt, err;

	*r = (struct stats_request){ XPF_VIEW_RULE, FORMAT_TEXT, false, false, -1, NULL };
	xpf_args_start(&args, &xpf_verb_stats);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		err = parse_option(opt, r);
		if (err)
			return err;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (xpf_json() && r->format == FORMAT_PROMETHEUS)
		return xpf_misuse(&xpf_verb_stats, "-j and --prometheus exclude each other");
	if (xpf_json())
		r->format = FORMAT_JSON;
	if (r->top > 0 && !r->denied)
		return xpf_misuse(&xpf_verb_stats, "--top goes with --denied");
	if (r->denied && (r->by_given || r->format == FORMAT_PROMETHEUS))
		return xpf_misuse(&xpf_verb_stats, "--denied takes neither --by nor --prometheus");
	if (r->format == FORMAT_PROMETHEUS && r->view == XPF_VIEW_PORT)
		return xpf_misuse(&xpf_verb_stats, "--prometheus counts by rule only");
	if (r->top < 0)
		r->top = DEFAULT_TOP;
	r->ifname = args.operands ? argv[optind] : NULL;
	return -1;
}

/* Text, or one JSON document with an entry per interface read (named or not). */
static int show(const struct stats_request *r, char (*names)[IF_NAMESIZE], int count)
{
	struct json_object *document = NULL, *interfaces = NULL;
	struct xpf_snapshot snapshot;
	int failed;

	if (r->format == FORMAT_JSON)
		document = xpf_json_interfaces_document(&interfaces);
	if (r->denied) {
		failed = xpf_stats_denied_show(names, count, (size_t)r->top, interfaces);
	} else if (xpf_snapshot_read(names, count, "stats", &snapshot)) {
		json_object_put(document);
		return report_failure(r->ifname ?: "all interfaces", "stats", -ENOMEM);
	} else {
		for (size_t i = 0; i < snapshot.count; i++) {
			if (interfaces)
				json_object_array_add(interfaces, xpf_stats_json(
					&snapshot.interfaces[i], r->view));
			else
				xpf_stats_print(stdout, &snapshot.interfaces[i], r->view);
		}
		failed = snapshot.failed;
		xpf_snapshot_free(&snapshot);
	}
	/* A named interface that failed has nothing to show: the error object says why. */
	if (document && (json_object_array_length(interfaces) || !failed))
		xpf_json_print(document);
	else
		json_object_put(document);
	return failed;
}

/* A valid exposition whatever is loaded, and exit 0 once it is written: node_exporter's
 * textfile collector keeps serving whatever file cron last wrote, so nothing loaded must
 * write xpf_up 0 (or no sample at all), not leave a stale file. */
static int print_prometheus(const char *ifname)
{
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE];
	struct xpf_snapshot snapshot;
	int count, err;

	count = ifname ? xpf_snapshot_names(ifname, names, 1) :
			 xpf_filter_list(names, XPF_MAX_INTERFACES);
	if (count < 0)
		return report_failure("all interfaces", "list filters", count);
	if (xpf_snapshot_read(names, count, "stats", &snapshot))
		return report_failure(ifname ?: "all interfaces", "stats", -ENOMEM);
	err = xpf_prometheus_write(stdout, &snapshot);
	xpf_snapshot_free(&snapshot);
	return err ? report_failure(ifname ?: "all interfaces", "stats", err) : 0;
}

int cmd_stats(int argc, char **argv)
{
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE];
	struct stats_request r;
	int count = parse_request(argc, argv, &r);

	if (count >= 0)
		return count;
	if (xpf_check_privileges())
		return 1;
	if (r.format == FORMAT_PROMETHEUS)
		return print_prometheus(r.ifname);
	if (r.ifname) {
		snprintf(names[0], IF_NAMESIZE, "%s", r.ifname);
		count = 1;
	} else {
		count = xpf_filter_list(names, XPF_MAX_INTERFACES);
		if (count < 0)
			return report_failure("all interfaces", "list the filters", count);
	}
	/* Nothing loaded is an answer, as for status: an empty list, exit 0. */
	if (count == 0 && r.format == FORMAT_TEXT) {
		printf("xpf: not loaded on any interface\n");
		return 0;
	}
	return show(&r, names, count);
}
