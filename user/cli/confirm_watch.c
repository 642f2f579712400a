// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The watcher of a reload made with --confirm (revert.h): a process of its own session, with
 * its own copy of the rule set to go back to, so that neither the shell that ran the reload
 * nor the SSH session under it can take the revert down with them. It lets go of the
 * interface's lock at once (a forked child shares its parent's) and takes it again only to
 * revert. It ends as soon as the reload is confirmed or replaced, or the filter goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/revert.h"
#include "kernel/filter.h"
#include "kernel/loaded_site.h"
#include "lib/lock.h"

static uint64_t monotonic_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

/* Whether the generation the reload made is still in force and waits for confirmation. */
static int still_waiting(const char *ifname, const struct xpf_revert_point *point)
{
	struct xpf_filter filter;
	struct xpf_config config;
	uint64_t loaded_at_ns;
	uint32_t generation;
	int err = xpf_filter_find(ifname, &filter), waiting;

	if (err)
		return 0;
	err = xpf_filter_in_force(&filter, &generation, &config, &loaded_at_ns);
	waiting = !err && loaded_at_ns == point->loaded_at_ns && config.revert_at_ns;
	xpf_filter_close(&filter);
	return waiting;
}

/* Detached from the terminal and the session of the shell: SIGHUP, a closed terminal or a
 * killed process group reach it no more. */
static void detach(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	setsid();
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	if (chdir("/"))
		return;
}

static void watch(const char *ifname, const struct xpf_revert_point *point,
		  xpf_revert_prepare_fn prepare, xpf_revert_fn revert)
{
	uint64_t deadline = monotonic_ns() + (uint64_t)point->seconds * 1000000000ull;
	int err;

	openlog("xpf", LOG_PID, LOG_DAEMON);
	err = prepare(ifname, point);
	if (err)
		syslog(LOG_ERR, "%s: the rule set to revert to does not compile (%s): the revert "
		       "will compile it again", ifname, strerror(-err));
	for (uint64_t now = monotonic_ns(); now < deadline; now = monotonic_ns()) {
		uint64_t left = deadline - now;
		struct timespec nap = { 0, 0 };

		if (!still_waiting(ifname, point))
			return;
		/* A look a second (a confirm ends the watcher within one), and the last nap
		 * exactly to the revert's time. */
		left = left < 1000000000ull ? left : 1000000000ull;
		nap.tv_sec = (time_t)(left / 1000000000ull);
		nap.tv_nsec = (long)(left % 1000000000ull);
		nanosleep(&nap, NULL);
	}
	/* Undoing what may be a lockout: not behind the host's batch work. */
	if (setpriority(PRIO_PROCESS, 0, -10))
		syslog(LOG_INFO, "%s: the revert runs at its own priority", ifname);
	err = revert(ifname, point);
	if (!err)
		syslog(LOG_WARNING, "%s: the reload was not confirmed within %u s: reverted to the "
		       "rule set in force before it (%s)", ifname, point->seconds,
		       point->audit ? "audit" : "enforcing");
	else if (err < 0)
		syslog(LOG_ERR, "%s: the revert of an unconfirmed reload failed: %s", ifname,
		       strerror(-err));
}

int xpf_confirm_watch(const char *ifname, struct xpf_revert_point *point,
		      xpf_revert_prepare_fn prepare, xpf_revert_fn revert)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		fprintf(stderr, "xpf: %s: cannot start the watcher of --confirm: %s; `xpf confirm "
			"%s` keeps the reload, a reload reverts it\n", ifname, strerror(-err),
			ifname);
		free(point->text);
		return err;
	}
	if (pid == 0) {
		xpf_lock_release();
		detach();
		watch(ifname, point, prepare, revert);
		_exit(0);
	}
	printf("xpf: %s: reverts to the rule set and mode in force before (%s) in %u s unless "
	       "`xpf confirm %s` (watcher pid %d)\n", ifname, point->audit ? "audit" : "enforcing",
	       point->seconds, ifname, (int)pid);
	free(point->text);
	return 0;
}
