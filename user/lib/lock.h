/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* One xpf at a time changes an interface's filter. User space only. */
#ifndef XPF_LOCK_H
#define XPF_LOCK_H

/*
 * Takes the lock of @ifname in this network namespace (flock on a file in /run/lock), waiting
 * up to XPF_LOCK_WAIT_S for another xpf to finish. Held until the process exits — also when it
 * is killed, so a crash never leaves it taken. -EBUSY when the wait ran out.
 */
int xpf_lock_interface(const char *ifname);

#define XPF_LOCK_WAIT_S 30

/* Closes this process's descriptor of the lock: a child forked while it was held shares the
 * lock with its parent, and must let go of it before it outlives the parent. */
void xpf_lock_release(void);

#endif /* XPF_LOCK_H */
