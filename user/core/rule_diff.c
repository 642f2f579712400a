// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rule_diff.h"

static bool same_subject(const struct xpf_rule *a, const struct xpf_rule *b)
{
	return a->direction == b->direction && a->row.protocols == b->row.protocols &&
	       a->row.port_first == b->row.port_first && a->row.port_last == b->row.port_last &&
	       !strcmp(a->row.source, b->row.source) &&
	       !strcmp(a->row.destination, b->row.destination);
}

static bool same_prefixes(const struct xpf_prefix *a, size_t a_count, const struct xpf_prefix *b,
			  size_t b_count)
{
	return a_count == b_count && (!a_count || !memcmp(a, b, a_count * sizeof(*a)));
}

static unsigned int changes(const struct xpf_rule *a, const struct xpf_rule *b)
{
	unsigned int what = 0;

	if (a->row.action != b->row.action)
		what |= XPF_CHANGED_ACTION;
	if (strcmp(a->row.label, b->row.label))
		what |= XPF_CHANGED_LABEL;
	if (!same_prefixes(a->sources, a->source_count, b->sources, b->source_count) ||
	    !same_prefixes(a->reply_remotes, a->reply_remote_count, b->reply_remotes,
			   b->reply_remote_count))
		what |= XPF_CHANGED_SOURCES;
	if (!same_prefixes(a->destinations, a->destination_count, b->destinations,
			   b->destination_count) ||
	    !same_prefixes(a->reply_locals, a->reply_local_count, b->reply_locals,
			   b->reply_local_count))
		what |= XPF_CHANGED_DESTINATIONS;
	return what;
}

/* The first new rule about the same as @rule not yet taken. */
static ssize_t partner(const struct xpf_ruleset *new, const bool *taken,
		       const struct xpf_rule *rule)
{
	for (size_t i = 0; i < new->count; i++)
		if (!taken[i] && same_subject(&new->rules[i], rule))
			return (ssize_t)i;
	return -1;
}

static void pair_old(const struct xpf_ruleset *old, const struct xpf_ruleset *new, bool *taken,
		     struct xpf_rule_diff *out)
{
	for (size_t i = 0; i < old->count; i++) {
		struct xpf_rule_pair *pair = &out->pairs[out->count++];
		ssize_t j = partner(new, taken, &old->rules[i]);

		pair->old_index = i;
		if (j < 0) {
			pair->change = XPF_RULE_REMOVED;
			out->removed++;
			continue;
		}
		taken[j] = true;
		pair->new_index = (size_t)j;
		pair->what = changes(&old->rules[i], &new->rules[j]);
		pair->change = pair->what ? XPF_RULE_CHANGED : XPF_RULE_SAME;
		out->changed += pair->what != 0;
		out->same += pair->what == 0;
	}
}

int xpf_ruleset_diff(const struct xpf_ruleset *old, const struct xpf_ruleset *new,
		     struct xpf_rule_diff *out)
{
	bool *taken = calloc(new->count ?: 1, sizeof(*taken));

	memset(out, 0, sizeof(*out));
	out->pairs = calloc(old->count + new->count + 1, sizeof(*out->pairs));
	if (!taken || !out->pairs) {
		free(taken);
		xpf_rule_diff_free(out);
		return -ENOMEM;
	}
	pair_old(old, new, taken, out);
	for (size_t j = 0; j < new->count; j++) {
		if (taken[j])
			continue;
		out->pairs[out->count].change = XPF_RULE_ADDED;
		out->pairs[out->count++].new_index = j;
		out->added++;
	}
	free(taken);
	return 0;
}

void xpf_rule_diff_free(struct xpf_rule_diff *diff)
{
	free(diff->pairs);
	memset(diff, 0, sizeof(*diff));
}

void xpf_rule_format(const struct xpf_rule *rule, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s | %s | %s", rule->row.action == XPF_ACTION_DROP ? "deny" : "allow",
		 rule->row.label, rule->row.source, rule->row.destination);
}

void xpf_rule_changes_format(unsigned int what, char *buf, size_t size)
{
	static const char *const names[] = { "action", "label", "source addresses",
					     "destination addresses" };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (what & (1u << i) && used < size)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
						 names[i]);
}
