// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf load / reload: site file → rule set → map image → the interface. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>

#include "core/capacity.h"
#include "core/names.h"
#include "kernel/egress.h"
#include "kernel/generation.h"
#include "kernel/install.h"
#include "kernel/pins.h"
#include "lib/beside.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "core/config_load.h"
#include "lib/fault.h"
#include "kernel/filter.h"
#include "kernel/leftovers.h"
#include "lib/lock.h"
#include "lib/logging.h"

/* The site file, its table and the rule set they make: bad input stops here. */
static int read_config(const char *site_path, struct xpf_loaded_config *config)
{
	struct xpf_error err = {};

	if (xpf_config_load(site_path, config, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return -EINVAL;
	}
	for (size_t i = 0; i < config->ruleset.warning_count; i++)
		pr_info("warning: %s\n", config->ruleset.warnings[i]);
	return 0;
}

static int compile(struct xpf_loaded_config *config, struct xpf_image *image)
{
	struct xpf_error err = {};

	if (xpf_compile(&config->ruleset, image, &err) ||
	    xpf_capacity_within_limits(&config->ruleset, image, config->site.file, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return -EINVAL;
	}
	return 0;
}

/* The program and its maps, made beside the compile: sized from the rule set alone, since
 * the image is not there yet. */
struct early_load {
	const struct xpf_ruleset *ruleset;
	const struct xpf_premade *premade;	/* its maps NULL: none made */
	struct xpf_capacity capacity;
	struct xpf_bpf *loaded;
};

static int premake(void *arg)
{
	return xpf_filter_premake(arg);
}

static int load_early(void *arg)
{
	struct early_load *early = arg;
	int err = xpf_capacity_foreseen(early->ruleset, &early->capacity);

	return err ?: xpf_filter_prepare(&early->capacity, early->premade, &early->loaded);
}

/* The program loaded beside the compile when its maps hold the image with a reload's room,
 * as xpf_capacity_of() sizes them; else (a rule set whose port ranges the foresight
 * undercounted) loaded again to that size. */
static int loaded_for(struct early_load *early, const struct xpf_image *image,
		      size_t rule_count, struct xpf_bpf **loaded)
{
	struct xpf_capacity need;

	if (early->loaded && xpf_capacity_foreseen_holds(&early->capacity, image, rule_count)) {
		*loaded = early->loaded;
		return 0;
	}
	xpf_capacity_of(image, rule_count, &need);
	xpf_filter_discard(early->loaded);
	early->loaded = NULL;
	return xpf_filter_prepare(&need, early->premade, loaded);
}

/* What `loaded on` / `reloaded` reports, taken before the rule set and image are freed. */
struct load_summary {
	size_t rules, ingress, outbound, locals, entries;
	int audit;
};

static void summarize(const struct xpf_loaded_config *config, const struct xpf_image *image,
		      struct load_summary *summary)
{
	memset(summary, 0, sizeof(*summary));
	for (size_t i = 0; i < config->ruleset.count; i++) {
		summary->ingress += config->ruleset.rules[i].direction == XPF_DIRECTION_INGRESS;
		summary->outbound += config->ruleset.rules[i].direction == XPF_DIRECTION_OUTBOUND;
	}
	summary->rules = config->ruleset.count;
	summary->locals = config->ruleset.local_count;
	summary->entries = image->entry_count;
	summary->audit = image->config.audit;
}

static void print_loaded(const char *verb, const struct xpf_filter *filter,
			 const struct load_summary *summary)
{
	printf("xpf: %s %s (%s mode%s): %zu rules (%zu ingress, %zu outbound), %zu local "
	       "addresses, %zu map entries\n",
	       verb, filter->ifname, xpf_mode_name(filter->mode), summary->audit ? ", audit" : "",
	       summary->rules, summary->ingress, summary->outbound, summary->locals,
	       summary->entries);
}

/* The site file as status shows it: absolute, so it still means something from elsewhere. */
static const char *site_name(const char *site, char *buf)
{
	return realpath(site, buf) ? buf : site;
}

enum { OPTION_AUDIT = 256, OPTION_ENFORCE, OPTION_FORCE };

static const struct xpf_option load_options[] = {
	{ 'c', "config", "SITE", "the site file", XPF_COMPLETE_SITE, XPF_OPTION_REQUIRED },
	{ 'm', "mode", "native|skb|auto", "how to attach (auto: native, else skb)",
	  "native skb auto", 0 },
	{ OPTION_AUDIT, "audit", NULL, "drop nothing: count what would be dropped", NULL, 0 },
	{ OPTION_FORCE, "force", NULL, "read site and table files that fail the trust checks",
	  NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_load = {
	"load", cmd_load, "IFACE", 1, 1, true,
	"compile a site file, write its rules, attach, pin", load_options,
};

static const struct xpf_option reload_options[] = {
	{ 'c', "config", "SITE", "the new site file (without it: the audit flag alone)",
	  XPF_COMPLETE_SITE, 0 },
	{ OPTION_AUDIT, "audit", NULL, "drop nothing: count what would be dropped", NULL, 0 },
	{ OPTION_ENFORCE, "enforce", NULL, "drop what the rules drop", NULL, 0 },
	{ OPTION_FORCE, "force", NULL, "read site and table files that fail the trust checks",
	  NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_reload = {
	"reload", cmd_reload, "IFACE", 1, 1, true,
	"swap in a new rule set atomically, counters carried; or set the audit flag", reload_options,
};

static void print_leftovers(const char *ifname, const struct xpf_leftovers *found)
{
	printf("xpf: %s: repairing what an interrupted xpf left:\n", ifname);
	xpf_leftovers_print(stdout, "  ", found);
}

/*
 * Before a load: a filter that an interrupted load or unload left half made is taken off
 * (the load then makes a whole one), and orphans without a filter — pins, an egress program —
 * are removed. A whole filter stays: the attach says it is there.
 */
static int clear_for_load(const char *ifname)
{
	struct xpf_leftovers found;
	struct xpf_filter existing;
	int err = xpf_filter_find(ifname, &existing);

	if (err == -ENOENT) {
		if (!xpf_leftovers_find(ifname, NULL, &found))
			return 0;
		print_leftovers(ifname, &found);
		return xpf_leftovers_remove_orphans(ifname, &found);
	}
	if (err)
		return 0;	/* the attach reports it */
	xpf_leftovers_find(ifname, &existing, &found);
	if (xpf_leftovers_half_loaded(&found)) {
		print_leftovers(ifname, &found);
		xpf_egress_detach(&existing);
		err = xpf_filter_detach(&existing);
		if (!err)
			err = xpf_filter_unpin(ifname);
	}
	xpf_filter_close(&existing);
	return err;
}

/* The rules a reload removed: reported once, with their final counts, then gone. */
static void print_removed(const struct xpf_filter *filter)
{
	for (size_t i = 0; i < filter->removed_count; i++) {
		const struct xpf_rule_report *rule = &filter->removed[i];

		printf("xpf: %s: removed rule %s | %s -> %s: %llu packets, %llu bytes, %llu would "
		       "drop\n", filter->ifname, rule->info.label, rule->info.source,
		       rule->info.destination, (unsigned long long)rule->counter.packets,
		       (unsigned long long)rule->counter.bytes,
		       (unsigned long long)rule->counter.would_drop);
	}
}

/* What load, reload and check do first, alike: the site file read (with the trust checks
 * unless forced) and, for a verb that changes an interface, the privileges and its lock. */
static int start_verb(const char *site, int force, const char *ifname,
		      struct xpf_loaded_config *config)
{
	int err;

	xpf_config_require_trusted_files(!force);
	if (site && read_config(site, config))
		return -EINVAL;
	err = xpf_check_privileges();
	if (err)
		return err;
	err = xpf_lock_interface(ifname);
	if (err)
		report_filter_error(ifname, "lock", err);
	return err;
}

/* One load: what it was asked, and what it made on the way. */
struct load_job {
	const char *site, *ifname;
	enum xdp_attach_mode mode;
	int audit, force;
	char site_path[PATH_MAX];
	struct xpf_loaded_config config;
	struct xpf_image image;
	struct xpf_premade premade;
	struct early_load early;
};

static int parse_load(int argc, char **argv, struct load_job *job)
{
	struct xpf_args args;
	int opt;

	xpf_args_start(&args, &xpf_verb_load);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'c')
			job->site = optarg;
		else if (opt == 'm' && parse_mode(optarg, &job->mode))
			return xpf_misuse(&xpf_verb_load, "mode must be native, skb or auto, not '%s'",
					  optarg);
		else if (opt == OPTION_AUDIT)
			job->audit = 1;
		else if (opt == OPTION_FORCE)
			job->force = 1;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	job->ifname = argv[optind];
	return -1;
}

/* The site file read and compiled; what no rule set sizes (most of the maps, the egress
 * program) made while the files are read, and the program verified while the rule set
 * compiles: on a second CPU they overlap. Nothing is attached here. */
static int read_and_compile(struct load_job *job)
{
	struct xpf_beside beside, premaking = { 0 };
	int err;

	if (xpf_has_privileges())
		xpf_beside_start(&premaking, premake, &job->premade);
	err = start_verb(job->site, job->force, job->ifname, &job->config);
	/* Without the premade maps (xpf_filter_premake() leaves none on an error, which comes
	 * again, and is reported, where the rest are made) the load makes every map itself. */
	xpf_beside_finish(&premaking);
	if (err)
		return err;
	job->early.ruleset = &job->config.ruleset;
	job->early.premade = &job->premade;
	xpf_beside_start(&beside, load_early, &job->early);
	err = compile(&job->config, &job->image);
	/* Its error, if any, comes again from the load loaded_for() makes then. */
	xpf_beside_finish(&beside);
	job->image.config.audit = job->audit;
	return err;
}

/* The whole first rule set goes into the maps before the program goes on the interface: no
 * frame ever meets the program without one. Then the pins and the egress program; a failure
 * there takes everything off again. @filter is open on success only. */
static int put_on_interface(struct load_job *job, struct xpf_filter *filter)
{
	struct xpf_bpf *loaded = NULL;
	int err = loaded_for(&job->early, &job->image, job->config.ruleset.count, &loaded);

	job->early.loaded = NULL;
	err = err ?: xpf_filter_adopt_prepared(job->ifname, loaded, filter);
	if (err) {
		report_filter_error(job->ifname, "attach", err);
		return err;
	}
	err = xpf_filter_install(filter, &job->image, &job->config.ruleset,
				 site_name(job->site, job->site_path), job->config.table_name);
	if (err) {
		report_failure(job->ifname, "load", err);
		goto close;
	}
	xpf_fault_point("rules-written");
	err = xpf_filter_attach(filter, job->mode);
	if (err) {
		report_filter_error(job->ifname, "attach", err);
		goto close;
	}
	xpf_fault_point("xdp-attached");
	err = xpf_filter_pin(filter);
	if (!err) {
		xpf_fault_point("pinned");
		err = job->premade.egress ? xpf_egress_attach_loaded(filter, job->premade.egress)
					  : xpf_egress_attach(filter);
		job->premade.egress = NULL;
	}
	if (!err) {
		xpf_fault_point("egress-attached");
		return 0;
	}
	report_failure(job->ifname, "load", err);
	xpf_egress_detach(filter);
	xpf_filter_detach(filter);
	xpf_filter_unpin(job->ifname);
close:
	xpf_filter_close(filter);
	return err;
}

int cmd_load(int argc, char **argv)
{
	static struct load_job job;	/* a path and the image's headers: kept off the stack */
	struct xpf_filter filter;
	struct load_summary summary;
	int err;

	xpf_fault_verb("load");
	job.mode = XDP_MODE_UNSPEC;
	err = parse_load(argc, argv, &job);
	if (err >= 0)
		return err;
	err = read_and_compile(&job);
	if (!err) {
		xpf_bpffs_ready();
		xpf_fault_point("site-checked");
		err = clear_for_load(job.ifname);
		if (err)
			report_failure(job.ifname, "remove leftovers", err);
	}
	if (!err)
		err = put_on_interface(&job, &filter);
	if (!err) {
		summarize(&job.config, &job.image, &summary);
		print_loaded("loaded on", &filter, &summary);
		xpf_filter_close(&filter);
	}
	xpf_filter_discard(job.early.loaded);
	xpf_filter_premade_free(&job.premade);
	xpf_image_free(&job.image);
	xpf_config_free(&job.config);
	return err ? 1 : 0;
}

/* The interrupted operations' leftovers, found by leftovers_search(): repaired before the
 * reload goes on. The search walks the generation not in force: when a rule set is in force,
 * that generation is then known empty (found so, or cleared by the repair). */
static int repair(struct xpf_filter *filter, const struct xpf_leftovers *found, bool any)
{
	int err;

	if (!any) {
		filter->spare_known_empty = found->spare_checked;
		return 0;
	}
	print_leftovers(filter->ifname, found);
	xpf_bpffs_ready();
	err = xpf_leftovers_repair(filter, found);
	print_removed(filter);
	filter->spare_known_empty = !err && found->spare_checked;
	return err;
}

/* The search for leftovers, which only reads: on a second thread while the rule set
 * compiles (at 100,000 rules it walks some 400,000 hash entries). */
struct leftovers_search {
	const struct xpf_filter *filter;
	struct xpf_leftovers found;
	bool any;
};

static int search_leftovers(void *arg)
{
	struct leftovers_search *search = arg;

	search->any = xpf_leftovers_find(search->filter->ifname, search->filter, &search->found);
	return 0;
}

/* Only the audit flag of the generation in force: one value, the rules untouched. */
static int set_audit(struct xpf_filter *filter, int audit)
{
	struct xpf_config config;
	uint32_t generation;
	int err = xpf_filter_read_config(filter, &config, &generation);

	if (err)
		return err;
	if (!config.loaded)
		return -ENOENT;
	config.audit = audit;
	if (bpf_map_update_elem(filter->map_fds[XPF_MAP_CONFIG], &generation, &config, BPF_EXIST))
		return -errno;
	xpf_fault_point("audit-set");
	printf("xpf: %s: %s\n", filter->ifname,
	       audit ? "audit mode: nothing is dropped, would-be drops are counted as would_drop"
		     : "enforcing");
	return 0;
}

/* One reload: a new site file, or only the audit flag (-1: as it is). */
struct reload_job {
	const char *site, *ifname;
	int audit, force;
	char site_path[PATH_MAX];
	struct xpf_loaded_config config;
	struct xpf_image image;
};

static int parse_reload(int argc, char **argv, struct reload_job *job)
{
	struct xpf_args args;
	int opt;

	xpf_args_start(&args, &xpf_verb_reload);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'c')
			job->site = optarg;
		else if (opt == OPTION_FORCE)
			job->force = 1;
		else if (job->audit >= 0 && job->audit != (opt == OPTION_AUDIT))
			return xpf_misuse(&xpf_verb_reload, "--audit and --enforce exclude each other");
		else
			job->audit = opt == OPTION_AUDIT;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (!job->site && job->audit < 0)
		return xpf_misuse(&xpf_verb_reload, "nothing to do: give -c SITE, --audit or "
				  "--enforce");
	job->ifname = argv[optind];
	return -1;
}

/* The new generation written and flipped, the old one's counters carried, then retired. */
static int swap_rule_set(struct reload_job *job, struct xpf_filter *filter)
{
	struct xpf_retirement retirement;
	struct xpf_config current = {};
	struct load_summary summary;
	int err;

	/* Unless the reload says otherwise, the audit setting stays the interface's. */
	xpf_filter_read_config(filter, &current, NULL);
	job->image.config.audit = job->audit >= 0 ? job->audit : current.audit;
	err = xpf_filter_write_and_flip(filter, &job->image, &job->config.ruleset,
					site_name(job->site, job->site_path),
					job->config.table_name, &retirement);
	if (!err) {
		/* The new rules are in force and in the kernel: their copies here go before the old
		 * generation's are read back to carry its counters. */
		summarize(&job->config, &job->image, &summary);
		xpf_image_free(&job->image);
		xpf_config_free(&job->config);
		err = xpf_filter_retire(filter, &retirement);
	}
	if (err) {
		report_failure(job->ifname, "reload", err);
		return err;
	}
	print_removed(filter);
	print_loaded("reloaded", filter, &summary);
	return 0;
}

/* Nothing is changed before the image is whole: a rule set that does not compile leaves the
 * filter, leftovers included, as it was. The leftover search runs beside the compile. */
static int compile_and_repair(struct reload_job *job, struct xpf_filter *filter)
{
	struct leftovers_search search = { .filter = filter };
	struct xpf_beside searching;
	int err;

	xpf_beside_start(&searching, search_leftovers, &search);
	err = job->site ? compile(&job->config, &job->image) : 0;
	xpf_beside_finish(&searching);
	if (err)
		return err;
	err = repair(filter, &search.found, search.any);
	if (err)
		report_failure(job->ifname, "repair", err);
	return err;
}

int cmd_reload(int argc, char **argv)
{
	static struct reload_job job;	/* a path and the image's headers: kept off the stack */
	struct xpf_filter filter;
	int err;

	xpf_fault_verb("reload");
	job.audit = -1;
	err = parse_reload(argc, argv, &job);
	if (err >= 0)
		return err;
	err = start_verb(job.site, job.force, job.ifname, &job.config);
	if (err)
		goto cleanup;
	err = xpf_filter_find(job.ifname, &filter);
	if (err) {
		report_filter_error(job.ifname, "reload", err);
		goto cleanup;
	}
	xpf_fault_point("filter-found");
	err = compile_and_repair(&job, &filter);
	if (!err && !job.site) {
		err = set_audit(&filter, job.audit);
		if (err)
			report_failure(job.ifname, "set the audit flag", err);
	} else if (!err) {
		err = swap_rule_set(&job, &filter);
	}
	xpf_filter_close(&filter);
cleanup:
	if (job.site) {
		xpf_image_free(&job.image);
		xpf_config_free(&job.config);
	}
	return err ? 1 : 0;
}
