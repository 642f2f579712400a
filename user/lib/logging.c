// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>

#include "lib/logging.h"

static enum xpf_log_level log_level = XPF_LOG_WARN;
static void (*warning_observer)(const char *fmt, va_list ap);

void xpf_vlog(enum xpf_log_level level, const char *fmt, va_list ap)
{
	va_list copy;

	if (level > log_level)
		return;
	va_copy(copy, ap);
	vfprintf(stderr, fmt, ap);
	if (level == XPF_LOG_WARN && warning_observer)
		warning_observer(fmt, copy);
	va_end(copy);
}

void xpf_log_observe_warnings(void (*observer)(const char *fmt, va_list ap))
{
	warning_observer = observer;
}

void xpf_log(enum xpf_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xpf_vlog(level, fmt, ap);
	va_end(ap);
}

void xpf_log_init(enum xpf_log_level level)
{
	log_level = level;
}
