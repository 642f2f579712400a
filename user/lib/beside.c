// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "lib/beside.h"

static void *run(void *arg)
{
	struct xpf_beside *beside = arg;

	beside->err = beside->job(beside->arg);
	return NULL;
}

void xpf_beside_start(struct xpf_beside *beside, int (*job)(void *arg), void *arg)
{
	beside->job = job;
	beside->arg = arg;
	beside->err = 0;
	beside->threaded = !pthread_create(&beside->thread, NULL, run, beside);
	if (!beside->threaded)
		beside->err = job(arg);
}

void xpf_beside_start_here(struct xpf_beside *beside, int (*job)(void *arg), void *arg)
{
	beside->job = job;
	beside->arg = arg;
	beside->threaded = false;
	beside->err = job(arg);
}

int xpf_beside_finish(struct xpf_beside *beside)
{
	if (beside->threaded)
		pthread_join(beside->thread, NULL);
	beside->threaded = false;
	return beside->err;
}
