/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One job run on a second thread while the caller does another: the loader's map writes to
 * different maps, each a few hundred thousand bpf() element updates under the kernel's own
 * locks, overlap on a second CPU. User only.
 */
#ifndef XPF_BESIDE_H
#define XPF_BESIDE_H

#include <pthread.h>
#include <stdbool.h>

struct xpf_beside {
	int (*job)(void *arg);
	void *arg;
	int err;
	bool threaded;
	pthread_t thread;
};

/* Starts @job(@arg) on a thread of its own; where no thread can be made, runs it here. */
void xpf_beside_start(struct xpf_beside *beside, int (*job)(void *arg), void *arg);
/* Runs @job(@arg) now, on this thread, for a caller whose second CPU is taken already: the
 * same calls either way. */
void xpf_beside_start_here(struct xpf_beside *beside, int (*job)(void *arg), void *arg);
/* Waits for the job: what it returned (0 or a negative errno). */
int xpf_beside_finish(struct xpf_beside *beside);

#endif /* XPF_BESIDE_H */
