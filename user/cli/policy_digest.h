/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The policy digest: SHA-256 of a rule set's host-independent policy text
 * (user/core/policy_text.h), so that every host a site file is loaded on shows the same one
 * (`xpf check`, `status`, `stats -j`, xpf_info{digest}). User space only. */
#ifndef XPF_POLICY_DIGEST_H
#define XPF_POLICY_DIGEST_H

#include "core/config.h"

/* Sets ruleset->digest (lowercase hex) for the rule set @site built. */
void xpf_policy_digest(const struct xpf_site *site, struct xpf_ruleset *ruleset);

#endif /* XPF_POLICY_DIGEST_H */
