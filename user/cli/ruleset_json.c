// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `xpf check -j`: the rule set exactly as compiled, every role resolved to its prefixes. */
#include "cli/ruleset_json.h"
#include "core/compile.h"
#include "core/names.h"

static const char *action_word(uint8_t action)
{
	return action == XPF_ACTION_DROP ? "drop" : "pass";
}

static struct json_object *prefixes_json(const struct xpf_prefix *prefixes, size_t count)
{
	struct json_object *list = json_object_new_array();
	char text[64];

	for (size_t i = 0; i < count; i++) {
		xpf_prefix_format(&prefixes[i], text, sizeof(text));
		json_object_array_add(list, json_object_new_string(text));
	}
	return list;
}

static struct json_object *policy_json(const struct xpf_policy *policy)
{
	struct json_object *object = json_object_new_object();

	json_object_object_add(object, "default",
			       json_object_new_string(action_word(policy->default_action)));
	json_object_object_add(object, "other",
			       json_object_new_string(action_word(policy->other_action)));
	json_object_object_add(object, "icmp",
			       json_object_new_string(action_word(policy->icmp_action)));
	json_object_object_add(object, "fragments",
			       json_object_new_string(policy->fragments == XPF_FRAGMENTS_DROP
							      ? "drop"
							      : "track"));
	return object;
}

static struct json_object *rule_json(size_t number, const struct xpf_rule *rule)
{
	struct json_object *object = json_object_new_object();

	json_object_object_add(object, "id", json_object_new_int64(number));
	json_object_object_add(object, "label", json_object_new_string(rule->row.label));
	json_object_object_add(object, "direction",
			       json_object_new_string(xpf_direction_name(rule->direction)));
	json_object_object_add(object, "action",
			       json_object_new_string(action_word(rule->row.action)));
	json_object_object_add(object, "proto",
			       json_object_new_string(xpf_protocols_name(rule->row.protocols)));
	json_object_object_add(object, "port", json_object_new_int(rule->row.port_first));
	json_object_object_add(object, "port_last", json_object_new_int(rule->row.port_last));
	json_object_object_add(object, "source", json_object_new_string(rule->row.source));
	json_object_object_add(object, "destination",
			       json_object_new_string(rule->row.destination));
	json_object_object_add(object, "sources",
			       prefixes_json(rule->sources, rule->source_count));
	/* Ingress: the local addresses the row covers; otherwise the destination's prefixes
	 * (the remotes a reply comes from). */
	if (rule->direction == XPF_DIRECTION_INGRESS)
		json_object_object_add(object, "destinations",
				       prefixes_json(rule->destinations, rule->destination_count));
	else
		json_object_object_add(object, "destinations",
				       prefixes_json(rule->reply_remotes,
						     rule->reply_remote_count));
	json_object_object_add(object, "file", json_object_new_string(rule->row.file));
	json_object_object_add(object, "line", json_object_new_int(rule->row.line));
	return object;
}

struct json_object *xpf_ruleset_json(const char *site, const struct xpf_loaded_config *config)
{
	const struct xpf_ruleset *ruleset = &config->ruleset;
	struct json_object *object = json_object_new_object();
	struct json_object *locals = json_object_new_array();
	struct json_object *rules = json_object_new_array();
	struct json_object *warnings = json_object_new_array();
	char text[64];

	json_object_object_add(object, "site", json_object_new_string(site));
	json_object_object_add(object, "table", json_object_new_string(config->table_name));
	json_object_object_add(object, "policy", policy_json(&ruleset->policy));
	for (size_t i = 0; i < ruleset->local_count; i++) {
		struct json_object *local = json_object_new_object();

		xpf_prefix_format(&ruleset->locals[i].addr, text, sizeof(text));
		json_object_object_add(local, "address", json_object_new_string(text));
		json_object_object_add(local, "role",
				       json_object_new_string(ruleset->locals[i].role));
		json_object_array_add(locals, local);
	}
	json_object_object_add(object, "locals", locals);
	for (size_t i = 0; i < ruleset->count; i++)
		json_object_array_add(rules, rule_json(i + 1, &ruleset->rules[i]));
	json_object_object_add(object, "rules", rules);
	for (size_t i = 0; i < ruleset->warning_count; i++)
		json_object_array_add(warnings, json_object_new_string(ruleset->warnings[i]));
	json_object_object_add(object, "warnings", warnings);
	return object;
}
