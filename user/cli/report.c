// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* One line on stderr for a failed operation on an interface: shared by every verb. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "lib/lock.h"

int report_filter_error(const char *ifname, const char *operation, int err)
{
	switch (err) {
	case -ENODEV:
		fprintf(stderr, "xpf: no interface named '%s'\n", ifname);
		break;
	case -ENOENT:
		fprintf(stderr, "xpf: not loaded on %s\n", ifname);
		break;
	case -EEXIST:
		fprintf(stderr, "xpf: already loaded on %s (use `xpf reload` or `xpf unload %s`)\n",
			ifname, ifname);
		break;
	case -EPROTO:
		fprintf(stderr, "xpf: %s on %s: the xpf filter there is another version's (its maps "
				"differ): unload it with that version, or detach it with `ip link set "
				"dev %s xdp off`\n", operation, ifname, ifname);
		break;
	case -EBUSY:
		fprintf(stderr, "xpf: %s on %s: another xpf has been working on it for %d s\n",
			operation, ifname, XPF_LOCK_WAIT_S);
		break;
	case -EPERM:
	case -EACCES:
		fprintf(stderr, "xpf: %s on %s: permission denied: needs root (CAP_BPF and "
				"CAP_NET_ADMIN)\n", operation, ifname);
		break;
	default:
		return report_failure(ifname, operation, err);
	}
	return 1;
}

int report_failure(const char *ifname, const char *operation, int err)
{
	fprintf(stderr, "xpf: %s on %s failed: %s\n", operation, ifname, strerror(-err));
	return 1;
}
