/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: `local auto`, the roles a host takes from its addresses (user/core/host_roles.c)
 * and the rule set built for it (user/core/ruleset.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "core/host_roles.h"
#include "site_text.h"

/* One site file for a pool of two Directors behind a VIP, on a network that another role
 * (the Front End pool) names as a whole. */
static const char pool_site[] =
	"local auto\n"
	"role Director = 192.0.2.101, 192.0.2.102, 2001:db8:1::101, 2001:db8:1::102\n"
	"role VIP = 192.0.2.100\n"
	"role Front End pool = 192.0.2.0/24\n"
	"role Clients = 198.51.100.0/24\n"
	"role Quarantine = none\n"
	"allow TCP 443 | Clients | Director\n"
	"allow TCP 443 | Clients | VIP\n"
	"allow TCP 5061 | Director | Front End pool\n";

static struct xpf_prefix host(const char *text)
{
	struct xpf_prefix prefix;
	const char *problem;

	assert_int_equal(xpf_prefix_parse(text, &prefix, &problem), 0);
	return prefix;
}

/* The pool site for a host with @addrs: parsed, roles taken, rule set built. */
static void build_for(const char *const *addrs, size_t count, struct xpf_site *site,
		      struct xpf_ruleset *rs)
{
	struct xpf_prefix hosts[8];
	struct xpf_error err = { { 0 } };
	struct xpf_table table;

	for (size_t i = 0; i < count; i++)
		hosts[i] = host(addrs[i]);
	parse_inputs(pool_site, NULL, site, &table);
	if (xpf_site_take_host(site, hosts, count, &err))
		fail_msg("take host: %s", err.message);
	if (xpf_ruleset_build(site, &table, rs, &err))
		fail_msg("build: %s", err.message);
	xpf_table_free(&table);
}

static bool role_is_local(const struct xpf_site *site, const char *name)
{
	for (size_t i = 0; i < site->role_count; i++)
		if (xpf_role_name_equal(site->roles[i].name, name))
			return site->roles[i].local;
	fail_msg("no role %s", name);
	return false;
}

static void local_is(const struct xpf_ruleset *rs, size_t index, const char *addr,
		     const char *role)
{
	char text[64];

	assert_true(index < rs->local_count);
	xpf_prefix_format(&rs->locals[index].addr, text, sizeof(text));
	assert_string_equal(text, addr);
	assert_string_equal(rs->locals[index].role, role);
}

static void local_auto_is_parsed(void **state)
{
	struct xpf_site site;
	struct xpf_table table;

	(void)state;
	parse_inputs(pool_site, NULL, &site, &table);
	assert_true(site.local_auto);
	assert_int_equal(site.local_line, 1);
	assert_int_equal(site.local_name_count, 0);
	xpf_site_free(&site);
}

/* The longest prefix wins: the Director's /32, not the Front End pool's /24. */
static void host_takes_the_role_naming_its_own_address(void **state)
{
	static const char *const addrs[] = { "127.0.0.1", "192.0.2.102", "fe80::1" };
	struct xpf_ruleset rs;
	struct xpf_site site;

	(void)state;
	build_for(addrs, 3, &site, &rs);
	assert_true(role_is_local(&site, "Director"));
	assert_false(role_is_local(&site, "Front End pool"));
	assert_false(role_is_local(&site, "VIP"));
	assert_int_equal(rs.local_count, 1);
	local_is(&rs, 0, "192.0.2.102", "Director");
	xpf_ruleset_free(&rs);
	xpf_site_free(&site);
}

/* Only the host's own addresses are enforced, not the other Director's. */
static void other_members_of_the_role_are_not_local(void **state)
{
	static const char *const addrs[] = { "192.0.2.101", "2001:db8:1::101" };
	struct xpf_ruleset rs;
	struct xpf_site site;

	(void)state;
	build_for(addrs, 2, &site, &rs);
	assert_int_equal(rs.local_count, 2);
	local_is(&rs, 0, "192.0.2.101", "Director");
	local_is(&rs, 1, "2001:db8:1::101", "Director");
	assert_int_equal(rs.rules[0].direction, XPF_DIRECTION_INGRESS);
	assert_int_equal(rs.rules[0].destination_count, 2);
	assert_int_equal(rs.rules[1].direction, XPF_DIRECTION_NOT_FOR_HOST);
	assert_int_equal(rs.rules[2].direction, XPF_DIRECTION_OUTBOUND);
	assert_int_equal(rs.rules[2].reply_local_count, 2);
	xpf_ruleset_free(&rs);
	xpf_site_free(&site);
}

/* A DSR real server holds the VIP on lo: both roles are its own. */
static void host_with_the_vip_takes_both_roles(void **state)
{
	static const char *const addrs[] = { "192.0.2.101", "192.0.2.100" };
	struct xpf_ruleset rs;
	struct xpf_site site;

	(void)state;
	build_for(addrs, 2, &site, &rs);
	assert_true(role_is_local(&site, "Director"));
	assert_true(role_is_local(&site, "VIP"));
	assert_int_equal(rs.local_count, 2);
	local_is(&rs, 0, "192.0.2.101", "Director");
	local_is(&rs, 1, "192.0.2.100", "VIP");
	assert_int_equal(rs.rules[1].direction, XPF_DIRECTION_INGRESS);
	xpf_ruleset_free(&rs);
	xpf_site_free(&site);
}

/* An address only a network holds makes that role the host's. */
static void network_role_is_taken_when_nothing_narrower_holds_the_address(void **state)
{
	static const char *const addrs[] = { "192.0.2.7" };
	struct xpf_ruleset rs;
	struct xpf_site site;

	(void)state;
	build_for(addrs, 1, &site, &rs);
	assert_true(role_is_local(&site, "Front End pool"));
	assert_false(role_is_local(&site, "Director"));
	assert_int_equal(rs.local_count, 1);
	local_is(&rs, 0, "192.0.2.7", "Front End pool");
	xpf_ruleset_free(&rs);
	xpf_site_free(&site);
}

static void host_that_no_role_holds_is_an_error(void **state)
{
	struct xpf_prefix hosts[2] = { host("203.0.113.9"), host("2001:db8:9::1") };
	struct xpf_error err = { { 0 } };
	struct xpf_table table;
	struct xpf_site site;

	(void)state;
	parse_inputs(pool_site, NULL, &site, &table);
	assert_int_equal(xpf_site_take_host(&site, hosts, 2, &err), -ENOENT);
	assert_string_equal(err.message, "site.conf:1: `local auto`: no role holds an address of "
					 "this host (203.0.113.9, 2001:db8:9::1)");
	xpf_site_free(&site);
}

/* A caller that never said which host it is cannot build a `local auto` site. */
static void unknown_host_fails_the_build(void **state)
{
	struct xpf_error err = { { 0 } };
	struct xpf_ruleset rs;
	struct xpf_table table;
	struct xpf_site site;

	(void)state;
	parse_inputs(pool_site, NULL, &site, &table);
	assert_int_equal(xpf_ruleset_build(&site, &table, &rs, &err), -EINVAL);
	assert_string_equal(err.message,
			    "site.conf:1: `local auto`: this host's addresses are not known");
	xpf_site_free(&site);
}

static void named_local_roles_ignore_the_host(void **state)
{
	struct xpf_prefix hosts[1] = { host("192.0.2.7") };
	struct xpf_error err = { { 0 } };
	struct xpf_table table;
	struct xpf_site site;

	(void)state;
	parse_inputs("local Director\nrole Director = 192.0.2.101\n", NULL, &site, &table);
	assert_int_equal(xpf_site_take_host(&site, hosts, 1, &err), 0);
	assert_true(site.roles[0].local);
	assert_int_equal(site.host_addr_count, 0);
	xpf_site_free(&site);
}

/* A router of the pool: its own role found from its address, the servers behind it named by
 * `protect` and enforced whole; an address only a `protect` role holds is no role of the
 * host's. */
static void protect_roles_stay_behind_the_host(void **state)
{
	struct xpf_prefix hosts[2] = { host("192.0.2.1"), host("192.0.2.9") };
	struct xpf_error err = { { 0 } };
	struct xpf_ruleset rs;
	struct xpf_table table;
	struct xpf_site site;

	(void)state;
	parse_inputs("local auto\nprotect Servers\n"
		     "role Router = 192.0.2.1, 198.51.100.2\n"
		     "role Servers = 192.0.2.8/30\n"
		     "allow TCP 22 | Any | Router\n"
		     "allow TCP 443 | Any | Servers\n", NULL, &site, &table);
	assert_int_equal(xpf_site_take_host(&site, &hosts[1], 1, &err), -ENOENT);
	assert_int_equal(xpf_site_take_host(&site, hosts, 2, &err), 0);
	assert_true(role_is_local(&site, "Router"));
	assert_int_equal(site.host_addr_count, 1);
	assert_true(site.roles[1].protect && site.roles[1].local);
	if (xpf_ruleset_build(&site, &table, &rs, &err))
		fail_msg("build: %s", err.message);
	assert_int_equal(rs.local_count, 5);
	local_is(&rs, 0, "192.0.2.1", "Router");
	assert_false(rs.locals[0].protect);
	local_is(&rs, 1, "192.0.2.8", "Servers");
	local_is(&rs, 4, "192.0.2.11", "Servers");
	assert_true(rs.locals[4].protect);
	assert_int_equal(rs.rules[0].destination_count, 1);
	assert_int_equal(rs.rules[1].destination_count, 4);
	xpf_ruleset_free(&rs);
	xpf_site_free(&site);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_auto_is_parsed),
		cmocka_unit_test(host_takes_the_role_naming_its_own_address),
		cmocka_unit_test(other_members_of_the_role_are_not_local),
		cmocka_unit_test(host_with_the_vip_takes_both_roles),
		cmocka_unit_test(network_role_is_taken_when_nothing_narrower_holds_the_address),
		cmocka_unit_test(host_that_no_role_holds_is_an_error),
		cmocka_unit_test(unknown_host_fails_the_build),
		cmocka_unit_test(named_local_roles_ignore_the_host),
		cmocka_unit_test(protect_roles_stay_behind_the_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
