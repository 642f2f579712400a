/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The classes' rule sources as the XDP program scans them (include/xpf/maps.h, class_sources
 * and the spans in class_cells): each class with at most XPF_CLASS_SOURCES_SCAN rule entries
 * gets them as one span, its IPv4 entries first, each family longest prefix first; the program
 * scans the entries of a packet's family and takes the first that contains its source, which
 * is the rule the hash probes, longest length first, would find. User space only; pure, no BPF
 * calls.
 */
#ifndef XPF_CLASS_SOURCES_H
#define XPF_CLASS_SOURCES_H

#include <stdint.h>

#include "core/compile.h"

struct xpf_class_spans {
	/* [class number] → the class's span, the high word of its cell (xpf_class_span(); 0: no
	 * span, more sources than the program scans) */
	uint32_t *spans;
	/* [source] → its entry in the image, class by class, in span order: the sources are
	 * made from it a part at a time (xpf_class_sources_fill()), never all at once */
	uint32_t *order;
	uint32_t count;			/* sources */
};

/* The spans of @image's classes; -E2BIG when their sources are more than @room (the program
 * then goes without them). */
int xpf_class_spans_build(const struct xpf_image *image, uint32_t room,
			  struct xpf_class_spans *spans);

/* Sources @from .. @from + @count - 1 of @spans into @out, rule ids moved by @first_id. */
void xpf_class_sources_fill(const struct xpf_image *image, const struct xpf_class_spans *spans,
			    uint32_t first_id, uint32_t from, uint32_t count,
			    struct xpf_class_source *out);

/* How many sources the spans of @image take: what a build needs of its room. */
uint32_t xpf_class_spans_size(const struct xpf_image *image);
/* How many IPv4 entries of @image are in classes without a span (more sources than the
 * program scans): those the program looks up through the source trie, where there is one. */
uint32_t xpf_class_unspanned_ipv4(const struct xpf_image *image);

void xpf_class_spans_free(struct xpf_class_spans *spans);

#endif /* XPF_CLASS_SOURCES_H */
