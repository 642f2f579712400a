// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf log [--syslog] [IFACE]: sampled drops as they happen, until Ctrl-C or SIGTERM; as text,
 * JSON lines, or key=value lines into syslog (the journal takes them from /dev/log too). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/drop_view.h"
#include "cli/snapshot_read.h"
#include "kernel/drop_log.h"
#include "kernel/filter.h"
#include "cli/snapshot.h"

static volatile sig_atomic_t stop;

static void on_signal(int signal)
{
	(void)signal;
	stop = 1;
}

enum { OPTION_SYSLOG = 256 };

static const struct xpf_option log_options[] = {
	{ OPTION_SYSLOG, "syslog", NULL, "to syslog and the journal, one key=value line an event",
	  NULL, 0 },
	{},
};

/* Big enough for every field of xpf_drop_format_fields() at its longest. */
#define SYSLOG_LINE_MAX 1024

const struct xpf_verb xpf_verb_log = {
	"log", cmd_log, "[IFACE]", 0, 1, true,
	"the sampled drops, live, until interrupted", log_options, true,
};

static void print_line(const struct xpf_drop *drop, void *ctx)
{
	const bool *to_syslog = ctx;

	if (*to_syslog) {
		char line[SYSLOG_LINE_MAX];

		xpf_drop_format_fields(drop, line, sizeof(line));
		syslog(LOG_NOTICE, "%s", line);
		return;
	}
	if (xpf_json()) {
		struct json_object *object = xpf_drop_json(drop);

		json_object_object_add(object, "schema_version",
				       json_object_new_int(XPF_SCHEMA_VERSION));
		xpf_json_print_event(object);
	} else {
		xpf_drop_print(stdout, drop);
	}
	/* A line at a time, also into a pipe: a reader sees each drop when it happens. */
	fflush(stdout);
}

int cmd_log(int argc, char **argv)
{
	static struct xpf_filter filters[XPF_MAX_FOLLOWED];
	char names[XPF_MAX_FOLLOWED][IF_NAMESIZE];
	/* No SA_RESTART: the signal interrupts the wait for events, which then sees `stop`. */
	struct sigaction action = { .sa_handler = on_signal };
	int opt, count, found = 0, err;
	struct xpf_args args;
	bool to_syslog = false;

	xpf_args_start(&args, &xpf_verb_log);
	while ((opt = xpf_args_next(&args, argc, argv)) >= 0)
		to_syslog = true;
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	if (to_syslog && xpf_json())
		return xpf_misuse(&xpf_verb_log, "--syslog writes key=value lines, -j JSON: one or "
				  "the other");
	/* syslog(3) drops what it cannot send: without a socket to send to, say so now. */
	if (to_syslog && access(_PATH_LOG, W_OK))
		return xpf_fail("log --syslog: no %s to write to (no syslog daemon or journal "
				"here)", _PATH_LOG);
	if (xpf_check_privileges())
		return 1;
	count = xpf_snapshot_names(optind == argc - 1 ? argv[optind] : NULL, names,
				   XPF_MAX_FOLLOWED);
	if (count < 0)
		return 1;
	for (int i = 0; i < count; i++) {
		err = xpf_filter_find(names[i], &filters[found]);
		if (err) {
			while (found > 0)
				xpf_filter_close(&filters[--found]);
			return report_filter_error(names[i], "log", err);
		}
		found++;
	}
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	/* Opened now (LOG_NDELAY), not at the first drop: that one is not delayed or lost. */
	if (to_syslog)
		openlog("xpf", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	err = xpf_drop_log_follow(filters, found, &stop, print_line, &to_syslog);
	if (to_syslog)
		closelog();
	for (int i = 0; i < found; i++)
		xpf_filter_close(&filters[i]);
	if (err)
		return report_failure(count == 1 ? names[0] : "all interfaces", "follow the drop log",
				      err);
	return 0;
}
