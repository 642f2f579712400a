/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What a rule set needs of the maps, and the limits that apply: `xpf check` (capacity_view.c). */
#ifndef XPF_CAPACITY_VIEW_H
#define XPF_CAPACITY_VIEW_H

#include <stdio.h>

#include "core/compile.h"

/* The rule ids, rule entries and list prefixes @ruleset needs, compiled to @image, each with
 * its limit, and the memory of the maps sized to them. */
void xpf_print_needs(FILE *out, const struct xpf_ruleset *ruleset, const struct xpf_image *image);

#endif /* XPF_CAPACITY_VIEW_H */
