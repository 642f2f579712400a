/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The verbs and their options, declared once: each verb's table gives getopt_long its options,
 * `xpf VERB --help` its text, the man page its synopsis (`xpf help --man`) and the bash
 * completion its words (`xpf help --completion`); `make cli-docs` writes both into man/xpf.8
 * and dist/xpf.bash, and tests/e2e/test_cli.sh fails when they drift. User space only.
 */
#ifndef XPF_CLI_OPTIONS_H
#define XPF_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <xdp/libxdp.h>

enum xpf_option_flags {
	XPF_OPTION_REQUIRED = 1,	/* the verb cannot run without it */
	XPF_OPTION_REPEATS = 2,		/* may be given more than once */
};

/* What completion offers for an option's argument, beside plain words. */
#define XPF_COMPLETE_SITE "@site"	/* site files (*.site) and directories */

struct xpf_option {
	int key;		/* the short letter, or a value above 255 for a long-only option */
	const char *name;	/* the long form, without "--" */
	const char *argument;	/* its placeholder (SITE, N); NULL: it takes none */
	const char *help;
	const char *completion;	/* words offered for the argument, or XPF_COMPLETE_SITE */
	unsigned int flags;
};

struct xpf_verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *operands;	/* as the synopsis shows them: "IFACE", "[IFACE]" */
	int min_operands;
	int max_operands;
	bool operands_are_interfaces;	/* completion offers interface names */
	const char *summary;
	const struct xpf_option *options;	/* ends with a zeroed entry; -h/--help is added */
	bool prints_json;	/* takes -j/-p; without it they are a misuse */
};

#define XPF_MAX_OPTIONS 16
/* Added to every verb's own: -h, -j, -p, -v (xpf_args_next() handles the last three). */
#define XPF_GLOBAL_OPTIONS 4

/* xpf_args_next()'s answers besides an option's key. */
enum {
	XPF_ARGS_END = -1,	/* options read, operands and required options checked */
	XPF_ARGS_HELP = -2,	/* --help: the usage went to stdout; the verb exits 0 */
	XPF_ARGS_MISUSE = -3,	/* the reason and the synopsis went to stderr; exit 2 */
};

struct xpf_args {
	const struct xpf_verb *verb;
	struct option long_options[XPF_MAX_OPTIONS + XPF_GLOBAL_OPTIONS + 1];
	char short_options[3 * XPF_MAX_OPTIONS + XPF_GLOBAL_OPTIONS + 2];
	bool seen[XPF_MAX_OPTIONS];
	int operands;		/* after XPF_ARGS_END: the first operand is argv[optind] */
};

/* The options of xpf itself, before the verb or after it: -j, -p (@key 'j', 'p') and -v. 0, or
 * the exit status of a misuse (@verb takes no -j). */
int xpf_global_option(const struct xpf_verb *verb, int key);

void xpf_args_start(struct xpf_args *args, const struct xpf_verb *verb);
int xpf_args_next(struct xpf_args *args, int argc, char **argv);
/* What a verb returns for xpf_args_next()'s answer that ended its loop: 0 after --help, 2 on a
 * misuse; -1 after XPF_ARGS_END, when the verb goes on. */
int xpf_args_exit(int answer);

/* "xpf VERB: REASON" and the verb's synopsis on stderr; returns 2, the exit status. */
int xpf_misuse(const struct xpf_verb *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void xpf_verb_synopsis(FILE *out, const struct xpf_verb *verb);
void xpf_verb_usage(FILE *out, const struct xpf_verb *verb);

int parse_mode(const char *text, enum xdp_attach_mode *mode);

#endif /* XPF_CLI_OPTIONS_H */
