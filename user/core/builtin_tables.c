// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The table's bytes are taken verbatim from tables/ at build time (.incbin, NUL-terminated),
 * so the binary enforces exactly the published text that the repository holds. */
#include <string.h>

#include "core/builtin_tables.h"

#define XPF_EMBED(symbol, path)                                                               \
	__asm__(".section .rodata\n"                                                          \
		".global " #symbol "\n"                                                       \
		#symbol ":\n"                                                                 \
		".incbin \"" path "\"\n"                                                      \
		".byte 0\n"                                                                   \
		".previous\n");                                                               \
	extern const char symbol[]

XPF_EMBED(xpf_table_lync2013_director_dns_hlb, "tables/lync2013-director-dns-hlb.txt");

static const struct xpf_builtin_table tables[] = {
	{ "lync2013-director-dns-hlb", xpf_table_lync2013_director_dns_hlb },
};

const struct xpf_builtin_table *xpf_builtin_tables(size_t *count)
{
	*count = sizeof(tables) / sizeof(tables[0]);
	return tables;
}

const struct xpf_builtin_table *xpf_builtin_table(const char *name)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!strcmp(tables[i].name, name))
			return &tables[i];
	return NULL;
}
