// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf check [-j] -c SITE: validate the site file and its tables, say what the site lacks for
 * them, print the compiled rules. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/config_load.h"
#include "core/compile.h"
#include "core/site_gaps.h"
#include "cli/host_list.h"
#include "cli/policy_digest.h"
#include "cli/capacity_view.h"
#include "cli/ruleset_json.h"
#include "core/capacity.h"
#include "core/names.h"
#include "core/prefix_list.h"

/* Where a rule comes from: its row's FILE:LINE, and those of the rows of other tables (or of
 * the same one) that make the same rule. */
static void print_origins(const struct xpf_ruleset *ruleset, size_t index)
{
	const struct xpf_rule *rule = &ruleset->rules[index];
	uint8_t origins[XPF_MAX_ORIGINS];
	int lines[XPF_MAX_ORIGINS];
	size_t count = xpf_rule_origins(ruleset, index, origins, lines, XPF_MAX_ORIGINS);

	printf("  (%s:%d", rule->row.file, rule->row.line);
	for (size_t i = 1; i < count && i < XPF_MAX_ORIGINS; i++)
		printf(", %s:%d", ruleset->origins[origins[i] - 1].table, lines[i]);
	printf(")\n");
}

static void print_rule(const struct xpf_ruleset *ruleset, size_t index)
{
	const struct xpf_rule *rule = &ruleset->rules[index];
	size_t number = index + 1;
	char prefix[64];

	printf("%3zu  %-12s %-6s %-20s %s/%u", number, xpf_direction_name(rule->direction),
	       rule->row.action == XPF_ACTION_DROP ? "deny" : "allow", rule->row.label,
	       xpf_protocols_name(rule->row.protocols), rule->row.port_first);
	if (rule->row.port_last != rule->row.port_first)
		printf("-%u", rule->row.port_last);
	printf("  %s -> %s", rule->row.source, rule->row.destination);
	print_origins(ruleset, index);
	printf("       from");
	if (rule->list)
		printf(" the %zu prefixes of %s", ruleset->lists[rule->list - 1].count,
		       rule->row.source);
	for (size_t i = 0; i < rule->source_count; i++) {
		xpf_prefix_format(&rule->sources[i], prefix, sizeof(prefix));
		printf(" %s", prefix);
	}
	if (rule->direction == XPF_DIRECTION_INGRESS) {
		printf("  to");
		for (size_t i = 0; i < rule->destination_count; i++) {
			xpf_prefix_format(&rule->destinations[i], prefix, sizeof(prefix));
			printf(" %s", prefix);
		}
	}
	printf("\n");
}

static const char *const gap_headings[] = {
	[XPF_GAP_ROLE] = "roles the tables name that the site does not define (define each with "
			 "`role NAME = ADDRESS`, or `= none` where the deployment has none)",
	[XPF_GAP_PART] = "parts of role cells that the site does not define (those rows stand "
			 "for the parts it defines)",
	[XPF_GAP_NARROWING] = "roles that would narrow an 'Any (can be defined as ...)' cell, not "
			      "defined (Any, or the ones defined, stands)",
	[XPF_GAP_LOCAL] = "local roles that no row admits traffic to",
};

static void print_gaps(FILE *out, const struct xpf_gaps *gaps)
{
	int kind = -1;

	for (size_t i = 0; i < gaps->count; i++) {
		const struct xpf_gap *gap = &gaps->gaps[i];

		if (gap->kind != kind) {
			kind = gap->kind;
			fprintf(out, "%s:\n", gap_headings[kind]);
		}
		if (gap->kind == XPF_GAP_LOCAL)
			fprintf(out, "  %s:%d: '%s'\n", gap->file, gap->line, gap->name);
		else
			fprintf(out, "  %s:%d: '%s' (%zu row%s)\n", gap->file, gap->line, gap->name,
				gap->rows, gap->rows == 1 ? "" : "s");
	}
}

/* The site and its tables, what the site lacks for them (printed on stderr when the rule set
 * cannot be built, before the error), then the rule set. */
static int load_and_check(const char *site, struct xpf_loaded_config *config,
			  struct xpf_gaps *gaps, struct xpf_error *err)
{
	int ret = xpf_config_read(site, config, err);

	if (ret)
		return ret;
	ret = xpf_table_gaps(&config->site, &config->table, gaps);
	if (!ret)
		ret = xpf_config_build(config, err);
	else
		xpf_config_free(config);
	if (ret == -ENOMEM)
		xpf_error_set(err, site, 0, "out of memory");
	if (!ret) {
		xpf_policy_digest(&config->site, &config->ruleset);
		ret = xpf_local_gaps(&config->site, &config->ruleset, gaps);
	}
	if (ret)
		print_gaps(stderr, gaps);
	return ret;
}

static const char *action_word(uint8_t action)
{
	return action == XPF_ACTION_DROP ? "deny" : "allow";
}

enum { OPTION_FORCE = 256, OPTION_HOST };

/* --force as load's: check refuses what load would refuse, so that a file it passes loads. */
static const struct xpf_option check_options[] = {
	{ 'c', "config", "SITE", "the site file", XPF_COMPLETE_SITE, XPF_OPTION_REQUIRED },
	{ OPTION_FORCE, "force", NULL, "read site and table files that fail the trust checks",
	  NULL, 0 },
	{ OPTION_HOST, "host", "ADDR", "`local auto`: as the host with these addresses (ADDR,ADDR "
	  "or repeated), not this one", NULL, XPF_OPTION_REPEATS },
	{},
};

const struct xpf_verb xpf_verb_check = {
	"check", cmd_check, "", 0, 0, false,
	"validate a site file and its table; print the compiled rules", check_options, true,
};

static void print_json(const char *site, struct xpf_loaded_config *config,
		       const struct xpf_gaps *gaps)
{
	struct json_object *object = xpf_ruleset_json(site, config, gaps);

	json_object_object_add(object, "schema_version", json_object_new_int(XPF_SCHEMA_VERSION));
	xpf_json_print(object);
}

/* The enforced addresses of one kind (@protect: behind the interface; else this host's) on one
 * line after @heading; nothing when there are none. */
static void print_locals(const struct xpf_ruleset *ruleset, bool protect, const char *heading)
{
	const char *separator = "";
	char prefix[64];
	size_t count = 0;

	for (size_t i = 0; i < ruleset->local_count; i++)
		count += ruleset->locals[i].protect == protect;
	if (!count)
		return;
	printf("%s:", heading);
	for (size_t i = 0; i < ruleset->local_count; i++) {
		if (ruleset->locals[i].protect != protect)
			continue;
		xpf_prefix_format(&ruleset->locals[i].addr, prefix, sizeof(prefix));
		printf("%s %s (%s)", separator, prefix, ruleset->locals[i].role);
		separator = ",";
	}
	printf("\n");
}

/* What is enforced where: frames arriving on the interface xpf is attached to, for this host's
 * addresses (`local`) and those behind it (`protect`); replies learned from their own flows
 * leaving through that same interface. */
static void print_locals_and_policy(const char *site, const struct xpf_loaded_config *config)
{
	const struct xpf_policy *policy = &config->ruleset.policy;

	printf("site %s, table %s: %zu rules\n", site,
	       config->table_name[0] ? config->table_name : "(none)", config->ruleset.count);
	printf("enforced on frames arriving on the interface xpf is attached to, addressed to\n");
	print_locals(&config->ruleset, false, "  this host (local)");
	print_locals(&config->ruleset, true, "  hosts it protects, behind it (protect)");
	printf("replies learned from the flows these addresses open, as they leave through the "
	       "same interface\n");
	printf("digest: %s\n", config->ruleset.digest);
	printf("policy: default %s, other %s, icmp %s, fragments %s\n\n",
	       action_word(policy->default_action), action_word(policy->other_action),
	       action_word(policy->icmp_action),
	       policy->fragments == XPF_FRAGMENTS_DROP ? "drop" : "track");
}

/* The text report: what the site lacks, the tables, every rule, the warnings, the image. */
static void print_text(const char *site, const struct xpf_loaded_config *config,
		       const struct xpf_gaps *gaps, const struct xpf_image *image)
{
	const struct xpf_ruleset *ruleset = &config->ruleset;

	print_locals_and_policy(site, config);
	print_gaps(stdout, gaps);
	if (gaps->count)
		printf("\n");
	for (size_t i = 0; i < ruleset->origin_count; i++)
		printf("table %zu: %s: %s\n", i + 1, ruleset->origins[i].table,
		       ruleset->origins[i].caption);
	if (ruleset->origin_count)
		printf("\n");
	for (size_t i = 0; i < ruleset->count; i++)
		print_rule(ruleset, i);
	fflush(stdout);
	for (size_t i = 0; i < ruleset->warning_count; i++)
		fprintf(stderr, "warning: %s\n", ruleset->warnings[i]);
	printf("\ncompiled: %zu local addresses, %u port classes, %zu classes, %zu rule entries\n",
	       image->local_count, image->port_class_count, image->class_count, image->entry_count);
	xpf_print_needs(stdout, ruleset, image);
}

/* The options: the site file, --force, --host (into @host). -1 to go on, else the exit status. */
static int read_options(int argc, char **argv, const char **site, bool *force,
			struct xpf_host_list *host)
{
	struct xpf_args args;
	const char *problem;
	int opt;

	xpf_args_start(&args, &xpf_verb_check);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'c')
			*site = optarg;
		else if (opt == OPTION_FORCE)
			*force = true;
		else if (xpf_host_list_parse(host, optarg, &problem) == -EINVAL)
			return xpf_misuse(&xpf_verb_check, "--host %s: %s", optarg, problem);
	}
	return xpf_args_exit(opt);
}

int cmd_check(int argc, char **argv)
{
	struct xpf_loaded_config config;
	struct xpf_image image = {};
	struct xpf_error err = {};
	struct xpf_gaps gaps = {};
	struct xpf_host_list host = {};
	const char *site = NULL;
	bool force = false;
	int status = read_options(argc, argv, &site, &force, &host);

	if (status >= 0) {
		xpf_host_list_free(&host);
		return status;
	}
	status = 0;
	xpf_config_require_trusted_files(!force);
	/* --host: a `local auto` site built for that host, not this one (main.c). */
	if (host.count)
		xpf_host_list_apply(&host);
	if (load_and_check(site, &config, &gaps, &err) ||
	    xpf_compile(&config.ruleset, &image, &err)) {
		status = xpf_fail_as_is("%s", err.message);
	} else if (xpf_json()) {
		print_json(site, &config, &gaps);
	} else {
		print_text(site, &config, &gaps, &image);
	}
	/* Said after the report, which shows what needs the room. */
	if (!status && xpf_capacity_within_limits(&config.ruleset, &image, site, &err)) {
		fprintf(stderr, "%s\n", err.message);
		status = 1;
	}
	xpf_image_free(&image);
	xpf_config_free(&config);
	xpf_gaps_free(&gaps);
	xpf_host_list_free(&host);
	return status;
}
