// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf status [IFACE]: where xpf is loaded, how, and with what. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/pool_view.h"
#include "core/names.h"
#include "kernel/egress.h"
#include "kernel/filter.h"
#include "kernel/leftovers.h"
#include "kernel/pins.h"
#include "kernel/stats_read.h"

static int show(const char *ifname)
{
	struct xpf_leftovers found;
	struct xpf_filter filter;
	enum xpf_egress_attach egress_how;
	struct xpf_stats stats;
	uint32_t egress_id;
	char loaded[32], pin_dir[256];
	time_t seconds;
	struct tm tm;
	int err;

	err = xpf_filter_find(ifname, &filter);
	if ((err == -ENOENT || err == -ENODEV) && xpf_leftovers_find(ifname, NULL, &found)) {
		printf("%s: xpf not loaded%s; leftovers (`xpf unload %s` removes them):\n", ifname,
		       err == -ENODEV ? " (no such interface)" : "", ifname);
		xpf_leftovers_print(stdout, "  ", &found);
		return 1;
	}
	if (err)
		return report_filter_error(ifname, "status", err);
	err = xpf_stats_read(&filter, &stats);
	if (err) {
		xpf_filter_close(&filter);
		return report_failure(ifname, "read state", err);
	}
	seconds = stats.meta.loaded_at_ns[stats.generation] / 1000000000ull;
	localtime_r(&seconds, &tm);
	strftime(loaded, sizeof(loaded), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s: xpf loaded (program id %u, %s mode, %s)\n", ifname, filter.prog_id,
	       xpf_mode_name(filter.mode), stats.config.audit ? "audit" : "enforcing");
	printf("  rules:  %zu (generation %u, loaded %s)\n", stats.rule_count, stats.generation,
	       loaded);
	printf("  site:   %s\n  table:  %s\n", stats.meta.site[stats.generation],
	       stats.meta.table[stats.generation][0] ? stats.meta.table[stats.generation] : "(none)");
	xpf_pool_print(stdout, "  ", &stats);
	if (!xpf_egress_find(&filter, &egress_id, &egress_how))
		printf("  egress: %s (program id %u, %s)\n",
		       egress_id ? "remembers the host's flows" : "MISSING: replies are not admitted",
		       egress_id, xpf_egress_attach_name(egress_how));
	xpf_pin_dir(ifname, pin_dir, sizeof(pin_dir));
	if (filter.pinned)
		printf("  pinned: %s\n", pin_dir);
	else
		printf("  pinned: no (%s); found through the interface\n",
		       xpf_bpffs_mounted() ? "no pins" : "bpffs not mounted here");
	if (xpf_leftovers_find(ifname, &filter, &found)) {
		xpf_leftovers_print(stdout, "  ", &found);
		printf("  repair: `xpf reload -c SITE %s`, or `xpf unload %s`\n", ifname, ifname);
	}
	xpf_stats_free(&stats);
	xpf_filter_close(&filter);
	return 0;
}

static const struct xpf_option status_options[] = {
	{},
};

const struct xpf_verb xpf_verb_status = {
	"status", cmd_status, "[IFACE]", 0, 1, true,
	"what is loaded where: program, mode, rule set, leftovers", status_options,
};

int cmd_status(int argc, char **argv)
{
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE], orphans[XPF_MAX_INTERFACES][IF_NAMESIZE];
	char others[XPF_MAX_INTERFACES][IF_NAMESIZE];
	int count, orphan_count, other_count, failed = 0;
	struct xpf_args args;

	xpf_args_start(&args, &xpf_verb_status);
	count = xpf_args_next(&args, argc, argv);
	if (count != XPF_ARGS_END)
		return xpf_args_exit(count);
	if (xpf_check_privileges())
		return 1;
	if (args.operands == 1)
		return show(argv[optind]);
	count = xpf_filter_list(names, XPF_MAX_INTERFACES);
	orphan_count = xpf_leftovers_list_orphans(orphans, XPF_MAX_INTERFACES);
	other_count = xpf_filter_list_other_versions(others, XPF_MAX_INTERFACES);
	if (count <= 0 && orphan_count <= 0 && other_count <= 0) {
		printf("xpf: not loaded on any interface\n");
		return 0;
	}
	for (int i = 0; i < count; i++)
		failed |= show(names[i]);
	for (int i = 0; i < orphan_count; i++)
		failed |= show(orphans[i]);
	/* Said on stderr, as for the interface named: another version's filter. */
	for (int i = 0; i < other_count; i++)
		failed |= show(others[i]);
	return failed;
}
