/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Load and reload refuse to enforce a rule set that would drop the SSH session they run in
 * (core/ssh_guard.h), unless --force. User space only. */
#ifndef XPF_CLI_LOCKOUT_GUARD_H
#define XPF_CLI_LOCKOUT_GUARD_H

#include "core/config.h"
#include "kernel/filter.h"

/* -EPERM, said on stderr, when enforcing @ruleset on @ifname would drop the session in
 * SSH_CONNECTION; 0 otherwise. */
int xpf_lockout_guard(const char *ifname, const struct xpf_site *site,
		      const struct xpf_ruleset *ruleset);
/* The same for the rule set in force on @filter (its recorded site file). */
int xpf_lockout_guard_in_force(const struct xpf_filter *filter);

#endif /* XPF_CLI_LOCKOUT_GUARD_H */
