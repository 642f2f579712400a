// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The pages' bytes are taken verbatim from tables/ at build time (.incbin, NUL-terminated), so
 * the binary enforces exactly the published text that the repository holds. */
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

XPF_EMBED(xpf_table_lync2013_autodiscover, "tables/lync2013-autodiscover.txt");
XPF_EMBED(xpf_table_lync2013_director_dns_hlb, "tables/lync2013-director-dns-hlb.txt");
XPF_EMBED(xpf_table_lync2013_director_single, "tables/lync2013-director-single.txt");
XPF_EMBED(xpf_table_lync2013_edge_scaled_dns_nat, "tables/lync2013-edge-scaled-dns-nat.txt");
XPF_EMBED(xpf_table_lync2013_edge_scaled_dns_public, "tables/lync2013-edge-scaled-dns-public.txt");
XPF_EMBED(xpf_table_lync2013_edge_scaled_hlb, "tables/lync2013-edge-scaled-hlb.txt");
XPF_EMBED(xpf_table_lync2013_edge_single_nat, "tables/lync2013-edge-single-nat.txt");
XPF_EMBED(xpf_table_lync2013_edge_single_public, "tables/lync2013-edge-single-public.txt");
XPF_EMBED(xpf_table_lync2013_federation_xmpp, "tables/lync2013-federation-xmpp.txt");
XPF_EMBED(xpf_table_lync2013_internal_servers, "tables/lync2013-internal-servers.txt");
XPF_EMBED(xpf_table_lync2013_public_im_connectivity, "tables/lync2013-public-im-connectivity.txt");
XPF_EMBED(xpf_table_lync2013_xmpp_federation_only, "tables/lync2013-xmpp-federation-only.txt");

/* One line a page of tables/ (SOURCES.md there says where each comes from). */
static const struct xpf_builtin_table tables[] = {
	{ "lync2013-autodiscover", xpf_table_lync2013_autodiscover },
	{ "lync2013-director-dns-hlb", xpf_table_lync2013_director_dns_hlb },
	{ "lync2013-director-single", xpf_table_lync2013_director_single },
	{ "lync2013-edge-scaled-dns-nat", xpf_table_lync2013_edge_scaled_dns_nat },
	{ "lync2013-edge-scaled-dns-public", xpf_table_lync2013_edge_scaled_dns_public },
	{ "lync2013-edge-scaled-hlb", xpf_table_lync2013_edge_scaled_hlb },
	{ "lync2013-edge-single-nat", xpf_table_lync2013_edge_single_nat },
	{ "lync2013-edge-single-public", xpf_table_lync2013_edge_single_public },
	{ "lync2013-federation-xmpp", xpf_table_lync2013_federation_xmpp },
	{ "lync2013-internal-servers", xpf_table_lync2013_internal_servers },
	{ "lync2013-public-im-connectivity", xpf_table_lync2013_public_im_connectivity },
	{ "lync2013-xmpp-federation-only", xpf_table_lync2013_xmpp_federation_only },
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
