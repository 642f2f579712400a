// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Counters across a reload. A rule of the new generation that is the same as one of the old —
 * what its row says is the same: label, roles, ports, protocols, action, direction, origin,
 * wherever the row now stands (its line is left out) — carries the old one's counts; rows said
 * twice pair up in order. An old rule the new generation does not keep is reported once, with
 * its final counts, and then goes with its generation.
 *
 * Run after the flip and the retire delay: no packet reads the old generation any more, so its
 * counters are final, and nothing is lost between reading them and the flip. The carried
 * counts go into rule_info (user space's alone), never into the per-CPU counter the program is
 * incrementing.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "filter.h"
#include "stats.h"

struct old_rule {
	struct xpf_rule_info info;
	uint32_t id;
	bool taken;
};

/* The bytes of a rule_info that say which rule it is (line zeroed before comparing). */
#define RULE_IDENTITY_SIZE offsetof(struct xpf_rule_info, pad)

static int compare_identity(const void *a, const void *b)
{
	const struct old_rule *x = a, *y = b;

	return memcmp(&x->info, &y->info, RULE_IDENTITY_SIZE);
}

static int compare_old_rules(const void *a, const void *b)
{
	const struct old_rule *x = a, *y = b;

	return compare_identity(a, b) ?: (x->id > y->id) - (x->id < y->id);
}

static struct old_rule *unchanged_rule(struct old_rule *old, size_t count,
				       const struct xpf_rule_info *info)
{
	struct old_rule key = { .info = *info };
	struct old_rule *found;

	key.info.line = 0;
	found = bsearch(&key, old, count, sizeof(*old), compare_identity);
	if (!found)
		return NULL;
	while (found > old && !compare_identity(&key, found - 1))
		found--;
	for (; found < old + count && !compare_identity(&key, found); found++)
		if (!found->taken) {
			found->taken = true;
			return found;
		}
	return NULL;
}

/* The old generation's rules with their whole counts: carried ones plus their own. */
static int read_old_rules(const struct xpf_filter *filter, const struct xpf_meta *meta,
			  uint8_t from, struct old_rule *old, struct xpf_counter *scratch, int ncpus)
{
	for (size_t i = 0; i < meta->rule_count[from]; i++) {
		struct xpf_counter own;
		int err;

		old[i].id = from * meta->rule_id_span + i;
		if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_RULE_INFO], &old[i].id,
					&old[i].info))
			return -errno;
		err = xpf_counter_read(filter->map_fds[XPF_MAP_RULE_STATS], old[i].id, ncpus,
				       scratch, &own);
		if (err)
			return err;
		xpf_counter_add(&old[i].info.carried, &own);
		old[i].info.line = 0;
	}
	return 0;
}

static int compare_report_ids(const void *a, const void *b)
{
	const struct xpf_rule_report *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The old rules the new generation did not keep, in the order of their rows. */
static int report_removed(struct xpf_filter *filter, const struct old_rule *old, size_t count)
{
	size_t removed = 0;

	for (size_t i = 0; i < count; i++)
		removed += !old[i].taken;
	free(filter->removed);
	filter->removed_count = 0;
	filter->removed = calloc(removed ?: 1, sizeof(*filter->removed));
	if (!filter->removed)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		struct xpf_rule_report *report;

		if (old[i].taken)
			continue;
		report = &filter->removed[filter->removed_count++];
		report->id = old[i].id;
		report->info = old[i].info;
		report->counter = old[i].info.carried;
	}
	qsort(filter->removed, filter->removed_count, sizeof(*filter->removed),
	      compare_report_ids);
	return 0;
}

int xpf_carry_counters(struct xpf_filter *filter, const struct xpf_meta *meta, uint8_t from,
		       uint8_t to)
{
	int ncpus = libbpf_num_possible_cpus(), err;
	size_t old_count = meta->rule_count[from];
	struct xpf_counter *scratch;
	struct old_rule *old;

	if (ncpus < 0)
		return ncpus;
	old = calloc(old_count ?: 1, sizeof(*old));
	scratch = calloc(ncpus, sizeof(*scratch));
	if (!old || !scratch) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = read_old_rules(filter, meta, from, old, scratch, ncpus);
	if (err)
		goto cleanup;
	qsort(old, old_count, sizeof(*old), compare_old_rules);
	for (size_t i = 0; i < meta->rule_count[to] && !err; i++) {
		uint32_t id = to * meta->rule_id_span + i;
		struct xpf_rule_info info;
		struct old_rule *same;

		if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_RULE_INFO], &id, &info)) {
			err = -errno;
			break;
		}
		same = unchanged_rule(old, old_count, &info);
		if (!same)
			continue;
		info.carried = same->info.carried;
		if (bpf_map_update_elem(filter->map_fds[XPF_MAP_RULE_INFO], &id, &info, BPF_EXIST))
			err = -errno;
	}
	err = err ?: report_removed(filter, old, old_count);
cleanup:
	free(old);
	free(scratch);
	return err;
}
