/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Rule set → map image (include/xpf/maps.h). Linear in the rules plus the 2 x 65536 ports:
 * a reload of 100,000 rules has to stay well under a second, so nothing here loops over ports
 * per rule or over rules per port.
 *
 * Sets of rules are named by a 128-bit sum of a mixing function of each member's index:
 * adding a rule to a set is one addition, a range of ports is +mark at its first port and
 * -mark after its last, and equal sets get equal sums. Two different sets colliding in 128
 * bits is not a practical concern (about 2^-100 for a million sets).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/compile.h"
#include "lib/huge_pages.h"
#include "lib/mix.h"

struct mark {
	uint64_t a, b;
};

/* Consecutive rule indexes map to unrelated 64-bit values. */
static struct mark rule_mark(size_t rule)
{
	struct mark m = { xpf_mix64(2 * (uint64_t)rule), xpf_mix64(2 * (uint64_t)rule + 1) };

	return m;
}

/* Interns keys of three words; each new key gets the next index, from 0. */
struct keymap {
	uint64_t (*keys)[3];
	size_t count;
	size_t cap;
	uint32_t *slots;	/* index + 1; 0 = empty */
	size_t mask;
};

static size_t key_hash(uint64_t a, uint64_t b, uint64_t c)
{
	return (size_t)xpf_mix64(a ^ xpf_mix64(b ^ xpf_mix64(c)));
}

static int keymap_grow(struct keymap *m)
{
	size_t size = m->mask ? 2 * (m->mask + 1) : 1024;
	uint32_t *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < m->count; i++) {
		size_t h = key_hash(m->keys[i][0], m->keys[i][1], m->keys[i][2]);

		while (slots[h & (size - 1)])
			h++;
		slots[h & (size - 1)] = (uint32_t)(i + 1);
	}
	free(m->slots);
	m->slots = slots;
	m->mask = size - 1;
	return 0;
}

/* *index of the key, added when new; returns 1 when added, 0 when found, -ENOMEM. */
static int keymap_intern(struct keymap *m, uint64_t a, uint64_t b, uint64_t c, size_t *index)
{
	size_t h;

	if (2 * (m->count + 1) > m->mask + 1 && keymap_grow(m))
		return -ENOMEM;
	for (h = key_hash(a, b, c);; h++) {
		uint32_t slot = m->slots[h & m->mask];

		if (!slot)
			break;
		if (m->keys[slot - 1][0] == a && m->keys[slot - 1][1] == b &&
		    m->keys[slot - 1][2] == c) {
			*index = slot - 1;
			return 0;
		}
	}
	if (m->count == m->cap) {
		size_t n = m->cap ? 2 * m->cap : 256;
		uint64_t (*keys)[3] = realloc(m->keys, n * sizeof(*keys));

		if (!keys)
			return -ENOMEM;
		m->keys = keys;
		m->cap = n;
	}
	m->keys[m->count][0] = a;
	m->keys[m->count][1] = b;
	m->keys[m->count][2] = c;
	m->slots[h & m->mask] = (uint32_t)(m->count + 1);
	*index = m->count++;
	return 1;
}

/* Index of the key, or -1. */
static long keymap_find(const struct keymap *m, uint64_t a, uint64_t b, uint64_t c)
{
	if (!m->slots)
		return -1;
	for (size_t h = key_hash(a, b, c);; h++) {
		uint32_t slot = m->slots[h & m->mask];

		if (!slot)
			return -1;
		if (m->keys[slot - 1][0] == a && m->keys[slot - 1][1] == b &&
		    m->keys[slot - 1][2] == c)
			return (long)slot - 1;
	}
}

static void keymap_free(struct keymap *m)
{
	free(m->keys);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* The entries' and the classes' hash tables hold a slot of 32 bits per index: the index + 1 in
 * the low bits and the top bits of its key's hash above them, so that a probe compares keys
 * only where those bits agree. The tables can then be three quarters full (half as many
 * slots: 1.5 MB less at the compile's peak) at no cost in time. */
#define SLOT_INDEX_BITS 21
#define SLOT_INDEX_MASK ((1u << SLOT_INDEX_BITS) - 1)
#define SLOT_INDEX_MAX (SLOT_INDEX_MASK - 1)	/* indexes 0..SLOT_INDEX_MAX fit */

_Static_assert(XPF_MAX_RULE_ENTRIES <= SLOT_INDEX_MAX && XPF_MAX_CLASSES <= SLOT_INDEX_MAX,
	       "every index a map can hold fits in a slot");

static uint32_t slot_of(size_t index, size_t hash)
{
	return (uint32_t)(index + 1) | (uint32_t)((uint64_t)hash >> (32 + SLOT_INDEX_BITS))
						<< SLOT_INDEX_BITS;
}

static bool slot_may_hold(uint32_t slot, size_t hash)
{
	return slot >> SLOT_INDEX_BITS == (uint32_t)((uint64_t)hash >> (32 + SLOT_INDEX_BITS));
}

static size_t slot_index(uint32_t slot)
{
	return (slot & SLOT_INDEX_MASK) - 1;
}

/* True when one more key would take a table of @mask + 1 slots past three quarters full. */
static bool slots_full(size_t count, size_t mask)
{
	return 4 * (count + 1) > 3 * (mask + 1);
}

static void addr_words(const struct xpf_prefix *p, uint64_t *a, uint64_t *b)
{
	memcpy(a, p->addr, 8);
	memcpy(b, p->addr + 8, 8);
}

/* Runs of ports of one transport that share a port class; a rule's range starts and ends on
 * run boundaries, so its port classes are the classes of the runs inside it. */
struct runs {
	uint32_t *start;
	uint32_t *class;
	size_t count;
};

/* A set of prefix lengths, bit n for /n, as a keymap key. */
#define PREFIX_SET_WORDS 3
_Static_assert(XPF_MAX_PREFIX_LENS <= 64 * PREFIX_SET_WORDS, "a prefix set is a keymap key");

struct compiler {
	const struct xpf_ruleset *ruleset;
	struct xpf_image *image;
	/* Two passes over the rule set, one per direction (XPF_INGRESS_ROWS, XPF_REPLY_ROWS), the
	 * pass under way in @direction: both directions' classes first, then their entries. */
	int direction;
	struct runs runs[XPF_DIRECTIONS][XPF_TRANSPORTS];
	uint32_t port_class_count[XPF_DIRECTIONS];	/* port class ids in use, 0 included */
	uint32_t dest_class_count;	/* destination class ids in use, from 1, both passes */
	uint32_t *local_classes[XPF_DIRECTIONS];	/* per local address: its class */
	struct keymap hosts;		/* local address → its index in the rule set */
	uint8_t *class_family;		/* per destination class id */
	uint32_t *class_slots;		/* slot_of(class index) by the hash of its key; 0 = empty */
	size_t class_mask;
	size_t class_cap;		/* of image->classes, made as the entries are */
	/* Every set of prefix lengths a class has had so far, the empty one first: a class's
	 * list is its set's index here until finish_classes() numbers the final sets. */
	struct keymap prefix_sets;
	uint32_t *entry_slots;		/* slot_of(entry index); 0 = empty */
	size_t entry_mask;
	size_t entry_first_size;	/* the slots' first size: entry_table_size() */
	size_t entry_cap;
};

/* Ingress rows are keyed on the local destination and matched on the packet's source; outbound
 * rows, for their replies, on the local source and the destination's prefixes. */
static bool in_direction(const struct compiler *c, const struct xpf_rule *rule)
{
	return rule->direction == (c->direction == XPF_INGRESS_ROWS ? XPF_DIRECTION_INGRESS
								    : XPF_DIRECTION_OUTBOUND);
}

static const struct xpf_prefix *locals_of(const struct compiler *c, const struct xpf_rule *rule,
					  size_t *count)
{
	*count = c->direction == XPF_INGRESS_ROWS ? rule->destination_count
						  : rule->reply_local_count;
	return c->direction == XPF_INGRESS_ROWS ? rule->destinations : rule->reply_locals;
}

static const struct xpf_prefix *remotes_of(const struct compiler *c, const struct xpf_rule *rule,
					   size_t *count)
{
	*count = c->direction == XPF_INGRESS_ROWS ? rule->source_count : rule->reply_remote_count;
	return c->direction == XPF_INGRESS_ROWS ? rule->sources : rule->reply_remotes;
}

static bool transport_of(const struct compiler *c, const struct xpf_rule *rule, int transport)
{
	uint8_t bit = transport == XPF_TRANSPORT_TCP ? XPF_PROTO_TCP : XPF_PROTO_UDP;

	return in_direction(c, rule) && (rule->row.protocols & bit);
}

static int build_port_classes(struct compiler *c)
{
	const struct xpf_ruleset *rs = c->ruleset;
	struct xpf_image *image = c->image;
	struct delta {
		struct mark sum;
		int64_t count;
	} *delta;
	struct keymap sets = { 0 };
	int ret = 0;

	/* The image's port arrays are written from the runs at the end (fill_port_classes()):
	 * 1 MB less while the entries are made. */
	delta = calloc((size_t)XPF_TRANSPORTS * (XPF_PORTS + 1), sizeof(*delta));
	xpf_advise_huge_pages(delta, (size_t)XPF_TRANSPORTS * (XPF_PORTS + 1) * sizeof(*delta));
	if (!delta) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < rs->count; i++) {
		const struct xpf_rule *rule = &rs->rules[i];
		struct mark m = rule_mark(i);

		for (int t = 0; t < XPF_TRANSPORTS; t++) {
			struct delta *d = delta + (size_t)t * (XPF_PORTS + 1);

			if (!transport_of(c, rule, t))
				continue;
			d[rule->row.port_first].sum.a += m.a;
			d[rule->row.port_first].sum.b += m.b;
			d[rule->row.port_first].count++;
			d[rule->row.port_last + 1].sum.a -= m.a;
			d[rule->row.port_last + 1].sum.b -= m.b;
			d[rule->row.port_last + 1].count--;
		}
	}

	/* One sweep per transport; the sets are shared so TCP and UDP ports that the same rules
	 * name get the same class. */
	for (int t = 0; t < XPF_TRANSPORTS; t++) {
		struct delta *d = delta + (size_t)t * (XPF_PORTS + 1);
		struct runs *runs = &c->runs[c->direction][t];
		struct mark sum = { 0, 0 };
		int64_t count = 0;
		uint32_t class = 0;
		size_t runs_cap = 0;

		for (uint32_t port = 0; port < XPF_PORTS; port++) {
			if (port == 0 || d[port].count || d[port].sum.a || d[port].sum.b) {
				uint32_t previous = class;

				sum.a += d[port].sum.a;
				sum.b += d[port].sum.b;
				count += d[port].count;
				class = 0;
				if (count) {
					size_t index;

					ret = keymap_intern(&sets, sum.a, sum.b, 0, &index);
					if (ret < 0)
						goto out;
					class = (uint32_t)index + 1;
				}
				if (port == 0 || class != previous) {
					if (runs->count == runs_cap) {
						size_t n = runs_cap ? 2 * runs_cap : 64;
						uint32_t *s = realloc(runs->start, n * sizeof(*s));
						uint32_t *k;

						if (!s) {
							ret = -ENOMEM;
							goto out;
						}
						runs->start = s;
						k = realloc(runs->class, n * sizeof(*k));
						if (!k) {
							ret = -ENOMEM;
							goto out;
						}
						runs->class = k;
						runs_cap = n;
					}
					runs->start[runs->count] = port;
					runs->class[runs->count] = class;
					runs->count++;
				}
			}
		}
	}
	c->port_class_count[c->direction] = (uint32_t)sets.count + 1;
	if (c->direction == XPF_INGRESS_ROWS)
		image->port_class_count = c->port_class_count[c->direction];
	ret = 0;
out:
	keymap_free(&sets);
	free(delta);
	return ret;
}

/* Destination classes: local addresses grouped by (family, set of this direction's rules naming
 * them). One id space for both families and both directions: the rule key has neither field.
 * Ingress gives every local address a class; the reply pass only those an outbound row names
 * (0: a reply to it is counted as `reply`). */
static int build_dest_classes(struct compiler *c)
{
	const struct xpf_ruleset *rs = c->ruleset;
	struct keymap *hosts = &c->hosts, sets = { 0 };
	uint32_t first_id = c->dest_class_count;
	struct mark *sum;
	uint32_t *local_class;
	int ret = 0;

	sum = calloc(rs->local_count + 1, sizeof(*sum));
	local_class = calloc(rs->local_count + 1, sizeof(*local_class));
	c->local_classes[c->direction] = local_class;
	if (!c->class_family)
		c->class_family = calloc(XPF_DIRECTIONS * rs->local_count + 1,
					 sizeof(*c->class_family));
	if (!sum || !local_class || !c->class_family) {
		ret = -ENOMEM;
		goto out;
	}
	/* The hosts are interned once, by the first pass. */
	for (size_t l = hosts->count ? rs->local_count : 0; l < rs->local_count; l++) {
		uint64_t a, b;
		size_t index;

		addr_words(&rs->locals[l].addr, &a, &b);
		ret = keymap_intern(hosts, a, b, rs->locals[l].addr.family, &index);
		if (ret < 0)
			goto out;
	}
	for (size_t i = 0; i < rs->count; i++) {
		const struct xpf_rule *rule = &rs->rules[i];
		struct mark m = rule_mark(i);

		const struct xpf_prefix *locals;
		size_t local_count;

		if (!in_direction(c, rule))
			continue;
		locals = locals_of(c, rule, &local_count);
		for (size_t j = 0; j < local_count; j++) {
			uint64_t a, b;
			long l;

			addr_words(&locals[j], &a, &b);
			l = keymap_find(hosts, a, b, locals[j].family);
			/* Not a local address (a rule set built by hand): no class to join. */
			if (l < 0)
				continue;
			sum[l].a += m.a;
			sum[l].b += m.b;
		}
	}
	for (size_t l = 0; l < rs->local_count; l++) {
		uint8_t family = rs->locals[l].addr.family;
		size_t index;

		if (c->direction == XPF_REPLY_ROWS && !sum[l].a && !sum[l].b)
			continue;
		ret = keymap_intern(&sets, sum[l].a, sum[l].b, family, &index);
		if (ret < 0)
			goto out;
		local_class[l] = first_id + (uint32_t)index + 1;
		c->class_family[first_id + index + 1] = family;
	}
	c->dest_class_count = first_id + (uint32_t)sets.count;
	ret = 0;
out:
	keymap_free(&sets);
	free(sum);
	return ret;
}

static size_t entry_hash(const struct xpf_image_rule *entry)
{
	uint64_t a, b;

	memcpy(&a, entry->key.source, 8);
	memcpy(&b, entry->key.source + 8, 8);
	return key_hash(a, b,
			((uint64_t)entry->class_no << 16) ^ ((uint64_t)entry->key.family << 8) ^
			entry->key.prefix_len);
}

static bool same_entry(const struct xpf_image_rule *x, const struct xpf_image_rule *y)
{
	return x->class_no == y->class_no && !memcmp(&x->key, &y->key, sizeof(x->key));
}

/* The entries' hash starts at two slots per source prefix of the rows (at most three quarters
 * full for 1.5 entries a prefix), so that a large rule set is not rehashed as it grows: the
 * 100,000-rule set's 171,357 entries were rehashed seven times. */
static size_t entry_table_size(const struct xpf_ruleset *rs)
{
	size_t prefixes = 0, size = 4096;

	for (size_t i = 0; i < rs->count; i++)
		prefixes += rs->rules[i].direction == XPF_DIRECTION_INGRESS
				    ? rs->rules[i].source_count
				    : rs->rules[i].reply_remote_count;
	while (size < 2 * prefixes && size < ((size_t)XPF_MAX_RULE_ENTRIES << 1))
		size *= 2;
	return size;
}

static int entry_table_grow(struct compiler *c)
{
	const struct xpf_image *image = c->image;
	size_t size = c->entry_mask ? 2 * (c->entry_mask + 1) : c->entry_first_size;
	uint32_t *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	xpf_advise_huge_pages(slots, size * sizeof(*slots));
	for (size_t i = 0; i < image->entry_count; i++) {
		size_t hash = entry_hash(&image->entries[i]), h;

		for (h = hash; slots[h & (size - 1)]; h++)
			;
		slots[h & (size - 1)] = slot_of(i, hash);
	}
	free(c->entry_slots);
	c->entry_slots = slots;
	c->entry_mask = size - 1;
	return 0;
}

/* Adds the entry unless its key is taken: the earlier rule keeps it. 1 added, 0 taken;
 * -E2BIG past the entries a slot can name (far more than a map holds: check_limits()). */
static int add_entry(struct compiler *c, const struct xpf_image_rule *entry)
{
	struct xpf_image *image = c->image;
	size_t hash = entry_hash(entry), h;

	if (image->entry_count > SLOT_INDEX_MAX)
		return -E2BIG;
	if (slots_full(image->entry_count, c->entry_mask) && entry_table_grow(c))
		return -ENOMEM;
	for (h = hash;; h++) {
		uint32_t slot = c->entry_slots[h & c->entry_mask];

		if (!slot)
			break;
		if (slot_may_hold(slot, hash) && same_entry(&image->entries[slot_index(slot)], entry))
			return 0;
	}
	/* Not advised for huge pages: the entries' growing end would take a whole one at the
	 * compile's peak, and the spare room up to it (up to 2 MiB RSS, 1.3 on average with
	 * the 100,000-rule set); in small pages they take no measurable time more. */
	if (image->entry_count == c->entry_cap) {
		size_t n = c->entry_cap ? 2 * c->entry_cap : 1024;
		struct xpf_image_rule *entries = realloc(image->entries, n * sizeof(*entries));

		if (!entries)
			return -ENOMEM;
		image->entries = entries;
		c->entry_cap = n;
	}
	image->entries[image->entry_count] = *entry;
	c->entry_slots[h & c->entry_mask] = slot_of(image->entry_count, hash);
	image->entry_count++;
	return 1;
}

static size_t class_hash(uint32_t dest_class, uint32_t port_class)
{
	return (size_t)xpf_mix64(((uint64_t)dest_class << 32) | port_class);
}

static int class_table_grow(struct compiler *c)
{
	const struct xpf_image *image = c->image;
	size_t size = c->class_mask ? 2 * (c->class_mask + 1) : 1024;
	uint32_t *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	xpf_advise_huge_pages(slots, size * sizeof(*slots));
	for (size_t i = 0; i < image->class_count; i++) {
		const struct xpf_class_key *key = &image->classes[i].key;
		size_t hash = class_hash(key->dest_class, key->port_class), h;

		for (h = hash; slots[h & (size - 1)]; h++)
			;
		slots[h & (size - 1)] = slot_of(i, hash);
	}
	free(c->class_slots);
	c->class_slots = slots;
	c->class_mask = size - 1;
	return 0;
}

/* Index of the (dest class, port class), created on first use with no prefix length: the
 * image's own class (key and list, 12 bytes), its list the empty set's for now. -E2BIG past
 * the classes a slot can name (far more than a map holds: check_limits()). */
static int class_index(struct compiler *c, uint32_t dest_class, uint32_t port_class,
		       size_t *index)
{
	struct xpf_image *image = c->image;
	size_t hash = class_hash(dest_class, port_class), h;
	struct xpf_image_class *class;
	uint32_t *slot;

	if (slots_full(image->class_count, c->class_mask) && class_table_grow(c))
		return -ENOMEM;
	for (h = hash;; h++) {
		slot = &c->class_slots[h & c->class_mask];
		if (!*slot)
			break;
		if (!slot_may_hold(*slot, hash))
			continue;
		class = &image->classes[slot_index(*slot)];
		if (class->key.dest_class == dest_class && class->key.port_class == port_class) {
			*index = slot_index(*slot);
			return 0;
		}
	}
	if (image->class_count > SLOT_INDEX_MAX)
		return -E2BIG;
	if (image->class_count == c->class_cap) {
		size_t n = c->class_cap ? 2 * c->class_cap : 256;
		struct xpf_image_class *classes = realloc(image->classes, n * sizeof(*classes));

		if (!classes)
			return -ENOMEM;
		image->classes = classes;
		c->class_cap = n;
	}
	/* Zeroed: keys are hashed byte-wise by the kernel. */
	class = &image->classes[image->class_count];
	memset(class, 0, sizeof(*class));
	class->key.dest_class = dest_class;
	class->key.port_class = port_class;
	*slot = slot_of(image->class_count, hash);
	*index = image->class_count++;
	return 0;
}

/* Adds /@len to the class's set of prefix lengths: the set with it is found or made among
 * those seen so far (the sets are few: 7,004 for the 100,000-rule set). */
static int class_add_length(struct compiler *c, size_t class, uint8_t len)
{
	struct xpf_image_class *image_class = &c->image->classes[class];
	uint64_t set[PREFIX_SET_WORDS];
	size_t index;

	memcpy(set, c->prefix_sets.keys[image_class->list], sizeof(set));
	if (set[len / 64] >> (len % 64) & 1)
		return 0;
	set[len / 64] |= 1ull << (len % 64);
	if (keymap_intern(&c->prefix_sets, set[0], set[1], set[2], &index) < 0)
		return -ENOMEM;
	image_class->list = (uint32_t)index;
	return 0;
}

/* First run whose ports reach @port. */
static size_t run_at(const struct runs *runs, uint32_t port)
{
	size_t lo = 0, hi = runs->count;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (runs->start[mid] <= port)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct id_list {
	uint32_t *ids;
	size_t count;
	size_t cap;
};

static int id_list_add(struct id_list *list, uint32_t id)
{
	if (list->count == list->cap) {
		size_t n = list->cap ? 2 * list->cap : 16;
		uint32_t *ids = realloc(list->ids, n * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		list->ids = ids;
		list->cap = n;
	}
	list->ids[list->count++] = id;
	return 0;
}

/* One entry per source prefix of the rule's family for one (dest class, port class). */
static int add_rule_entries(struct compiler *c, size_t rule_index, uint32_t dest_class,
			    uint32_t port_class)
{
	const struct xpf_rule *rule = &c->ruleset->rules[rule_index];
	uint8_t family = c->class_family[dest_class];
	struct xpf_image_rule entry;
	size_t class = 0;
	bool have_class = false;
	int ret;

	size_t remote_count;
	const struct xpf_prefix *remotes = remotes_of(c, rule, &remote_count);

	for (size_t s = 0; s < remote_count; s++) {
		const struct xpf_prefix *src = &remotes[s];

		if (src->family != family)
			continue;
		/* Created with the first entry, so that no class is ever left without one. */
		if (!have_class) {
			ret = class_index(c, dest_class, port_class, &class);
			if (ret)
				return ret;
			have_class = true;
		}
		/* Keys are hashed byte-wise by the kernel: no stray padding. */
		memset(&entry, 0, sizeof(entry));
		entry.key.family = family;
		entry.key.prefix_len = src->len;
		memcpy(entry.key.source, src->addr, sizeof(entry.key.source));
		entry.value.rule_id = (uint32_t)rule_index;
		entry.value.action = rule->row.action;
		entry.class_no = (uint32_t)class;
		ret = add_entry(c, &entry);
		if (ret < 0)
			return ret;
		ret = class_add_length(c, class, src->len);
		if (ret)
			return ret;
	}
	return 0;
}

static int build_entries(struct compiler *c)
{
	const struct xpf_ruleset *rs = c->ruleset;
	const uint32_t *local_class = c->local_classes[c->direction];
	struct id_list ports = { 0 }, dests = { 0 };
	uint32_t *port_seen, *dest_seen;
	int ret = 0;

	port_seen = calloc(c->port_class_count[c->direction], sizeof(*port_seen));
	dest_seen = calloc(c->dest_class_count + 1, sizeof(*dest_seen));
	if (!port_seen || !dest_seen) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < rs->count; i++) {
		const struct xpf_rule *rule = &rs->rules[i];
		uint32_t stamp = (uint32_t)i + 1;

		const struct xpf_prefix *locals;
		size_t local_count;

		if (!in_direction(c, rule))
			continue;
		locals = locals_of(c, rule, &local_count);
		ports.count = 0;
		dests.count = 0;
		for (int t = 0; t < XPF_TRANSPORTS; t++) {
			const struct runs *runs = &c->runs[c->direction][t];

			if (!transport_of(c, rule, t))
				continue;
			for (size_t r = run_at(runs, rule->row.port_first);
			     r < runs->count && runs->start[r] <= rule->row.port_last; r++) {
				uint32_t pc = runs->class[r];

				if (port_seen[pc] == stamp)
					continue;
				port_seen[pc] = stamp;
				ret = id_list_add(&ports, pc);
				if (ret)
					goto out;
			}
		}
		for (size_t j = 0; j < local_count; j++) {
			uint64_t a, b;
			long l;

			addr_words(&locals[j], &a, &b);
			l = keymap_find(&c->hosts, a, b, locals[j].family);
			if (l < 0 || !local_class[l] || dest_seen[local_class[l]] == stamp)
				continue;
			dest_seen[local_class[l]] = stamp;
			ret = id_list_add(&dests, local_class[l]);
			if (ret)
				goto out;
		}

		for (size_t d = 0; d < dests.count; d++) {
			for (size_t p = 0; p < ports.count; p++) {
				ret = add_rule_entries(c, i, dests.ids[d], ports.ids[p]);
				if (ret)
					goto out;
			}
		}
	}
	ret = 0;
out:
	free(ports.ids);
	free(dests.ids);
	free(port_seen);
	free(dest_seen);
	return ret;
}

/* The image's prefix lists: each class's final set of lengths, numbered in the order of the
 * classes that have it, longest first: the first hit in the XDP program's walk is then the
 * longest match. */
static int finish_classes(struct compiler *c)
{
	struct xpf_image *image = c->image;
	struct keymap lists = { 0 };
	int ret = 0;

	if (!image->classes)
		image->classes = calloc(1, sizeof(*image->classes));
	if (!image->classes)
		return -ENOMEM;
	for (size_t i = 0; i < image->class_count; i++) {
		const uint64_t *set = c->prefix_sets.keys[image->classes[i].list];
		size_t list;

		if (keymap_intern(&lists, set[0], set[1], set[2], &list) < 0) {
			ret = -ENOMEM;
			break;
		}
		image->classes[i].list = (uint32_t)list;
	}
	keymap_free(&c->prefix_sets);
	/* Zeroed: a list's unused lengths stay 0. */
	image->prefix_lists = calloc(lists.count ?: 1, sizeof(*image->prefix_lists));
	if (ret || !image->prefix_lists) {
		keymap_free(&lists);
		return -ENOMEM;
	}
	for (size_t l = 0; l < lists.count; l++) {
		struct xpf_class_value *value = &image->prefix_lists[l];
		const uint64_t *set = lists.keys[l];
		uint32_t n = 0;

		for (int len = XPF_MAX_PREFIX_LENS - 1; len >= 0; len--)
			if (set[len / 64] >> (len % 64) & 1)
				value->prefix_lens[n++] = (uint8_t)len;
		value->prefix_len_count = n;
	}
	image->prefix_list_count = lists.count;
	keymap_free(&lists);
	return 0;
}

/* The image's ports → port class, per direction and transport, from the runs. */
static int fill_port_classes(struct compiler *c)
{
	struct xpf_image *image = c->image;

	image->port_classes = calloc(XPF_TRANSPORTS, sizeof(*image->port_classes));
	image->reply_port_classes = calloc(XPF_TRANSPORTS, sizeof(*image->reply_port_classes));
	if (!image->port_classes || !image->reply_port_classes)
		return -ENOMEM;
	for (int d = 0; d < XPF_DIRECTIONS; d++) {
		uint32_t (*port_classes)[XPF_PORTS] = d == XPF_INGRESS_ROWS
							      ? image->port_classes
							      : image->reply_port_classes;

		for (int t = 0; t < XPF_TRANSPORTS; t++) {
			const struct runs *runs = &c->runs[d][t];

			for (size_t r = 0; r < runs->count; r++) {
				uint32_t end = r + 1 < runs->count ? runs->start[r + 1] : XPF_PORTS;

				for (uint32_t port = runs->start[r]; port < end; port++)
					port_classes[t][port] = runs->class[r];
			}
		}
	}
	return 0;
}

static int build_locals(struct compiler *c)
{
	const struct xpf_ruleset *rs = c->ruleset;
	struct xpf_image *image = c->image;

	image->locals = calloc(rs->local_count + 1, sizeof(*image->locals));
	if (!image->locals)
		return -ENOMEM;
	for (size_t l = 0; l < rs->local_count; l++) {
		struct xpf_image_local *local = &image->locals[l];

		local->key.generation = 0;
		local->key.family = rs->locals[l].addr.family;
		memcpy(local->key.addr, rs->locals[l].addr.addr, sizeof(local->key.addr));
		local->value.dest_class = c->local_classes[XPF_INGRESS_ROWS][l];
		local->value.reply_class = c->local_classes[XPF_REPLY_ROWS][l];
	}
	image->local_count = rs->local_count;
	return 0;
}

/* An image larger than a map can never load. Whether it also fits beside the generation in
 * force during a reload depends on that one: the map writer checks. */
static int check_limits(const struct xpf_image *image, struct xpf_error *err)
{
	if (image->local_count > XPF_MAX_LOCAL_ADDRS)
		return xpf_error_set(err, NULL, 0, "%zu local addresses, at most %d fit",
				     image->local_count, XPF_MAX_LOCAL_ADDRS);
	if (image->class_count > XPF_MAX_CLASSES)
		return xpf_error_set(err, NULL, 0,
				     "rule set compiles to %zu classes, at most %d fit",
				     image->class_count, XPF_MAX_CLASSES);
	if (image->entry_count > XPF_MAX_RULE_ENTRIES)
		return xpf_error_set(err, NULL, 0,
				     "rule set compiles to %zu rule entries, at most %d fit",
				     image->entry_count, XPF_MAX_RULE_ENTRIES);
	return 0;
}

int xpf_compile(const struct xpf_ruleset *ruleset, struct xpf_image *image, struct xpf_error *err)
{
	struct compiler c = { .ruleset = ruleset, .image = image };
	int ret = 0;

	memset(image, 0, sizeof(*image));
	image->config.loaded = 1;
	image->config.audit = 0;
	image->config.policy_default = ruleset->policy.default_action;
	image->config.policy_other = ruleset->policy.other_action;
	image->config.policy_icmp = ruleset->policy.icmp_action;
	image->config.policy_fragments = ruleset->policy.fragments;

	image->config.tcp_timeout_s = ruleset->policy.tcp_timeout_s;
	image->config.tcp_transitory_timeout_s =
		ruleset->policy.tcp_timeout_s < XPF_TCP_TRANSITORY_TIMEOUT_S
			? ruleset->policy.tcp_timeout_s
			: XPF_TCP_TRANSITORY_TIMEOUT_S;
	image->config.udp_timeout_s = ruleset->policy.udp_timeout_s;
	image->config.log_rate = ruleset->policy.log_rate;
	if (ruleset->policy.log_rate)
		image->config.log_tolerance_ns = (uint32_t)(XPF_LOG_BURST_SECONDS * 1000000000ull -
							    1000000000ull / ruleset->policy.log_rate);

	c.entry_first_size = entry_table_size(ruleset);
	/* Both directions' classes before any entry: the port sweeps' arrays (3 MB) are gone
	 * before the entries and their hash tables grow. */
	for (c.direction = 0; c.direction < XPF_DIRECTIONS && !ret; c.direction++) {
		ret = build_port_classes(&c);
		if (!ret)
			ret = build_dest_classes(&c);
	}
	/* Set 0 is the empty one, a new class's. */
	if (!ret && keymap_intern(&c.prefix_sets, 0, 0, 0, &(size_t){ 0 }) < 0)
		ret = -ENOMEM;
	for (c.direction = 0; c.direction < XPF_DIRECTIONS && !ret; c.direction++)
		ret = build_entries(&c);
	/* The peak of a large compile is here: the rule set, the entries and classes, their hash
	 * tables. The tables go, and the arrays' spare room, before the rest of the image is
	 * made. */
	free(c.entry_slots);
	c.entry_slots = NULL;
	free(c.class_slots);
	c.class_slots = NULL;
	if (!ret && image->entry_count < c.entry_cap) {
		struct xpf_image_rule *entries =
			realloc(image->entries, image->entry_count * sizeof(*entries) ?: 1);

		if (entries)
			image->entries = entries;
	}
	if (!ret && image->class_count && image->class_count < c.class_cap) {
		struct xpf_image_class *classes =
			realloc(image->classes, image->class_count * sizeof(*classes));

		if (classes)
			image->classes = classes;
	}
	if (!ret)
		ret = fill_port_classes(&c);
	for (int d = 0; d < XPF_DIRECTIONS; d++) {
		for (int t = 0; t < XPF_TRANSPORTS; t++) {
			free(c.runs[d][t].start);
			free(c.runs[d][t].class);
		}
	}
	if (!ret)
		ret = build_locals(&c);
	if (!ret)
		ret = finish_classes(&c);
	if (ret == -E2BIG) {
		xpf_error_set(err, NULL, 0,
			      "rule set compiles to more than %zu %s, at most %d fit",
			      image->entry_count > SLOT_INDEX_MAX ? image->entry_count
								  : image->class_count,
			      image->entry_count > SLOT_INDEX_MAX ? "rule entries" : "classes",
			      image->entry_count > SLOT_INDEX_MAX ? XPF_MAX_RULE_ENTRIES
								  : XPF_MAX_CLASSES);
		goto out;
	}
	if (ret) {
		xpf_error_set(err, NULL, 0, "out of memory compiling the rule set");
		goto out;
	}
	ret = check_limits(image, err);
out:
	if (ret)
		xpf_image_free(image);
	keymap_free(&c.hosts);
	keymap_free(&c.prefix_sets);
	free(c.class_slots);
	for (int d = 0; d < XPF_DIRECTIONS; d++)
		free(c.local_classes[d]);
	free(c.class_family);
	free(c.entry_slots);
	return ret;
}

void xpf_image_count_entries(const struct xpf_image *image, uint32_t counts[2])
{
	counts[0] = counts[1] = 0;
	for (size_t i = 0; i < image->entry_count; i++)
		counts[image->entries[i].key.family != AF_INET]++;
}

void xpf_image_free(struct xpf_image *image)
{
	if (!image)
		return;
	free(image->locals);
	free(image->port_classes);
	free(image->reply_port_classes);
	free(image->classes);
	free(image->prefix_lists);
	free(image->entries);
	memset(image, 0, sizeof(*image));
}
