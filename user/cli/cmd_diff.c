// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf diff -c SITE IFACE: what a reload of SITE would change in the rule set in force,
 * with the counts of the rules in force (core/rule_diff.h). Exit status as diff(1): 0 the same,
 * 1 different, 2 trouble. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/config_load.h"
#include "core/rule_diff.h"
#include "core/stats.h"
#include "kernel/loaded_site.h"
#include "kernel/stats_read.h"

static const struct xpf_option diff_options[] = {
	{ 'c', "config", "SITE", "the site file to compare", XPF_COMPLETE_SITE,
	  XPF_OPTION_REQUIRED },
	{},
};

const struct xpf_verb xpf_verb_diff = {
	"diff", cmd_diff, "IFACE", 1, 1, true,
	"what a reload of a site file would change (exit 1 when anything)", diff_options, true,
};

/* Both sides, the counts of the side in force, and what differs. */
struct comparison {
	const char *site, *ifname;
	struct xpf_loaded_config old, new;
	struct xpf_stats stats;
	struct xpf_rule_diff diff;
	char policies[9][96];		/* "policy default: drop -> pass" */
	size_t policy_count;
};

/* The counts of old rule @index: the rule in force at that place, when it is that rule. */
static const struct xpf_counter *counts_of(const struct comparison *c, size_t index)
{
	const struct xpf_rule *rule = &c->old.ruleset.rules[index];
	const struct xpf_rule_stat *stat;

	if (index >= c->stats.rule_count)
		return NULL;
	stat = &c->stats.rules[index];
	if (strcmp(stat->info.label, rule->row.label) || strcmp(stat->info.source, rule->row.source) ||
	    strcmp(stat->info.destination, rule->row.destination))
		return NULL;
	return &stat->counter;
}

static void note_policy(struct comparison *c, const char *name, const char *old, const char *new)
{
	if (!strcmp(old, new) || c->policy_count == sizeof(c->policies) / sizeof(c->policies[0]))
		return;
	snprintf(c->policies[c->policy_count++], sizeof(c->policies[0]), "%s: %s -> %s", name, old,
		 new);
}

static const char *action_word(uint8_t action)
{
	return action == XPF_ACTION_DROP ? "drop" : "pass";
}

static void compare_policies(struct comparison *c)
{
	const struct xpf_policy *a = &c->old.ruleset.policy, *b = &c->new.ruleset.policy;
	char x[32], y[32];

	note_policy(c, "policy default", action_word(a->default_action),
		    action_word(b->default_action));
	note_policy(c, "policy other", action_word(a->other_action), action_word(b->other_action));
	note_policy(c, "policy icmp", action_word(a->icmp_action), action_word(b->icmp_action));
	note_policy(c, "policy fragments", a->fragments == XPF_FRAGMENTS_DROP ? "drop" : "track",
		    b->fragments == XPF_FRAGMENTS_DROP ? "drop" : "track");
	snprintf(x, sizeof(x), "%u", a->tcp_timeout_s);
	snprintf(y, sizeof(y), "%u", b->tcp_timeout_s);
	note_policy(c, "timeout tcp", x, y);
	snprintf(x, sizeof(x), "%u", a->udp_timeout_s);
	snprintf(y, sizeof(y), "%u", b->udp_timeout_s);
	note_policy(c, "timeout udp", x, y);
	snprintf(x, sizeof(x), "%u/s", a->log_rate);
	snprintf(y, sizeof(y), "%u/s", b->log_rate);
	note_policy(c, "log rate", x, y);
	snprintf(x, sizeof(x), "%u", a->flows);
	snprintf(y, sizeof(y), "%u", b->flows);
	note_policy(c, "flows max", x, y);
	if (c->new.site.audit >= 0)
		note_policy(c, "mode", c->stats.config.audit ? "audit" : "enforcing",
			    c->new.site.audit ? "audit" : "enforcing");
}

static void print_counts(const struct xpf_counter *counter)
{
	if (counter)
		printf("  # %llu packets, %llu bytes, %llu would drop",
		       (unsigned long long)counter->packets, (unsigned long long)counter->bytes,
		       (unsigned long long)counter->would_drop);
	printf("\n");
}

static void print_text(const struct comparison *c)
{
	char rule[512], what[128];

	printf("--- %s (in force)\n+++ %s\n", c->ifname, c->site);
	for (size_t i = 0; i < c->diff.count; i++) {
		const struct xpf_rule_pair *pair = &c->diff.pairs[i];

		if (pair->change == XPF_RULE_SAME)
			continue;
		if (pair->change != XPF_RULE_ADDED) {
			xpf_rule_format(&c->old.ruleset.rules[pair->old_index], rule, sizeof(rule));
			printf("- %s", rule);
			print_counts(counts_of(c, pair->old_index));
		}
		if (pair->change != XPF_RULE_REMOVED) {
			xpf_rule_format(&c->new.ruleset.rules[pair->new_index], rule, sizeof(rule));
			xpf_rule_changes_format(pair->what, what, sizeof(what));
			printf("+ %s%s%s\n", rule, pair->what ? "  # changed: " : "", what);
		}
	}
	for (size_t i = 0; i < c->policy_count; i++)
		printf("~ %s\n", c->policies[i]);
	printf("%zu added, %zu removed, %zu changed, %zu unchanged rules; %zu other settings "
	       "changed\n", c->diff.added, c->diff.removed, c->diff.changed, c->diff.same,
	       c->policy_count);
}

static struct json_object *rule_json(const struct xpf_rule *rule, const struct xpf_counter *counter)
{
	struct json_object *object = json_object_new_object();
	char text[512];

	xpf_rule_format(rule, text, sizeof(text));
	json_object_object_add(object, "row", json_object_new_string(text));
	json_object_object_add(object, "label", json_object_new_string(rule->row.label));
	json_object_object_add(object, "source", json_object_new_string(rule->row.source));
	json_object_object_add(object, "destination", json_object_new_string(rule->row.destination));
	json_object_object_add(object, "action", json_object_new_string(
						      rule->row.action == XPF_ACTION_DROP ? "deny" : "allow"));
	if (counter) {
		json_object_object_add(object, "packets", json_object_new_uint64(counter->packets));
		json_object_object_add(object, "bytes", json_object_new_uint64(counter->bytes));
		json_object_object_add(object, "would_drop",
				       json_object_new_uint64(counter->would_drop));
	}
	return object;
}

static struct json_object *pair_json(const struct comparison *c, const struct xpf_rule_pair *pair)
{
	static const char *const kinds[] = { "same", "added", "removed", "changed" };
	struct json_object *object = json_object_new_object();
	char what[128];

	json_object_object_add(object, "change", json_object_new_string(kinds[pair->change]));
	if (pair->change != XPF_RULE_ADDED)
		json_object_object_add(object, "in_force",
				       rule_json(&c->old.ruleset.rules[pair->old_index],
						 counts_of(c, pair->old_index)));
	if (pair->change != XPF_RULE_REMOVED)
		json_object_object_add(object, "new",
				       rule_json(&c->new.ruleset.rules[pair->new_index], NULL));
	if (pair->change == XPF_RULE_CHANGED) {
		xpf_rule_changes_format(pair->what, what, sizeof(what));
		json_object_object_add(object, "changed", json_object_new_string(what));
	}
	return object;
}

static void print_json(const struct comparison *c)
{
	struct json_object *root = xpf_json_document(), *rules = json_object_new_array();
	struct json_object *settings = json_object_new_array();

	for (size_t i = 0; i < c->diff.count; i++)
		json_object_array_add(rules, pair_json(c, &c->diff.pairs[i]));
	for (size_t i = 0; i < c->policy_count; i++)
		json_object_array_add(settings, json_object_new_string(c->policies[i]));
	json_object_object_add(root, "interface", json_object_new_string(c->ifname));
	json_object_object_add(root, "site", json_object_new_string(c->site));
	json_object_object_add(root, "rules", rules);
	json_object_object_add(root, "settings", settings);
	json_object_object_add(root, "added", json_object_new_uint64(c->diff.added));
	json_object_object_add(root, "removed", json_object_new_uint64(c->diff.removed));
	json_object_object_add(root, "changed", json_object_new_uint64(c->diff.changed));
	json_object_object_add(root, "unchanged", json_object_new_uint64(c->diff.same));
	xpf_json_print(root);
}

/* Both sides read and compared: 0, or 2 with the reason said. */
static int compare(struct comparison *c)
{
	struct xpf_error error = {};
	struct xpf_filter filter;
	int err;

	if (xpf_config_load(c->site, &c->new, &error))
		return xpf_fail_as_is("%s", error.message), 2;
	if (xpf_check_privileges())
		return 2;
	err = xpf_filter_find(c->ifname, &filter);
	if (err)
		return report_filter_error(c->ifname, "diff", err), 2;
	if (xpf_filter_loaded_config(&filter, &c->old, &error))
		err = xpf_fail("%s", error.message);
	else if ((err = xpf_stats_read(&filter, &c->stats)))
		report_failure(c->ifname, "read counters", err);
	else if ((err = xpf_ruleset_diff(&c->old.ruleset, &c->new.ruleset, &c->diff)))
		report_failure(c->ifname, "diff", err);
	xpf_filter_close(&filter);
	if (err)
		return 2;
	compare_policies(c);
	return 0;
}

int cmd_diff(int argc, char **argv)
{
	static struct comparison c;	/* two rule sets' headers: kept off the stack */
	struct xpf_args args;
	int opt, status;

	xpf_args_start(&args, &xpf_verb_diff);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0)
		c.site = optarg;
	if (opt != XPF_ARGS_END)
		return opt == XPF_ARGS_HELP ? 0 : 2;
	c.ifname = argv[optind];
	status = compare(&c);
	if (!status) {
		if (xpf_json())
			print_json(&c);
		else
			print_text(&c);
		status = c.diff.added || c.diff.removed || c.diff.changed || c.policy_count;
	}
	xpf_rule_diff_free(&c.diff);
	xpf_stats_free(&c.stats);
	xpf_config_free(&c.old);
	xpf_config_free(&c.new);
	return status;
}
