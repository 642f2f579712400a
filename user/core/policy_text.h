/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The policy a rule set enforces, as text that is the same on every host a site file is loaded
 * on: what the policy digest (user/cli/policy_digest.h) hashes. Pure. User space only. */
#ifndef XPF_POLICY_TEXT_H
#define XPF_POLICY_TEXT_H

#include <stddef.h>

#include "core/config.h"

typedef void xpf_policy_feed(void *ctx, const char *text, size_t len);

/* Feeds @feed the policy, one line at a time: the policies, which addresses are local (`auto`
 * for `local auto`, where they are the host's own, and the `protect` roles'), then every rule
 * in priority order with its action, transport, ports, label, and the prefixes of its source
 * and of its destination as the site defines them (whole roles, not the host's part of them).
 * Comments, blanks, the order of role lines and the host's addresses change nothing. */
void xpf_policy_text(const struct xpf_site *site, const struct xpf_ruleset *ruleset,
		     xpf_policy_feed *feed, void *ctx);

#endif /* XPF_POLICY_TEXT_H */
