/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Every verb of xpf (cli/verbs.c). User space only. */
#ifndef XPF_CLI_VERBS_H
#define XPF_CLI_VERBS_H

#include "cli/options.h"

/* In the order `xpf --help`, the man page and the completion list them; NULL-terminated. */
extern const struct xpf_verb *const xpf_verbs[];
const struct xpf_verb *xpf_verb_find(const char *name);

#endif /* XPF_CLI_VERBS_H */
