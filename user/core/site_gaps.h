/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What a site file lacks for its tables, found before anything is loaded (`xpf check`): the
 * roles the tables' rows name that it does not define, and its local roles that no row admits
 * traffic to. User space only, pure. */
#ifndef XPF_SITE_GAPS_H
#define XPF_SITE_GAPS_H

#include "core/config.h"

enum xpf_gap_kind {
	XPF_GAP_ROLE,		/* a cell that is this role alone: its rows make no rule */
	XPF_GAP_PART,		/* a part of a cell whose other parts the site defines */
	XPF_GAP_NARROWING,	/* a part of "Any (can be defined as ...)": it would narrow Any */
	XPF_GAP_LOCAL,		/* a local role that no rule admits traffic to */
};

struct xpf_gap {
	char name[XPF_NAME_MAX];	/* a cell can be longer: cut to fit */
	char file[XPF_FILE_MAX];	/* of the first row naming it, or the site file */
	int line;
	size_t rows;			/* rows naming it */
	uint8_t kind;			/* enum xpf_gap_kind */
};

struct xpf_gaps {
	struct xpf_gap *gaps;		/* by kind, then in the order first met */
	size_t count;
	size_t cap;
};

/* The roles @table's rows name that @site does not define, each once. 0 or -ENOMEM. */
int xpf_table_gaps(const struct xpf_site *site, const struct xpf_table *table,
		   struct xpf_gaps *gaps);
/* The local roles of @site whose addresses no ingress rule of @ruleset admits traffic to. */
int xpf_local_gaps(const struct xpf_site *site, const struct xpf_ruleset *ruleset,
		   struct xpf_gaps *gaps);
void xpf_gaps_free(struct xpf_gaps *gaps);

#endif /* XPF_SITE_GAPS_H */
