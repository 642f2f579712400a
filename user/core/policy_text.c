/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The host-independent text of a rule set's policy (policy_text.h). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/policy_text.h"

/* The text's version: a change of what it says is a new first line, so no two versions of xpf
 * give one digest to texts that mean different things. */
#define POLICY_TEXT_VERSION "xpf policy 1\n"

/* The text is fed in pieces of POLICY_CHUNK bytes, not a line at a time: a rule set of
 * 100,000 rules is some 15 MB of it, and the digest's SHA-256 then takes few large updates. */
#define POLICY_CHUNK 16384

/* A line said with say() is cut to this, as it always was (the digest of a text depends on
 * it); no rule of a site file or table comes near it. */
#define LINE_MAX_SAID (XPF_LABEL_MAX + 3 * XPF_NAME_MAX)

/* A role's prefixes as a destination, said once for every rule that names it. */
struct role_text {
	char *text;		/* NULL: not said yet */
	size_t len;
};

struct writer {
	xpf_policy_feed *feed;
	void *ctx;
	size_t used;
	const char *last_destination;	/* the destination role of the rule before, */
	long last_role;			/* ... and the role it names, by index (-1: none) */
	struct role_text *role_texts;	/* by role index; NULL: each said anew */
	char chunk[POLICY_CHUNK];
};

static void flush(struct writer *w)
{
	if (w->used)
		w->feed(w->ctx, w->chunk, w->used);
	w->used = 0;
}

static void put(struct writer *w, const char *text, size_t len)
{
	if (len > sizeof(w->chunk) - w->used) {
		flush(w);
		if (len > sizeof(w->chunk)) {
			w->feed(w->ctx, text, len);
			return;
		}
	}
	memcpy(w->chunk + w->used, text, len);
	w->used += len;
}

static void say(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct writer *w, const char *fmt, ...)
{
	char line[LINE_MAX_SAID];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(w, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The most one prefix of say_prefixes() takes: a blank, an address, "/128" and a '\0'. */
#define PREFIX_SAID_MAX (1 + INET6_ADDRSTRLEN + 5)

/* " ADDRESS/LENGTH" of a prefix into @text: its length. */
static size_t prefix_said(const struct xpf_prefix *prefix, char text[PREFIX_SAID_MAX])
{
	text[0] = ' ';
	xpf_prefix_format(prefix, text + 1, PREFIX_SAID_MAX - 1);
	return strlen(text);
}

static void say_prefixes(struct writer *w, const char *what, const struct xpf_prefix *prefixes,
			 size_t count)
{
	char text[PREFIX_SAID_MAX];

	put(w, what, strlen(what));
	for (size_t i = 0; i < count; i++)
		put(w, text, prefix_said(&prefixes[i], text));
	put(w, "\n", 1);
}

static long role_named(const struct xpf_site *site, const char *name)
{
	for (size_t i = 0; i < site->role_count; i++)
		if (xpf_role_name_equal(site->roles[i].name, name))
			return (long)i;
	return -1;
}

/* A role as a destination, as say_prefixes() says it: formatted for the role's first rule and
 * copied for the others (100,000 rules to two roles: two thirds of the prefixes the text
 * formats). Said anew where there is no memory to keep it. */
static void say_role(struct writer *w, const struct xpf_site *site, size_t index)
{
	static const char what[] = "  to";
	const struct xpf_role *role = &site->roles[index];
	struct role_text *said = w->role_texts ? &w->role_texts[index] : NULL;

	if (said && !said->text) {
		said->text = malloc(sizeof(what) + role->count * PREFIX_SAID_MAX + 1);
		if (said->text) {
			memcpy(said->text, what, sizeof(what) - 1);
			said->len = sizeof(what) - 1;
			for (size_t i = 0; i < role->count; i++)
				said->len += prefix_said(&role->prefixes[i], said->text + said->len);
			said->text[said->len++] = '\n';
		}
	}
	if (said && said->text)
		put(w, said->text, said->len);
	else
		say_prefixes(w, what, role->prefixes, role->count);
}

/* A destination as the site defines it: a role's every prefix, Any, or a literal. Rules of
 * one destination come together: its role is looked up once for them. */
static void say_destination(struct writer *w, const struct xpf_site *site,
			    const struct xpf_rule *rule)
{
	struct xpf_prefix literal;
	const char *problem;

	if (!w->last_destination || strcmp(w->last_destination, rule->row.destination)) {
		w->last_role = role_named(site, rule->row.destination);
		w->last_destination = rule->row.destination;
	}
	if (w->last_role >= 0)
		say_role(w, site, (size_t)w->last_role);
	else if (!xpf_prefix_parse(rule->row.destination, &literal, &problem))
		say_prefixes(w, "  to", &literal, 1);
	else
		say(w, "  to %s\n", rule->row.destination);	/* Any */
}

static void say_locals(struct writer *w, const struct xpf_site *site,
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

/* A line say() would say, put together a part at a time: cut where say() cuts it. */
struct said_line {
	char text[LINE_MAX_SAID];
	size_t len;
};

static void line_add(struct said_line *line, const char *text)
{
	size_t n = strnlen(text, sizeof(line->text) - 1 - line->len);

	memcpy(line->text + line->len, text, n);
	line->len += n;
}

/* "rule ACTION PROTOCOLS FIRST-LAST LABEL | SOURCE | DESTINATION", then its prefixes. The
 * numbers are formatted, the names copied (a format of them took a third of the text's time). */
static void say_rule(struct writer *w, const struct xpf_site *site, const struct xpf_rule *rule)
{
	struct said_line line;
	int n = snprintf(line.text, sizeof(line.text), "rule %u %u %u-%u ", rule->row.action,
			 rule->row.protocols, rule->row.port_first, rule->row.port_last);

	line.len = n < 0 ? 0 : (size_t)n;
	line_add(&line, rule->row.label);
	line_add(&line, " | ");
	line_add(&line, rule->row.source);
	line_add(&line, " | ");
	line_add(&line, rule->row.destination);
	line_add(&line, "\n");
	put(w, line.text, line.len);
	say_prefixes(w, "  from", rule->sources, rule->source_count);
	say_destination(w, site, rule);
}

void xpf_policy_text(const struct xpf_site *site, const struct xpf_ruleset *ruleset,
		     xpf_policy_feed *feed, void *ctx)
{
	const struct xpf_policy *policy = &ruleset->policy;
	struct writer writer = { .feed = feed, .ctx = ctx }, *w = &writer;

	w->role_texts = calloc(site->role_count ?: 1, sizeof(*w->role_texts));
	say(w, POLICY_TEXT_VERSION);
	say(w, "policy default %u other %u icmp %u fragments %u\n", policy->default_action,
	    policy->other_action, policy->icmp_action, policy->fragments);
	say(w, "timeout tcp %u udp %u\nlog rate %u\n", policy->tcp_timeout_s,
	    policy->udp_timeout_s, policy->log_rate);
	say_locals(w, site, ruleset);
	for (size_t i = 0; i < ruleset->count; i++)
		say_rule(w, site, &ruleset->rules[i]);
	flush(w);
	for (size_t i = 0; w->role_texts && i < site->role_count; i++)
		free(w->role_texts[i].text);
	free(w->role_texts);
}
