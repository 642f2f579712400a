/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the policy digest (user/core/policy_text.c, user/cli/policy_digest.c) is the same
 * for every host of a pool and changes with the policy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli/policy_digest.h"
#include "core/host_roles.h"
#include "site_text.h"

#define POOL_ROLES \
	"role Director = 192.0.2.101, 192.0.2.102\n" \
	"role VIP = 192.0.2.100\n" \
	"role Clients = 198.51.100.0/24\n"
#define POOL_ROWS \
	"allow TCP 443 | Clients | Director\n" \
	"allow TCP 443 | Clients | VIP\n"

/* The digest of @site_text built for the host with address @addr. */
static void digest_of(const char *site_text, const char *addr, char out[XPF_DIGEST_HEX_SIZE])
{
	struct xpf_error err = { { 0 } };
	struct xpf_prefix host;
	struct xpf_ruleset rs;
	struct xpf_table table;
	struct xpf_site site;
	const char *problem;

	assert_int_equal(xpf_prefix_parse(addr, &host, &problem), 0);
	parse_inputs(site_text, NULL, &site, &table);
	if (xpf_site_take_host(&site, &host, 1, &err) ||
	    xpf_ruleset_build(&site, &table, &rs, &err))
		fail_msg("%s", err.message);
	xpf_policy_digest(&site, &rs);
	memcpy(out, rs.digest, XPF_DIGEST_HEX_SIZE);
	xpf_ruleset_free(&rs);
	xpf_table_free(&table);
	xpf_site_free(&site);
}

static void digest_is_sha256_in_hex(void **state)
{
	char digest[XPF_DIGEST_HEX_SIZE];

	(void)state;
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.101", digest);
	assert_int_equal(strlen(digest), 64);
	assert_int_equal(strspn(digest, "0123456789abcdef"), 64);
}

/* Two Directors of one pool: their own addresses differ, the digest does not. */
static void hosts_of_one_site_share_the_digest(void **state)
{
	char one[XPF_DIGEST_HEX_SIZE], two[XPF_DIGEST_HEX_SIZE], vip[XPF_DIGEST_HEX_SIZE];

	(void)state;
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.101", one);
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.102", two);
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.100", vip);
	assert_string_equal(one, two);
	assert_string_equal(one, vip);
}

static void comments_blanks_and_role_order_change_nothing(void **state)
{
	char one[XPF_DIGEST_HEX_SIZE], two[XPF_DIGEST_HEX_SIZE];

	(void)state;
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.101", one);
	digest_of("# the pool\nlocal   auto\n\n" POOL_ROWS
		  "role Clients = 198.51.100.0/24   # all of them\n"
		  "role VIP = 192.0.2.100\n"
		  "role Director = 192.0.2.101, 192.0.2.102\n", "192.0.2.102", two);
	assert_string_equal(one, two);
}

static void another_address_of_a_role_changes_the_digest(void **state)
{
	char one[XPF_DIGEST_HEX_SIZE], two[XPF_DIGEST_HEX_SIZE];

	(void)state;
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.101", one);
	digest_of("local auto\n"
		  "role Director = 192.0.2.101, 192.0.2.103\n"
		  "role VIP = 192.0.2.100\n"
		  "role Clients = 198.51.100.0/24\n" POOL_ROWS, "192.0.2.101", two);
	assert_string_not_equal(one, two);
}

static void another_row_changes_the_digest(void **state)
{
	char one[XPF_DIGEST_HEX_SIZE], two[XPF_DIGEST_HEX_SIZE], three[XPF_DIGEST_HEX_SIZE];

	(void)state;
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.101", one);
	digest_of("local auto\n" POOL_ROLES POOL_ROWS "deny TCP 22 | Any | Director\n",
		  "192.0.2.101", two);
	digest_of("local auto\n" POOL_ROLES POOL_ROWS "allow TCP 22 | Any | Director\n",
		  "192.0.2.101", three);
	assert_string_not_equal(one, two);
	assert_string_not_equal(two, three);
}

static void another_policy_changes_the_digest(void **state)
{
	char one[XPF_DIGEST_HEX_SIZE], two[XPF_DIGEST_HEX_SIZE];

	(void)state;
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.101", one);
	digest_of("local auto\n" POOL_ROLES POOL_ROWS "policy default pass\n", "192.0.2.101", two);
	assert_string_not_equal(one, two);
}

/* Named local roles are part of the policy: which addresses are enforced. */
static void named_locals_differ_from_auto_and_from_each_other(void **state)
{
	char automatic[XPF_DIGEST_HEX_SIZE], director[XPF_DIGEST_HEX_SIZE];
	char vip[XPF_DIGEST_HEX_SIZE];

	(void)state;
	digest_of("local auto\n" POOL_ROLES POOL_ROWS, "192.0.2.101", automatic);
	digest_of("local Director\n" POOL_ROLES POOL_ROWS, "192.0.2.101", director);
	digest_of("local VIP\n" POOL_ROLES POOL_ROWS, "192.0.2.101", vip);
	assert_string_not_equal(automatic, director);
	assert_string_not_equal(director, vip);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(digest_is_sha256_in_hex),
		cmocka_unit_test(hosts_of_one_site_share_the_digest),
		cmocka_unit_test(comments_blanks_and_role_order_change_nothing),
		cmocka_unit_test(another_address_of_a_role_changes_the_digest),
		cmocka_unit_test(another_row_changes_the_digest),
		cmocka_unit_test(another_policy_changes_the_digest),
		cmocka_unit_test(named_locals_differ_from_auto_and_from_each_other),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
