// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Whether a kernel release is one xpf runs on (kernel_release.h). */
#include <stdlib.h>

#include "core/kernel_release.h"

int xpf_kernel_release_supported(const char *release)
{
	unsigned long major, minor;
	char *end;

	if (*release < '0' || *release > '9')
		return -1;
	major = strtoul(release, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	minor = strtoul(end + 1, &end, 10);
	if (major != XPF_MIN_KERNEL_MAJOR)
		return major > XPF_MIN_KERNEL_MAJOR;
	return minor >= XPF_MIN_KERNEL_MINOR;
}
