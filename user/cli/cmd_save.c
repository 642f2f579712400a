// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf save IFACE: the rule set in force, as a site file that loads back to the same rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "kernel/loaded_site.h"

static const struct xpf_option save_options[] = {
	{},
};

const struct xpf_verb xpf_verb_save = {
	"save", cmd_save, "IFACE", 1, 1, true,
	"the rule set in force, as a site file", save_options, false,
};

static void print_header(const struct xpf_filter *filter, uint64_t loaded_at_ns, int audit)
{
	time_t loaded = (time_t)(loaded_at_ns / 1000000000);
	char when[64] = "?";
	struct tm tm;

	if (gmtime_r(&loaded, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	printf("# xpf save %s: the rule set in force since %s.%03uZ (%s)\n", filter->ifname, when,
	       (unsigned int)(loaded_at_ns / 1000000 % 1000), audit ? "audit" : "enforcing");
}

/* The recorded site file, its `audit` line (the directive of the file loaded) replaced by the
 * mode in force: what `xpf reload --audit|--enforce` set since is what loads back. */
static void print_site(const char *text, int audit)
{
	for (const char *line = text; *line;) {
		size_t length = strcspn(line, "\n");

		if (strncmp(line, "audit ", 6))
			printf("%.*s\n", (int)length, line);
		line += length + (line[length] == '\n');
	}
	printf("audit %s\n", audit ? "on" : "off");
}

int cmd_save(int argc, char **argv)
{
	struct xpf_error error = {};
	struct xpf_filter filter;
	struct xpf_config config;
	struct xpf_args args;
	uint64_t loaded_at_ns;
	uint32_t generation;
	char *text = NULL;
	int err;

	xpf_args_start(&args, &xpf_verb_save);
	err = xpf_args_next(&args, argc, argv);
	if (err != XPF_ARGS_END)
		return xpf_args_exit(err);
	if (xpf_check_privileges())
		return 1;
	err = xpf_filter_find(argv[optind], &filter);
	if (err)
		return report_filter_error(argv[optind], "save", err);
	err = xpf_filter_in_force(&filter, &generation, &config, &loaded_at_ns);
	if (err)
		report_failure(argv[optind], "read the rule set in force", err);
	else if (xpf_filter_recorded_site(&filter, &text, &error))
		err = xpf_fail("%s", error.message);
	if (!err) {
		print_header(&filter, loaded_at_ns, config.audit);
		print_site(text, config.audit);
	}
	free(text);
	xpf_filter_close(&filter);
	return err ? 1 : 0;
}
