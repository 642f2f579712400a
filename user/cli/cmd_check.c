// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf check [-j] -c SITE: validate the site file and its tables, say what the site lacks for
 * them, print the compiled rules. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/config_load.h"
#include "core/compile.h"
#include "core/site_gaps.h"
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
	if (!ret)
		ret = xpf_local_gaps(&config->site, &config->ruleset, gaps);
	if (ret)
		print_gaps(stderr, gaps);
	return ret;
}

static const char *action_word(uint8_t action)
{
	return action == XPF_ACTION_DROP ? "drop" : "pass";
}

static const struct xpf_option check_options[] = {
	{ 'c', "config", "SITE", "the site file", XPF_COMPLETE_SITE, XPF_OPTION_REQUIRED },
	{ 'j', "json", NULL, "the compiled rules as JSON", NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_check = {
	"check", cmd_check, "", 0, 0, false,
	"validate a site file and its table; print the compiled rules", check_options,
};

static void print_json(const char *site, struct xpf_loaded_config *config,
		       const struct xpf_gaps *gaps)
{
	struct json_object *object = xpf_ruleset_json(site, config, gaps);

	puts(json_object_to_json_string_ext(object, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(object);
}

static void print_locals_and_policy(const char *site, const struct xpf_loaded_config *config)
{
	const struct xpf_policy *policy = &config->ruleset.policy;
	char prefix[64];

	printf("site %s, table %s: %zu rules\n", site,
	       config->table_name[0] ? config->table_name : "(none)", config->ruleset.count);
	printf("local addresses:");
	for (size_t i = 0; i < config->ruleset.local_count; i++) {
		xpf_prefix_format(&config->ruleset.locals[i].addr, prefix, sizeof(prefix));
		printf(" %s (%s)%s", prefix, config->ruleset.locals[i].role,
		       i + 1 < config->ruleset.local_count ? "," : "");
	}
	printf("\npolicy: default %s, other %s, icmp %s, fragments %s\n\n",
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

int cmd_check(int argc, char **argv)
{
	struct xpf_loaded_config config;
	struct xpf_image image = {};
	struct xpf_error err = {};
	struct xpf_gaps gaps = {};
	const char *site = NULL;
	bool as_json = false;
	struct xpf_args args;
	int opt, status = 0;

	xpf_args_start(&args, &xpf_verb_check);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'c')
			site = optarg;
		else
			as_json = true;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (load_and_check(site, &config, &gaps, &err) ||
	    xpf_compile(&config.ruleset, &image, &err)) {
		fprintf(stderr, "%s\n", err.message);
		status = 1;
	} else if (as_json) {
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
	return status;
}
