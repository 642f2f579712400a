// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf load / reload: site file → rule set → map image → the interface. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>

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

	if (xpf_compile(&config->ruleset, image, &err)) {
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

int cmd_load(int argc, char **argv)
{
	enum xdp_attach_mode mode = XDP_MODE_UNSPEC;
	struct xpf_args args;
	struct xpf_loaded_config config;
	struct xpf_image image = {};
	struct xpf_filter filter;
	struct early_load early = { 0 };
	struct xpf_premade premade = { 0 };
	struct xpf_beside beside, premaking = { 0 };
	struct xpf_bpf *loaded = NULL;
	const char *site = NULL, *ifname;
	char site_path[PATH_MAX];
	int opt, audit = 0, force = 0, err;

	xpf_fault_verb("load");
	xpf_args_start(&args, &xpf_verb_load);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'c')
			site = optarg;
		else if (opt == 'm' && parse_mode(optarg, &mode))
			return xpf_misuse(&xpf_verb_load, "mode must be native, skb or auto, not '%s'",
					  optarg);
		else if (opt == OPTION_AUDIT)
			audit = 1;
		else if (opt == OPTION_FORCE)
			force = 1;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	ifname = argv[optind];
	xpf_config_require_trusted_files(!force);
	/* What no rule set sizes (most of the maps, the egress program) is made while the site
	 * file and its table are read. */
	if (xpf_has_privileges())
		xpf_beside_start(&premaking, premake, &premade);
	if (read_config(site, &config)) {
		xpf_beside_finish(&premaking);
		xpf_filter_premade_free(&premade);
		return 1;
	}
	err = xpf_check_privileges();
	if (err)
		goto cleanup;
	err = xpf_lock_interface(ifname);
	if (err) {
		report_filter_error(ifname, "lock", err);
		goto cleanup;
	}
	/* Without the premade maps (xpf_filter_premake() leaves none on an error, which comes
	 * again, and is reported, where the rest are made) the load makes every map itself. */
	xpf_beside_finish(&premaking);
	/* Verifying the program and making its maps take as long as a large compile: on a second
	 * CPU they overlap. Nothing is attached until the image is whole. */
	early.ruleset = &config.ruleset;
	early.premade = &premade;
	xpf_beside_start(&beside, load_early, &early);
	err = compile(&config, &image);
	/* Its error, if any, comes again from the load loaded_for() makes then. */
	xpf_beside_finish(&beside);
	if (err)
		goto cleanup;
	image.config.audit = audit;
	xpf_bpffs_ready();
	xpf_fault_point("site-checked");
	err = clear_for_load(ifname);
	if (err) {
		report_failure(ifname, "remove leftovers", err);
		goto cleanup;
	}
	err = loaded_for(&early, &image, config.ruleset.count, &loaded);
	early.loaded = NULL;
	err = err ?: xpf_filter_adopt_prepared(ifname, loaded, &filter);
	if (err) {
		report_filter_error(ifname, "attach", err);
		goto cleanup;
	}
	/* The whole first rule set goes into the maps before the program goes on the interface:
	 * no frame ever meets the program without one. */
	err = xpf_filter_install(&filter, &image, &config.ruleset, site_name(site, site_path),
				 config.table_name);
	if (err) {
		report_failure(ifname, "load", err);
		xpf_filter_close(&filter);
		goto cleanup;
	}
	xpf_fault_point("rules-written");
	err = xpf_filter_attach(&filter, mode);
	if (err) {
		report_filter_error(ifname, "attach", err);
		xpf_filter_close(&filter);
		goto cleanup;
	}
	xpf_fault_point("xdp-attached");
	err = xpf_filter_pin(&filter);
	if (!err) {
		xpf_fault_point("pinned");
		err = premade.egress ? xpf_egress_attach_loaded(&filter, premade.egress)
				     : xpf_egress_attach(&filter);
		premade.egress = NULL;
	}
	if (!err)
		xpf_fault_point("egress-attached");
	if (err) {
		report_failure(ifname, "load", err);
		/* Leave nothing half made: detach both programs and remove what was pinned. */
		xpf_egress_detach(&filter);
		xpf_filter_detach(&filter);
		xpf_filter_unpin(ifname);
	} else {
		struct load_summary summary;

		summarize(&config, &image, &summary);
		print_loaded("loaded on", &filter, &summary);
	}
	xpf_filter_close(&filter);
cleanup:
	xpf_filter_discard(early.loaded);
	xpf_beside_finish(&premaking);
	xpf_filter_premade_free(&premade);
	xpf_image_free(&image);
	xpf_config_free(&config);
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

int cmd_reload(int argc, char **argv)
{
	struct xpf_loaded_config config = {};
	struct xpf_args args;
	struct xpf_image image = {};
	struct xpf_filter filter;
	struct xpf_config current = {};
	struct xpf_retirement retirement;
	struct leftovers_search search = { 0 };
	struct xpf_beside searching;
	struct load_summary summary;
	const char *site = NULL, *ifname;
	char site_path[PATH_MAX];
	int opt, err, audit = -1, force = 0;

	xpf_fault_verb("reload");
	xpf_args_start(&args, &xpf_verb_reload);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'c') {
			site = optarg;
		} else if (opt == OPTION_FORCE) {
			force = 1;
		} else {
			if (audit >= 0 && audit != (opt == OPTION_AUDIT))
				return xpf_misuse(&xpf_verb_reload, "--audit and --enforce exclude "
						  "each other");
			audit = opt == OPTION_AUDIT;
		}
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (!site && audit < 0)
		return xpf_misuse(&xpf_verb_reload, "nothing to do: give -c SITE, --audit or "
				  "--enforce");
	ifname = argv[optind];
	xpf_config_require_trusted_files(!force);
	if (site && read_config(site, &config))
		return 1;
	err = xpf_check_privileges();
	if (err)
		goto cleanup;
	err = xpf_lock_interface(ifname);
	if (err) {
		report_filter_error(ifname, "lock", err);
		goto cleanup;
	}
	err = xpf_filter_find(ifname, &filter);
	if (err) {
		report_filter_error(ifname, "reload", err);
		goto cleanup;
	}
	xpf_fault_point("filter-found");
	/* Nothing is changed before the image is whole: a rule set that does not compile leaves
	 * the filter, leftovers included, as it was. */
	search.filter = &filter;
	xpf_beside_start(&searching, search_leftovers, &search);
	err = site ? compile(&config, &image) : 0;
	xpf_beside_finish(&searching);
	if (err)
		goto close;
	err = repair(&filter, &search.found, search.any);
	if (err) {
		report_failure(ifname, "repair", err);
		goto close;
	}
	if (!site) {
		err = set_audit(&filter, audit);
		if (err)
			report_failure(ifname, "set the audit flag", err);
		goto close;
	}
	/* Unless the reload says otherwise, the audit setting stays the interface's. */
	xpf_filter_read_config(&filter, &current, NULL);
	image.config.audit = audit >= 0 ? audit : current.audit;
	err = xpf_filter_write_and_flip(&filter, &image, &config.ruleset, site_name(site, site_path),
					config.table_name, &retirement);
	if (!err) {
		/* The new rules are in force and in the kernel: their copies here go before the old
		 * generation's are read back to carry its counters. */
		summarize(&config, &image, &summary);
		xpf_image_free(&image);
		xpf_config_free(&config);
		err = xpf_filter_retire(&filter, &retirement);
	}
	if (err) {
		report_failure(ifname, "reload", err);
	} else {
		print_removed(&filter);
		print_loaded("reloaded", &filter, &summary);
	}
close:
	xpf_filter_close(&filter);
cleanup:
	if (site) {
		xpf_image_free(&image);
		xpf_config_free(&config);
	}
	return err ? 1 : 0;
}
