// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>

#include "lib/logging.h"

static enum xpf_log_level log_level = XPF_LOG_WARN;

void xpf_vlog(enum xpf_log_level level, const char *fmt, va_list ap)
{
	if (level > log_level)
		return;
	vfprintf(stderr, fmt, ap);
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
