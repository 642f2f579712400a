// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Every verb, in the order `xpf --help`, the man page and the completion list them (each
 * verb's table of options sits beside its command), and `xpf help`, which reads them all. */
#include <stddef.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/help.h"
#include "cli/verbs.h"

/* Each defined beside its command. */
extern const struct xpf_verb xpf_verb_load, xpf_verb_reload, xpf_verb_unload, xpf_verb_status,
	xpf_verb_stats, xpf_verb_top, xpf_verb_exporter, xpf_verb_flows, xpf_verb_explain,
	xpf_verb_log, xpf_verb_check, xpf_verb_tables, xpf_verb_save, xpf_verb_confirm, xpf_verb_suggest, xpf_verb_diff;
static const struct xpf_verb xpf_verb_help;

const struct xpf_verb *const xpf_verbs[] = {
	&xpf_verb_load, &xpf_verb_reload, &xpf_verb_confirm, &xpf_verb_unload, &xpf_verb_status, &xpf_verb_stats,
	&xpf_verb_top, &xpf_verb_exporter, &xpf_verb_flows, &xpf_verb_explain, &xpf_verb_log,
	&xpf_verb_check, &xpf_verb_diff, &xpf_verb_save, &xpf_verb_suggest, &xpf_verb_tables, &xpf_verb_help, NULL,
};

const struct xpf_verb *xpf_verb_find(const char *name)
{
	for (int i = 0; xpf_verbs[i]; i++)
		if (!strcmp(xpf_verbs[i]->name, name))
			return xpf_verbs[i];
	return NULL;
}

enum { OPTION_MAN = 256, OPTION_COMPLETION };

static const struct xpf_option help_options[] = {
	{ OPTION_MAN, "man", NULL, "the man page's SYNOPSIS (roff), from the verb tables", NULL, 0 },
	{ OPTION_COMPLETION, "completion", NULL, "the bash completion's tables, from the verb tables",
	  NULL, 0 },
	{},
};

static const struct xpf_verb xpf_verb_help = {
	"help", cmd_help, "[VERB]", 0, 1, false,
	"this text, or a verb's options", help_options, false,
};

int cmd_help(int argc, char **argv)
{
	const struct xpf_verb *verb;
	struct xpf_args args;
	int opt;

	xpf_args_start(&args, &xpf_verb_help);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == OPTION_MAN)
			xpf_print_man_synopsis(stdout, xpf_verbs);
		else
			xpf_print_completion(stdout, xpf_verbs);
		return 0;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (args.operands == 0) {
		xpf_usage(stdout, xpf_verbs);
		return 0;
	}
	verb = xpf_verb_find(argv[optind]);
	if (!verb)
		return xpf_misuse(&xpf_verb_help, "no verb '%s'", argv[optind]);
	xpf_verb_usage(stdout, verb);
	return 0;
}
