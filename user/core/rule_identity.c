// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The hash is FNV-1a 64 over the row's fields as the Prometheus labels print them (label,
 * proto, port, source, destination, action, direction), each followed by a newline, so that a
 * reader of the metrics can recompute it (tests/e2e/prometheus_check.py does). The line is
 * left out: inserting a row moves every later line. Rows of one file said twice hash alike and
 * are told apart by their order among themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/names.h"
#include "core/rule_identity.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv1a_field(uint64_t hash, const char *text)
{
	for (; *text; text++)
		hash = (hash ^ (unsigned char)*text) * FNV_PRIME;
	return (hash ^ '\n') * FNV_PRIME;
}

const char *xpf_rule_file(const struct xpf_stats *stats, const struct xpf_rule_info *info)
{
	const struct xpf_origin_info *origin = xpf_origin_of(stats, info->origins[0]);

	if (info->from_site)
		return stats->meta.site[stats->generation];
	return origin ? origin->table : stats->meta.table[stats->generation];
}

static uint64_t row_hash(const struct xpf_rule_info *info)
{
	uint64_t hash = FNV_OFFSET;
	char port[16];

	if (info->port_first == info->port_last)
		snprintf(port, sizeof(port), "%u", info->port_first);
	else
		snprintf(port, sizeof(port), "%u-%u", info->port_first, info->port_last);
	hash = fnv1a_field(hash, info->label);
	hash = fnv1a_field(hash, xpf_protocols_name(info->protocols));
	hash = fnv1a_field(hash, port);
	hash = fnv1a_field(hash, info->source);
	hash = fnv1a_field(hash, info->destination);
	hash = fnv1a_field(hash, info->action == XPF_ACTION_DROP ? "deny" : "allow");
	return fnv1a_field(hash, xpf_direction_name(info->direction));
}

struct hashed_rule {
	uint64_t hash;
	const char *file;
	size_t index;
};

static int compare_hashed(const void *a, const void *b)
{
	const struct hashed_rule *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return strcmp(x->file, y->file) ?: (x->index > y->index) - (x->index < y->index);
}

int xpf_rule_identities(const struct xpf_stats *stats, struct xpf_rule_identity *identities)
{
	struct hashed_rule *sorted = calloc(stats->rule_count ?: 1, sizeof(*sorted));

	if (!sorted)
		return -ENOMEM;
	for (size_t i = 0; i < stats->rule_count; i++) {
		const struct xpf_rule_info *info = &stats->rules[i].info;

		sorted[i] = (struct hashed_rule){ row_hash(info), xpf_rule_file(stats, info), i };
	}
	/* By hash, file, then position: equal rows number themselves in the order they stand. */
	qsort(sorted, stats->rule_count, sizeof(*sorted), compare_hashed);
	for (size_t i = 0; i < stats->rule_count; i++) {
		uint32_t occurrence = 1;

		if (i > 0 && sorted[i].hash == sorted[i - 1].hash &&
		    !strcmp(sorted[i].file, sorted[i - 1].file))
			occurrence = identities[sorted[i - 1].index].occurrence + 1;
		identities[sorted[i].index] = (struct xpf_rule_identity){ sorted[i].hash,
									  occurrence };
	}
	free(sorted);
	return 0;
}

void xpf_rule_identity_format(const struct xpf_stats *stats, const struct xpf_rule_info *info,
			      const struct xpf_rule_identity *identity, char *buf, size_t size)
{
	int used = snprintf(buf, size, "%s:%016llx", xpf_rule_file(stats, info),
			    (unsigned long long)identity->hash);

	if (identity->occurrence > 1 && used > 0 && (size_t)used < size)
		snprintf(buf + used, size - used, "/%u", identity->occurrence);
}
