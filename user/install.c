// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Map image → kernel. The image is written as the generation not in force, complete, then
 * one store to active[0] puts it in force; the old generation is cleared afterwards.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fault.h"
#include "filter.h"
#include "logging.h"

/* A packet that read the old generation finishes within microseconds (XDP runs to completion
 * in one RCU read section); the old entries are removed well after that. */
#define XPF_RETIRE_DELAY_US 50000

static int update(int fd, const void *key, const void *value)
{
	return bpf_map_update_elem(fd, key, value, BPF_ANY) ? -errno : 0;
}

static uint32_t map_max_entries(int fd)
{
	struct bpf_map_info info = {};
	__u32 length = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &length) ? 0 : info.max_entries;
}

/* Deletes every key of @generation from a hash map whose keys start with the generation byte. */
static int clear_hash_generation(int fd, size_t key_size, uint8_t generation)
{
	uint8_t key[64], next[64];
	void *previous = NULL;
	int err;

	for (;;) {
		if (bpf_map_get_next_key(fd, previous, next))
			return errno == ENOENT ? 0 : -errno;
		if (next[0] == generation) {
			err = bpf_map_delete_elem(fd, next);
			if (err && errno != ENOENT)
				return -errno;
			/* The walk restarts from the last kept key: deleting moves the cursor. */
			continue;
		}
		memcpy(key, next, key_size);
		previous = key;
	}
}

static int clear_rule_info(int fd, uint32_t first, uint32_t count)
{
	for (uint32_t id = first; id < first + count; id++)
		if (bpf_map_delete_elem(fd, &id) && errno != ENOENT)
			return -errno;
	return 0;
}

static int clear_generation(const struct xpf_filter *filter, uint8_t generation,
			    const struct xpf_meta *meta)
{
	struct xpf_config unloaded = {};
	uint32_t index = generation;
	int err;

	err = update(filter->map_fds[XPF_MAP_CONFIG], &index, &unloaded);
	err = err ?: clear_hash_generation(filter->map_fds[XPF_MAP_LOCAL_ADDRS],
					   sizeof(struct xpf_local_key), generation);
	err = err ?: clear_hash_generation(filter->map_fds[XPF_MAP_CLASSES],
					   sizeof(struct xpf_class_key), generation);
	err = err ?: clear_hash_generation(filter->map_fds[XPF_MAP_RULES],
					   sizeof(struct xpf_rule_key), generation);
	err = err ?: clear_rule_info(filter->map_fds[XPF_MAP_RULE_INFO],
				     generation * meta->rule_id_span, meta->rule_count[generation]);
	return err;
}

static int write_port_class_region(int fd, uint32_t first_key, uint32_t (*classes)[XPF_PORTS])
{
	const uint32_t count = XPF_TRANSPORTS * XPF_PORTS;
	uint32_t *keys = malloc(count * sizeof(*keys)), *values = NULL, batch = count;
	int err = 0;

	if (!classes)
		classes = (uint32_t(*)[XPF_PORTS])(values = calloc(count, sizeof(*values)));
	if (!keys || !classes) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (uint32_t i = 0; i < count; i++)
		keys[i] = first_key + i;
	if (bpf_map_update_batch(fd, keys, classes, &batch, NULL)) {
		/* Kernels without batch ops on arrays: one by one. */
		for (uint32_t i = 0; i < count && !err; i++)
			err = update(fd, &keys[i], &classes[i / XPF_PORTS][i % XPF_PORTS]);
	}
cleanup:
	free(keys);
	free(values);
	return err;
}

static int write_port_classes(int fd, const struct xpf_image *image, uint8_t generation)
{
	int err = write_port_class_region(fd, xpf_port_class_index(generation, XPF_INGRESS_ROWS, 0, 0),
					  image->port_classes);

	return err ?: write_port_class_region(fd, xpf_port_class_index(generation, XPF_REPLY_ROWS, 0, 0),
					      image->reply_port_classes);
}

/* Names longer than the kernel-side field are cut: they are for display only. */
static void copy_name(char *dst, size_t size, const char *src)
{
	size_t length = strnlen(src, size - 1);

	memcpy(dst, src, length);
	dst[length] = '\0';
}

static void rule_info_of(const struct xpf_rule *rule, const char *table,
			 struct xpf_rule_info *info)
{
	memset(info, 0, sizeof(*info));
	copy_name(info->label, sizeof(info->label), rule->row.label);
	copy_name(info->source, sizeof(info->source), rule->source_name);
	copy_name(info->destination, sizeof(info->destination), rule->destination_name);
	info->line = rule->row.line;
	info->port_first = rule->row.port_first;
	info->port_last = rule->row.port_last;
	info->protocols = rule->row.protocols;
	info->action = rule->row.action;
	info->direction = rule->direction;
	info->from_site = strcmp(rule->row.file, table) != 0;
}

static int write_rules(const struct xpf_filter *filter, const struct xpf_image *image,
		       const struct xpf_ruleset *ruleset, const char *table, uint8_t generation,
		       uint32_t first_id)
{
	int ncpus = libbpf_num_possible_cpus(), err = 0;
	struct xpf_counter *zero;

	if (ncpus < 0)
		return ncpus;
	zero = calloc(ncpus, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	for (size_t i = 0; i < ruleset->count && !err; i++) {
		struct xpf_rule_info info;
		uint32_t id = first_id + i;

		rule_info_of(&ruleset->rules[i], table, &info);
		err = update(filter->map_fds[XPF_MAP_RULE_INFO], &id, &info);
		/* Ids are reused across generations: start each rule's counters at zero. */
		err = err ?: update(filter->map_fds[XPF_MAP_RULE_STATS], &id, zero);
	}
	free(zero);
	for (size_t i = 0; i < image->local_count && !err; i++) {
		struct xpf_local_key key = image->locals[i].key;

		key.generation = generation;
		err = update(filter->map_fds[XPF_MAP_LOCAL_ADDRS], &key, &image->locals[i].value);
	}
	for (size_t i = 0; i < image->class_count && !err; i++) {
		struct xpf_class_key key = image->classes[i].key;

		key.generation = generation;
		err = update(filter->map_fds[XPF_MAP_CLASSES], &key, &image->classes[i].value);
	}
	for (size_t i = 0; i < image->entry_count && !err; i++) {
		struct xpf_rule_key key = image->entries[i].key;
		struct xpf_rule_value value = image->entries[i].value;

		key.generation = generation;
		value.rule_id += first_id;
		err = update(filter->map_fds[XPF_MAP_RULES], &key, &value);
	}
	return err;
}

int xpf_filter_read_config(const struct xpf_filter *filter, struct xpf_config *config,
			   uint32_t *generation)
{
	struct xpf_active active = {};
	uint32_t zero = 0, index;

	memset(config, 0, sizeof(*config));
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_ACTIVE], &zero, &active))
		return -errno;
	index = active.generation & 1;
	if (generation)
		*generation = index;
	return bpf_map_lookup_elem(filter->map_fds[XPF_MAP_CONFIG], &index, config) ? -errno : 0;
}

int xpf_filter_install(struct xpf_filter *filter, const struct xpf_image *image,
		       const struct xpf_ruleset *ruleset, const char *site, const char *table)
{
	struct xpf_active active = {};
	struct xpf_config current = {};
	struct xpf_meta meta = {};
	uint32_t zero = 0, index;
	struct timespec now;
	uint8_t target;
	int err;

	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta) ||
	    bpf_map_lookup_elem(filter->map_fds[XPF_MAP_ACTIVE], &zero, &active))
		return -errno;
	index = active.generation & 1;
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_CONFIG], &index, &current))
		return -errno;
	target = current.loaded ? !index : index;
	if (!meta.rule_id_span)
		meta.rule_id_span = map_max_entries(filter->map_fds[XPF_MAP_RULE_STATS]) / 2;
	if (ruleset->count > meta.rule_id_span) {
		pr_warn("xpf: %zu rules do not fit the %u rule counters this filter was loaded with; "
			"unload and load it\n", ruleset->count, meta.rule_id_span);
		return -E2BIG;
	}

	err = clear_generation(filter, target, &meta);
	if (err)
		return err;
	xpf_fault_point("generation-cleared");
	err = write_port_classes(filter->map_fds[XPF_MAP_PORT_CLASSES], image, target);
	err = err ?: write_rules(filter, image, ruleset, table, target, target * meta.rule_id_span);
	if (err)
		return err;
	xpf_fault_point("generation-written");

	clock_gettime(CLOCK_REALTIME, &now);
	meta.rule_count[target] = ruleset->count;
	meta.loaded_at_ns[target] = now.tv_sec * 1000000000ull + now.tv_nsec;
	meta.attach_mode = filter->mode;
	copy_name(meta.site[target], sizeof(meta.site[target]), site);
	copy_name(meta.table[target], sizeof(meta.table[target]), table);
	index = target;
	err = update(filter->map_fds[XPF_MAP_META], &zero, &meta);
	err = err ?: update(filter->map_fds[XPF_MAP_CONFIG], &index, &image->config);
	if (err)
		return err;
	xpf_fault_point("generation-described");

	/* The flip: from here on packets see the new generation. */
	active.generation = target;
	err = update(filter->map_fds[XPF_MAP_ACTIVE], &zero, &active);
	if (err || !current.loaded)
		return err;
	xpf_fault_point("flipped");
	usleep(XPF_RETIRE_DELAY_US);
	err = xpf_carry_counters(filter, &meta, !target, target);
	if (err)
		return err;
	xpf_fault_point("counters-carried");
	err = clear_generation(filter, !target, &meta);
	meta.rule_count[!target] = 0;
	meta.loaded_at_ns[!target] = 0;
	err = err ?: update(filter->map_fds[XPF_MAP_META], &zero, &meta);
	if (!err)
		xpf_fault_point("old-generation-cleared");
	return err;
}

int xpf_filter_clear_generation(const struct xpf_filter *filter, uint8_t generation)
{
	struct xpf_meta meta;
	uint32_t zero = 0;
	int err;

	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta))
		return -errno;
	err = clear_generation(filter, generation, &meta);
	meta.rule_count[generation] = 0;
	meta.loaded_at_ns[generation] = 0;
	return err ?: update(filter->map_fds[XPF_MAP_META], &zero, &meta);
}
