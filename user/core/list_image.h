/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A rule set's source lists as the list maps hold them (include/xpf/maps.h, bpf/lists.h): every
 * distinct prefix once, with the set of lists holding it, sorted; the /16 roots, the long-prefix
 * bitmaps and the lengths in use; a rule a list. Pure: no BPF calls. User space only.
 */
#ifndef XPF_LIST_IMAGE_H
#define XPF_LIST_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include <xpf/maps.h>

/* A prefix of the lists while the image is made. */
struct xpf_list_entry {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t len;
	uint8_t pad[6];
	uint8_t addr[16];		/* masked to len */
	uint64_t lists;			/* bit i: the generation's list i */
};

struct xpf_list_image {
	/* Every distinct prefix, sorted by family, length and prefix: the order of the
	 * arrays the program searches (the same bytes compare alike in network order, and as
	 * host-order numbers). */
	struct xpf_list_entry4 *v4;
	struct xpf_list_entry6 *v6;
	size_t family_count[2];		/* IPv4, IPv6 */
	uint32_t *roots;		/* [XPF_LIST_ROOTS][XPF_LIST_ROOT]; NULL without lists */
	uint64_t *long_words;		/* [family][XPF_LIST_LONG_WORDS]; NULL without lists */
	struct xpf_list_lengths lengths;
	/* rule_id: the rule's index in the rule set (the writer adds the generation's first
	 * id); lists past list_count match nothing (protocols 0). */
	struct xpf_list_rule rules[XPF_MAX_LISTS];
	size_t list_count;
	size_t prefixes_read;		/* in the files, repeats included */
};

/* From @ruleset's list rules and ruleset->lists. 0 or -ENOMEM. */
int xpf_list_image_build(const struct xpf_ruleset *ruleset, struct xpf_list_image *image);
void xpf_list_image_free(struct xpf_list_image *image);

/* Bytes of the roots or of the long bitmaps, one generation (both families). */
#define XPF_LIST_ROOT_BYTES ((size_t)XPF_LIST_ROOTS * XPF_LIST_ROOT * sizeof(uint32_t))
#define XPF_LIST_LONG_BYTES ((size_t)2 * XPF_LIST_LONG_WORDS * sizeof(uint64_t))

#endif /* XPF_LIST_IMAGE_H */
