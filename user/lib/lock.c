// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Two xpf changing one filter at once would write the same spare generation together and flip
 * to a mix of both, and each would take the other's half-written generation for a leftover to
 * clear: load, reload and unload take the interface's lock first (lock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/logging.h"

/* /run/lock is the FHS place; /run where a system has none. */
static const char *const lock_dirs[] = { "/run/lock", "/run" };

/* The descriptor that holds the lock; -1 while none is held. */
static int held_fd = -1;

void xpf_lock_release(void)
{
	if (held_fd >= 0)
		close(held_fd);
	held_fd = -1;
}

int xpf_lock_interface(const char *ifname)
{
	struct stat net;
	char path[128];
	int fd = -1;

	/* Interface names never hold a slash: such a name names no interface, and no file. */
	if (strchr(ifname, '/'))
		return -ENODEV;
	if (stat("/proc/self/ns/net", &net))
		return -errno;
	/* Per network namespace: two namespaces' eth0 are two interfaces. */
	for (size_t i = 0; i < sizeof(lock_dirs) / sizeof(lock_dirs[0]) && fd < 0; i++) {
		snprintf(path, sizeof(path), "%s/xpf-%lu-%s.lock", lock_dirs[i],
			 (unsigned long)net.st_ino, ifname);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (fd < 0)
		return -errno;
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB); waited++) {
		if (errno != EWOULDBLOCK || waited == XPF_LOCK_WAIT_S * 10) {
			int err = errno == EWOULDBLOCK ? -EBUSY : -errno;

			close(fd);
			return err;
		}
		if (!waited)
			pr_info("xpf: waiting for another xpf working on %s\n", ifname);
		usleep(100000);
	}
	held_fd = fd;
	return 0;	/* the descriptor stays open, and the lock held, until exit */
}
