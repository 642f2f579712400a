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
#include "map_batch.h"
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

#define BATCH XPF_MAP_BATCH

struct rule_info_split {
	const struct xpf_meta *meta;
	uint8_t from, to;
	struct old_rule *old;
	struct xpf_rule_info *new_rules;
};

/* Sorts a batch of rule_info by generation: the old rules' into old[], the new into
 * new_rules[], by id within the generation. */
static int split_rule_infos(int fd, struct xpf_map_batch *batch, void *arg)
{
	const struct rule_info_split *split = arg;
	const struct xpf_meta *meta = split->meta;
	uint32_t from_base = split->from * meta->rule_id_span;
	uint32_t to_base = split->to * meta->rule_id_span;
	const struct xpf_rule_info *infos = (const void *)batch->values;
	const uint32_t *keys = (const void *)batch->keys;

	(void)fd;
	for (uint32_t i = 0; i < batch->count; i++) {
		if (keys[i] - from_base < meta->rule_count[split->from])
			split->old[keys[i] - from_base].info = infos[i];
		else if (keys[i] - to_base < meta->rule_count[split->to])
			split->new_rules[keys[i] - to_base] = infos[i];
	}
	return 0;
}

/* Both generations' rule_info, read in batches: the old rules into @old (by id), the new into
 * @new_rules. rule_info holds those two generations only. */
static int read_rule_infos(int fd, const struct xpf_meta *meta, uint8_t from, uint8_t to,
			   struct old_rule *old, struct xpf_rule_info *new_rules)
{
	struct rule_info_split split = { meta, from, to, old, new_rules };

	return xpf_map_walk(fd, split_rule_infos, &split);
}

/* The old generation's rules with their whole counts: carried ones plus their own, the
 * per-CPU counters read BATCH ids a call. */
static int read_old_rules(const struct xpf_filter *filter, const struct xpf_meta *meta,
			  uint8_t from, struct old_rule *old, int ncpus)
{
	uint32_t first_id = from * meta->rule_id_span, count = meta->rule_count[from];
	struct xpf_counter *counters = calloc((size_t)BATCH * ncpus, sizeof(*counters));
	uint32_t *keys = malloc(BATCH * sizeof(*keys));
	int err = counters && keys ? 0 : -ENOMEM;

	for (uint32_t done = 0; done < count && !err;) {
		uint32_t n = count - done < BATCH ? count - done : BATCH, got = n;
		uint32_t before = first_id + done - 1, next;

		/* An array's batch cursor is the key before the first one read. */
		if (bpf_map_lookup_batch(filter->map_fds[XPF_MAP_RULE_STATS],
					 first_id + done ? &before : NULL, &next, keys, counters,
					 &got, NULL) && errno != ENOENT)
			err = -errno;
		else if (got != n || keys[0] != first_id + done)
			err = -EIO;
		for (uint32_t i = 0; i < n && !err; i++) {
			struct xpf_counter own = {};

			for (int cpu = 0; cpu < ncpus; cpu++)
				xpf_counter_add(&own, &counters[(size_t)i * ncpus + cpu]);
			old[done + i].id = first_id + done + i;
			xpf_counter_add(&old[done + i].info.carried, &own);
			old[done + i].info.line = 0;
		}
		done += n;
	}
	free(counters);
	free(keys);
	return err;
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
	size_t old_count = meta->rule_count[from], new_count = meta->rule_count[to];
	struct xpf_rule_info *new_rules;
	uint32_t *keys, n = 0;
	struct old_rule *old;

	if (ncpus < 0)
		return ncpus;
	old = calloc(old_count ?: 1, sizeof(*old));
	new_rules = calloc(new_count ?: 1, sizeof(*new_rules));
	keys = malloc(BATCH * sizeof(*keys));
	if (!old || !new_rules || !keys) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = read_rule_infos(filter->map_fds[XPF_MAP_RULE_INFO], meta, from, to, old, new_rules);
	err = err ?: read_old_rules(filter, meta, from, old, ncpus);
	if (err)
		goto cleanup;
	qsort(old, old_count, sizeof(*old), compare_old_rules);
	/* The new rules that carry counts, written back BATCH at a time: packed at the front of
	 * new_rules (a rule is moved only to a place already passed). */
	for (size_t i = 0; i < new_count && !err; i++) {
		struct old_rule *same = unchanged_rule(old, old_count, &new_rules[i]);

		if (same) {
			keys[n] = to * meta->rule_id_span + (uint32_t)i;
			new_rules[n] = new_rules[i];
			new_rules[n].carried = same->info.carried;
			n++;
		}
		if (n == BATCH || (i + 1 == new_count && n)) {
			uint32_t written = n;

			if (bpf_map_update_batch(filter->map_fds[XPF_MAP_RULE_INFO], keys, new_rules,
						 &written, NULL))
				err = -errno;
			n = 0;
		}
	}
	err = err ?: report_removed(filter, old, old_count);
cleanup:
	free(old);
	free(new_rules);
	free(keys);
	return err;
}
