// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf check [-j] -c SITE: validate the site file and its table, print the compiled rules. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/config_load.h"
#include "core/compile.h"
#include "cli/ruleset_json.h"
#include "core/names.h"

static void print_rule(size_t number, const struct xpf_rule *rule)
{
	char prefix[64];

	printf("%3zu  %-12s %-6s %-20s %s/%u", number, xpf_direction_name(rule->direction),
	       rule->row.action == XPF_ACTION_DROP ? "deny" : "allow", rule->row.label,
	       xpf_protocols_name(rule->row.protocols), rule->row.port_first);
	if (rule->row.port_last != rule->row.port_first)
		printf("-%u", rule->row.port_last);
	printf("  %s -> %s  (%s:%d)\n", rule->row.source, rule->row.destination, rule->row.file,
	       rule->row.line);
	printf("       from");
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

static void print_json(const char *site, const struct xpf_loaded_config *config)
{
	struct json_object *object = xpf_ruleset_json(site, config);

	puts(json_object_to_json_string_ext(object, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(object);
}

static void print_locals_and_policy(const struct xpf_ruleset *ruleset)
{
	const struct xpf_policy *policy = &ruleset->policy;
	char prefix[64];

	printf("local addresses:");
	for (size_t i = 0; i < ruleset->local_count; i++) {
		xpf_prefix_format(&ruleset->locals[i].addr, prefix, sizeof(prefix));
		printf(" %s (%s)%s", prefix, ruleset->locals[i].role,
		       i + 1 < ruleset->local_count ? "," : "");
	}
	printf("\npolicy: default %s, other %s, icmp %s, fragments %s\n\n",
	       action_word(policy->default_action), action_word(policy->other_action),
	       action_word(policy->icmp_action),
	       policy->fragments == XPF_FRAGMENTS_DROP ? "drop" : "track");
}

static void print_text(const char *site, const struct xpf_loaded_config *config,
		       const struct xpf_image *image)
{
	const struct xpf_ruleset *ruleset = &config->ruleset;

	printf("site %s, table %s: %zu rules\n", site,
	       config->table_name[0] ? config->table_name : "(none)", ruleset->count);
	print_locals_and_policy(ruleset);
	for (size_t i = 0; i < ruleset->count; i++)
		print_rule(i + 1, &ruleset->rules[i]);
	fflush(stdout);
	for (size_t i = 0; i < ruleset->warning_count; i++)
		fprintf(stderr, "warning: %s\n", ruleset->warnings[i]);
	printf("\ncompiled: %zu local addresses, %u port classes, %zu classes, %zu rule entries\n",
	       image->local_count, image->port_class_count, image->class_count, image->entry_count);
}

int cmd_check(int argc, char **argv)
{
	struct xpf_loaded_config config;
	struct xpf_image image = {};
	struct xpf_error err = {};
	const char *site = NULL;
	bool as_json = false;
	struct xpf_args args;
	int opt;

	xpf_args_start(&args, &xpf_verb_check);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'c')
			site = optarg;
		else
			as_json = true;
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (xpf_config_load(site, &config, &err) || xpf_compile(&config.ruleset, &image, &err)) {
		fprintf(stderr, "%s\n", err.message);
		xpf_config_free(&config);
		return 1;
	}
	if (as_json)
		print_json(site, &config);
	else
		print_text(site, &config, &image);
	xpf_image_free(&image);
	xpf_config_free(&config);
	return 0;
}
