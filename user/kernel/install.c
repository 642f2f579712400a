// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Map image → kernel. The image is written as the generation not in force, complete, then
 * one store to in_force.generation puts it in force; the old generation is cleared afterwards.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/placement.h"
#include "kernel/carry.h"
#include "kernel/generation.h"
#include "kernel/inner_maps.h"
#include "kernel/install.h"
#include "kernel/list_maps.h"
#include "lib/beside.h"
#include "lib/fault.h"
#include "kernel/filter.h"
#include "lib/logging.h"
#include "kernel/map_batch.h"
#include "kernel/rule_info.h"
#include "kernel/settle.h"

#define BATCH XPF_MAP_BATCH
#define ZERO_BLOCK_BATCH 256	/* blocks of zeroed rule counters a call: 128 KiB a CPU */
#define CARRIED_AT_ONCE 4096	/* zeroed carried counts a write: 128 KiB */

static int update(int fd, const void *key, const void *value)
{
	return bpf_map_update_elem(fd, key, value, BPF_ANY) ? -errno : 0;
}

uint32_t xpf_batch_keep_generation(const struct xpf_generation_query *query,
				   struct xpf_map_batch *batch)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < batch->count; i++)
		if (xpf_key_generation(&batch->keys[(size_t)i * batch->key_size]) ==
		    query->generation)
			memmove(&batch->keys[(size_t)kept++ * batch->key_size],
				&batch->keys[(size_t)i * batch->key_size], batch->key_size);
	return kept;
}

/* Deletes the batch's keys of one generation. */
static int delete_generation_keys(int fd, struct xpf_map_batch *batch, void *arg)
{
	uint32_t kept = xpf_batch_keep_generation(arg, batch);

	return xpf_map_delete_keys(fd, batch->keys, batch->key_size, kept);
}

/* Deletes every key of @generation from a generation-keyed hash map, the generation's keys of
 * each batch read deleted in one call. */
static int clear_hash_generation(const struct xpf_filter *filter, enum xpf_map map,
				 uint8_t generation)
{
	struct xpf_generation_query query = { map, generation };

	return xpf_map_walk(filter->map_fds[map], delete_generation_keys, &query);
}

/* The generation's entries of the hash maps the program classifies with. */
static int clear_entries(const struct xpf_filter *filter, uint8_t generation)
{
	int err = clear_hash_generation(filter, XPF_MAP_LOCAL_ADDRS, generation);

	err = err ?: clear_hash_generation(filter, XPF_MAP_CLASSES, generation);
	err = err ?: xpf_inner_drop(filter, XPF_MAP_RULES_V4, generation);
	err = err ?: xpf_inner_drop(filter, XPF_MAP_RULES_V6, generation);
	return err ?: xpf_list_maps_clear(filter, generation);
}

struct entries_job {
	const struct xpf_filter *filter;
	uint8_t generation;
	const struct xpf_settle *settle;	/* first: until no packet reads them */
};

static int clear_entries_job(void *arg)
{
	const struct entries_job *job = arg;

	xpf_settle_wait(job->settle);
	return clear_entries(job->filter, job->generation);
}

static int unload_config(const struct xpf_filter *filter, uint8_t generation)
{
	struct xpf_config unloaded = {};

	return xpf_filter_write_config(filter, generation, &unloaded);
}

static int clear_generation(const struct xpf_filter *filter, uint8_t generation)
{
	return unload_config(filter, generation) ?: xpf_rule_info_drop(filter, generation) ?:
	       clear_entries(filter, generation);
}

/* A direction's port classes, one value a transport (NULL: no rows, every port's class 0). */
static int write_port_class_regions(int fd, uint8_t generation, uint32_t direction,
				    uint32_t (*classes)[XPF_PORTS])
{
	uint32_t(*none)[XPF_PORTS] = NULL;
	int err = 0;

	_Static_assert(sizeof(*classes) == sizeof(struct xpf_port_class_region), "port classes");
	if (!classes)
		classes = none = calloc(XPF_TRANSPORTS, sizeof(*none));
	if (!classes)
		return -ENOMEM;
	for (uint32_t t = 0; t < XPF_TRANSPORTS && !err; t++) {
		uint32_t region = xpf_port_class_region(generation, direction, t);

		if (bpf_map_update_elem(fd, &region, classes[t], BPF_ANY))
			err = -errno;
	}
	free(none);
	return err;
}

static int write_port_classes(int fd, const struct xpf_image *image, uint8_t generation)
{
	return write_port_class_regions(fd, generation, XPF_INGRESS_ROWS, image->port_classes) ?:
	       write_port_class_regions(fd, generation, XPF_REPLY_ROWS, image->reply_port_classes);
}

/* Names longer than the kernel-side field are cut: they are for display only. */
static void copy_name(char *dst, size_t size, const char *src)
{
	size_t length = strnlen(src, size - 1);

	memcpy(dst, src, length);
	dst[length] = '\0';
}

static void rule_info_of(const struct xpf_ruleset *ruleset, size_t index, const char *table,
			 struct xpf_rule_info *info)
{
	const struct xpf_rule *rule = &ruleset->rules[index];

	memset(info, 0, sizeof(*info));
	copy_name(info->label, sizeof(info->label), rule->row.label);
	copy_name(info->source, sizeof(info->source), rule->row.source);
	copy_name(info->destination, sizeof(info->destination), rule->row.destination);
	info->line = rule->row.line;
	info->port_first = rule->row.port_first;
	info->port_last = rule->row.port_last;
	info->protocols = rule->row.protocols;
	info->action = rule->row.action;
	info->direction = rule->direction;
	info->from_site = !rule->origin && strcmp(rule->row.file, table) != 0;
	xpf_rule_origins(ruleset, index, info->origins, NULL, XPF_RULE_ORIGINS);
}

/* The tables the generation's rules came from, for its rules' origins. */
static void describe_origins(struct xpf_meta *meta, uint8_t target,
			     const struct xpf_ruleset *ruleset)
{
	memset(meta->origins[target], 0, sizeof(meta->origins[target]));
	meta->origin_count[target] = (uint32_t)ruleset->origin_count;
	for (size_t i = 0; i < ruleset->origin_count && i < XPF_MAX_ORIGINS; i++) {
		struct xpf_origin_info *info = &meta->origins[target][i];

		copy_name(info->table, sizeof(info->table), ruleset->origins[i].table);
		copy_name(info->caption, sizeof(info->caption), ruleset->origins[i].caption);
	}
}

/* Zeroed counters for the rule ids of the generation: ids are reused across generations.
 * Whole blocks, since a generation's ids start on one. */
static int zero_rule_counters(const struct xpf_filter *filter, uint32_t first_id, size_t count)
{
	uint32_t first_block = first_id / XPF_COUNTER_BLOCK;
	uint32_t block_count = (uint32_t)((count + XPF_COUNTER_BLOCK - 1) / XPF_COUNTER_BLOCK);
	int ncpus = libbpf_num_possible_cpus(), err = 0;
	struct xpf_counter_block *zero = NULL;
	uint32_t *keys = NULL;

	if (ncpus < 0)
		return ncpus;
	zero = calloc((size_t)ZERO_BLOCK_BATCH * ncpus, sizeof(*zero));
	keys = malloc(ZERO_BLOCK_BATCH * sizeof(*keys));
	if (!zero || !keys)
		err = -ENOMEM;
	for (uint32_t done = 0; done < block_count && !err;) {
		uint32_t n = block_count - done < ZERO_BLOCK_BATCH ? block_count - done
								   : ZERO_BLOCK_BATCH;

		for (uint32_t i = 0; i < n; i++)
			keys[i] = first_block + done + i;
		err = xpf_map_update_batch(filter->map_fds[XPF_MAP_RULE_STATS], keys, sizeof(*keys),
					   zero, ncpus * sizeof(*zero), n);
		done += n;
	}
	free(zero);
	free(keys);
	return err;
}

/* Nothing carried for the rule ids of the generation (rule_carried) until its carry: ids are
 * reused across generations. */
static int zero_carried(const struct xpf_filter *filter, uint32_t first_id, size_t count)
{
	struct xpf_counter *zero = calloc(CARRIED_AT_ONCE, sizeof(*zero));
	int err = zero ? 0 : -ENOMEM;

	for (size_t done = 0; done < count && !err; done += CARRIED_AT_ONCE) {
		uint32_t n = count - done < CARRIED_AT_ONCE ? (uint32_t)(count - done)
							    : CARRIED_AT_ONCE;

		err = xpf_map_write_array(filter->map_fds[XPF_MAP_RULE_CARRIED],
					  first_id + (uint32_t)done, zero, sizeof(*zero), n);
	}
	free(zero);
	return err;
}

struct rule_infos {
	const struct xpf_ruleset *ruleset;
	const char *table;
};

static void fill_rule_infos(void *arg, uint32_t first, uint32_t count,
			    struct xpf_rule_info *infos)
{
	const struct rule_infos *of = arg;

	for (uint32_t i = 0; i < count; i++)
		rule_info_of(of->ruleset, first + i, of->table, &infos[i]);
}

/* Rule metadata for the rules of the generation, in an array of their number. */
static int write_rule_ids(const struct xpf_filter *filter, const struct xpf_ruleset *ruleset,
			  const char *table, uint8_t generation, uint32_t first_id,
			  bool counters_zero)
{
	struct rule_infos infos = { ruleset, table };
	int err = xpf_rule_info_write(filter, generation, (uint32_t)ruleset->count,
				      fill_rule_infos, &infos);

	if (err || counters_zero)
		return err;
	return zero_rule_counters(filter, first_id, ruleset->count) ?:
	       zero_carried(filter, first_id, ruleset->count);
}

/* The image's local addresses in the local_addrs hash, stamped with @generation: one batch
 * (compile's limits keep them within XPF_MAX_LOCAL_ADDRS). */
static int write_local_addrs(const struct xpf_filter *filter, const struct xpf_image *image,
			     uint8_t generation)
{
	struct xpf_local_key *keys = malloc((image->local_count ?: 1) * sizeof(*keys));
	struct xpf_local_value *values = malloc((image->local_count ?: 1) * sizeof(*values));
	int err = keys && values ? 0 : -ENOMEM;

	for (size_t i = 0; i < image->local_count && !err; i++) {
		keys[i] = image->locals[i].key;
		keys[i].generation = generation;
		values[i] = image->locals[i].value;
	}
	err = err ?: xpf_map_update_batch(filter->map_fds[XPF_MAP_LOCAL_ADDRS], keys, sizeof(*keys),
					  values, sizeof(*values), (uint32_t)image->local_count);
	free(keys);
	free(values);
	return err;
}

/* Sources and class cells written a part at a time: the spans' order is all that is held
 * whole. */
#define SOURCES_AT_ONCE 4096
#define CELLS_AT_ONCE 32768

/* The classes' spans of rule sources (include/xpf/maps.h, class_sources), rule ids moved by
 * @first_id, into the generation's region. */
static int write_class_sources(const struct xpf_filter *filter, const struct xpf_image *image,
			       const struct xpf_placement *placed, uint32_t first_id,
			       const struct xpf_config *config)
{
	const struct xpf_class_spans *spans = &placed->spans;
	struct xpf_class_source *part = malloc(SOURCES_AT_ONCE * sizeof(*part));
	int err = part ? 0 : -ENOMEM;

	for (uint32_t done = 0; done < spans->count && !err; done += SOURCES_AT_ONCE) {
		uint32_t n = spans->count - done < SOURCES_AT_ONCE ? spans->count - done
								   : SOURCES_AT_ONCE;

		xpf_class_sources_fill(image, spans, first_id, done, n, part);
		err = xpf_map_write_array(filter->map_fds[XPF_MAP_CLASS_SOURCES],
					  config->class_sources_base + done, part, sizeof(*part),
					  n);
	}
	free(part);
	return err;
}

/* The class grid as placed (core/placement.h), its spans and its prefix lists, into the
 * generation's regions of class_cells, class_sources and prefix_lists. */
static int write_class_grid(const struct xpf_filter *filter, const struct xpf_image *image,
			    const struct xpf_placement *placed, uint32_t first_id,
			    const struct xpf_config *config)
{
	uint32_t cell_count = config->class_rows * config->class_columns;
	uint64_t *cells;
	int err = 0;

	if (config->class_sources)
		err = write_class_sources(filter, image, placed, first_id, config);
	cells = err ? NULL : malloc(CELLS_AT_ONCE * sizeof(*cells));
	if (!cells)
		return err ?: -ENOMEM;
	/* A band of cells at a time, every class visited for each: a few passes over the
	 * classes instead of the whole grid in memory (317,898 cells at 100,000 rules). */
	for (uint32_t band = 0; band < cell_count && !err; band += CELLS_AT_ONCE) {
		uint32_t n = cell_count - band < CELLS_AT_ONCE ? cell_count - band : CELLS_AT_ONCE;

		xpf_class_cells_fill(image, config, placed, band, n, cells);
		err = xpf_map_write_array(filter->map_fds[XPF_MAP_CLASS_CELLS],
					  config->class_cells_base + band, cells, sizeof(*cells), n);
	}
	err = err ?: xpf_map_write_array(filter->map_fds[XPF_MAP_PREFIX_LISTS],
					 config->prefix_lists_base + 1, image->prefix_lists,
					 sizeof(*image->prefix_lists),
					 (uint32_t)image->prefix_list_count);
	free(cells);
	return err;
}

/* The classes as the classes hash holds them where the grid does not fit its arrays: each
 * with its number and its list's lengths, BATCH at a time. */
static int write_class_hash(const struct xpf_filter *filter, const struct xpf_image *image,
			    uint8_t generation)
{
	struct xpf_class_key *keys = malloc(BATCH * sizeof(*keys));
	struct xpf_class_value *values = malloc(BATCH * sizeof(*values));
	int err = keys && values ? 0 : -ENOMEM;

	for (size_t done = 0; done < image->class_count && !err;) {
		uint32_t n = image->class_count - done < BATCH ? (uint32_t)(image->class_count - done)
							       : BATCH;

		for (uint32_t i = 0; i < n; i++) {
			const struct xpf_image_class *class = &image->classes[done + i];

			keys[i] = class->key;
			keys[i].generation = generation;
			values[i] = image->prefix_lists[class->list];
			values[i].class_no = (uint32_t)(done + i);
		}
		err = xpf_map_update_batch(filter->map_fds[XPF_MAP_CLASSES], keys, sizeof(*keys),
					   values, sizeof(*values), n);
		done += n;
	}
	free(keys);
	free(values);
	return err;
}

/* Whether the program may probe the rule hashes for @entry: where its class has no span of
 * rule sources (more sources than the program scans, or no spans in force), which the span's
 * scan decides alone. */
static bool probed(const struct xpf_image_rule *entry, const struct xpf_placement *placed)
{
	return !placed->spans.spans || !placed->spans.spans[entry->class_no];
}

/* A rule hash of @family (laid out as bpf/classify.h's templates) for @count entries. */
static int make_rule_hash(int family_index, uint32_t count)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
	enum xpf_map outer = family_index ? XPF_MAP_RULES_V6 : XPF_MAP_RULES_V4;
	uint32_t key_size = family_index ? sizeof(struct xpf_rule_key6)
					 : sizeof(struct xpf_rule_key4);
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, xpf_map_names[outer], key_size,
				sizeof(struct xpf_rule_value), count ?: 1, &opts);
	int err = fd < 0 ? -errno : 0;

	if (err)
		pr_warn("xpf: cannot make the hash of %u %s rule entries (%s): raise the memory the "
			"kernel may give BPF maps (ulimit -l, the cgroup's memory.max)\n", count,
			family_index ? "IPv6" : "IPv4", strerror(-err));
	return err ?: fd;
}

/* One family's rule hash of the generation: its probed entries as keys (include/xpf/maps.h),
 * stamped with @generation, rule ids moved by @first_id, BATCH at a time; put in its place once
 * whole. */
static int write_rule_hash(const struct xpf_filter *filter, const struct xpf_image *image,
			   const struct xpf_placement *placed, int family_index,
			   uint8_t generation, uint32_t first_id)
{
	size_t key_size = family_index ? sizeof(struct xpf_rule_key6)
				       : sizeof(struct xpf_rule_key4);
	uint8_t family = family_index ? AF_INET6 : AF_INET;
	uint8_t *keys = malloc(BATCH * key_size);
	struct xpf_rule_value *values = malloc(BATCH * sizeof(*values));
	uint32_t count = 0, left, n = 0;
	int fd, err = keys && values ? 0 : -ENOMEM;

	for (size_t i = 0; i < image->entry_count; i++)
		count += image->entries[i].key.family == family && probed(&image->entries[i], placed);
	fd = err ? err : make_rule_hash(family_index, count);
	err = fd < 0 ? fd : 0;
	left = count;
	for (size_t i = 0; i < image->entry_count && !err && left; i++) {
		const struct xpf_image_rule *entry = &image->entries[i];
		uint32_t class_key = xpf_rule_class_key(generation, entry->key.prefix_len,
							entry->class_no);

		if (entry->key.family != family || !probed(entry, placed))
			continue;
		memcpy(keys + n * key_size, &class_key, sizeof(class_key));
		memcpy(keys + n * key_size + sizeof(class_key), entry->key.source,
		       key_size - sizeof(class_key));
		values[n] = entry->value;
		values[n++].rule_id += first_id;
		if (--left == 0 || n == BATCH) {
			err = xpf_map_update_batch(fd, keys, key_size, values, sizeof(*values), n);
			n = 0;
		}
	}
	err = err ?: xpf_inner_set(filter, family_index ? XPF_MAP_RULES_V6 : XPF_MAP_RULES_V4,
				   generation, fd);
	if (fd >= 0)
		close(fd);
	free(keys);
	free(values);
	return err;
}

/* The local-address slot table of the generation, where one was placed: the whole region,
 * empty slots included, so that nothing of an earlier image remains in it. */
static int write_local_slots(const struct xpf_filter *filter, const struct xpf_placement *placed,
			     uint8_t generation)
{
	if (!placed->slots)
		return 0;
	return xpf_map_write_array(filter->map_fds[XPF_MAP_LOCAL_SLOTS],
				   generation * XPF_LOCAL_SLOTS, placed->slots,
				   sizeof(*placed->slots), XPF_LOCAL_SLOTS);
}

/* The source trie's rule table, rule ids moved by @first_id, where it was placed. */
static int write_source_rules(const struct xpf_filter *filter, struct xpf_source_trie *trie,
			      size_t class_count, uint32_t first_id,
			      const struct xpf_config *config)
{
	uint32_t cells = (uint32_t)(class_count * trie->node_count);

	if (!config->source_rule_stride)
		return 0;
	for (uint32_t i = 0; i < cells; i++)
		if (trie->rules[i])
			trie->rules[i] += first_id;	/* rule id + 1, below the action bit */
	return xpf_map_write_array(filter->map_fds[XPF_MAP_SOURCE_RULES], config->source_rules_base,
				   trie->rules, sizeof(*trie->rules), cells);
}

/* The IPv4 source trie of the generation (include/xpf/maps.h), where it was placed: its root
 * whole (nothing of an earlier image stays reachable), then its chunks; and its rule table. */
static int write_source_trie(const struct xpf_filter *filter, const struct xpf_image *image,
			     struct xpf_placement *placed, uint32_t first_id,
			     const struct xpf_config *config)
{
	struct xpf_source_trie *trie = &placed->trie;

	if (!config->source_trie)
		return 0;
	return xpf_map_write_array(filter->map_fds[XPF_MAP_SOURCE_TRIE], config->source_trie_base,
				   trie->entries, sizeof(*trie->entries),
				   XPF_SOURCE_ROOT + trie->chunk_count * XPF_SOURCE_CHUNK) ?:
	       write_source_rules(filter, trie, image->class_count, first_id, config);
}

/* The room of one generation in the maps sized at load (xpf_capacity_of()), and the layouts
 * the filter asks for. */
static void room_of(const struct xpf_filter *filter, struct xpf_room *room)
{
	memset(room, 0, sizeof(*room));
	room->class_cells = xpf_map_max_entries(filter->map_fds[XPF_MAP_CLASS_CELLS]) / XPF_GENERATIONS;
	room->prefix_lists = xpf_map_max_entries(filter->map_fds[XPF_MAP_PREFIX_LISTS]) /
			     XPF_GENERATIONS;
	room->class_sources = xpf_map_max_entries(filter->map_fds[XPF_MAP_CLASS_SOURCES]) /
			      XPF_GENERATIONS;
	room->source_trie = xpf_map_max_entries(filter->map_fds[XPF_MAP_SOURCE_TRIE]) / XPF_GENERATIONS;
	room->source_rules = xpf_map_max_entries(filter->map_fds[XPF_MAP_SOURCE_RULES]) /
			     XPF_GENERATIONS;
	room->classes_in_hash = filter->classes_in_hash;
	room->locals_in_hash = filter->locals_in_hash;
	room->sources_without_trie = filter->sources_without_trie;
	room->sources_without_rule_table = filter->sources_without_rule_table;
	room->sources_without_class_spans = filter->sources_without_class_spans;
}

/* The generation's regions of the maps that hold a region a generation, in @config; what the
 * placement left out for want of room, said. */
static void set_regions(const struct xpf_room *room, const struct xpf_placement *placed,
			uint8_t generation, struct xpf_config *config)
{
	uint32_t chunk_room = room->source_trie < XPF_SOURCE_ROOT ? 0 :
			      (room->source_trie - XPF_SOURCE_ROOT) / XPF_SOURCE_CHUNK;

	if (config->class_columns) {
		config->class_cells_base = generation * room->class_cells;
		config->prefix_lists_base = generation * room->prefix_lists;
		config->class_sources_base = generation * room->class_sources;
	}
	config->source_trie_base = generation * room->source_trie;
	config->source_rules_base = generation * (uint32_t)room->source_rules;
	if (placed->grid_left_out)
		pr_warn("xpf: the class grid needs %llu cells, room for %u: its classes are looked up "
			"in the classes hash (unload and load to size it)\n",
			(unsigned long long)placed->grid_cells_needed, room->class_cells);
	if (placed->spans_left_out)
		pr_warn("xpf: the classes' rule sources need %u entries, room for %u: the program "
			"goes without them (unload and load to size it)\n", placed->spans_needed,
			room->class_sources);
	if (placed->trie_left_out)
		pr_warn("xpf: the IPv4 sources need %u source-trie chunks, room for %u: every prefix "
			"length is probed%s\n", placed->trie_chunks_needed, chunk_room,
			placed->trie_chunks_needed <= XPF_MAX_SOURCE_CHUNKS
				? " (unload and load to size it)" : "");
}

struct rule_ids_job {
	const struct xpf_filter *filter;
	const struct xpf_image *image;
	const struct xpf_ruleset *ruleset;
	const char *table;
	uint8_t generation;
	uint32_t first_id;
	bool counters_zero;	/* the maps' first install: no generation counted before */
};

static int write_rule_ids_job(void *arg)
{
	const struct rule_ids_job *job = arg;

	return write_port_classes(job->filter->map_fds[XPF_MAP_PORT_CLASSES], job->image,
				  job->generation) ?:
	       write_rule_ids(job->filter, job->ruleset, job->table, job->generation,
			      job->first_id, job->counters_zero);
}

struct class_grid_job {
	const struct xpf_filter *filter;
	const struct xpf_image *image;
	const struct xpf_placement *placed;
	uint8_t generation;
	uint32_t first_id;
	const struct xpf_config *config;
};

static int write_class_grid_job(void *arg)
{
	const struct class_grid_job *job = arg;

	int err;

	if (!job->config->class_columns) {
		err = write_class_hash(job->filter, job->image, job->generation);
		if (err == -E2BIG)
			pr_warn("xpf: the rule set's %zu classes do not fit the class grid nor, beside "
				"the rule set in force, the classes hash (room for %u) this filter "
				"was loaded with: unload and load it\n", job->image->class_count,
				xpf_map_max_entries(job->filter->map_fds[XPF_MAP_CLASSES]));
		return err;
	}
	return write_class_grid(job->filter, job->image, job->placed, job->first_id,
				job->config);
}

/* The port classes and the rule metadata (rule_info, counters) are written on a second thread
 * while this one places the image in the maps' room (core/placement.h); then the class grid
 * and its spans (or the classes hash) on a third, while this one writes the local addresses,
 * the rule entries and the source trie: different maps, each its own kernel locks or mappings
 * (100,000 rules: 0.15 s of updates, and 0.1 s of grid, off the critical path); all on this
 * thread for a filter that writes alone. Nothing is in force before the flip. */
static int write_rules(const struct xpf_filter *filter, const struct xpf_image *image,
		       const struct xpf_ruleset *ruleset, const char *table, uint8_t generation,
		       uint32_t first_id, bool counters_zero, struct xpf_config *config)
{
	struct rule_ids_job job = { filter, image, ruleset, table, generation, first_id,
				    counters_zero };
	struct class_grid_job grid = { filter, image, NULL, generation, first_id, config };
	void (*start)(struct xpf_beside *, int (*)(void *), void *) =
		filter->write_alone ? xpf_beside_start_here : xpf_beside_start;
	struct xpf_beside rule_ids, class_grid;
	struct xpf_placement placed;
	struct xpf_room room;
	int err, grid_err;

	start(&rule_ids, write_rule_ids_job, &job);
	room_of(filter, &room);
	err = xpf_image_place(image, &room, config, &placed);
	if (err)
		return xpf_beside_finish(&rule_ids) ?: err;
	set_regions(&room, &placed, generation, config);
	grid.placed = &placed;
	start(&class_grid, write_class_grid_job, &grid);
	err = write_local_addrs(filter, image, generation);
	err = err ?: write_local_slots(filter, &placed, generation);
	err = err ?: write_rule_hash(filter, image, &placed, 0, generation, first_id);
	err = err ?: write_rule_hash(filter, image, &placed, 1, generation, first_id);
	err = err ?: write_source_trie(filter, image, &placed, first_id, config);
	grid_err = xpf_beside_finish(&class_grid);
	if (grid_err)
		err = grid_err;
	xpf_placement_free(&placed);
	return xpf_beside_finish(&rule_ids) ?: err;
}

/* The meta, the generation in force and its config. */
static int read_generation_state(const struct xpf_filter *filter, struct xpf_meta *meta,
				 uint32_t *index, struct xpf_config *current)
{
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, meta))
		return -errno;
	return xpf_filter_read_config(filter, current, index);
}

/* Whether the rule set fits the rule counters, whose span in meta is set at the maps' first
 * install; @counters_zero says whether this is that install. */
static int check_counter_room(const struct xpf_filter *filter, const struct xpf_ruleset *ruleset,
			      struct xpf_meta *meta, bool *counters_zero)
{
	/* The maps' first install: their counters are as the kernel made them, zero. */
	*counters_zero = !meta->rule_id_span;
	if (!meta->rule_id_span)
		meta->rule_id_span = xpf_map_max_entries(filter->map_fds[XPF_MAP_RULE_STATS]) *
				     XPF_COUNTER_BLOCK / 2;
	if (ruleset->count > meta->rule_id_span) {
		pr_warn("xpf: %zu rules do not fit the %u rule counters this filter was loaded with; "
			"unload and load it\n", ruleset->count, meta->rule_id_span);
		return -E2BIG;
	}
	return 0;
}

/* Whether the lists of @lists have room in the roots this filter was loaded with (every root
 * of both generations where it was loaded with lists, none where it was loaded without). */
static int check_list_room(const struct xpf_filter *filter, const struct xpf_list_image *lists)
{
	uint32_t room = xpf_map_max_entries(filter->map_fds[XPF_MAP_LIST_ROOTS]);

	if (!lists->list_count || room >= XPF_LIST_ROOT_PAIRS)
		return 0;
	pr_warn("xpf: %s: the rule set has %zu lists, whose roots need %u KiB; this filter was "
		"loaded without lists and has room for %u KiB of them: unload and load it\n",
		filter->ifname, lists->list_count, XPF_LIST_ROOT_PAIRS * 8 / 1024, room * 8 / 1024);
	return -E2BIG;
}

/* The generation @target made ready for writing; @in_force: a rule set is in the other. */
static int empty_target(struct xpf_filter *filter, uint8_t target, bool in_force)
{
	int err;

	/* The target is the spare when a rule set is in force: known empty, only its config goes
	 * (a reload's leftover search walked it a moment ago). */
	if (in_force && filter->spare_known_empty)
		err = unload_config(filter, target);
	else
		err = clear_generation(filter, target);
	filter->spare_known_empty = false;	/* written now */
	return err;
}

/* The target's description in meta (rules, entries, when, how attached, from which files),
 * written with meta, then its config: the last writes before the flip. */
static int describe_generation(const struct xpf_filter *filter, struct xpf_meta *meta,
			       uint8_t target, const struct xpf_ruleset *ruleset,
			       const uint32_t entries[2], const char *site, const char *table,
			       const struct xpf_config *config)
{
	uint32_t zero = 0;
	struct timespec now;
	int err;

	clock_gettime(CLOCK_REALTIME, &now);
	meta->rule_count[target] = ruleset->count;
	memcpy(meta->rule_entries[target], entries, sizeof(meta->rule_entries[target]));
	meta->loaded_at_ns[target] = now.tv_sec * 1000000000ull + now.tv_nsec;
	meta->attach_mode = filter->mode;
	copy_name(meta->site[target], sizeof(meta->site[target]), site);
	copy_name(meta->table[target], sizeof(meta->table[target]), table);
	copy_name(meta->digest[target], sizeof(meta->digest[target]), ruleset->digest);
	describe_origins(meta, target, ruleset);
	err = update(filter->map_fds[XPF_MAP_META], &zero, meta);
	return err ?: xpf_filter_write_config(filter, target, config);
}

/* The old generation @target left behind is retired once no packet can still read it. */
static void schedule_retirement(struct xpf_retirement *retirement, const struct xpf_meta *meta,
				uint8_t target)
{
	retirement->meta = *meta;
	retirement->target = target;
	retirement->pending = true;
	xpf_settle_start(&retirement->settle);
}

int xpf_filter_write_and_flip(struct xpf_filter *filter, const struct xpf_image *image,
			      const struct xpf_ruleset *ruleset, const char *site, const char *table,
			      struct xpf_retirement *retirement)
{
	struct xpf_config current = {}, config = image->config;
	struct xpf_meta meta = {};
	struct xpf_list_image lists = {};
	uint32_t index, entries[2];
	bool counters_zero;
	uint8_t target;
	int err;

	memset(retirement, 0, sizeof(*retirement));
	err = read_generation_state(filter, &meta, &index, &current);
	if (err)
		return err;
	target = current.loaded ? !index : index;
	err = check_counter_room(filter, ruleset, &meta, &counters_zero);
	xpf_image_count_entries(image, entries);
	err = err ?: xpf_list_image_build(ruleset, &lists);
	err = err ?: check_list_room(filter, &lists);
	err = err ?: empty_target(filter, target, current.loaded);
	if (err)
		goto out;
	xpf_fault_point("generation-cleared");
	err = write_rules(filter, image, ruleset, table, target, target * meta.rule_id_span,
			  counters_zero, &config) ?:
	      xpf_list_maps_write(filter, &lists, target, target * meta.rule_id_span);
	meta.list_entries[target][0] = (uint32_t)lists.family_count[0];
	meta.list_entries[target][1] = (uint32_t)lists.family_count[1];
	config.has_lists = lists.list_count != 0;
	xpf_list_image_free(&lists);
	if (err)
		return err;
	xpf_fault_point("generation-written");
	err = describe_generation(filter, &meta, target, ruleset, entries, site, table, &config);
	if (err)
		return err;
	xpf_fault_point("generation-described");

	/* The flip: from here on packets see the new generation. */
	err = xpf_filter_flip(filter, target);
	if (err || !current.loaded)
		return err;
	xpf_fault_point("flipped");
	schedule_retirement(retirement, &meta, target);
	return 0;
out:
	xpf_list_image_free(&lists);
	return err;
}

int xpf_filter_retire(struct xpf_filter *filter, struct xpf_retirement *retirement)
{
	struct xpf_meta *meta = &retirement->meta;
	uint8_t target = retirement->target;
	struct entries_job old = { filter, !target, &retirement->settle };
	struct xpf_beside entries;
	uint32_t zero = 0;
	int err, entries_err;

	if (!retirement->pending)
		return 0;
	retirement->pending = false;
	/* Once no packet reads the old generation (kernel/settle.h), its entries go on a second
	 * thread while its counters are carried, which reads only rule_info (meanwhile), the
	 * counters and rule_carried (once settled): 100,000 rules, 0.2 s off the critical path. Its
	 * rule_info goes once carried. */
	xpf_beside_start(&entries, clear_entries_job, &old);
	err = xpf_carry_counters(filter, meta, !target, target, &retirement->settle);
	entries_err = xpf_beside_finish(&entries);
	err = err ?: entries_err;
	if (err)
		return err;
	xpf_fault_point("counters-carried");
	err = unload_config(filter, !target) ?: xpf_rule_info_drop(filter, !target);
	meta->rule_count[!target] = 0;
	memset(meta->rule_entries[!target], 0, sizeof(meta->rule_entries[!target]));
	memset(meta->list_entries[!target], 0, sizeof(meta->list_entries[!target]));
	meta->loaded_at_ns[!target] = 0;
	err = err ?: update(filter->map_fds[XPF_MAP_META], &zero, meta);
	if (!err)
		xpf_fault_point("old-generation-cleared");
	return err;
}

int xpf_filter_install(struct xpf_filter *filter, const struct xpf_image *image,
		       const struct xpf_ruleset *ruleset, const char *site, const char *table)
{
	struct xpf_retirement retirement;

	return xpf_filter_write_and_flip(filter, image, ruleset, site, table, &retirement) ?:
	       xpf_filter_retire(filter, &retirement);
}

int xpf_filter_clear_generation(const struct xpf_filter *filter, uint8_t generation)
{
	struct xpf_meta meta;
	uint32_t zero = 0;
	int err;

	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta))
		return -errno;
	err = clear_generation(filter, generation);
	meta.rule_count[generation] = 0;
	memset(meta.rule_entries[generation], 0, sizeof(meta.rule_entries[generation]));
	memset(meta.list_entries[generation], 0, sizeof(meta.list_entries[generation]));
	meta.loaded_at_ns[generation] = 0;
	return err ?: update(filter->map_fds[XPF_MAP_META], &zero, &meta);
}
