// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf load / reload: site file → rule set → map image → the interface. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config_load.h"
#include "filter.h"
#include "logging.h"

/* Rule ids for two generations, with room for the rule set to grow on reload. */
static uint32_t rule_capacity(size_t rule_count)
{
	uint64_t capacity = 4 * (uint64_t)rule_count;

	if (capacity < 8192)
		capacity = 8192;
	return capacity > XPF_MAX_RULES ? XPF_MAX_RULES : capacity;
}

/* Validates and compiles before anything touches the kernel: bad input changes nothing. */
static int prepare(const char *site_path, struct xpf_loaded_config *config,
		   struct xpf_image *image)
{
	struct xpf_error err = {};

	if (xpf_config_load(site_path, config, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return -EINVAL;
	}
	for (size_t i = 0; i < config->ruleset.warning_count; i++)
		pr_info("warning: %s\n", config->ruleset.warnings[i]);
	if (xpf_compile(&config->ruleset, image, &err)) {
		fprintf(stderr, "%s\n", err.message);
		xpf_config_free(config);
		return -EINVAL;
	}
	return 0;
}

static void print_loaded(const char *verb, const struct xpf_filter *filter,
			 const struct xpf_loaded_config *config, const struct xpf_image *image)
{
	size_t ingress = 0, outbound = 0;

	for (size_t i = 0; i < config->ruleset.count; i++) {
		ingress += config->ruleset.rules[i].direction == XPF_DIRECTION_INGRESS;
		outbound += config->ruleset.rules[i].direction == XPF_DIRECTION_OUTBOUND;
	}
	printf("xpf: %s %s (%s mode%s): %zu rules (%zu ingress, %zu outbound), %zu local "
	       "addresses, %zu map entries\n",
	       verb, filter->ifname, xpf_mode_name(filter->mode),
	       image->config.audit ? ", audit" : "", config->ruleset.count, ingress, outbound,
	       config->ruleset.local_count, image->entry_count);
}

/* The site file as status shows it: absolute, so it still means something from elsewhere. */
static const char *site_name(const char *site, char *buf)
{
	return realpath(site, buf) ? buf : site;
}

static void load_usage(void)
{
	fprintf(stderr, "usage: xpf load -c SITE [-m native|skb|auto] [--audit] IFACE\n");
}

int cmd_load(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "audit", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	enum xdp_attach_mode mode = XDP_MODE_UNSPEC;
	struct xpf_loaded_config config;
	struct xpf_image image = {};
	struct xpf_filter filter;
	const char *site = NULL, *ifname;
	char site_path[PATH_MAX];
	int opt, audit = 0, err;

	while ((opt = getopt_long(argc, argv, "c:m:h", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			site = optarg;
			break;
		case 'm':
			if (parse_mode(optarg, &mode)) {
				fprintf(stderr, "xpf: mode must be native, skb or auto, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'a':
			audit = 1;
			break;
		default:
			load_usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!site || optind != argc - 1) {
		load_usage();
		return 2;
	}
	ifname = argv[optind];
	if (prepare(site, &config, &image))
		return 1;
	image.config.audit = audit;
	err = xpf_check_privileges();
	if (err)
		goto cleanup;
	xpf_bpffs_ready();
	err = xpf_filter_attach(ifname, mode, rule_capacity(config.ruleset.count), &filter);
	if (err) {
		report_filter_error(ifname, "attach", err);
		goto cleanup;
	}
	err = xpf_filter_install(&filter, &image, &config.ruleset, site_name(site, site_path),
				 config.table_name);
	if (!err)
		err = xpf_filter_pin(&filter);
	if (!err)
		err = xpf_egress_attach(&filter);
	if (err) {
		report_failure(ifname, "load", err);
		/* Leave nothing half made: detach both programs and remove what was pinned. */
		xpf_egress_detach(&filter);
		xpf_filter_detach(&filter);
		xpf_filter_unpin(ifname);
	} else {
		print_loaded("loaded on", &filter, &config, &image);
	}
	xpf_filter_close(&filter);
cleanup:
	xpf_image_free(&image);
	xpf_config_free(&config);
	return err ? 1 : 0;
}

int cmd_reload(int argc, char **argv)
{
	static const struct option options[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	struct xpf_loaded_config config;
	struct xpf_image image = {};
	struct xpf_filter filter;
	struct xpf_config current = {};
	const char *site = NULL, *ifname;
	char site_path[PATH_MAX];
	int opt, err;

	while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
		if (opt == 'c') {
			site = optarg;
			continue;
		}
		fprintf(stderr, "usage: xpf reload -c SITE IFACE\n");
		return opt == 'h' ? 0 : 2;
	}
	if (!site || optind != argc - 1) {
		fprintf(stderr, "usage: xpf reload -c SITE IFACE\n");
		return 2;
	}
	ifname = argv[optind];
	if (prepare(site, &config, &image))
		return 1;
	err = xpf_check_privileges();
	if (err)
		goto cleanup;
	err = xpf_filter_find(ifname, &filter);
	if (err) {
		report_filter_error(ifname, "reload", err);
		goto cleanup;
	}
	/* The audit setting belongs to the interface, not to the rule set. */
	xpf_filter_read_config(&filter, &current, NULL);
	image.config.audit = current.audit;
	err = xpf_filter_install(&filter, &image, &config.ruleset, site_name(site, site_path),
				 config.table_name);
	if (err)
		report_failure(ifname, "reload", err);
	else
		print_loaded("reloaded", &filter, &config, &image);
	xpf_filter_close(&filter);
cleanup:
	xpf_image_free(&image);
	xpf_config_free(&config);
	return err ? 1 : 0;
}
