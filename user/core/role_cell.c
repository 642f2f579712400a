// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A table's role cell may name several roles: "Front End pool or Front End Server", "Front End
 * Server, Front End pool, Director, Director pool", or Any with the roles that may narrow it,
 * "Any (can be defined as Director, Director pool IP address, Front End Server or Front End
 * pool IP address)". A site names the whole cell, or any of its parts (docs/tables.md): the
 * rule set (ruleset.c) tries the whole first, then the parts.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"

/* The separators between parts, longest first so that ", or " is not read as ", ". */
static const char *const separators[] = { ", or ", " or ", ", " };

static size_t separator_at(const char *pos)
{
	for (size_t i = 0; i < sizeof(separators) / sizeof(separators[0]); i++) {
		size_t n = strlen(separators[i]);

		if (!strncasecmp(pos, separators[i], n))
			return n;
	}
	return 0;
}

static void add_part(struct xpf_role_cell *out, const char *start, size_t len)
{
	while (len && isspace((unsigned char)*start)) {
		start++;
		len--;
	}
	while (len && isspace((unsigned char)start[len - 1]))
		len--;
	if (!len || len >= XPF_NAME_MAX || out->count == XPF_ROLE_PARTS_MAX)
		return;
	memcpy(out->parts[out->count], start, len);
	out->parts[out->count++][len] = '\0';
}

/* "Any (can be defined as LIST)" or "Any (LIST)": the list, or NULL. */
static const char *any_list(const char *cell, size_t *len)
{
	static const char phrase[] = "can be defined as ";
	size_t n = strlen(cell);
	const char *list;

	if (strncasecmp(cell, "Any (", 5) || n < 6 || cell[n - 1] != ')')
		return NULL;
	list = cell + 5;
	if (!strncasecmp(list, phrase, sizeof(phrase) - 1))
		list += sizeof(phrase) - 1;
	*len = (size_t)(cell + n - 1 - list);
	return list;
}

void xpf_role_cell_split(const char *cell, struct xpf_role_cell *out)
{
	char folded[4 * XPF_NAME_MAX];
	const char *list, *start, *pos;
	size_t len;
	int depth = 0;

	memset(out, 0, sizeof(*out));
	if (xpf_fold_blanks(cell ? cell : "", folded, sizeof(folded)) >= sizeof(folded))
		return;	/* no list of role names runs that long */
	list = any_list(folded, &len);
	out->any = list != NULL;
	if (!list) {
		list = folded;
		len = strlen(folded);
	}
	/* A part's parentheses are its own: "Front End Server load balancer (if the pool also
	 * runs Mediation Server)" is one part. */
	for (start = pos = list; pos < list + len;) {
		size_t n = depth == 0 ? separator_at(pos) : 0;

		if (n) {
			add_part(out, start, (size_t)(pos - start));
			pos += n;
			start = pos;
			continue;
		}
		depth += *pos == '(' ? 1 : *pos == ')' ? -1 : 0;
		pos++;
	}
	add_part(out, start, (size_t)(list + len - start));
	/* One part that is the whole cell is no list. */
	if (!out->any && out->count == 1)
		out->count = 0;
}
