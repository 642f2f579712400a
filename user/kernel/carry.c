// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Counters across a reload. A rule of the new generation that is the same as one of the old —
 * what its row says is the same: label, roles, ports, protocols, action, direction, origin,
 * wherever the row now stands (its line is left out) — carries the old one's counts; rows said
 * twice pair up in order. An old rule the new generation does not keep is reported once, with
 * its final counts, and then goes with its generation.
 *
 * Run after the flip; the old generation's counters are read once it has settled (settle.h):
 * no packet reads that generation any more, they are final, and nothing is lost between reading
 * them and the flip. The carried counts go into rule_carried (user space's alone), never into
 * the per-CPU counter the program is incrementing: the new generation's range of it, written
 * whole, so that carrying again (a repair) sets what it set.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/carry.h"
#include "kernel/counters.h"
#include "kernel/filter.h"
#include "kernel/map_batch.h"
#include "kernel/rule_info.h"
#include "lib/beside.h"
#include "lib/hash.h"
#include "lib/mix.h"

/*
 * A rule is known here by a 128-bit hash of what its row says (struct rule_identity), not by
 * its 192-byte rule_info: a reload of 100,000 rules then holds 8 MB for both generations, not
 * 45. Two different rules hashing alike is not a practical concern (about 2^-89 for a million
 * rules); equal rules always do.
 */
struct rule_identity {
	uint64_t a, b;
};

struct old_rule {
	struct rule_identity identity;
	struct xpf_counter carried;	/* what earlier generations carried, plus its own */
	uint32_t id;
	bool taken;
};

/* The bytes of a rule_info that say which rule it is (line zeroed before comparing). */
#define RULE_IDENTITY_SIZE offsetof(struct xpf_rule_info, origins)

static struct rule_identity identity_of(const struct xpf_rule_info *info)
{
	uint64_t words[(RULE_IDENTITY_SIZE + 7) / 8] = { 0 };
	struct rule_identity id = { 0x243f6a8885a308d3ull, 0x13198a2e03707344ull };

	memcpy(words, info, RULE_IDENTITY_SIZE);
	memset((uint8_t *)words + offsetof(struct xpf_rule_info, line), 0, sizeof(info->line));
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		id.a = xpf_mix64(id.a ^ words[i]);
		id.b = xpf_mix64(id.b + words[i] * 0xff51afd7ed558ccdull);
	}
	return id;
}

/* The old rules by identity, so that each new rule finds its own in one probe (a sort of the
 * old rules took a copy of them and a call per comparison): the distinct identities in a hash
 * set (lib/hash.h), and for each the first of its old rules not yet taken (@left), each old
 * rule linking the next of its identity (@next), by id. Indexes + 1; 0: none. */
static const struct xpf_hash_type identity_type = {
	.item_size = sizeof(struct rule_identity),
	.key_size = sizeof(struct rule_identity),
	.first_items = 1024,
	.first_slots = 2048,
	.max_items = XPF_MAX_RULES,	/* a generation's rules are fewer */
};

struct old_index {
	struct xpf_hash identities;
	uint32_t *left, *next;
};

static void free_old_index(struct old_index *index)
{
	xpf_hash_free(&index->identities);
	free(index->left);
	free(index->next);
}

static int index_old_rules(const struct old_rule *old, size_t count, struct old_index *index)
{
	uint32_t *last = malloc((count ?: 1) * sizeof(*last));	/* per identity: its last rule */
	int err = 0;

	memset(index, 0, sizeof(*index));
	xpf_hash_expect(&index->identities, &identity_type, count);
	index->left = malloc((count ?: 1) * sizeof(*index->left));
	index->next = calloc(count ?: 1, sizeof(*index->next));
	if (!last || !index->left || !index->next)
		err = -ENOMEM;
	for (uint32_t i = 0; i < count && !err; i++) {
		size_t distinct;
		int added = xpf_hash_add(&index->identities, &identity_type, &old[i].identity,
					 &distinct);

		if (added < 0) {
			err = added;
			break;
		}
		if (added)
			index->left[distinct] = i + 1;
		else
			index->next[last[distinct]] = i + 1;
		last[distinct] = i;
	}
	free(last);
	if (err)
		free_old_index(index);
	return err;
}

/* The first old rule of @identity not yet taken, by id; taken now. */
static struct old_rule *unchanged_rule(struct old_rule *old, struct old_index *index,
				       const struct rule_identity *identity)
{
	long distinct = xpf_hash_find(&index->identities, &identity_type, identity);
	struct old_rule *rule;

	if (distinct < 0 || !index->left[distinct])
		return NULL;
	rule = &old[index->left[distinct] - 1];
	index->left[distinct] = index->next[index->left[distinct] - 1];
	rule->taken = true;
	return rule;
}

struct identities {
	const struct xpf_meta *meta;
	uint8_t from, to;
	struct old_rule *old;			/* by id within the old generation */
	struct rule_identity *new_rules;	/* by id within the new generation */
};

/* The identities of a batch of rule_info, by generation and id. */
static int read_identities(int fd, struct xpf_map_batch *batch, void *arg)
{
	const struct identities *split = arg;
	const struct xpf_meta *meta = split->meta;
	uint32_t from_base = split->from * meta->rule_id_span;
	uint32_t to_base = split->to * meta->rule_id_span;
	const struct xpf_rule_info *infos = (const void *)batch->values;
	const uint32_t *keys = (const void *)batch->keys;

	(void)fd;
	for (uint32_t i = 0; i < batch->count; i++) {
		if (keys[i] - from_base < meta->rule_count[split->from]) {
			struct old_rule *old = &split->old[keys[i] - from_base];

			old->identity = identity_of(&infos[i]);
		} else if (keys[i] - to_base < meta->rule_count[split->to]) {
			split->new_rules[keys[i] - to_base] = identity_of(&infos[i]);
		}
	}
	return 0;
}

/* The new generation's identities, read beside the old one's. */
struct new_identities {
	const struct xpf_filter *filter;
	struct identities *split;
};

static int read_new_identities(void *arg)
{
	const struct new_identities *job = arg;

	return xpf_rule_info_walk(job->filter, job->split->to, job->split->meta->rule_id_span,
				  read_identities, job->split);
}

struct old_rules {
	struct old_rule *rules;
	uint32_t first_id;		/* the old generation's first rule id: rules[0]'s */
};

/* xpf_rule_totals_read()'s batch into the old generation's rules (@ctx: struct old_rules). */
static int take_old_totals(uint32_t first, const struct xpf_counter *totals, uint32_t count,
			   void *ctx)
{
	const struct old_rules *old = ctx;

	for (uint32_t i = 0; i < count; i++) {
		old->rules[first - old->first_id + i].id = first + i;
		old->rules[first - old->first_id + i].carried = totals[i];
	}
	return 0;
}

/* A rule that counted nothing carries nothing: its report says so, its carry is zero. */
static bool counted(const struct xpf_counter *counter)
{
	static const struct xpf_counter none;

	return memcmp(counter, &none, sizeof(none)) != 0;
}

static int compare_report_ids(const void *a, const void *b)
{
	const struct xpf_rule_report *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Carried counts written at a time: 128 KiB. */
#define CARRIED_BATCH 4096

/* The new generation's range of rule_carried, CARRIED_BATCH at a time: each new rule carries
 * what its old rule counted in all (@carried_from: its index in @old + 1; 0, none: zero). The
 * range was zeroed before the flip (install.c), so a part that carries nothing is not written;
 * every other part is written whole. */
static int write_carried(int fd, uint32_t first_id, size_t count, const struct old_rule *old,
			 const uint32_t *carried_from)
{
	struct xpf_counter *carried = malloc(CARRIED_BATCH * sizeof(*carried));
	int err = carried ? 0 : -ENOMEM;

	for (size_t done = 0; done < count && !err;) {
		uint32_t n = count - done < CARRIED_BATCH ? (uint32_t)(count - done) : CARRIED_BATCH;
		bool any = false;

		for (uint32_t i = 0; i < n; i++) {
			uint32_t from = carried_from[done + i];

			memset(&carried[i], 0, sizeof(carried[i]));
			if (from)
				carried[i] = old[from - 1].carried;
			any |= from != 0;
		}
		if (any)
			err = xpf_map_write_array(fd, first_id + (uint32_t)done, carried,
						  sizeof(*carried), n);
		done += n;
	}
	free(carried);
	return err;
}

/* The old rules that nothing took, with their rule_info (@old_infos: the old generation's
 * array, from rule id @first_id on) and final counts, in the order of their rows: into
 * filter->removed. Looked up by id, one by one: an edited row removes one. A rule whose
 * rule_info is not there (left by an interrupted operation) is not reported. */
static int report_removed(struct xpf_filter *filter, int old_infos, uint32_t first_id,
			  const struct old_rule *old, size_t old_count, size_t removed)
{
	free(filter->removed);
	filter->removed_count = 0;
	filter->removed = calloc(removed ?: 1, sizeof(*filter->removed));
	if (!filter->removed)
		return -ENOMEM;
	for (size_t i = 0; i < old_count; i++) {
		struct xpf_rule_report *report = &filter->removed[filter->removed_count];
		uint32_t index = old[i].id - first_id;

		if (old[i].taken)
			continue;
		if (old_infos < 0 || bpf_map_lookup_elem(old_infos, &index, &report->info)) {
			if (old_infos < 0 || errno == ENOENT)
				continue;
			return -errno;
		}
		report->id = old[i].id;
		report->info.line = 0;
		report->counter = old[i].carried;
		filter->removed_count++;
	}
	qsort(filter->removed, filter->removed_count, sizeof(*filter->removed),
	      compare_report_ids);
	return 0;
}

/* Rows said twice pair up in order: new rules by id, each with the first old one of its
 * identity left (@carried_from[i]: its index in @old + 1; 0, none). *@removed: the old rules
 * that none took. */
static int pair_rules(struct old_rule *old, size_t old_count,
		      const struct rule_identity *new_rules, size_t new_count,
		      uint32_t *carried_from, size_t *removed)
{
	struct old_index index;
	int err = index_old_rules(old, old_count, &index);

	if (err)
		return err;
	for (size_t i = 0; i < new_count; i++) {
		struct old_rule *same = unchanged_rule(old, &index, &new_rules[i]);

		if (same)
			carried_from[i] = (uint32_t)(same - old) + 1;
	}
	free_old_index(&index);
	for (size_t i = 0; i < old_count; i++)
		*removed += !old[i].taken;
	return 0;
}

int xpf_carry_counters(struct xpf_filter *filter, const struct xpf_meta *meta, uint8_t from,
		       uint8_t to, const struct xpf_settle *settle)
{
	int ncpus = libbpf_num_possible_cpus(), err, old_infos;
	size_t old_count = meta->rule_count[from], new_count = meta->rule_count[to], removed = 0;
	uint32_t *carried_from = NULL;
	struct rule_identity *new_rules = NULL;
	struct new_identities reading_new = { filter, NULL };
	struct xpf_beside beside;
	struct old_rule *old;
	int new_err;

	if (ncpus < 0)
		return ncpus;
	old = calloc(old_count ?: 1, sizeof(*old));
	new_rules = calloc(new_count ?: 1, sizeof(*new_rules));
	carried_from = calloc(new_count ?: 1, sizeof(*carried_from));
	if (!old || !new_rules || !carried_from) {
		err = -ENOMEM;
		goto cleanup;
	}
	/* rule_info is user space's alone: read while the packets that saw @from finish, the new
	 * generation's on a second thread (100,000 rules: 19 MB each, hashed). */
	reading_new.split = &(struct identities){ meta, from, to, old, new_rules };
	xpf_beside_start(&beside, read_new_identities, &reading_new);
	err = xpf_rule_info_walk(filter, from, meta->rule_id_span, read_identities,
				 &(struct identities){ meta, from, to, old, new_rules });
	new_err = xpf_beside_finish(&beside);
	err = err ?: new_err;
	/* What the rules pair by is there before the counts are final: paired while they
	 * settle. */
	err = err ?: pair_rules(old, old_count, new_rules, new_count, carried_from, &removed);
	if (err)
		goto cleanup;
	xpf_settle_wait(settle);
	err = xpf_rule_totals_read(filter, from * meta->rule_id_span, (uint32_t)old_count, ncpus,
				   take_old_totals, &(struct old_rules){ old, from * meta->rule_id_span });
	if (err)
		goto cleanup;
	/* A pair whose old rule counted nothing carries nothing. */
	for (size_t i = 0; i < new_count; i++)
		if (carried_from[i] && !counted(&old[carried_from[i] - 1].carried))
			carried_from[i] = 0;
	err = write_carried(filter->map_fds[XPF_MAP_RULE_CARRIED], to * meta->rule_id_span,
			    new_count, old, carried_from);
	old_infos = err ? -1 : xpf_rule_info_open(filter, from);
	err = err ?: report_removed(filter, old_infos, from * meta->rule_id_span, old, old_count,
				    removed);
	if (old_infos >= 0)
		close(old_infos);
cleanup:
	free(old);
	free(new_rules);
	free(carried_from);
	return err;
}
