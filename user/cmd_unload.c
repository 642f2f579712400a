// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf unload IFACE: detach the program and remove every pin xpf made for it. */
#include <stdio.h>

#include "commands.h"
#include "filter.h"

int cmd_unload(int argc, char **argv)
{
	struct xpf_filter filter;
	const char *ifname;
	int err, egress_err;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: xpf unload IFACE\n");
		return 2;
	}
	ifname = argv[1];
	if (xpf_check_privileges())
		return 1;
	xpf_bpffs_ready();
	err = xpf_filter_find(ifname, &filter);
	if (err) {
		/* Pins left by a filter that is gone are still ours to remove. */
		xpf_filter_unpin(ifname);
		return report_filter_error(ifname, "unload", err);
	}
	egress_err = xpf_egress_detach(&filter);
	err = xpf_filter_detach(&filter);
	xpf_filter_close(&filter);
	if (egress_err)
		report_failure(ifname, "detach egress program", egress_err);
	if (err)
		return report_failure(ifname, "detach", err);
	err = xpf_filter_unpin(ifname);
	if (err)
		return report_failure(ifname, "remove pins", err);
	printf("xpf: unloaded from %s\n", ifname);
	return egress_err ? 1 : 0;
}
