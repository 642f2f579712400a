/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Addresses and prefixes as the site file and the tables write them, and role-name matching.
 * Pure; inet_pton/inet_ntop do the address syntax so that xpf accepts exactly what ip(8) does.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "core/config.h"

/* Longest text worth trying: a full IPv6 address with an IPv4 tail and "/128". */
#define PREFIX_TEXT_MAX (INET6_ADDRSTRLEN + 4)

static void prefix_mask(struct xpf_prefix *prefix)
{
	unsigned int bytes = prefix->family == AF_INET ? 4 : 16;

	for (unsigned int i = 0; i < bytes; i++) {
		int left = (int)prefix->len - (int)i * 8;

		if (left <= 0)
			prefix->addr[i] = 0;
		else if (left < 8)
			prefix->addr[i] &= (uint8_t)(0xff00 >> left);
	}
	/* IPv4 lives in addr[0..3]; the rest stays zero so keys compare byte-wise. */
	if (prefix->family == AF_INET)
		memset(prefix->addr + 4, 0, sizeof(prefix->addr) - 4);
}

int xpf_prefix_parse(const char *text, struct xpf_prefix *out, const char **problem)
{
	char buf[PREFIX_TEXT_MAX + 1];
	const char *start = text, *end, *slash;
	struct xpf_prefix prefix = { 0 };
	unsigned int max_len, len;
	size_t n;

	memset(out, 0, sizeof(*out));
	*problem = "bad address";
	if (!text)
		return -EINVAL;
	while (isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	n = (size_t)(end - start);
	if (n == 0 || n > PREFIX_TEXT_MAX)
		return -EINVAL;
	memcpy(buf, start, n);
	buf[n] = '\0';

	slash = strchr(buf, '/');
	if (slash)
		buf[slash - buf] = '\0';
	if (strchr(buf, ':')) {
		prefix.family = AF_INET6;
		max_len = 128;
	} else {
		prefix.family = AF_INET;
		max_len = 32;
	}
	if (inet_pton(prefix.family, buf, prefix.addr) != 1)
		return -EINVAL;

	len = max_len;
	if (slash) {
		const char *digits = slash + 1;

		*problem = "bad prefix length";
		/* Digits only: strtoul would take "+8", " 8" and "0x8". */
		if (!*digits || strlen(digits) > 3)
			return -EINVAL;
		len = 0;
		for (const char *c = digits; *c; c++) {
			if (!isdigit((unsigned char)*c))
				return -EINVAL;
			len = len * 10 + (unsigned int)(*c - '0');
		}
		if (len > max_len)
			return -EINVAL;
	}
	prefix.len = (uint8_t)len;
	prefix_mask(&prefix);
	*out = prefix;
	*problem = NULL;
	return 0;
}

bool xpf_prefix_contains(const struct xpf_prefix *outer, const struct xpf_prefix *inner)
{
	unsigned int full, rest;

	if (outer->family != inner->family || outer->len > inner->len)
		return false;
	full = outer->len / 8;
	rest = outer->len % 8;
	if (memcmp(outer->addr, inner->addr, full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff00 >> rest);

		if ((outer->addr[full] & mask) != (inner->addr[full] & mask))
			return false;
	}
	return true;
}

void xpf_prefix_format(const struct xpf_prefix *prefix, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned int full = prefix->family == AF_INET ? 32 : 128;

	if (!size)
		return;
	if (!inet_ntop(prefix->family, prefix->addr, addr, sizeof(addr))) {
		snprintf(buf, size, "?");
		return;
	}
	if (prefix->len == full)
		snprintf(buf, size, "%s", addr);
	else
		snprintf(buf, size, "%s/%u", addr, prefix->len);
}

/*
 * "digits and dots, or a colon": 10.0.0.300, 10.0.0.0/33, 2001:db8::/129 are typos of
 * addresses, while "Director" or "Front End pool" are role names. A colon only counts in a
 * word made of hex digits, dots and slashes, so that a role such as "Site A: web" is a name.
 */
bool xpf_looks_like_address(const char *text)
{
	bool colon = false, dot_or_slash = false, hex_letter = false, other = false;
	const char *start = text, *end;

	if (!text)
		return false;
	while (isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	if (start == end)
		return false;
	for (const char *c = start; c < end; c++) {
		unsigned char ch = (unsigned char)*c;

		if (ch == ':')
			colon = true;
		else if (ch == '.' || ch == '/')
			dot_or_slash = true;
		else if (isxdigit(ch) && !isdigit(ch))
			hex_letter = true;
		else if (!isdigit(ch))
			other = true;
	}
	if (other)
		return false;
	if (colon)
		return true;
	return !hex_letter && dot_or_slash && isdigit((unsigned char)*start);
}

bool xpf_role_name_equal(const char *a, const char *b)
{
	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (xpf_ascii_lower(*a) != xpf_ascii_lower(*b))
			return false;
		a++;
		b++;
	}
}
