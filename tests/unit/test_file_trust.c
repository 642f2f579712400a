/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Unit tests: which site and table files xpf load/reload trust (user/core/file_trust.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/file_trust.h"

#define NOBODY 65534

struct file {
	char path[64];
	int fd;
	struct xpf_error err;
};

/* A temporary file with @uid:@gid and @mode; the test is skipped where it cannot be made
 * (only root can give a file to someone else). */
static void make_file(struct file *file, uid_t uid, gid_t gid, mode_t mode)
{
	snprintf(file->path, sizeof(file->path), "/tmp/xpf-trust-XXXXXX");
	file->fd = mkstemp(file->path);
	assert_true(file->fd >= 0);
	memset(&file->err, 0, sizeof(file->err));
	if (fchown(file->fd, uid, gid)) {
		close(file->fd);
		unlink(file->path);
		skip();
	}
	assert_int_equal(fchmod(file->fd, mode), 0);
}

static int check(struct file *file)
{
	int ret = xpf_file_check_trusted(file->fd, file->path, &file->err);

	close(file->fd);
	unlink(file->path);
	return ret;
}

static void assert_names_file(const struct file *file, const char *problem)
{
	char prefix[80];

	snprintf(prefix, sizeof(prefix), "%s: ", file->path);
	assert_int_equal(strncmp(file->err.message, prefix, strlen(prefix)), 0);
	assert_non_null(strstr(file->err.message, problem));
	assert_non_null(strstr(file->err.message, "--force"));
}

static void root_owned_not_writable_by_others_is_trusted(void **state)
{
	struct file file = { .fd = -1 };

	(void)state;
	make_file(&file, 0, 0, 0644);
	assert_int_equal(check(&file), 0);
}

static void writable_by_root_group_is_trusted(void **state)
{
	struct file file = { .fd = -1 };

	(void)state;
	make_file(&file, 0, 0, 0664);
	assert_int_equal(check(&file), 0);
}

static void writable_by_everyone_is_refused(void **state)
{
	struct file file = { .fd = -1 };

	(void)state;
	make_file(&file, 0, 0, 0666);
	assert_int_equal(check(&file), -EPERM);
	assert_names_file(&file, "writable by every user (mode 0666)");
}

static void writable_by_another_group_is_refused(void **state)
{
	struct file file = { .fd = -1 };

	(void)state;
	make_file(&file, 0, NOBODY, 0664);
	assert_int_equal(check(&file), -EPERM);
	assert_names_file(&file, "writable by group");
}

static void readable_by_another_group_is_trusted(void **state)
{
	struct file file = { .fd = -1 };

	(void)state;
	make_file(&file, 0, NOBODY, 0644);
	assert_int_equal(check(&file), 0);
}

static void owned_by_another_user_is_refused(void **state)
{
	struct file file = { .fd = -1 };

	(void)state;
	make_file(&file, NOBODY, NOBODY, 0600);
	assert_int_equal(check(&file), -EPERM);
	assert_names_file(&file, "not root");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_owned_not_writable_by_others_is_trusted),
		cmocka_unit_test(writable_by_root_group_is_trusted),
		cmocka_unit_test(writable_by_everyone_is_refused),
		cmocka_unit_test(writable_by_another_group_is_refused),
		cmocka_unit_test(readable_by_another_group_is_trusted),
		cmocka_unit_test(owned_by_another_user_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
