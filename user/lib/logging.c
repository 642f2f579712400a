// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "lib/logging.h"

static enum xpf_log_level log_level = XPF_LOG_WARN;

static void vlog(enum xpf_log_level level, const char *fmt, va_list ap)
{
	if (level > log_level)
		return;
	vfprintf(stderr, fmt, ap);
}

void xpf_log(enum xpf_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

/* The libraries' warnings are about their internals (a missing bpffs, a feature probe): they
 * are shown from -v on, and xpf says in one line of its own what failed. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	vlog(level == LIBBPF_DEBUG ? XPF_LOG_DEBUG : XPF_LOG_INFO, fmt, ap);
	return 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	vlog(level == LIBXDP_DEBUG ? XPF_LOG_DEBUG : XPF_LOG_INFO, fmt, ap);
	return 0;
}

void xpf_log_init(enum xpf_log_level level)
{
	log_level = level;
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}
