/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Rule set → map image: the keys and values of one generation's tables, built in memory.
 * User space only; pure, no BPF calls. The map writer (kernel/install.c) lays them out as the maps
 * the XDP program probes (include/xpf/maps.h) and writes them to the kernel.
 *
 * How classes keep the image small:
 *  - destination classes: local addresses that every ingress row treats alike share one id
 *    (ids per family, from 1);
 *  - port classes: ports (per transport) that every ingress row treats alike share one id,
 *    0 = no ingress row names the port, so a range never expands into one entry per port;
 *  - one rule entry per (source prefix, destination class, port class) of each ingress row;
 *    where two rows give the same key, the earlier row keeps it (ties go to the first row).
 */
#ifndef XPF_COMPILE_H
#define XPF_COMPILE_H

#include "core/config.h"
#include <xpf/maps.h>

struct xpf_image_local {
	struct xpf_local_key key;
	struct xpf_local_value value;
};

/* A (destination class, port class) with rules; its index in the image's classes is its class
 * number (rule keys), its prefix lengths one of the image's prefix lists, which classes
 * share (the 100,000-rule benchmark set: 96,710 classes, 7,004 lists). */
struct xpf_image_class {
	struct xpf_class_key key;
	uint32_t list;			/* index into prefix_lists */
};

/* A rule entry as compiled; the map writer turns it into a key of rules_v4 or rules_v6. Its
 * destination and port class are its class's (classes[class_no].key): 32 bytes an entry, not
 * 40 (the 100,000-rule set's 171,357 entries: 1.4 MB less). */
struct xpf_image_rule_key {
	uint8_t family;
	uint8_t prefix_len;
	uint8_t pad[2];
	uint8_t source[16];		/* masked to prefix_len */
};

struct xpf_image_rule {
	struct xpf_image_rule_key key;
	struct xpf_rule_value value;	/* rule_id = index into the rule set */
	uint32_t class_no;		/* the (dest class, port class) class: index into classes */
};

struct xpf_image {
	struct xpf_config config;	/* loaded = 1, policies from the rule set, audit = 0 */
	struct xpf_image_local *locals;
	size_t local_count;
	/* [XPF_TRANSPORT_TCP/UDP][port] → port class: ingress rows by destination port */
	uint32_t (*port_classes)[XPF_PORTS];
	/* the same for outbound rows by a reply's source port (all 0 without outbound rows) */
	uint32_t (*reply_port_classes)[XPF_PORTS];
	uint32_t port_class_count;	/* ids in use, 0 included */
	struct xpf_image_class *classes;
	size_t class_count;
	struct xpf_class_value *prefix_lists;	/* distinct, longest first; class_no 0 */
	size_t prefix_list_count;
	struct xpf_image_rule *entries;
	size_t entry_count;
};

int xpf_compile(const struct xpf_ruleset *ruleset, struct xpf_image *image, struct xpf_error *err);
void xpf_image_free(struct xpf_image *image);
/* The image's rule entries per family: [0] IPv4 (rules_v4), [1] IPv6 (rules_v6). */
void xpf_image_count_entries(const struct xpf_image *image, uint32_t counts[2]);

#endif /* XPF_COMPILE_H */
