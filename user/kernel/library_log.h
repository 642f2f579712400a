/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* libbpf's and libxdp's messages through xpf's logger (lib/logging.h). User space only. */
#ifndef XPF_LIBRARY_LOG_H
#define XPF_LIBRARY_LOG_H

/* From now on the libraries print at xpf's log level: their warnings from -v on. */
void xpf_log_libraries(void);

#endif /* XPF_LIBRARY_LOG_H */
