/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The host-independent text of a rule set's policy (policy_text.h). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>

#include "core/policy_text.h"

/* The text's version: a change of what it says is a new first line, so no two versions of xpf
 * give one digest to texts that mean different things. */
#define POLICY_TEXT_VERSION "xpf policy 1\n"

struct writer {
	xpf_policy_feed *feed;
	void *ctx;
};

static void say(const struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const struct writer *w, const char *fmt, ...)
{
	char line[XPF_LABEL_MAX + 3 * XPF_NAME_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		w->feed(w->ctx, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static void say_prefixes(const struct writer *w, const char *what,
			 const struct xpf_prefix *prefixes, size_t count)
{
	char text[INET6_ADDRSTRLEN + 4];

	say(w, "%s", what);
	for (size_t i = 0; i < count; i++) {
		xpf_prefix_format(&prefixes[i], text, sizeof(text));
		say(w, " %s", text);
	}
	say(w, "\n");
}

static const struct xpf_role *role_named(const struct xpf_site *site, const char *name)
{
	for (size_t i = 0; i < site->role_count; i++)
		if (xpf_role_name_equal(site->roles[i].name, name))
			return &site->roles[i];
	return NULL;
}

/* A destination as the site defines it: a role's every prefix, Any, or a literal. */
static void say_destination(const struct writer *w, const struct xpf_site *site,
			    const struct xpf_rule *rule)
{
	const struct xpf_role *role = role_named(site, rule->row.destination);
	struct xpf_prefix literal;
	const char *problem;

	if (role)
		say_prefixes(w, "  to", role->prefixes, role->count);
	else if (!xpf_prefix_parse(rule->row.destination, &literal, &problem))
		say_prefixes(w, "  to", &literal, 1);
	else
		say(w, "  to %s\n", rule->row.destination);	/* Any */
}

static void say_locals(const struct writer *w, const struct xpf_site *site,
		       const struct xpf_ruleset *ruleset)
{
	/* `local auto`: the host's own addresses are not the policy's, the protected ones are. */
	say(w, site->local_auto ? "local auto\nprotect" : "local");
	for (size_t i = 0; i < ruleset->local_count; i++) {
		char text[INET6_ADDRSTRLEN + 4];

		if (site->local_auto && !ruleset->locals[i].protect)
			continue;

		xpf_prefix_format(&ruleset->locals[i].addr, text, sizeof(text));
		say(w, " %s", text);
	}
	say(w, "\n");
}

void xpf_policy_text(const struct xpf_site *site, const struct xpf_ruleset *ruleset,
		     xpf_policy_feed *feed, void *ctx)
{
	const struct xpf_policy *policy = &ruleset->policy;
	const struct writer w = { feed, ctx };

	say(&w, POLICY_TEXT_VERSION);
	say(&w, "policy default %u other %u icmp %u fragments %u\n", policy->default_action,
	    policy->other_action, policy->icmp_action, policy->fragments);
	say(&w, "timeout tcp %u udp %u\nlog rate %u\n", policy->tcp_timeout_s,
	    policy->udp_timeout_s, policy->log_rate);
	say_locals(&w, site, ruleset);
	for (size_t i = 0; i < ruleset->count; i++) {
		const struct xpf_rule *rule = &ruleset->rules[i];

		say(&w, "rule %u %u %u-%u %s | %s | %s\n", rule->row.action, rule->row.protocols,
		    rule->row.port_first, rule->row.port_last, rule->row.label, rule->row.source,
		    rule->row.destination);
		say_prefixes(&w, "  from", rule->sources, rule->source_count);
		say_destination(&w, site, rule);
	}
}
