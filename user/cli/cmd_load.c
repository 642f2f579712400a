// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf load / reload: site file → rule set → map image → the interface. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <semaphore.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include <bpf/bpf.h>

#include "core/kernel_release.h"
#include "core/capacity.h"
#include "core/names.h"
#include "kernel/egress.h"
#include "kernel/flows.h"
#include "kernel/generation.h"
#include "kernel/install.h"
#include "kernel/pins.h"
#include "lib/beside.h"
#include "cli/commands.h"
#include "cli/policy_digest.h"
#include "cli/lockout_guard.h"
#include "cli/revert.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/config_load.h"
#include "core/site_format.h"
#include "kernel/loaded_site.h"
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
		xpf_fail_as_is("%s", err.message);
		return -EINVAL;
	}
	for (size_t i = 0; i < config->ruleset.warning_count; i++)
		pr_info("warning: %s\n", config->ruleset.warnings[i]);
	return 0;
}

static int digest(void *arg)
{
	struct xpf_loaded_config *config = arg;

	xpf_policy_digest(&config->site, &config->ruleset);
	return 0;
}

/* The image, and the policy digest on a second thread beside it (@beside) when the second
 * CPU is free: the compile reads the rule set, never its digest (100,000 rules: its text and
 * SHA-256 off the critical path). A load's second CPU verifies the program meanwhile, which
 * the load waits for: the digest goes on this thread there. */
static int compile(struct xpf_loaded_config *config, struct xpf_image *image, bool beside)
{
	struct xpf_error err = {};
	struct xpf_beside digesting;
	bool failed;

	if (beside)
		xpf_beside_start(&digesting, digest, config);
	else
		xpf_beside_start_here(&digesting, digest, config);
	failed = xpf_compile(&config->ruleset, image, &err) ||
		 xpf_capacity_within_limits(&config->ruleset, image, config->site.file, &err);
	xpf_beside_finish(&digesting);
	if (failed) {
		xpf_fail_as_is("%s", err.message);
		return -EINVAL;
	}
	return 0;
}

/* The program and its maps, made beside the compile: sized from the rule set alone, since
 * the image is not there yet; and, where the premade flows map is not the size the site file
 * asks, the egress program on the new one. The maps first: the load writes the rule set into
 * them while the program is verified (maps_made says when they are there). */
struct early_load {
	const struct xpf_ruleset *ruleset;
	struct xpf_premade *premade;	/* its maps NULL: none made */
	struct xpf_capacity capacity;
	struct xpf_beside thread;
	bool started;
	sem_t maps_made;		/* posted once the sized maps are made, or cannot be */
	bool sized;			/* they are: premade->sized, and in writing */
	struct xpf_filter writing;	/* every map, no program */
	struct xpf_bpf *loaded;
	struct egress_bpf *egress;		/* NULL: the premade one, else loaded at attach */
};

static int premake(void *arg)
{
	return xpf_filter_premake(arg);
}

static int load_early(void *arg)
{
	struct early_load *early = arg;
	int err = xpf_capacity_foreseen(early->ruleset, &early->capacity);

	/* Without them (an error that comes again, and is reported, where the load makes its
	 * maps itself) the load writes the rule set after the verifier's part. */
	if (!err && early->premade->maps &&
	    !xpf_filter_premake_sized(&early->capacity, early->premade))
		early->sized = !xpf_filter_open_premade(early->premade, &early->writing);
	sem_post(&early->maps_made);
	err = err ?: xpf_filter_prepare(&early->capacity, early->premade, &early->loaded);
	/* Without it, the attach loads it (xpf_egress_attach()), and says what failed. */
	if (!err && !xpf_filter_premade_flows_serve(early->premade, &early->capacity) &&
	    xpf_filter_prepare_egress(early->loaded, &early->egress))
		early->egress = NULL;
	return err;
}

static void start_early(struct early_load *early)
{
	sem_init(&early->maps_made, 0, 0);
	xpf_beside_start(&early->thread, load_early, early);
	early->started = true;
}

/* The early load done: its program in early->loaded (NULL on an error), its maps' fds for
 * writing closed. */
static void finish_early(struct early_load *early)
{
	if (!early->started)
		return;
	/* Its error, if any, comes again from the load loaded_for() makes then. */
	xpf_beside_finish(&early->thread);
	sem_destroy(&early->maps_made);
	early->started = false;
	if (early->sized)
		xpf_filter_close(&early->writing);
	early->sized = false;
}

/* The program loaded beside the compile when its maps hold the image with a reload's room,
 * as xpf_capacity_of() sizes them; else (a rule set whose port ranges the foresight
 * undercounted) loaded again to that size. */
static int loaded_for(struct early_load *early, const struct xpf_image *image,
		      const struct xpf_ruleset *ruleset, struct xpf_bpf **loaded)
{
	struct xpf_capacity need;

	if (early->loaded && xpf_capacity_foreseen_holds(&early->capacity, image, ruleset)) {
		*loaded = early->loaded;
		return 0;
	}
	xpf_capacity_of(image, ruleset, &need);
	xpf_filter_discard(early->loaded);
	early->loaded = NULL;
	xpf_filter_premade_unsize(early->premade);
	/* An egress program on those maps' flows goes with them: the premade one serves, or the
	 * attach loads one on the new maps. */
	xpf_egress_discard(early->egress);
	early->egress = NULL;
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
	if (xpf_json()) {
		struct json_object *o = xpf_json_result(filter->ifname);

		json_object_object_add(o, "action", json_object_new_string(
			!strcmp(verb, "reloaded") ? "reloaded" : "loaded"));
		json_object_object_add(o, "mode", json_object_new_string(
			xpf_mode_name(filter->mode)));
		json_object_object_add(o, "audit", json_object_new_boolean(summary->audit));
		json_object_object_add(o, "rules", json_object_new_uint64(summary->rules));
		json_object_object_add(o, "ingress", json_object_new_uint64(summary->ingress));
		json_object_object_add(o, "outbound", json_object_new_uint64(summary->outbound));
		json_object_object_add(o, "local_addresses", json_object_new_uint64(summary->locals));
		json_object_object_add(o, "map_entries", json_object_new_uint64(summary->entries));
		return;
	}
	printf("xpf: %s %s (%s mode%s): %zu rules (%zu ingress, %zu outbound), %zu local "
	       "addresses, %zu map entries\n",
	       verb, filter->ifname, xpf_mode_name(filter->mode), summary->audit ? ", audit" : "",
	       summary->rules, summary->ingress, summary->outbound, summary->locals,
	       summary->entries);
}

/* The rule set now in force, recorded as a site file (core/site_record.h) for save, diff and a
 * reload's revert. Its loss does not undo the load: it is said, and those then refuse. */
static void record_site(const struct xpf_filter *filter, const char *text)
{
	int err = text ? xpf_filter_record_site(filter, text) : -ENOMEM;

	if (err)
		fprintf(stderr, "xpf: %s: warning: the site file in force is not recorded (%s): "
			"save, diff and reload --confirm will refuse\n", filter->ifname,
			strerror(-err));
}

/* The site file as status shows it: absolute, so it still means something from elsewhere. */
static const char *site_name(const char *site, char *buf)
{
	return realpath(site, buf) ? buf : site;
}

enum { OPTION_AUDIT = 256, OPTION_ENFORCE, OPTION_FORCE, OPTION_CONFIRM };

static const struct xpf_option load_options[] = {
	{ 'c', "config", "SITE", "the site file", XPF_COMPLETE_SITE, XPF_OPTION_REQUIRED },
	{ 'm', "mode", "native|skb|auto", "how to attach (auto: native, else skb)",
	  "native skb auto", 0 },
	{ OPTION_AUDIT, "audit", NULL, "drop nothing: count what would be dropped", NULL, 0 },
	{ OPTION_ENFORCE, "enforce", NULL, "drop what the rules drop, whatever the site file's "
	  "`audit` says", NULL, 0 },
	{ OPTION_FORCE, "force", NULL, "read site and table files that fail the trust checks; "
	  "enforce a rule set that drops this SSH session", NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_load = {
	"load", cmd_load, "IFACE", 1, 1, true,
	"compile a site file, write its rules, attach, pin", load_options, true,
};

static const struct xpf_option reload_options[] = {
	{ 'c', "config", "SITE", "the new site file (without it: the audit flag alone)",
	  XPF_COMPLETE_SITE, 0 },
	{ OPTION_AUDIT, "audit", NULL, "drop nothing: count what would be dropped", NULL, 0 },
	{ OPTION_ENFORCE, "enforce", NULL, "drop what the rules drop", NULL, 0 },
	{ OPTION_CONFIRM, "confirm", "SECONDS", "revert to the rule set and mode in force unless "
	  "`xpf confirm IFACE` comes within SECONDS", NULL, 0 },
	{ OPTION_FORCE, "force", NULL, "read site and table files that fail the trust checks; "
	  "enforce a rule set that drops this SSH session", NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_reload = {
	"reload", cmd_reload, "IFACE", 1, 1, true,
	"swap in a new rule set atomically, counters carried; or set the audit flag", reload_options,
	true,
};

static void print_leftovers(const char *ifname, const struct xpf_leftovers *found)
{
	fprintf(xpf_text_out(), "xpf: %s: repairing what an interrupted xpf left:\n", ifname);
	xpf_leftovers_print(xpf_text_out(), "  ", found);
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

static struct json_object *removed_json(const struct xpf_rule_report *rule)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "label", json_object_new_string(rule->info.label));
	json_object_object_add(o, "source", json_object_new_string(rule->info.source));
	json_object_object_add(o, "destination", json_object_new_string(rule->info.destination));
	json_object_object_add(o, "packets", json_object_new_uint64(rule->counter.packets));
	json_object_object_add(o, "bytes", json_object_new_uint64(rule->counter.bytes));
	json_object_object_add(o, "would_drop", json_object_new_uint64(rule->counter.would_drop));
	return o;
}

/* The rules a reload removed: reported once, with their final counts, then gone. */
static void print_removed(const struct xpf_filter *filter)
{
	struct json_object *removed = xpf_json() ? json_object_new_array() : NULL;

	if (removed)
		json_object_object_add(xpf_json_result(filter->ifname), "removed_rules", removed);
	for (size_t i = 0; i < filter->removed_count; i++) {
		const struct xpf_rule_report *rule = &filter->removed[i];

		if (removed) {
			json_object_array_add(removed, removed_json(rule));
			continue;
		}
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
		else if (opt == OPTION_FORCE)
			job->force = 1;
		else if ((opt == OPTION_AUDIT || opt == OPTION_ENFORCE) && job->audit >= 0 &&
			 job->audit != (opt == OPTION_AUDIT))
			return xpf_misuse(&xpf_verb_load, "--audit and --enforce exclude each other");
		else if (opt == OPTION_AUDIT || opt == OPTION_ENFORCE)
			job->audit = opt == OPTION_AUDIT;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	job->ifname = argv[optind];
	return -1;
}

/* The site file read and compiled; what no rule set sizes (most of the maps) made while the
 * files are read, and the rest of the maps made and the programs verified while the rule set
 * compiles (that goes on past the return: finish_early()): on a second CPU they overlap.
 * Nothing is attached here. */
static int read_and_compile(struct load_job *job)
{
	struct xpf_beside premaking = { 0 };
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
	start_early(&job->early);
	err = compile(&job->config, &job->image, false);
	/* The command line, else the site file's `audit`, else enforcing. */
	job->image.config.audit = job->audit >= 0 ? job->audit : job->config.site.audit > 0;
	return err;
}

static int install(struct load_job *job, struct xpf_filter *filter)
{
	int err = xpf_filter_install(filter, &job->image, &job->config.ruleset,
				     site_name(job->site, job->site_path), job->config.table_name);

	if (err) {
		report_failure(job->ifname, "load", err);
		return err;
	}
	xpf_fault_point("rules-written");
	return 0;
}

/* The whole first rule set goes into the maps before the program goes on the interface: no
 * frame ever meets the program without one. It is written into the maps made beside the
 * compile while the program is verified (100,000 rules: the 0.08 s of writes off the critical
 * path), when they hold it; else after the program is loaded again to its size. @filter is
 * open on success only, the program's and the maps' owner. */
static int load_and_install(struct load_job *job, struct xpf_filter *filter)
{
	struct early_load *early = &job->early;
	struct xpf_bpf *loaded = NULL;
	bool written = false;
	int err = 0;

	sem_wait(&early->maps_made);
	if (early->sized && xpf_capacity_foreseen_holds(&early->capacity, &job->image,
							&job->config.ruleset)) {
		early->writing.write_alone = true;
		err = install(job, &early->writing);
		written = true;
	}
	finish_early(early);
	if (err)
		return err;
	if (written)	/* a program for those maps: the one verified beside, else again */
		err = early->loaded ? 0 : xpf_filter_prepare(&early->capacity, early->premade,
							     &early->loaded);
	else
		err = loaded_for(early, &job->image, &job->config.ruleset, &early->loaded);
	loaded = early->loaded;
	early->loaded = NULL;
	err = err ?: xpf_filter_adopt_prepared(job->ifname, loaded, filter);
	if (err) {
		report_filter_error(job->ifname, "attach", err);
		return err;
	}
	err = written ? 0 : install(job, filter);
	if (err)
		xpf_filter_close(filter);
	return err;
}

/* The premade egress program when the early load loaded none: whichever room the maps were
 * made for, their flows are the site file's, and the premade one's may be that size. */
static void take_premade_egress(struct load_job *job)
{
	if (!job->early.egress &&
	    xpf_filter_premade_flows_serve(&job->premade, &(struct xpf_capacity){
						   .flows = job->config.ruleset.policy.flows })) {
		job->early.egress = job->premade.egress;
		job->premade.egress = NULL;
	}
}

/* The rule set in the maps, then the program on the interface, the pins and the egress
 * program; a failure there takes everything off again. @filter is open on success only. */
static int put_on_interface(struct load_job *job, struct xpf_filter *filter)
{
	int err = load_and_install(job, filter);

	if (err)
		return err;
	take_premade_egress(job);
	err = xpf_filter_attach(filter, job->mode);
	if (err) {
		report_filter_error(job->ifname, "attach", err);
		goto close;
	}
	xpf_fault_point("xdp-attached");
	err = xpf_filter_pin(filter);
	if (!err) {
		xpf_fault_point("pinned");
		err = job->early.egress ? xpf_egress_attach_loaded(filter, job->early.egress)
					: xpf_egress_attach(filter);
		job->early.egress = NULL;
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

/* An older kernel refuses the program with a verifier message that does not say why. A release
 * that cannot be read is left to the kernel to judge. */
static int check_kernel(void)
{
	struct utsname name;

	if (uname(&name) || xpf_kernel_release_supported(name.release) != 0)
		return 0;
	fprintf(stderr, "xpf: kernel %s is older than %s, the oldest xpf runs on (%s)\n",
		name.release, XPF_MIN_KERNEL, XPF_MIN_KERNEL_WHY);
	return 1;
}

int cmd_load(int argc, char **argv)
{
	static struct load_job job;	/* a path and the image's headers: kept off the stack */
	struct xpf_filter filter;
	struct load_summary summary;
	int err;

	xpf_fault_verb("load");
	job.mode = XDP_MODE_UNSPEC;
	job.audit = -1;
	err = parse_load(argc, argv, &job);
	if (err >= 0)
		return err;
	if (check_kernel())
		return 1;
	err = read_and_compile(&job);
	if (!err && !job.image.config.audit && !job.force)
		err = xpf_lockout_guard(job.ifname, &job.config.site, &job.config.ruleset);
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
		char *text = NULL;

		xpf_site_format_text(&job.config, &text);
		record_site(&filter, text);
		free(text);
		summarize(&job.config, &job.image, &summary);
		print_loaded("loaded on", &filter, &summary);
		xpf_filter_close(&filter);
	}
	finish_early(&job.early);
	xpf_filter_discard(job.early.loaded);
	xpf_egress_discard(job.early.egress);
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
	err = xpf_filter_write_config(filter, generation, &config);
	if (err)
		return err;
	xpf_fault_point("audit-set");
	if (xpf_json()) {
		json_object_object_add(xpf_json_result(filter->ifname), "action",
				       json_object_new_string("reloaded"));
		json_object_object_add(xpf_json_result(filter->ifname), "audit",
				       json_object_new_boolean(audit));
	} else
		printf("xpf: %s: %s\n", filter->ifname,
		       audit ? "audit mode: nothing is dropped, would-be drops are counted as "
			       "would_drop" : "enforcing");
	return 0;
}

/* One reload: a new site file, or only the audit flag (-1: as it is). */
struct reload_job {
	const char *site, *ifname;
	int audit, force;
	unsigned int confirm;		/* --confirm SECONDS; 0: none */
	bool reverting;			/* a revert: the lockout guard stands aside */
	bool has_rules;			/* config holds a rule set: from -c, or a recorded one */
	bool compiled;			/* ... and image is compiled from it */
	uint64_t revert_at_ns;		/* of the generation it writes; 0: none */
	char site_path[PATH_MAX];	/* the site file's name for the meta map */
	struct xpf_loaded_config config;
	struct xpf_image image;
	struct xpf_revert_point previous;	/* with --confirm: what a revert goes back to */
};

static int parse_confirm(const char *text, unsigned int *seconds)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || !value || value > XPF_CONFIRM_MAX_S)
		return -EINVAL;
	*seconds = (unsigned int)value;
	return 0;
}

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
		else if (opt == OPTION_CONFIRM && parse_confirm(optarg, &job->confirm))
			return xpf_misuse(&xpf_verb_reload, "--confirm takes seconds from 1 to %d, "
					  "not '%s'", XPF_CONFIRM_MAX_S, optarg);
		else if (opt == OPTION_CONFIRM)
			continue;
		else if (job->audit >= 0 && job->audit != (opt == OPTION_AUDIT))
			return xpf_misuse(&xpf_verb_reload, "--audit and --enforce exclude each other");
		else
			job->audit = opt == OPTION_AUDIT;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (!job->site && job->audit < 0 && !job->confirm)
		return xpf_misuse(&xpf_verb_reload, "nothing to do: give -c SITE, --audit or "
				  "--enforce");
	job->ifname = argv[optind];
	job->has_rules = job->site != NULL;
	return -1;
}

/* The mode the new generation takes: the command line, else the new site file's `audit`,
 * else the interface's setting. */
static int reload_mode(const struct reload_job *job, const struct xpf_filter *filter)
{
	struct xpf_config current = {};

	xpf_filter_read_config(filter, &current, NULL);
	if (job->audit >= 0)
		return job->audit;
	if (job->config.site.audit >= 0)
		return job->config.site.audit;
	return current.audit;
}

/* The flow table is made at load: a reload that asks for another size says it keeps its own. */
static void note_flows_kept(const struct reload_job *job, const struct xpf_filter *filter)
{
	uint32_t room = xpf_flows_room(filter);

	if (room && room != job->config.ruleset.policy.flows)
		fprintf(stderr, "xpf: %s: warning: the site file asks for %u flows (`flows max`); "
			"the flow table keeps its %u until unload and load\n", job->ifname,
			job->config.ruleset.policy.flows, room);
}

/* The new generation written and flipped, the old one's counters carried, then retired. */
static int swap_rule_set(struct reload_job *job, struct xpf_filter *filter)
{
	struct xpf_retirement retirement;
	struct load_summary summary;
	char *text = NULL;
	int err;

	job->image.config.audit = reload_mode(job, filter);
	job->image.config.revert_at_ns = job->revert_at_ns;
	if (!job->image.config.audit && !job->force && !job->reverting) {
		err = xpf_lockout_guard(job->ifname, &job->config.site, &job->config.ruleset);
		if (err)
			return err;
	}
	note_flows_kept(job, filter);
	xpf_site_format_text(&job->config, &text);
	err = xpf_filter_write_and_flip(filter, &job->image, &job->config.ruleset,
					job->site ? site_name(job->site, job->site_path)
						  : job->site_path,
					job->config.table_name, &retirement);
	if (!err) {
		/* The new rules are in force and in the kernel: their copies here go before the old
		 * generation's are read back to carry its counters. */
		record_site(filter, text);
		summarize(&job->config, &job->image, &summary);
		xpf_image_free(&job->image);
		xpf_config_free(&job->config);
		job->has_rules = false;
		err = xpf_filter_retire(filter, &retirement);
	}
	free(text);
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
	err = job->has_rules && !job->compiled ? compile(&job->config, &job->image, true) : 0;
	xpf_beside_finish(&searching);
	if (err)
		return err;
	err = repair(filter, &search.found, search.any);
	if (err)
		report_failure(job->ifname, "repair", err);
	return err;
}

/* A recorded site file as the rule set to reload. */
static int rules_of_text(struct reload_job *job, const char *text)
{
	struct xpf_error error = {};

	if (xpf_config_read_text(text, job->ifname, &job->config, &error) ||
	    xpf_config_build(&job->config, &error)) {
		fprintf(stderr, "xpf: %s: the recorded rule set does not load: %s\n", job->ifname,
			error.message);
		return -EINVAL;
	}
	job->has_rules = true;
	return 0;
}

/* With --confirm: the rule set and mode in force, kept for the revert; without -c, the same
 * rules again, so that the reload makes a generation of its own to revert. One reload waits
 * for confirmation at a time. */
static int keep_previous(struct reload_job *job, const struct xpf_filter *filter)
{
	struct xpf_revert_point *previous = &job->previous;
	struct xpf_error error = {};
	struct xpf_config config;
	struct timespec now;
	uint32_t generation;
	int err = xpf_filter_in_force(filter, &generation, &config, &previous->loaded_at_ns);

	if (err)
		return report_failure(job->ifname, "read the rule set in force", err), err;
	if (config.revert_at_ns) {
		fprintf(stderr, "xpf: %s: a reload already waits for confirmation: `xpf confirm "
			"%s` first, or let it revert\n", job->ifname, job->ifname);
		return -EBUSY;
	}
	if (xpf_filter_recorded_site(filter, &previous->text, &error)) {
		fprintf(stderr, "xpf: %s: nothing to revert to: %s\n", job->ifname, error.message);
		return -ENOENT;
	}
	previous->audit = config.audit;
	previous->force = job->force;
	previous->seconds = job->confirm;
	xpf_filter_site_path(filter, previous->site, sizeof(previous->site));
	snprintf(job->site_path, sizeof(job->site_path), "%s", previous->site);
	clock_gettime(CLOCK_REALTIME, &now);
	job->revert_at_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec +
			    (uint64_t)job->confirm * 1000000000ull;
	return job->has_rules ? 0 : rules_of_text(job, previous->text);
}

static int revert_prepare(const char *ifname, const struct xpf_revert_point *point);
static int reload_revert(const char *ifname, const struct xpf_revert_point *point);

/* The reload on a found filter: the mode alone, or a rule set; then, with --confirm, the
 * watcher that reverts it. */
static int reload_found(struct reload_job *job, struct xpf_filter *filter)
{
	struct xpf_config config;
	uint32_t generation;
	int err = job->confirm ? keep_previous(job, filter) : 0;

	err = err ?: compile_and_repair(job, filter);
	if (err)
		return err;
	if (!job->has_rules) {
		if (!job->audit && !job->force)
			err = xpf_lockout_guard_in_force(filter);
		if (!err) {
			err = set_audit(filter, job->audit);
			if (err)
				report_failure(job->ifname, "set the audit flag", err);
		}
		return err;
	}
	err = swap_rule_set(job, filter);
	if (err || !job->confirm)
		return err;
	err = xpf_filter_in_force(filter, &generation, &config, &job->previous.loaded_at_ns);
	if (err)
		return report_failure(job->ifname, "read the rule set in force", err), err;
	xpf_filter_close(filter);
	err = xpf_confirm_watch(job->ifname, &job->previous, revert_prepare, reload_revert);
	job->previous.text = NULL;
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
	err = reload_found(&job, &filter);
	xpf_filter_close(&filter);
cleanup:
	if (job.has_rules) {
		xpf_image_free(&job.image);
		xpf_config_free(&job.config);
	}
	free(job.previous.text);
	return err ? 1 : 0;
}

/* The watcher's revert (revert.h): the kept rule set read and compiled when the watcher
 * starts, with the trust checks of the reload that started it; at its time a reload of it in
 * the kept mode, checked under the lock. The lockout guard never stands between a revert and
 * the rules that were in force. */
static struct reload_job revert_job;

static int revert_prepare(const char *ifname, const struct xpf_revert_point *point)
{
	int err;

	memset(&revert_job, 0, sizeof(revert_job));
	revert_job.ifname = ifname;
	xpf_config_require_trusted_files(!point->force);
	err = rules_of_text(&revert_job, point->text) ?:
	      compile(&revert_job.config, &revert_job.image, true);
	revert_job.compiled = !err;
	return err;
}

static int reload_revert(const char *ifname, const struct xpf_revert_point *point)
{
	struct reload_job *job = &revert_job;
	struct xpf_filter filter;
	struct xpf_config config;
	uint64_t loaded_at_ns;
	uint32_t generation;
	int err;

	xpf_fault_verb("revert");
	job->ifname = ifname;
	job->audit = point->audit;
	job->force = point->force;
	job->reverting = true;
	snprintf(job->site_path, sizeof(job->site_path), "%s", point->site);
	err = start_verb(NULL, job->force, ifname, &job->config);
	err = err ?: xpf_filter_find(ifname, &filter);
	if (err)
		return err == -ENOENT || err == -ENODEV ? 1 : err;
	err = xpf_filter_in_force(&filter, &generation, &config, &loaded_at_ns);
	if (err || loaded_at_ns != point->loaded_at_ns || !config.revert_at_ns)
		err = err ?: 1;
	else
		err = (job->has_rules ? 0 : rules_of_text(job, point->text)) ?:
		      compile_and_repair(job, &filter) ?: swap_rule_set(job, &filter);
	xpf_filter_close(&filter);
	if (job->has_rules) {
		xpf_image_free(&job->image);
		xpf_config_free(&job->config);
	}
	return err;
}
