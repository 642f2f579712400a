// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/builtin_tables.h"
#include "core/config_load.h"
#include "core/file_trust.h"
#include "core/host_roles.h"
#include "core/prefix_list.h"
#include "lib/huge_pages.h"
#include "lib/vector.h"

static bool trusted_files_only;
/* The addresses a `local auto` site is built for (xpf_config_set_host). */
static const struct xpf_prefix *host_addrs;
static size_t host_addr_count;

void xpf_config_set_host(const struct xpf_prefix *addrs, size_t count)
{
	host_addrs = addrs;
	host_addr_count = count;
}

void xpf_config_require_trusted_files(bool required)
{
	trusted_files_only = required;
}

/* A regular file is read into one buffer of its size (a large table would otherwise be copied
 * at every doubling); anything else grows as it comes. */
static size_t first_capacity(FILE *file)
{
	struct stat st;

	if (!fstat(fileno(file), &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < XPF_MAX_INPUT_BYTES)
		return (size_t)st.st_size + 2;
	return 4096;
}

/* All of @file into *@buf, with a byte to spare after its *@length; *@buf is the caller's to
 * free whatever the outcome. -ENOMEM without a message. */
static int read_all(FILE *file, const char *path, char **buf, size_t *length,
		    struct xpf_error *err)
{
	size_t capacity = first_capacity(file), got;

	*length = 0;
	*buf = malloc(capacity);
	if (!*buf)
		return -ENOMEM;
	xpf_advise_huge_pages(*buf, capacity);
	while ((got = fread(*buf + *length, 1, capacity - *length - 1, file)) > 0) {
		*length += got;
		if (*length > XPF_MAX_INPUT_BYTES)
			return xpf_error_set(err, path, 0, "larger than %u bytes",
					     XPF_MAX_INPUT_BYTES);
		/* Room for the next byte and the NUL. */
		if (xpf_array_reserve(buf, &capacity, *length + 2, capacity))
			return -ENOMEM;
	}
	/* A directory opens, then fails here with EISDIR: say that. */
	if (ferror(file))
		return xpf_error_set(err, path, 0, "cannot read: %s", strerror(errno));
	return 0;
}

int xpf_read_file(const char *path, char **text, struct xpf_error *err)
{
	size_t length;
	char *buf = NULL;
	FILE *file;
	int ret = 0;

	*text = NULL;
	file = fopen(path, "r");
	if (!file) {
		ret = -errno;
		xpf_error_set(err, path, 0, "cannot read: %s", strerror(-ret));
		return ret;
	}
	/* Checked on the file opened, not on the name: nothing can be swapped in between. */
	if (trusted_files_only)
		ret = xpf_file_check_trusted(fileno(file), path, err);
	ret = ret ?: read_all(file, path, &buf, &length, err);
	if (!ret && memchr(buf, '\0', length))
		ret = xpf_error_set(err, path, 0, "not a text file (contains a NUL byte)");
	if (!ret) {
		buf[length] = '\0';
		*text = buf;
		buf = NULL;
	}
	if (ret == -ENOMEM)
		xpf_error_set(err, path, 0, "out of memory");
	free(buf);
	fclose(file);
	return ret;
}

/* "; built in: NAME, NAME, ..." into @buf. */
static void list_builtin_tables(char *buf, size_t size)
{
	size_t count, used;
	const struct xpf_builtin_table *tables = xpf_builtin_tables(&count);

	used = (size_t)snprintf(buf, size, "; built in: ");
	for (size_t i = 0; i < count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
					 tables[i].name);
}

/* Where a `table` line's page is: a built-in name, an absolute path, or a path relative to
 * the site file's folder, joined to it. -ENAMETOOLONG when it does not fit. */
static int page_name(const struct xpf_site *site, const struct xpf_site_table *entry, char *name,
		     size_t size)
{
	const struct xpf_builtin_table *builtin = xpf_builtin_table(entry->name);
	char *site_copy;
	int length;

	if (builtin)
		length = snprintf(name, size, "%s", builtin->name);
	else if (entry->name[0] == '/')
		length = snprintf(name, size, "%s", entry->name);
	else {
		site_copy = strdup(site->file);
		if (!site_copy)
			return -ENOMEM;
		length = snprintf(name, size, "%s/%s", dirname(site_copy), entry->name);
		free(site_copy);
	}
	return length >= (int)size ? -ENAMETOOLONG : 0;
}

void xpf_site_table_source(const struct xpf_site *site, const struct xpf_site_table *entry,
			   char *name, size_t size)
{
	char absolute[PATH_MAX];

	if (page_name(site, entry, name, size))
		snprintf(name, size, "%s", entry->name);
	else if (!xpf_builtin_table(entry->name) && realpath(name, absolute) &&
		 strlen(absolute) < size)
		strcpy(name, absolute);
}

/* The text of a `table` line's page: built in, or read from its path (relative to the site
 * file's folder); *name is then what the rows are from. */
static int page_text(const struct xpf_site *site, const struct xpf_site_table *entry,
		     char *name, size_t size, char **text, bool *owned, struct xpf_error *err)
{
	const struct xpf_builtin_table *builtin = xpf_builtin_table(entry->name);
	int ret = page_name(site, entry, name, size);

	*owned = false;
	if (ret == -ENAMETOOLONG)
		return xpf_error_set(err, site->file, entry->line, "table path too long");
	if (ret)
		return ret;
	if (builtin) {
		*text = (char *)builtin->text;
		return 0;
	}
	ret = xpf_read_file(name, text, err);
	if (ret == -EPERM)
		return ret;	/* the message names the table file and says why */
	if (ret) {
		/* Say which line of the site file named it, and, for a name that is no path,
		 * the names it could have meant. */
		char cause[XPF_MESSAGE_MAX], builtins[XPF_MESSAGE_MAX / 2] = "";

		snprintf(cause, sizeof(cause), "%s", err->message);
		if (!strchr(entry->name, '/'))
			list_builtin_tables(builtins, sizeof(builtins));
		return xpf_error_set(err, site->file, entry->line,
				     "table '%s' is neither built in nor readable (%s)%s", entry->name,
				     cause, builtins);
	}
	*owned = true;
	return 0;
}

/* config->table_name: the pages read, with the table picked of each ("a#b, c"), cut to fit. */
static void name_tables(struct xpf_loaded_config *config, const struct xpf_site_table *entry,
			const char *name)
{
	size_t used = strlen(config->table_name), size = sizeof(config->table_name);

	snprintf(config->table_name + used, size - used, "%s%s%s%s", used ? ", " : "", name,
		 entry->pick[0] ? "#" : "", entry->pick);
}

static int load_tables(struct xpf_loaded_config *config, struct xpf_error *err)
{
	const struct xpf_site *site = &config->site;
	char name[XPF_FILE_MAX];

	/* xpf_config_build() drops the notes unread: none is kept. */
	config->table.without_notes = true;
	for (size_t i = 0; i < site->table_count; i++) {
		const struct xpf_site_table *entry = &site->tables[i];
		char *text = NULL;
		bool owned;
		int ret = page_text(site, entry, name, sizeof(name), &text, &owned, err);

		if (ret)
			return ret;
		ret = xpf_table_add(&config->table, text, name, entry->pick, err);
		if (owned)
			free(text);
		if (ret == -ENOENT) {
			char cause[XPF_MESSAGE_MAX];

			snprintf(cause, sizeof(cause), "%s", err->message);
			return xpf_error_set(err, site->file, entry->line, "table '%s': %s",
					     entry->name, cause);
		}
		if (ret)
			return ret;
		name_tables(config, entry, name);
	}
	return 0;
}

int xpf_config_read_text(const char *text, const char *name, struct xpf_loaded_config *config,
			 struct xpf_error *err)
{
	int ret;

	memset(config, 0, sizeof(*config));
	ret = xpf_site_parse(text, name, &config->site, err);
	if (!ret)
		ret = load_tables(config, err);
	if (ret)
		xpf_config_free(config);
	return ret;
}

int xpf_config_read(const char *site_path, struct xpf_loaded_config *config,
		    struct xpf_error *err)
{
	char *text = NULL;
	int ret;

	memset(config, 0, sizeof(*config));
	ret = xpf_read_file(site_path, &text, err);
	if (ret)
		return ret;
	ret = xpf_config_read_text(text, site_path, config, err);
	free(text);
	return ret;
}

/* A list's path: as written when absolute, else relative to the site file's folder. */
static int list_path(const char *site_file, const char *name, char *path, size_t size)
{
	char *site_copy;
	int length;

	if (name[0] == '/')
		return snprintf(path, size, "%s", name) >= (int)size ? -ENAMETOOLONG : 0;
	site_copy = strdup(site_file);
	if (!site_copy)
		return -ENOMEM;
	length = snprintf(path, size, "%s/%s", dirname(site_copy), name);
	free(site_copy);
	return length >= (int)size ? -ENAMETOOLONG : 0;
}

/* The prefixes of the list rule @rule from its file, read as the site file is (trust checks
 * included). A file that cannot be read is reported at the site file's line. */
static int read_list(const char *site_file, const struct xpf_rule *rule,
		     struct xpf_prefix_list *list, struct xpf_error *err)
{
	char path[XPF_FILE_MAX * 2], cause[XPF_MESSAGE_MAX], *text = NULL;
	int ret = list_path(site_file, rule->row.source, path, sizeof(path));

	if (ret == -ENAMETOOLONG)
		return xpf_error_set(err, site_file, rule->row.line, "list path too long");
	if (ret)
		return ret;
	ret = xpf_read_file(path, &text, err);
	if (ret == -EPERM)
		return ret;	/* the message names the list file and says why */
	if (ret) {
		snprintf(cause, sizeof(cause), "%s", err->message);
		return xpf_error_set(err, site_file, rule->row.line, "list '%s' is not readable "
				     "(%s)", rule->row.source, cause);
	}
	ret = xpf_prefix_list_parse(text, path, list, err);
	free(text);
	return ret;
}

static int read_lists(struct xpf_loaded_config *config, struct xpf_error *err)
{
	struct xpf_ruleset *ruleset = &config->ruleset;
	int ret = 0;

	if (!config->site.list_count)
		return 0;
	ruleset->lists = calloc(config->site.list_count, sizeof(*ruleset->lists));
	if (!ruleset->lists)
		return xpf_error_set(err, config->site.file, 0, "out of memory"), -ENOMEM;
	ruleset->list_count = config->site.list_count;
	for (size_t i = 0; i < ruleset->count && !ret; i++)
		if (ruleset->rules[i].list)
			ret = read_list(config->site.file, &ruleset->rules[i],
					&ruleset->lists[ruleset->rules[i].list - 1], err);
	return ret;
}

int xpf_config_build(struct xpf_loaded_config *config, struct xpf_error *err)
{
	int ret;

	/* Nothing reads the notes: they go before the rule set is built beside the rows. */
	xpf_table_free_notes(&config->table);
	ret = xpf_site_take_host(&config->site, host_addrs, host_addr_count, err);
	if (ret) {
		xpf_config_free(config);
		return ret;
	}
	/* The rule set takes the table's strings, and holds all it needs from the table: a
	 * large table's rows go now, before the image is compiled beside them. */
	ret = xpf_ruleset_build_adopting(&config->site, &config->table, &config->ruleset, err);
	xpf_table_free(&config->table);
	ret = ret ?: read_lists(config, err);
	if (ret)
		xpf_config_free(config);
	return ret;
}

int xpf_config_load(const char *site_path, struct xpf_loaded_config *config, struct xpf_error *err)
{
	return xpf_config_read(site_path, config, err) ?: xpf_config_build(config, err);
}

void xpf_config_free(struct xpf_loaded_config *config)
{
	xpf_ruleset_free(&config->ruleset);
	xpf_table_free(&config->table);
	xpf_site_free(&config->site);
}
