/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: site + table → rule list (user/core/ruleset.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/config.h"
#include <xpf/maps.h>

#include "site_text.h"

#define TABLE_HEADER "Protocol | Source | Destination | Notes |\n---|---|---|---|\n"

static void build_fails(const char *site_text, const char *table_text, const char *message)
{
	static const struct xpf_ruleset empty;
	struct xpf_error err = { { 0 } };
	struct xpf_ruleset rs;
	struct xpf_table table;
	struct xpf_site site;

	parse_inputs(site_text, table_text, &site, &table);
	memset(&rs, 0xab, sizeof(rs));
	assert_int_equal(xpf_ruleset_build(&site, &table, &rs, &err), -EINVAL);
	assert_string_equal(err.message, message);
	assert_memory_equal(&rs, &empty, sizeof(rs));
	xpf_table_free(&table);
	xpf_site_free(&site);
}

static const char *text_of(const struct xpf_prefix *prefix)
{
	static char buf[INET6_ADDRSTRLEN + 4];

	xpf_prefix_format(prefix, buf, sizeof(buf));
	return buf;
}

#define SITE "local Director\nrole Director = 192.0.2.101, 2001:db8::101\n" \
	     "role Clients = 10.0.0.0/8\nrole Edge = 192.0.2.50\n"

static void site_rows_come_before_table_rows(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | Clients | Director\n",
		 TABLE_HEADER "TCP 80 | Clients | Director | n |\n", &rs);
	assert_int_equal(rs.count, 2);
	assert_int_equal(rs.rules[0].row.port_first, 22);
	assert_string_equal(rs.rules[0].row.file, "site.conf");
	assert_int_equal(rs.rules[1].row.port_first, 80);
	assert_string_equal(rs.rules[1].row.file, "t.txt");
	xpf_ruleset_free(&rs);
}

static void table_names_match_roles_loosely(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE, TABLE_HEADER "TCP 80 | clients | DIRECTOR | n |\n", &rs);
	assert_string_equal(rs.rules[0].row.source, "Clients");
	assert_string_equal(rs.rules[0].row.destination, "Director");
	xpf_ruleset_free(&rs);
}

static void any_is_both_families(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | any | Director\n", NULL, &rs);
	assert_string_equal(rs.rules[0].row.source, "Any");
	assert_int_equal(rs.rules[0].source_count, 2);
	assert_string_equal(text_of(&rs.rules[0].sources[0]), "0.0.0.0/0");
	assert_string_equal(text_of(&rs.rules[0].sources[1]), "::/0");
	xpf_ruleset_free(&rs);
}

static void literal_source_keeps_its_text(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "deny TCP 22 | 198.51.100.7/24 | Director\n", NULL, &rs);
	assert_string_equal(rs.rules[0].row.source, "198.51.100.7/24");
	assert_int_equal(rs.rules[0].source_count, 1);
	assert_string_equal(text_of(&rs.rules[0].sources[0]), "198.51.100.0/24");
	assert_int_equal(rs.rules[0].row.action, XPF_ACTION_DROP);
	xpf_ruleset_free(&rs);
}

static void role_source_has_role_prefixes(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | Clients | Director\n", NULL, &rs);
	assert_int_equal(rs.rules[0].source_count, 1);
	assert_string_equal(text_of(&rs.rules[0].sources[0]), "10.0.0.0/8");
	xpf_ruleset_free(&rs);
}

/* Rows naming the same role share its arrays, each with the role's own prefixes and hosts;
 * a literal has its own. */
static void rows_naming_one_role_share_its_arrays(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | Clients | Director\n"
		      "allow TCP 3389 | Edge | Director\n"
		      "allow TCP 443 | Clients | 192.0.2.101\n"
		      "allow TCP 80 | Director | Edge\n"
		      "allow TCP 8080 | Director | Edge\n", NULL, &rs);
	assert_int_equal(rs.count, 5);
	assert_ptr_equal(rs.rules[0].sources, rs.rules[2].sources);
	assert_ptr_not_equal(rs.rules[0].sources, rs.rules[1].sources);
	assert_string_equal(text_of(&rs.rules[1].sources[0]), "192.0.2.50");
	assert_ptr_equal(rs.rules[0].destinations, rs.rules[1].destinations);
	assert_int_equal(rs.rules[1].destination_count, 2);
	assert_string_equal(text_of(&rs.rules[1].destinations[1]), "2001:db8::101");
	/* The literal: the one local inside it, in an array of its own. */
	assert_ptr_not_equal(rs.rules[2].destinations, rs.rules[0].destinations);
	assert_int_equal(rs.rules[2].destination_count, 1);
	assert_string_equal(text_of(&rs.rules[2].destinations[0]), "192.0.2.101");
	assert_string_equal(rs.rules[2].row.destination, "192.0.2.101");
	/* Outbound: the local role's hosts are the ingress rows' destinations. */
	assert_ptr_equal(rs.rules[3].reply_locals, rs.rules[0].destinations);
	assert_ptr_equal(rs.rules[3].reply_remotes, rs.rules[4].reply_remotes);
	assert_string_equal(text_of(&rs.rules[4].reply_remotes[0]), "192.0.2.50");
	xpf_ruleset_free(&rs);
}

static void equal_labels_are_kept_once(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow HTTPS/TCP 443 | Clients | Director\n",
		 TABLE_HEADER "HTTPS/TCP 443 | Edge | Director | n |\n"
			      "HTTPS/TCP  443 | Clients | Director | n |\n", &rs);
	assert_int_equal(rs.count, 3);
	assert_string_equal(rs.rules[0].row.label, "HTTPS/TCP 443");
	assert_ptr_equal(rs.rules[0].row.label, rs.rules[1].row.label);
	assert_ptr_equal(rs.rules[1].row.label, rs.rules[2].row.label);
	xpf_ruleset_free(&rs);
}

static void destination_local_role_is_ingress(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | Clients | Director\n", NULL, &rs);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_INGRESS);
	assert_int_equal(rs.rules[0].destination_count, 2);
	assert_string_equal(text_of(&rs.rules[0].destinations[0]), "192.0.2.101");
	assert_string_equal(text_of(&rs.rules[0].destinations[1]), "2001:db8::101");
	assert_int_equal(rs.warning_count, 0);
	xpf_ruleset_free(&rs);
}

static void literal_destination_covering_a_local_is_ingress(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | Clients | 192.0.2.0/24\n", NULL, &rs);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_INGRESS);
	/* Only the local addresses inside it: not 2001:db8::101. */
	assert_int_equal(rs.rules[0].destination_count, 1);
	assert_string_equal(text_of(&rs.rules[0].destinations[0]), "192.0.2.101");
	xpf_ruleset_free(&rs);
}

static void any_destination_is_ingress_to_every_local(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | Clients | Any\n", NULL, &rs);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_INGRESS);
	assert_int_equal(rs.rules[0].destination_count, 2);
	xpf_ruleset_free(&rs);
}

static void local_source_to_any_is_outbound(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 443 | Director | Any\n", NULL, &rs);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_OUTBOUND);
	xpf_ruleset_free(&rs);
}

static void local_source_is_outbound_with_warning(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE, TABLE_HEADER "\nTCP 5061 | Director | Edge | n |\n", &rs);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_OUTBOUND);
	assert_int_equal(rs.rules[0].destination_count, 0);
	/* Its replies come from Edge to the Director's addresses. */
	assert_int_equal(rs.rules[0].reply_local_count, 2);
	assert_int_equal(rs.rules[0].reply_remote_count, 1);
	assert_int_equal(rs.warning_count, 1);
	assert_string_equal(rs.warnings[0],
			    "t.txt:4: outbound row (source Director is this host): replies to the "
			    "flows it opens are admitted by flow tracking and counted on it");
	xpf_ruleset_free(&rs);
}

static void row_for_other_hosts_is_ignored_with_warning(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 5061 | Clients | Edge\n", NULL, &rs);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_NOT_FOR_HOST);
	assert_int_equal(rs.warning_count, 1);
	assert_string_equal(rs.warnings[0],
			    "site.conf:5: not for this host: neither Clients nor Edge is a local "
			    "role; ignored");
	xpf_ruleset_free(&rs);
}

static void source_of_the_other_family_only_warns(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok("local Director\nrole Director = 192.0.2.101\nrole V6 = 2001:db8::/32\n"
		 "allow TCP 22 | V6 | Director\n", NULL, &rs);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_INGRESS);
	assert_int_equal(rs.warning_count, 1);
	assert_string_equal(rs.warnings[0],
			    "site.conf:4: no source of V6 has the address family of a Director "
			    "address: the row never matches");
	xpf_ruleset_free(&rs);
}

static void local_addresses_come_from_local_roles(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE, NULL, &rs);
	assert_int_equal(rs.local_count, 2);
	assert_string_equal(text_of(&rs.locals[0].addr), "192.0.2.101");
	assert_string_equal(text_of(&rs.locals[1].addr), "2001:db8::101");
	assert_string_equal(rs.locals[0].role, "Director");
	xpf_ruleset_free(&rs);
}

static void local_prefix_of_256_addresses_expands(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok("local Pool\nrole Pool = 10.9.8.0/24\n", NULL, &rs);
	assert_int_equal(rs.local_count, 256);
	assert_string_equal(text_of(&rs.locals[0].addr), "10.9.8.0");
	assert_string_equal(text_of(&rs.locals[255].addr), "10.9.8.255");
	xpf_ruleset_free(&rs);
}

static void local_addresses_are_deduplicated_first_role_wins(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok("local VIP, Pool\nrole Pool = 10.0.0.0/30\nrole VIP = 10.0.0.2\n", NULL, &rs);
	assert_int_equal(rs.local_count, 4);
	assert_string_equal(text_of(&rs.locals[0].addr), "10.0.0.2");
	assert_string_equal(rs.locals[0].role, "VIP");
	assert_string_equal(rs.locals[1].role, "Pool");
	xpf_ruleset_free(&rs);
}

/* `protect` roles are enforced as local ones, after them, and say that they are behind the
 * interface; their outbound rows say so too. */
static void protected_addresses_follow_local_ones(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok("protect Pool\nlocal Router\nrole Pool = 192.0.2.100, 192.0.2.101\n"
		 "role Router = 203.0.113.1\nrole Front End = 192.0.2.20\n"
		 "allow TCP 443 | Any | Pool\nallow TCP 444 | Pool | Front End\n", NULL, &rs);
	assert_int_equal(rs.local_count, 3);
	assert_string_equal(text_of(&rs.locals[0].addr), "203.0.113.1");
	assert_false(rs.locals[0].protect);
	assert_string_equal(text_of(&rs.locals[1].addr), "192.0.2.100");
	assert_string_equal(rs.locals[1].role, "Pool");
	assert_true(rs.locals[1].protect);
	assert_true(rs.locals[2].protect);
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_INGRESS);
	assert_int_equal(rs.rules[0].destination_count, 2);
	assert_int_equal(rs.rules[1].direction, XPF_DIRECTION_OUTBOUND);
	assert_int_equal(rs.warning_count, 1);
	assert_string_equal(rs.warnings[0],
			    "site.conf:7: outbound row (source Pool is protected behind the "
			    "interface): replies to the flows it opens are admitted by flow "
			    "tracking and counted on it");
	xpf_ruleset_free(&rs);
}

static void address_both_local_and_protected_is_an_error(void **state)
{
	(void)state;
	build_fails("local Router\nprotect Pool\nrole Router = 10.0.0.2\nrole Pool = 10.0.0.0/30\n",
		    NULL,
		    "site.conf:4: 10.0.0.2 is an address of 'Router' (`local`) and of 'Pool' "
		    "(`protect`): this host or behind it, not both");
}

static void unknown_role_in_protect_is_an_error(void **state)
{
	(void)state;
	build_fails("role Director = 192.0.2.101\nprotect Director, Pool\n", NULL,
		    "site.conf:2: unknown role 'Pool' in `protect`: define it with "
		    "`role Pool = ADDRESS`");
}

static void policy_is_copied_from_site(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "policy default pass\npolicy fragments drop\n", NULL, &rs);
	assert_int_equal(rs.policy.default_action, XPF_ACTION_PASS);
	assert_int_equal(rs.policy.other_action, XPF_ACTION_PASS);
	assert_int_equal(rs.policy.fragments, XPF_FRAGMENTS_DROP);
	xpf_ruleset_free(&rs);
}

static void site_without_rows_or_table_is_empty(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE, NULL, &rs);
	assert_int_equal(rs.count, 0);
	assert_null(rs.rules);
	assert_int_equal(rs.warning_count, 0);
	xpf_ruleset_free(&rs);
}

static void null_table_is_no_rows(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_ruleset rs;
	struct xpf_site site;

	(void)state;
	assert_int_equal(xpf_site_parse(SITE "allow TCP 1 | Any | Director\n", "s", &site, &err),
			 0);
	assert_int_equal(xpf_ruleset_build(&site, NULL, &rs, &err), 0);
	assert_int_equal(rs.count, 1);
	xpf_ruleset_free(&rs);
	xpf_site_free(&site);
}

static void unknown_role_names_row_line(void **state)
{
	(void)state;
	build_fails(SITE "\nallow TCP 22 | Admins | Director\n", NULL,
		    "site.conf:6: unknown role 'Admins'");
}

static void unknown_destination_role_names_row_line(void **state)
{
	(void)state;
	build_fails(SITE "allow TCP 22 | Clients | Directors\n", NULL,
		    "site.conf:5: unknown role 'Directors'");
}

static void address_list_in_a_cell_says_to_define_a_role(void **state)
{
	(void)state;
	build_fails(SITE "allow TCP 22 | 10.0.0.1, 10.0.0.2 | Director\n", NULL,
		    "site.conf:5: '10.0.0.1, 10.0.0.2' is a list of addresses: a cell holds one "
		    "role, address or prefix; define a role with them (`role NAME = 10.0.0.1, "
		    "10.0.0.2`) and name it here");
	build_fails(SITE "allow TCP 22 | Clients | 192.0.2.101 2001:db8::101\n", NULL,
		    "site.conf:5: '192.0.2.101 2001:db8::101' is a list of addresses: a cell holds "
		    "one role, address or prefix; define a role with them (`role NAME = "
		    "192.0.2.101, 2001:db8::101`) and name it here");
}

static void unknown_table_role_says_where_to_define_it(void **state)
{
	(void)state;
	build_fails(SITE, TABLE_HEADER "TCP 80 | Clients | Director | n |\n"
		    "TCP 81 |\nReverse proxy |\nDirector | n |\n",
		    "t.txt:4: unknown role 'Reverse proxy': define it in site.conf with "
		    "`role Reverse proxy = ADDRESS`");
}

static void bad_literal_in_table_is_rejected(void **state)
{
	(void)state;
	build_fails(SITE, TABLE_HEADER "TCP 80 | 10.0.0.300 | Director | n |\n",
		    "t.txt:3: bad address '10.0.0.300'");
}

static void unknown_local_role_names_local_line(void **state)
{
	(void)state;
	build_fails("# site\nlocal Director, Mediation\nrole Director = 192.0.2.101\n", NULL,
		    "site.conf:2: unknown role 'Mediation' in `local`: define it with "
		    "`role Mediation = ADDRESS`");
}

static void large_local_prefix_is_rejected(void **state)
{
	(void)state;
	build_fails("local Pool\n\nrole Pool = 10.0.0.1, 10.9.8.0/23\n", NULL,
		    "site.conf:3: local role 'Pool': prefix 10.9.8.0/23 too large for a local "
		    "address (at most 256 addresses)");
}

static void large_local_ipv6_prefix_is_rejected(void **state)
{
	(void)state;
	build_fails("local Pool\nrole Pool = 2001:db8::/64\n", NULL,
		    "site.conf:2: local role 'Pool': prefix 2001:db8::/64 too large for a local "
		    "address (at most 256 addresses)");
}

/* Rows naming the same literal address share its prefix in the pool: by value, however it
 * was written. */
static void equal_literals_share_one_prefix(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "allow TCP 22 | 198.51.100.0/24 | Director\n"
		      "allow TCP 23 | 198.51.100.7/24 | Director\n"
		      "allow TCP 24 | 198.51.100.0/25 | Director\n"
		      "allow TCP 25 | 198.51.100.0 | Director\n",
		 TABLE_HEADER "TCP 80 | 198.51.100.0/24 | Director | n |\n", &rs);
	assert_int_equal(rs.count, 5);
	assert_ptr_equal(rs.rules[0].sources, rs.rules[1].sources);
	assert_ptr_equal(rs.rules[0].sources, rs.rules[4].sources);
	assert_ptr_not_equal(rs.rules[0].sources, rs.rules[2].sources);
	assert_ptr_not_equal(rs.rules[0].sources, rs.rules[3].sources);
	assert_string_equal(text_of(&rs.rules[1].sources[0]), "198.51.100.0/24");
	assert_string_equal(text_of(&rs.rules[2].sources[0]), "198.51.100.0/25");
	assert_string_equal(text_of(&rs.rules[3].sources[0]), "198.51.100.0");
	assert_string_equal(rs.rules[1].row.source, "198.51.100.7/24");
	xpf_ruleset_free(&rs);
}

/* Adopting the table's strings: the rules point at the rows' own text, which outlives the
 * table; a failed build leaves the table as it was. */
static void adopted_table_strings_outlive_the_table(void **state)
{
	struct xpf_error err = { { 0 } };
	const char *label, *literal, *file;
	struct xpf_ruleset rs;
	struct xpf_table table;
	struct xpf_site site;

	(void)state;
	parse_inputs(SITE "allow SSH/TCP 22 | Clients | Director\n",
		     TABLE_HEADER "HTTPS/TCP 443 | Edge | Director | n |\n"
				  "HTTP/TCP 80 | 198.51.100.0/24 | Director | n |\n", &site, &table);
	label = table.rows[0].label;
	literal = table.rows[1].source;
	file = table.rows[1].file;
	assert_int_equal(xpf_ruleset_build_adopting(&site, &table, &rs, &err), 0);
	assert_int_equal(table.strings.block_count, 0);
	assert_true(rs.table_strings.block_count > 0);
	xpf_table_free(&table);
	xpf_site_free(&site);
	assert_int_equal(rs.count, 3);
	assert_ptr_equal(rs.rules[1].row.label, label);
	assert_ptr_equal(rs.rules[2].row.source, literal);
	assert_ptr_equal(rs.rules[2].row.file, file);
	assert_string_equal(rs.rules[0].row.label, "SSH/TCP 22");
	assert_string_equal(rs.rules[0].row.file, "site.conf");
	assert_string_equal(rs.rules[1].row.label, "HTTPS/TCP 443");
	assert_string_equal(rs.rules[1].row.source, "Edge");
	assert_string_equal(rs.rules[1].row.destination, "Director");
	assert_string_equal(rs.rules[2].row.source, "198.51.100.0/24");
	assert_string_equal(rs.rules[2].row.file, "t.txt");
	xpf_ruleset_free(&rs);

	parse_inputs(SITE, TABLE_HEADER "HTTPS/TCP 443 | Nobody | Director | n |\n", &site, &table);
	assert_int_equal(xpf_ruleset_build_adopting(&site, &table, &rs, &err), -EINVAL);
	assert_string_equal(err.message, "t.txt:3: unknown role 'Nobody': define it in site.conf "
					 "with `role Nobody = ADDRESS`");
	assert_true(table.strings.block_count > 0);
	assert_string_equal(table.rows[0].source, "Nobody");
	xpf_table_free(&table);
	xpf_site_free(&site);
}

/* A role cell of several roles: the whole when the site defines it, else a rule for each part
 * it defines, in the cell's order. */
static void role_cell_parts_make_a_rule_each(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "role Director pool = 192.0.2.110\n",
		 TABLE_HEADER "TCP 8080 | Edge | Front End Server, Director, Director pool | n |\n",
		 &rs);
	assert_int_equal(rs.count, 2);
	assert_string_equal(rs.rules[0].row.destination, "Director");
	assert_string_equal(rs.rules[1].row.destination, "Director pool");
	assert_int_equal(rs.rules[0].row.line, 3);
	assert_int_equal(rs.rules[1].row.line, 3);
	xpf_ruleset_free(&rs);
	/* The whole cell, defined, is one role. */
	build_ok(SITE "role Director or Edge = 192.0.2.7\n",
		 TABLE_HEADER "TCP 80 | Director or Edge | Director | n |\n", &rs);
	assert_int_equal(rs.count, 1);
	assert_string_equal(rs.rules[0].row.source, "Director or Edge");
	assert_string_equal(text_of(&rs.rules[0].sources[0]), "192.0.2.7");
	xpf_ruleset_free(&rs);
}

static void any_is_narrowed_by_the_roles_it_lists(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE, TABLE_HEADER
		 "TCP 5061 | Any (can be defined as Edge, Front End pool IP address) | Director | n |\n"
		 "TCP 5062 | Any (can be defined as Front End pool IP address) | Director | n |\n",
		 &rs);
	assert_int_equal(rs.count, 2);
	assert_string_equal(rs.rules[0].row.source, "Edge");
	assert_string_equal(text_of(&rs.rules[0].sources[0]), "192.0.2.50");
	assert_string_equal(rs.rules[1].row.source, "Any");
	assert_int_equal(rs.rules[1].source_count, 2);
	xpf_ruleset_free(&rs);
}

static void cell_of_roles_none_defined_is_an_error(void **state)
{
	(void)state;
	build_fails(SITE, TABLE_HEADER "TCP 80 | Proxy or Gateway | Director | n |\n",
		    "t.txt:3: unknown role 'Proxy or Gateway': define it, or any of 'Proxy', "
		    "'Gateway', in site.conf with `role NAME = ADDRESS`");
}

/* Two tables with the same row: one rule, two origins; the same row twice in one table (with
 * another note) stays two rules, as published. */
static void a_row_in_two_tables_is_one_rule(void **state)
{
	static const char page[] = "External\n" TABLE_HEADER
				   "TCP 80 | Clients | Director | one |\n"
				   "TCP 81 | Clients | Director | n |\n"
				   "TCP 80 | Clients | Director | another note |\n"
				   "Internal\n" TABLE_HEADER
				   "TCP 82 | Edge | Director | n |\n"
				   "TCP 81 | Clients | Director | n |\n";
	struct xpf_error err = { { 0 } };
	struct xpf_table table = { 0 };
	struct xpf_ruleset rs;
	struct xpf_site site;
	uint8_t origins[4];
	int lines[4];

	(void)state;
	assert_int_equal(xpf_site_parse(SITE "allow TCP 80 | Clients | Director\n", "site.conf",
					&site, &err), 0);
	assert_int_equal(xpf_table_add(&table, page, "a.txt", NULL, &err), 0);
	assert_int_equal(xpf_table_add(&table, "Other\n" TABLE_HEADER
				       "UDP 53 | Clients | Director | n |\n"
				       "TCP 80 | Clients | Director | n |\n", "b.txt", NULL, &err), 0);
	assert_int_equal(xpf_ruleset_build(&site, &table, &rs, &err), 0);
	/* The site's row stays a rule of its own, first; then 80, 81, 80 again, 82, 53. */
	assert_int_equal(rs.count, 6);
	assert_int_equal(rs.rules[0].origin, 0);
	assert_int_equal(rs.origin_count, 3);
	assert_string_equal(rs.origins[0].table, "a.txt");
	assert_string_equal(rs.origins[0].caption, "External");
	assert_string_equal(rs.origins[2].table, "b.txt");
	assert_string_equal(rs.origins[2].caption, "Other");
	assert_int_equal(rs.rules[1].row.port_first, 80);
	assert_int_equal(xpf_rule_origins(&rs, 1, origins, lines, 4), 2);
	assert_int_equal(origins[0], 1);
	assert_int_equal(lines[0], 4);
	assert_int_equal(origins[1], 3);
	assert_int_equal(lines[1], 5);
	assert_int_equal(rs.rules[2].row.port_first, 81);
	assert_int_equal(xpf_rule_origins(&rs, 2, origins, lines, 4), 2);
	assert_int_equal(origins[1], 2);
	assert_int_equal(lines[1], 11);
	assert_int_equal(rs.rules[3].row.port_first, 80);
	assert_int_equal(rs.rules[3].row.line, 6);
	assert_int_equal(xpf_rule_origins(&rs, 3, origins, lines, 4), 1);
	assert_int_equal(rs.rules[4].row.port_first, 82);
	assert_int_equal(rs.rules[4].origin, 2);
	assert_int_equal(xpf_rule_origins(&rs, 0, origins, lines, 4), 0);
	/* At most @max filled, all counted. */
	assert_int_equal(xpf_rule_origins(&rs, 1, origins, NULL, 1), 2);
	xpf_ruleset_free(&rs);
	xpf_table_free(&table);
	xpf_site_free(&site);
}

static void reported_rows_are_warnings(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table = { 0 };
	struct xpf_ruleset rs;
	struct xpf_site site;

	(void)state;
	assert_int_equal(xpf_site_parse(SITE, "site.conf", &site, &err), 0);
	assert_int_equal(xpf_table_add(&table, TABLE_HEADER "HTTP 80 | Clients | Director | n |\n"
				       "TCP 81 | Clients | Director | n |\n", "t.txt", NULL, &err),
			 0);
	assert_int_equal(xpf_ruleset_build(&site, &table, &rs, &err), 0);
	assert_int_equal(rs.count, 1);
	assert_int_equal(rs.warning_count, 1);
	assert_string_equal(rs.warnings[0], "t.txt:3: row not compiled: no transport (TCP or UDP) "
					    "in 'HTTP 80'");
	xpf_ruleset_free(&rs);
	xpf_table_free(&table);
	xpf_site_free(&site);
}

/* `role NAME = none`: a role of the tables that the site does not have makes no rule. */
static void role_of_none_makes_no_rule(void **state)
{
	struct xpf_ruleset rs;

	(void)state;
	build_ok(SITE "role Mediation = none\nallow TCP 22 | Mediation | Director\n",
		 TABLE_HEADER "TCP 5070 | Any | Mediation | n |\n"
			      "TCP 5071 | Edge | Director or Mediation | n |\n", &rs);
	assert_int_equal(rs.count, 1);
	assert_string_equal(rs.rules[0].row.destination, "Director");
	assert_int_equal(rs.warning_count, 3);
	assert_string_equal(rs.warnings[2], "t.txt:4: no rule: the site has no Mediation "
					    "(`role Mediation = none`)");
	assert_string_equal(rs.warnings[0], "site.conf:6: no rule: the site has no Mediation "
					    "(`role Mediation = none`)");
	assert_string_equal(rs.warnings[1], "t.txt:3: no rule: the site has no Mediation "
					    "(`role Mediation = none`)");
	xpf_ruleset_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(role_cell_parts_make_a_rule_each),
		cmocka_unit_test(any_is_narrowed_by_the_roles_it_lists),
		cmocka_unit_test(cell_of_roles_none_defined_is_an_error),
		cmocka_unit_test(a_row_in_two_tables_is_one_rule),
		cmocka_unit_test(reported_rows_are_warnings),
		cmocka_unit_test(role_of_none_makes_no_rule),
		cmocka_unit_test(site_rows_come_before_table_rows),
		cmocka_unit_test(table_names_match_roles_loosely),
		cmocka_unit_test(any_is_both_families),
		cmocka_unit_test(literal_source_keeps_its_text),
		cmocka_unit_test(role_source_has_role_prefixes),
		cmocka_unit_test(rows_naming_one_role_share_its_arrays),
		cmocka_unit_test(equal_labels_are_kept_once),
		cmocka_unit_test(destination_local_role_is_ingress),
		cmocka_unit_test(literal_destination_covering_a_local_is_ingress),
		cmocka_unit_test(any_destination_is_ingress_to_every_local),
		cmocka_unit_test(local_source_to_any_is_outbound),
		cmocka_unit_test(local_source_is_outbound_with_warning),
		cmocka_unit_test(row_for_other_hosts_is_ignored_with_warning),
		cmocka_unit_test(source_of_the_other_family_only_warns),
		cmocka_unit_test(local_addresses_come_from_local_roles),
		cmocka_unit_test(local_prefix_of_256_addresses_expands),
		cmocka_unit_test(local_addresses_are_deduplicated_first_role_wins),
		cmocka_unit_test(protected_addresses_follow_local_ones),
		cmocka_unit_test(unknown_role_in_protect_is_an_error),
		cmocka_unit_test(address_both_local_and_protected_is_an_error),
		cmocka_unit_test(policy_is_copied_from_site),
		cmocka_unit_test(site_without_rows_or_table_is_empty),
		cmocka_unit_test(null_table_is_no_rows),
		cmocka_unit_test(unknown_role_names_row_line),
		cmocka_unit_test(unknown_destination_role_names_row_line),
		cmocka_unit_test(address_list_in_a_cell_says_to_define_a_role),
		cmocka_unit_test(unknown_table_role_says_where_to_define_it),
		cmocka_unit_test(bad_literal_in_table_is_rejected),
		cmocka_unit_test(unknown_local_role_names_local_line),
		cmocka_unit_test(large_local_prefix_is_rejected),
		cmocka_unit_test(large_local_ipv6_prefix_is_rejected),
		cmocka_unit_test(adopted_table_strings_outlive_the_table),
		cmocka_unit_test(equal_literals_share_one_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
