/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * `xpf diff`: two rule sets compared rule by rule. A rule is known by what it is about — its
 * source and destination as written, transports, ports and direction — and rules said twice
 * pair up in order. A pair that differs in its action, its label or the addresses its roles
 * resolve to is changed; a rule of one side alone is added or removed. User space only, pure.
 */
#ifndef XPF_RULE_DIFF_H
#define XPF_RULE_DIFF_H

#include <stddef.h>

#include "core/config.h"

enum xpf_rule_change {
	XPF_RULE_SAME,
	XPF_RULE_ADDED,			/* new_index only */
	XPF_RULE_REMOVED,		/* old_index only */
	XPF_RULE_CHANGED,
};

/* What a changed rule changed: bits. */
enum {
	XPF_CHANGED_ACTION = 1,
	XPF_CHANGED_LABEL = 2,
	XPF_CHANGED_SOURCES = 4,
	XPF_CHANGED_DESTINATIONS = 8,
};

struct xpf_rule_pair {
	enum xpf_rule_change change;
	size_t old_index, new_index;
	unsigned int what;		/* XPF_CHANGED_* */
};

struct xpf_rule_diff {
	struct xpf_rule_pair *pairs;	/* the old rules in order (changed, same, removed), then
					 * the added ones in order */
	size_t count;
	size_t added, removed, changed, same;
};

int xpf_ruleset_diff(const struct xpf_ruleset *old, const struct xpf_ruleset *new,
		     struct xpf_rule_diff *out);
void xpf_rule_diff_free(struct xpf_rule_diff *diff);
/* "allow SSH/TCP 22 | Admin workstations | Director" */
void xpf_rule_format(const struct xpf_rule *rule, char *buf, size_t size);
/* "action, sources" */
void xpf_rule_changes_format(unsigned int what, char *buf, size_t size);

#endif /* XPF_RULE_DIFF_H */
