/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Site file + its table, read from disk and resolved into a rule set. User space only. */
#ifndef XPF_CONFIG_LOAD_H
#define XPF_CONFIG_LOAD_H

#include <stdbool.h>

#include "core/config.h"

#define XPF_MAX_INPUT_BYTES (64u << 20)	/* bounds what a parser is ever handed */

struct xpf_loaded_config {
	struct xpf_site site;
	struct xpf_table table;
	char table_name[XPF_FILE_MAX];	/* the pages read: built-in names or paths, ", " between */
	struct xpf_ruleset ruleset;
};

/* Reads @path (NUL-terminated copy in *text). Errors name the file. */
int xpf_read_file(const char *path, char **text, struct xpf_error *err);
/* Reads the site file, then its tables (each a built-in name, else a path relative to the
 * site file's directory; all its tables or the one picked) into config->table, then resolves
 * both. On error nothing is left allocated. */
int xpf_config_load(const char *site_path, struct xpf_loaded_config *config, struct xpf_error *err);
/* The two halves of xpf_config_load: the site file and its tables read, then the rule set
 * built of them (the table is freed then). On error nothing is left allocated. */
int xpf_config_read(const char *site_path, struct xpf_loaded_config *config,
		    struct xpf_error *err);
int xpf_config_build(struct xpf_loaded_config *config, struct xpf_error *err);
/* xpf_config_read of a site file's text; @name stands for its path in messages (and for its
 * folder, which relative table paths are read from). */
int xpf_config_read_text(const char *text, const char *name, struct xpf_loaded_config *config,
			 struct xpf_error *err);
void xpf_config_free(struct xpf_loaded_config *config);
/* The page a `table` line of @site names, as the rules' tables are named: a built-in name,
 * else its absolute path (the path as joined when it cannot be resolved). */
void xpf_site_table_source(const struct xpf_site *site, const struct xpf_site_table *entry,
			   char *name, size_t size);
/* From now on, files read must pass xpf_file_check_trusted() (user/core/file_trust.h): load,
 * reload and check ask for it unless --force. */
void xpf_config_require_trusted_files(bool required);

#endif /* XPF_CONFIG_LOAD_H */
