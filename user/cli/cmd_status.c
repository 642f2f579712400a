// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf status [IFACE]: where xpf is loaded, how, and with what; as text or JSON. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/pool_view.h"
#include "core/names.h"
#include "kernel/egress.h"
#include "kernel/filter.h"
#include "kernel/leftovers.h"
#include "kernel/flows.h"
#include "kernel/map_memory.h"
#include "kernel/pins.h"
#include "kernel/stats_read.h"

/* What one interface holds, read once for both forms. */
struct status {
	const char *ifname;
	struct xpf_filter filter;
	struct xpf_stats stats;
	struct xpf_leftovers leftovers;
	bool has_leftovers, egress_known, loaded;
	enum xpf_egress_attach egress_how;
	uint32_t egress_id;
	char pin_dir[256];
	uint64_t memory;		/* the kernel's, for all its maps; 0 when unknown */
	uint32_t flows_max;		/* the flow table's entries (`flows max` at load); 0: unknown */
};

/* What the maps take: the lists' prefixes in force, and the kernel's memory for all maps. */
static void print_sizes(const struct xpf_stats *stats, uint64_t memory)
{
	const uint32_t *lists = stats->meta.list_entries[stats->generation];

	if (lists[0] || lists[1])
		printf("  lists:  %u prefixes (%u IPv4, %u IPv6)\n", lists[0] + lists[1], lists[0],
		       lists[1]);
	printf("  maps:   %.1f MiB of kernel memory\n", memory / 1048576.0);
}

/* The leftovers as xpf_leftovers_print() says them, one string each, without the "leftover: ". */
static struct json_object *leftovers_json(const struct status *s)
{
	struct json_object *list = json_object_new_array();
	char *text = NULL, *line, *saveptr = NULL;
	size_t size = 0;
	FILE *out;

	if (!s->has_leftovers || !(out = open_memstream(&text, &size)))
		return list;
	xpf_leftovers_print(out, "", &s->leftovers);
	fclose(out);
	for (line = strtok_r(text, "\n", &saveptr); line; line = strtok_r(NULL, "\n", &saveptr))
		json_object_array_add(list, json_object_new_string(
			!strncmp(line, "leftover: ", 10) ? line + 10 : line));
	free(text);
	return list;
}

static struct json_object *status_json(const struct status *s)
{
	const struct xpf_stats *stats = &s->stats;
	struct json_object *o = json_object_new_object(), *egress = NULL;
	const char *table = stats->meta.table[stats->generation];

	json_object_object_add(o, "interface", json_object_new_string(s->ifname));
	json_object_object_add(o, "loaded", json_object_new_boolean(s->loaded));
	json_object_object_add(o, "leftovers", leftovers_json(s));
	if (!s->loaded)
		return o;
	json_object_object_add(o, "program_id", json_object_new_int64(s->filter.prog_id));
	json_object_object_add(o, "mode", json_object_new_string(xpf_mode_name(s->filter.mode)));
	json_object_object_add(o, "audit", json_object_new_boolean(stats->config.audit));
	json_object_object_add(o, "rules", json_object_new_uint64(stats->rule_count));
	json_object_object_add(o, "generation", json_object_new_int64(stats->generation));
	json_object_object_add(o, "loaded_at", json_object_new_uint64(
		stats->meta.loaded_at_ns[stats->generation] / 1000000000ull));
	json_object_object_add(o, "site", json_object_new_string(stats->meta.site[stats->generation]));
	json_object_object_add(o, "table", table[0] ? json_object_new_string(table) : NULL);
	xpf_pool_json(o, stats);
	json_object_object_add(o, "list_prefixes", json_object_new_int64(
		(int64_t)stats->meta.list_entries[stats->generation][0] +
		stats->meta.list_entries[stats->generation][1]));
	json_object_object_add(o, "map_memory_bytes", json_object_new_int64((int64_t)s->memory));
	json_object_object_add(o, "flows_max", json_object_new_int64(s->flows_max));
	if (s->egress_known && s->egress_id) {
		egress = json_object_new_object();
		json_object_object_add(egress, "program_id", json_object_new_int64(s->egress_id));
		json_object_object_add(egress, "attach", json_object_new_string(
			xpf_egress_attach_name(s->egress_how)));
	}
	json_object_object_add(o, "egress", egress);
	json_object_object_add(o, "pinned", s->filter.pinned ? json_object_new_string(s->pin_dir)
							     : NULL);
	return o;
}

static void print_status(const struct status *s)
{
	const struct xpf_stats *stats = &s->stats;
	time_t seconds = stats->meta.loaded_at_ns[stats->generation] / 1000000000ull;
	char loaded[32];
	struct tm tm;

	localtime_r(&seconds, &tm);
	strftime(loaded, sizeof(loaded), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s: xpf loaded (program id %u, %s mode, %s)\n", s->ifname, s->filter.prog_id,
	       xpf_mode_name(s->filter.mode), stats->config.audit ? "audit" : "enforcing");
	printf("  rules:  %zu (generation %u, loaded %s)\n", stats->rule_count, stats->generation,
	       loaded);
	printf("  site:   %s\n  table:  %s\n", stats->meta.site[stats->generation],
	       stats->meta.table[stats->generation][0] ? stats->meta.table[stats->generation]
						       : "(none)");
	xpf_pool_print(stdout, "  ", stats);
	if (stats->config.revert_at_ns) {
		seconds = stats->config.revert_at_ns / 1000000000ull;
		localtime_r(&seconds, &tm);
		strftime(loaded, sizeof(loaded), "%Y-%m-%d %H:%M:%S", &tm);
		printf("  confirm: reverts to the rule set before at %s unless `xpf confirm %s`\n",
		       loaded, s->ifname);
	}
	if (s->egress_known)
		printf("  egress: %s (program id %u, %s)\n",
		       s->egress_id ? "remembers the host's flows" : "MISSING: replies are not admitted",
		       s->egress_id, xpf_egress_attach_name(s->egress_how));
	if (s->flows_max)
		printf("  flows:  up to %u remembered (`flows max` at load)\n", s->flows_max);
	print_sizes(stats, s->memory);
	if (s->filter.pinned)
		printf("  pinned: %s\n", s->pin_dir);
	else
		printf("  pinned: no (%s); found through the interface\n",
		       xpf_bpffs_mounted() ? "no pins" : "bpffs not mounted here");
	if (s->has_leftovers) {
		xpf_leftovers_print(stdout, "  ", &s->leftovers);
		printf("  repair: `xpf reload -c SITE %s`, or `xpf unload %s`\n", s->ifname,
		       s->ifname);
	}
}

/* Leftovers without a filter: said, and a failure (exit 1), in either form. */
static int show_leftovers_only(struct status *s, int find_err, struct json_object *interfaces)
{
	if (interfaces) {
		json_object_array_add(interfaces, status_json(s));
		return 1;
	}
	printf("%s: xpf not loaded%s; leftovers (`xpf unload %s` removes them):\n", s->ifname,
	       find_err == -ENODEV ? " (no such interface)" : "", s->ifname);
	xpf_leftovers_print(stdout, "  ", &s->leftovers);
	return 1;
}

/* One interface, into @interfaces under -j, else as text. */
static int show(const char *ifname, struct json_object *interfaces)
{
	struct status s = { .ifname = ifname };
	int err;

	err = xpf_filter_find(ifname, &s.filter);
	if ((err == -ENOENT || err == -ENODEV) && xpf_leftovers_find(ifname, NULL, &s.leftovers)) {
		s.has_leftovers = true;
		return show_leftovers_only(&s, err, interfaces);
	}
	if (err)
		return report_filter_error(ifname, "status", err);
	err = xpf_stats_read(&s.filter, &s.stats);
	if (err) {
		xpf_filter_close(&s.filter);
		return report_failure(ifname, "read state", err);
	}
	s.loaded = true;
	if (xpf_map_memory(&s.filter, &s.memory))
		s.memory = 0;
	s.flows_max = xpf_flows_room(&s.filter);
	s.egress_known = !xpf_egress_find(&s.filter, &s.egress_id, &s.egress_how);
	xpf_pin_dir(ifname, s.pin_dir, sizeof(s.pin_dir));
	s.has_leftovers = xpf_leftovers_find(ifname, &s.filter, &s.leftovers) > 0;
	if (interfaces)
		json_object_array_add(interfaces, status_json(&s));
	else
		print_status(&s);
	xpf_stats_free(&s.stats);
	xpf_filter_close(&s.filter);
	return 0;
}

static const struct xpf_option status_options[] = {
	{ 'j', "json", NULL, "as JSON: one object, the interfaces in a list", NULL, 0 },
	{},
};

const struct xpf_verb xpf_verb_status = {
	"status", cmd_status, "[IFACE]", 0, 1, true,
	"what is loaded where: program, mode, rule set, leftovers", status_options, true,
};

/* Every interface with xpf's filter, leftovers or another version's filter. Nothing there is
 * not a failure: the answer is "nowhere" (an empty list under -j), exit 0, as for stats. */
static int show_all(struct json_object *interfaces)
{
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE], orphans[XPF_MAX_INTERFACES][IF_NAMESIZE];
	char others[XPF_MAX_INTERFACES][IF_NAMESIZE];
	int count, orphan_count, other_count, failed = 0;

	count = xpf_filter_list(names, XPF_MAX_INTERFACES);
	orphan_count = xpf_leftovers_list_orphans(orphans, XPF_MAX_INTERFACES);
	other_count = xpf_filter_list_other_versions(others, XPF_MAX_INTERFACES);
	if (count <= 0 && orphan_count <= 0 && other_count <= 0) {
		if (!interfaces)
			printf("xpf: not loaded on any interface\n");
		return 0;
	}
	for (int i = 0; i < count; i++)
		failed |= show(names[i], interfaces);
	for (int i = 0; i < orphan_count; i++)
		failed |= show(orphans[i], interfaces);
	/* Said on stderr, as for the interface named: another version's filter. */
	for (int i = 0; i < other_count; i++)
		failed |= show(others[i], interfaces);
	return failed;
}

int cmd_status(int argc, char **argv)
{
	struct json_object *document = NULL, *interfaces = NULL;
	struct xpf_args args;
	int status;

	xpf_args_start(&args, &xpf_verb_status);
	status = xpf_args_next(&args, argc, argv);
	if (status != XPF_ARGS_END)
		return xpf_args_exit(status);
	if (xpf_check_privileges())
		return 1;
	if (xpf_json())
		document = xpf_json_interfaces_document(&interfaces);
	status = args.operands == 1 ? show(argv[optind], interfaces) : show_all(interfaces);
	/* A named interface that failed has nothing to show: the error object says why. */
	if (document && (json_object_array_length(interfaces) || !status))
		xpf_json_print(document);
	else
		json_object_put(document);
	return status;
}
