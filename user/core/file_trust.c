// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Ownership and mode of the files that say what is enforced (file_trust.h). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file_trust.h"

#define ADVICE "; it decides what this host admits (chown root, chmod go-w, or pass --force)"

int xpf_file_check_trusted(int fd, const char *path, struct xpf_error *err)
{
	const struct passwd *owner;
	const struct group *group;
	struct stat st;

	if (fstat(fd, &st)) {
		xpf_error_set(err, path, 0, "cannot stat: %s", strerror(errno));
		return -EPERM;
	}
	if (st.st_uid != 0) {
		owner = getpwuid(st.st_uid);
		xpf_error_set(err, path, 0, "owned by %s (uid %u), not root" ADVICE,
			      owner ? owner->pw_name : "an unknown user", (unsigned int)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & S_IWOTH) {
		xpf_error_set(err, path, 0, "writable by every user (mode %04o)" ADVICE,
			      (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	if ((st.st_mode & S_IWGRP) && st.st_gid != 0) {
		group = getgrgid(st.st_gid);
		xpf_error_set(err, path, 0, "writable by group %s (gid %u, mode %04o)" ADVICE,
			      group ? group->gr_name : "(unknown)", (unsigned int)st.st_gid,
			      (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}
