/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Whether a file may say what root enforces: the site file and the table it names decide what
 * a Director admits, so one that a non-root user owns or can write is refused (`--force` takes
 * it anyway). User space only.
 */
#ifndef XPF_FILE_TRUST_H
#define XPF_FILE_TRUST_H

#include "core/config.h"

/* 0 when the open file @fd (named @path in the message) is owned by root and writable by no
 * one else: not by others, not by a group other than root's. Else -EPERM and "PATH: problem". */
int xpf_file_check_trusted(int fd, const char *path, struct xpf_error *err);

#endif /* XPF_FILE_TRUST_H */
