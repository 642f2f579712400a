/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Site file + published table → one rule list: role names resolved to prefixes, local roles
 * expanded into the host addresses the XDP program will recognise as "this host", and each
 * row given its direction. Pure; warnings are returned, not printed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "core/config.h"
#include "core/row_overlap.h"
#include "core/prefix_list.h"
#include "lib/hash.h"
#include "lib/huge_pages.h"
#include "lib/vector.h"
#include <xpf/maps.h>

/* A local prefix stands for every address in it; past 256 that is a network, not a host. */
#define LOCAL_HOST_BITS_MAX 8
#define LOCAL_TABLE_SIZE (2 * XPF_MAX_LOCAL_ADDRS)	/* power of two, half full at most */

struct shared_prefixes {
	struct xpf_prefix *prefixes;	/* in the rule set's pool */
	size_t count;
	bool made;
};

struct builder {
	const struct xpf_site *site;
	struct xpf_ruleset *out;
	struct xpf_error *err;
	const char *site_file;
	uint32_t local_slots[LOCAL_TABLE_SIZE];		/* local index + 1; 0 = empty */
	size_t local_cap;
	size_t rule_cap;
	size_t warning_cap;
	uint32_t *stamps;				/* per local: last rule that took it */
	/* Rules that name the same role (or Any) share its arrays in the rule set's pool, made
	 * on first use: per site role, and for Any. */
	struct shared_prefixes *role_prefixes, *role_hosts;
	struct shared_prefixes any_prefixes, any_hosts;
	struct xpf_prefix *hosts;			/* local_hosts() builds its list here */
	bool adopting;		/* the table's strings become the rule set's: not copied */
	/* Literal endpoints' prefixes in the pool by their value, so that rows naming the same
	 * address share one: a set of pointers. */
	struct xpf_hash literals;
	/* Table rules by what makes them one (rule_hash()): index + 1, open addressing, at most
	 * half full. */
	uint32_t *seen;
	size_t seen_mask;
	size_t seen_count;
	size_t also_cap;
	/* The rule set's copy of input strings by their address: input_copy(). */
	struct {
		const char *input;
		const char *copy;
	} copies[256];
	/* Names resolved to a role or Any, by their address: a table's cells name few roles on
	 * many rows, each compared with every role once. */
	struct {
		const char *name;
		const struct xpf_role *role;	/* NULL: Any */
	} named[16];
};

/* A row's source or destination after name resolution. */
struct endpoint {
	const char *name;		/* as defined ("Any", a role's name) or as written */
	const struct xpf_role *role;	/* NULL for Any and literals */
	const struct xpf_prefix *prefixes;	/* the role's, Any's, or @literal */
	size_t count;
	bool any;
	struct xpf_prefix literal;
};

static const struct xpf_prefix any_prefixes[] = {
	{ .family = AF_INET },
	{ .family = AF_INET6 },
};

static uint32_t addr_hash(const struct xpf_prefix *p)
{
	uint32_t h = 2166136261u ^ p->family;

	for (size_t i = 0; i < sizeof(p->addr); i++)
		h = (h ^ p->addr[i]) * 16777619u;
	return h;
}

static bool same_host(const struct xpf_prefix *a, const struct xpf_prefix *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* Index of a local host address, or -1. */
static long local_find(const struct builder *b, const struct xpf_prefix *host)
{
	for (uint32_t i = addr_hash(host);; i++) {
		uint32_t slot = b->local_slots[i & (LOCAL_TABLE_SIZE - 1)];

		if (!slot)
			return -1;
		if (same_host(&b->out->locals[slot - 1].addr, host))
			return slot - 1;
	}
}

static int warn(struct builder *b, const struct xpf_row *row, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int warn(struct builder *b, const struct xpf_row *row, const char *fmt, ...)
{
	struct xpf_ruleset *out = b->out;
	struct xpf_error message;
	char text[XPF_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	xpf_error_set(&message, row->file, row->line, "%s", text);
	if (xpf_array_reserve(&out->warnings, &b->warning_cap, out->warning_count + 1, 8))
		return -ENOMEM;
	out->warnings[out->warning_count] = strdup(message.message);
	if (!out->warnings[out->warning_count])
		return -ENOMEM;
	out->warning_count++;
	return 0;
}

static const struct xpf_role *find_role(const struct xpf_site *site, const char *name)
{
	for (size_t i = 0; i < site->role_count; i++)
		if (xpf_role_name_equal(site->roles[i].name, name))
			return &site->roles[i];
	return NULL;
}

/* Calls @fn on every host address of @prefix (at most 256 of them, checked by the caller). */
static int for_each_host(const struct xpf_prefix *prefix,
			 int (*fn)(struct builder *b, const struct xpf_prefix *host, void *arg),
			 struct builder *b, void *arg)
{
	unsigned int full = prefix->family == AF_INET ? 32 : 128;
	unsigned int host_bits = full - prefix->len;
	unsigned int last_byte = full / 8 - 1;

	for (unsigned int k = 0; k < (1u << host_bits); k++) {
		struct xpf_prefix host = *prefix;
		int ret;

		host.len = (uint8_t)full;
		/* Host bits all fit in the last byte: host_bits <= 8, and they were cleared. */
		host.addr[last_byte] |= (uint8_t)k;
		ret = fn(b, &host, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* An address of a `local` role and of a `protect` role: this host or behind it, not both. */
static int local_and_protected(struct builder *b, const struct xpf_local_addr *first,
			       const struct xpf_role *role)
{
	char text[INET6_ADDRSTRLEN + 4];

	xpf_prefix_format(&first->addr, text, sizeof(text));
	return xpf_error_set(b->err, b->site_file, role->line,
			     "%s is an address of '%s' (`%s`) and of '%s' (`%s`): this host or "
			     "behind it, not both", text, first->role,
			     first->protect ? "protect" : "local", role->name,
			     role->protect ? "protect" : "local");
}

static int add_local(struct builder *b, const struct xpf_prefix *host, void *arg)
{
	const struct xpf_role *role = arg;
	struct xpf_ruleset *out = b->out;
	long found = local_find(b, host);
	uint32_t i;

	if (found >= 0 && out->locals[found].protect != role->protect)
		return local_and_protected(b, &out->locals[found], role);
	if (found >= 0)
		return 0;
	if (out->local_count == XPF_MAX_LOCAL_ADDRS)
		return xpf_error_set(b->err, b->site_file, b->site->local_line,
				     "more than %d local addresses", XPF_MAX_LOCAL_ADDRS);
	if (xpf_array_reserve(&out->locals, &b->local_cap, out->local_count + 1, 16))
		return -ENOMEM;
	memset(&out->locals[out->local_count], 0, sizeof(out->locals[0]));
	out->locals[out->local_count].addr = *host;
	snprintf(out->locals[out->local_count].role, XPF_NAME_MAX, "%s", role->name);
	out->locals[out->local_count].protect = role->protect;
	out->local_count++;
	for (i = addr_hash(host); b->local_slots[i & (LOCAL_TABLE_SIZE - 1)]; i++)
		;
	b->local_slots[i & (LOCAL_TABLE_SIZE - 1)] = (uint32_t)out->local_count;
	return 0;
}

static int expand_local_role(struct builder *b, const struct xpf_role *role)
{
	for (size_t i = 0; i < role->count; i++) {
		const struct xpf_prefix *prefix = &role->prefixes[i];
		unsigned int full = prefix->family == AF_INET ? 32 : 128;
		int ret;

		if (full - prefix->len > LOCAL_HOST_BITS_MAX) {
			char text[INET6_ADDRSTRLEN + 4];

			xpf_prefix_format(prefix, text, sizeof(text));
			return xpf_error_set(b->err, b->site_file, role->line,
					     "local role '%s': prefix %s too large for a local "
					     "address (at most 256 addresses)", role->name, text);
		}
		ret = for_each_host(prefix, add_local, b, (void *)role);
		if (ret)
			return ret;
	}
	return 0;
}

/* `local auto`: the host's own addresses that its roles hold (xpf_site_take_host), each
 * shown with the first of them in the file; the roles' other addresses are the other hosts'. */
static int build_host_locals(struct builder *b)
{
	const struct xpf_site *site = b->site;
	int ret;

	if (!site->host_addr_count)
		return xpf_error_set(b->err, b->site_file, site->local_line,
				     "`local auto`: this host's addresses are not known");
	for (size_t i = 0; i < site->role_count; i++) {
		const struct xpf_role *role = &site->roles[i];
		bool own = role->local && !role->protect;

		for (size_t h = 0; own && h < site->host_addr_count; h++) {
			for (size_t p = 0; p < role->count; p++) {
				if (!xpf_prefix_contains(&role->prefixes[p], &site->host_addrs[h]))
					continue;
				ret = add_local(b, &site->host_addrs[h], (void *)role);
				if (ret)
					return ret;
				break;
			}
		}
	}
	return 0;
}

/* Locals in the order `local` names the roles, so the first naming role is the one shown;
 * then the `protect` roles, in the order they are defined. */
static int build_locals(struct builder *b)
{
	const struct xpf_site *site = b->site;
	int ret;

	ret = site->local_auto ? build_host_locals(b) : 0;
	if (ret)
		return ret;
	for (size_t i = 0; i < site->local_name_count; i++) {
		const struct xpf_role *role = find_role(site, site->local_names[i]);

		if (!role)
			return xpf_error_set(b->err, b->site_file, site->local_line,
					     "unknown role '%s' in `local`: define it with "
					     "`role %s = ADDRESS`", site->local_names[i],
					     site->local_names[i]);
		ret = expand_local_role(b, role);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < site->protect_name_count; i++)
		if (!find_role(site, site->protect_names[i]))
			return xpf_error_set(b->err, b->site_file, site->protect_line,
					     "unknown role '%s' in `protect`: define it with "
					     "`role %s = ADDRESS`", site->protect_names[i],
					     site->protect_names[i]);
	/* `protect` roles, and roles a site put together in code flags local without naming
	 * them. */
	for (size_t i = 0; i < site->role_count; i++) {
		/* `local auto` roles: their host's addresses alone, taken above. */
		if (!site->roles[i].local || (site->local_auto && !site->roles[i].protect))
			continue;
		ret = expand_local_role(b, &site->roles[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static bool is_local_role(const struct xpf_site *site, const struct xpf_role *role)
{
	if (!role)
		return false;
	if (role->local)
		return true;
	for (size_t i = 0; i < site->local_name_count; i++)
		if (xpf_role_name_equal(role->name, site->local_names[i]))
			return true;
	return false;
}

/* "10.0.0.1, 10.0.0.2" or "10.0.0.1 2001:db8::1": two or more addresses or prefixes, parted by
 * commas or blanks; *@joined then lists them as a role line does. */
static bool is_address_list(const char *name, char *joined, size_t size)
{
	char copy[XPF_NAME_MAX], *word, *saveptr = NULL;
	const char *separators = ", \t", *problem;
	struct xpf_prefix prefix;
	size_t used = 0;
	int count = 0;

	if (snprintf(copy, sizeof(copy), "%s", name) >= (int)sizeof(copy))
		return false;
	for (word = strtok_r(copy, separators, &saveptr); word;
	     word = strtok_r(NULL, separators, &saveptr)) {
		if (xpf_prefix_parse(word, &prefix, &problem))
			return false;
		used += (size_t)snprintf(joined + used, used < size ? size - used : 0, "%s%s",
					 count++ ? ", " : "", word);
	}
	return count > 1;
}

/* Whether @name is Any (*@role NULL) or a site role (*@role): remembered by the name's address,
 * which lives as long as the builder (the input's strings). */
static bool known_name(struct builder *b, const char *name, const struct xpf_role **role)
{
	size_t slot = (uintptr_t)name / 8 % (sizeof(b->named) / sizeof(b->named[0]));

	if (b->named[slot].name == name) {
		*role = b->named[slot].role;
		return true;
	}
	if (xpf_role_name_equal(name, "Any"))
		*role = NULL;
	else if (!(*role = find_role(b->site, name)))
		return false;
	b->named[slot].name = name;
	b->named[slot].role = *role;
	return true;
}

/* A name that is Any, a site role, or a literal prefix: 0; -ENOENT (nothing set) for a name
 * that is none of them; an error for a literal that is no address. */
static int resolve_name(struct builder *b, const struct xpf_row *row, const char *name,
			struct endpoint *ep)
{
	char list[XPF_NAME_MAX * 2];
	const struct xpf_role *role;
	struct xpf_prefix prefix;
	const char *problem;

	memset(ep, 0, sizeof(*ep));
	if (known_name(b, name, &role)) {
		ep->name = role ? role->name : "Any";
		ep->role = role;
		ep->any = !role;
		ep->prefixes = role ? role->prefixes : any_prefixes;
		ep->count = role ? role->count : 2;
		return 0;
	}
	if (!xpf_prefix_parse(name, &prefix, &problem)) {
		ep->name = name;
		ep->literal = prefix;
		ep->prefixes = &ep->literal;
		ep->count = 1;
		return 0;
	}
	if (xpf_looks_like_address(name)) {
		if (!strcmp(problem, "bad prefix length"))
			return xpf_error_set(b->err, row->file, row->line, "%s in '%s'", problem,
					     name);
		return xpf_error_set(b->err, row->file, row->line, "%s '%s'", problem, name);
	}
	if (is_address_list(name, list, sizeof(list)))
		return xpf_error_set(b->err, row->file, row->line,
				     "'%s' is a list of addresses: a cell holds one role, address or "
				     "prefix; define a role with them (`role NAME = %s`) and name it "
				     "here", name, list);
	return -ENOENT;
}

static int resolve(struct builder *b, const struct xpf_row *row, const char *name,
		   bool from_table, struct endpoint *ep)
{
	int ret = resolve_name(b, row, name, ep);

	if (ret != -ENOENT)
		return ret;
	if (from_table)
		return xpf_error_set(b->err, row->file, row->line,
				     "unknown role '%s': define it in %s with `role %s = ADDRESS`",
				     name, b->site_file[0] ? b->site_file : "the site file", name);
	return xpf_error_set(b->err, row->file, row->line, "unknown role '%s'", name);
}

/* A table's role cell: the role it names whole, else each of its parts that the site defines
 * (Any when it is "Any (can be defined as ...)" and the site defines none). *count endpoints
 * into eps[XPF_ROLE_PARTS_MAX]. */
static int resolve_cell(struct builder *b, const struct xpf_row *row, const char *cell,
			struct endpoint *eps, size_t *count)
{
	struct xpf_role_cell split;
	char parts[XPF_MESSAGE_MAX / 2] = "";
	size_t used = 0;
	int ret = resolve_name(b, row, cell, &eps[0]);

	*count = 1;
	if (ret != -ENOENT)
		return ret;
	xpf_role_cell_split(cell, &split);
	*count = 0;
	for (size_t i = 0; i < split.count; i++) {
		const struct xpf_role *role = find_role(b->site, split.parts[i]);

		if (!role) {
			used += (size_t)snprintf(parts + used, used < sizeof(parts) ?
						 sizeof(parts) - used : 0, "%s'%s'",
						 used ? ", " : "", split.parts[i]);
			continue;
		}
		memset(&eps[*count], 0, sizeof(eps[0]));
		eps[*count].name = role->name;
		eps[*count].role = role;
		eps[*count].prefixes = role->prefixes;
		eps[(*count)++].count = role->count;
	}
	if (*count)
		return 0;
	if (split.any)
		return resolve_name(b, row, "Any", &eps[(*count)++]);
	if (split.count)
		return xpf_error_set(b->err, row->file, row->line,
				     "unknown role '%s': define it, or any of %s, in %s with "
				     "`role NAME = ADDRESS`", cell, parts,
				     b->site_file[0] ? b->site_file : "the site file");
	return resolve(b, row, cell, true, &eps[0]);
}

static bool covers_local(const struct builder *b, const struct endpoint *ep)
{
	for (size_t i = 0; i < b->out->local_count; i++)
		for (size_t j = 0; j < ep->count; j++)
			if (xpf_prefix_contains(&ep->prefixes[j], &b->out->locals[i].addr))
				return true;
	return false;
}

struct destinations {
	size_t count;
	uint32_t stamp;
};

static int add_destination(struct builder *b, const struct xpf_prefix *host, void *arg)
{
	struct destinations *d = arg;
	long i = local_find(b, host);

	/* Every address of a local role is a local; skip, do not trust, anything else. */
	if (i < 0 || b->stamps[i] == d->stamp)
		return 0;
	b->stamps[i] = d->stamp;
	/* At most every local once: b->hosts was sized for them all. */
	b->hosts[d->count++] = *host;
	return 0;
}

/* An endpoint's prefixes in the rule set's pool: shared by every rule naming its role (or Any),
 * copied for a literal. NULL with *count 0 when it has none; -ENOMEM. */
static int pooled(struct builder *b, struct shared_prefixes *shared,
		  const struct xpf_prefix *prefixes, size_t count, struct xpf_prefix **out)
{
	struct xpf_prefix *copy = NULL;

	if (shared && shared->made) {
		*out = shared->prefixes;
		return 0;
	}
	if (count) {
		copy = xpf_prefix_pool_copy(&b->out->prefixes, prefixes, count);
		if (!copy)
			return -ENOMEM;
	}
	if (shared) {
		shared->prefixes = copy;
		shared->count = count;
		shared->made = true;
	}
	*out = copy;
	return 0;
}

static bool same_prefix(const struct xpf_prefix *a, const struct xpf_prefix *b)
{
	return a->len == b->len && same_host(a, b);
}

static uint64_t literal_hash(const void *item)
{
	const struct xpf_prefix *literal = *(struct xpf_prefix *const *)item;

	return xpf_hash_bytes(literal, sizeof(*literal));
}

static bool same_literal(const void *item, const void *key)
{
	return same_prefix(*(struct xpf_prefix *const *)item, *(struct xpf_prefix *const *)key);
}

static const struct xpf_hash_type literal_type = {
	.item_size = sizeof(struct xpf_prefix *),
	.hash = literal_hash,
	.equal = same_literal,
	.first_items = 256,
	.first_slots = 1024,
};

/* A literal's prefix in the pool, one copy per value: the same host or network recurs on each
 * of its ports (the 100,000-row benchmark table's 100,000 literals are 48,192: 0.9 MB less). */
static int pooled_literal(struct builder *b, const struct xpf_prefix *literal,
			  struct xpf_prefix **out)
{
	struct xpf_hash_spot spot;
	long found;

	found = xpf_hash_find_spot(&b->literals, &literal_type, &literal, &spot);
	if (found >= 0) {
		*out = *(struct xpf_prefix **)xpf_hash_item(&b->literals, &literal_type,
							    (size_t)found);
		return 0;
	}
	*out = xpf_prefix_pool_copy(&b->out->prefixes, literal, 1);
	if (!*out || xpf_hash_insert(&b->literals, &literal_type, &spot, out, &(size_t){ 0 }))
		return -ENOMEM;
	return 0;
}

static struct shared_prefixes *shared_of(struct builder *b, const struct endpoint *ep,
					 struct shared_prefixes *per_role, struct shared_prefixes *any)
{
	if (ep->role)
		return &per_role[ep->role - b->site->roles];
	return ep->any ? any : NULL;
}

static int endpoint_prefixes(struct builder *b, const struct endpoint *ep,
			     struct xpf_prefix **prefixes, uint32_t *count)
{
	*count = (uint32_t)ep->count;
	if (!ep->role && !ep->any)
		return pooled_literal(b, &ep->literal, prefixes);
	return pooled(b, shared_of(b, ep, b->role_prefixes, &b->any_prefixes), ep->prefixes,
		      ep->count, prefixes);
}

_Static_assert(XPF_MAX_LOCAL_ADDRS <= UINT16_MAX, "a rule counts its local hosts in 16 bits");

/* The local host addresses an endpoint covers: a local role's own addresses, or the locals
 * inside a literal prefix (or Any). At most every local address once. */
static int local_hosts(struct builder *b, const struct endpoint *ep, uint32_t stamp,
		       struct xpf_prefix **hosts, uint16_t *count)
{
	struct shared_prefixes *shared = shared_of(b, ep, b->role_hosts, &b->any_hosts);
	struct destinations d = { .stamp = stamp };
	int ret = 0;

	if (shared && shared->made) {
		*hosts = shared->prefixes;
		*count = (uint16_t)shared->count;
		return 0;
	}
	if (ep->role) {
		for (size_t i = 0; i < ep->count && !ret; i++)
			ret = for_each_host(&ep->prefixes[i], add_destination, b, &d);
	} else {
		for (size_t i = 0; i < b->out->local_count && !ret; i++)
			for (size_t j = 0; j < ep->count; j++)
				if (xpf_prefix_contains(&ep->prefixes[j],
							&b->out->locals[i].addr)) {
					ret = add_destination(b, &b->out->locals[i].addr, &d);
					break;
				}
	}
	if (ret)
		return ret;
	*count = (uint16_t)d.count;
	return pooled(b, shared, b->hosts, d.count, hosts);
}

static bool families_meet(const struct xpf_rule *rule)
{
	for (size_t i = 0; i < rule->source_count; i++)
		for (size_t j = 0; j < rule->destination_count; j++)
			if (rule->sources[i].family == rule->destinations[j].family)
				return true;
	return false;
}

/* The rule set's copy of a row's source or destination cell. */
/* The interned copy of a site or table string, which stays put while the rule set is built:
 * the same address is the same text (role names, the table's file name, its interned cells
 * recur on every row), found here without hashing it again. */
static const char *input_copy(struct builder *b, const char *input)
{
	size_t slot = (size_t)(((uintptr_t)input * 0x9e3779b97f4a7c15ull) >> 56);
	const char *copy;

	if (b->copies[slot].input == input)
		return b->copies[slot].copy;
	copy = xpf_strings_intern(&b->out->strings, input);
	if (copy) {
		b->copies[slot].input = input;
		b->copies[slot].copy = copy;
	}
	return copy;
}

/* A rule's name for a row's source or destination: a role's name as defined ("Any" for Any),
 * kept once however many rows name it, or a literal as written, mostly written once (a
 * table's own when the rule set takes the table's strings). */
static const char *endpoint_name(struct builder *b, const struct endpoint *ep, const char *cell,
				 bool from_table)
{
	if (ep->role || ep->any)
		return input_copy(b, ep->name);
	if (from_table && b->adopting)
		return cell;
	return xpf_strings_add(&b->out->strings, cell);
}

/* The direction of the rule just added: ingress, outbound (its replies admitted) or not for
 * this host; each said where it needs saying. */
static int set_direction(struct builder *b, const struct xpf_row *row, struct xpf_rule *rule,
			 const struct endpoint *src, const struct endpoint *dst)
{
	struct xpf_ruleset *out = b->out;
	bool dst_local, src_local;
	int ret;

	/* A destination that is this host makes an ingress rule, except Any after a source that
	 * is explicitly this host: "Director → Any" is traffic the host opens. */
	dst_local = is_local_role(b->site, dst->role) ||
		    (!dst->role && covers_local(b, dst) &&
		     !(dst->any && is_local_role(b->site, src->role)));
	src_local = is_local_role(b->site, src->role) ||
		    (!src->role && covers_local(b, &(struct endpoint){
			    .prefixes = rule->sources, .count = rule->source_count }));
	if (dst_local) {
		rule->direction = XPF_DIRECTION_INGRESS;
		ret = local_hosts(b, dst, (uint32_t)out->count, &rule->destinations,
				  &rule->destination_count);
		if (!ret && !families_meet(rule))
			ret = warn(b, row, "no source of %s has the address family of a %s "
				   "address: the row never matches", rule->row.source,
				   rule->row.destination);
	} else if (src_local) {
		rule->direction = XPF_DIRECTION_OUTBOUND;
		ret = local_hosts(b, src, (uint32_t)out->count, &rule->reply_locals,
				  &rule->reply_local_count);
		ret = ret ?: endpoint_prefixes(b, dst, &rule->reply_remotes,
					       &rule->reply_remote_count);
		ret = ret ?: warn(b, row, "outbound row (source %s is %s): replies to the flows "
				  "it opens are admitted by flow tracking and counted on it",
				  rule->row.source, src->role && src->role->protect ?
				  "protected behind the interface" : "this host");
	} else {
		rule->direction = XPF_DIRECTION_NOT_FOR_HOST;
		ret = warn(b, row, "not for this host: neither %s nor %s is a local role; "
			   "ignored", rule->row.source, rule->row.destination);
	}
	return ret;
}

/* A rule of @row between @src and @dst, with its table @origin (0 for a site row). */
static int add_rule_between(struct builder *b, const struct xpf_row *row, bool from_table,
			    const struct endpoint *src_in, const struct endpoint *dst_in,
			    uint8_t origin)
{
	struct xpf_ruleset *out = b->out;
	struct endpoint src = *src_in, dst = *dst_in;
	struct xpf_rule *rule;
	int ret;

	/* A literal's prefixes are its own copy: point at this one. */
	if (!src.role && !src.any)
		src.prefixes = &src.literal;
	if (!dst.role && !dst.any)
		dst.prefixes = &dst.literal;

	if (xpf_array_reserve(&out->rules, &b->rule_cap, out->count + 1, 16))
		return -ENOMEM;
	rule = &out->rules[out->count];
	memset(rule, 0, sizeof(*rule));
	rule->row = *row;
	rule->origin = origin;
	/* The rule set outlives the site and the table: its own copies, or the table's strings
	 * taken whole. */
	rule->row.source = endpoint_name(b, &src, row->source, from_table);
	rule->row.destination = endpoint_name(b, &dst, row->destination, from_table);
	rule->row.label = from_table && b->adopting ? row->label : input_copy(b, row->label);
	/* Nothing reads a rule's note (the table keeps it): 100,000 rows would hold 2 MB of them. */
	rule->row.note = "";
	rule->row.file = from_table && b->adopting ? row->file : input_copy(b, row->file);
	if (!rule->row.label || !rule->row.source || !rule->row.destination || !rule->row.file)
		return -ENOMEM;
	ret = endpoint_prefixes(b, &src, &rule->sources, &rule->source_count);
	if (ret)
		return ret;
	out->count++;
	return set_direction(b, row, rule, &src, &dst);
}

/* The rule of a `deny-list` or `allow-list` line, @index of the site's: ingress to the local
 * addresses its destination covers, without sources. */
static int add_list_rule(struct builder *b, const struct xpf_row *row, size_t index)
{
	struct xpf_ruleset *out = b->out;
	struct endpoint dst;
	struct xpf_rule *rule;
	int ret = resolve(b, row, row->destination, false, &dst);

	if (ret)
		return ret;
	if (!dst.role && !dst.any)
		dst.prefixes = &dst.literal;
	if (!is_local_role(b->site, dst.role) && (dst.role || !covers_local(b, &dst)))
		return xpf_error_set(b->err, row->file, row->line, "the list's destination %s "
				     "holds no local address", row->destination);
	if (xpf_array_reserve(&out->rules, &b->rule_cap, out->count + 1, 16))
		return -ENOMEM;
	rule = &out->rules[out->count];
	memset(rule, 0, sizeof(*rule));
	rule->row = *row;
	rule->row.source = xpf_strings_add(&out->strings, row->source);
	rule->row.destination = endpoint_name(b, &dst, row->destination, false);
	rule->row.label = input_copy(b, row->label);
	rule->row.note = "";
	rule->row.file = input_copy(b, row->file);
	if (!rule->row.label || !rule->row.source || !rule->row.destination || !rule->row.file)
		return -ENOMEM;
	rule->direction = XPF_DIRECTION_INGRESS;
	rule->list = (uint8_t)(index + 1);
	out->count++;
	ret = local_hosts(b, &dst, (uint32_t)out->count, &rule->destinations,
			  &rule->destination_count);
	if (!ret && rule->destination_count < out->local_count &&
	    rule->destination_count > XPF_LIST_DESTINATIONS)
		ret = xpf_error_set(b->err, row->file, row->line, "the list's destination %s has "
				    "%u local addresses: a list names at most %d, or all of them",
				    row->destination, rule->destination_count,
				    XPF_LIST_DESTINATIONS);
	return ret;
}

/* A role the site defines as `none` makes no rule: said once a row. */
static int absent(struct builder *b, const struct xpf_row *row, const struct endpoint *src,
		  const struct endpoint *dst)
{
	const struct endpoint *none = !src->count ? src : dst;

	return warn(b, row, "no rule: the site has no %s (`role %s = none`)", none->name,
		    none->name);
}

static int add_rule(struct builder *b, const struct xpf_row *row, bool from_table)
{
	struct endpoint src, dst;
	int ret;

	ret = resolve(b, row, row->source, from_table, &src);
	if (!ret)
		ret = resolve(b, row, row->destination, from_table, &dst);
	if (ret)
		return ret;
	if (!src.count || !dst.count)
		return absent(b, row, &src, &dst);
	return add_rule_between(b, row, from_table, &src, &dst, 0);
}

/* The site's rules: its lists first (they decide before any row), then its rows. */
static int add_site_rules(struct builder *b)
{
	int ret = 0;

	for (size_t i = 0; i < b->site->list_count && !ret; i++)
		ret = add_list_rule(b, &b->site->lists[i], i);
	for (size_t i = 0; i < b->site->row_count && !ret; i++)
		ret = add_rule(b, &b->site->rows[i], false);
	return ret;
}

static uint32_t text_hash(uint32_t h, const char *text)
{
	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 16777619u;
	return h ^ 0xff;
}

/* What makes two table rows one rule: transport, ports, action, source and destination. */
static uint32_t rule_hash(const struct xpf_row *row, const struct endpoint *src,
			  const struct endpoint *dst)
{
	uint32_t h = 2166136261u;

	h = (h ^ row->protocols) * 16777619u;
	h = (h ^ row->port_first) * 16777619u;
	h = (h ^ row->port_last) * 16777619u;
	h = (h ^ row->action) * 16777619u;
	return text_hash(text_hash(h, src->name), dst->name);
}

static bool same_rule(const struct xpf_rule *rule, const struct xpf_row *row,
		      const struct endpoint *src, const struct endpoint *dst)
{
	return rule->row.protocols == row->protocols && rule->row.port_first == row->port_first &&
	       rule->row.port_last == row->port_last && rule->row.action == row->action &&
	       !strcmp(rule->row.source, src->name) && !strcmp(rule->row.destination, dst->name);
}

static int add_also(struct builder *b, uint32_t rule, uint8_t origin, int line)
{
	struct xpf_ruleset *out = b->out;

	if (xpf_array_reserve(&out->also, &b->also_cap, out->also_count + 1, 8))
		return -ENOMEM;
	out->also[out->also_count++] = (struct xpf_also){ rule, origin, line };
	return 0;
}

static int seen_grow(struct builder *b)
{
	size_t size = 2 * (b->seen_mask + 1);
	uint32_t *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i <= b->seen_mask; i++) {
		const struct xpf_rule *rule;
		struct endpoint src = { 0 }, dst = { 0 };
		uint32_t slot;

		if (!b->seen[i])
			continue;
		rule = &b->out->rules[b->seen[i] - 1];
		src.name = rule->row.source;
		dst.name = rule->row.destination;
		for (slot = rule_hash(&rule->row, &src, &dst) & (size - 1); slots[slot];
		     slot = (slot + 1) & (size - 1))
			;
		slots[slot] = b->seen[i];
	}
	free(b->seen);
	b->seen = slots;
	b->seen_mask = size - 1;
	return 0;
}

/* A table row: a rule for each pair of the roles its cells name, but a rule that a row of
 * another table made already gains an origin instead. */
static int add_table_row(struct builder *b, const struct xpf_row *row, uint8_t origin)
{
	struct endpoint srcs[XPF_ROLE_PARTS_MAX], dsts[XPF_ROLE_PARTS_MAX];
	size_t src_count, dst_count;
	int ret;

	ret = resolve_cell(b, row, row->source, srcs, &src_count);
	if (!ret)
		ret = resolve_cell(b, row, row->destination, dsts, &dst_count);
	for (size_t i = 0; !ret && i < src_count; i++) {
		for (size_t j = 0; !ret && j < dst_count; j++) {
			uint32_t h = rule_hash(row, &srcs[i], &dsts[j]), slot;

			if (!srcs[i].count || !dsts[j].count) {
				ret = absent(b, row, &srcs[i], &dsts[j]);
				continue;
			}

			for (slot = h & b->seen_mask; b->seen[slot]; slot = (slot + 1) & b->seen_mask)
				if (same_rule(&b->out->rules[b->seen[slot] - 1], row, &srcs[i],
					      &dsts[j]))
					break;
			/* A rule of another table; the same rule twice in one table stays two, as
			 * published (the second never decides a packet), the first one seen. */
			if (b->seen[slot] && b->out->rules[b->seen[slot] - 1].origin != origin) {
				ret = add_also(b, b->seen[slot] - 1, origin, row->line);
				continue;
			}
			ret = add_rule_between(b, row, true, &srcs[i], &dsts[j], origin);
			if (!ret && !b->seen[slot] && 2 * (b->seen_count + 1) > b->seen_mask + 1)
				ret = seen_grow(b);
			if (!ret && !b->seen[slot]) {
				for (slot = h & b->seen_mask; b->seen[slot];
				     slot = (slot + 1) & b->seen_mask)
					;
				b->seen[slot] = (uint32_t)b->out->count;
				b->seen_count++;
			}
		}
	}
	return ret;
}

static int by_rule(const void *a, const void *b)
{
	const struct xpf_also *x = a, *y = b;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return x->origin != y->origin ? (x->origin < y->origin ? -1 : 1) :
	       (x->line > y->line) - (x->line < y->line);
}

/* The table's rows, section by section (a table put together by hand may have rows of none),
 * and its reported rows as warnings. */
static int add_table(struct builder *b, const struct xpf_table *table)
{
	struct xpf_ruleset *out = b->out;
	size_t section = 0;
	int ret = 0;

	if (table->section_count > XPF_MAX_ORIGINS)
		return xpf_error_set(b->err, b->site_file, b->site->table_line,
				     "rows from %zu tables: at most %d", table->section_count,
				     XPF_MAX_ORIGINS);
	out->origins = calloc(table->section_count ?: 1, sizeof(*out->origins));
	b->seen_mask = 1023;
	while (b->seen_mask + 1 < 2 * table->count)
		b->seen_mask = 2 * b->seen_mask + 1;
	b->seen = calloc(b->seen_mask + 1, sizeof(*b->seen));
	if (!out->origins || !b->seen)
		return -ENOMEM;
	for (size_t i = 0; i < table->section_count; i++) {
		const struct xpf_section *from = &table->sections[i];
		struct xpf_origin *origin = &out->origins[i];

		origin->table = b->adopting ? from->file : input_copy(b, from->file);
		origin->caption = b->adopting ? from->caption : input_copy(b, from->caption);
		if (!origin->table || !origin->caption)
			return -ENOMEM;
		out->origin_count++;
	}
	for (size_t i = 0; i < table->count && !ret; i++) {
		const struct xpf_section *in = NULL;

		while (section < table->section_count &&
		       i >= table->sections[section].first_row + table->sections[section].row_count)
			section++;
		if (section < table->section_count && i >= table->sections[section].first_row)
			in = &table->sections[section];
		ret = add_table_row(b, &table->rows[i],
				    in ? (uint8_t)(in - table->sections + 1) : 0);
	}
	for (size_t i = 0; i < table->report_count && !ret; i++) {
		const struct xpf_report *report = &table->reports[i];
		struct xpf_row at = { .file = report->file, .line = report->line };

		ret = warn(b, &at, "row not compiled: %s", report->problem);
	}
	if (out->also_count)
		qsort(out->also, out->also_count, sizeof(*out->also), by_rule);
	return ret;
}

static int build(const struct xpf_site *site, const struct xpf_table *table, bool adopting,
		 struct xpf_ruleset *ruleset, struct xpf_error *err)
{
	struct builder *b;
	int ret;

	memset(ruleset, 0, sizeof(*ruleset));
	b = calloc(1, sizeof(*b));
	if (!b) {
		xpf_error_set(err, site->file, 0, "out of memory");
		return -ENOMEM;
	}
	b->site = site;
	b->out = ruleset;
	b->err = err;
	b->site_file = site->file;
	b->adopting = adopting;
	ruleset->policy = site->policy;

	ret = build_locals(b);
	if (ret)
		goto fail;
	b->stamps = calloc(ruleset->local_count ? ruleset->local_count : 1, sizeof(*b->stamps));
	b->hosts = malloc((ruleset->local_count ?: 1) * sizeof(*b->hosts));
	b->role_prefixes = calloc(site->role_count ?: 1, sizeof(*b->role_prefixes));
	b->role_hosts = calloc(site->role_count ?: 1, sizeof(*b->role_hosts));
	/* One rule a row: sized once, not grown by doubling (100,000 rows are 20 MiB). */
	b->rule_cap = site->list_count + site->row_count + (table ? table->count : 0);
	ruleset->rules = b->rule_cap ? calloc(b->rule_cap, sizeof(*ruleset->rules)) : NULL;
	xpf_advise_huge_pages(ruleset->rules, b->rule_cap * sizeof(*ruleset->rules));
	if (!b->stamps || !b->hosts || !b->role_prefixes || !b->role_hosts ||
	    (b->rule_cap && !ruleset->rules)) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = add_site_rules(b);
	if (ret)
		goto fail;
	ret = (table ? add_table(b, table) : 0) ?: xpf_ruleset_warn_overlaps(ruleset);
	if (ret)
		goto fail;
	/* The rules are all made: their strings' index goes before the image is compiled. */
	xpf_strings_end_interning(&ruleset->strings);
	ret = 0;
	goto out;

fail:
	if (ret == -ENOMEM)
		xpf_error_set(err, site->file, 0, "out of memory");
	xpf_ruleset_free(ruleset);
out:
	free(b->stamps);
	free(b->hosts);
	free(b->role_prefixes);
	free(b->role_hosts);
	xpf_hash_free(&b->literals);
	free(b->seen);
	free(b);
	return ret;
}

int xpf_ruleset_build(const struct xpf_site *site, const struct xpf_table *table,
		      struct xpf_ruleset *ruleset, struct xpf_error *err)
{
	return build(site, table, false, ruleset, err);
}

int xpf_ruleset_build_adopting(const struct xpf_site *site, struct xpf_table *table,
			       struct xpf_ruleset *ruleset, struct xpf_error *err)
{
	int ret = build(site, table, table != NULL, ruleset, err);

	if (!ret && table) {
		ruleset->table_strings = table->strings;
		memset(&table->strings, 0, sizeof(table->strings));
	}
	return ret;
}

void xpf_ruleset_free(struct xpf_ruleset *ruleset)
{
	if (!ruleset)
		return;
	/* A rule set put together by hand: each rule's arrays are its own. */
	for (size_t i = 0; !ruleset->prefixes.block_count && i < ruleset->count; i++) {
		free(ruleset->rules[i].sources);
		free(ruleset->rules[i].destinations);
		free(ruleset->rules[i].reply_locals);
		free(ruleset->rules[i].reply_remotes);
	}
	xpf_prefix_pool_free(&ruleset->prefixes);
	for (size_t i = 0; i < ruleset->list_count; i++)
		xpf_prefix_list_free(&ruleset->lists[i]);
	free(ruleset->lists);
	free(ruleset->rules);
	free(ruleset->locals);
	xpf_strings_free(&ruleset->strings);
	xpf_strings_free(&ruleset->table_strings);
	free(ruleset->origins);
	free(ruleset->also);
	for (size_t i = 0; i < ruleset->warning_count; i++)
		free(ruleset->warnings[i]);
	free(ruleset->warnings);
	memset(ruleset, 0, sizeof(*ruleset));
}

size_t xpf_rule_origins(const struct xpf_ruleset *ruleset, size_t index, uint8_t *origins,
			int *lines, size_t max)
{
	const struct xpf_rule *rule = &ruleset->rules[index];
	size_t lo = 0, hi = ruleset->also_count, count = 0;

	if (!rule->origin)
		return 0;
	if (max) {
		origins[0] = rule->origin;
		if (lines)
			lines[0] = rule->row.line;
	}
	count = 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ruleset->also[mid].rule < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ruleset->also_count && ruleset->also[lo].rule == index; lo++, count++) {
		if (count >= max)
			continue;
		origins[count] = ruleset->also[lo].origin;
		if (lines)
			lines[count] = ruleset->also[lo].line;
	}
	return count;
}
