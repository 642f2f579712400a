/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: two rule sets compared (user/core/rule_diff.c) and allow rows suggested from the
 * denied record (user/core/suggest.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <string.h>

#include "core/config.h"
#include "core/rule_diff.h"
#include "core/suggest.h"

struct rules {
	struct xpf_site site;
	struct xpf_table table;
	struct xpf_ruleset ruleset;
};

static void build(const char *text, struct rules *rules)
{
	struct xpf_error err = { { 0 } };

	memset(rules, 0, sizeof(*rules));
	if (xpf_site_parse(text, "site.conf", &rules->site, &err) ||
	    xpf_ruleset_build(&rules->site, &rules->table, &rules->ruleset, &err))
		fail_msg("unexpected error: %s", err.message);
}

static void release(struct rules *rules)
{
	xpf_ruleset_free(&rules->ruleset);
	xpf_site_free(&rules->site);
}

#define ROLES                                                                                     \
	"local Director, VIP\n"                                                                   \
	"role Director = 192.0.2.101\n"                                                           \
	"role VIP = 192.0.2.100\n"                                                                \
	"role Clients = 198.51.100.0/24\n"

static void diff_of(const char *old_text, const char *new_text, struct xpf_rule_diff *diff,
		    struct rules *old, struct rules *new)
{
	build(old_text, old);
	build(new_text, new);
	assert_int_equal(xpf_ruleset_diff(&old->ruleset, &new->ruleset, diff), 0);
}

static void same_rules_make_no_difference(void **state)
{
	struct rules old, new;
	struct xpf_rule_diff diff;

	(void)state;
	diff_of(ROLES "allow TCP 22 | Clients | Director\n",
		"allow   TCP 22|Clients|Director | another note\n" ROLES, &diff, &old, &new);
	assert_int_equal(diff.same, 1);
	assert_int_equal(diff.added + diff.removed + diff.changed, 0);
	xpf_rule_diff_free(&diff);
	release(&old);
	release(&new);
}

static void added_removed_and_changed_rules_are_told_apart(void **state)
{
	struct rules old, new;
	struct xpf_rule_diff diff;
	char what[128];

	(void)state;
	diff_of(ROLES "allow TCP 22 | Clients | Director\n"
		      "deny TCP 443 | 198.51.100.66 | VIP\n"
		      "allow UDP 53 | Clients | Director\n",
		ROLES "allow TCP 22 | Clients | Director\n"
		      "allow TCP 443 | 198.51.100.66 | VIP\n"
		      "allow TCP 8443 | Any | Director\n",
		&diff, &old, &new);
	assert_int_equal(diff.same, 1);
	assert_int_equal(diff.changed, 1);
	assert_int_equal(diff.removed, 1);
	assert_int_equal(diff.added, 1);
	assert_int_equal(diff.pairs[1].change, XPF_RULE_CHANGED);
	assert_int_equal(diff.pairs[1].what, XPF_CHANGED_ACTION);
	assert_int_equal(diff.pairs[2].change, XPF_RULE_REMOVED);
	assert_int_equal(diff.pairs[2].old_index, 2);
	assert_int_equal(diff.pairs[3].change, XPF_RULE_ADDED);
	assert_int_equal(diff.pairs[3].new_index, 2);
	xpf_rule_changes_format(diff.pairs[1].what, what, sizeof(what));
	assert_string_equal(what, "action");
	xpf_rule_diff_free(&diff);
	release(&old);
	release(&new);
}

static void role_addresses_changed_are_a_change(void **state)
{
	struct rules old, new;
	struct xpf_rule_diff diff;
	char what[128];

	(void)state;
	diff_of(ROLES "allow TCP 22 | Clients | Director\n",
		"local Director, VIP\nrole Director = 192.0.2.101\nrole VIP = 192.0.2.100\n"
		"role Clients = 198.51.100.0/25\nallow SSH/TCP 22 | Clients | Director\n",
		&diff, &old, &new);
	assert_int_equal(diff.changed, 1);
	xpf_rule_changes_format(diff.pairs[0].what, what, sizeof(what));
	assert_string_equal(what, "label, source addresses");
	xpf_rule_diff_free(&diff);
	release(&old);
	release(&new);
}

static struct xpf_denied_flow flow(const char *source, const char *destination, uint8_t protocol,
				   uint16_t port, uint64_t packets)
{
	struct xpf_denied_flow f = { .protocol = protocol, .port = port, .packets = packets,
				     .bytes = packets * 60 };
	const char *problem;

	assert_int_equal(xpf_prefix_parse(source, &f.source, &problem), 0);
	assert_int_equal(xpf_prefix_parse(destination, &f.destination, &problem), 0);
	return f;
}

static void suggestions_group_by_role_and_sort_by_packets(void **state)
{
	struct xpf_suggestions found;
	struct rules rules;
	char row[256];
	struct xpf_denied_flow flows[] = {
		flow("203.0.113.0/24", "192.0.2.101", IPPROTO_TCP, 3389, 40),
		flow("198.51.100.0/24", "192.0.2.100", IPPROTO_UDP, 5070, 25),
		flow("198.51.100.0/24", "192.0.2.100", IPPROTO_UDP, 5070, 30),
		flow("203.0.113.0/24", "192.0.2.101", IPPROTO_ICMP, 0, 9),
		flow("203.0.113.0/24", "192.0.2.7", IPPROTO_TCP, 80, 4),
		flow("198.51.100.0/24", "192.0.2.100", IPPROTO_TCP, 443, 7),
		flow("198.51.100.0/24", "192.0.2.101", IPPROTO_TCP, 22, 3),
	};

	(void)state;
	build(ROLES "deny TCP 443 | 198.51.100.66 | VIP\nallow TCP 443 | Clients | VIP\n"
		    "deny TCP 22 | Any | Director\n", &rules);
	assert_int_equal(xpf_suggest(&rules.site, &rules.ruleset, flows,
				     sizeof(flows) / sizeof(flows[0]), &found), 0);
	assert_int_equal(found.count, 2);
	xpf_suggestion_row(&found.rows[0], row, sizeof(row));
	assert_string_equal(row, "allow UDP 5070 | 198.51.100.0/24 | VIP");
	assert_int_equal(found.rows[0].packets, 55);
	assert_int_equal(found.rows[0].bytes, 55 * 60);
	xpf_suggestion_row(&found.rows[1], row, sizeof(row));
	assert_string_equal(row, "allow TCP 3389 | 203.0.113.0/24 | Director");
	assert_int_equal(found.rows[1].packets, 40);
	assert_int_equal(found.unadmittable, 9 + 4);
	assert_int_equal(found.denied_by_rows, 7 + 3);
	xpf_suggestions_free(&found);
	release(&rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_rules_make_no_difference),
		cmocka_unit_test(added_removed_and_changed_rules_are_told_apart),
		cmocka_unit_test(role_addresses_changed_are_a_change),
		cmocka_unit_test(suggestions_group_by_role_and_sort_by_packets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
