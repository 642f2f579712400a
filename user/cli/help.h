/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What a list of verb tables prints about itself (cli/help.c). User space only. */
#ifndef XPF_CLI_HELP_H
#define XPF_CLI_HELP_H

#include <stdio.h>

#include "cli/options.h"

/* xpf's usage: the verbs and what each does. */
void xpf_usage(FILE *out, const struct xpf_verb *const *verbs);
/* The man page's SYNOPSIS lines (roff) and the bash completion's tables. */
void xpf_print_man_synopsis(FILE *out, const struct xpf_verb *const *verbs);
void xpf_print_completion(FILE *out, const struct xpf_verb *const *verbs);

#endif /* XPF_CLI_HELP_H */
