// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* This host's addresses, through getifaddrs(3) (host_addrs.h). */
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/host_addrs.h"

static bool host_of(const struct sockaddr *sa, struct xpf_prefix *out)
{
	memset(out, 0, sizeof(*out));
	if (sa && sa->sa_family == AF_INET) {
		out->family = AF_INET;
		out->len = 32;
		memcpy(out->addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		out->family = AF_INET6;
		out->len = 128;
		memcpy(out->addr, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return true;
	}
	return false;
}

int xpf_host_addrs(struct xpf_prefix **addrs)
{
	struct ifaddrs *list, *ifa;
	size_t count = 0, cap = 0;

	*addrs = NULL;
	if (getifaddrs(&list))
		return -errno;
	for (ifa = list; ifa; ifa = ifa->ifa_next)
		cap++;
	*addrs = calloc(cap ? cap : 1, sizeof(**addrs));
	if (!*addrs) {
		freeifaddrs(list);
		return -ENOMEM;
	}
	for (ifa = list; ifa; ifa = ifa->ifa_next)
		if (host_of(ifa->ifa_addr, &(*addrs)[count]))
			count++;
	freeifaddrs(list);
	return (int)count;
}
