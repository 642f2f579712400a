// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/list_image.h"
#include "core/prefix_list.h"
#include "lib/huge_pages.h"

/* Family, length and address: the entries' order, so that a prefix in several lists is one
 * run of equal entries. */
static int by_prefix(const void *a, const void *b)
{
	return memcmp(a, b, offsetof(struct xpf_list_entry, lists));
}

static size_t prefixes_of(const struct xpf_ruleset *ruleset)
{
	size_t total = 0;

	for (size_t i = 0; i < ruleset->list_count; i++)
		total += ruleset->lists[i].count;
	return total;
}

/* Every list's prefixes, each with its list's bit, sorted; then the runs of one prefix
 * merged into one entry holding all their lists. *@count: the distinct prefixes. */
static int gather(const struct xpf_ruleset *ruleset, struct xpf_list_image *image,
		  struct xpf_list_entry **out, size_t *count)
{
	struct xpf_list_entry *entries;
	size_t n = 0, kept = 0;

	image->prefixes_read = prefixes_of(ruleset);
	entries = calloc(image->prefixes_read ?: 1, sizeof(*entries));
	if (!entries)
		return -ENOMEM;
	xpf_advise_huge_pages(entries, image->prefixes_read * sizeof(*entries));
	for (size_t l = 0; l < ruleset->list_count; l++)
		for (size_t i = 0; i < ruleset->lists[l].count; i++, n++) {
			const struct xpf_prefix *p = &ruleset->lists[l].prefixes[i];

			entries[n].family = p->family;
			entries[n].len = p->len;
			memcpy(entries[n].addr, p->addr, 16);
			entries[n].lists = 1ull << l;
		}
	qsort(entries, n, sizeof(*entries), by_prefix);
	for (size_t i = 0; i < n; i++) {
		if (kept && !by_prefix(&entries[kept - 1], &entries[i])) {
			entries[kept - 1].lists |= entries[i].lists;
			continue;
		}
		entries[kept++] = entries[i];
		image->family_count[entries[i].family == AF_INET6]++;
	}
	*out = entries;
	*count = kept;
	return 0;
}

static uint64_t host_half(const uint8_t *bytes)
{
	uint32_t words[2];

	memcpy(words, bytes, sizeof(words));
	return (uint64_t)ntohl(words[0]) << 32 | ntohl(words[1]);
}

/* The sorted entries as the program's arrays, IPv4 (first in the order) and IPv6. */
static int arrays_of(const struct xpf_list_entry *entries, struct xpf_list_image *image)
{
	size_t n4 = image->family_count[0], n6 = image->family_count[1];

	image->v4 = calloc(n4 ?: 1, sizeof(*image->v4));
	image->v6 = calloc(n6 ?: 1, sizeof(*image->v6));
	if (!image->v4 || !image->v6)
		return -ENOMEM;
	for (size_t i = 0; i < n4; i++) {
		uint32_t word;

		memcpy(&word, entries[i].addr, sizeof(word));
		image->v4[i].key = (uint64_t)entries[i].len << 32 | ntohl(word);
		image->v4[i].lists = entries[i].lists;
	}
	for (size_t i = 0; i < n6; i++) {
		const struct xpf_list_entry *e = &entries[n4 + i];

		image->v6[i].high = host_half(e->addr);
		image->v6[i].low = host_half(e->addr + 8);
		image->v6[i].length = e->len;
		image->v6[i].lists = e->lists;
	}
	image->lengths.entries[0] = (uint32_t)n4;
	image->lengths.entries[1] = (uint32_t)n6;
	return 0;
}

/* The entry's bits in the roots of its family, the long bitmap and the lengths in use. */
static void index_entry(const struct xpf_list_entry *e, struct xpf_list_image *image)
{
	uint32_t f = e->family == AF_INET6, top16 = (uint32_t)e->addr[0] << 8 | e->addr[1];
	uint32_t bit = 1u << xpf_list_root_bit(f, e->len), words[2], long_bit;
	uint32_t *roots = image->roots + (size_t)f * XPF_LIST_ROOT;

	memcpy(words, e->addr, sizeof(words));
	if (f && e->len >= XPF_LIST_HASHED_V6) {
		image->roots[2 * XPF_LIST_ROOT + xpf_list_v6_root_hash(words[0], words[1])] |= bit;
	} else if (e->len >= XPF_LIST_ROOT_BITS) {
		roots[top16] |= bit;
	} else {
		uint32_t span = 1u << (XPF_LIST_ROOT_BITS - e->len), first = top16 & ~(span - 1);

		for (uint32_t k = first; k < first + span; k++)
			roots[k] |= bit;
	}
	if (f)
		image->lengths.v6[e->len >> 6] |= 1ull << (e->len & 63);
	else
		image->lengths.v4 |= 1ull << e->len;
	if (e->len < (f ? XPF_LIST_LONG_V6 : XPF_LIST_LONG_V4))
		return;
	long_bit = f ? xpf_list_v6_long_bit(words[0], words[1]) : ntohl(words[0]) >> 8;
	image->long_words[(size_t)f * XPF_LIST_LONG_WORDS + (long_bit >> 6)] |=
		1ull << (long_bit & 63);
}

/* Where a list has an IPv6 prefix shorter than the hashed root's /48, every slot of the hashed
 * root says so: the program then reads the root by the top 16 bits as well. */
static void mark_short_v6(const struct xpf_list_entry *entries, size_t count,
			  struct xpf_list_image *image)
{
	for (size_t i = 0; i < count; i++)
		if (entries[i].family == AF_INET6 && entries[i].len < XPF_LIST_HASHED_V6) {
			for (uint32_t k = 0; k < XPF_LIST_ROOT; k++)
				image->roots[2 * XPF_LIST_ROOT + k] |= XPF_LIST_SHORT_V6;
			return;
		}
}

static void list_rule_of(const struct xpf_ruleset *ruleset, size_t index,
			 struct xpf_list_rule *out)
{
	const struct xpf_rule *rule = &ruleset->rules[index];

	memset(out, 0, sizeof(*out));
	out->rule_id = (uint32_t)index;
	out->action = rule->row.action;
	out->protocols = (rule->row.protocols & XPF_PROTO_TCP ? 1 : 0) |
			 (rule->row.protocols & XPF_PROTO_UDP ? 2 : 0);
	out->port_first = rule->row.port_first;
	out->port_last = rule->row.port_last;
	/* Every local address: no destination to compare. */
	if (rule->destination_count >= ruleset->local_count ||
	    rule->destination_count > XPF_LIST_DESTINATIONS)
		return;
	out->destination_count = (uint8_t)rule->destination_count;
	for (size_t i = 0; i < rule->destination_count; i++) {
		out->destinations[i].family = rule->destinations[i].family;
		memcpy(out->destinations[i].addr, rule->destinations[i].addr, 16);
	}
}

int xpf_list_image_build(const struct xpf_ruleset *ruleset, struct xpf_list_image *image)
{
	struct xpf_list_entry *entries = NULL;
	size_t count = 0;
	int err;

	memset(image, 0, sizeof(*image));
	for (size_t i = 0; i < ruleset->count; i++)
		if (ruleset->rules[i].list) {
			list_rule_of(ruleset, i, &image->rules[ruleset->rules[i].list - 1]);
			image->list_count++;
		}
	if (!ruleset->list_count)
		return 0;
	err = gather(ruleset, image, &entries, &count);
	if (!err) {
		image->roots = calloc(1, XPF_LIST_ROOT_BYTES);
		image->long_words = calloc(1, XPF_LIST_LONG_BYTES);
		err = image->roots && image->long_words ? 0 : -ENOMEM;
	}
	for (size_t i = 0; i < count && !err; i++)
		index_entry(&entries[i], image);
	mark_short_v6(entries, count, image);
	err = err ?: arrays_of(entries, image);
	free(entries);
	if (err)
		xpf_list_image_free(image);
	return err;
}

void xpf_list_image_free(struct xpf_list_image *image)
{
	free(image->v4);
	free(image->v6);
	free(image->roots);
	free(image->long_words);
	memset(image, 0, sizeof(*image));
}
