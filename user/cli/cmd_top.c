// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf top [--interval SECONDS] [--once] [--count N] [IFACE]: per-rule packets/s and bits/s,
 * refreshed every interval. On a terminal, full screen (top_screen.c) with keys; otherwise,
 * or with --once, plain snapshots: each one's rates are over the interval before it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/snapshot_read.h"
#include "cli/top_screen.h"
#include "kernel/filter.h"

static volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

enum { OPTION_ONCE = 256 };

static const struct xpf_option top_options[] = {
	{ 'i', "interval", "SECONDS", "between refreshes, 0.1 to 3600 (1)", NULL, 0 },
	{ OPTION_ONCE, "once", NULL, "one screen as text, then exit", NULL, 0 },
	{ 'c', "count", "N", "exit after N refreshes", NULL, 0 },
	{},
};

/* Its keys: r rate, t total, p port, n rule number, space pause, q quit. */
const struct xpf_verb xpf_verb_top = {
	"top", cmd_top, "[IFACE]", 0, 1, true,
	"live rates by rule (keys: r rate, t total, p port, n rule, space pause, q quit)",
	top_options, false,
};

struct top_run {
	const char *ifname;	/* NULL: every interface, listed again at each refresh */
	double interval;
	long count;		/* refreshes before exiting; 0: until q or a signal */
	struct xpf_snapshot before, now;
	bool have_before;
	struct top_view view;
};

static double monotonic_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec + now.tv_nsec / 1e9;
}

static void sleep_seconds(double seconds)
{
	struct timespec pause;

	if (seconds <= 0)
		return;
	pause.tv_sec = (time_t)seconds;
	pause.tv_nsec = (long)((seconds - pause.tv_sec) * 1e9);
	nanosleep(&pause, NULL);	/* a signal cuts it short: the loop checks */
}

/* A new snapshot becomes `now`; the previous `now` becomes `before`. */
static int refresh(struct top_run *run)
{
	char names[XPF_MAX_INTERFACES][IF_NAMESIZE];
	struct xpf_snapshot next;
	int count = xpf_snapshot_names(run->ifname, names, XPF_MAX_INTERFACES);

	if (count < 0)
		count = 0;
	if (xpf_snapshot_read(names, count, "top", &next) || xpf_snapshot_read_denied(&next))
		return -ENOMEM;
	top_view_free(&run->view);
	if (run->have_before)
		xpf_snapshot_free(&run->before);
	run->before = run->now;
	run->have_before = true;
	run->now = next;
	return top_view_build(&run->view, &run->now, &run->before);
}

static void print_line(void *context, enum top_line_kind kind, const char *line)
{
	(void)kind;
	fputs(line, context);
	fputc('\n', context);
}

static int run_plain(struct top_run *run)
{
	double next = monotonic_seconds();

	for (long printed = 0; !stop_requested && (!run->count || printed < run->count);
	     printed++) {
		next += run->interval;
		sleep_seconds(next - monotonic_seconds());
		if (stop_requested)
			break;
		if (refresh(run))
			return report_failure(run->ifname ?: "all interfaces", "top", -ENOMEM);
		if (printed)
			putchar('\n');
		top_view_render(&run->view, 0, print_line, stdout);
		fflush(stdout);
	}
	return 0;
}

static bool handle_key(struct top_run *run, int key)
{
	switch (key) {
	case 'q':
	case 'Q':
		return false;
	case 'r':
		top_view_sort(&run->view, TOP_SORT_RATE);
		break;
	case 't':
		top_view_sort(&run->view, TOP_SORT_TOTAL);
		break;
	case 'p':
		top_view_sort(&run->view, TOP_SORT_PORT);
		break;
	case 'n':
		top_view_sort(&run->view, TOP_SORT_RULE);
		break;
	case ' ':
		run->view.paused = !run->view.paused;
		break;
	default:
		break;
	}
	return true;
}

static int run_screen(struct top_run *run)
{
	double next = monotonic_seconds() + run->interval;
	long refreshes = 0;

	if (top_screen_open())
		return report_failure(run->ifname ?: "all interfaces", "top: terminal", -ENOTTY);
	top_screen_draw(&run->view);
	while (!stop_requested) {
		double wait = next - monotonic_seconds();
		int key = top_screen_key(wait > 0 ? (int)(wait * 1000) + 1 : 0);

		if (key >= 0) {
			if (!handle_key(run, key))
				break;
			top_screen_draw(&run->view);
			continue;
		}
		if (monotonic_seconds() < next)
			continue;
		next += run->interval;
		if (run->view.paused)
			continue;
		/* Paused or not, the sort and the interval stay as chosen. */
		if (refresh(run)) {
			top_screen_close();
			return report_failure(run->ifname ?: "all interfaces", "top", -ENOMEM);
		}
		if (run->now.failed)
			top_screen_invalidate();	/* an error line went to the terminal */
		top_screen_draw(&run->view);
		if (run->count && ++refreshes >= run->count)
			break;
	}
	top_screen_close();
	return 0;
}

/* The options and the interface into @run and @once; -1 when the verb goes on, else the exit
 * status. */
static int parse_top_arguments(int argc, char **argv, struct top_run *run, int *once)
{
	struct xpf_args args;
	int opt;
	char *end;

	xpf_args_start(&args, &xpf_verb_top);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0) {
		if (opt == 'i') {
			run->interval = strtod(optarg, &end);
			if (*end || !(run->interval >= 0.1 && run->interval <= 3600))
				return xpf_misuse(&xpf_verb_top, "--interval %s: seconds from 0.1 "
						  "to 3600", optarg);
		} else if (opt == 'c') {
			run->count = strtol(optarg, &end, 10);
			if (*end || run->count < 1)
				return xpf_misuse(&xpf_verb_top, "--count %s: a number of "
						  "refreshes, 1 or more", optarg);
		} else {
			*once = 1;
		}
	}
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	run->ifname = optind == argc - 1 ? argv[optind] : NULL;
	if (*once)
		run->count = 1;
	return -1;
}

static void top_run_free(struct top_run *run)
{
	top_view_free(&run->view);
	xpf_snapshot_free(&run->now);
	if (run->have_before)
		xpf_snapshot_free(&run->before);
}

int cmd_top(int argc, char **argv)
{
	struct top_run run = { .interval = 1 };
	struct sigaction stop = { .sa_handler = request_stop };
	int once = 0, err;

	err = parse_top_arguments(argc, argv, &run, &once);
	if (err >= 0)
		return err;
	if (xpf_check_privileges())
		return 1;
	run.view.interval = run.interval;
	run.view.sort = TOP_SORT_RATE;
	/* The first snapshot: the baseline of the first rates, and proof there is something to
	 * show before the screen is taken over. */
	err = refresh(&run);
	if (err)
		return report_failure(run.ifname ?: "all interfaces", "top", err);
	if (run.now.count == 0) {
		top_run_free(&run);
		return 1;
	}
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	if (isatty(STDOUT_FILENO) && !once)
		err = run_screen(&run);
	else
		err = run_plain(&run);
	err = err ?: run.now.failed;
	top_run_free(&run);
	return err;
}
