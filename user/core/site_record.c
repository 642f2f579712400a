// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config_load.h"
#include "core/site_record.h"

#define RECORD_MARK "# xpf: the rule set loaded at "

/* Per network namespace, as the interface lock: two namespaces' eth0 are two interfaces. */
static int record_path(const char *ifname, const char *suffix, char *path, size_t size)
{
	struct stat net;

	if (strchr(ifname, '/'))
		return -ENODEV;
	if (stat("/proc/self/ns/net", &net))
		return -errno;
	snprintf(path, size, "%s/%lu-%s.site%s", XPF_SITE_RECORD_DIR, (unsigned long)net.st_ino,
		 ifname, suffix);
	return 0;
}

int xpf_site_record_write(const char *ifname, uint64_t loaded_at_ns, const char *text)
{
	char path[256], temporary[256];
	FILE *out;
	int fd, err;

	err = record_path(ifname, "", path, sizeof(path)) ?:
	      record_path(ifname, ".new", temporary, sizeof(temporary));
	if (err)
		return err;
	if (mkdir(XPF_SITE_RECORD_DIR, 0700) && errno != EEXIST)
		return -errno;
	fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	out = fdopen(fd, "w");
	if (!out) {
		err = -errno;
		close(fd);
		return err;
	}
	fprintf(out, RECORD_MARK "%" PRIu64 " ns\n%s", loaded_at_ns, text);
	err = ferror(out) ? -EIO : 0;
	if (fclose(out))
		err = err ?: -errno;
	if (!err && rename(temporary, path))
		err = -errno;
	if (err)
		unlink(temporary);
	return err;
}

int xpf_site_record_read(const char *ifname, uint64_t loaded_at_ns, char **text,
			 struct xpf_error *err)
{
	char path[256], mark[64];
	size_t length;
	int ret = record_path(ifname, "", path, sizeof(path));

	*text = NULL;
	if (ret)
		return ret;
	ret = xpf_read_file(path, text, err);
	if (ret == -ENOENT)
		return xpf_error_set(err, ifname, 0, "no record of the rule set in force (%s): "
				     "reload it to make one", path), -ENOENT;
	if (ret)
		return ret;
	length = (size_t)snprintf(mark, sizeof(mark), RECORD_MARK "%" PRIu64 " ns\n", loaded_at_ns);
	if (strncmp(*text, mark, length)) {
		free(*text);
		*text = NULL;
		xpf_error_set(err, ifname, 0, "%s records another rule set than the one in force: "
			      "reload it to make one", path);
		return -ENOENT;
	}
	memmove(*text, *text + length, strlen(*text + length) + 1);
	return 0;
}

void xpf_site_record_remove(const char *ifname)
{
	char path[256];

	if (!record_path(ifname, "", path, sizeof(path)))
		unlink(path);
}
