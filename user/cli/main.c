// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf: the options every verb shares (-j, -p, -v, -h, --version), then the verb (cli/verbs.c). */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/help.h"
#include "cli/output.h"
#include "cli/verbs.h"
#include "kernel/library_log.h"
#include "lib/logging.h"

#define XPF_MMAP_THRESHOLD (128 * 1024)	/* glibc's default starting value */

/* The key of a global option xpf_global_option() reads, or 0. */
static int global_key(const char *arg)
{
	static const char *const names[][2] = {
		{ "-j", "--json" }, { "-p", "--pretty" }, { "-v", "--verbose" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(arg, names[i][0]) || !strcmp(arg, names[i][1]))
			return names[i][0][1];
	return 0;
}

/* -j or -p after the verb, read before the verb's own options: a misuse among them is then said
 * as JSON too. An argument "--" ends the options, as for getopt. */
static void find_json_after_verb(int argc, char **argv, int first)
{
	for (int i = first + 1; i < argc && strcmp(argv[i], "--"); i++) {
		int key = global_key(argv[i]);

		if (key == 'j' || key == 'p')
			xpf_output_set_json(key == 'p' ? XPF_JSON_PRETTY : XPF_JSON_COMPACT);
	}
}

/* The options before the verb: the index of the verb, or -(exit status + 1) when done. */
static int read_global_options(int argc, char **argv)
{
	int first = 1;

	for (; first < argc && argv[first][0] == '-'; first++) {
		if (global_key(argv[first])) {
			xpf_global_option(NULL, global_key(argv[first]));
		} else if (!strcmp(argv[first], "-h") || !strcmp(argv[first], "--help")) {
			xpf_usage(stdout, xpf_verbs);
			return -1;
		} else if (!strcmp(argv[first], "--version") || !strcmp(argv[first], "-V")) {
			printf("xpf %s\n", XPF_VERSION);
			return -1;
		} else {
			xpf_fail("unknown option '%s'", argv[first]);
			if (!xpf_json())
				xpf_usage(stderr, xpf_verbs);
			return -3;
		}
	}
	return first;
}

int main(int argc, char **argv)
{
	const struct xpf_verb *verb;
	int first;

	/* Arrays of 100,000 rules grow by doubling and are freed phase by phase (text, table, rule
	 * set, image): mapped on their own, each growth is an mremap, not a copy beside the old
	 * one, and each free returns its pages at once. glibc's default threshold rises with every
	 * large free until such arrays land in the heap, where the peak stays resident: a fixed
	 * threshold turns that off (xpf load of 100,000 rules: 10 MiB less peak RSS). */
	mallopt(M_MMAP_THRESHOLD, XPF_MMAP_THRESHOLD);

	first = read_global_options(argc, argv);
	if (first < 0)
		return xpf_output_finish(-first - 1);
	xpf_log_libraries();
	if (first >= argc) {
		xpf_fail("no verb given");
		if (!xpf_json())
			xpf_usage(stderr, xpf_verbs);
		return xpf_output_finish(2);
	}
	find_json_after_verb(argc, argv, first);
	verb = xpf_verb_find(argv[first]);
	if (!verb) {
		xpf_fail("unknown verb '%s' (xpf help lists them)", argv[first]);
		return xpf_output_finish(2);
	}
	if (xpf_json() && !verb->prints_json)
		return xpf_output_finish(xpf_misuse(verb, "-j/-p: this verb prints no JSON"));
	return xpf_output_finish(verb->run(argc - first, argv + first));
}
