/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Published port tables compiled into xpf (the .txt files of tables/). User space only. */
#ifndef XPF_BUILTIN_TABLES_H
#define XPF_BUILTIN_TABLES_H

#include <stddef.h>

struct xpf_builtin_table {
	const char *name;	/* file name without .txt: what a site file's `table` names */
	const char *text;	/* NUL-terminated */
};

/* NULL when @name is not built in. */
const struct xpf_builtin_table *xpf_builtin_table(const char *name);
const struct xpf_builtin_table *xpf_builtin_tables(size_t *count);

#endif /* XPF_BUILTIN_TABLES_H */
