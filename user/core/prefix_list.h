/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A source list's file, as `deny-list FILE` and `allow-list FILE` name it: one address or
 * prefix a line, IPv4 and IPv6 mixed. Pure: text in, prefixes out. User space only.
 */
#ifndef XPF_PREFIX_LIST_H
#define XPF_PREFIX_LIST_H

#include <stddef.h>

#include "core/config.h"

struct xpf_prefix_list {
	struct xpf_prefix *prefixes;	/* in file order, host bits cleared, repeats kept */
	size_t count;
};

/*
 * Reads @text, the list file @file. A line holds one address or prefix ("192.0.2.7",
 * "198.51.100.0/24", "2001:db8::/32"), or nothing; '#' and ';' start a comment anywhere on a
 * line, so the published formats read as they are: a FireHOL .netset ("# ..." headers) and
 * Spamhaus DROP ("192.0.2.0/24 ; SBL123456"). Blanks and a CR before the line break are
 * ignored. Anything else on a line, and a /0, is an error at FILE:LINE, and @list is then
 * empty.
 */
int xpf_prefix_list_parse(const char *text, const char *file, struct xpf_prefix_list *list,
			  struct xpf_error *err);
void xpf_prefix_list_free(struct xpf_prefix_list *list);

#endif /* XPF_PREFIX_LIST_H */
