/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: which kernel releases `xpf load` accepts (user/core/kernel_release.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/kernel_release.h"

static void the_minimum_and_later_are_supported(void **state)
{
	char exact[32];

	(void)state;
	snprintf(exact, sizeof(exact), "%d.%d.0", XPF_MIN_KERNEL_MAJOR, XPF_MIN_KERNEL_MINOR);
	assert_int_equal(xpf_kernel_release_supported(exact), 1);
	assert_int_equal(xpf_kernel_release_supported(XPF_MIN_KERNEL), 1);
	assert_int_equal(xpf_kernel_release_supported("6.1.0-18-amd64"), 1);
	assert_int_equal(xpf_kernel_release_supported("6.18.0"), 1);
	assert_int_equal(xpf_kernel_release_supported("5.19.17-generic"), 1);
	assert_int_equal(xpf_kernel_release_supported("10.0"), 1);
}

static void older_releases_are_not(void **state)
{
	char just_before[32];

	(void)state;
	snprintf(just_before, sizeof(just_before), "%d.%d.99-rc1", XPF_MIN_KERNEL_MAJOR,
		 XPF_MIN_KERNEL_MINOR - 1);
	assert_int_equal(xpf_kernel_release_supported(just_before), 0);
	assert_int_equal(xpf_kernel_release_supported("5.10.0-28-amd64"), 0);
	/* 5.2 is not 5.20: the minor is a number, not a string. */
	assert_int_equal(xpf_kernel_release_supported("5.2.0"), 0);
	assert_int_equal(xpf_kernel_release_supported("4.19.0"), 0);
}

static void a_release_without_major_minor_is_unknown(void **state)
{
	(void)state;
	assert_int_equal(xpf_kernel_release_supported(""), -1);
	assert_int_equal(xpf_kernel_release_supported("linux"), -1);
	assert_int_equal(xpf_kernel_release_supported("6"), -1);
	assert_int_equal(xpf_kernel_release_supported("6."), -1);
	assert_int_equal(xpf_kernel_release_supported("-5.18"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_minimum_and_later_are_supported),
		cmocka_unit_test(older_releases_are_not),
		cmocka_unit_test(a_release_without_major_minor_is_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
