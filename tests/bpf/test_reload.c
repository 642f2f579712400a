/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reload semantics through BPF_PROG_TEST_RUN on the XDP program: counters of unchanged rules
 * carry over any number of reloads, removed rules are reported once with their counts, the
 * old generation is emptied, and a generation left by an interrupted reload is cleared.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/compile.h"
#include "core/stats.h"

#include "fixture.h"
#include "kernel/generation.h"
#include "kernel/inner_maps.h"
#include "kernel/rule_info.h"
#include "kernel/stats_read.h"

#define CAPACITY 8192
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Site A: SSH from the admins. Site B: A, and RDP from the admins, and one admin refused SSH. */
static const char site_a[] =
	"local  Director\n"
	"role   Director = 192.0.2.101\n"
	"role   Admins = 203.0.113.0/28\n"
	"allow  SSH/TCP 22 | Admins | Director\n";
static const char site_b_rows[] =
	"allow  RDP/TCP 3389 | Admins | Director\n"
	"deny   SSH/TCP 22 | 203.0.113.9 | Director\n";

/* Site A with its SSH row said twice (the second copy never matches: ties go to the first),
 * and the same with a row between the copies. */
static const char ssh_again[] = "allow  SSH/TCP 22 | Admins | Director\n";
static const char rdp_then_ssh_again[] =
	"allow  RDP/TCP 3389 | Admins | Director\n"
	"allow  SSH/TCP 22 | Admins | Director\n";

static struct xpf_filter filter;
static char temp_dir[64], path_a[128], path_b[128], path_c[128], path_d[128];

static void install(const char *path)
{
	struct xpf_loaded_config config;
	struct xpf_image image;
	struct xpf_error err = {};

	assert_int_equal(xpf_config_load(path, &config, &err), 0);
	assert_int_equal(xpf_compile(&config.ruleset, &image, &err), 0);
	assert_int_equal(xpf_filter_install(&filter, &image, &config.ruleset, path, ""), 0);
	xpf_image_free(&image);
	xpf_config_free(&config);
}

/* @count SYNs from @source to @dest's @port; returns the verdict. */
static int send_syns_to(const char *source, const char *dest, uint16_t port, uint32_t count)
{
	struct frame f;

	frame_build_tcp(&f, source, dest, 40000, port, TH_SYN);
	return run_frame(filter.prog_fd, &f, count);
}

/* SYNs to the Director. */
static int send_syns(const char *source, uint16_t port, uint32_t count)
{
	return send_syns_to(source, "192.0.2.101", port, count);
}

/* One SYN to the Director's @port from each @source: the verdict each is to get. */
struct syn_verdict {
	const char *source;
	uint16_t port;
	int action;
};

static void assert_syn_verdicts(const struct syn_verdict *verdicts, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (send_syns(verdicts[i].source, verdicts[i].port, 1) != verdicts[i].action)
			fail_msg("SYN from %s to port %u: not the verdict %d", verdicts[i].source,
				 verdicts[i].port, verdicts[i].action);
}

static const struct xpf_rule_stat *rule_named(const struct xpf_stats *stats, const char *label,
					      const char *source)
{
	for (size_t i = 0; i < stats->rule_count; i++)
		if (!strcmp(stats->rules[i].info.label, label) &&
		    !strcmp(stats->rules[i].info.source, source))
			return &stats->rules[i];
	fail_msg("no rule %s from %s", label, source);
	return NULL;
}

static uint64_t packets_of(const char *label, const char *source)
{
	struct xpf_stats stats;
	uint64_t packets;

	assert_int_equal(xpf_stats_read(&filter, &stats), 0);
	packets = rule_named(&stats, label, source)->counter.packets;
	xpf_stats_free(&stats);
	return packets;
}

static int setup(void **state)
{
	(void)state;
	snprintf(temp_dir, sizeof(temp_dir), "/tmp/xpf-reload-XXXXXX");
	if (!mkdtemp(temp_dir))
		return -1;
	snprintf(path_a, sizeof(path_a), "%s/a.site", temp_dir);
	snprintf(path_b, sizeof(path_b), "%s/b.site", temp_dir);
	snprintf(path_c, sizeof(path_c), "%s/c.site", temp_dir);
	snprintf(path_d, sizeof(path_d), "%s/d.site", temp_dir);
	if (write_text_file(path_a, site_a, "") || write_text_file(path_b, site_a, site_b_rows) ||
	    write_text_file(path_c, site_a, ssh_again) ||
	    write_text_file(path_d, site_a, rdp_then_ssh_again))
		return -1;
	if (xpf_filter_load_unattached(&(struct xpf_capacity){ .rule_ids = CAPACITY }, &filter)) {
		fprintf(stderr, "loading the XDP program failed (root needed)\n");
		return -1;
	}
	/* Kept by every install and flip (in_force.general_only is not the generation's). */
	return fixture_apply_path(&filter);
}

static int teardown(void **state)
{
	(void)state;
	xpf_filter_close(&filter);
	unlink(path_a);
	unlink(path_b);
	unlink(path_c);
	unlink(path_d);
	rmdir(temp_dir);
	return 0;
}

static void unchanged_rule_counts_carry_over_reloads(void **state)
{
	(void)state;
	install(path_a);
	assert_int_equal(send_syns("203.0.113.2", 22, 1000), XDP_PASS);
	for (int i = 0; i < 5; i++) {
		install(i % 2 ? path_a : path_b);
		assert_int_equal(send_syns("203.0.113.2", 22, 100), XDP_PASS);
	}
	assert_int_equal(packets_of("SSH/TCP 22", "Admins"), 1500);
}

static void removed_rules_reported_once_with_their_counts(void **state)
{
	const struct xpf_rule_report *rdp = NULL, *deny = NULL;
	struct frame f;

	(void)state;
	install(path_b);
	assert_int_equal(send_syns("203.0.113.3", 3389, 7), XDP_PASS);
	assert_int_equal(send_syns("203.0.113.9", 22, 3), XDP_DROP);
	install(path_a);
	assert_int_equal(filter.removed_count, 2);
	for (size_t i = 0; i < filter.removed_count; i++) {
		if (!strcmp(filter.removed[i].info.label, "RDP/TCP 3389"))
			rdp = &filter.removed[i];
		else if (!strcmp(filter.removed[i].info.source, "203.0.113.9"))
			deny = &filter.removed[i];
	}
	assert_non_null(rdp);
	assert_non_null(deny);
	frame_build_tcp(&f, "203.0.113.3", "192.0.2.101", 40000, 3389, TH_SYN);
	assert_int_equal(rdp->counter.packets, 7);
	assert_int_equal(rdp->counter.bytes, 7 * f.len);
	assert_int_equal(deny->counter.packets, 3);
	/* A second reload with the same rules removes nothing more. */
	install(path_a);
	assert_int_equal(filter.removed_count, 0);
}

/* The packets of each rule with @label from @source, in the order of their rows. */
static size_t packets_of_each(const char *label, const char *source, uint64_t *packets,
			      size_t max)
{
	struct xpf_stats stats;
	size_t n = 0;

	assert_int_equal(xpf_stats_read(&filter, &stats), 0);
	for (size_t i = 0; i < stats.rule_count && n < max; i++)
		if (!strcmp(stats.rules[i].info.label, label) &&
		    !strcmp(stats.rules[i].info.source, source))
			packets[n++] = stats.rules[i].counter.packets;
	xpf_stats_free(&stats);
	return n;
}

/* A row said twice pairs with the old copies in order: the first keeps the first's counts
 * wherever the rows move, the second the second's. */
static void repeated_rows_carry_their_counts_in_order(void **state)
{
	uint64_t before[3], after[3];

	(void)state;
	install(path_c);
	assert_int_equal(send_syns("203.0.113.2", 22, 10), XDP_PASS);
	assert_int_equal(packets_of_each("SSH/TCP 22", "Admins", before, 3), 2);
	assert_true(before[0] >= 10);
	assert_int_equal(before[1], 0);
	install(path_d);
	assert_int_equal(packets_of_each("SSH/TCP 22", "Admins", after, 3), 2);
	assert_int_equal(after[0], before[0]);
	assert_int_equal(after[1], 0);
	assert_int_equal(filter.removed_count, 0);
	install(path_a);
	assert_int_equal(packets_of_each("SSH/TCP 22", "Admins", after, 3), 1);
	assert_int_equal(after[0], before[0]);
	/* The second copy went, with its (zero) counts. */
	assert_int_equal(filter.removed_count, 2);
}

/* A rule id is reused two reloads later: the rule that holds it then carries what its own old
 * rule counted, nothing of the rule the id held before (a generation's carried counts are
 * zeroed before it is written; its carry writes only the parts that carry something). */
static void reused_rule_id_carries_nothing_of_its_last_rule(void **state)
{
	static const char rdp_only[] = "local  Director\n"
				       "role   Director = 192.0.2.101\n"
				       "role   Admins = 203.0.113.0/28\n"
				       "allow  RDP/TCP 3389 | Admins | Director\n";
	char path_rdp[160];

	(void)state;
	snprintf(path_rdp, sizeof(path_rdp), "%s/rdp.site", temp_dir);
	assert_int_equal(write_text_file(path_rdp, rdp_only, ""), 0);
	install(path_a);
	assert_int_equal(send_syns("203.0.113.2", 22, 30), XDP_PASS);
	install(path_a);	/* SSH, the other generation's first id, carries its count */
	assert_true(packets_of("SSH/TCP 22", "Admins") >= 30);
	install(path_rdp);
	install(path_rdp);	/* RDP, new two reloads ago and never hit, holds that id now */
	assert_int_equal(packets_of("RDP/TCP 3389", "Admins"), 0);
	assert_int_equal(send_syns("203.0.113.2", 3389, 2), XDP_PASS);
	assert_int_equal(packets_of("RDP/TCP 3389", "Admins"), 2);
	unlink(path_rdp);
}

/* xpf_rule_info_walk()'s batches: their rule ids, each of its generation, counted. */
static int count_rule_infos(int fd, struct xpf_map_batch *batch, void *arg)
{
	const uint32_t *ids = (const uint32_t *)batch->keys;
	uint32_t *count = arg;

	(void)fd;
	for (uint32_t i = 0; i < batch->count; i++)
		assert_int_equal(ids[i], (i ? ids[i - 1] + 1 : ids[0]));
	*count += batch->count;
	return 0;
}

static void fill_stale(void *arg, uint32_t first, uint32_t count, struct xpf_rule_info *infos)
{
	(void)arg;
	(void)first;
	for (uint32_t i = 0; i < count; i++)
		infos[i] = (struct xpf_rule_info){ .label = "stale" };
}

/* Every map of the generation not in force is gone after a reload. */
static void old_generation_emptied_after_reload(void **state)
{
	struct xpf_in_force active;
	uint32_t zero = 0, in_force = 0;
	struct xpf_meta meta;

	(void)state;
	install(path_b);
	install(path_a);
	assert_int_equal(xpf_in_force_read(&filter, &active), 0);
	assert_int_equal(bpf_map_lookup_elem(filter.map_fds[XPF_MAP_META], &zero, &meta), 0);
	assert_true(xpf_inner_present(&filter, XPF_MAP_RULES_V4, active.generation));
	assert_true(xpf_inner_present(&filter, XPF_MAP_RULES_V6, active.generation));
	assert_false(xpf_inner_present(&filter, XPF_MAP_RULES_V4, !active.generation));
	assert_false(xpf_inner_present(&filter, XPF_MAP_RULES_V6, !active.generation));
	assert_false(xpf_rule_info_present(&filter, !active.generation));
	assert_int_equal(xpf_rule_info_walk(&filter, active.generation, meta.rule_id_span,
					    count_rule_infos, &in_force), 0);
	assert_int_equal(in_force, meta.rule_count[active.generation]);
	assert_int_equal(meta.rule_count[!active.generation], 0);
}

/* What a reload killed before its flip leaves (a written, described generation not in force)
 * is emptied by xpf_filter_clear_generation, and the rule set in force is untouched. */
static void half_built_generation_cleared(void **state)
{
	struct xpf_in_force image;
	struct xpf_config config = { .loaded = 1 };
	struct xpf_rule_info info;
	uint32_t zero = 0, spare, stale_id;
	struct xpf_meta meta;

	(void)state;
	install(path_a);
	assert_int_equal(xpf_in_force_read(&filter, &image), 0);
	assert_int_equal(bpf_map_lookup_elem(filter.map_fds[XPF_MAP_META], &zero, &meta), 0);
	spare = !image.generation;
	stale_id = spare * meta.rule_id_span;
	assert_int_equal(xpf_filter_write_config(&filter, spare, &config), 0);
	assert_int_equal(xpf_rule_info_write(&filter, spare, 1, fill_stale, NULL), 0);
	assert_int_equal(xpf_rule_info_get(&filter, meta.rule_id_span, stale_id, &info), 0);
	assert_string_equal(info.label, "stale");
	meta.rule_count[spare] = 1;
	assert_int_equal(bpf_map_update_elem(filter.map_fds[XPF_MAP_META], &zero, &meta, 0), 0);

	assert_int_equal(xpf_filter_clear_generation(&filter, spare), 0);
	assert_int_equal(xpf_in_force_read(&filter, &image), 0);
	assert_int_equal(image.config[spare].loaded, 0);
	assert_int_equal(xpf_rule_info_get(&filter, meta.rule_id_span, stale_id, &info), -ENOENT);
	assert_int_equal(send_syns("203.0.113.2", 22, 1), XDP_PASS);
	assert_int_equal(send_syns("203.0.113.2", 3389, 1), XDP_DROP);
}

static uint8_t config_in_force_generation(void)
{
	struct xpf_in_force active;

	assert_int_equal(xpf_in_force_read(&filter, &active), 0);
	return (uint8_t)(active.generation & 1);
}

/* The keys of the hash @fd. */
static uint32_t map_entries(int fd)
{
	struct xpf_rule_key4 key, next, *previous = NULL;
	uint32_t count = 0;

	while (!bpf_map_get_next_key(fd, previous, &next)) {
		key = next;
		previous = &key;
		count++;
	}
	return count;
}

/* The tests of a room run on a filter of their own, loaded with less of it: the shared one
 * is put back after. */
static struct xpf_filter shared_filter;

static void use_filter_with(const struct xpf_capacity *room)
{
	shared_filter = filter;
	assert_int_equal(xpf_filter_load_unattached(room, &filter), 0);
	assert_int_equal(fixture_apply_path(&filter), 0);
}

static void back_to_shared_filter(void)
{
	xpf_filter_close(&filter);
	filter = shared_filter;
}

/* The rule hashes have no room fixed at load: a reload of a class with more sources than
 * the program scans (17,000 /32s, every one an entry the program probes) into a filter whose
 * first rule set had none gets a hash of its own size, and its verdicts. */
static void reload_of_many_probed_entries_gets_its_hash(void **state)
{
	static const struct syn_verdict big[] = {
		{ "203.0.113.2", 22, XDP_PASS },
		{ "198.18.0.1", 2222, XDP_PASS },
		{ "198.18.84.200", 2222, XDP_PASS },
		{ "198.18.85.1", 2222, XDP_DROP },
	};
	char path_big[160];
	FILE *file;
	int fd;

	(void)state;
	snprintf(path_big, sizeof(path_big), "%s/big.site", temp_dir);
	file = fopen(path_big, "w");
	assert_non_null(file);
	fputs(site_a, file);
	/* 17,000 rows of one /32 each: one class, 17,000 entries. */
	for (int i = 0; i < 17000; i++)
		fprintf(file, "allow  TCP 2222 | 198.18.%d.%d | Director\n", i / 200, i % 200 + 1);
	assert_int_equal(fclose(file), 0);

	use_filter_with(&(struct xpf_capacity){ .rule_ids = 65536 });
	install(path_a);
	install(path_big);
	assert_syn_verdicts(big, ARRAY_SIZE(big));
	fd = xpf_inner_open(&filter, XPF_MAP_RULES_V4, config_in_force_generation());
	assert_true(fd >= 0);
	assert_int_equal(map_entries(fd), 17000);
	close(fd);
	back_to_shared_filter();
	unlink(path_big);
}

/* The config of the generation in force. */
static struct xpf_config config_in_force(void)
{
	struct xpf_config config;

	assert_int_equal(xpf_filter_read_config(&filter, &config, NULL), 0);
	return config;
}

static bool source_trie_in_force(void)
{
	return config_in_force().source_trie;
}

static bool class_sources_in_force(void)
{
	return config_in_force().class_sources;
}

/* On a filter loaded with @room: site A has the layout @in_force() tells of; site A and
 * @rows, which need more room, have it not and get the verdicts @without; site A again has it
 * again and gets @again. */
static void reload_past_room(const struct xpf_capacity *room, const char *rows,
			     bool (*in_force)(void), const struct syn_verdict *without,
			     size_t without_count, const struct syn_verdict *again,
			     size_t again_count)
{
	char path_more[160];

	snprintf(path_more, sizeof(path_more), "%s/more.site", temp_dir);
	assert_int_equal(write_text_file(path_more, site_a, rows), 0);
	use_filter_with(room);
	install(path_a);
	assert_true(in_force());
	install(path_more);
	assert_false(in_force());
	assert_syn_verdicts(without, without_count);
	install(path_a);
	assert_true(in_force());
	assert_syn_verdicts(again, again_count);
	back_to_shared_filter();
	unlink(path_more);
}

/* A filter loaded with room for two source-trie chunks a generation (site A's 203.0.113.0/28
 * takes two): a reload whose IPv4 sources need more runs without the trie, every length
 * probed, with the same verdicts; one that fits again has it again. */
static void reload_past_the_source_trie_room_runs_without_it(void **state)
{
	static const struct syn_verdict without[] = {
		{ "198.18.0.7", 2222, XDP_PASS },   { "198.18.0.8", 2222, XDP_DROP },
		{ "198.19.0.200", 2222, XDP_PASS }, { "203.0.113.2", 22, XDP_PASS },
		{ "203.0.113.200", 22, XDP_DROP },
	};
	static const struct syn_verdict again[] = {
		{ "203.0.113.2", 22, XDP_PASS },
		{ "198.18.0.7", 2222, XDP_DROP },
	};

	(void)state;
	reload_past_room(&(struct xpf_capacity){ .rule_ids = 65536, .source_chunks = 2 },
			 "allow  TCP 2222 | 198.18.0.7 | Director\n"
			 "allow  TCP 2222 | 198.19.0.0/24 | Director\n",
			 source_trie_in_force, without, ARRAY_SIZE(without), again,
			 ARRAY_SIZE(again));
}

/* A filter loaded with room for four classes' rule sources a generation (site A has one): a
 * reload whose sources need more runs without the spans, through the source trie, with the
 * same verdicts; one that fits again has them again. */
static void reload_past_the_class_sources_room_runs_without_them(void **state)
{
	static const struct syn_verdict without[] = {
		{ "198.18.0.7", 2222, XDP_PASS },   { "198.19.0.1", 2222, XDP_PASS },
		{ "198.19.0.129", 2222, XDP_DROP }, { "198.19.0.130", 2222, XDP_PASS },
		{ "203.0.113.2", 22, XDP_PASS },
	};
	static const struct syn_verdict again[] = {
		{ "203.0.113.2", 22, XDP_PASS },
		{ "203.0.113.200", 22, XDP_DROP },
		{ "198.18.0.7", 2222, XDP_DROP },
	};

	(void)state;
	reload_past_room(&(struct xpf_capacity){ .rule_ids = 65536, .class_sources = 4 },
			 "allow  TCP 2222 | 198.18.0.7 | Director\n"
			 "allow  TCP 2222 | 198.19.0.0/24 | Director\n"
			 "deny   TCP 2222 | 198.19.0.128/25 | Director\n"
			 "allow  TCP 2222 | 198.19.0.130 | Director\n",
			 class_sources_in_force, without, ARRAY_SIZE(without), again,
			 ARRAY_SIZE(again));
}

static bool class_grid_in_force(void)
{
	return config_in_force().class_columns != 0;
}

/* Ports 2222 and 3389 besides site A's 22: more port classes than a grid of four cells holds. */
static const char more_ports[] =
	"allow  TCP 2222 | 198.18.0.7 | Director\n"
	"deny   TCP 3389 | 198.19.0.0/24 | Director\n"
	"allow  TCP 3389 | Admins | Director\n";

/* A filter loaded with room for four class cells a generation (site A's grid: two destination
 * classes by two port classes): a reload whose grid needs more runs from the classes hash,
 * with the same verdicts; one that fits again has the grid again. */
static void reload_past_the_class_grid_room_runs_from_the_hash(void **state)
{
	static const struct syn_verdict without[] = {
		{ "198.18.0.7", 2222, XDP_PASS },   { "198.18.0.8", 2222, XDP_DROP },
		{ "198.19.0.9", 3389, XDP_DROP },   { "203.0.113.2", 3389, XDP_PASS },
		{ "203.0.113.2", 22, XDP_PASS },    { "203.0.113.200", 22, XDP_DROP },
	};
	static const struct syn_verdict again[] = {
		{ "203.0.113.2", 22, XDP_PASS },
		{ "198.18.0.7", 2222, XDP_DROP },
	};

	(void)state;
	reload_past_room(&(struct xpf_capacity){ .rule_ids = 65536, .class_cells = 4 }, more_ports,
			 class_grid_in_force, without, ARRAY_SIZE(without), again,
			 ARRAY_SIZE(again));
}

/* The same filter with room for two classes in the hash: the reload that needs the hash for
 * more is refused, and the rules in force stay, whole. */
static void reload_past_the_classes_hash_room_refused(void **state)
{
	static const struct syn_verdict in_force[] = {
		{ "203.0.113.2", 22, XDP_PASS },
		{ "198.18.0.7", 2222, XDP_DROP },
	};
	char path_more[160];
	struct xpf_loaded_config config;
	struct xpf_image image;
	struct xpf_error err = {};

	(void)state;
	snprintf(path_more, sizeof(path_more), "%s/more.site", temp_dir);
	assert_int_equal(write_text_file(path_more, site_a, more_ports), 0);
	use_filter_with(&(struct xpf_capacity){ .rule_ids = 65536, .class_cells = 4,
						 .classes = 2 });
	install(path_a);
	assert_true(class_grid_in_force());
	assert_int_equal(xpf_config_load(path_more, &config, &err), 0);
	assert_int_equal(xpf_compile(&config.ruleset, &image, &err), 0);
	assert_true(image.class_count > 2);
	assert_int_equal(xpf_filter_install(&filter, &image, &config.ruleset, path_more, ""),
			 -E2BIG);
	xpf_image_free(&image);
	xpf_config_free(&config);
	assert_syn_verdicts(in_force, ARRAY_SIZE(in_force));
	back_to_shared_filter();
	unlink(path_more);
}

/* A class grid of more cells than the loader writes at once (CELLS_AT_ONCE, 32,768): 400
 * ports each their own class on the Director, and 100 more local addresses with a row each,
 * each its own destination class: 102 × 402 cells, the last addresses' in the grid's second
 * part. */
static void wide_class_grid_written_whole(void **state)
{
	struct xpf_config config;
	char path_wide[160], dest[32];
	FILE *file;

	(void)state;
	snprintf(path_wide, sizeof(path_wide), "%s/grid.site", temp_dir);
	file = fopen(path_wide, "w");
	assert_non_null(file);
	fputs("local  Director", file);
	for (int i = 0; i < 100; i++)
		fprintf(file, ", R%d", i);
	fputs("\nrole   Director = 192.0.2.101\n", file);
	for (int i = 0; i < 100; i++)
		fprintf(file, "role   R%d = 192.0.2.%d\n", i, 110 + i);
	for (int port = 1; port <= 400; port++)
		fprintf(file, "allow  TCP %d | 198.18.%d.%d | Director\n", port, port / 200,
			port % 200 + 1);
	for (int i = 0; i < 100; i++)
		fprintf(file, "allow  TCP 7000 | 198.19.0.%d | R%d\n", i + 1, i);
	assert_int_equal(fclose(file), 0);
	install(path_wide);
	config = config_in_force();
	assert_true((uint64_t)config.class_rows * config.class_columns > 32768);
	assert_true(config.class_sources);
	assert_int_equal(send_syns("198.18.0.2", 1, 1), XDP_PASS);
	assert_int_equal(send_syns("198.18.2.1", 400, 1), XDP_PASS);
	assert_int_equal(send_syns("198.18.2.1", 399, 1), XDP_DROP);
	for (int i = 0; i < 100; i++) {
		char source[32];

		snprintf(dest, sizeof(dest), "192.0.2.%d", 110 + i);
		snprintf(source, sizeof(source), "198.19.0.%d", i + 1);
		assert_int_equal(send_syns_to(source, dest, 7000, 1), XDP_PASS);
		snprintf(source, sizeof(source), "198.19.0.%d", (i + 1) % 100 + 1);
		assert_int_equal(send_syns_to(source, dest, 7000, 1), XDP_DROP);
	}
	install(path_a);
	unlink(path_wide);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unchanged_rule_counts_carry_over_reloads),
		cmocka_unit_test(removed_rules_reported_once_with_their_counts),
		cmocka_unit_test(repeated_rows_carry_their_counts_in_order),
		cmocka_unit_test(reused_rule_id_carries_nothing_of_its_last_rule),
		cmocka_unit_test(old_generation_emptied_after_reload),
		cmocka_unit_test(half_built_generation_cleared),
		cmocka_unit_test(reload_of_many_probed_entries_gets_its_hash),
		cmocka_unit_test(reload_past_the_source_trie_room_runs_without_it),
		cmocka_unit_test(reload_past_the_class_sources_room_runs_without_them),
		cmocka_unit_test(reload_past_the_class_grid_room_runs_from_the_hash),
		cmocka_unit_test(reload_past_the_classes_hash_room_refused),
		cmocka_unit_test(wide_class_grid_written_whole),
	};

	int failed = 0;

	/* Every verdict on both of the program's paths (fixture.h). */
	for (int path = PATH_FAST; path < PATH_COUNT; path++) {
		fixture_set_path(path);
		failed += _cmocka_run_group_tests(program_path_names[path], tests,
						  sizeof(tests) / sizeof(tests[0]), setup, teardown);
	}
	return failed ? 1 : 0;
}
