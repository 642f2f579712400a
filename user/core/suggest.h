/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * `xpf suggest`: the drops of the denied record by source prefix, transport, port and
 * destination (kernel/denied_flows.h), after a period in audit mode, as the `allow` rows that
 * would admit them: one per source prefix, transport, port and destination role, with the
 * packets it would have admitted, most first. Drops no row could admit (no port, another
 * protocol, a destination that is not local) and drops of a `deny` row (a prefix that a rule
 * decides: only `policy default` drops are suggested) are left out, and counted. User space only, pure.
 */
#ifndef XPF_SUGGEST_H
#define XPF_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

/* One entry of the denied record, by flow (maps.h, xpf_denied_flow_key), its CPUs summed. */
struct xpf_denied_flow {
	struct xpf_prefix source;	/* the /24 or /64 the record keeps */
	struct xpf_prefix destination;	/* a host */
	uint8_t protocol;		/* IP protocol number */
	uint16_t port;
	uint64_t packets, bytes;
};

struct xpf_suggestion {
	struct xpf_prefix source;
	uint8_t protocols;		/* XPF_PROTO_TCP or XPF_PROTO_UDP */
	uint16_t port;
	char destination[XPF_NAME_MAX];	/* the local role, as the site names it */
	uint64_t packets, bytes;
};

struct xpf_suggestions {
	struct xpf_suggestion *rows;	/* most packets first */
	size_t count;
	uint64_t unadmittable;		/* packets no allow row could admit */
	uint64_t denied_by_rows;	/* packets a `deny` row drops */
};

int xpf_suggest(const struct xpf_site *site, const struct xpf_ruleset *ruleset,
		const struct xpf_denied_flow *flows, size_t count, struct xpf_suggestions *out);
/* "allow TCP 3389 | 203.0.113.0/24 | Director" */
void xpf_suggestion_row(const struct xpf_suggestion *row, char *buf, size_t size);
void xpf_suggestions_free(struct xpf_suggestions *suggestions);

#endif /* XPF_SUGGEST_H */
