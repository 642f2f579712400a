// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf: the verb table and the options every verb shares (-v, -h, --version). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "lib/logging.h"

#define XPF_MMAP_THRESHOLD (128 * 1024)	/* glibc's default starting value */

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct verb verbs[] = {
	{ "load", cmd_load, "load   -c SITE [-m native|skb|auto] [--audit] [--force] IFACE   attach, pin, fill" },
	{ "reload", cmd_reload, "reload [-c SITE] [--audit|--enforce] [--force] IFACE       atomic swap; audit flag alone" },
	{ "unload", cmd_unload, "unload IFACE                                           detach, remove pins" },
	{ "status", cmd_status, "status [IFACE]" },
	{ "stats", cmd_stats, "stats  [-j | --prometheus] [--by rule|port | --denied [--top N]] [IFACE]" },
	{ "top", cmd_top, "top    [--interval SECONDS] [--once] [--count N] [IFACE]   live per-rule rates" },
	{ "exporter", cmd_exporter, "exporter --listen ADDR:PORT [IFACE]                   Prometheus /metrics" },
	{ "flows", cmd_flows, "flows  [-j] IFACE                                       flows the host opened" },
	{ "explain", cmd_explain, "explain [-j] [--vlan ID]... [--frag first|next] [--reply]\n"
				  "             IFACE PROTO SRC DST [DPORT [SPORT]]            why it passes or drops" },
	{ "log", cmd_log, "log    [-j] [IFACE]                                   sampled drops, live" },
	{ "check", cmd_check, "check  [-j] -c SITE                                    validate; print compiled rules" },
	{ "tables", cmd_tables, "tables [-j] | tables show NAME[#CAPTION]               the built-in tables" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: xpf [-v] VERB [OPTIONS]\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  xpf %s\n", verbs[i].usage);
	fprintf(out, "Site file format and verdicts: README.md. Exit 0 on success.\n");
}

int parse_mode(const char *text, enum xdp_attach_mode *mode)
{
	if (!strcmp(text, "native"))
		*mode = XDP_MODE_NATIVE;
	else if (!strcmp(text, "skb"))
		*mode = XDP_MODE_SKB;
	else if (!strcmp(text, "auto"))
		*mode = XDP_MODE_UNSPEC;
	else
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	enum xpf_log_level level = XPF_LOG_WARN;
	int first = 1;

	/* Arrays of 100,000 rules grow by doubling and are freed phase by phase (text, table, rule
	 * set, image): mapped on their own, each growth is an mremap, not a copy beside the old
	 * one, and each free returns its pages at once. glibc's default threshold rises with every
	 * large free until such arrays land in the heap, where the peak stays resident: a fixed
	 * threshold turns that off (xpf load of 100,000 rules: 10 MiB less peak RSS). */
	mallopt(M_MMAP_THRESHOLD, XPF_MMAP_THRESHOLD);

	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "-v") || !strcmp(argv[first], "--verbose")) {
			level = level == XPF_LOG_WARN ? XPF_LOG_INFO : XPF_LOG_DEBUG;
		} else if (!strcmp(argv[first], "-h") || !strcmp(argv[first], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[first], "--version")) {
			printf("xpf %s\n", XPF_VERSION);
			return 0;
		} else {
			fprintf(stderr, "xpf: unknown option '%s'\n", argv[first]);
			usage(stderr);
			return 2;
		}
	}
	xpf_log_init(level);
	if (first >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(argv[first], verbs[i].name))
			return verbs[i].run(argc - first, argv + first);
	fprintf(stderr, "xpf: unknown verb '%s'\n", argv[first]);
	usage(stderr);
	return 2;
}
