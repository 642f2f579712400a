// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The egress program: load it on the XDP program's maps, attach it (tcx or clsact), find it,
 * detach it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/egress.h"
#include "kernel/filter.h"
#include "kernel/pins.h"
#include "lib/logging.h"
/* After the headers that define the types of its global data (xpf/maps.h). */
#include "egress.skel.h"

/* Debian 12's UAPI headers predate tcx (Linux 6.6); the kernel's values. */
#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS 47
#endif

/* The tc filter xpf owns on clsact egress: its own handle and priority, so it never touches
 * another tool's filters. */
#define XPF_TC_HANDLE 0x5846
#define XPF_TC_PRIORITY 0x5846
#define XPF_EGRESS_LINK_PIN "egress_link"

static int read_meta(const struct xpf_filter *filter, struct xpf_meta *meta)
{
	uint32_t zero = 0;

	return bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, meta) ? -errno : 0;
}

static int record_attach(const struct xpf_filter *filter, enum xpf_egress_attach how)
{
	struct xpf_meta meta;
	uint32_t zero = 0;
	int err = read_meta(filter, &meta);

	if (err)
		return err;
	meta.egress_attach = how;
	return bpf_map_update_elem(filter->map_fds[XPF_MAP_META], &zero, &meta, BPF_ANY) ? -errno
											 : 0;
}

static void link_pin_path(const struct xpf_filter *filter, char *path, size_t size)
{
	char dir[256];

	xpf_pin_dir(filter->ifname, dir, sizeof(dir));
	snprintf(path, size, "%s/%s", dir, XPF_EGRESS_LINK_PIN);
}

static int attach_tcx(const struct xpf_filter *filter, int prog_fd)
{
	char path[320];
	int link_fd, err = 0;

	link_fd = bpf_link_create(prog_fd, filter->ifindex, BPF_TCX_EGRESS, NULL);
	if (link_fd < 0)
		return -errno;
	link_pin_path(filter, path, sizeof(path));
	if (bpf_obj_pin(link_fd, path))
		err = -errno;
	close(link_fd);	/* the pin holds the link from here on */
	return err;
}

static int attach_clsact(const struct xpf_filter *filter, int prog_fd, bool *created)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = filter->ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd, .handle = XPF_TC_HANDLE,
		    .priority = XPF_TC_PRIORITY);
	int err;

	err = bpf_tc_hook_create(&hook);
	*created = !err;
	if (err && err != -EEXIST)
		return err;
	err = bpf_tc_attach(&hook, &opts);
	if (err && *created)
		bpf_tc_hook_destroy(&hook);
	return err;
}

int xpf_egress_load(const int map_fds[XPF_MAP_COUNT], struct egress_bpf **loaded)
{
	static const enum xpf_map shared[] = { XPF_MAP_IN_FORCE, XPF_MAP_LOCAL_ADDRS,
					       XPF_MAP_LOCAL_SLOTS, XPF_MAP_FLOWS,
					       XPF_MAP_REPLY_HINTS };
	struct egress_bpf *skel = egress_bpf__open();
	struct bpf_map *maps[5];
	int err = 0;

	if (!skel)
		return -errno;
	maps[0] = skel->maps.data_in_force;
	maps[1] = skel->maps.local_addrs;
	maps[2] = skel->maps.local_slots;
	maps[3] = skel->maps.flows;
	maps[4] = skel->maps.reply_hints;
	/* One set of maps: the egress program writes the flows the XDP program reads. */
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]) && !err; i++)
		err = bpf_map__reuse_fd(maps[i], map_fds[shared[i]]);
	err = err ?: egress_bpf__load(skel);
	if (err) {
		egress_bpf__destroy(skel);
		return err;
	}
	*loaded = skel;
	return 0;
}

void xpf_egress_discard(struct egress_bpf *skel)
{
	egress_bpf__destroy(skel);
}

int xpf_egress_attach(struct xpf_filter *filter)
{
	struct egress_bpf *skel;
	int err = xpf_egress_load(filter->map_fds, &skel);

	return err ?: xpf_egress_attach_loaded(filter, skel);
}

int xpf_egress_attach_loaded(struct xpf_filter *filter, struct egress_bpf *skel)
{
	enum xpf_egress_attach how = XPF_EGRESS_CLSACT;
	bool created = false;
	int err, prog_fd;

	prog_fd = bpf_program__fd(skel->progs.xpf_egress);
	if (filter->pinned) {
		err = attach_tcx(filter, prog_fd);
		if (!err)
			how = XPF_EGRESS_TCX;
		else
			pr_info("xpf: tcx attach on %s failed (%s); using clsact\n", filter->ifname,
				strerror(-err));
	}
	if (how != XPF_EGRESS_TCX) {
		err = attach_clsact(filter, prog_fd, &created);
		if (err)
			goto cleanup;
		if (created)
			how = XPF_EGRESS_CLSACT_CREATED;
	}
	err = record_attach(filter, how);
cleanup:
	egress_bpf__destroy(skel);
	return err;
}

/* The id of an xpf egress program attached to @ifindex by tcx, 0 when there is none. */
static uint32_t tcx_egress_id(int ifindex)
{
	uint32_t ids[16], count = 16, flags = 0, found = 0;

	if (bpf_prog_query(ifindex, BPF_TCX_EGRESS, 0, &flags, ids, &count))
		return 0;
	for (uint32_t i = 0; i < count && !found; i++) {
		struct bpf_prog_info info = {};
		__u32 length = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &length) && !strcmp(info.name, "xpf_egress"))
			found = ids[i];
		close(fd);
	}
	return found;
}

int xpf_egress_find(const struct xpf_filter *filter, uint32_t *prog_id,
		    enum xpf_egress_attach *how)
{
	struct xpf_meta meta;
	int err = read_meta(filter, &meta);

	*prog_id = 0;
	*how = XPF_EGRESS_NONE;
	if (err)
		return err;
	*how = meta.egress_attach;
	if (*how == XPF_EGRESS_CLSACT || *how == XPF_EGRESS_CLSACT_CREATED) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = filter->ifindex,
			    .attach_point = BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XPF_TC_HANDLE, .priority = XPF_TC_PRIORITY);

		if (!bpf_tc_query(&hook, &opts))
			*prog_id = opts.prog_id;
	} else if (*how == XPF_EGRESS_TCX) {
		*prog_id = tcx_egress_id(filter->ifindex);
	}
	return 0;
}

int xpf_egress_detach(struct xpf_filter *filter)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = filter->ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XPF_TC_HANDLE, .priority = XPF_TC_PRIORITY);
	struct xpf_meta meta;
	char path[320];
	int err = read_meta(filter, &meta);

	if (err)
		return err;
	switch (meta.egress_attach) {
	case XPF_EGRESS_TCX:
		/* The pin is the link's last holder: removing it detaches the program. */
		link_pin_path(filter, path, sizeof(path));
		if (unlink(path) && errno != ENOENT)
			return -errno;
		break;
	case XPF_EGRESS_CLSACT:
		err = bpf_tc_detach(&hook, &opts);
		break;
	case XPF_EGRESS_CLSACT_CREATED:
		/* xpf added the qdisc; removing it takes xpf's filter with it. */
		err = bpf_tc_hook_destroy(&hook);
		break;
	default:
		return 0;
	}
	if (err && err != -ENOENT)
		return err;
	return record_attach(filter, XPF_EGRESS_NONE);
}

int xpf_egress_find_orphan(int ifindex, uint32_t *prog_id, enum xpf_egress_attach *how)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XPF_TC_HANDLE, .priority = XPF_TC_PRIORITY);

	*how = XPF_EGRESS_NONE;
	*prog_id = tcx_egress_id(ifindex);
	if (*prog_id) {
		*how = XPF_EGRESS_TCX;
		return 1;
	}
	if (!bpf_tc_query(&hook, &opts)) {
		*prog_id = opts.prog_id;
		*how = XPF_EGRESS_CLSACT;
		return 1;
	}
	return 0;
}

int xpf_egress_remove_orphan(const char *ifname, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XPF_TC_HANDLE, .priority = XPF_TC_PRIORITY);
	struct xpf_filter pins = { .ifindex = ifindex };
	char path[320];
	int err;

	/* A tcx link lives as long as its pin; a tc filter is taken out by its handle. Without
	 * the meta map there is no telling whether xpf added the clsact qdisc: it is left, empty
	 * of xpf's filter. */
	snprintf(pins.ifname, sizeof(pins.ifname), "%s", ifname);
	link_pin_path(&pins, path, sizeof(path));
	if (unlink(path) && errno != ENOENT)
		return -errno;
	err = bpf_tc_detach(&hook, &opts);
	if (err && err != -ENOENT && err != -EINVAL)
		return err;
	/* The kernel frees an unpinned link a moment later (the pin's inode goes first), so the
	 * program may still show on the hook right after unlink(): give it a second. */
	for (int waited_ms = 0; tcx_egress_id(ifindex); waited_ms += 10) {
		if (waited_ms >= 1000)
			return -EBUSY;
		usleep(10000);
	}
	return 0;
}
