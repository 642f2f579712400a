// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/site_format.h"

static const char *action_word(uint8_t action)
{
	return action == XPF_ACTION_DROP ? "drop" : "pass";
}

static void format_tables(const struct xpf_loaded_config *config, FILE *out)
{
	char path[XPF_FILE_MAX];

	for (size_t i = 0; i < config->site.table_count; i++) {
		const struct xpf_site_table *table = &config->site.tables[i];

		xpf_site_table_source(&config->site, table, path, sizeof(path));
		fprintf(out, "table %s%s%s\n", path, table->pick[0] ? "#" : "", table->pick);
	}
}

/* `local A, B` or `protect C`: a directive with no names is not written (a site has one or
 * both). */
static void format_names(FILE *out, const char *directive, const char (*names)[XPF_NAME_MAX],
			 size_t count)
{
	if (!count)
		return;
	fprintf(out, "%s", directive);
	for (size_t i = 0; i < count; i++)
		fprintf(out, "%s %s", i ? "," : "", names[i]);
	fprintf(out, "\n");
}

static void format_roles(const struct xpf_site *site, FILE *out)
{
	char prefix[INET6_ADDRSTRLEN + 4];

	if (site->local_auto)
		fprintf(out, "local auto\n");
	else
		format_names(out, "local", site->local_names, site->local_name_count);
	format_names(out, "protect", site->protect_names, site->protect_name_count);
	for (size_t i = 0; i < site->role_count; i++) {
		const struct xpf_role *role = &site->roles[i];

		fprintf(out, "role %s =%s", role->name, role->count ? "" : " none");
		for (size_t j = 0; j < role->count; j++) {
			xpf_prefix_format(&role->prefixes[j], prefix, sizeof(prefix));
			fprintf(out, "%s %s", j ? "," : "", prefix);
		}
		fprintf(out, "\n");
	}
}

static void format_rows(const struct xpf_site *site, FILE *out)
{
	for (size_t i = 0; i < site->row_count; i++) {
		const struct xpf_row *row = &site->rows[i];

		fprintf(out, "%s %s | %s | %s%s%s\n", row->action == XPF_ACTION_DROP ? "deny" : "allow",
			row->label, row->source, row->destination, row->note && row->note[0] ? " | " : "",
			row->note ? row->note : "");
	}
}

static void format_policies(const struct xpf_site *site, FILE *out)
{
	const struct xpf_policy *policy = &site->policy;

	fprintf(out, "policy default %s\npolicy other %s\npolicy icmp %s\npolicy fragments %s\n",
		action_word(policy->default_action), action_word(policy->other_action),
		action_word(policy->icmp_action),
		policy->fragments == XPF_FRAGMENTS_DROP ? "drop" : "track");
	fprintf(out, "timeout tcp %u\ntimeout udp %u\nlog rate %u/s\nflows max %u\n",
		policy->tcp_timeout_s, policy->udp_timeout_s, policy->log_rate, policy->flows);
	if (site->audit >= 0)
		fprintf(out, "audit %s\n", site->audit ? "on" : "off");
}

int xpf_site_format(const struct xpf_loaded_config *config, FILE *out)
{
	format_tables(config, out);
	format_roles(&config->site, out);
	format_rows(&config->site, out);
	format_policies(&config->site, out);
	return ferror(out) ? -EIO : 0;
}

int xpf_site_format_text(const struct xpf_loaded_config *config, char **text)
{
	size_t size;
	FILE *out = open_memstream(text, &size);
	int err;

	if (!out)
		return -ENOMEM;
	err = xpf_site_format(config, out);
	if (fclose(out))
		err = err ?: -ENOMEM;
	if (err) {
		free(*text);
		*text = NULL;
	}
	return err;
}
