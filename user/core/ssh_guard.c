// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/judge.h"
#include "core/ssh_guard.h"

struct ssh_session {
	struct xpf_prefix client, server;
	unsigned long client_port, server_port;
};

/* An address as sshd writes it: a zone ("%eth0") dropped, an IPv4-mapped IPv6 address as the
 * IPv4 address it is. */
static int session_address(const char *text, struct xpf_prefix *out)
{
	char buf[64];
	const char *problem;

	snprintf(buf, sizeof(buf), "%s", text);
	buf[strcspn(buf, "%")] = '\0';
	if (!strncasecmp(buf, "::ffff:", 7) && strchr(buf + 7, '.'))
		memmove(buf, buf + 7, strlen(buf + 7) + 1);
	if (strchr(buf, '/') || xpf_prefix_parse(buf, out, &problem))
		return -EINVAL;
	return out->len == (out->family == AF_INET ? 32 : 128) ? 0 : -EINVAL;
}

static int parse_session(const char *text, struct ssh_session *session)
{
	char client[64], server[64], tail;

	if (sscanf(text, "%63s %lu %63s %lu %c", client, &session->client_port, server,
		   &session->server_port, &tail) != 4 ||
	    session->client_port > 65535 || session->server_port > 65535)
		return -EINVAL;
	return session_address(client, &session->client) ?:
	       session_address(server, &session->server);
}

/* The local role the server's address is in: what the row's destination names. */
static const char *server_role(const struct xpf_site *site, const struct xpf_prefix *server)
{
	for (size_t i = 0; i < site->role_count; i++)
		for (size_t j = 0; site->roles[i].local && j < site->roles[i].count; j++)
			if (xpf_prefix_contains(&site->roles[i].prefixes[j], server))
				return site->roles[i].name;
	return NULL;
}

static void describe(const struct ssh_session *session, const struct xpf_site *site,
		     const struct xpf_ruleset *ruleset, const struct xpf_judgement *judged,
		     char *message, size_t size)
{
	char client[64], server[64], by[256];
	const char *role = server_role(site, &session->server);

	xpf_prefix_format(&session->client, client, sizeof(client));
	xpf_prefix_format(&session->server, server, sizeof(server));
	if (judged->by == XPF_JUDGED_BY_OTHER) {
		snprintf(message, size, "the SSH session from %s port %lu to %s port %lu would be "
			 "dropped: %s is not a local address and `policy other` is drop", client,
			 session->client_port, server, session->server_port, server);
		return;
	}
	if (judged->by == XPF_JUDGED_BY_RULE)
		snprintf(by, sizeof(by), "by the row `deny %s | %s | %s`",
			 ruleset->rules[judged->rule].row.label,
			 ruleset->rules[judged->rule].row.source,
			 ruleset->rules[judged->rule].row.destination);
	else
		snprintf(by, sizeof(by), "by `policy default drop`");
	snprintf(message, size, "the SSH session from %s port %lu to %s port %lu would be dropped "
		 "%s; it needs the row `allow TCP %lu | %s/%d | %s`", client, session->client_port,
		 server, session->server_port, by, session->server_port, client,
		 session->client.len, role ? role : server);
}

int xpf_ssh_guard(const char *ssh_connection, const struct xpf_site *site,
		  const struct xpf_ruleset *ruleset, char *message, size_t size)
{
	struct xpf_judgement judged;
	struct ssh_session session;

	message[0] = '\0';
	if (!ssh_connection || !*ssh_connection)
		return 0;
	if (parse_session(ssh_connection, &session)) {
		snprintf(message, size, "SSH_CONNECTION '%s' is not 'CLIENT-IP CLIENT-PORT "
			 "SERVER-IP SERVER-PORT'", ssh_connection);
		return -EINVAL;
	}
	xpf_ruleset_judge(ruleset, XPF_PROTO_TCP, &session.client, &session.server,
			  (uint16_t)session.server_port, &judged);
	if (judged.action != XPF_ACTION_DROP)
		return 0;
	describe(&session, site, ruleset, &judged, message, size);
	return 1;
}
