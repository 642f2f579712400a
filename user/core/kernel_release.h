/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The oldest kernel xpf runs on, stated here alone: the XDP program is frags-aware
 * (SEC("xdp.frags"), 5.18) and walks IPv6 prefix lengths with bpf_loop (5.17). `xpf load`
 * refuses an older kernel by name; scripts/check-min-kernel.sh holds the README, the man page
 * and the package to this. Pure; user space only.
 */
#ifndef XPF_KERNEL_RELEASE_H
#define XPF_KERNEL_RELEASE_H

#define XPF_MIN_KERNEL_MAJOR 5
#define XPF_MIN_KERNEL_MINOR 18
#define XPF_MIN_KERNEL "5.18"
#define XPF_MIN_KERNEL_WHY "XDP multi-buffer programs, bpf_loop"

/* 1 when @release (uname's, "6.1.0-18-amd64") is XPF_MIN_KERNEL or later, 0 when older, -1
 * when it does not start with MAJOR.MINOR. */
int xpf_kernel_release_supported(const char *release);

#endif /* XPF_KERNEL_RELEASE_H */
