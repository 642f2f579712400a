// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf status [IFACE]: where xpf is loaded, how, and with what. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/names.h"
#include "kernel/egress.h"
#include "kernel/filter.h"
#include "kernel/leftovers.h"
#include "kernel/map_memory.h"
#include "kernel/pins.h"
#include "kernel/stats_read.h"

/* Under -j: the interfaces' objects, printed at the end. */
static struct json_object *json_interfaces;

static void add_json(const char *ifname, const struct xpf_filter *filter,
		     const struct xpf_stats *stats, uint64_t memory)
{
	struct json_object *o = json_object_new_object();
	const uint32_t *lists = stats->meta.list_entries[stats->generation];

	json_object_object_add(o, "interface", json_object_new_string(ifname));
	json_object_object_add(o, "program_id", json_object_new_int64(filter->prog_id));
	json_object_object_add(o, "mode", json_object_new_string(xpf_mode_name(filter->mode)));
	json_object_object_add(o, "audit", json_object_new_boolean(stats->config.audit));
	json_object_object_add(o, "rules", json_object_new_int64((int64_t)stats->rule_count));
	json_object_object_add(o, "generation", json_object_new_int64(stats->generation));
	json_object_object_add(o, "site",
			       json_object_new_string(stats->meta.site[stats->generation]));
	json_object_object_add(o, "table",
			       json_object_new_string(stats->meta.table[stats->generation]));
	json_object_object_add(o, "list_prefixes",
			       json_object_new_int64((int64_t)lists[0] + lists[1]));
	json_object_object_add(o, "map_memory_bytes", json_object_new_int64((int64_t)memory));
	json_object_array_add(json_interfaces, o);
}

/* What the maps take: the lists' prefixes in force, and the kernel's memory for all maps. */
static void print_sizes(const struct xpf_stats *stats, uint64_t memory)
{
	const uint32_t *lists = stats->meta.list_entries[stats->generation];

	if (lists[0] || lists[1])
		printf("  lists:  %u prefixes (%u IPv4, %u IPv6)\n", lists[0] + lists[1], lists[0],
		       lists[1]);
	printf("  maps:   %.1f MiB of kernel memory\n", memory / 1048576.0);
}

/* The text of a filter found: its program, rule set, egress program, sizes, pins, leftovers. */
static void print_text(const char *ifname, struct xpf_filter *filter,
		       const struct xpf_stats *stats, uint64_t memory)
{
	struct xpf_leftovers found;
	enum xpf_egress_attach egress_how;
	uint32_t egress_id;
	char loaded[32], pin_dir[256];
	time_t seconds = stats->meta.loaded_at_ns[stats->generation] / 1000000000ull;
	struct tm tm;

	localtime_r(&seconds, &tm);
	strftime(loaded, sizeof(loaded), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s: xpf loaded (program id %u, %s mode, %s)\n", ifname, filter->prog_id,
	       xpf_mode_name(filter->mode), stats->config.audit ? "audit" : "enforcing");
	printf("  rules:  %zu (generation %u, loaded %s)\n", stats->rule_count, stats->generation,
	       loaded);
	printf("  site:   %s\n  table:  %s\n", stats->meta.site[stats->generation],
	       stats->meta.table[stats->generation][0] ? stats->meta.table[stats->generation]
						       : "(none)");
	if (!xpf_egress_find(filter, &egress_id, &egress_how))
		printf("  egress: %s (program id %u, %s)\n",
		       egress_id ? "remembers the host's flows" : "MISSING: replies are not admitted",
		       egress_id, xpf_egress_attach_name(egress_how));
	print_sizes(stats, memory);
	xpf_pin_dir(ifname, pin_dir, sizeof(pin_dir));
	if (filter->pinned)
		printf("  pinned: %s\n", pin_dir);
	else
		printf("  pinned: no (%s); found through the interface\n",
		       xpf_bpffs_mounted() ? "no pins" : "bpffs not mounted here");
	if (xpf_leftovers_find(ifname, filter, &found)) {
		xpf_leftovers_print(stdout, "  ", &found);
		printf("  repair: `xpf reload -c SITE %s`, or `xpf unload %s`\n", ifname, ifname);
	}
}

static int show(const char *ifname)
{
	struct xpf_leftovers found;
	struct xpf_filter filter;
	struct xpf_stats stats;
	uint64_t memory;
	int err;

	err = xpf_filter_find(ifname, &filter);
	if ((err == -ENOENT || err == -ENODEV) && xpf_leftovers_find(ifname, NULL, &found)) {
		printf("%s: xpf not loaded%s; leftovers (`xpf unload %s` removes them):\n", ifname,
		       err == -ENODEV ? " (no such interface)" : "", ifname);
		xpf_leftovers_print(stdout, "  ", &found);
		return 1;
	}
	if (err)
		return report_filter_error(ifname, "status", err);
	err = xpf_stats_read(&filter, &stats);
	if (err) {
		xpf_filter_close(&filter);
		return report_failure(ifname, "read state", err);
	}
	if (xpf_map_memory(&filter, &memory))
		memory = 0;
	if (json_interfaces)
		add_json(ifname, &filter, &stats, memory);
	else
		print_text(ifname, &filter, &stats, memory);
	xpf_stats_free(&stats);
	xpf_filter_close(&filter);
	return 0;
}

static const struct xpf_option status_options[] = {
	{ 'j', "json", NULL, "as JSON: one object, the interfaces in a list", NULL, 0 },
	{},
};

/* Under -j, the object of every interface shown. */
static int print_json(void)
{
	struct json_object *o;

	if (!json_interfaces)
		return 0;
	o = json_object_new_object();
	json_object_object_add(o, "schema_version", json_object_new_int(1));
	json_object_object_add(o, "interfaces", json_interfaces);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	json_interfaces = NULL;
	return 0;
}

const struct xpf_verb xpf_verb_status = {
	"status", cmd_status, "[IFACE]", 0, 1, true,
	"what is loaded where: program, mode, rule set, leftovers", status_options,
};

int cmd_status(int argc, char **argv)
{
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE], orphans[XPF_MAX_INTERFACES][IF_NAMESIZE];
	char others[XPF_MAX_INTERFACES][IF_NAMESIZE];
	int count, orphan_count, other_count, failed = 0;
	struct xpf_args args;

	xpf_args_start(&args, &xpf_verb_status);
	while ((count = xpf_args_next(&args, argc, argv)) == 'j')
		json_interfaces = json_object_new_array();
	if (count != XPF_ARGS_END)
		return xpf_args_exit(count);
	if (xpf_check_privileges())
		return 1;
	if (args.operands == 1) {
		failed = show(argv[optind]);
		return print_json() ?: failed;
	}
	count = xpf_filter_list(names, XPF_MAX_INTERFACES);
	orphan_count = xpf_leftovers_list_orphans(orphans, XPF_MAX_INTERFACES);
	other_count = xpf_filter_list_other_versions(others, XPF_MAX_INTERFACES);
	if (count <= 0 && orphan_count <= 0 && other_count <= 0 && !json_interfaces) {
		printf("xpf: not loaded on any interface\n");
		return 0;
	}
	for (int i = 0; i < count; i++)
		failed |= show(names[i]);
	for (int i = 0; i < orphan_count; i++)
		failed |= show(orphans[i]);
	/* Said on stderr, as for the interface named: another version's filter. */
	for (int i = 0; i < other_count; i++)
		failed |= show(others[i]);
	return print_json() ?: failed;
}
