// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `xpf check -j`: the rule set exactly as compiled, every role resolved to its prefixes. */
#include "cli/ruleset_json.h"
#include "core/compile.h"
#include "core/names.h"

static const char *action_word(uint8_t action)
{
	return action == XPF_ACTION_DROP ? "deny" : "allow";
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

/* The tables a rule comes from, its own row's first. */
static struct json_object *origins_json(const struct xpf_ruleset *ruleset, size_t index)
{
	struct json_object *list = json_object_new_array();
	uint8_t origins[XPF_MAX_ORIGINS];
	int lines[XPF_MAX_ORIGINS];
	size_t count = xpf_rule_origins(ruleset, index, origins, lines, XPF_MAX_ORIGINS);

	for (size_t i = 0; i < count && i < XPF_MAX_ORIGINS; i++) {
		const struct xpf_origin *origin = &ruleset->origins[origins[i] - 1];
		struct json_object *object = json_object_new_object();

		json_object_object_add(object, "table", json_object_new_string(origin->table));
		json_object_object_add(object, "caption", json_object_new_string(origin->caption));
		json_object_object_add(object, "line", json_object_new_int(lines[i]));
		json_object_array_add(list, object);
	}
	return list;
}

static struct json_object *gaps_json(const struct xpf_gaps *gaps)
{
	static const char *const kinds[] = { "role", "part", "narrowing", "local" };
	struct json_object *list = json_object_new_array();

	for (size_t i = 0; gaps && i < gaps->count; i++) {
		const struct xpf_gap *gap = &gaps->gaps[i];
		struct json_object *object = json_object_new_object();

		json_object_object_add(object, "kind", json_object_new_string(kinds[gap->kind]));
		json_object_object_add(object, "name", json_object_new_string(gap->name));
		json_object_object_add(object, "file", json_object_new_string(gap->file));
		json_object_object_add(object, "line", json_object_new_int(gap->line));
		if (gap->kind != XPF_GAP_LOCAL)
			json_object_object_add(object, "rows", json_object_new_int64((int64_t)gap->rows));
		json_object_array_add(list, object);
	}
	return list;
}

static struct json_object *rule_json(const struct xpf_ruleset *ruleset, size_t index)
{
	const struct xpf_rule *rule = &ruleset->rules[index];
	size_t number = index + 1;
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
	json_object_object_add(object, "origins", origins_json(ruleset, index));
	return object;
}

struct json_object *xpf_ruleset_json(const char *site, const struct xpf_loaded_config *config,
				     const struct xpf_gaps *gaps)
{
	const struct xpf_ruleset *ruleset = &config->ruleset;
	struct json_object *object = json_object_new_object();
	struct json_object *locals = json_object_new_array();
	struct json_object *rules = json_object_new_array();
	struct json_object *warnings = json_object_new_array();
	struct json_object *tables = json_object_new_array();
	char text[64];

	json_object_object_add(object, "site", json_object_new_string(site));
	json_object_object_add(object, "table", json_object_new_string(config->table_name));
	for (size_t i = 0; i < ruleset->origin_count; i++) {
		struct json_object *table = json_object_new_object();

		json_object_object_add(table, "table",
				       json_object_new_string(ruleset->origins[i].table));
		json_object_object_add(table, "caption",
				       json_object_new_string(ruleset->origins[i].caption));
		json_object_array_add(tables, table);
	}
	json_object_object_add(object, "tables", tables);
	json_object_object_add(object, "policy", policy_json(&ruleset->policy));
	for (size_t i = 0; i < ruleset->local_count; i++) {
		struct json_object *local = json_object_new_object();

		xpf_prefix_format(&ruleset->locals[i].addr, text, sizeof(text));
		json_object_object_add(local, "address", json_object_new_string(text));
		json_object_object_add(local, "role",
				       json_object_new_string(ruleset->locals[i].role));
		json_object_object_add(local, "directive",
				       json_object_new_string(ruleset->locals[i].protect ?
							      "protect" : "local"));
		json_object_array_add(locals, local);
	}
	json_object_object_add(object, "locals", locals);
	for (size_t i = 0; i < ruleset->count; i++)
		json_object_array_add(rules, rule_json(ruleset, i));
	json_object_object_add(object, "rules", rules);
	for (size_t i = 0; i < ruleset->warning_count; i++)
		json_object_array_add(warnings, json_object_new_string(ruleset->warnings[i]));
	json_object_object_add(object, "warnings", warnings);
	json_object_object_add(object, "gaps", gaps_json(gaps));
	return object;
}
