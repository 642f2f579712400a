/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What an interrupted load, reload or unload leaves behind (a killed xpf, a crash), found from
 * the kernel and bpffs, reported by `xpf status` and repaired by the next load, reload or
 * unload. User space only.
 */
#ifndef XPF_LEFTOVERS_H
#define XPF_LEFTOVERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/filter.h"

struct xpf_leftovers {
	/* With an xpf XDP program on the interface: */
	bool no_rule_set;		/* attached, no generation in force: a load stopped early */
	bool egress_missing;		/* rules in force, no egress program: a load stopped
					 * before its last step, or an unload after its first */
	bool spare_generation;		/* the generation not in force holds entries */
	bool spare_is_older;		/* ... the one a reload flipped away from (else: a reload
					 * stopped before its flip) */
	bool spare_checked;		/* a rule set in force, and its spare searched whole */
	/* With or without one: */
	bool stale_pins;		/* a pin directory that does not hold the attached program */
	uint32_t orphan_egress_id;	/* an xpf egress program without xpf's XDP program */
	char pin_dir[256];
};

/* Looks for leftovers on @ifname; @filter is the filter found there, NULL when there is none.
 * Returns how many kinds were found. */
int xpf_leftovers_find(const char *ifname, const struct xpf_filter *filter,
		       struct xpf_leftovers *found);
/* One line per leftover, each starting with @indent. */
void xpf_leftovers_print(FILE *out, const char *indent, const struct xpf_leftovers *found);
/* A load is whole only when it reached its last step: rules in force and egress attached. */
bool xpf_leftovers_half_loaded(const struct xpf_leftovers *found);
/* Without a filter: removes the pins and the orphan egress program. */
int xpf_leftovers_remove_orphans(const char *ifname, const struct xpf_leftovers *found);
/* With a filter: finishes or undoes an interrupted reload (the spare generation: counters
 * carried and the generation cleared when it is the older one, cleared when it never went in
 * force), attaches a missing egress program, re-pins. */
int xpf_leftovers_repair(struct xpf_filter *filter, const struct xpf_leftovers *found);
/* Interfaces of this network namespace with leftovers but no filter (deleted ones included,
 * by their pin directories): names into @names, returns the count. */
int xpf_leftovers_list_orphans(char (*names)[IF_NAMESIZE], int max);

#endif /* XPF_LEFTOVERS_H */
