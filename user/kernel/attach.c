// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Attach, find and detach the XDP program on an interface; pins. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kernel/egress.h"
#include "kernel/filter.h"
#include "kernel/pins.h"
#include "lib/logging.h"
#include "egress.skel.h"
#include "xpf.skel.h"

const char *const xpf_map_names[XPF_MAP_COUNT] = {
	[XPF_MAP_IN_FORCE] = ".data.in_force",
	[XPF_MAP_LOCAL_ADDRS] = "local_addrs",
	[XPF_MAP_LOCAL_SLOTS] = "local_slots",
	[XPF_MAP_PORT_CLASSES] = "port_classes",
	[XPF_MAP_CLASSES] = "classes",
	[XPF_MAP_CLASS_CELLS] = "class_cells",
	[XPF_MAP_PREFIX_LISTS] = "prefix_lists",
	[XPF_MAP_RULES_V4] = "rules_v4",
	[XPF_MAP_RULES_V6] = "rules_v6",
	[XPF_MAP_SOURCE_TRIE] = "source_trie",
	[XPF_MAP_SOURCE_RULES] = "source_rules",
	[XPF_MAP_CLASS_SOURCES] = "class_sources",
	[XPF_MAP_RULE_STATS] = "rule_stats",
	[XPF_MAP_RULE_CARRIED] = "rule_carried",
	[XPF_MAP_REASON_STATS] = "reason_stats",
	[XPF_MAP_FRAGMENTS] = "fragments",
	[XPF_MAP_FRAGMENTS_V4] = "fragments_v4",
	[XPF_MAP_RULE_INFO] = "rule_info",
	[XPF_MAP_META] = "meta",
	[XPF_MAP_FLOWS] = "flows",
	[XPF_MAP_DENIED_PORTS] = "denied_ports",
	[XPF_MAP_DENIED_SOURCES] = "denied_sources",
	[XPF_MAP_DENIED_SAMPLER] = "denied_sampler",
	[XPF_MAP_DENIED_FLOWS] = "denied_flows",
	[XPF_MAP_DROP_LOG] = "drop_log",
	[XPF_MAP_LOG_BUCKET] = "log_bucket",
	[XPF_MAP_LIST_ROOTS] = "list_roots",
	[XPF_MAP_LIST_LONG] = "list_long",
	[XPF_MAP_LIST_PREFIX_V4] = "list_prefix_v4",
	[XPF_MAP_LIST_PREFIX_V6] = "list_prefix_v6",
	[XPF_MAP_LIST_RULES] = "list_rules",
	[XPF_MAP_LIST_LENGTHS] = "list_lengths",
	[XPF_MAP_REPLY_HINTS] = "reply_hints",
};

bool xpf_has_privileges(void)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	int has_bpf, has_net_admin;

	if (syscall(SYS_capget, &header, data))
		return false;
	has_bpf = (data[CAP_BPF / 32].effective & (1u << (CAP_BPF % 32))) ||
		  (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32)));
	has_net_admin = data[CAP_NET_ADMIN / 32].effective & (1u << (CAP_NET_ADMIN % 32));
	return has_bpf && has_net_admin;
}

int xpf_check_privileges(void)
{
	if (!xpf_has_privileges()) {
		pr_warn("xpf: needs root (CAP_BPF and CAP_NET_ADMIN); run it with sudo\n");
		return -EPERM;
	}
	return 0;
}

static void filter_init(struct xpf_filter *filter, const char *ifname)
{
	memset(filter, 0, sizeof(*filter));
	snprintf(filter->ifname, sizeof(filter->ifname), "%s", ifname);
	filter->prog_fd = -1;
	for (int i = 0; i < XPF_MAP_COUNT; i++)
		filter->map_fds[i] = -1;
}

/* Whether @info, a map of an attached program named as this version's map @m, is laid out as
 * this version makes it (@ours: this version's object, opened, not loaded): type, key and
 * value sizes, flags. A map of the same name and another layout is another version's, which
 * this one must neither read nor write. */
static bool laid_out_as_ours(const struct xpf_bpf *ours, const struct bpf_map_info *info,
			     enum xpf_map m)
{
	const struct bpf_map *map = bpf_object__find_map_by_name(ours->obj, xpf_map_names[m]);

	if (!map)
		return false;
	return info->type == (__u32)bpf_map__type(map) &&
	       info->key_size == bpf_map__key_size(map) &&
	       info->value_size == bpf_map__value_size(map) &&
	       info->map_flags == bpf_map__map_flags(map);
}

/* From the program to its maps, by id: what the kernel knows without bpffs. */
static int find_maps(struct xpf_filter *filter)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info), map_ids[64], count;
	struct xpf_bpf *ours;
	int err;

	info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	info.map_ids = (__u64)(unsigned long)map_ids;
	err = bpf_obj_get_info_by_fd(filter->prog_fd, &info, &info_len);
	if (err)
		return err;
	ours = xpf_bpf__open();
	if (!ours)
		return -errno;
	count = info.nr_map_ids < 64 ? info.nr_map_ids : 64;
	for (__u32 i = 0; i < count; i++) {
		struct bpf_map_info map_info = {};
		__u32 map_info_len = sizeof(map_info);
		int fd = bpf_map_get_fd_by_id(map_ids[i]), kept = 0;

		if (fd < 0) {
			err = -errno;
			xpf_bpf__destroy(ours);
			return err;
		}
		if (!bpf_obj_get_info_by_fd(fd, &map_info, &map_info_len)) {
			for (int m = 0; m < XPF_MAP_COUNT; m++) {
				if (!strcmp(map_info.name, xpf_map_names[m]) &&
				    filter->map_fds[m] < 0 && laid_out_as_ours(ours, &map_info, m)) {
					filter->map_fds[m] = fd;
					kept = 1;
				}
			}
		}
		if (!kept)
			close(fd);
	}
	xpf_bpf__destroy(ours);
	/* A program of xpf's name without every map of this version's, by name and layout:
	 * another version's filter, whose maps this one cannot read or write. */
	for (int m = 0; m < XPF_MAP_COUNT; m++)
		if (filter->map_fds[m] < 0)
			return -EPROTO;
	return 0;
}

static struct xdp_program *find_program(const struct xdp_multiprog *multiprog)
{
	struct xdp_program *program;

	if (xdp_multiprog__is_legacy(multiprog)) {
		program = xdp_multiprog__main_prog(multiprog);
		return program && !strcmp(xdp_program__name(program), XPF_PROG_NAME) ? program
										  : NULL;
	}
	for (program = xdp_multiprog__next_prog(NULL, multiprog); program;
	     program = xdp_multiprog__next_prog(program, multiprog))
		if (!strcmp(xdp_program__name(program), XPF_PROG_NAME))
			return program;
	return NULL;
}

int xpf_filter_find(const char *ifname, struct xpf_filter *filter)
{
	struct xdp_multiprog *multiprog;
	struct xdp_program *program;
	char pin_path[320];
	int err;

	filter_init(filter, ifname);
	filter->ifindex = if_nametoindex(ifname);
	if (!filter->ifindex)
		return -ENODEV;
	multiprog = xdp_multiprog__get_from_ifindex(filter->ifindex);
	err = libxdp_get_error(multiprog);
	if (err)
		return err == -ENOENT ? -ENOENT : err;
	program = find_program(multiprog);
	if (!program) {
		xdp_multiprog__close(multiprog);
		return -ENOENT;
	}
	filter->prog_id = xdp_program__id(program);
	filter->mode = xdp_multiprog__attach_mode(multiprog);
	xdp_multiprog__close(multiprog);

	filter->prog_fd = bpf_prog_get_fd_by_id(filter->prog_id);
	if (filter->prog_fd < 0)
		return -errno;
	err = find_maps(filter);
	if (err) {
		xpf_filter_close(filter);
		return err;
	}
	xpf_pin_dir(ifname, pin_path, sizeof(pin_path) - 5);
	strcat(pin_path, "/prog");
	filter->pinned = xpf_bpffs_mounted() && xpf_pinned_prog_id(pin_path) == filter->prog_id;
	return 0;
}

static int own_skeleton(struct xpf_filter *filter, struct xpf_bpf *skel);

static int attach_in_mode(struct xdp_program *program, int ifindex, enum xdp_attach_mode mode,
			  enum xdp_attach_mode *attached)
{
	int err;

	if (mode != XDP_MODE_UNSPEC) {
		*attached = mode;
		return xdp_program__attach(program, ifindex, mode, 0);
	}
	/* auto: native where the driver has it, generic (skb) otherwise. */
	err = xdp_program__attach(program, ifindex, XDP_MODE_NATIVE, 0);
	if (!err) {
		*attached = XDP_MODE_NATIVE;
		return 0;
	}
	pr_info("xpf: native attach failed (%s), trying skb mode\n", strerror(-err));
	*attached = XDP_MODE_SKB;
	return xdp_program__attach(program, ifindex, XDP_MODE_SKB, 0);
}

/* The maps sized at load: the rule counters are per-CPU memory, a hash's bucket array (16
 * bytes a slot) is allocated and zeroed when the map is made, and an array is made whole, so a
 * small table does not pay for a million slots. */
static int size_maps(struct xpf_bpf *skel, const struct xpf_capacity *capacity)
{
	/* Whole blocks of counters for each of the two generations. */
	uint32_t blocks = (capacity->rule_ids + 2 * XPF_COUNTER_BLOCK - 1) / (2 * XPF_COUNTER_BLOCK) * 2;
	int err = bpf_map__set_max_entries(skel->maps.rule_stats, blocks) ?:
		  bpf_map__set_max_entries(skel->maps.rule_carried, blocks * XPF_COUNTER_BLOCK);

	/* One element each: the program reads neither (room_of() finds no room for a trie). */
	if (!err && capacity->no_source_trie)
		err = bpf_map__set_max_entries(skel->maps.source_trie, 1) ?:
		      bpf_map__set_max_entries(skel->maps.source_rules, 1);
	if (!err && capacity->source_chunks)
		err = bpf_map__set_max_entries(skel->maps.source_trie,
					       XPF_GENERATIONS * (XPF_SOURCE_ROOT +
								  capacity->source_chunks *
								  XPF_SOURCE_CHUNK));
	if (!err && capacity->source_rule_cells)
		err = bpf_map__set_max_entries(skel->maps.source_rules,
					       XPF_GENERATIONS * capacity->source_rule_cells);
	if (!err && capacity->class_sources)
		err = bpf_map__set_max_entries(skel->maps.class_sources,
					       XPF_GENERATIONS * capacity->class_sources);
	if (!err && capacity->class_cells)
		err = bpf_map__set_max_entries(skel->maps.class_cells,
					       XPF_GENERATIONS * capacity->class_cells);
	if (!err && capacity->prefix_lists)
		err = bpf_map__set_max_entries(skel->maps.prefix_lists,
					       XPF_GENERATIONS * capacity->prefix_lists);
	if (!err && capacity->classes)
		err = bpf_map__set_max_entries(skel->maps.classes, capacity->classes);
	if (!err && capacity->list_root_pairs)
		err = bpf_map__set_max_entries(skel->maps.list_roots, capacity->list_root_pairs);
	if (!err && capacity->flows)
		err = bpf_map__set_max_entries(skel->maps.flows, capacity->flows);
	return err;
}

/* Whether size_maps() sizes @map: the others are the same for every rule set, but flows,
 * which the premake makes at the program's default size, the size most site files keep. */
static bool sized_at_load(const struct xpf_bpf *skel, const struct bpf_map *map)
{
	return map == skel->maps.rule_stats || map == skel->maps.rule_carried ||
	       map == skel->maps.source_trie || map == skel->maps.source_rules ||
	       map == skel->maps.class_sources || map == skel->maps.class_cells ||
	       map == skel->maps.prefix_lists || map == skel->maps.classes ||
	       map == skel->maps.list_roots;
}

/* Whether @map is made with those sized at load for @capacity: flows too, where the premade
 * one is not the size @capacity asks. */
static bool made_at_load(const struct xpf_bpf *skel, const struct bpf_map *map,
			 const struct xpf_premade *premade, const struct xpf_capacity *capacity)
{
	return sized_at_load(skel, map) ||
	       (map == skel->maps.flows && !xpf_filter_premade_flows_serve(premade, capacity));
}

int xpf_filter_premake(struct xpf_premade *premade)
{
	struct xpf_bpf *skel = xpf_bpf__open();
	struct bpf_map *map;
	int err;

	memset(premade, 0, sizeof(*premade));
	if (!skel)
		return -errno;
	/* The object's maps but those sized at load, and no program: the verifier's part waits
	 * for the sizes. */
	bpf_program__set_autoload(skel->progs.xpf_xdp, false);
	bpf_object__for_each_map(map, skel->obj)
		bpf_map__set_autocreate(map, !sized_at_load(skel, map));
	err = xpf_bpf__load(skel);
	if (err) {
		xpf_bpf__destroy(skel);
		return err;
	}
	premade->maps = skel;
	err = xpf_filter_prepare_egress(skel, &premade->egress);
	if (err)
		xpf_filter_premade_free(premade);
	return err;
}

int xpf_filter_premake_sized(const struct xpf_capacity *capacity, struct xpf_premade *premade)
{
	struct xpf_bpf *skel = xpf_bpf__open();
	struct bpf_map *map;
	int err;

	premade->sized = NULL;
	if (!skel)
		return -errno;
	/* Only the maps sized at load (flows among them where the premade one is another size),
	 * and no program: the others are premade already. The object's, not the skeleton's load,
	 * which would map the global data it does not make. */
	bpf_program__set_autoload(skel->progs.xpf_xdp, false);
	bpf_object__for_each_map(map, skel->obj)
		bpf_map__set_autocreate(map, made_at_load(skel, map, premade, capacity));
	err = size_maps(skel, capacity) ?: bpf_object__load(skel->obj);
	if (err) {
		xpf_bpf__destroy(skel);
		return err;
	}
	premade->sized = skel;
	return 0;
}

int xpf_filter_open_premade(const struct xpf_premade *premade, struct xpf_filter *filter)
{
	filter_init(filter, "");
	for (int m = 0; m < XPF_MAP_COUNT; m++) {
		const struct bpf_map *map =
			bpf_object__find_map_by_name(premade->sized->obj, xpf_map_names[m]);

		/* Made with those sized at load, else premade. */
		if (!map || !bpf_map__autocreate(map))
			map = bpf_object__find_map_by_name(premade->maps->obj, xpf_map_names[m]);
		filter->map_fds[m] = map ? dup(bpf_map__fd(map)) : -1;
		if (filter->map_fds[m] < 0) {
			xpf_filter_close(filter);
			return -ENOENT;
		}
	}
	return 0;
}

void xpf_filter_premade_free(struct xpf_premade *premade)
{
	egress_bpf__destroy(premade->egress);
	xpf_bpf__destroy(premade->sized);
	xpf_bpf__destroy(premade->maps);
	memset(premade, 0, sizeof(*premade));
}

bool xpf_filter_premade_flows_serve(const struct xpf_premade *premade,
				    const struct xpf_capacity *capacity)
{
	return premade->maps && (!capacity->flows ||
				 capacity->flows == bpf_map__max_entries(premade->maps->maps.flows));
}

int xpf_filter_prepare_egress(const struct xpf_bpf *loaded, struct egress_bpf **egress)
{
	int map_fds[XPF_MAP_COUNT];

	for (int m = 0; m < XPF_MAP_COUNT; m++) {
		const struct bpf_map *map = bpf_object__find_map_by_name(loaded->obj,
									  xpf_map_names[m]);

		map_fds[m] = map ? bpf_map__fd(map) : -1;
	}
	return xpf_egress_load(map_fds, egress);
}

void xpf_filter_premade_unsize(struct xpf_premade *premade)
{
	xpf_bpf__destroy(premade->sized);
	premade->sized = NULL;
}

/* The premade maps into @skel, which then makes only those sized at load, and flows where
 * @capacity asks for another size than the premade one's; or none of them when those are
 * premade too (@premade->sized, made for the same @capacity). */
static int reuse_premade(struct xpf_bpf *skel, const struct xpf_premade *premade,
			 const struct xpf_capacity *capacity)
{
	struct bpf_map *map;
	int err = 0;

	bpf_object__for_each_map(map, skel->obj) {
		const struct xpf_bpf *from = made_at_load(skel, map, premade, capacity)
						     ? premade->sized : premade->maps;
		const struct bpf_map *made;

		if (!from)
			continue;
		made = bpf_object__find_map_by_name(from->obj, bpf_map__name(map));
		err = made ? bpf_map__reuse_fd(map, bpf_map__fd(made)) : -ENOENT;
		if (err)
			break;
	}
	return err;
}

int xpf_filter_prepare(const struct xpf_capacity *capacity, const struct xpf_premade *premade,
		       struct xpf_bpf **loaded)
{
	struct xpf_bpf *skel = xpf_bpf__open();
	int err;

	*loaded = NULL;
	if (!skel)
		return -errno;
	err = size_maps(skel, capacity);
	if (!err && premade && premade->maps)
		err = reuse_premade(skel, premade, capacity);
	err = err ?: xpf_bpf__load(skel);
	if (err) {
		xpf_bpf__destroy(skel);
		return err;
	}
	*loaded = skel;
	return 0;
}

void xpf_filter_discard(struct xpf_bpf *loaded)
{
	xpf_bpf__destroy(loaded);
}

int xpf_filter_adopt_prepared(const char *ifname, struct xpf_bpf *skel, struct xpf_filter *filter)
{
	struct xpf_filter existing;
	int err = xpf_filter_find(ifname, &existing);

	if (!err) {
		xpf_filter_close(&existing);
		err = -EEXIST;
	}
	if (err != -ENOENT) {
		xpf_bpf__destroy(skel);
		return err;
	}
	filter_init(filter, ifname);
	filter->ifindex = if_nametoindex(ifname);
	if (!filter->ifindex) {
		xpf_bpf__destroy(skel);
		return -ENODEV;
	}
	return own_skeleton(filter, skel);
}

/* The mode the attach got, for status and other tools: the image was written before it. */
static int note_attach_mode(const struct xpf_filter *filter)
{
	struct xpf_meta meta;
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta))
		return -errno;
	meta.attach_mode = filter->mode;
	return bpf_map_update_elem(filter->map_fds[XPF_MAP_META], &zero, &meta, BPF_EXIST) ? -errno
											  : 0;
}

int xpf_filter_attach(struct xpf_filter *filter, enum xdp_attach_mode mode)
{
	struct xdp_program *program;
	int err, prog_fd;

	/* libxdp takes the program as loaded (SEC("xdp.frags") made it frags-capable, so jumbo
	 * MTUs stay): its own fd of it, closed with it. */
	prog_fd = dup(filter->prog_fd);
	program = prog_fd < 0 ? NULL : xdp_program__from_fd(prog_fd);
	err = prog_fd < 0 ? -errno : libxdp_get_error(program);
	if (err) {
		if (prog_fd >= 0)
			close(prog_fd);
		return err;
	}
	err = attach_in_mode(program, filter->ifindex, mode, &filter->mode);
	if (err) {
		xdp_program__close(program);
		return err;
	}
	filter->program = program;
	filter->prog_id = xdp_program__id(program);
	err = note_attach_mode(filter);
	if (err)
		xpf_filter_detach(filter);
	return err;
}

/* @filter owns the loaded @skel from here on (closed with it, also on an error), and fds of
 * its program and maps of its own. */
static int own_skeleton(struct xpf_filter *filter, struct xpf_bpf *skel)
{
	int err = 0;

	filter->skel = skel;
	filter->prog_fd = dup(bpf_program__fd(skel->progs.xpf_xdp));
	if (filter->prog_fd < 0)
		err = -errno;
	for (int m = 0; m < XPF_MAP_COUNT && !err; m++) {
		struct bpf_map *map = bpf_object__find_map_by_name(skel->obj, xpf_map_names[m]);

		filter->map_fds[m] = map ? dup(bpf_map__fd(map)) : -1;
		if (filter->map_fds[m] < 0)
			err = -ENOENT;
	}
	if (err)
		xpf_filter_close(filter);
	return err;
}

int xpf_filter_load_unattached(const struct xpf_capacity *capacity, struct xpf_filter *filter)
{
	struct xpf_bpf *skel;
	int err;

	filter_init(filter, "");
	err = xpf_filter_prepare(capacity, NULL, &skel);
	return err ?: own_skeleton(filter, skel);
}

int xpf_filter_detach(struct xpf_filter *filter)
{
	struct xdp_program *program = xdp_program__from_id(filter->prog_id);
	int err = libxdp_get_error(program);

	if (err)
		return err;
	err = xdp_program__detach(program, filter->ifindex, filter->mode, 0);
	xdp_program__close(program);
	return err;
}

/* mkdir -p, mode 0700: pins are root's alone. */
static int make_private_dirs(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s", dir);
	for (char *slash = strchr(path + strlen(XPF_BPFFS) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			return -errno;
		*slash = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -errno : 0;
}

/* A pin already there is a leftover of an earlier filter on this interface (its directory is
 * this namespace's and this interface's alone): replaced. */
static int pin(int fd, const char *path)
{
	if (!bpf_obj_pin(fd, path))
		return 0;
	if (errno != EEXIST || unlink(path))
		return -errno;
	return bpf_obj_pin(fd, path) ? -errno : 0;
}

/* A map's file in the pin directory: its name, less the ".data." of a global-data map's (bpffs
 * refuses names with a dot). */
static const char *pin_name(int map)
{
	const char *name = xpf_map_names[map];

	return strncmp(name, ".data.", 6) ? name : name + 6;
}

int xpf_filter_pin(struct xpf_filter *filter)
{
	char dir[256], path[320];
	int err;

	if (!xpf_bpffs_ready())
		return 0;
	xpf_pin_dir(filter->ifname, dir, sizeof(dir));
	err = make_private_dirs(dir);
	for (int m = 0; m < XPF_MAP_COUNT && !err; m++) {
		snprintf(path, sizeof(path), "%s/%s", dir, pin_name(m));
		err = pin(filter->map_fds[m], path);
	}
	snprintf(path, sizeof(path), "%s/prog", dir);
	err = err ?: pin(filter->prog_fd, path);
	filter->pinned = !err;
	return err;
}

int xpf_filter_unpin(const char *ifname)
{
	char dir[256], path[600], *last;
	struct dirent *entry;
	DIR *listing;
	int err = 0;

	if (!xpf_bpffs_mounted())
		return 0;
	xpf_pin_dir(ifname, dir, sizeof(dir));
	listing = opendir(dir);
	if (!listing)
		return errno == ENOENT ? 0 : -errno;
	while ((entry = readdir(listing))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		if (unlink(path))
			err = -errno;
	}
	closedir(listing);
	if (rmdir(dir))
		err = -errno;
	/* A namespace's directory goes with its last interface (rmdir fails while any is left). */
	last = strrchr(dir, '/');
	*last = '\0';
	if (strstr(dir, "/netns-"))
		rmdir(dir);
	return err;
}

void xpf_filter_close(struct xpf_filter *filter)
{
	for (int m = 0; m < XPF_MAP_COUNT; m++) {
		if (filter->map_fds[m] >= 0)
			close(filter->map_fds[m]);
		filter->map_fds[m] = -1;
	}
	if (filter->prog_fd >= 0)
		close(filter->prog_fd);
	filter->prog_fd = -1;
	/* A program made from an object it was handed leaves that object to its owner: the
	 * skeleton, destroyed after it. */
	if (filter->program)
		xdp_program__close(filter->program);
	filter->program = NULL;
	xpf_bpf__destroy(filter->skel);
	filter->skel = NULL;
	free(filter->removed);
	filter->removed = NULL;
	filter->removed_count = 0;
}

/* The interfaces where xpf_filter_find() answers @wanted (0: a filter of this version). */
static int list_where(char (*names)[IF_NAMESIZE], int max, int wanted)
{
	struct if_nameindex *interfaces = if_nameindex(), *i;
	int count = 0;

	if (!interfaces)
		return -errno;
	for (i = interfaces; i->if_index && count < max; i++) {
		struct xpf_filter filter;
		int err = xpf_filter_find(i->if_name, &filter);

		if (!err)
			xpf_filter_close(&filter);
		if (err == wanted)
			snprintf(names[count++], IF_NAMESIZE, "%s", i->if_name);
	}
	if_freenameindex(interfaces);
	return count;
}

int xpf_filter_list(char (*names)[IF_NAMESIZE], int max)
{
	return list_where(names, max, 0);
}

int xpf_filter_list_other_versions(char (*names)[IF_NAMESIZE], int max)
{
	return list_where(names, max, -EPROTO);
}
