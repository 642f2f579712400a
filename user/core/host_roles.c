/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `local auto`: a site file shared by a pool, each host taking the roles that hold its
 * addresses (host_roles.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "core/host_roles.h"

/* The longest prefix of @role holding @addr; -1 when none does. */
static int longest_holding(const struct xpf_role *role, const struct xpf_prefix *addr)
{
	int best = -1;

	for (size_t i = 0; i < role->count; i++)
		if (xpf_prefix_contains(&role->prefixes[i], addr) && role->prefixes[i].len > best)
			best = role->prefixes[i].len;
	return best;
}

static bool already_kept(const struct xpf_site *site, const struct xpf_prefix *addr)
{
	for (size_t i = 0; i < site->host_addr_count; i++)
		if (!memcmp(&site->host_addrs[i], addr, sizeof(*addr)))
			return true;
	return false;
}

/* Marks the roles holding @addr with the longest prefix; true when there are any. */
static bool take_roles_of(struct xpf_site *site, const struct xpf_prefix *addr)
{
	int best = -1;

	for (size_t i = 0; i < site->role_count; i++) {
		int len = site->roles[i].protect ? -1 : longest_holding(&site->roles[i], addr);

		if (len > best)
			best = len;
	}
	if (best < 0)
		return false;
	for (size_t i = 0; i < site->role_count; i++)
		if (!site->roles[i].protect && longest_holding(&site->roles[i], addr) == best)
			site->roles[i].local = true;
	return true;
}

static int no_role_error(const struct xpf_site *site, const struct xpf_prefix *addrs,
			 size_t count, struct xpf_error *err)
{
	char list[XPF_MESSAGE_MAX / 2] = "", text[INET6_ADDRSTRLEN + 4];
	size_t used = 0;

	for (size_t i = 0; i < count && used < sizeof(list); i++) {
		xpf_prefix_format(&addrs[i], text, sizeof(text));
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
					 text);
	}
	xpf_error_set(err, site->file, site->local_line,
		      "`local auto`: no role holds an address of this host (%s)",
		      count ? list : "it has none");
	return -ENOENT;
}

int xpf_site_take_host(struct xpf_site *site, const struct xpf_prefix *addrs, size_t count,
		       struct xpf_error *err)
{
	struct xpf_prefix *kept;

	if (!site->local_auto)
		return 0;
	kept = calloc(count ? count : 1, sizeof(*kept));
	if (!kept)
		return -ENOMEM;
	free(site->host_addrs);
	site->host_addrs = kept;
	site->host_addr_count = 0;
	for (size_t i = 0; i < site->role_count; i++)
		site->roles[i].local = site->roles[i].protect;
	for (size_t i = 0; i < count; i++)
		if (take_roles_of(site, &addrs[i]) && !already_kept(site, &addrs[i]))
			site->host_addrs[site->host_addr_count++] = addrs[i];
	if (!site->host_addr_count)
		return no_role_error(site, addrs, count, err);
	return 0;
}
