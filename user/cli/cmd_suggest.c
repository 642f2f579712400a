// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf suggest [-j] IFACE: the allow rows that would admit what the denied record holds, ready
 * to paste into the site file; nothing is applied (core/suggest.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/suggest.h"
#include "kernel/denied.h"
#include "kernel/denied_flows.h"
#include "kernel/loaded_site.h"

static const struct xpf_option suggest_options[] = {
	{},
};

const struct xpf_verb xpf_verb_suggest = {
	"suggest", cmd_suggest, "IFACE", 1, 1, true,
	"allow rows for what was dropped (after audit), with their counts", suggest_options, true,
};

static void print_text(const char *ifname, const struct xpf_suggestions *found,
		       int64_t estimated)
{
	char row[XPF_NAME_MAX * 2];

	printf("# xpf suggest %s: allow rows for the packets the denied record holds (would-drops "
	       "in audit mode), most first; nothing is applied\n", ifname);
	if (estimated > 0)
		printf("# %lld of these packets were counted by sampling under a flood: estimates\n",
		       (long long)estimated);
	for (size_t i = 0; i < found->count; i++) {
		xpf_suggestion_row(&found->rows[i], row, sizeof(row));
		printf("%-64s # %llu packets, %llu bytes\n", row,
		       (unsigned long long)found->rows[i].packets,
		       (unsigned long long)found->rows[i].bytes);
	}
	if (!found->count)
		printf("# nothing to suggest\n");
	if (found->unadmittable)
		printf("# left out: %llu packets no allow row admits (no port, another protocol, "
		       "or not to a local address)\n", (unsigned long long)found->unadmittable);
	if (found->denied_by_rows)
		printf("# left out: %llu packets that deny rows drop\n",
		       (unsigned long long)found->denied_by_rows);
}

static void print_json(const char *ifname, const struct xpf_suggestions *found,
		       int64_t estimated)
{
	struct json_object *root = xpf_json_document(), *rows = json_object_new_array();
	char text[XPF_NAME_MAX * 2], source[64];

	for (size_t i = 0; i < found->count; i++) {
		const struct xpf_suggestion *s = &found->rows[i];
		struct json_object *row = json_object_new_object();

		xpf_suggestion_row(s, text, sizeof(text));
		xpf_prefix_format(&s->source, source, sizeof(source));
		json_object_object_add(row, "row", json_object_new_string(text));
		json_object_object_add(row, "proto", json_object_new_string(
						      s->protocols == XPF_PROTO_TCP ? "tcp" : "udp"));
		json_object_object_add(row, "port", json_object_new_int(s->port));
		json_object_object_add(row, "source", json_object_new_string(source));
		json_object_object_add(row, "destination", json_object_new_string(s->destination));
		json_object_object_add(row, "packets", json_object_new_uint64(s->packets));
		json_object_object_add(row, "bytes", json_object_new_uint64(s->bytes));
		json_object_array_add(rows, row);
	}
	json_object_object_add(root, "interface", json_object_new_string(ifname));
	json_object_object_add(root, "rows", rows);
	json_object_object_add(root, "unadmittable_packets",
			       json_object_new_uint64(found->unadmittable));
	json_object_object_add(root, "denied_by_rows_packets",
			       json_object_new_uint64(found->denied_by_rows));
	json_object_object_add(root, "estimated_packets",
			       json_object_new_int64(estimated > 0 ? estimated : 0));
	xpf_json_print(root);
}

static int suggest_found(const struct xpf_filter *filter)
{
	struct xpf_loaded_config config;
	struct xpf_suggestions found;
	struct xpf_error error = {};
	struct xpf_denied_flow *flows;
	size_t count;
	int err;

	if (xpf_filter_loaded_config(filter, &config, &error)) {
		xpf_fail("%s", error.message);
		return 1;
	}
	err = xpf_denied_flows_read(filter, &flows, &count);
	if (err) {
		xpf_config_free(&config);
		return report_failure(filter->ifname, "read the denied record", err), 1;
	}
	err = xpf_suggest(&config.site, &config.ruleset, flows, count, &found);
	if (!err && xpf_json())
		print_json(filter->ifname, &found, xpf_denied_estimated(filter));
	else if (!err)
		print_text(filter->ifname, &found, xpf_denied_estimated(filter));
	else
		report_failure(filter->ifname, "suggest", err);
	xpf_suggestions_free(&found);
	free(flows);
	xpf_config_free(&config);
	return err ? 1 : 0;
}

int cmd_suggest(int argc, char **argv)
{
	struct xpf_filter filter;
	struct xpf_args args;
	int opt, err;

	xpf_args_start(&args, &xpf_verb_suggest);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0)
		;
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (xpf_check_privileges())
		return 1;
	err = xpf_filter_find(argv[optind], &filter);
	if (err)
		return report_filter_error(argv[optind], "suggest", err);
	err = suggest_found(&filter);
	xpf_filter_close(&filter);
	return err;
}
