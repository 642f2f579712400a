/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Fault injection for the crash tests (tests/e2e/test_faults.sh). User space only.
 *
 * Every step of load, reload and unload that changes the kernel's state ends in one
 * xpf_fault_point("step") line. XPF_FAULT_AFTER=VERB:STEP (or N, the Nth point passed) makes
 * xpf kill itself with SIGKILL right there: what a crash, an OOM kill or a power-cut of the
 * loader leaves behind. XPF_FAULT_TRACE=FILE appends the name of every point passed, so the
 * test learns the steps from the code instead of a list that could fall out of date.
 */
#ifndef XPF_FAULT_H
#define XPF_FAULT_H

/* The verb the following points belong to: "load", "reload", "unload". */
void xpf_fault_verb(const char *verb);
void xpf_fault_point(const char *step);

#endif /* XPF_FAULT_H */
