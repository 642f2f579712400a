// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/lockout_guard.h"
#include "core/ssh_guard.h"
#include "kernel/loaded_site.h"

int xpf_lockout_guard(const char *ifname, const struct xpf_site *site,
		      const struct xpf_ruleset *ruleset)
{
	char message[1024];
	int ret = xpf_ssh_guard(getenv("SSH_CONNECTION"), site, ruleset, message, sizeof(message));

	if (!ret)
		return 0;
	fprintf(stderr, "xpf: %s: not enforcing: %s (--audit to count it instead, --force to "
		"enforce anyway)\n", ifname, message);
	return -EPERM;
}

int xpf_lockout_guard_in_force(const struct xpf_filter *filter)
{
	struct xpf_loaded_config config;
	struct xpf_error error = {};
	const char *session = getenv("SSH_CONNECTION");
	int ret;

	if (!session || !*session)
		return 0;
	if (xpf_filter_loaded_config(filter, &config, &error)) {
		fprintf(stderr, "xpf: %s: not enforcing: the SSH session cannot be checked against "
			"the rule set in force (%s); --force to enforce anyway\n", filter->ifname,
			error.message);
		return -EPERM;
	}
	ret = xpf_lockout_guard(filter->ifname, &config.site, &config.ruleset);
	xpf_config_free(&config);
	return ret;
}
