// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf flows IFACE: the flows the host opened whose replies xpf admits. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/flows_view.h"
#include "kernel/flows.h"

static const struct xpf_option flows_options[] = {
	{},
};

const struct xpf_verb xpf_verb_flows = {
	"flows", cmd_flows, "IFACE", 1, 1, true,
	"the flows the host opened, whose replies pass", flows_options, true,
};

int cmd_flows(int argc, char **argv)
{
	struct xpf_filter filter;
	struct xpf_flow *flows;
	size_t count;
	struct xpf_args args;
	int opt, err;

	xpf_args_start(&args, &xpf_verb_flows);
	opt = xpf_args_next(&args, argc, argv);
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (xpf_check_privileges())
		return 1;
	err = xpf_filter_find(argv[optind], &filter);
	if (err)
		return report_filter_error(argv[optind], "flows", err);
	err = xpf_flows_read(&filter, &flows, &count);
	xpf_filter_close(&filter);
	if (err)
		return report_failure(argv[optind], "read flows", err);
	if (xpf_json()) {
		struct json_object *document = xpf_json_document(), *list = json_object_new_array();

		for (size_t i = 0; i < count; i++)
			json_object_array_add(list, xpf_flow_json(&flows[i]));
		json_object_object_add(document, "interface", json_object_new_string(argv[optind]));
		json_object_object_add(document, "flows", list);
		xpf_json_print(document);
	} else {
		printf("%-5s %-41s %-41s %-12s %s\n", "PROTO", "LOCAL", "REMOTE", "STATE", "IDLE");
		for (size_t i = 0; i < count; i++) {
			const struct xpf_flow *flow = &flows[i];
			char local[64], remote[64];

			xpf_flow_format_endpoint(flow->key.family, flow->key.local,
						 flow->key.local_port, local, sizeof(local));
			xpf_flow_format_endpoint(flow->key.family, flow->key.remote,
						 flow->key.remote_port, remote, sizeof(remote));
			printf("%-5s %-41s %-41s %-12s %.0fs%s\n",
			       flow->key.protocol == IPPROTO_TCP ? "tcp" : "udp", local, remote,
			       xpf_flow_state_name(flow->value.state), flow->idle_seconds,
			       flow->expired ? " (expired)" : "");
		}
		printf("%zu flows, %zu open\n", count, xpf_flows_open(flows, count));
	}
	free(flows);
	return 0;
}
