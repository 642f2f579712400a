// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* bpffs and the pin directories of interfaces (pins.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/magic.h>

#include "kernel/pins.h"
#include "lib/logging.h"

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return !statfs(path, &st) && st.f_type == BPF_FS_MAGIC;
}

/* The inode numbers of the initial network and mount namespaces where the kernel fixes them
 * (include/linux/proc_ns.h: PROC_NET_INIT_INO, PROC_MNT_INIT_INO): a process that may not
 * read /proc/1/ns (pid 1 in a user namespace of its own, a sandbox's init) still tells the
 * host's namespaces from others. Dynamic namespace inodes start above them. */
#define NET_NS_INIT_INO 0xEFFFFFF9U
#define MNT_NS_INIT_INO 0xEFFFFFF8U

static bool same_namespace(const char *kind, struct stat *self)
{
	char path[64];
	struct stat init;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", kind);
	if (stat(path, self))
		return false;
	snprintf(path, sizeof(path), "/proc/1/ns/%s", kind);
	if (!stat(path, &init))
		return self->st_ino == init.st_ino && self->st_dev == init.st_dev;
	return self->st_ino == (strcmp(kind, "net") ? MNT_NS_INIT_INO : NET_NS_INIT_INO);
}

static bool in_host_mount_namespace(void)
{
	struct stat self;

	return same_namespace("mnt", &self);
}

/* Interface names are unique per network namespace only, and bpffs is shared by all of them:
 * a filter loaded from another network namespace pins under a directory of that namespace's
 * own, so that two eth0s never share (and never remove) each other's pins. */
void xpf_pin_dir(const char *ifname, char *buf, size_t size)
{
	struct stat net;

	if (same_namespace("net", &net))
		snprintf(buf, size, "%s/%s", XPF_PIN_ROOT, ifname);
	else
		snprintf(buf, size, "%s/netns-%lu/%s", XPF_PIN_ROOT, (unsigned long)net.st_ino,
			 ifname);
}

uint32_t xpf_pinned_prog_id(const char *path)
{
	struct bpf_prog_info info = {};
	__u32 length = sizeof(info);
	int fd = bpf_obj_get(path);
	uint32_t id = 0;

	if (fd < 0)
		return 0;
	if (!bpf_obj_get_info_by_fd(fd, &info, &length))
		id = info.id;
	close(fd);
	return id;
}

bool xpf_bpffs_mounted(void)
{
	return is_bpffs(XPF_BPFFS);
}

bool xpf_bpffs_ready(void)
{
	if (is_bpffs(XPF_BPFFS))
		return true;
	/* Under `ip netns exec` every command gets a mount namespace of its own: a bpffs mounted
	 * there would vanish with the command, so xpf works from the kernel's state alone. */
	if (!in_host_mount_namespace())
		return false;
	if (mount("bpf", XPF_BPFFS, "bpf", 0, "mode=0700")) {
		pr_info("xpf: cannot mount bpffs on %s: %s; working without pins\n", XPF_BPFFS,
			strerror(errno));
		return false;
	}
	pr_info("xpf: mounted bpffs on %s\n", XPF_BPFFS);
	return true;
}
