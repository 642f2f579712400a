/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A reload made with --confirm SECONDS (commit-confirmed, as on routers): the rule set and mode
 * in force before it, kept by a watcher process of its own session (confirm_watch.c) that
 * reverts to them unless `xpf confirm` comes in time. The generation the reload put in force
 * carries the revert time (xpf_config.revert_at_ns); confirm clears it, and a later reload
 * replaces that generation: either way the watcher finds nothing to revert. User space only.
 */
#ifndef XPF_CLI_REVERT_H
#define XPF_CLI_REVERT_H

#include <limits.h>
#include <stdint.h>

#define XPF_CONFIRM_MAX_S 86400

struct xpf_revert_point {
	char *text;			/* the site file in force before (malloc()ed) */
	char site[PATH_MAX];		/* the path the meta map named it by */
	int audit;			/* its mode */
	int force;			/* the reload's --force: the trust checks of its files */
	uint64_t loaded_at_ns;		/* the generation to revert: the one the reload made */
	unsigned int seconds;
};

/* Makes ready, in the watcher, the rule set to go back to (read and compiled), so that the
 * revert itself only writes and flips. */
typedef int (*xpf_revert_prepare_fn)(const char *ifname, const struct xpf_revert_point *point);
/* Under the interface's lock: when the generation @point names is still in force and still
 * waits for confirmation, puts the prepared rule set and @point's mode in force, counters
 * carried. 0 when reverted, 1 when nothing waited, an error otherwise. */
typedef int (*xpf_revert_fn)(const char *ifname, const struct xpf_revert_point *point);

/* Starts the watcher, which owns @point's text from then on, calls @prepare at once and
 * @revert when the time has come; prints what it will do. */
int xpf_confirm_watch(const char *ifname, struct xpf_revert_point *point,
		      xpf_revert_prepare_fn prepare, xpf_revert_fn revert);

#endif /* XPF_CLI_REVERT_H */
