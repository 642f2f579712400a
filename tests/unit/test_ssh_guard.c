/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: the lockout guard (user/core/ssh_guard.c) and the user-space judge it asks
 * (user/core/judge.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "core/config.h"
#include "core/ssh_guard.h"

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

#define SITE                                                                                      \
	"local Director\n"                                                                        \
	"role Director = 192.0.2.101, 2001:db8:1::101\n"                                          \
	"role Admin workstations = 203.0.113.0/28, 2001:db8:aa::/48\n"                            \
	"allow SSH/TCP 22 | Admin workstations | Director\n"

static int guard(const char *text, const char *session, char *message)
{
	struct rules rules;
	int ret;

	build(text, &rules);
	ret = xpf_ssh_guard(session, &rules.site, &rules.ruleset, message, 512);
	release(&rules);
	return ret;
}

static void session_a_row_admits_passes(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE, "203.0.113.5 50022 192.0.2.101 22", message), 0);
	assert_int_equal(guard(SITE, "2001:db8:aa::9 50022 2001:db8:1::101 22", message), 0);
}

static void no_session_is_never_refused(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE, NULL, message), 0);
	assert_int_equal(guard(SITE, "", message), 0);
}

static void session_to_default_drop_names_the_row_it_needs(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE, "198.51.100.7 50022 192.0.2.101 22", message), 1);
	assert_string_equal(message, "the SSH session from 198.51.100.7 port 50022 to 192.0.2.101 "
			    "port 22 would be dropped by `policy default drop`; it needs the row "
			    "`allow TCP 22 | 198.51.100.7/32 | Director`");
}

static void session_on_another_port_needs_that_port(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE, "203.0.113.5 50022 192.0.2.101 2222", message), 1);
	assert_non_null(strstr(message, "`allow TCP 2222 | 203.0.113.5/32 | Director`"));
}

static void longer_deny_row_beats_the_allow_and_is_named(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE "deny TCP 22 | 203.0.113.4/30 | Director\n",
			       "203.0.113.5 50022 192.0.2.101 22", message), 1);
	assert_non_null(strstr(message, "dropped by the row `deny TCP 22 | 203.0.113.4/30 | "
				       "Director`"));
}

static void ipv6_zone_and_mapped_ipv4_are_read(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE, "2001:db8:bb::1%eth0 50022 2001:db8:1::101 22", message), 1);
	assert_non_null(strstr(message, "`allow TCP 22 | 2001:db8:bb::1/128 | Director`"));
	assert_int_equal(guard(SITE, "::ffff:203.0.113.5 50022 ::ffff:192.0.2.101 22", message),
			 0);
}

static void session_not_local_depends_on_policy_other(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE, "198.51.100.7 50022 192.0.2.7 22", message), 0);
	assert_int_equal(guard(SITE "policy other drop\n", "198.51.100.7 50022 192.0.2.7 22",
			       message), 1);
	assert_non_null(strstr(message, "192.0.2.7 is not a local address and `policy other` is "
				       "drop"));
}

static void malformed_session_is_an_error(void **state)
{
	char message[512];

	(void)state;
	assert_int_equal(guard(SITE, "203.0.113.5 50022 192.0.2.101", message), -EINVAL);
	assert_int_equal(guard(SITE, "203.0.113.5 50022 192.0.2.101 70000", message), -EINVAL);
	assert_int_equal(guard(SITE, "host 50022 192.0.2.101 22", message), -EINVAL);
	assert_non_null(strstr(message, "is not 'CLIENT-IP CLIENT-PORT SERVER-IP SERVER-PORT'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_a_row_admits_passes),
		cmocka_unit_test(no_session_is_never_refused),
		cmocka_unit_test(session_to_default_drop_names_the_row_it_needs),
		cmocka_unit_test(session_on_another_port_needs_that_port),
		cmocka_unit_test(longer_deny_row_beats_the_allow_and_is_named),
		cmocka_unit_test(ipv6_zone_and_mapped_ipv4_are_read),
		cmocka_unit_test(session_not_local_depends_on_policy_other),
		cmocka_unit_test(malformed_session_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
