/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Counters in the Prometheus text exposition format (version 0.0.4). User space only. */
#ifndef XPF_PROMETHEUS_H
#define XPF_PROMETHEUS_H

#include <stdio.h>

#include "cli/snapshot.h"

#define XPF_PROMETHEUS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Every metric family once (HELP, TYPE, then one sample per interface and rule or reason),
 * as the format requires: a family's samples may not be split across the output. With no
 * interface read, every family without samples: an exposition that says nothing is loaded.
 * 0, or -ENOMEM (nothing written). */
int xpf_prometheus_write(FILE *out, const struct xpf_snapshot *snapshot);
/* @value as a label value: backslash, double quote and newline escaped. */
void xpf_prometheus_label_value(FILE *out, const char *value);

#endif /* XPF_PROMETHEUS_H */
