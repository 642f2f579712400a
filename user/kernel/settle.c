// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * When the old generation is settled after a flip. The XDP program runs in an RCU read-side
 * section (a driver's NAPI poll, softirq with bottom halves off; generic XDP under
 * rcu_read_lock()), the egress program in one too (under rcu_read_lock_bh() on transmit), and
 * each run reads the generation in force once, at its start. Since the flavours of RCU were
 * made one (Linux 4.20), a grace period waits for every such section, bottom-half- and
 * preemption-disabled ones included. membarrier(MEMBARRIER_CMD_GLOBAL) is synchronize_rcu()
 * where more than one CPU is online (kernel/sched/membarrier.c; the BPF selftests' own
 * kern_sync_rcu() waits for a grace period with it): when it returns, every run that could
 * have read the old generation has ended, and its counter updates are visible here. A grace
 * period takes well under a millisecond on an idle host, longer on a busy one: it waits as long
 * as the runs need, where a fixed delay only supposes they are done.
 *
 * With one CPU online the call returns at once without a grace period, which is enough for its
 * own ordering guarantee but not for a reader preempted in its section (a preemptible kernel's
 * BPF_PROG_TEST_RUN, PREEMPT_RT's softirq threads); and it fails where the kernel has no
 * membarrier() or runs nohz_full CPUs (ENOSYS, EINVAL). There the old generation is taken as
 * settled XPF_SETTLE_FALLBACK_US after the flip: a run takes microseconds.
 */
#include <errno.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kernel/settle.h"

#define XPF_SETTLE_FALLBACK_US 50000

void xpf_settle_start(struct xpf_settle *settle)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	settle->fallback_at_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec +
				 XPF_SETTLE_FALLBACK_US * 1000ull;
}

static void sleep_until(uint64_t at_ns)
{
	struct timespec at = { .tv_sec = at_ns / 1000000000, .tv_nsec = at_ns % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
		;
}

void xpf_settle_wait(const struct xpf_settle *settle)
{
	if (!settle->fallback_at_ns)
		return;
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1 && !syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		return;
	sleep_until(settle->fallback_at_ns);
}
