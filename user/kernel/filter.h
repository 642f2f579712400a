/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A filter: the XDP program and its maps on one interface. User space only.
 *
 * The kernel is the source of truth: xpf_filter_find() goes from the interface to the
 * attached program (netlink, through libxdp) and from the program to its maps by id, so every
 * command works without bpffs. Pins (kernel/pins.h) are a convenience for other tools.
 */
#ifndef XPF_FILTER_H
#define XPF_FILTER_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <xdp/libxdp.h>

#include "core/capacity.h"
#include "core/compile.h"
#include "core/names.h"

/* core/ names libxdp's attach modes by libxdp's numbers, without libxdp. */
_Static_assert((int)XPF_MODE_UNSPEC == (int)XDP_MODE_UNSPEC &&
	       (int)XPF_MODE_NATIVE == (int)XDP_MODE_NATIVE &&
	       (int)XPF_MODE_SKB == (int)XDP_MODE_SKB && (int)XPF_MODE_HW == (int)XDP_MODE_HW,
	       "enum xpf_attach_mode holds libxdp's numbers");

enum xpf_map {
	XPF_MAP_IN_FORCE,
	XPF_MAP_LOCAL_ADDRS,
	XPF_MAP_LOCAL_SLOTS,
	XPF_MAP_PORT_CLASSES,
	XPF_MAP_CLASSES,
	XPF_MAP_CLASS_CELLS,
	XPF_MAP_PREFIX_LISTS,
	XPF_MAP_RULES_V4,
	XPF_MAP_RULES_V6,
	XPF_MAP_SOURCE_TRIE,
	XPF_MAP_SOURCE_RULES,
	XPF_MAP_CLASS_SOURCES,
	XPF_MAP_RULE_STATS,
	XPF_MAP_REASON_STATS,
	XPF_MAP_FRAGMENTS,
	XPF_MAP_FRAGMENTS_V4,
	XPF_MAP_RULE_INFO,
	XPF_MAP_RULE_CARRIED,
	XPF_MAP_META,
	XPF_MAP_FLOWS,
	XPF_MAP_DENIED_PORTS,
	XPF_MAP_DENIED_SOURCES,
	XPF_MAP_DENIED_SAMPLER,
	XPF_MAP_DENIED_FLOWS,
	XPF_MAP_DROP_LOG,
	XPF_MAP_LOG_BUCKET,
	XPF_MAP_LIST_ROOTS,
	XPF_MAP_LIST_LONG,
	XPF_MAP_LIST_PREFIX_V4,
	XPF_MAP_LIST_PREFIX_V6,
	XPF_MAP_LIST_RULES,
	XPF_MAP_LIST_LENGTHS,
	XPF_MAP_REPLY_HINTS,
	XPF_MAP_COUNT,
};

extern const char *const xpf_map_names[XPF_MAP_COUNT];

/* The generation a key of a generation-keyed hash (local_addrs, classes) belongs to: its
 * first byte. */
static inline uint8_t xpf_key_generation(const void *key)
{
	return *(const uint8_t *)key;
}

struct xpf_bpf;
struct egress_bpf;

/* A rule with its counts: what a reload reports of the rules it removed. */
struct xpf_rule_report {
	uint32_t id;
	struct xpf_rule_info info;
	struct xpf_counter counter;	/* summed over CPUs, with what earlier generations carried */
};

struct xpf_filter {
	char ifname[IF_NAMESIZE];
	int ifindex;
	int prog_fd;
	uint32_t prog_id;
	enum xdp_attach_mode mode;
	bool pinned;
	int map_fds[XPF_MAP_COUNT];
	/* Install writes classes to the classes hash even where they fit the class grid's arrays,
	 * looks local addresses up in the local_addrs hash even where a slot table was found,
	 * and probes sources without the source trie (or with it, without its rule table) or
	 * without the classes' spans of rule sources: the tests run every layout. */
	bool classes_in_hash;
	bool locals_in_hash;
	bool sources_without_trie;
	bool sources_without_rule_table;
	bool sources_without_class_spans;
	/* The generation not in force was found empty (or emptied) just before, with the
	 * interface locked: a reload writes it without walking the hashes to clear it again. */
	bool spare_known_empty;
	/* The install writes on this thread alone, no threads of its own: a load's verifier
	 * has the second CPU meanwhile, and is what the load waits for. */
	bool write_alone;
	struct xpf_bpf *skel;		/* set when this process loaded it */
	struct xdp_program *program;
	struct xpf_rule_report *removed;	/* after a reload: rules it removed, their counts */
	size_t removed_count;
};

/* One clear line when privileges are missing; 0 when CAP_BPF (or CAP_SYS_ADMIN) and
 * CAP_NET_ADMIN are effective. */
int xpf_check_privileges(void);
/* The same, silent. */
bool xpf_has_privileges(void);

/* -ENODEV: no such interface; -ENOENT: no xpf there; -EPROTO: another version's xpf there. */
int xpf_filter_find(const char *ifname, struct xpf_filter *filter);
/* The maps whose size is the same for every rule set, made before the rule set is read, and
 * the egress program loaded on them: a load's work that waits for nothing. Their flows map has
 * the program's default size (XPF_DEFAULT_FLOWS), which serves a site file that keeps it. */
struct xpf_premade {
	struct xpf_bpf *maps;		/* the object's maps but those sized at load; no program */
	struct xpf_bpf *sized;		/* those sized at load (and flows, when not the premade
					 * one's size), once a capacity is known; or NULL */
	struct egress_bpf *egress;	/* loaded, attached nowhere */
};

/* Fills @premade; on an error leaves it empty (nothing to free). */
int xpf_filter_premake(struct xpf_premade *premade);
/* The maps sized at load, for @capacity, into @premade->sized (left NULL on an error); flows
 * among them where xpf_filter_premade_flows_serve() says the premade one does not serve. The
 * xpf_filter_prepare() that takes them is given the same @capacity. */
int xpf_filter_premake_sized(const struct xpf_capacity *capacity, struct xpf_premade *premade);
/* Every premade map (xpf_filter_premake() and xpf_filter_premake_sized() both done) as
 * @filter's, fds of its own, no program: for writing the first rule set while the program is
 * verified. Attached and pinned never; closed with xpf_filter_close(). */
int xpf_filter_open_premade(const struct xpf_premade *premade, struct xpf_filter *filter);
void xpf_filter_premade_free(struct xpf_premade *premade);
/* @premade->sized freed: the next xpf_filter_prepare() sizes those maps itself. */
void xpf_filter_premade_unsize(struct xpf_premade *premade);
/* Makes the maps, sized for @capacity (those of @premade, when given, are taken instead: all
 * of them once @premade->sized is made), and loads the program (the verifier's part), attached
 * nowhere: into *@loaded. It may run on a thread of its own while the rule set compiles. */
int xpf_filter_prepare(const struct xpf_capacity *capacity, const struct xpf_premade *premade,
		       struct xpf_bpf **loaded);
/* Whether the premade flows map (and so the premade egress program) is the one maps sized
 * @capacity take: xpf_filter_prepare() (or xpf_filter_premake_sized()) makes flows anew where
 * it is not. */
bool xpf_filter_premade_flows_serve(const struct xpf_premade *premade,
				    const struct xpf_capacity *capacity);
/* The egress program loaded on the maps of a program xpf_filter_prepare() loaded (it shares
 * flows, sized at load, with it), attached nowhere. */
int xpf_filter_prepare_egress(const struct xpf_bpf *loaded, struct egress_bpf **egress);
/* Takes a program xpf_filter_prepare() loaded, which @filter then owns (destroyed on an
 * error), for @ifname, attached nowhere yet: its maps are written through @filter before
 * xpf_filter_attach() puts it on the interface, so that no frame meets a program without a
 * rule set. -EEXIST when xpf is already there, -ENODEV when there is no such interface. */
int xpf_filter_adopt_prepared(const char *ifname, struct xpf_bpf *loaded,
			      struct xpf_filter *filter);
/* Attaches an adopted program: native, skb, or XDP_MODE_UNSPEC for native with fallback to
 * skb. The mode it got is in filter->mode and in the meta map. */
int xpf_filter_attach(struct xpf_filter *filter, enum xdp_attach_mode mode);
/* A program xpf_filter_prepare() loaded that is not to be attached (NULL: none). */
void xpf_filter_discard(struct xpf_bpf *loaded);
/* Loads the program and its maps without attaching them anywhere: for BPF_PROG_TEST_RUN. */
int xpf_filter_load_unattached(const struct xpf_capacity *capacity, struct xpf_filter *filter);
int xpf_filter_detach(struct xpf_filter *filter);
int xpf_filter_pin(struct xpf_filter *filter);
/* Removes @ifname's pin directory; 0 when there was nothing to remove. */
int xpf_filter_unpin(const char *ifname);
void xpf_filter_close(struct xpf_filter *filter);

/* The interfaces where xpf is attached, in this network namespace. */
int xpf_filter_list(char (*names)[IF_NAMESIZE], int max);
/* ... and those where an xpf of another version is (xpf_filter_find(): -EPROTO). */
int xpf_filter_list_other_versions(char (*names)[IF_NAMESIZE], int max);

#endif /* XPF_FILTER_H */
