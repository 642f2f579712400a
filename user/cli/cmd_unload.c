// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf unload IFACE: detach both programs and remove every pin xpf made for them; without a
 * filter, remove what an interrupted xpf left (pins, an egress program). */
#include <errno.h>
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "kernel/egress.h"
#include "kernel/pins.h"
#include "lib/fault.h"
#include "kernel/filter.h"
#include "kernel/leftovers.h"
#include "core/site_record.h"
#include "lib/lock.h"

static void say_unloaded(const char *ifname)
{
	if (xpf_json())
		json_object_object_add(xpf_json_result(ifname), "action",
				       json_object_new_string("unloaded"));
	else
		printf("xpf: unloaded from %s\n", ifname);
}

static int remove_leftovers(const char *ifname, int find_err)
{
	struct xpf_leftovers found;
	int err;

	if (!xpf_leftovers_find(ifname, NULL, &found))
		return report_filter_error(ifname, "unload", find_err);
	fprintf(xpf_text_out(), "xpf: %s: removing what an interrupted xpf left:\n", ifname);
	xpf_leftovers_print(xpf_text_out(), "  ", &found);
	err = xpf_leftovers_remove_orphans(ifname, &found);
	if (err)
		return report_failure(ifname, "remove leftovers", err);
	say_unloaded(ifname);
	return 0;
}

static const struct xpf_option unload_options[] = {
	{},
};

const struct xpf_verb xpf_verb_unload = {
	"unload", cmd_unload, "IFACE", 1, 1, true,
	"detach both programs and remove their pins", unload_options, true,
};

int cmd_unload(int argc, char **argv)
{
	struct xpf_filter filter;
	struct xpf_args args;
	const char *ifname;
	int err, egress_err;

	xpf_args_start(&args, &xpf_verb_unload);
	err = xpf_args_next(&args, argc, argv);
	if (err != XPF_ARGS_END)
		return xpf_args_exit(err);
	ifname = argv[optind];
	xpf_fault_verb("unload");
	if (xpf_check_privileges())
		return 1;
	err = xpf_lock_interface(ifname);
	if (err)
		return report_filter_error(ifname, "lock", err);
	xpf_bpffs_ready();
	err = xpf_filter_find(ifname, &filter);
	if (err == -ENOENT || err == -ENODEV)
		return remove_leftovers(ifname, err);
	if (err)
		return report_filter_error(ifname, "unload", err);
	egress_err = xpf_egress_detach(&filter);
	if (!egress_err)
		xpf_fault_point("egress-detached");
	err = xpf_filter_detach(&filter);
	xpf_filter_close(&filter);
	if (egress_err)
		report_failure(ifname, "detach egress program", egress_err);
	if (err)
		return report_failure(ifname, "detach", err);
	xpf_fault_point("xdp-detached");
	xpf_site_record_remove(ifname);
	err = xpf_filter_unpin(ifname);
	if (err)
		return report_failure(ifname, "remove pins", err);
	xpf_fault_point("pins-removed");
	say_unloaded(ifname);
	return egress_err ? 1 : 0;
}
