/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The site file: what the published table cannot know — which roles are this host or stand
 * behind the interface xpf is attached to, the addresses behind every role, extra allow/deny
 * rows and the policies. One directive a line so that every error points at one line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "lib/vector.h"
#include <xpf/maps.h>

#define SITE_LINE_MAX 4096
#define ROW_CELLS_MAX 4

struct parser {
	const char *file;
	int line;
	struct xpf_site *site;
	struct xpf_error *err;
	size_t role_cap;
	size_t row_cap;
	size_t local_cap;
	size_t protect_cap;
	size_t table_cap;
	size_t list_cap;
};

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	char problem[XPF_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	return xpf_error_set(p->err, p->file, p->line, "%s", problem);
}

/* A name cell: blanks folded, non-empty, fits. */
static int take_name(struct parser *p, const char *text, char *out, const char *what)
{
	size_t n = xpf_fold_blanks(text, out, XPF_NAME_MAX);

	if (n == 0)
		return fail(p, "empty %s", what);
	if (n >= XPF_NAME_MAX)
		return fail(p, "%s longer than %d characters", what, XPF_NAME_MAX - 1);
	return 0;
}

static int prefix_error(struct parser *p, const char *text, const char *problem)
{
	if (!strcmp(problem, "bad prefix length"))
		return fail(p, "%s in '%s'", problem, text);
	return fail(p, "%s '%s'", problem, text);
}

/* `table NAME` or `table NAME#PICK`: a page, or one table of it. */
static int parse_table(struct parser *p, char *rest)
{
	struct xpf_site *site = p->site;
	struct xpf_site_table *table;
	char *hash = strchr(rest, '#');
	const char *pick = "";

	if (hash) {
		*hash = '\0';
		pick = trim(hash + 1);
		rest = trim(rest);
		if (!*pick)
			return fail(p, "`table %s#` names no table of the page: a caption after "
				    "'#', a part of one, or its number", rest);
	}
	if (!*rest)
		return fail(p, "`table` needs a built-in table name or a path");
	if (strlen(rest) >= sizeof(table->name))
		return fail(p, "table name longer than %zu characters", sizeof(table->name) - 1);
	if (strlen(pick) >= sizeof(table->pick))
		return fail(p, "table caption longer than %zu characters", sizeof(table->pick) - 1);
	for (size_t i = 0; i < site->table_count; i++) {
		const struct xpf_site_table *other = &site->tables[i];

		if (strcmp(other->name, rest))
			continue;
		if (!other->pick[0] || !*pick || xpf_role_name_equal(other->pick, pick))
			return fail(p, "second `table` directive for '%s' (the first is on line "
				    "%d)", rest, other->line);
	}
	if (xpf_array_reserve(&site->tables, &p->table_cap, site->table_count + 1, 8))
		return -ENOMEM;
	table = &site->tables[site->table_count++];
	memset(table, 0, sizeof(*table));
	strcpy(table->name, rest);
	strcpy(table->pick, pick);
	table->line = p->line;
	if (!site->table_line) {
		strcpy(site->table, rest);
		site->table_line = p->line;
	}
	return 0;
}

/* The comma-separated role names of a `local` or `protect` line, appended to @names. */
static int take_names(struct parser *p, char *rest, char (**names)[XPF_NAME_MAX],
		      size_t *count, size_t *cap, const char *what)
{
	char *name, *next;
	int ret;

	/* strtok would skip the empty name in "A,,B": that is a typo worth reporting. */
	for (name = rest;; name = next + 1) {
		next = strchr(name, ',');
		if (next)
			*next = '\0';
		if (xpf_array_reserve(names, cap, *count + 1, 8))
			return -ENOMEM;
		ret = take_name(p, name, (*names)[*count], what);
		if (ret)
			return ret;
		(*count)++;
		if (!next)
			return 0;
	}
}

static int parse_local(struct parser *p, char *rest)
{
	struct xpf_site *site = p->site;
	int ret;

	if (site->local_line)
		return fail(p, "second `local` directive (the first is on line %d)",
			    site->local_line);
	if (!*rest)
		return fail(p, "`local` needs the names of the roles that are this host, or `auto`");
	/* One site file for a pool: each host takes the roles that hold its addresses. */
	if (!strcasecmp(rest, "auto")) {
		site->local_auto = true;
		site->local_line = p->line;
		return 0;
	}
	ret = take_names(p, rest, &site->local_names, &site->local_name_count, &p->local_cap,
			 "role name in `local`");
	if (ret)
		return ret;
	site->local_line = p->line;
	return 0;
}

/* `protect ROLES`: the roles whose addresses sit behind the interface xpf is attached to, on
 * a router, a bridge port or a load balancer in front of them. They are enforced exactly as
 * `local` roles are; the word is true where `local` ("this host") would not be. */
static int parse_protect(struct parser *p, char *rest)
{
	struct xpf_site *site = p->site;
	int ret;

	if (site->protect_line)
		return fail(p, "second `protect` directive (the first is on line %d)",
			    site->protect_line);
	if (!*rest)
		return fail(p, "`protect` needs the names of the roles behind the interface");
	ret = take_names(p, rest, &site->protect_names, &site->protect_name_count,
			 &p->protect_cap, "role name in `protect`");
	if (ret)
		return ret;
	site->protect_line = p->line;
	return 0;
}

/* Marks the roles `protect` names. A role is this host or behind it, never both: named by
 * both directives, it is an error on the `protect` line. */
static int mark_protected(struct parser *p)
{
	struct xpf_site *site = p->site;

	for (size_t j = 0; j < site->protect_name_count; j++)
		for (size_t i = 0; i < site->role_count; i++) {
			struct xpf_role *role = &site->roles[i];

			if (!xpf_role_name_equal(role->name, site->protect_names[j]))
				continue;
			if (role->local && !role->protect)
				return xpf_error_set(p->err, p->file, site->protect_line,
						     "role '%s' is named by `local` (line %d) and "
						     "by `protect`: it is this host or behind it, "
						     "not both", role->name, site->local_line);
			role->local = true;
			role->protect = true;
		}
	return 0;
}

static int parse_role(struct parser *p, char *rest)
{
	struct xpf_site *site = p->site;
	struct xpf_role *role;
	char *eq = strchr(rest, '='), *addr, *next;
	size_t cap = 0;
	int ret;

	if (!eq)
		return fail(p, "expected `role NAME = ADDRESS[, ADDRESS...]`");
	*eq = '\0';
	if (xpf_array_reserve(&site->roles, &p->role_cap, site->role_count + 1, 8))
		return -ENOMEM;
	role = &site->roles[site->role_count];
	memset(role, 0, sizeof(*role));
	role->line = p->line;
	ret = take_name(p, rest, role->name, "role name");
	if (ret)
		return ret;
	if (xpf_role_name_equal(role->name, "Any"))
		return fail(p, "role 'Any' is built in (0.0.0.0/0 and ::/0): choose another name");
	/* A row cell that parses as an address is an address: such a role could never be used. */
	if (xpf_looks_like_address(role->name))
		return fail(p, "role name '%s' looks like an address", role->name);
	for (size_t i = 0; i < site->role_count; i++)
		if (xpf_role_name_equal(site->roles[i].name, role->name))
			return fail(p, "role '%s' defined twice (first on line %d)", role->name,
				    site->roles[i].line);
	/* Counted in now so that xpf_site_free releases its prefixes on any error below. */
	site->role_count++;

	addr = trim(eq + 1);
	if (!*addr)
		return fail(p, "role '%s' has no addresses", role->name);
	/* `role NAME = none`: a role of the tables that this site does not have. */
	if (!strcasecmp(addr, "none"))
		return 0;
	for (;; addr = next + 1) {
		struct xpf_prefix prefix;
		const char *problem;

		next = strchr(addr, ',');
		if (next)
			*next = '\0';
		addr = trim(addr);
		if (xpf_prefix_parse(addr, &prefix, &problem))
			return prefix_error(p, addr, problem);
		if (xpf_array_reserve(&role->prefixes, &cap, role->count + 1, 8))
			return -ENOMEM;
		role->prefixes[role->count++] = prefix;
		if (!next)
			break;
	}
	return 0;
}

/* A source or destination cell: a role (checked later, roles may come after the row), Any,
 * or a literal prefix, which must be a good one. */
static int take_endpoint(struct parser *p, const char *text, char *out, const char *what)
{
	struct xpf_prefix prefix;
	const char *problem;
	int ret = take_name(p, text, out, what);

	if (ret)
		return ret;
	if (xpf_looks_like_address(out) && xpf_prefix_parse(out, &prefix, &problem))
		return prefix_error(p, out, problem);
	return 0;
}

static int parse_row(struct parser *p, char *rest, uint8_t action, const char *directive)
{
	struct xpf_site *site = p->site;
	char *cells[ROW_CELLS_MAX + 1];
	size_t ncells = 0;
	char source[XPF_NAME_MAX], destination[XPF_NAME_MAX], note[XPF_NOTE_MAX] = "";
	struct xpf_row *row;
	const char *problem;
	char *cell = rest;
	int ret;

	for (;;) {
		char *bar = strchr(cell, '|');

		if (ncells == ROW_CELLS_MAX + 1)
			goto usage;
		if (bar)
			*bar = '\0';
		cells[ncells++] = cell;
		if (!bar)
			break;
		cell = bar + 1;
	}
	/* "PROTO | SRC | DST | NOTE |": a closing bar, as in the tables, ends the row. */
	if (ncells > 3 && !*trim(cells[ncells - 1]))
		ncells--;
	if (ncells < 3 || ncells > ROW_CELLS_MAX)
		goto usage;

	if (xpf_array_reserve(&site->rows, &p->row_cap, site->row_count + 1, 8))
		return -ENOMEM;
	row = &site->rows[site->row_count];
	memset(row, 0, sizeof(*row));
	ret = xpf_row_parse_protocol(cells[0], &site->strings, row, &problem);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		return fail(p, "%s", problem);
	ret = take_endpoint(p, cells[1], source, "source");
	if (!ret)
		ret = take_endpoint(p, cells[2], destination, "destination");
	if (ret)
		return ret;
	if (ncells == 4 && xpf_fold_blanks(cells[3], note, sizeof(note)) >= sizeof(note))
		return fail(p, "note longer than %zu characters", sizeof(note) - 1);
	row->action = action;
	row->source = xpf_strings_add(&site->strings, source);
	row->destination = xpf_strings_add(&site->strings, destination);
	row->note = xpf_strings_add(&site->strings, note);
	row->file = xpf_strings_intern(&site->strings, p->file);
	if (!row->source || !row->destination || !row->note || !row->file)
		return -ENOMEM;
	row->line = p->line;
	site->row_count++;
	return 0;

usage:
	return fail(p, "expected `%s PROTO PORT | SOURCE | DESTINATION [| NOTE]`", directive);
}

/* The cells of a list line: FILE, then an optional protocol cell and destination. */
static int list_cells(char *rest, char *cells[3])
{
	size_t ncells = 0;
	char *cell = rest;

	for (;;) {
		char *bar = strchr(cell, '|');

		if (ncells == 3)
			return -EINVAL;
		if (bar)
			*bar = '\0';
		cells[ncells++] = trim(cell);
		if (!bar)
			break;
		cell = bar + 1;
	}
	for (size_t i = ncells; i < 3; i++)
		cells[i] = "";
	return 0;
}

/* `deny-list FILE [| PROTO PORTS] [| DESTINATION]`, `allow-list ...`: a source list. */
static int parse_list(struct parser *p, char *rest, uint8_t action, const char *directive)
{
	struct xpf_site *site = p->site;
	char *cells[3], destination[XPF_NAME_MAX];
	const char *problem;
	struct xpf_row *row;
	int ret;

	if (list_cells(rest, cells) || !*cells[0])
		return fail(p, "expected `%s FILE [| PROTO PORTS] [| DESTINATION]`", directive);
	if (site->list_count == XPF_MAX_LISTS)
		return fail(p, "more than %d lists: merge some into one file", XPF_MAX_LISTS);
	if (strlen(cells[0]) >= XPF_FILE_MAX)
		return fail(p, "list file name longer than %d characters", XPF_FILE_MAX - 1);
	ret = take_endpoint(p, *cells[2] ? cells[2] : "Any", destination, "destination");
	if (ret)
		return ret;
	if (xpf_array_reserve(&site->lists, &p->list_cap, site->list_count + 1, 4))
		return -ENOMEM;
	row = &site->lists[site->list_count];
	memset(row, 0, sizeof(*row));
	if (*cells[1]) {
		ret = xpf_row_parse_protocol(cells[1], &site->strings, row, &problem);
		if (ret == -ENOMEM)
			return ret;
		if (ret)
			return fail(p, "%s", problem);
	} else {
		row->label = xpf_strings_add(&site->strings, "TCP/UDP");
		row->protocols = XPF_PROTO_TCP | XPF_PROTO_UDP;
		row->port_last = 65535;
	}
	row->action = action;
	row->source = xpf_strings_add(&site->strings, cells[0]);
	row->destination = xpf_strings_add(&site->strings, destination);
	row->note = xpf_strings_add(&site->strings, "");
	row->file = xpf_strings_intern(&site->strings, p->file);
	if (!row->label || !row->source || !row->destination || !row->note || !row->file)
		return -ENOMEM;
	row->line = p->line;
	site->list_count++;
	return 0;
}

static int parse_policy(struct parser *p, char *rest)
{
	static const struct {
		const char *name;
		const char *first, *second;	/* the values, the default first */
		uint8_t first_value, second_value;
		size_t offset;
	} policies[] = {
		{ "default", "drop", "pass", XPF_ACTION_DROP, XPF_ACTION_PASS,
		  offsetof(struct xpf_policy, default_action) },
		{ "other", "pass", "drop", XPF_ACTION_PASS, XPF_ACTION_DROP,
		  offsetof(struct xpf_policy, other_action) },
		{ "icmp", "pass", "drop", XPF_ACTION_PASS, XPF_ACTION_DROP,
		  offsetof(struct xpf_policy, icmp_action) },
		{ "fragments", "track", "drop", XPF_FRAGMENTS_TRACK, XPF_FRAGMENTS_DROP,
		  offsetof(struct xpf_policy, fragments) },
	};
	char *save = NULL;
	char *name = strtok_r(rest, " \t", &save);
	char *value = strtok_r(NULL, " \t", &save);
	char *extra = strtok_r(NULL, " \t", &save);

	if (!name || !value || extra)
		return fail(p, "expected `policy default|other|icmp|fragments VALUE`");
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		uint8_t *field = (uint8_t *)&p->site->policy + policies[i].offset;

		if (strcasecmp(name, policies[i].name))
			continue;
		if (!strcasecmp(value, policies[i].first))
			*field = policies[i].first_value;
		else if (!strcasecmp(value, policies[i].second))
			*field = policies[i].second_value;
		else
			return fail(p, "policy %s is %s or %s, not '%s'", policies[i].name,
				    policies[i].first, policies[i].second, value);
		return 0;
	}
	return fail(p, "unknown policy '%s' (default, other, icmp or fragments)", name);
}

/* `timeout tcp|udp SECONDS`: how long a flow the host opened stays open after the host's last
 * packet on it (TCP: once established). Bounded so that seconds * 1e9 fits the BPF side's
 * arithmetic with room to spare. */
#define XPF_MAX_TIMEOUT_S 86400u

static int parse_timeout(struct parser *p, char *rest)
{
	char *save = NULL, *end;
	char *name = strtok_r(rest, " \t", &save);
	char *value = strtok_r(NULL, " \t", &save);
	char *extra = strtok_r(NULL, " \t", &save);
	unsigned long seconds;
	uint32_t *field;

	if (!name || !value || extra)
		return fail(p, "expected `timeout tcp|udp SECONDS`");
	if (!strcasecmp(name, "tcp"))
		field = &p->site->policy.tcp_timeout_s;
	else if (!strcasecmp(name, "udp"))
		field = &p->site->policy.udp_timeout_s;
	else
		return fail(p, "unknown timeout '%s' (tcp or udp)", name);
	errno = 0;
	seconds = strtoul(value, &end, 10);
	if (errno || *end || !isdigit((unsigned char)value[0]) || seconds == 0 ||
	    seconds > XPF_MAX_TIMEOUT_S)
		return fail(p, "timeout %s must be a number of seconds from 1 to %u, not '%s'", name,
			    XPF_MAX_TIMEOUT_S, value);
	*field = (uint32_t)seconds;
	return 0;
}

/* `log rate N/s`: at most N drop-log events a second for the whole filter (the kernel's token
 * bucket, bpf/record.h); 0/s turns the log off. Only per second: one unit, no guessing. */
static int parse_log(struct parser *p, char *rest)
{
	char *save = NULL, *end;
	char *name = strtok_r(rest, " \t", &save);
	char *value = strtok_r(NULL, " \t", &save);
	char *extra = strtok_r(NULL, " \t", &save);
	unsigned long rate;

	if (!name || !value || extra || strcasecmp(name, "rate"))
		return fail(p, "expected `log rate N/s`");
	errno = 0;
	rate = strtoul(value, &end, 10);
	if (errno || end == value || !isdigit((unsigned char)value[0]) || strcmp(end, "/s") ||
	    rate > XPF_MAX_LOG_RATE)
		return fail(p, "log rate must be events a second from 0/s to %u/s, not '%s'",
			    XPF_MAX_LOG_RATE, value);
	p->site->policy.log_rate = (uint32_t)rate;
	return 0;
}

/* `flows max N`: the flows the egress program remembers (the flows map's entries, made at
 * load; a reload cannot resize it). */
static int parse_flows(struct parser *p, char *rest)
{
	char *save = NULL, *end;
	char *name = strtok_r(rest, " \t", &save);
	char *value = strtok_r(NULL, " \t", &save);
	char *extra = strtok_r(NULL, " \t", &save);
	unsigned long flows;

	if (!name || !value || extra || strcasecmp(name, "max"))
		return fail(p, "expected `flows max N`");
	errno = 0;
	flows = strtoul(value, &end, 10);
	if (errno || *end || !isdigit((unsigned char)value[0]) || flows < XPF_MIN_FLOWS ||
	    flows > XPF_MAX_FLOWS)
		return fail(p, "flows max must be a number of flows from %u to %u, not '%s'",
			    XPF_MIN_FLOWS, XPF_MAX_FLOWS, value);
	p->site->policy.flows = (uint32_t)flows;
	return 0;
}

/* `audit` or `audit on`: drop nothing, count would-drops; `audit off`: enforce. */
static int parse_audit(struct parser *p, char *rest)
{
	if (p->site->audit_line)
		return fail(p, "second `audit` directive (the first is on line %d)",
			    p->site->audit_line);
	if (!*rest || !strcasecmp(rest, "on"))
		p->site->audit = 1;
	else if (!strcasecmp(rest, "off"))
		p->site->audit = 0;
	else
		return fail(p, "expected `audit`, `audit on` or `audit off`, not 'audit %s'", rest);
	p->site->audit_line = p->line;
	return 0;
}

/* Where a comment starts: at the first '#', but on a `table` line at the first '#' after a
 * blank, since `table NAME#CAPTION` picks a table of a page. */
static char *comment_start(char *text)
{
	char *word = text, *hash;

	while (isspace((unsigned char)*word))
		word++;
	if (strncasecmp(word, "table", 5) || (word[5] && !isspace((unsigned char)word[5])))
		return strchr(text, '#');
	for (hash = strchr(text, '#'); hash; hash = strchr(hash + 1, '#'))
		if (hash == text || isspace((unsigned char)hash[-1]))
			return hash;
	return NULL;
}

static int parse_line(struct parser *p, char *text)
{
	char *hash = comment_start(text), *word, *rest;

	if (hash)
		*hash = '\0';
	word = trim(text);
	if (!*word)
		return 0;
	rest = word;
	while (*rest && !isspace((unsigned char)*rest))
		rest++;
	if (*rest)
		*rest++ = '\0';
	rest = trim(rest);

	if (!strcasecmp(word, "table"))
		return parse_table(p, rest);
	if (!strcasecmp(word, "local"))
		return parse_local(p, rest);
	if (!strcasecmp(word, "protect"))
		return parse_protect(p, rest);
	if (!strcasecmp(word, "role"))
		return parse_role(p, rest);
	if (!strcasecmp(word, "allow"))
		return parse_row(p, rest, XPF_ACTION_PASS, "allow");
	if (!strcasecmp(word, "deny"))
		return parse_row(p, rest, XPF_ACTION_DROP, "deny");
	if (!strcasecmp(word, "deny-list"))
		return parse_list(p, rest, XPF_ACTION_DROP, "deny-list");
	if (!strcasecmp(word, "allow-list"))
		return parse_list(p, rest, XPF_ACTION_PASS, "allow-list");
	if (!strcasecmp(word, "policy"))
		return parse_policy(p, rest);
	if (!strcasecmp(word, "timeout"))
		return parse_timeout(p, rest);
	if (!strcasecmp(word, "log"))
		return parse_log(p, rest);
	if (!strcasecmp(word, "flows"))
		return parse_flows(p, rest);
	if (!strcasecmp(word, "audit"))
		return parse_audit(p, rest);
	return fail(p, "unknown directive '%s'", word);
}

int xpf_site_parse(const char *text, const char *file, struct xpf_site *site,
		   struct xpf_error *err)
{
	struct parser p = { .file = file ? file : "", .site = site, .err = err };
	char buf[SITE_LINE_MAX + 1];
	const char *pos, *end;
	int ret = 0;

	memset(site, 0, sizeof(*site));
	snprintf(site->file, sizeof(site->file), "%s", p.file);
	site->policy.default_action = XPF_ACTION_DROP;
	site->policy.other_action = XPF_ACTION_PASS;
	site->policy.icmp_action = XPF_ACTION_PASS;
	site->policy.fragments = XPF_FRAGMENTS_TRACK;
	site->policy.tcp_timeout_s = XPF_DEFAULT_TCP_TIMEOUT_S;
	site->policy.udp_timeout_s = XPF_DEFAULT_UDP_TIMEOUT_S;
	site->policy.log_rate = XPF_DEFAULT_LOG_RATE;
	site->policy.flows = XPF_DEFAULT_FLOWS;
	site->audit = -1;
	if (!text)
		text = "";
	end = text + strlen(text);

	for (pos = text; pos < end;) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = (size_t)((nl ? nl : end) - pos);

		p.line++;
		if (n > SITE_LINE_MAX) {
			ret = fail(&p, "line longer than %d characters", SITE_LINE_MAX);
			goto fail;
		}
		memcpy(buf, pos, n);
		buf[n] = '\0';
		ret = parse_line(&p, buf);
		if (ret)
			goto fail;
		pos = nl ? nl + 1 : end;
	}

	if (!site->local_line && !site->protect_line) {
		ret = fail(&p, "no `local` or `protect` directive: name the roles that are this "
			   "host, or those behind the interface");
		goto fail;
	}
	for (size_t i = 0; i < site->role_count; i++)
		for (size_t j = 0; j < site->local_name_count; j++)
			if (xpf_role_name_equal(site->roles[i].name, site->local_names[j]))
				site->roles[i].local = true;
	ret = mark_protected(&p);
	if (ret)
		goto fail;
	return 0;

fail:
	if (ret == -ENOMEM)
		xpf_error_set(err, p.file, p.line, "out of memory");
	xpf_site_free(site);
	return ret;
}

void xpf_site_free(struct xpf_site *site)
{
	if (!site)
		return;
	for (size_t i = 0; i < site->role_count; i++)
		free(site->roles[i].prefixes);
	free(site->roles);
	free(site->rows);
	free(site->lists);
	free(site->local_names);
	free(site->host_addrs);
	free(site->protect_names);
	free(site->tables);
	xpf_strings_free(&site->strings);
	memset(site, 0, sizeof(*site));
}
