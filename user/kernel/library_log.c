// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "kernel/library_log.h"
#include "lib/logging.h"

/* The libraries' warnings are about their internals (a missing bpffs, a feature probe): they
 * are shown from -v on, and xpf says in one line of its own what failed. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	xpf_vlog(level == LIBBPF_DEBUG ? XPF_LOG_DEBUG : XPF_LOG_INFO, fmt, ap);
	return 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	xpf_vlog(level == LIBXDP_DEBUG ? XPF_LOG_DEBUG : XPF_LOG_INFO, fmt, ap);
	return 0;
}

void xpf_log_libraries(void)
{
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}
