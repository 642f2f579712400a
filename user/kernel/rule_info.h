/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* rule_info (bpf/classify.h): each generation's rule metadata in an array of its own, made to
 * its rules when the generation is written and dropped with it, so that the map holds the rules
 * loaded and no more, whatever their number (rule_info.c). User space only. */
#ifndef XPF_RULE_INFO_H
#define XPF_RULE_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/filter.h"
#include "kernel/map_batch.h"

/* @generation's metadata, @count rules: @fill(@arg, first, n, infos) fills n of them from rule
 * @first on, a part at a time, into an array made to @count, which then goes in its place. */
typedef void (*xpf_rule_info_fill_fn)(void *arg, uint32_t first, uint32_t count,
				      struct xpf_rule_info *infos);
int xpf_rule_info_write(const struct xpf_filter *filter, uint8_t generation, uint32_t count,
			xpf_rule_info_fill_fn fill, void *arg);

/* @generation's metadata taken out (none there: 0). */
int xpf_rule_info_drop(const struct xpf_filter *filter, uint8_t generation);

/* Whether @generation has metadata. */
bool xpf_rule_info_present(const struct xpf_filter *filter, uint8_t generation);

/* An fd of @generation's array (close it), or -ENOENT when it has none. */
int xpf_rule_info_open(const struct xpf_filter *filter, uint8_t generation);

/* Rule @id's metadata, its generation's by the id span @span: 0, -ENOENT, or a negative
 * errno. */
int xpf_rule_info_get(const struct xpf_filter *filter, uint32_t span, uint32_t id,
		      struct xpf_rule_info *info);

/* @generation's metadata in batches to @visit as xpf_map_walk() gives them: keys are the rule
 * ids (generation × @span + index); the values are read only (the map's own pages, mapped).
 * None there: no batch, 0. */
int xpf_rule_info_walk(const struct xpf_filter *filter, uint8_t generation, uint32_t span,
		       xpf_map_visit_fn visit, void *arg);

#endif /* XPF_RULE_INFO_H */
