/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The lockout guard: would a rule set, enforced, drop the SSH session this command runs in?
 * SSH_CONNECTION ("CLIENT-IP CLIENT-PORT SERVER-IP SERVER-PORT", set by sshd) names it; the
 * client's packets to the server's port are judged (core/judge.h). User space only, pure.
 */
#ifndef XPF_SSH_GUARD_H
#define XPF_SSH_GUARD_H

#include <stddef.h>

#include "core/config.h"

/* 0 when @ssh_connection is NULL or empty, or the session's packets pass. 1 when they would be
 * dropped: @message then says why and names the row that would admit them. -EINVAL when
 * @ssh_connection does not parse (@message says so). */
int xpf_ssh_guard(const char *ssh_connection, const struct xpf_site *site,
		  const struct xpf_ruleset *ruleset, char *message, size_t size);

#endif /* XPF_SSH_GUARD_H */
