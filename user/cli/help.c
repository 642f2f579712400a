// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the verb tables print about themselves: xpf's usage, the man page's SYNOPSIS and the bash
 * completion's tables (`xpf help`, `xpf help --man`, `xpf help --completion`).
 */
#include <ctype.h>
#include <string.h>

#include "cli/help.h"
#include "cli/options.h"

void xpf_usage(FILE *out, const struct xpf_verb *const *verbs)
{
	fprintf(out, "usage: xpf [-j | -p] [-v]... VERB [OPTIONS]\n       xpf -h | -V | --version\n\n");
	for (int i = 0; verbs[i]; i++)
		fprintf(out, "  %-9s %s\n", verbs[i]->name, verbs[i]->summary);
	fprintf(out, "\n  -j, --json     as JSON, one line (verbs that print)\n"
		     "  -p, --pretty   as JSON, indented\n"
		     "  -v, --verbose  more detail on stderr; twice: the libraries' too\n"
		     "These go before or after the verb.\n"
		     "\n`xpf VERB --help` for a verb's options; xpf(8), and xpf.site(5) for the "
		     "site file and the verdicts.\n");
}

/* Operands as roff: brackets and blanks roman, the words italic. */
static void man_operands(FILE *out, const char *operands)
{
	bool word = false;

	if (!*operands)
		return;
	fprintf(out, ".RI \"");
	for (const char *c = operands; *c; c++) {
		bool in_word = isalnum((unsigned char)*c) || *c == '_' || *c == ':';

		if (in_word != word)
			fprintf(out, "\" \"");
		word = in_word;
		fputc(*c, out);
	}
	fprintf(out, "\"\n");
}

static void man_option(FILE *out, const struct xpf_option *option)
{
	bool required = option->flags & XPF_OPTION_REQUIRED;
	const char *repeats = option->flags & XPF_OPTION_REPEATS ? "...\\&" : "";
	char name[48];

	if (option->key < 256)
		snprintf(name, sizeof(name), "\\-%c", option->key);
	else
		snprintf(name, sizeof(name), "\\-\\-%s", option->name);
	if (!option->argument)
		fprintf(out, required ? ".B %s\n" : ".RB [ %s ]%s\n", name, repeats);
	else if (required)
		fprintf(out, ".B %s\n.I %s\n", name, option->argument);
	else
		fprintf(out, ".RB [ %s\n.IR %s ]%s\n", name, option->argument, repeats);
}

void xpf_print_man_synopsis(FILE *out, const struct xpf_verb *const *verbs)
{
	fprintf(out, ".B xpf\n.RB [ \\-j \" | \" \\-p ]\n.RB [ \\-v ]...\\&\n.I verb\n"
		     ".RI [ options ]\n.br\n"
		     ".B xpf\n.BR \\-h \" | \" \\-V \" | \" \\-\\-version\n.br\n");
	for (int i = 0; verbs[i]; i++) {
		const struct xpf_verb *verb = verbs[i];

		fprintf(out, ".B xpf %s\n", verb->name);
		for (int j = 0; verb->options[j].name; j++)
			man_option(out, &verb->options[j]);
		man_operands(out, verb->operands);
		fprintf(out, ".br\n");
	}
}

static void completion_option_words(FILE *out, const struct xpf_verb *verb)
{
	for (int j = 0; verb->options[j].name; j++) {
		const struct xpf_option *option = &verb->options[j];

		if (option->key < 256)
			fprintf(out, "-%c ", option->key);
		fprintf(out, "--%s ", option->name);
	}
	fprintf(out, "-h --help -v --verbose");
	if (verb->prints_json)
		fprintf(out, " -j --json -p --pretty");
}

void xpf_print_completion(FILE *out, const struct xpf_verb *const *verbs)
{
	fprintf(out, "_xpf_verbs=\"");
	for (int i = 0; verbs[i]; i++)
		fprintf(out, "%s%s", i ? " " : "", verbs[i]->name);
	fprintf(out, "\"\n_xpf_verb_options() {\n\tcase $1 in\n");
	for (int i = 0; verbs[i]; i++) {
		fprintf(out, "\t%s) echo \"", verbs[i]->name);
		completion_option_words(out, verbs[i]);
		fprintf(out, "\" ;;\n");
	}
	fprintf(out, "\tesac\n}\n_xpf_interface_operands() {\n\tcase $1 in\n\t");
	for (int i = 0, first = 1; verbs[i]; i++) {
		if (verbs[i]->operands_are_interfaces) {
			fprintf(out, "%s%s", first ? "" : " | ", verbs[i]->name);
			first = 0;
		}
	}
	fprintf(out, ") return 0 ;;\n\tesac\n\treturn 1\n}\n_xpf_option_values() {\n\tcase $1 in\n");
	for (int i = 0; verbs[i]; i++) {
		const struct xpf_verb *verb = verbs[i];

		for (int j = 0; verb->options[j].name; j++) {
			const struct xpf_option *option = &verb->options[j];

			if (!option->argument)
				continue;
			fprintf(out, "\t%s:", verb->name);
			if (option->key < 256)
				fprintf(out, "-%c | %s:", option->key, verb->name);
			fprintf(out, "--%s) echo \"%s\" ;;\n", option->name, option->completion ?: "");
		}
	}
	fprintf(out, "\t*) return 1 ;;\n\tesac\n}\n");
}
