// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/prefix_list.h"
#include "lib/huge_pages.h"

/* Longest entry worth reading: an IPv6 address with an IPv4 tail and "/128". */
#define ENTRY_MAX 64

/* Lines in @text, an upper bound on its entries: the array is made once, never grown. */
static size_t count_lines(const char *text)
{
	size_t lines = 1;

	for (const char *nl = strchr(text, '\n'); nl; nl = strchr(nl + 1, '\n'))
		lines++;
	return lines;
}

/* The entry of a line [start, end): its comment cut, its blanks trimmed. */
static void entry_of(const char *start, const char *end, const char **first, const char **last)
{
	const char *comment = start;

	while (comment < end && *comment != '#' && *comment != ';')
		comment++;
	while (start < comment && isspace((unsigned char)*start))
		start++;
	while (comment > start && isspace((unsigned char)comment[-1]))
		comment--;
	*first = start;
	*last = comment;
}

static int parse_entry(const char *first, const char *last, const char *file, int line,
		       struct xpf_prefix *out, struct xpf_error *err)
{
	char buf[ENTRY_MAX + 1];
	size_t n = (size_t)(last - first);
	const char *problem;

	for (const char *c = first; c < last; c++)
		if (isspace((unsigned char)*c))
			return xpf_error_set(err, file, line, "one address or prefix a line, "
					     "found '%.*s'", (int)(n > ENTRY_MAX ? ENTRY_MAX : n),
					     first);
	if (n > ENTRY_MAX)
		return xpf_error_set(err, file, line, "bad address '%.*s...'", ENTRY_MAX, first);
	memcpy(buf, first, n);
	buf[n] = '\0';
	if (xpf_prefix_parse(buf, out, &problem))
		return xpf_error_set(err, file, line, "%s '%s'", problem, buf);
	if (!out->len)
		return xpf_error_set(err, file, line, "'%s' holds every address: a list names "
				     "some (a row with source Any names all)", buf);
	return 0;
}

int xpf_prefix_list_parse(const char *text, const char *file, struct xpf_prefix_list *list,
			  struct xpf_error *err)
{
	size_t cap = count_lines(text ? text : "");
	const char *pos = text ? text : "";
	int line = 0, ret = 0;

	memset(list, 0, sizeof(*list));
	list->prefixes = malloc(cap * sizeof(*list->prefixes));
	if (!list->prefixes)
		return xpf_error_set(err, file, 0, "out of memory"), -ENOMEM;
	xpf_advise_huge_pages(list->prefixes, cap * sizeof(*list->prefixes));
	while (*pos && !ret) {
		const char *nl = strchr(pos, '\n'), *end = nl ? nl : pos + strlen(pos);
		const char *first, *last;

		line++;
		entry_of(pos, end, &first, &last);
		if (first < last)
			ret = parse_entry(first, last, file, line, &list->prefixes[list->count++],
					  err);
		pos = nl ? nl + 1 : end;
	}
	if (ret)
		xpf_prefix_list_free(list);
	return ret;
}

void xpf_prefix_list_free(struct xpf_prefix_list *list)
{
	free(list->prefixes);
	memset(list, 0, sizeof(*list));
}
