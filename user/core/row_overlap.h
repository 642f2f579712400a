/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Rows that never decide: a site row that repeats an earlier one, and a rule that an earlier
 * site row fully shadows (user/core/row_overlap.c). Pure; user space only.
 */
#ifndef XPF_ROW_OVERLAP_H
#define XPF_ROW_OVERLAP_H

#include "core/config.h"

/* Adds to @ruleset->warnings, at the line of each row that never decides, the line of the row
 * that decides in its place. 0, or -ENOMEM. */
int xpf_ruleset_warn_overlaps(struct xpf_ruleset *ruleset);

#endif /* XPF_ROW_OVERLAP_H */
