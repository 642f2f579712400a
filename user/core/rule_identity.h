/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A rule's name that outlives its position: the file its row is in and a hash of what the row
 * says, so that a reload that inserts or moves rows names every unchanged row as before (the
 * Prometheus `rule` label). Pure; user space only.
 */
#ifndef XPF_RULE_IDENTITY_H
#define XPF_RULE_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/stats.h"

/* "/etc/xpf/eth0.site:3f09c2d41a7be850", then ":…/2", ":…/3" for the same row said again. */
#define XPF_RULE_IDENTITY_MAX (XPF_INFO_PATH_MAX + 32)

struct xpf_rule_identity {
	uint64_t hash;		/* FNV-1a 64 of the row's fields (rule_identity.c) */
	uint32_t occurrence;	/* 1 for the first row of its file that says this, 2 ... */
};

/* The file a rule's row is in: the site file for a site row, else its own table's name. */
const char *xpf_rule_file(const struct xpf_stats *stats, const struct xpf_rule_info *info);
/* One identity per rule of @stats, in @identities (rule_count of them). 0, or -ENOMEM. */
int xpf_rule_identities(const struct xpf_stats *stats, struct xpf_rule_identity *identities);
/* The identity as text, into @buf of XPF_RULE_IDENTITY_MAX. */
void xpf_rule_identity_format(const struct xpf_stats *stats, const struct xpf_rule_info *info,
			      const struct xpf_rule_identity *identity, char *buf, size_t size);

#endif /* XPF_RULE_IDENTITY_H */
