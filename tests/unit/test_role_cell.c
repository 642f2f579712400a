/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: a table's role cell and the roles it names (user/core/role_cell.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/config.h"

static void one_name_has_no_parts(void **state)
{
	struct xpf_role_cell cell;

	(void)state;
	xpf_role_cell_split("Edge Server internal interface", &cell);
	assert_false(cell.any);
	assert_int_equal(cell.count, 0);
	/* Its parentheses are its own. */
	xpf_role_cell_split("XMPP Proxy service (shares IP address with Access Edge service)", &cell);
	assert_int_equal(cell.count, 0);
}

static void or_and_commas_split_parts(void **state)
{
	struct xpf_role_cell cell;

	(void)state;
	xpf_role_cell_split("Director or Director pool", &cell);
	assert_int_equal(cell.count, 2);
	assert_string_equal(cell.parts[0], "Director");
	assert_string_equal(cell.parts[1], "Director pool");
	xpf_role_cell_split("Front End Server, Front End pool, Director, Director pool, Office Web "
			    "Apps for conferencing", &cell);
	assert_int_equal(cell.count, 5);
	assert_string_equal(cell.parts[1], "Front End pool");
	assert_string_equal(cell.parts[4], "Office Web Apps for conferencing");
	xpf_role_cell_split("Front End pool or Front End Server", &cell);
	assert_int_equal(cell.count, 2);
	assert_string_equal(cell.parts[1], "Front End Server");
	/* ", or " is one separator, case and line breaks aside. */
	xpf_role_cell_split("Edge Server IP,  OR\n pool that holds the internal interface", &cell);
	assert_int_equal(cell.count, 2);
	assert_string_equal(cell.parts[1], "pool that holds the internal interface");
}

static void any_lists_the_roles_that_narrow_it(void **state)
{
	struct xpf_role_cell cell;

	(void)state;
	xpf_role_cell_split("Any (can be defined as Director, Director pool IP address, Front End "
			    "Server or Front End pool IP address)", &cell);
	assert_true(cell.any);
	assert_int_equal(cell.count, 4);
	assert_string_equal(cell.parts[0], "Director");
	assert_string_equal(cell.parts[1], "Director pool IP address");
	assert_string_equal(cell.parts[2], "Front End Server");
	assert_string_equal(cell.parts[3], "Front End pool IP address");
	xpf_role_cell_split("Any (can be defined as the Front End Server IP address, or pool that "
			    "holds the Central Management store)", &cell);
	assert_true(cell.any);
	assert_int_equal(cell.count, 2);
	assert_string_equal(cell.parts[1], "pool that holds the Central Management store");
	/* Any with one role that narrows it is still a list. */
	xpf_role_cell_split("Any (Director)", &cell);
	assert_true(cell.any);
	assert_int_equal(cell.count, 1);
	assert_string_equal(cell.parts[0], "Director");
}

static void parts_too_long_or_too_many_are_left_out(void **state)
{
	char text[2048] = "", name[XPF_NAME_MAX + 2];
	struct xpf_role_cell cell;

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(text, sizeof(text), "Director or %s or Edge", name);
	xpf_role_cell_split(text, &cell);
	assert_int_equal(cell.count, 2);
	assert_string_equal(cell.parts[1], "Edge");
	text[0] = '\0';
	for (int i = 0; i < XPF_ROLE_PARTS_MAX + 3; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%sR%d", i ? ", " : "", i);
	xpf_role_cell_split(text, &cell);
	assert_int_equal(cell.count, XPF_ROLE_PARTS_MAX);
	xpf_role_cell_split("", &cell);
	assert_int_equal(cell.count, 0);
	xpf_role_cell_split(NULL, &cell);
	assert_int_equal(cell.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_name_has_no_parts),
		cmocka_unit_test(or_and_commas_split_parts),
		cmocka_unit_test(any_lists_the_roles_that_narrow_it),
		cmocka_unit_test(parts_too_long_or_too_many_are_left_out),
	};

	return cmocka_run_group_tests_name("role cells", tests, NULL, NULL);
}
