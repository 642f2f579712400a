// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* XPF_FAULT_AFTER / XPF_FAULT_TRACE: see fault.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fault.h"

static const char *fault_verb = "xpf";
static unsigned int points_passed;

void xpf_fault_verb(const char *verb)
{
	fault_verb = verb;
}

void xpf_fault_point(const char *step)
{
	const char *after = getenv("XPF_FAULT_AFTER"), *trace = getenv("XPF_FAULT_TRACE");
	char name[96], number[16];

	snprintf(name, sizeof(name), "%s:%s", fault_verb, step);
	snprintf(number, sizeof(number), "%u", ++points_passed);
	if (trace && trace[0]) {
		FILE *file = fopen(trace, "a");

		if (file) {
			fprintf(file, "%s\n", name);
			fclose(file);
		}
	}
	if (!after || (strcmp(after, name) && strcmp(after, number)))
		return;
	/* stderr is unbuffered: the line is out before the kill, stdout's buffer is not. */
	fprintf(stderr, "xpf: fault injected after %s\n", name);
	raise(SIGKILL);
}
