// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/judge.h"
#include "core/suggest.h"
#include "lib/vector.h"

/* The local role whose addresses hold @address, first in the site file; NULL: not local. */
static const char *local_role(const struct xpf_site *site, const struct xpf_prefix *address)
{
	for (size_t i = 0; i < site->role_count; i++)
		for (size_t j = 0; site->roles[i].local && j < site->roles[i].count; j++)
			if (xpf_prefix_contains(&site->roles[i].prefixes[j], address))
				return site->roles[i].name;
	return NULL;
}

static bool same_row(const struct xpf_suggestion *row, const struct xpf_prefix *source,
		     uint8_t protocols, uint16_t port, const char *destination)
{
	return row->protocols == protocols && row->port == port &&
	       !memcmp(&row->source, source, sizeof(*source)) &&
	       !strcmp(row->destination, destination);
}

static int add_row(struct xpf_suggestions *out, size_t *capacity, const struct xpf_denied_flow *flow,
		   uint8_t protocols, const char *destination)
{
	struct xpf_suggestion *row;

	for (size_t i = 0; i < out->count; i++) {
		if (!same_row(&out->rows[i], &flow->source, protocols, flow->port, destination))
			continue;
		out->rows[i].packets += flow->packets;
		out->rows[i].bytes += flow->bytes;
		return 0;
	}
	if (xpf_array_reserve(&out->rows, capacity, out->count + 1, 32))
		return -ENOMEM;
	row = &out->rows[out->count++];
	memset(row, 0, sizeof(*row));
	row->source = flow->source;
	row->protocols = protocols;
	row->port = flow->port;
	snprintf(row->destination, sizeof(row->destination), "%s", destination);
	row->packets = flow->packets;
	row->bytes = flow->bytes;
	return 0;
}

static int by_packets(const void *a, const void *b)
{
	const struct xpf_suggestion *x = a, *y = b;

	if (x->packets != y->packets)
		return x->packets > y->packets ? -1 : 1;
	return (x->port > y->port) - (x->port < y->port);
}

int xpf_suggest(const struct xpf_site *site, const struct xpf_ruleset *ruleset,
		const struct xpf_denied_flow *flows, size_t count, struct xpf_suggestions *out)
{
	size_t capacity = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < count; i++) {
		const struct xpf_denied_flow *flow = &flows[i];
		uint8_t protocols = flow->protocol == IPPROTO_TCP   ? XPF_PROTO_TCP
				    : flow->protocol == IPPROTO_UDP ? XPF_PROTO_UDP : 0;
		const char *role = local_role(site, &flow->destination);
		struct xpf_judgement judged;

		if (!protocols || !flow->port || !role) {
			out->unadmittable += flow->packets;
			continue;
		}
		xpf_ruleset_judge(ruleset, protocols, &flow->source, &flow->destination, flow->port,
				  &judged);
		/* Only what no rule decided can be admitted by a new row: a prefix a rule admits
		 * was dropped by a longer `deny` within it. */
		if (judged.by != XPF_JUDGED_BY_DEFAULT) {
			out->denied_by_rows += flow->packets;
			continue;
		}
		if (add_row(out, &capacity, flow, protocols, role)) {
			xpf_suggestions_free(out);
			return -ENOMEM;
		}
	}
	if (out->count)
		qsort(out->rows, out->count, sizeof(*out->rows), by_packets);
	return 0;
}

void xpf_suggestion_row(const struct xpf_suggestion *row, char *buf, size_t size)
{
	char source[INET6_ADDRSTRLEN + 4];

	xpf_prefix_format(&row->source, source, sizeof(source));
	snprintf(buf, size, "allow %s %u | %s | %s", row->protocols == XPF_PROTO_TCP ? "TCP" : "UDP",
		 row->port, source, row->destination);
}

void xpf_suggestions_free(struct xpf_suggestions *suggestions)
{
	free(suggestions->rows);
	memset(suggestions, 0, sizeof(*suggestions));
}
