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
#include "lib/hash.h"
#include "lib/huge_pages.h"
#include "lib/mix.h"
#include "lib/vector.h"

struct mark {
	uint64_t a, b;
};

/* Consecutive rule indexes map to unrelated 64-bit values. */
static struct mark rule_mark(size_t rule)
{
	struct mark m = { xpf_mix64(2 * (uint64_t)rule), xpf_mix64(2 * (uint64_t)rule + 1) };

	return m;
}

/* Keys of three words, each new one given the next index, from 0. */
static const struct xpf_hash_type words_type = {
	.item_size = sizeof(uint64_t[3]),
	.key_size = sizeof(uint64_t[3]),
	.first_items = 256,
	.first_slots = 1024,
};

/* *index of the key, added when new; returns 1 when added, 0 when found, -ENOMEM. */
static int intern_words(struct xpf_hash *set, uint64_t a, uint64_t b, uint64_t c, size_t *index)
{
	const uint64_t key[3] = { a, b, c };

	return xpf_hash_add(set, &words_type, key, index);
}

/* Index of the key, or -1. */
static long find_words(const struct xpf_hash *set, uint64_t a, uint64_t b, uint64_t c)
{
	const uint64_t key[3] = { a, b, c };

	return xpf_hash_find(set, &words_type, key);
}

/* Past this many entries or classes the compile stops: more than a map holds (check_limits()),
 * and few enough that a slot of the sets keeps 11 bits of the hash to compare first. */
#define MAX_ITEMS ((1u << 21) - 1)

_Static_assert(XPF_MAX_RULE_ENTRIES < MAX_ITEMS && XPF_MAX_CLASSES < MAX_ITEMS,
	       "every entry and class a map can hold is compiled");

static void addr_words(const struct xpf_prefix *p, uint64_t *a, uint64_t *b)
{
	memcpy(a, p->addr, 8);
	memcpy(b, p->addr + 8, 8);
}

/* Runs of ports of one transport that share a port class; a rule's range starts and ends on
 * run boundaries, so its port classes are the classes of the runs inside it. The runs of a
 * transport are a vector of these, by port. */
struct run {
	uint32_t start;
	uint32_t class;
};

/* A set of prefix lengths, bit n for /n, as a key of three words. */
#define PREFIX_SET_WORDS 3
_Static_assert(XPF_MAX_PREFIX_LENS <= 64 * PREFIX_SET_WORDS, "a prefix set is a key of words");

struct compiler {
	const struct xpf_ruleset *ruleset;
	struct xpf_image *image;
	/* Two passes over the rule set, one per direction (XPF_INGRESS_ROWS, XPF_REPLY_ROWS), the
	 * pass under way in @direction: both directions' classes first, then their entries. */
	int direction;
	struct xpf_vector runs[XPF_DIRECTIONS][XPF_TRANSPORTS];
	uint32_t port_class_count[XPF_DIRECTIONS];	/* port class ids in use, 0 included */
	uint32_t dest_class_count;	/* destination class ids in use, from 1, both passes */
	uint32_t *local_classes[XPF_DIRECTIONS];	/* per local address: its class */
	struct xpf_hash hosts;		/* local address → its index in the rule set */
	uint8_t *class_family;		/* per destination class id */
	/* The image's classes and entries as they are made, handed to it when all are. */
	struct xpf_hash classes;
	struct xpf_hash entries;
	/* Every set of prefix lengths a class has had so far, the empty one first: a class's
	 * list is its set's index here until finish_classes() numbers the final sets. */
	struct xpf_hash prefix_sets;
};

/* Ingress rows are keyed on the local destination and matched on the packet's source; outbound
 * rows, for their replies, on the local source and the destination's prefixes. */
static bool in_direction(const struct compiler *c, const struct xpf_rule *rule)
{
	/* A list's rule is the list maps' (user/core/list_image.c), not the classes'. */
	return !rule->list && rule->direction == (c->direction == XPF_INGRESS_ROWS ? XPF_DIRECTION_INGRESS
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

/* Per port of a transport, what changes there: the sum of the rules whose range starts there
 * less those whose range ended just before, and how many. */
struct delta {
	struct mark sum;
	int64_t count;
};

static void add_port_deltas(const struct compiler *c, struct delta *delta)
{
	const struct xpf_ruleset *rs = c->ruleset;

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
}

/* The runs of one transport from its deltas; a set of rules (@sets) is a port class. */
static int sweep_ports(const struct delta *d, struct xpf_hash *sets, struct xpf_vector *runs)
{
	struct mark sum = { 0, 0 };
	int64_t count = 0;
	uint32_t class = 0;

	for (uint32_t port = 0; port < XPF_PORTS; port++) {
		uint32_t previous = class;
		size_t index;

		if (port && !d[port].count && !d[port].sum.a && !d[port].sum.b)
			continue;
		sum.a += d[port].sum.a;
		sum.b += d[port].sum.b;
		count += d[port].count;
		class = 0;
		if (count) {
			if (intern_words(sets, sum.a, sum.b, 0, &index) < 0)
				return -ENOMEM;
			class = (uint32_t)index + 1;
		}
		if ((port == 0 || class != previous) &&
		    !xpf_vector_push(runs, &(struct run){ port, class }))
			return -ENOMEM;
	}
	return 0;
}

/* The port classes of the pass under way, from its deltas in @delta (zeroed: its ports'
 * deltas are zeroed again for the next pass). */
static int build_port_classes(struct compiler *c, struct delta *delta)
{
	struct xpf_hash sets = { 0 };
	int ret = 0;

	add_port_deltas(c, delta);
	/* One sweep per transport; the sets are shared so TCP and UDP ports that the same rules
	 * name get the same class. */
	for (int t = 0; t < XPF_TRANSPORTS && !ret; t++) {
		struct xpf_vector *runs = &c->runs[c->direction][t];

		xpf_vector_init(runs, sizeof(struct run), 64);
		ret = sweep_ports(delta + (size_t)t * (XPF_PORTS + 1), &sets, runs);
	}
	c->port_class_count[c->direction] = (uint32_t)xpf_hash_count(&sets) + 1;
	if (c->direction == XPF_INGRESS_ROWS)
		c->image->port_class_count = c->port_class_count[c->direction];
	xpf_hash_free(&sets);
	memset(delta, 0, (size_t)XPF_TRANSPORTS * (XPF_PORTS + 1) * sizeof(*delta));
	return ret;
}

/* Per local address, the sum of the marks of this direction's rules that name it. */
static void sum_local_marks(const struct compiler *c, struct mark *sum)
{
	const struct xpf_ruleset *rs = c->ruleset;

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
			l = find_words(&c->hosts, a, b, locals[j].family);
			/* Not a local address (a rule set built by hand): no class to join. */
			if (l < 0)
				continue;
			sum[l].a += m.a;
			sum[l].b += m.b;
		}
	}
}

/* Destination classes: local addresses grouped by (family, set of this direction's rules naming
 * them). One id space for both families and both directions: the rule key has neither field.
 * Ingress gives every local address a class; the reply pass only those an outbound row names
 * (0: a reply to it is counted as `reply`). */
static int build_dest_classes(struct compiler *c)
{
	const struct xpf_ruleset *rs = c->ruleset;
	uint32_t first_id = c->dest_class_count;
	struct xpf_hash sets = { 0 };
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
	for (size_t l = xpf_hash_count(&c->hosts) ? rs->local_count : 0; l < rs->local_count;
	     l++) {
		uint64_t a, b;

		addr_words(&rs->locals[l].addr, &a, &b);
		ret = intern_words(&c->hosts, a, b, rs->locals[l].addr.family, &(size_t){ 0 });
		if (ret < 0)
			goto out;
	}
	sum_local_marks(c, sum);
	for (size_t l = 0; l < rs->local_count; l++) {
		uint8_t family = rs->locals[l].addr.family;
		size_t index;

		if (c->direction == XPF_REPLY_ROWS && !sum[l].a && !sum[l].b)
			continue;
		ret = intern_words(&sets, sum[l].a, sum[l].b, family, &index);
		if (ret < 0)
			goto out;
		local_class[l] = first_id + (uint32_t)index + 1;
		c->class_family[first_id + index + 1] = family;
	}
	c->dest_class_count = first_id + (uint32_t)xpf_hash_count(&sets);
	ret = 0;
out:
	xpf_hash_free(&sets);
	free(sum);
	return ret;
}

static uint64_t entry_hash(const void *item)
{
	const struct xpf_image_rule *entry = item;
	uint64_t words[3];

	memcpy(words, entry->key.source, 16);
	words[2] = ((uint64_t)entry->class_no << 16) ^ ((uint64_t)entry->key.family << 8) ^
		   entry->key.prefix_len;
	return xpf_hash_bytes(words, sizeof(words));
}

/* Same class and key: the value (the rule) is not part of it, the earlier rule keeps it. */
static bool same_entry(const void *item, const void *key)
{
	const struct xpf_image_rule *x = item, *y = key;

	return x->class_no == y->class_no && !memcmp(&x->key, &y->key, sizeof(x->key));
}

/* The entries are not advised for huge pages: their growing end would take a whole one at the
 * compile's peak, and the spare room up to it (up to 2 MiB RSS, 1.3 on average with the
 * 100,000-rule set); in small pages they take no measurable time more. */
static const struct xpf_hash_type entry_type = {
	.item_size = sizeof(struct xpf_image_rule),
	.hash = entry_hash,
	.equal = same_entry,
	.first_items = 1024,
	.first_slots = 4096,
	.max_items = MAX_ITEMS,
};

/* The entries' set is made for 1.5 entries a source prefix of the rows, so that a large rule
 * set is not rehashed as it grows (the 100,000-rule set's 171,357 entries would be rehashed
 * seven times). */
static size_t entries_expected(const struct xpf_ruleset *rs)
{
	size_t prefixes = 0;

	for (size_t i = 0; i < rs->count; i++)
		prefixes += rs->rules[i].direction == XPF_DIRECTION_INGRESS
				    ? rs->rules[i].source_count
				    : rs->rules[i].reply_remote_count;
	if (prefixes > XPF_MAX_RULE_ENTRIES)
		prefixes = XPF_MAX_RULE_ENTRIES;
	return prefixes + prefixes / 2;
}

/* Keyed by its (dest class, port class): zeroed, as the kernel hashes it byte-wise. */
static const struct xpf_hash_type class_type = {
	.item_size = sizeof(struct xpf_image_class),
	.key_size = sizeof(struct xpf_class_key),
	.first_items = 256,
	.first_slots = 1024,
	.max_items = MAX_ITEMS,
};

/* Index of the (dest class, port class), created on first use with no prefix length: the
 * image's own class (key and list, 12 bytes), its list the empty set's for now. -E2BIG past
 * MAX_ITEMS classes. */
static int class_index(struct compiler *c, uint32_t dest_class, uint32_t port_class,
		       size_t *index)
{
	const struct xpf_image_class class = {
		.key = { .dest_class = dest_class, .port_class = port_class },
	};
	int ret = xpf_hash_add(&c->classes, &class_type, &class, index);

	return ret < 0 ? ret : 0;
}

/* Adds /@len to the class's set of prefix lengths: the set with it is found or made among
 * those seen so far (the sets are few: 7,004 for the 100,000-rule set). */
static int class_add_length(struct compiler *c, size_t class, uint8_t len)
{
	struct xpf_image_class *image_class = xpf_hash_item(&c->classes, &class_type, class);
	uint64_t set[PREFIX_SET_WORDS];
	size_t index;

	memcpy(set, xpf_hash_item(&c->prefix_sets, &words_type, image_class->list), sizeof(set));
	if (set[len / 64] >> (len % 64) & 1)
		return 0;
	set[len / 64] |= 1ull << (len % 64);
	if (intern_words(&c->prefix_sets, set[0], set[1], set[2], &index) < 0)
		return -ENOMEM;
	image_class->list = (uint32_t)index;
	return 0;
}

/* First run whose ports reach @port. */
static size_t run_at(const struct xpf_vector *runs, uint32_t port)
{
	const struct run *run = runs->items;
	size_t lo = 0, hi = runs->count;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (run[mid].start <= port)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
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
		ret = xpf_hash_add(&c->entries, &entry_type, &entry, &(size_t){ 0 });
		if (ret < 0)
			return ret;
		ret = class_add_length(c, class, src->len);
		if (ret)
			return ret;
	}
	return 0;
}

/* The rule's port classes, each once, into @ports (a vector of ids): @seen[class] is @stamp
 * once it is there. */
static int rule_port_classes(const struct compiler *c, const struct xpf_rule *rule,
			     uint32_t stamp, uint32_t *seen, struct xpf_vector *ports)
{
	ports->count = 0;
	for (int t = 0; t < XPF_TRANSPORTS; t++) {
		const struct xpf_vector *runs = &c->runs[c->direction][t];
		const struct run *run = runs->items;

		if (!transport_of(c, rule, t))
			continue;
		for (size_t r = run_at(runs, rule->row.port_first);
		     r < runs->count && run[r].start <= rule->row.port_last; r++) {
			if (seen[run[r].class] == stamp)
				continue;
			seen[run[r].class] = stamp;
			if (!xpf_vector_push(ports, &run[r].class))
				return -ENOMEM;
		}
	}
	return 0;
}

/* The destination classes of the rule's local addresses, each once, into @dests as above. */
static int rule_dest_classes(const struct compiler *c, const struct xpf_rule *rule,
			     uint32_t stamp, uint32_t *seen, struct xpf_vector *dests)
{
	const uint32_t *local_class = c->local_classes[c->direction];
	const struct xpf_prefix *locals;
	size_t local_count;

	dests->count = 0;
	locals = locals_of(c, rule, &local_count);
	for (size_t j = 0; j < local_count; j++) {
		uint64_t a, b;
		long l;

		addr_words(&locals[j], &a, &b);
		l = find_words(&c->hosts, a, b, locals[j].family);
		if (l < 0 || !local_class[l] || seen[local_class[l]] == stamp)
			continue;
		seen[local_class[l]] = stamp;
		if (!xpf_vector_push(dests, &local_class[l]))
			return -ENOMEM;
	}
	return 0;
}

static int build_entries(struct compiler *c)
{
	const struct xpf_ruleset *rs = c->ruleset;
	struct xpf_vector ports = XPF_VECTOR_INIT(uint32_t, 16);
	struct xpf_vector dests = XPF_VECTOR_INIT(uint32_t, 16);
	uint32_t *port_seen, *dest_seen;
	int ret = 0;

	port_seen = calloc(c->port_class_count[c->direction], sizeof(*port_seen));
	dest_seen = calloc(c->dest_class_count + 1, sizeof(*dest_seen));
	if (!port_seen || !dest_seen) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < rs->count && !ret; i++) {
		const struct xpf_rule *rule = &rs->rules[i];
		uint32_t stamp = (uint32_t)i + 1;

		if (!in_direction(c, rule))
			continue;
		ret = rule_port_classes(c, rule, stamp, port_seen, &ports);
		if (!ret)
			ret = rule_dest_classes(c, rule, stamp, dest_seen, &dests);
		for (size_t d = 0; d < dests.count && !ret; d++) {
			for (size_t p = 0; p < ports.count && !ret; p++)
				ret = add_rule_entries(c, i, ((uint32_t *)dests.items)[d],
						       ((uint32_t *)ports.items)[p]);
		}
	}
out:
	xpf_vector_free(&ports);
	xpf_vector_free(&dests);
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
	struct xpf_hash lists = { 0 };
	int ret = 0;

	if (!image->classes)
		image->classes = calloc(1, sizeof(*image->classes));
	if (!image->classes)
		return -ENOMEM;
	for (size_t i = 0; i < image->class_count; i++) {
		const uint64_t *set =
			xpf_hash_item(&c->prefix_sets, &words_type, image->classes[i].list);
		size_t list;

		if (intern_words(&lists, set[0], set[1], set[2], &list) < 0) {
			ret = -ENOMEM;
			break;
		}
		image->classes[i].list = (uint32_t)list;
	}
	xpf_hash_free(&c->prefix_sets);
	/* Zeroed: a list's unused lengths stay 0. */
	image->prefix_lists = calloc(xpf_hash_count(&lists) ?: 1, sizeof(*image->prefix_lists));
	if (ret || !image->prefix_lists) {
		xpf_hash_free(&lists);
		return -ENOMEM;
	}
	for (size_t l = 0; l < xpf_hash_count(&lists); l++) {
		struct xpf_class_value *value = &image->prefix_lists[l];
		const uint64_t *set = xpf_hash_item(&lists, &words_type, l);
		uint32_t n = 0;

		for (int len = XPF_MAX_PREFIX_LENS - 1; len >= 0; len--)
			if (set[len / 64] >> (len % 64) & 1)
				value->prefix_lens[n++] = (uint8_t)len;
		value->prefix_len_count = n;
	}
	image->prefix_list_count = xpf_hash_count(&lists);
	xpf_hash_free(&lists);
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
			const struct xpf_vector *runs = &c->runs[d][t];
			const struct run *run = runs->items;

			for (size_t r = 0; r < runs->count; r++) {
				uint32_t end = r + 1 < runs->count ? run[r + 1].start : XPF_PORTS;

				for (uint32_t port = run[r].start; port < end; port++)
					port_classes[t][port] = run[r].class;
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

static void set_config(struct xpf_config *config, const struct xpf_policy *policy)
{
	config->loaded = 1;
	config->audit = 0;
	config->policy_default = policy->default_action;
	config->policy_other = policy->other_action;
	config->policy_icmp = policy->icmp_action;
	config->policy_fragments = policy->fragments;

	config->tcp_timeout_s = policy->tcp_timeout_s;
	config->tcp_transitory_timeout_s = policy->tcp_timeout_s < XPF_TCP_TRANSITORY_TIMEOUT_S
						   ? policy->tcp_timeout_s
						   : XPF_TCP_TRANSITORY_TIMEOUT_S;
	config->udp_timeout_s = policy->udp_timeout_s;
	config->log_rate = policy->log_rate;
	if (policy->log_rate)
		config->log_tolerance_ns = (uint32_t)(XPF_LOG_BURST_SECONDS * 1000000000ull -
						      1000000000ull / policy->log_rate);
}

/* The image but for its config; on failure, the image holds what was made so far. */
static int build_image(struct compiler *c)
{
	struct xpf_image *image = c->image;
	struct delta *delta;
	int ret = 0;

	/* Both directions' classes before any entry: the port sweeps' deltas (3 MB) are gone
	 * before the entries and their hash tables grow. One array for both passes, zeroed
	 * between them: fresh, its 800 pages are as many page faults (20 us each on a virtual
	 * machine). The image's port arrays are written from the runs at the end
	 * (fill_port_classes()): 1 MB less while the entries are made. */
	delta = calloc((size_t)XPF_TRANSPORTS * (XPF_PORTS + 1), sizeof(*delta));
	xpf_advise_huge_pages(delta, (size_t)XPF_TRANSPORTS * (XPF_PORTS + 1) * sizeof(*delta));
	if (!delta)
		return -ENOMEM;
	for (c->direction = 0; c->direction < XPF_DIRECTIONS && !ret; c->direction++) {
		ret = build_port_classes(c, delta);
		if (!ret)
			ret = build_dest_classes(c);
	}
	free(delta);
	/* Set 0 is the empty one, a new class's. */
	if (!ret && intern_words(&c->prefix_sets, 0, 0, 0, &(size_t){ 0 }) < 0)
		ret = -ENOMEM;
	for (c->direction = 0; c->direction < XPF_DIRECTIONS && !ret; c->direction++)
		ret = build_entries(c);
	/* The peak of a large compile is here: the rule set, the entries and classes, their hash
	 * tables. The tables go, and the arrays' spare room, before the rest of the image is
	 * made. */
	image->entries = xpf_hash_take_items(&c->entries, &entry_type, &image->entry_count);
	image->classes = xpf_hash_take_items(&c->classes, &class_type, &image->class_count);
	if (!ret)
		ret = fill_port_classes(c);
	for (int d = 0; d < XPF_DIRECTIONS; d++)
		for (int t = 0; t < XPF_TRANSPORTS; t++)
			xpf_vector_free(&c->runs[d][t]);
	if (!ret)
		ret = build_locals(c);
	if (!ret)
		ret = finish_classes(c);
	return ret;
}

int xpf_compile(const struct xpf_ruleset *ruleset, struct xpf_image *image, struct xpf_error *err)
{
	struct compiler c = { .ruleset = ruleset, .image = image };
	int ret;

	memset(image, 0, sizeof(*image));
	set_config(&image->config, &ruleset->policy);
	xpf_hash_expect(&c.entries, &entry_type, entries_expected(ruleset));
	ret = build_image(&c);
	if (ret == -E2BIG) {
		bool entries = image->entry_count >= MAX_ITEMS;

		xpf_error_set(err, NULL, 0, "rule set compiles to more than %zu %s, at most %d fit",
			      entries ? image->entry_count : image->class_count,
			      entries ? "rule entries" : "classes",
			      entries ? XPF_MAX_RULE_ENTRIES : XPF_MAX_CLASSES);
	} else if (ret) {
		xpf_error_set(err, NULL, 0, "out of memory compiling the rule set");
	} else {
		ret = check_limits(image, err);
	}
	if (ret)
		xpf_image_free(image);
	xpf_hash_free(&c.hosts);
	xpf_hash_free(&c.prefix_sets);
	xpf_hash_free(&c.classes);
	xpf_hash_free(&c.entries);
	for (int d = 0; d < XPF_DIRECTIONS; d++)
		free(c.local_classes[d]);
	free(c.class_family);
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
