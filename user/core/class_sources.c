// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/class_sources.h"

_Static_assert(XPF_CLASS_SOURCES_SCAN < 1u << XPF_CELL_SPAN_COUNT_BITS, "span count bits");

/* Entries of each class, both families. */
static uint32_t *count_per_class(const struct xpf_image *image)
{
	uint32_t *per_class = calloc(image->class_count ? image->class_count : 1,
				     sizeof(*per_class));

	if (!per_class)
		return NULL;
	for (size_t i = 0; i < image->entry_count; i++)
		per_class[image->entries[i].class_no]++;
	return per_class;
}

static uint32_t spanned(const uint32_t *per_class, size_t class_count)
{
	uint32_t total = 0;

	for (size_t c = 0; c < class_count; c++)
		if (per_class[c] <= XPF_CLASS_SOURCES_SCAN)
			total += per_class[c];
	return total;
}

uint32_t xpf_class_spans_size(const struct xpf_image *image)
{
	uint32_t *per_class = count_per_class(image), total;

	if (!per_class)
		return UINT32_MAX;
	total = spanned(per_class, image->class_count);
	free(per_class);
	return total;
}

uint32_t xpf_class_unspanned_ipv4(const struct xpf_image *image)
{
	uint32_t *per_class = count_per_class(image), total = 0;

	if (!per_class)
		return UINT32_MAX;
	for (size_t i = 0; i < image->entry_count; i++)
		total += image->entries[i].key.family == AF_INET &&
			 per_class[image->entries[i].class_no] > XPF_CLASS_SOURCES_SCAN;
	free(per_class);
	return total;
}

/* Whether entry @a goes after entry @b in a span: IPv4 first, then longest prefix first. */
static bool goes_after(const struct xpf_image_rule *a, const struct xpf_image_rule *b)
{
	bool a_v4 = a->key.family == AF_INET, b_v4 = b->key.family == AF_INET;

	return a_v4 != b_v4 ? b_v4 : a->key.prefix_len < b->key.prefix_len;
}

/* IPv4 entries first, each family longest prefix first: at most XPF_CLASS_SOURCES_SCAN, so
 * insertion. */
static void sort_span(const struct xpf_image *image, uint32_t *span, uint32_t count)
{
	for (uint32_t i = 1; i < count; i++) {
		uint32_t entry = span[i], j = i;

		for (; j > 0 && goes_after(&image->entries[span[j - 1]], &image->entries[entry]); j--)
			span[j] = span[j - 1];
		span[j] = entry;
	}
}

static uint32_t ipv4_count(const struct xpf_image *image, const uint32_t *span, uint32_t count)
{
	uint32_t v4 = 0;

	for (uint32_t i = 0; i < count; i++)
		v4 += image->entries[span[i]].key.family == AF_INET;
	return v4;
}

int xpf_class_spans_build(const struct xpf_image *image, uint32_t room,
			  struct xpf_class_spans *spans)
{
	size_t classes = image->class_count ? image->class_count : 1;
	uint32_t *per_class = count_per_class(image), *fill = NULL, next = 0;

	memset(spans, 0, sizeof(*spans));
	if (!per_class)
		return -ENOMEM;
	spans->count = spanned(per_class, image->class_count);
	if (spans->count > room) {
		free(per_class);
		return -E2BIG;
	}
	spans->spans = calloc(classes, sizeof(*spans->spans));
	spans->order = calloc(spans->count ? spans->count : 1, sizeof(*spans->order));
	fill = calloc(classes, sizeof(*fill));
	if (!spans->spans || !spans->order || !fill) {
		free(per_class);
		free(fill);
		xpf_class_spans_free(spans);
		return -ENOMEM;
	}
	for (size_t c = 0; c < image->class_count; c++) {
		if (per_class[c] > XPF_CLASS_SOURCES_SCAN)
			continue;
		spans->spans[c] = xpf_class_span(next, per_class[c], 0);
		fill[c] = next;
		next += per_class[c];
	}
	for (size_t i = 0; i < image->entry_count; i++) {
		uint32_t class_no = image->entries[i].class_no;

		if (per_class[class_no] <= XPF_CLASS_SOURCES_SCAN)
			spans->order[fill[class_no]++] = (uint32_t)i;
	}
	for (size_t c = 0; c < image->class_count; c++) {
		uint32_t *span = &spans->order[xpf_class_span_first(spans->spans[c])];

		if (per_class[c] > XPF_CLASS_SOURCES_SCAN)
			continue;
		sort_span(image, span, per_class[c]);
		spans->spans[c] = xpf_class_span(xpf_class_span_first(spans->spans[c]), per_class[c],
						 ipv4_count(image, span, per_class[c]));
	}
	free(per_class);
	free(fill);
	return 0;
}

void xpf_class_sources_fill(const struct xpf_image *image, const struct xpf_class_spans *spans,
			    uint32_t first_id, uint32_t from, uint32_t count,
			    struct xpf_class_source *out)
{
	memset(out, 0, count * sizeof(*out));
	for (uint32_t i = 0; i < count; i++) {
		const struct xpf_image_rule *entry = &image->entries[spans->order[from + i]];
		struct xpf_class_source *source = &out[i];

		memcpy(source->source, entry->key.source, sizeof(source->source));
		memset(source->mask, 0xff, entry->key.prefix_len / 8);
		if (entry->key.prefix_len % 8)
			source->mask[entry->key.prefix_len / 8] =
				(uint8_t)(0xff00 >> entry->key.prefix_len % 8);
		source->rule = xpf_source_rule_of(entry->value.rule_id + first_id,
						  entry->value.action);
		source->family = entry->key.family;
		source->prefix_len = entry->key.prefix_len;
	}
}

void xpf_class_spans_free(struct xpf_class_spans *spans)
{
	free(spans->order);
	free(spans->spans);
	memset(spans, 0, sizeof(*spans));
}
