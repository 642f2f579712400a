// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* One line for a failed operation on an interface (on stderr, or in the error object under
 * -j): shared by every verb. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "lib/lock.h"

int report_filter_error(const char *ifname, const char *operation, int err)
{
	switch (err) {
	case -ENODEV:
		xpf_fail("no interface named '%s'", ifname);
		break;
	case -ENOENT:
		xpf_fail("not loaded on %s", ifname);
		break;
	case -EEXIST:
		xpf_fail("already loaded on %s (use `xpf reload` or `xpf unload %s`)", ifname,
			 ifname);
		break;
	case -EPROTO:
		xpf_fail("%s on %s: the xpf filter there is another version's (its maps differ): "
			 "unload it with that version, or detach it with `ip link set dev %s xdp off`",
			 operation, ifname, ifname);
		break;
	case -EBUSY:
		xpf_fail("%s on %s: another xpf has been working on it for %d s", operation, ifname,
			 XPF_LOCK_WAIT_S);
		break;
	case -EPERM:
	case -EACCES:
		xpf_fail("%s on %s: permission denied: needs root (CAP_BPF and CAP_NET_ADMIN)",
			 operation, ifname);
		break;
	default:
		return report_failure(ifname, operation, err);
	}
	return 1;
}

int report_failure(const char *ifname, const char *operation, int err)
{
	xpf_fail("%s on %s failed: %s", operation, ifname, strerror(-err));
	return 1;
}
