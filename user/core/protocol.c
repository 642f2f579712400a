/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The protocol cell of a port table: "HTTP/TCP 8080", "SIP/MTLS/TCP 5061", "MTLS/TCP/50001",
 * "TCP/UDP 50,000-59,999". Vendors write it as prose, so the grammar is loose: tokens split on
 * '/', blanks and parentheses ("PSOM(TLS)TCP/443"), TCP and UDP are transports, one number or
 * range is the port, every other word is a label kept for display. A cell that names TLS
 * (TLS, MTLS) and no transport is TCP: TLS runs over TCP alone (its datagram form is DTLS).
 *
 * Tables that give the port a column of its own name the transport in the next one, often as
 * a protocol that stands for it ("HTTPS", "DHCP", "TCP (TLS)"): xpf_transport_parse() and
 * xpf_ports_parse() read those two cells.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"

/* The problem names the port and the cell, so it cannot be a literal; one per thread keeps
 * the parser reentrant across threads (a fuzzer may run several). */
static __thread char problem_text[XPF_MESSAGE_MAX - XPF_FILE_MAX];

/* How much of a cell a message quotes: enough to find it in the table. */
#define QUOTE_MAX 96
_Static_assert(XPF_LABEL_MAX <= QUOTE_MAX, "a label is quoted whole");

size_t xpf_fold_blanks(const char *in, char *out, size_t size)
{
	size_t n = 0;
	bool blank = false;

	for (; *in; in++) {
		if (isspace((unsigned char)*in)) {
			blank = n > 0;
			continue;
		}
		if (blank) {
			if (n + 1 < size)
				out[n] = ' ';
			n++;
			blank = false;
		}
		if (n + 1 < size)
			out[n] = *in;
		n++;
	}
	if (size)
		out[n < size ? n : size - 1] = '\0';
	return n;
}

static const char *fail(const char *quoted, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *fail(const char *quoted, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(problem_text, sizeof(problem_text), "%s in '%s'", what, quoted);
	return problem_text;
}

/* Digits with optional thousands separators: a comma followed by exactly three digits, as in
 * "50,000". Saturates well above 65535 so that huge numbers report as out of range. */
static const char *parse_number(const char *pos, const char *end, unsigned long *value)
{
	*value = 0;
	if (pos >= end || !isdigit((unsigned char)*pos))
		return NULL;
	while (pos < end) {
		if (isdigit((unsigned char)*pos)) {
			if (*value < 1000000)
				*value = *value * 10 + (unsigned long)(*pos - '0');
			pos++;
		} else if (*pos == ',' && end - pos >= 4 && isdigit((unsigned char)pos[1]) &&
			   isdigit((unsigned char)pos[2]) && isdigit((unsigned char)pos[3]) &&
			   (end - pos == 4 || !isdigit((unsigned char)pos[4]))) {
			pos++;
		} else {
			break;
		}
	}
	return pos;
}

static bool is_separator(char c)
{
	return c == '/' || c == ' ' || c == '(' || c == ')';
}

static bool is_word(const char *token, const char *stop, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(stop - token) == n && !strncasecmp(token, word, n);
}

/* One port token, "5061" or "50001-50003"; NULL or what was wrong with it. */
static const char *parse_port(const char *token, const char *stop, const char *quoted,
			      unsigned long *first, unsigned long *last)
{
	int len = (int)(stop - token);
	const char *num_end, *second = NULL;

	num_end = parse_number(token, stop, first);
	*last = *first;
	if (num_end && num_end < stop && *num_end == '-') {
		second = num_end + 1;
		num_end = parse_number(second, stop, last);
	}
	/* "22,80": a comma not before three digits is no thousands separator but a list. */
	if (num_end && num_end < stop && *num_end == ',')
		return fail(quoted, "a list of ports '%.*s' is not allowed here: write one row per "
			    "port, or a range FIRST-LAST (a comma before three digits is a "
			    "thousands separator, as in 50,000)", len, token);
	if (num_end != stop)
		return fail(quoted, "bad port number '%.*s'", len, token);
	if (*first == 0 || *first > 65535)
		return fail(quoted, "port %.*s out of range 1-65535",
			    (int)((second ? second - 1 : stop) - token), token);
	if (*last == 0 || *last > 65535)
		return fail(quoted, "port %.*s out of range 1-65535", (int)(stop - second), second);
	if (*last < *first)
		return fail(quoted, "reversed port range %.*s", len, token);
	return NULL;
}

/* What a protocol cell's tokens say: its transports, its one port, whether it names TLS. */
struct cell_tokens {
	uint8_t protocols;
	bool have_port, tls;
	unsigned long first, last;
};

/* One token of a protocol cell: a transport, a label word (HTTP, SIP, MTLS, ...) or the port;
 * NULL or what was wrong with it. */
static const char *read_token(const char *token, const char *stop, const char *quoted,
			      struct cell_tokens *t)
{
	if (stop - token == 3 && !strncasecmp(token, "TCP", 3)) {
		t->protocols |= XPF_PROTO_TCP;
		return NULL;
	}
	if (stop - token == 3 && !strncasecmp(token, "UDP", 3)) {
		t->protocols |= XPF_PROTO_UDP;
		return NULL;
	}
	if (!isdigit((unsigned char)*token)) {
		t->tls |= is_word(token, stop, "TLS") || is_word(token, stop, "MTLS");
		return NULL;
	}
	if (t->have_port)
		return fail(quoted, "more than one port: write one row per port, or a range "
			    "FIRST-LAST");
	t->have_port = true;
	return parse_port(token, stop, quoted, &t->first, &t->last);
}

/* Every token of @label, split on separators; NULL or the first problem. */
static const char *read_tokens(const char *label, size_t len, const char *quoted,
			       struct cell_tokens *t)
{
	const char *pos = label, *end = label + len, *token, *problem;

	while (pos < end) {
		while (pos < end && is_separator(*pos))
			pos++;
		if (pos >= end)
			break;
		token = pos;
		while (pos < end && !is_separator(*pos))
			pos++;
		problem = read_token(token, pos, quoted, t);
		if (problem)
			return problem;
	}
	/* TLS and MTLS run over TCP only: a cell that names one and no transport means TCP. */
	if (!t->protocols && t->tls)
		t->protocols = XPF_PROTO_TCP;
	if (!t->protocols)
		return fail(quoted, "no transport (TCP or UDP)");
	if (!t->have_port)
		return fail(quoted, "no port");
	return NULL;
}

int xpf_row_parse_protocol(const char *cell, struct xpf_strings *strings, struct xpf_row *row,
			   const char **problem)
{
	char quoted[QUOTE_MAX + 4], label[XPF_LABEL_MAX];
	struct cell_tokens t = { 0 };
	size_t len;

	row->label = "";
	row->protocols = 0;
	row->port_first = 0;
	row->port_last = 0;
	if (!cell)
		cell = "";
	len = xpf_fold_blanks(cell, label, sizeof(label));
	/* A label that fits is its own quote, whole: folded alike, and shorter than QUOTE_MAX. */
	if (len >= sizeof(label) && xpf_fold_blanks(cell, quoted, QUOTE_MAX + 1) > QUOTE_MAX)
		strcpy(quoted + QUOTE_MAX - 3, "...");
	*problem = len >= sizeof(label) ? fail(quoted, "protocol cell longer than %zu characters",
					       sizeof(label) - 1)
				       : read_tokens(label, len, label, &t);
	if (*problem)
		return -EINVAL;
	/* Labels recur (every row on 443 says HTTPS/TCP 443): one copy each. */
	row->label = xpf_strings_intern(strings, label);
	if (!row->label) {
		row->label = "";
		*problem = "out of memory";
		return -ENOMEM;
	}
	row->protocols = t.protocols;
	row->port_first = (uint16_t)t.first;
	row->port_last = (uint16_t)t.last;
	return 0;
}

/* The words of a transport cell that stand for a transport: the transports themselves, and
 * the protocols of the family's tables that run over one alone (in 2013: no HTTP/3). */
static const struct {
	const char *word;
	uint8_t protocols;
} transport_words[] = {
	{ "TCP", XPF_PROTO_TCP },
	{ "UDP", XPF_PROTO_UDP },
	{ "HTTP", XPF_PROTO_TCP },
	{ "HTTPS", XPF_PROTO_TCP },
	{ "TLS", XPF_PROTO_TCP },
	{ "MTLS", XPF_PROTO_TCP },
	{ "PSOM", XPF_PROTO_TCP },
	{ "DHCP", XPF_PROTO_UDP },
};

int xpf_transport_parse(const char *cell, uint8_t *protocols, const char **problem)
{
	char quoted[QUOTE_MAX + 4];
	uint8_t named = 0, stood_for = 0;
	const char *pos = cell ? cell : "";

	*protocols = 0;
	*problem = NULL;
	if (xpf_fold_blanks(pos, quoted, QUOTE_MAX + 1) > QUOTE_MAX)
		strcpy(quoted + QUOTE_MAX - 3, "...");
	if (!quoted[0]) {
		*problem = "empty protocol cell";
		return -EINVAL;
	}
	while (*pos) {
		const char *token;

		while (*pos && !isalnum((unsigned char)*pos))
			pos++;
		token = pos;
		while (isalnum((unsigned char)*pos))
			pos++;
		for (size_t i = 0; i < sizeof(transport_words) / sizeof(transport_words[0]); i++) {
			if (!is_word(token, pos, transport_words[i].word))
				continue;
			if (i < 2)
				named |= transport_words[i].protocols;
			else
				stood_for |= transport_words[i].protocols;
		}
	}
	/* "TCP (TLS)", "TCP and HTTP", "HTTPS TCP": a transport named is the transport. */
	*protocols = named ?: stood_for;
	if (!*protocols) {
		*problem = fail(quoted, "no transport (TCP or UDP, or a protocol that stands for "
			       "one)");
		return -EINVAL;
	}
	return 0;
}

int xpf_ports_parse(const char *cell, uint16_t *first, uint16_t *last, size_t max,
		    const char **problem)
{
	char quoted[QUOTE_MAX + 4], text[XPF_LABEL_MAX];
	size_t count = 0, len;
	char *pos, *end;

	*problem = NULL;
	if (xpf_fold_blanks(cell ? cell : "", quoted, QUOTE_MAX + 1) > QUOTE_MAX)
		strcpy(quoted + QUOTE_MAX - 3, "...");
	len = xpf_fold_blanks(cell ? cell : "", text, sizeof(text));
	if (len >= sizeof(text)) {
		*problem = fail(quoted, "port cell longer than %zu characters", sizeof(text) - 1);
		return -EINVAL;
	}
	/* "1024-65535 *": the mark of a footnote under the table. */
	while (len && (text[len - 1] == '*' || text[len - 1] == ' '))
		text[--len] = '\0';
	if (!len) {
		*problem = "empty port cell";
		return -EINVAL;
	}
	for (pos = text, end = text + len; pos < end; pos++) {
		unsigned long a, b;
		char *stop = pos;

		while (stop < end && *stop != '/')
			stop++;
		if (stop == pos)
			continue;
		if (count == max) {
			*problem = fail(quoted, "more than %zu ports", max);
			return -EINVAL;
		}
		*problem = parse_port(pos, stop, quoted, &a, &b);
		if (*problem)
			return -EINVAL;
		first[count] = (uint16_t)a;
		last[count++] = (uint16_t)b;
		pos = stop;
	}
	if (!count) {
		*problem = fail(quoted, "no port");
		return -EINVAL;
	}
	return (int)count;
}
