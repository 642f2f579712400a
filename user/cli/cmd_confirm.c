// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf confirm IFACE: keeps a reload made with --confirm (revert.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "kernel/generation.h"
#include "kernel/loaded_site.h"
#include "lib/lock.h"

static const struct xpf_option confirm_options[] = {
	{},
};

const struct xpf_verb xpf_verb_confirm = {
	"confirm", cmd_confirm, "IFACE", 1, 1, true,
	"keep a reload made with --confirm", confirm_options, false,
};

/* Under the lock, so that the watcher's revert and the confirm never cross. */
static int confirm_found(struct xpf_filter *filter)
{
	struct xpf_config config;
	uint64_t loaded_at_ns;
	uint32_t generation;
	int err = xpf_filter_in_force(filter, &generation, &config, &loaded_at_ns);

	if (err)
		return report_failure(filter->ifname, "read the rule set in force", err), 1;
	if (!config.revert_at_ns) {
		xpf_fail("%s: no reload waits for confirmation", filter->ifname);
		return 1;
	}
	config.revert_at_ns = 0;
	err = xpf_filter_write_config(filter, generation, &config);
	if (err)
		return report_failure(filter->ifname, "confirm", err), 1;
	printf("xpf: %s: confirmed: the rule set in force stays\n", filter->ifname);
	return 0;
}

int cmd_confirm(int argc, char **argv)
{
	struct xpf_filter filter;
	struct xpf_args args;
	int err;

	xpf_args_start(&args, &xpf_verb_confirm);
	err = xpf_args_next(&args, argc, argv);
	if (err != XPF_ARGS_END)
		return xpf_args_exit(err);
	if (xpf_check_privileges())
		return 1;
	err = xpf_lock_interface(argv[optind]);
	if (err)
		return report_filter_error(argv[optind], "lock", err);
	err = xpf_filter_find(argv[optind], &filter);
	if (err)
		return report_filter_error(argv[optind], "confirm", err);
	err = confirm_found(&filter);
	xpf_filter_close(&filter);
	return err;
}
