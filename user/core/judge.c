// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>

#include "core/judge.h"

static bool is_local(const struct xpf_ruleset *ruleset, const struct xpf_prefix *address)
{
	for (size_t i = 0; i < ruleset->local_count; i++)
		if (xpf_prefix_contains(&ruleset->locals[i].addr, address))
			return true;
	return false;
}

static bool any_contains(const struct xpf_prefix *prefixes, size_t count,
			 const struct xpf_prefix *address, int *longest)
{
	*longest = -1;
	for (size_t i = 0; i < count; i++)
		if (xpf_prefix_contains(&prefixes[i], address) && prefixes[i].len > *longest)
			*longest = prefixes[i].len;
	return *longest >= 0;
}

void xpf_ruleset_judge(const struct xpf_ruleset *ruleset, uint8_t protocol,
		       const struct xpf_prefix *source, const struct xpf_prefix *destination,
		       uint16_t dest_port, struct xpf_judgement *out)
{
	int best = -1, length, unused;

	memset(out, 0, sizeof(*out));
	if (!is_local(ruleset, destination)) {
		out->by = XPF_JUDGED_BY_OTHER;
		out->action = ruleset->policy.other_action;
		return;
	}
	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_rule *rule = &ruleset->rules[i];

		if (rule->direction != XPF_DIRECTION_INGRESS || !(rule->row.protocols & protocol) ||
		    dest_port < rule->row.port_first || dest_port > rule->row.port_last ||
		    !any_contains(rule->destinations, rule->destination_count, destination,
				  &unused) ||
		    !any_contains(rule->sources, rule->source_count, source, &length))
			continue;
		/* Longest source prefix first; on a tie the earlier row, found first. */
		if (length > best) {
			best = length;
			out->rule = i;
		}
	}
	out->by = best >= 0 ? XPF_JUDGED_BY_RULE : XPF_JUDGED_BY_DEFAULT;
	out->action = best >= 0 ? ruleset->rules[out->rule].row.action
				: ruleset->policy.default_action;
}
