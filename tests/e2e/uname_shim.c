// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* LD_PRELOADed by tests/e2e/test_min_kernel.sh: uname() reports the release in
 * XPF_TEST_UNAME_RELEASE, so that the kernel check of `xpf load` meets an old kernel. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

int uname(struct utsname *name)
{
	int (*real)(struct utsname *) = (int (*)(struct utsname *))dlsym(RTLD_NEXT, "uname");
	const char *release = getenv("XPF_TEST_UNAME_RELEASE");
	int err = real(name);

	if (!err && release)
		snprintf(name->release, sizeof(name->release), "%s", release);
	return err;
}
