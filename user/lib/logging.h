/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* One logger for xpf, and for libbpf and libxdp through it (kernel/library_log.h); -v raises the
 * level. User space only. */
#ifndef XPF_LOGGING_H
#define XPF_LOGGING_H

#include <stdarg.h>

enum xpf_log_level {
	XPF_LOG_WARN,
	XPF_LOG_INFO,
	XPF_LOG_DEBUG,
};

void xpf_log_init(enum xpf_log_level level);
void xpf_log(enum xpf_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xpf_vlog(enum xpf_log_level level, const char *fmt, va_list ap);
/* Also hands every warning shown to @observer (NULL: none), after it went to stderr: `xpf -j`
 * keeps them for the error object when a verb fails without a message of its own. */
void xpf_log_observe_warnings(void (*observer)(const char *fmt, va_list ap));

#define pr_warn(...) xpf_log(XPF_LOG_WARN, __VA_ARGS__)
#define pr_info(...) xpf_log(XPF_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) xpf_log(XPF_LOG_DEBUG, __VA_ARGS__)

#endif /* XPF_LOGGING_H */
