// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Reading a verb's options from its table, and what more than one verb parses alike. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli/options.h"
#include "cli/output.h"
#include "lib/logging.h"

static const struct xpf_option help_option = { 'h', "help", NULL, "show this help", NULL, 0 };
/* Every verb's, after its own: as the man page's common options describe them. */
static const struct option global_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
};

/* Under -j the reason alone, in the error object: the synopsis is for a reader. */
static void say_misuse(const struct xpf_verb *verb, const char *fmt, va_list ap)
{
	char reason[512];

	vsnprintf(reason, sizeof(reason), fmt, ap);
	if (xpf_json()) {
		xpf_fail_as_is("xpf %s: %s", verb->name, reason);
		return;
	}
	fprintf(stderr, "xpf %s: %s\nusage: ", verb->name, reason);
	xpf_verb_synopsis(stderr, verb);
	fprintf(stderr, "Try 'xpf %s --help'.\n", verb->name);
}

int xpf_misuse(const struct xpf_verb *verb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_misuse(verb, fmt, ap);
	va_end(ap);
	return 2;
}

/* The same, as xpf_args_next()'s answer. */
static int refuse(const struct xpf_verb *verb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int refuse(const struct xpf_verb *verb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_misuse(verb, fmt, ap);
	va_end(ap);
	return XPF_ARGS_MISUSE;
}

static const struct xpf_option *option_at(const struct xpf_verb *verb, int index)
{
	return verb->options[index].name ? &verb->options[index] : NULL;
}

void xpf_args_start(struct xpf_args *args, const struct xpf_verb *verb)
{
	const struct xpf_option *option;
	char *shorts;
	int i;

	memset(args, 0, sizeof(*args));
	args->verb = verb;
	shorts = args->short_options;
	/* ':' first: a missing argument comes back as ':', so that the message is ours. */
	*shorts++ = ':';
	for (i = 0; (option = option_at(verb, i)) && i < XPF_MAX_OPTIONS; i++) {
		args->long_options[i] = (struct option){ option->name,
							 option->argument ? required_argument
									  : no_argument,
							 NULL, option->key };
		if (option->key < 256) {
			*shorts++ = (char)option->key;
			if (option->argument)
				*shorts++ = ':';
		}
	}
	args->long_options[i++] = (struct option){ help_option.name, no_argument, NULL, 'h' };
	for (size_t g = 0; g < sizeof(global_options) / sizeof(global_options[0]); g++)
		args->long_options[i++] = global_options[g];
	strcpy(shorts, "hjpv");
	optind = 1;
	opterr = 0;
}

static const struct xpf_option *option_by_key(const struct xpf_verb *verb, int key, int *index)
{
	const struct xpf_option *option;

	for (int i = 0; (option = option_at(verb, i)); i++) {
		if (option->key == key) {
			*index = i;
			return option;
		}
	}
	return NULL;
}

/* "-c SITE" or "--audit": how the synopsis and the messages name an option. */
static void format_option(const struct xpf_option *option, char *buf, size_t size)
{
	if (option->key < 256)
		snprintf(buf, size, "-%c%s%s", option->key, option->argument ? " " : "",
			 option->argument ?: "");
	else
		snprintf(buf, size, "--%s%s%s", option->name, option->argument ? " " : "",
			 option->argument ?: "");
}

static int misread(struct xpf_args *args, int argc, char **argv, int answer)
{
	const char *given = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	const struct xpf_option *option;
	char name[64];
	int index;

	if (answer == ':') {
		option = option_by_key(args->verb, optopt, &index);
		if (option)
			format_option(option, name, sizeof(name));
		return refuse(args->verb, "%s needs an argument (%s)", given,
				  option ? name : "see --help");
	}
	if (optopt && optopt < 256)
		return refuse(args->verb, "unknown option '-%c'", optopt);
	return refuse(args->verb, "unknown option '%s'", given);
}

/* The end of the options: what the verb cannot run without. */
static int check_end(struct xpf_args *args, int argc, char **argv)
{
	const struct xpf_verb *verb = args->verb;
	const struct xpf_option *option;
	char name[64];

	for (int i = 0; (option = option_at(verb, i)); i++) {
		if ((option->flags & XPF_OPTION_REQUIRED) && !args->seen[i]) {
			format_option(option, name, sizeof(name));
			return refuse(verb, "%s is required", name);
		}
	}
	args->operands = argc - optind;
	if (args->operands < verb->min_operands)
		return refuse(verb, "missing %s", verb->operands);
	if (args->operands > verb->max_operands)
		return refuse(verb, "unexpected argument '%s'",
				  argv[optind + verb->max_operands]);
	return XPF_ARGS_END;
}

int xpf_global_option(const struct xpf_verb *verb, int key)
{
	static enum xpf_log_level level = XPF_LOG_WARN;

	if (key == 'v') {
		level = level == XPF_LOG_WARN ? XPF_LOG_INFO : XPF_LOG_DEBUG;
		xpf_log_init(level);
		return 0;
	}
	if (verb && !verb->prints_json)
		return xpf_misuse(verb, "-%c: this verb prints no JSON", key);
	xpf_output_set_json(key == 'p' ? XPF_JSON_PRETTY : XPF_JSON_COMPACT);
	return 0;
}

int xpf_args_next(struct xpf_args *args, int argc, char **argv)
{
	const struct xpf_option *option;
	int answer = getopt_long(argc, argv, args->short_options, args->long_options, NULL);
	int index;

	while (answer == 'j' || answer == 'p' || answer == 'v') {
		if (xpf_global_option(args->verb, answer))
			return XPF_ARGS_MISUSE;
		answer = getopt_long(argc, argv, args->short_options, args->long_options, NULL);
	}
	if (answer == -1)
		return check_end(args, argc, argv);
	if (answer == 'h') {
		xpf_verb_usage(stdout, args->verb);
		return XPF_ARGS_HELP;
	}
	option = option_by_key(args->verb, answer, &index);
	if (!option)
		return misread(args, argc, argv, answer);
	if (args->seen[index] && !(option->flags & XPF_OPTION_REPEATS) && option->argument)
		return refuse(args->verb, "--%s given twice", option->name);
	args->seen[index] = true;
	return answer;
}

int xpf_args_exit(int answer)
{
	return answer == XPF_ARGS_HELP ? 0 : answer == XPF_ARGS_MISUSE ? 2 : -1;
}

void xpf_verb_synopsis(FILE *out, const struct xpf_verb *verb)
{
	const struct xpf_option *option;
	char name[64];

	fprintf(out, "xpf %s", verb->name);
	for (int i = 0; (option = option_at(verb, i)); i++) {
		format_option(option, name, sizeof(name));
		if (option->flags & XPF_OPTION_REQUIRED)
			fprintf(out, " %s", name);
		else
			fprintf(out, " [%s]%s", name, option->flags & XPF_OPTION_REPEATS ? "..." : "");
	}
	fprintf(out, "%s%s\n", *verb->operands ? " " : "", verb->operands);
}

void xpf_verb_usage(FILE *out, const struct xpf_verb *verb)
{
	const struct xpf_option *option;
	char name[64];

	fprintf(out, "usage: ");
	xpf_verb_synopsis(out, verb);
	fprintf(out, "%s\n", verb->summary);
	for (int i = 0; (option = option_at(verb, i)); i++) {
		snprintf(name, sizeof(name), "%s%c%s--%s%s%s", option->key < 256 ? "-" : "    ",
			 option->key < 256 ? option->key : ' ', option->key < 256 ? ", " : "",
			 option->name, option->argument ? " " : "", option->argument ?: "");
		fprintf(out, "  %-26s %s\n", name, option->help);
	}
	fprintf(out, "  %-26s %s\n", "-h, --help", help_option.help);
	if (verb->prints_json)
		fprintf(out, "  %-26s %s\n", "-j, --json | -p, --pretty",
			"as JSON, one line or indented (xpf --help)");
	fprintf(out, "  %-26s %s\n", "-v, --verbose", "more detail on stderr");
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
