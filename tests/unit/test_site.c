/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the site file (user/core/site.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/config.h"
#include <xpf/maps.h>

/* The example of DESIGN.md, verbatim. */
static const char design_example[] =
	"table  lync2013-director-dns-hlb          # built-in table name, or a path\n"
	"local  Director, Director Hardware Load Balancer VIP   # roles that are this host\n"
	"role   Reverse proxy internal interface = 192.0.2.10, 2001:db8:1::10\n"
	"role   Internal Clients = 10.0.0.0/8, 2001:db8:100::/48\n"
	"role   Edge Server internal interface = 192.0.2.50\n"
	"role   Front End pool or Front End Server = 192.0.2.20/30\n"
	"role   Director = 192.0.2.101\n"
	"role   Director Hardware Load Balancer VIP = 192.0.2.100\n"
	"allow  RDP/TCP 3389 | Admin workstations | Director | remote administration\n"
	"deny   HTTPS/TCP 443 | 192.0.2.66 | Director Hardware Load Balancer VIP | quarantined\n"
	"role   Admin workstations = 203.0.113.0/28\n"
	"# the four policies below show their defaults\n"
	"policy default drop      # local TCP/UDP that no rule admits: drop | pass\n"
	"policy other pass        # IP packets not addressed to a local role: pass | drop\n"
	"policy icmp pass         # ICMP/ICMPv6 to local addresses (NDP and PMTU always pass)\n"
	"policy fragments track   # track | drop\n";

#define LOCAL "local Director\n"
#define NO_LOCAL "no `local` or `protect` directive: name the roles that are this host, or " \
		 "those behind the interface"

static void parse_ok(const char *text, struct xpf_site *site)
{
	struct xpf_error err = { { 0 } };

	if (xpf_site_parse(text, "site.conf", site, &err))
		fail_msg("unexpected error: %s", err.message);
}

/* Parses @text expecting an error; checks the message and that nothing survived. */
static void parse_fails(const char *text, const char *message)
{
	static const struct xpf_site empty;
	struct xpf_error err = { { 0 } };
	struct xpf_site site;

	memset(&site, 0xab, sizeof(site));
	assert_int_equal(xpf_site_parse(text, "site.conf", &site, &err), -EINVAL);
	assert_string_equal(err.message, message);
	assert_memory_equal(&site, &empty, sizeof(site));
}

static const struct xpf_role *role(const struct xpf_site *site, const char *name)
{
	for (size_t i = 0; i < site->role_count; i++)
		if (!strcmp(site->roles[i].name, name))
			return &site->roles[i];
	fail_msg("no role %s", name);
	return NULL;
}

static void design_example_parses(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(design_example, &site);
	assert_string_equal(site.file, "site.conf");
	assert_string_equal(site.table, "lync2013-director-dns-hlb");
	assert_int_equal(site.table_line, 1);
	assert_int_equal(site.local_line, 2);
	assert_int_equal(site.role_count, 7);
	assert_int_equal(site.row_count, 2);
	xpf_site_free(&site);
}

static void role_keeps_its_prefixes_in_order(void **state)
{
	const struct xpf_role *clients;
	struct xpf_site site;
	char buf[64];

	(void)state;
	parse_ok(design_example, &site);
	clients = role(&site, "Internal Clients");
	assert_int_equal(clients->count, 2);
	assert_int_equal(clients->line, 4);
	xpf_prefix_format(&clients->prefixes[0], buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8");
	xpf_prefix_format(&clients->prefixes[1], buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8:100::/48");
	xpf_site_free(&site);
}

static void local_marks_its_roles(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(design_example, &site);
	assert_true(role(&site, "Director")->local);
	assert_true(role(&site, "Director Hardware Load Balancer VIP")->local);
	assert_false(role(&site, "Internal Clients")->local);
	assert_int_equal(site.local_name_count, 2);
	assert_string_equal(site.local_names[1], "Director Hardware Load Balancer VIP");
	xpf_site_free(&site);
}

static void local_matches_role_names_loosely(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok("local  director hardware load balancervip\n"
		 "role Director Hardware Load Balancer VIP = 192.0.2.100\n", &site);
	assert_true(site.roles[0].local);
	xpf_site_free(&site);
}

static void allow_row_parses_as_pass(void **state)
{
	const struct xpf_row *row;
	struct xpf_site site;

	(void)state;
	parse_ok(design_example, &site);
	row = &site.rows[0];
	assert_string_equal(row->label, "RDP/TCP 3389");
	assert_int_equal(row->protocols, XPF_PROTO_TCP);
	assert_int_equal(row->port_first, 3389);
	assert_string_equal(row->source, "Admin workstations");
	assert_string_equal(row->destination, "Director");
	assert_string_equal(row->note, "remote administration");
	assert_int_equal(row->action, XPF_ACTION_PASS);
	assert_string_equal(row->file, "site.conf");
	assert_int_equal(row->line, 9);
	xpf_site_free(&site);
}

static void deny_row_parses_as_drop(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(design_example, &site);
	assert_int_equal(site.rows[1].action, XPF_ACTION_DROP);
	assert_string_equal(site.rows[1].source, "192.0.2.66");
	assert_int_equal(site.rows[1].line, 10);
	xpf_site_free(&site);
}

static void row_note_is_optional(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "allow TCP/UDP 53 | Any | Director\nallow TCP 1 | Any | Director |\n",
		 &site);
	assert_int_equal(site.row_count, 2);
	assert_string_equal(site.rows[0].note, "");
	assert_string_equal(site.rows[1].note, "");
	xpf_site_free(&site);
}

static void row_may_name_role_defined_later(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "allow TCP 22 | Admins | Director\nrole Admins = 10.1.0.0/16\n"
		 "role Director = 10.0.0.1\n", &site);
	assert_int_equal(site.row_count, 1);
	xpf_site_free(&site);
}

static void comments_and_blank_lines_are_ignored(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok("# comment\n\n   \t\n  # indented comment\nlocal Director # this host\n"
		 "role Director = 10.0.0.1 # its address\n", &site);
	assert_int_equal(site.role_count, 1);
	assert_int_equal(site.roles[0].count, 1);
	assert_int_equal(site.local_line, 5);
	xpf_site_free(&site);
}

static void directives_are_case_insensitive(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok("LOCAL Director\nRole Director = 10.0.0.1\nALLOW TCP 22 | Any | Director\n"
		 "Policy Default Pass\n", &site);
	assert_int_equal(site.row_count, 1);
	assert_int_equal(site.policy.default_action, XPF_ACTION_PASS);
	xpf_site_free(&site);
}

static void crlf_line_ends_are_accepted(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok("local Director\r\nrole Director = 10.0.0.1\r\npolicy icmp drop\r\n", &site);
	assert_int_equal(site.policy.icmp_action, XPF_ACTION_DROP);
	xpf_site_free(&site);
}

static void policies_default_to_drop_pass_pass_track(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL, &site);
	assert_int_equal(site.policy.default_action, XPF_ACTION_DROP);
	assert_int_equal(site.policy.other_action, XPF_ACTION_PASS);
	assert_int_equal(site.policy.icmp_action, XPF_ACTION_PASS);
	assert_int_equal(site.policy.fragments, XPF_FRAGMENTS_TRACK);
	assert_string_equal(site.table, "");
	xpf_site_free(&site);
}

static void policies_can_be_flipped(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "policy default pass\npolicy other drop\npolicy icmp drop\n"
		 "policy fragments drop\n", &site);
	assert_int_equal(site.policy.default_action, XPF_ACTION_PASS);
	assert_int_equal(site.policy.other_action, XPF_ACTION_DROP);
	assert_int_equal(site.policy.icmp_action, XPF_ACTION_DROP);
	assert_int_equal(site.policy.fragments, XPF_FRAGMENTS_DROP);
	xpf_site_free(&site);
}

static void missing_local_is_an_error(void **state)
{
	(void)state;
	parse_fails("role Director = 10.0.0.1\n\n# no local\n",
		    "site.conf:3: " NO_LOCAL);
	parse_fails("role Director = 10.0.0.1", "site.conf:1: " NO_LOCAL);
}

static void empty_site_file_is_missing_local(void **state)
{
	(void)state;
	parse_fails("", "site.conf: " NO_LOCAL);
}

static void local_twice_is_an_error(void **state)
{
	(void)state;
	parse_fails("local A\nlocal B\n",
		    "site.conf:2: second `local` directive (the first is on line 1)");
}

static void local_without_names_is_an_error(void **state)
{
	(void)state;
	parse_fails("local\n",
		    "site.conf:1: `local` needs the names of the roles that are this host, or `auto`");
}

static void empty_name_in_local_is_an_error(void **state)
{
	(void)state;
	parse_fails("local A,,B\n", "site.conf:1: empty role name in `local`");
}

static void protect_marks_its_roles_enforced_and_behind(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok("protect Director, director hardware load balancer vip\n"
		 "role Director = 192.0.2.101\n"
		 "role Director Hardware Load Balancer VIP = 192.0.2.100\n"
		 "role Clients = 198.51.100.0/24\n", &site);
	assert_int_equal(site.protect_line, 1);
	assert_int_equal(site.local_line, 0);
	assert_int_equal(site.protect_name_count, 2);
	assert_true(role(&site, "Director")->local);
	assert_true(role(&site, "Director")->protect);
	assert_true(role(&site, "Director Hardware Load Balancer VIP")->protect);
	assert_false(role(&site, "Clients")->local);
	assert_false(role(&site, "Clients")->protect);
	xpf_site_free(&site);
}

/* A router that filters for itself and for the pool behind it names both. */
static void local_and_protect_combine(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok("role Router = 203.0.113.1\nrole Director = 192.0.2.101\n"
		 "protect Director\nlocal Router\n", &site);
	assert_true(role(&site, "Router")->local);
	assert_false(role(&site, "Router")->protect);
	assert_true(role(&site, "Director")->local);
	assert_true(role(&site, "Director")->protect);
	xpf_site_free(&site);
}

static void role_both_local_and_protected_is_an_error(void **state)
{
	(void)state;
	parse_fails("local Director\nrole Director = 192.0.2.101\nprotect director\n",
		    "site.conf:3: role 'Director' is named by `local` (line 1) and by `protect`: "
		    "it is this host or behind it, not both");
}

static void protect_twice_is_an_error(void **state)
{
	(void)state;
	parse_fails("protect A\nprotect B\n",
		    "site.conf:2: second `protect` directive (the first is on line 1)");
}

static void protect_without_names_is_an_error(void **state)
{
	(void)state;
	parse_fails("protect  # nothing\n",
		    "site.conf:1: `protect` needs the names of the roles behind the interface");
	parse_fails("protect A,,B\n", "site.conf:1: empty role name in `protect`");
}

static void table_twice_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "table a\n\ntable a\n",
		    "site.conf:4: second `table` directive for 'a' (the first is on line 2)");
}

static void table_without_name_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "table   # none\n",
		    "site.conf:2: `table` needs a built-in table name or a path");
}

static void role_without_addresses_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "role Director =  \n", "site.conf:2: role 'Director' has no addresses");
}

static void role_without_equals_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "role Director 10.0.0.1\n",
		    "site.conf:2: expected `role NAME = ADDRESS[, ADDRESS...]`");
}

static void role_without_name_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "role = 10.0.0.1\n", "site.conf:2: empty role name");
}

static void bad_address_in_role_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "role Director = 10.0.0.1, 300.1.2.3\n",
		    "site.conf:2: bad address '300.1.2.3'");
}

static void empty_address_in_role_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "role Director = 10.0.0.1,\n", "site.conf:2: bad address ''");
}

static void ipv4_prefix_length_33_in_role_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "role Clients = 10.0.0.0/33\n",
		    "site.conf:2: bad prefix length in '10.0.0.0/33'");
}

static void ipv6_prefix_length_129_in_role_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "role Clients = 2001:db8::/129\n",
		    "site.conf:2: bad prefix length in '2001:db8::/129'");
}

static void role_defined_twice_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "role Director = 10.0.0.1\n\nrole  DIRECTOR = 10.0.0.2\n",
		    "site.conf:4: role 'DIRECTOR' defined twice (first on line 2)");
}

static void role_named_any_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "role any = 10.0.0.1\n",
		    "site.conf:2: role 'Any' is built in (0.0.0.0/0 and ::/0): "
		    "choose another name");
}

static void role_named_like_an_address_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "role 10.0.0.1 = 10.0.0.1\n",
		    "site.conf:2: role name '10.0.0.1' looks like an address");
}

static void row_with_bad_protocol_is_rejected_with_line(void **state)
{
	(void)state;
	parse_fails(LOCAL "allow HTTP/TCP 70000 | Any | Director\n",
		    "site.conf:2: port 70000 out of range 1-65535 in 'HTTP/TCP 70000'");
}

static void row_with_two_cells_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "allow TCP 80 | Any\n",
		    "site.conf:2: expected `allow PROTO PORT | SOURCE | DESTINATION [| NOTE]`");
}

static void row_with_five_cells_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "deny TCP 80 | Any | Director | note | more\n",
		    "site.conf:2: expected `deny PROTO PORT | SOURCE | DESTINATION [| NOTE]`");
}

static void row_with_empty_source_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "allow TCP 80 |  | Director\n", "site.conf:2: empty source");
}

static void row_with_empty_destination_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "allow TCP 80 | Any | \n", "site.conf:2: empty destination");
}

static void row_with_bad_literal_address_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "allow TCP 80 | 300.1.2.3 | Director\n",
		    "site.conf:2: bad address '300.1.2.3'");
}

static void row_with_bad_literal_prefix_length_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "deny UDP 53 | Any | 10.0.0.0/33\n",
		    "site.conf:2: bad prefix length in '10.0.0.0/33'");
}

static void bad_policy_value_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "policy default allow\n",
		    "site.conf:2: policy default is drop or pass, not 'allow'");
}

static void unknown_policy_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "policy tcp drop\n",
		    "site.conf:2: unknown policy 'tcp' (default, other, icmp or fragments)");
}

static void policy_with_extra_words_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "policy icmp drop now\n",
		    "site.conf:2: expected `policy default|other|icmp|fragments VALUE`");
}

static void timeouts_default_to_300_and_60_seconds(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL, &site);
	assert_int_equal(site.policy.tcp_timeout_s, 300);
	assert_int_equal(site.policy.udp_timeout_s, 60);
	xpf_site_free(&site);
}

static void timeouts_are_set_per_transport(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "timeout tcp 7200\nTIMEOUT UDP 5\n", &site);
	assert_int_equal(site.policy.tcp_timeout_s, 7200);
	assert_int_equal(site.policy.udp_timeout_s, 5);
	xpf_site_free(&site);
}

static void timeout_zero_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "timeout tcp 0\n",
		    "site.conf:2: timeout tcp must be a number of seconds from 1 to 86400, not '0'");
}

static void timeout_over_a_day_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "timeout udp 86401\n",
		    "site.conf:2: timeout udp must be a number of seconds from 1 to 86400, "
		    "not '86401'");
}

static void timeout_that_is_not_a_number_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "timeout tcp 5m\n",
		    "site.conf:2: timeout tcp must be a number of seconds from 1 to 86400, not '5m'");
}

static void timeout_of_unknown_transport_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "timeout sctp 30\n", "site.conf:2: unknown timeout 'sctp' (tcp or udp)");
}

static void log_rate_defaults_to_100_a_second(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL, &site);
	assert_int_equal(site.policy.log_rate, 100);
	xpf_site_free(&site);
}

static void log_rate_is_set_in_events_a_second(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "log rate 2500/s\n", &site);
	assert_int_equal(site.policy.log_rate, 2500);
	xpf_site_free(&site);
}

static void log_rate_zero_turns_the_log_off(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "LOG RATE 0/s   # quiet\n", &site);
	assert_int_equal(site.policy.log_rate, 0);
	xpf_site_free(&site);
}

static void log_rate_without_unit_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "log rate 100\n",
		    "site.conf:2: log rate must be events a second from 0/s to 1000000/s, not '100'");
}

static void log_rate_per_minute_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "\nlog rate 5/m\n",
		    "site.conf:3: log rate must be events a second from 0/s to 1000000/s, not '5/m'");
}

static void log_rate_negative_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "log rate -1/s\n",
		    "site.conf:2: log rate must be events a second from 0/s to 1000000/s, not '-1/s'");
}

static void log_rate_over_a_million_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "log rate 1000001/s\n",
		    "site.conf:2: log rate must be events a second from 0/s to 1000000/s, "
		    "not '1000001/s'");
}

static void flows_default_to_16384(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL, &site);
	assert_int_equal(site.policy.flows, XPF_DEFAULT_FLOWS);
	assert_int_equal(site.policy.flows, 16384);
	xpf_site_free(&site);
}

static void flows_max_sets_the_flow_table_entries(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "FLOWS MAX 250000\n", &site);
	assert_int_equal(site.policy.flows, 250000);
	xpf_site_free(&site);
}

static void flows_max_takes_its_bounds(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "flows max 1024\n", &site);
	assert_int_equal(site.policy.flows, 1024);
	xpf_site_free(&site);
	parse_ok(LOCAL "flows max 4194304\n", &site);
	assert_int_equal(site.policy.flows, 4194304);
	xpf_site_free(&site);
}

static void flows_max_below_1024_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "flows max 1023\n",
		    "site.conf:2: flows max must be a number of flows from 1024 to 4194304, "
		    "not '1023'");
}

static void flows_max_past_4194304_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "flows max 4194305\n",
		    "site.conf:2: flows max must be a number of flows from 1024 to 4194304, "
		    "not '4194305'");
	parse_fails(LOCAL "flows max 99999999999999999999999\n",
		    "site.conf:2: flows max must be a number of flows from 1024 to 4194304, "
		    "not '99999999999999999999999'");
}

static void flows_max_that_is_not_a_number_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "flows max 16k\n",
		    "site.conf:2: flows max must be a number of flows from 1024 to 4194304, "
		    "not '16k'");
	parse_fails(LOCAL "flows max -2048\n",
		    "site.conf:2: flows max must be a number of flows from 1024 to 4194304, "
		    "not '-2048'");
}

static void flows_without_max_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "flows 16384\n", "site.conf:2: expected `flows max N`");
	parse_fails(LOCAL "flows max\n", "site.conf:2: expected `flows max N`");
	parse_fails(LOCAL "flows max 2048 4096\n", "site.conf:2: expected `flows max N`");
}

static void log_without_rate_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "log 100/s\n", "site.conf:2: expected `log rate N/s`");
	parse_fails(LOCAL "log rate\n", "site.conf:2: expected `log rate N/s`");
	parse_fails(LOCAL "log rate 10/s now\n", "site.conf:2: expected `log rate N/s`");
}

static void audit_is_unset_without_the_directive(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL, &site);
	assert_int_equal(site.audit, -1);
	xpf_site_free(&site);
}

static void audit_directive_sets_audit_on_and_off(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "audit   # roll out first\n", &site);
	assert_int_equal(site.audit, 1);
	assert_int_equal(site.audit_line, 2);
	xpf_site_free(&site);
	parse_ok(LOCAL "AUDIT on\n", &site);
	assert_int_equal(site.audit, 1);
	xpf_site_free(&site);
	parse_ok(LOCAL "audit off\n", &site);
	assert_int_equal(site.audit, 0);
	xpf_site_free(&site);
}

static void audit_directive_with_other_word_or_twice_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "audit yes\n",
		    "site.conf:2: expected `audit`, `audit on` or `audit off`, not 'audit yes'");
	parse_fails(LOCAL "audit\naudit off\n",
		    "site.conf:3: second `audit` directive (the first is on line 2)");
}

static void unknown_directive_is_rejected(void **state)
{
	(void)state;
	parse_fails(LOCAL "\npermit TCP 80 | Any | Director\n",
		    "site.conf:3: unknown directive 'permit'");
}

static void line_over_4096_characters_is_rejected(void **state)
{
	size_t n = strlen(LOCAL) + 4097 + 2;
	char *text = malloc(n);

	(void)state;
	assert_non_null(text);
	strcpy(text, LOCAL);
	memset(text + strlen(LOCAL), '#', 4097);
	strcpy(text + strlen(LOCAL) + 4097, "\n");
	parse_fails(text, "site.conf:2: line longer than 4096 characters");
	free(text);
}

static void line_of_4096_characters_is_accepted(void **state)
{
	char *text = malloc(strlen(LOCAL) + 4096 + 2);
	struct xpf_site site;

	(void)state;
	assert_non_null(text);
	strcpy(text, LOCAL);
	memset(text + strlen(LOCAL), '#', 4096);
	strcpy(text + strlen(LOCAL) + 4096, "\n");
	parse_ok(text, &site);
	xpf_site_free(&site);
	free(text);
}

static void error_after_many_rows_leaves_nothing(void **state)
{
	char text[8192] = LOCAL "role Director = 10.0.0.1, 2001:db8::1\n";

	(void)state;
	for (int i = 1; i <= 50; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "allow TCP %d | Any | Director\n", i);
	strcat(text, "role Broken = 1.2.3.4/40\n");
	parse_fails(text, "site.conf:53: bad prefix length in '1.2.3.4/40'");
}

/* Several `table` lines: pages, or one table of a page after '#'; a comment on the line
 * starts at a '#' after a blank. */
static void tables_of_several_pages(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "table lync2013-edge-single-nat#Internal Interface  # the internal side\n"
		 "table  lync2013-edge-single-nat#Federation #\n"
		 "TABLE ./mine.txt#2\n", &site);
	assert_int_equal(site.table_count, 3);
	assert_string_equal(site.tables[0].name, "lync2013-edge-single-nat");
	assert_string_equal(site.tables[0].pick, "Internal Interface");
	assert_int_equal(site.tables[0].line, 2);
	assert_string_equal(site.tables[1].pick, "Federation");
	assert_string_equal(site.tables[2].name, "./mine.txt");
	assert_string_equal(site.tables[2].pick, "2");
	assert_int_equal(site.tables[2].line, 4);
	/* The first stays the site's table, as it always was. */
	assert_string_equal(site.table, "lync2013-edge-single-nat");
	assert_int_equal(site.table_line, 2);
	xpf_site_free(&site);
}

static void a_page_and_a_table_of_it_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "table p#Internal\ntable p#internal \n",
		    "site.conf:3: second `table` directive for 'p' (the first is on line 2)");
	parse_fails(LOCAL "table p#Internal\ntable p\n",
		    "site.conf:3: second `table` directive for 'p' (the first is on line 2)");
	parse_fails(LOCAL "table p#\n",
		    "site.conf:2: `table p#` names no table of the page: a caption after '#', a "
		    "part of one, or its number");
}

/* '#' right after a word is a comment everywhere but on a `table` line. */
static void hash_is_a_comment_beside_table_lines(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "role Director = 192.0.2.1#no blank before the comment\n", &site);
	assert_int_equal(site.roles[0].count, 1);
	xpf_site_free(&site);
}

static void deny_list_defaults_to_every_port_and_any(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "deny-list  lists/drop.txt\n", &site);
	assert_int_equal(site.list_count, 1);
	assert_string_equal(site.lists[0].source, "lists/drop.txt");
	assert_string_equal(site.lists[0].destination, "Any");
	assert_int_equal(site.lists[0].action, XPF_ACTION_DROP);
	assert_int_equal(site.lists[0].protocols, XPF_PROTO_TCP | XPF_PROTO_UDP);
	assert_int_equal(site.lists[0].port_first, 0);
	assert_int_equal(site.lists[0].port_last, 65535);
	assert_int_equal(site.lists[0].line, 2);
	assert_int_equal(site.row_count, 0);
	xpf_site_free(&site);
}

static void allow_list_takes_ports_and_destination(void **state)
{
	struct xpf_site site;

	(void)state;
	parse_ok(LOCAL "allow-list campus.txt | HTTPS/TCP 443 | Director # clients\n", &site);
	assert_int_equal(site.list_count, 1);
	assert_string_equal(site.lists[0].source, "campus.txt");
	assert_string_equal(site.lists[0].destination, "Director");
	assert_string_equal(site.lists[0].label, "HTTPS/TCP 443");
	assert_int_equal(site.lists[0].action, XPF_ACTION_PASS);
	assert_int_equal(site.lists[0].protocols, XPF_PROTO_TCP);
	assert_int_equal(site.lists[0].port_first, 443);
	assert_int_equal(site.lists[0].port_last, 443);
	xpf_site_free(&site);
}

static void list_without_file_is_an_error(void **state)
{
	(void)state;
	parse_fails(LOCAL "deny-list | TCP 22\n",
		    "site.conf:2: expected `deny-list FILE [| PROTO PORTS] [| DESTINATION]`");
	parse_fails(LOCAL "allow-list a | TCP 22 | Director | extra\n",
		    "site.conf:2: expected `allow-list FILE [| PROTO PORTS] [| DESTINATION]`");
}

static void list_with_a_bad_port_cell_is_an_error(void **state)
{
	struct xpf_site site;
	struct xpf_error err = { { 0 } };

	(void)state;
	assert_int_equal(xpf_site_parse(LOCAL "deny-list a.txt | HTTPS 443\n", "site.conf",
					&site, &err), -EINVAL);
	assert_non_null(strstr(err.message, "site.conf:2: "));
}

static void sixty_five_lists_are_too_many(void **state)
{
	char text[65 * 32 + 64];
	size_t used = (size_t)snprintf(text, sizeof(text), LOCAL);

	(void)state;
	for (int i = 0; i < 65; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "deny-list l%d.txt\n", i);
	parse_fails(text, "site.conf:66: more than 64 lists: merge some into one file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deny_list_defaults_to_every_port_and_any),
		cmocka_unit_test(allow_list_takes_ports_and_destination),
		cmocka_unit_test(list_without_file_is_an_error),
		cmocka_unit_test(list_with_a_bad_port_cell_is_an_error),
		cmocka_unit_test(sixty_five_lists_are_too_many),
		cmocka_unit_test(design_example_parses),
		cmocka_unit_test(role_keeps_its_prefixes_in_order),
		cmocka_unit_test(local_marks_its_roles),
		cmocka_unit_test(local_matches_role_names_loosely),
		cmocka_unit_test(protect_marks_its_roles_enforced_and_behind),
		cmocka_unit_test(local_and_protect_combine),
		cmocka_unit_test(role_both_local_and_protected_is_an_error),
		cmocka_unit_test(protect_twice_is_an_error),
		cmocka_unit_test(protect_without_names_is_an_error),
		cmocka_unit_test(allow_row_parses_as_pass),
		cmocka_unit_test(deny_row_parses_as_drop),
		cmocka_unit_test(row_note_is_optional),
		cmocka_unit_test(row_may_name_role_defined_later),
		cmocka_unit_test(comments_and_blank_lines_are_ignored),
		cmocka_unit_test(directives_are_case_insensitive),
		cmocka_unit_test(crlf_line_ends_are_accepted),
		cmocka_unit_test(policies_default_to_drop_pass_pass_track),
		cmocka_unit_test(policies_can_be_flipped),
		cmocka_unit_test(missing_local_is_an_error),
		cmocka_unit_test(empty_site_file_is_missing_local),
		cmocka_unit_test(local_twice_is_an_error),
		cmocka_unit_test(local_without_names_is_an_error),
		cmocka_unit_test(empty_name_in_local_is_an_error),
		cmocka_unit_test(table_twice_is_an_error),
		cmocka_unit_test(tables_of_several_pages),
		cmocka_unit_test(a_page_and_a_table_of_it_is_an_error),
		cmocka_unit_test(hash_is_a_comment_beside_table_lines),
		cmocka_unit_test(table_without_name_is_an_error),
		cmocka_unit_test(role_without_addresses_is_an_error),
		cmocka_unit_test(role_without_equals_is_an_error),
		cmocka_unit_test(role_without_name_is_an_error),
		cmocka_unit_test(bad_address_in_role_is_rejected),
		cmocka_unit_test(empty_address_in_role_is_rejected),
		cmocka_unit_test(ipv4_prefix_length_33_in_role_is_rejected),
		cmocka_unit_test(ipv6_prefix_length_129_in_role_is_rejected),
		cmocka_unit_test(role_defined_twice_is_an_error),
		cmocka_unit_test(role_named_any_is_an_error),
		cmocka_unit_test(role_named_like_an_address_is_an_error),
		cmocka_unit_test(row_with_bad_protocol_is_rejected_with_line),
		cmocka_unit_test(row_with_two_cells_is_rejected),
		cmocka_unit_test(row_with_five_cells_is_rejected),
		cmocka_unit_test(row_with_empty_source_is_rejected),
		cmocka_unit_test(row_with_empty_destination_is_rejected),
		cmocka_unit_test(row_with_bad_literal_address_is_rejected),
		cmocka_unit_test(row_with_bad_literal_prefix_length_is_rejected),
		cmocka_unit_test(bad_policy_value_is_rejected),
		cmocka_unit_test(unknown_policy_is_rejected),
		cmocka_unit_test(policy_with_extra_words_is_rejected),
		cmocka_unit_test(timeouts_default_to_300_and_60_seconds),
		cmocka_unit_test(timeouts_are_set_per_transport),
		cmocka_unit_test(timeout_zero_is_rejected),
		cmocka_unit_test(timeout_over_a_day_is_rejected),
		cmocka_unit_test(timeout_that_is_not_a_number_is_rejected),
		cmocka_unit_test(timeout_of_unknown_transport_is_rejected),
		cmocka_unit_test(unknown_directive_is_rejected),
		cmocka_unit_test(log_rate_defaults_to_100_a_second),
		cmocka_unit_test(log_rate_is_set_in_events_a_second),
		cmocka_unit_test(log_rate_zero_turns_the_log_off),
		cmocka_unit_test(log_rate_without_unit_is_rejected),
		cmocka_unit_test(log_rate_per_minute_is_rejected),
		cmocka_unit_test(log_rate_negative_is_rejected),
		cmocka_unit_test(log_rate_over_a_million_is_rejected),
		cmocka_unit_test(flows_default_to_16384),
		cmocka_unit_test(flows_max_sets_the_flow_table_entries),
		cmocka_unit_test(flows_max_takes_its_bounds),
		cmocka_unit_test(flows_max_below_1024_is_rejected),
		cmocka_unit_test(flows_max_past_4194304_is_rejected),
		cmocka_unit_test(flows_max_that_is_not_a_number_is_rejected),
		cmocka_unit_test(flows_without_max_is_rejected),
		cmocka_unit_test(log_without_rate_is_rejected),
		cmocka_unit_test(audit_is_unset_without_the_directive),
		cmocka_unit_test(audit_directive_sets_audit_on_and_off),
		cmocka_unit_test(audit_directive_with_other_word_or_twice_is_rejected),
		cmocka_unit_test(line_over_4096_characters_is_rejected),
		cmocka_unit_test(line_of_4096_characters_is_accepted),
		cmocka_unit_test(error_after_many_rows_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
