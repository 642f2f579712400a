/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The site file of the rule set in force (core/site_record.h), tied to the generation the
 * kernel has in force. User space only. */
#ifndef XPF_LOADED_SITE_H
#define XPF_LOADED_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "core/config_load.h"
#include "kernel/filter.h"

/* The generation in force, its configuration and when it was loaded. */
int xpf_filter_in_force(const struct xpf_filter *filter, uint32_t *generation,
			struct xpf_config *config, uint64_t *loaded_at_ns);
/* The site file path the meta map gives the generation in force ("" when none). */
void xpf_filter_site_path(const struct xpf_filter *filter, char *path, size_t size);
/* Records @text as the site file of the generation now in force. */
int xpf_filter_record_site(const struct xpf_filter *filter, const char *text);
/* The recorded site file of the generation in force, into *@text (malloc()ed). */
int xpf_filter_recorded_site(const struct xpf_filter *filter, char **text, struct xpf_error *err);
/* The same, read and resolved into a rule set (config_load.h); on error nothing is left. */
int xpf_filter_loaded_config(const struct xpf_filter *filter, struct xpf_loaded_config *config,
			     struct xpf_error *err);

#endif /* XPF_LOADED_SITE_H */
