// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* xpf: the options every verb shares (-v, -h, --version), then the verb (cli/verbs.c). */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli/help.h"
#include "cli/verbs.h"
#include "kernel/library_log.h"
#include "lib/logging.h"

#define XPF_MMAP_THRESHOLD (128 * 1024)	/* glibc's default starting value */

int main(int argc, char **argv)
{
	enum xpf_log_level level = XPF_LOG_WARN;
	const struct xpf_verb *verb;
	int first = 1;

	/* Arrays of 100,000 rules grow by doubling and are freed phase by phase (text, table, rule
	 * set, image): mapped on their own, each growth is an mremap, not a copy beside the old
	 * one, and each free returns its pages at once. glibc's default threshold rises with every
	 * large free until such arrays land in the heap, where the peak stays resident: a fixed
	 * threshold turns that off (xpf load of 100,000 rules: 10 MiB less peak RSS). */
	mallopt(M_MMAP_THRESHOLD, XPF_MMAP_THRESHOLD);

	for (; first < argc && argv[first][0] == '-'; first++) {
		if (!strcmp(argv[first], "-v") || !strcmp(argv[first], "--verbose")) {
			level = level == XPF_LOG_WARN ? XPF_LOG_INFO : XPF_LOG_DEBUG;
		} else if (!strcmp(argv[first], "-h") || !strcmp(argv[first], "--help")) {
			xpf_usage(stdout, xpf_verbs);
			return 0;
		} else if (!strcmp(argv[first], "--version") || !strcmp(argv[first], "-V")) {
			printf("xpf %s\n", XPF_VERSION);
			return 0;
		} else {
			fprintf(stderr, "xpf: unknown option '%s'\n", argv[first]);
			xpf_usage(stderr, xpf_verbs);
			return 2;
		}
	}
	xpf_log_init(level);
	xpf_log_libraries();
	if (first >= argc) {
		xpf_usage(stderr, xpf_verbs);
		return 2;
	}
	verb = xpf_verb_find(argv[first]);
	if (verb)
		return verb->run(argc - first, argv + first);
	fprintf(stderr, "xpf: unknown verb '%s'\n", argv[first]);
	xpf_usage(stderr, xpf_verbs);
	return 2;
}
