/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: a site file written out again (user/core/site_format.c) reads back to the same
 * site and the same rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config_load.h"
#include <sys/socket.h>

#include "core/site_format.h"

static const char site_text[] =
	"table  lync2013-director-dns-hlb   # built in\n"
	"local  Director ,Director Hardware Load Balancer VIP\n"
	"role   Director = 192.0.2.101, 2001:db8:1::101\n"
	"role   Director Hardware Load Balancer VIP = 192.0.2.100\n"
	"role   Reverse proxy internal interface = none\n"
	"role   Edge Server internal interface = 192.0.2.50\n"
	"role   Front End pool or Front End Server = 192.0.2.20/30\n"
	"role   Internal Clients = 198.51.100.0/24, 2001:db8:100::/48\n"
	"allow  SSH/TCP 22 | 203.0.113.0/28 | Director | remote administration\n"
	"deny   HTTPS/TCP 443 | 198.51.100.66 | Director Hardware Load Balancer VIP\n"
	"allow  TCP/UDP 50,000-59,999 | Internal Clients | Director\n"
	"policy icmp drop\n"
	"policy fragments drop\n"
	"timeout udp 30\n"
	"log rate 0/s\n"
	"flows max 4096\n"
	"audit\n";

static void read_text(const char *text, struct xpf_loaded_config *config)
{
	struct xpf_error err = { { 0 } };

	if (xpf_config_read_text(text, "site.conf", config, &err) || xpf_config_build(config, &err))
		fail_msg("unexpected error: %s", err.message);
}

static char *format(const struct xpf_loaded_config *config)
{
	char *text = NULL;

	assert_int_equal(xpf_site_format_text(config, &text), 0);
	return text;
}

static void assert_same_rules(const struct xpf_ruleset *a, const struct xpf_ruleset *b)
{
	assert_int_equal(a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		const struct xpf_rule *x = &a->rules[i], *y = &b->rules[i];

		assert_string_equal(x->row.label, y->row.label);
		assert_string_equal(x->row.source, y->row.source);
		assert_string_equal(x->row.destination, y->row.destination);
		assert_int_equal(x->row.action, y->row.action);
		assert_int_equal(x->row.protocols, y->row.protocols);
		assert_int_equal(x->row.port_first, y->row.port_first);
		assert_int_equal(x->row.port_last, y->row.port_last);
		assert_int_equal(x->direction, y->direction);
		assert_int_equal(x->source_count, y->source_count);
		assert_memory_equal(x->sources, y->sources, x->source_count * sizeof(*x->sources));
		assert_int_equal(x->destination_count, y->destination_count);
		assert_memory_equal(x->destinations, y->destinations,
				    x->destination_count * sizeof(*x->destinations));
	}
	assert_int_equal(a->local_count, b->local_count);
	assert_memory_equal(&a->policy, &b->policy, sizeof(a->policy));
}

static void formatted_site_reads_back_to_the_same_rules(void **state)
{
	struct xpf_loaded_config first, second;
	char *text;

	(void)state;
	read_text(site_text, &first);
	text = format(&first);
	read_text(text, &second);
	assert_same_rules(&first.ruleset, &second.ruleset);
	assert_int_equal(second.site.audit, 1);
	assert_int_equal(second.site.role_count, first.site.role_count);
	free(text);
	xpf_config_free(&first);
	xpf_config_free(&second);
}

static void formatting_is_a_fixed_point(void **state)
{
	struct xpf_loaded_config first, second;
	char *once, *twice;

	(void)state;
	read_text(site_text, &first);
	once = format(&first);
	read_text(once, &second);
	twice = format(&second);
	assert_string_equal(once, twice);
	assert_non_null(strstr(once, "role Reverse proxy internal interface = none\n"));
	assert_non_null(strstr(once, "allow TCP/UDP 50,000-59,999 | Internal Clients | Director\n"));
	assert_non_null(strstr(once, "policy icmp drop\npolicy fragments drop\n"));
	assert_non_null(strstr(once, "log rate 0/s\nflows max 4096\naudit on\n"));
	free(once);
	free(twice);
	xpf_config_free(&first);
	xpf_config_free(&second);
}

/* `local auto` and `protect` are written as such: the record of a pool's site reads back on
 * its host to the same rules (a revert, `xpf save`). */
static void local_auto_and_protect_are_kept(void **state)
{
	static const char pool[] = "local auto\nprotect Servers\n"
				   "role Router = 192.0.2.1, 192.0.2.2\n"
				   "role Servers = 198.51.100.0/30\n"
				   "allow TCP 443 | Any | Servers\n"
				   "allow TCP 22 | Any | Router\n";
	struct xpf_prefix host = { .family = AF_INET, .len = 32, .addr = { 192, 0, 2, 2 } };
	struct xpf_loaded_config first, second;
	char *text;

	(void)state;
	xpf_config_set_host(&host, 1);
	read_text(pool, &first);
	text = format(&first);
	assert_non_null(strstr(text, "local auto\nprotect Servers\n"));
	read_text(text, &second);
	assert_same_rules(&first.ruleset, &second.ruleset);
	assert_int_equal(second.ruleset.local_count, 5);
	xpf_config_set_host(NULL, 0);
	free(text);
	xpf_config_free(&first);
	xpf_config_free(&second);
}

static void protect_and_local_are_both_written(void **state)
{
	static const char text[] =
		"local  Router\n"
		"protect Director, Director Hardware Load Balancer VIP\n"
		"role Router = 203.0.113.1\n"
		"role Director = 192.0.2.101\n"
		"role Director Hardware Load Balancer VIP = 192.0.2.100\n"
		"allow TCP 22 | 198.51.100.0/24 | Router\n"
		"allow TCP 443 | Any | Director\n";
	struct xpf_loaded_config first, second;
	char *once;

	(void)state;
	read_text(text, &first);
	once = format(&first);
	assert_non_null(strstr(once, "local Router\nprotect Director, Director Hardware Load "
				     "Balancer VIP\n"));
	read_text(once, &second);
	assert_same_rules(&first.ruleset, &second.ruleset);
	free(once);
	xpf_config_free(&first);
	xpf_config_free(&second);
}

static void protect_alone_is_written_without_local(void **state)
{
	static const char text[] = "protect Director\nrole Director = 192.0.2.101\n"
				   "allow TCP 443 | Any | Director\n";
	struct xpf_loaded_config first, second;
	char *once;

	(void)state;
	read_text(text, &first);
	once = format(&first);
	assert_null(strstr(once, "local"));
	read_text(once, &second);
	assert_same_rules(&first.ruleset, &second.ruleset);
	free(once);
	xpf_config_free(&first);
	xpf_config_free(&second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formatted_site_reads_back_to_the_same_rules),
		cmocka_unit_test(formatting_is_a_fixed_point),
		cmocka_unit_test(local_auto_and_protect_are_kept),
		cmocka_unit_test(protect_and_local_are_both_written),
		cmocka_unit_test(protect_alone_is_written_without_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
