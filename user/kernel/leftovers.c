// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Leftovers of interrupted operations: found, reported, repaired (leftovers.h). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <net/if.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/bpf.h>

#include "kernel/carry.h"
#include "kernel/egress.h"
#include "kernel/generation.h"
#include "kernel/install.h"
#include "kernel/inner_maps.h"
#include "kernel/leftovers.h"
#include "kernel/pins.h"
#include "kernel/rule_info.h"
#include "lib/logging.h"
#include "kernel/map_batch.h"

static int key_of_generation(int fd, struct xpf_map_batch *batch, void *arg)
{
	(void)fd;
	return xpf_batch_keep_generation(arg, batch) > 0;
}

static bool hash_has_generation(const struct xpf_filter *filter, enum xpf_map map,
				uint8_t generation)
{
	struct xpf_generation_query query = { map, generation };

	return xpf_map_walk(filter->map_fds[map], key_of_generation, &query) > 0;
}

static void find_spare(const struct xpf_filter *filter, struct xpf_leftovers *found)
{
	struct xpf_in_force in_force;
	struct xpf_config *config = in_force.config;
	struct xpf_meta meta = {};
	uint32_t zero = 0, spare;

	if (xpf_in_force_read(filter, &in_force) ||
	    bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta))
		return;
	found->no_rule_set = !config[in_force.generation & 1].loaded;
	spare = !(in_force.generation & 1);
	if (found->no_rule_set)
		return;
	found->spare_generation =
		config[spare].loaded || meta.rule_count[spare] ||
		hash_has_generation(filter, XPF_MAP_LOCAL_ADDRS, spare) ||
		hash_has_generation(filter, XPF_MAP_CLASSES, spare) ||
		xpf_inner_present(filter, XPF_MAP_RULES_V4, (uint8_t)spare) ||
		xpf_inner_present(filter, XPF_MAP_RULES_V6, (uint8_t)spare) ||
		xpf_rule_info_present(filter, (uint8_t)spare);
	found->spare_is_older = xpf_spare_is_left_behind(&in_force, &meta);
	found->spare_checked = true;
}

int xpf_leftovers_find(const char *ifname, const struct xpf_filter *filter,
		       struct xpf_leftovers *found)
{
	enum xpf_egress_attach how;
	char prog_pin[300];
	uint32_t pinned, egress_id;
	struct stat st;
	int ifindex;

	memset(found, 0, sizeof(*found));
	xpf_pin_dir(ifname, found->pin_dir, sizeof(found->pin_dir));
	snprintf(prog_pin, sizeof(prog_pin), "%s/prog", found->pin_dir);
	if (xpf_bpffs_mounted() && !stat(found->pin_dir, &st)) {
		pinned = xpf_pinned_prog_id(prog_pin);
		found->stale_pins = !filter || pinned != filter->prog_id;
	}
	if (filter) {
		find_spare(filter, found);
		if (!xpf_egress_find(filter, &egress_id, &how))
			found->egress_missing = !egress_id;
	} else {
		ifindex = if_nametoindex(ifname);
		if (ifindex && xpf_egress_find_orphan(ifindex, &egress_id, &how))
			found->orphan_egress_id = egress_id;
	}
	return found->no_rule_set + found->egress_missing + found->spare_generation +
	       found->stale_pins + !!found->orphan_egress_id;
}

void xpf_leftovers_print(FILE *out, const char *indent, const struct xpf_leftovers *found)
{
	if (found->no_rule_set)
		fprintf(out, "%sleftover: XDP program attached with no rule set (a load stopped "
			     "early): packets pass\n", indent);
	if (found->egress_missing)
		fprintf(out, "%sleftover: egress program missing (a load or unload stopped "
			     "half-way): replies to the host's flows are not admitted\n", indent);
	if (found->spare_generation)
		fprintf(out, "%sleftover: the generation not in force holds entries (a reload "
			     "stopped %s its flip)\n", indent,
			found->spare_is_older ? "after" : "before");
	if (found->stale_pins)
		fprintf(out, "%sleftover: stale pins in %s (they do not hold the attached "
			     "program)\n", indent, found->pin_dir);
	if (found->orphan_egress_id)
		fprintf(out, "%sleftover: egress program (id %u) without xpf's XDP program\n",
			indent, found->orphan_egress_id);
}

bool xpf_leftovers_half_loaded(const struct xpf_leftovers *found)
{
	return found->no_rule_set || found->egress_missing;
}

int xpf_leftovers_remove_orphans(const char *ifname, const struct xpf_leftovers *found)
{
	int ifindex = if_nametoindex(ifname), err = 0;

	/* The egress first: its tcx link's pin is among the pins. */
	if (found->orphan_egress_id && ifindex)
		err = xpf_egress_remove_orphan(ifname, ifindex);
	if (found->stale_pins) {
		int unpin_err = xpf_filter_unpin(ifname);

		err = err ?: unpin_err;
	}
	return err;
}

static int clear_spare(struct xpf_filter *filter, bool finish_reload)
{
	struct xpf_in_force in_force;
	struct xpf_settle settle;
	struct xpf_meta meta = {};
	uint32_t zero = 0;
	uint8_t spare;
	int err = xpf_in_force_read(filter, &in_force);

	if (err)
		return err;
	if (bpf_map_lookup_elem(filter->map_fds[XPF_MAP_META], &zero, &meta))
		return -errno;
	spare = !(in_force.generation & 1);
	/* A reload killed after its flip: what it had left to do — carry the counters (again
	 * is harmless: the carried counts are set, not added) and report the removed rules. Its
	 * flip may be a moment ago (the reload run again at once): the counters are read once
	 * settled, as the reload would have read them. */
	xpf_settle_start(&settle);
	if (finish_reload)
		err = xpf_carry_counters(filter, &meta, spare, !spare, &settle);
	/* Metadata a reload wrote before it recorded how many rules it had goes with the rest of
	 * the generation. */
	return err ?: xpf_filter_clear_generation(filter, spare);
}

int xpf_leftovers_repair(struct xpf_filter *filter, const struct xpf_leftovers *found)
{
	int err = 0;

	if (found->spare_generation)
		err = clear_spare(filter, found->spare_is_older);
	if (!err && (found->stale_pins || (found->egress_missing && !filter->pinned)) &&
	    xpf_bpffs_ready())
		err = xpf_filter_pin(filter);
	if (!err && found->egress_missing)
		err = xpf_egress_attach(filter);
	return err;
}

static bool listed(char (*names)[IF_NAMESIZE], int count, const char *name)
{
	for (int i = 0; i < count; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

int xpf_leftovers_list_orphans(char (*names)[IF_NAMESIZE], int max)
{
	struct if_nameindex *interfaces = if_nameindex(), *i;
	struct xpf_leftovers found;
	struct xpf_filter filter;
	char root[256], *slash;
	struct dirent *entry;
	DIR *listing;
	int count = 0;

	if (!interfaces)
		return -errno;
	for (i = interfaces; i->if_index && count < max; i++) {
		if (!xpf_filter_find(i->if_name, &filter)) {
			xpf_filter_close(&filter);
			continue;
		}
		if (xpf_leftovers_find(i->if_name, NULL, &found))
			snprintf(names[count++], IF_NAMESIZE, "%s", i->if_name);
	}
	if_freenameindex(interfaces);
	/* Pins of interfaces that are gone: directories of this namespace's pin root. */
	if (!xpf_bpffs_mounted())
		return count;
	xpf_pin_dir("-", root, sizeof(root));
	slash = strrchr(root, '/');
	*slash = '\0';
	listing = opendir(root);
	if (!listing)
		return count;
	while ((entry = readdir(listing)) && count < max) {
		if (entry->d_name[0] == '.' || !strncmp(entry->d_name, "netns-", 6) ||
		    strlen(entry->d_name) >= IF_NAMESIZE || if_nametoindex(entry->d_name) ||
		    listed(names, count, entry->d_name))
			continue;
		snprintf(names[count++], IF_NAMESIZE, "%s", entry->d_name);
	}
	closedir(listing);
	return count;
}
