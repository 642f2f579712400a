/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A parsed site file written out again as a site file: every directive in one canonical form,
 * tables by their built-in name or absolute path, so that the text loads back to the same
 * rules from anywhere. What load and reload record of the rule set they put in force, and what
 * `xpf save` prints. User space only.
 */
#ifndef XPF_SITE_FORMAT_H
#define XPF_SITE_FORMAT_H

#include <stdio.h>

#include "core/config_load.h"

/* The site file of @config (read by xpf_config_read/xpf_config_load) onto @out. */
int xpf_site_format(const struct xpf_loaded_config *config, FILE *out);
/* The same into a malloc()ed string, *text; -ENOMEM. */
int xpf_site_format_text(const struct xpf_loaded_config *config, char **text);

#endif /* XPF_SITE_FORMAT_H */
