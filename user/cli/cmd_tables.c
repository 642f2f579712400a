// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * xpf tables [-j]: the built-in pages, each with its title and its tables (caption, layout, the
 * rows it yields and those it reports); xpf tables show NAME[#CAPTION]: a page, or one table
 * of it, as published.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/builtin_tables.h"
#include "core/config.h"


static int read_page(const struct xpf_builtin_table *page, const char *pick,
		     struct xpf_table *table)
{
	struct xpf_error err = { { 0 } };
	int ret;

	memset(table, 0, sizeof(*table));
	ret = xpf_table_add(table, page->text, page->name, pick, &err);
	if (ret)
		xpf_fail_as_is("%s%s%s", ret == -ENOENT ? page->name : "",
			       ret == -ENOENT ? ": " : "", err.message);
	return ret;
}

static void print_page(const struct xpf_builtin_table *page, const struct xpf_table *table)
{
	printf("%s: %s\n", page->name, table->title ? table->title : "");
	for (size_t i = 0; i < table->section_count; i++) {
		const struct xpf_section *section = &table->sections[i];

		printf("  %zu. %s (%s, line %d: %zu rows", i + 1, section->caption,
		       xpf_layout_name(section->layout), section->header_line, section->row_count);
		if (section->report_count)
			printf(", %zu not compiled", section->report_count);
		printf(")\n");
		for (size_t r = 0; r < section->report_count; r++) {
			const struct xpf_report *report = &table->reports[section->first_report + r];

			printf("       line %d: %s\n", report->line, report->problem);
		}
	}
}

static struct json_object *page_json(const struct xpf_builtin_table *page,
				     const struct xpf_table *table)
{
	struct json_object *object = json_object_new_object(), *list = json_object_new_array();

	json_object_object_add(object, "name", json_object_new_string(page->name));
	json_object_object_add(object, "title", json_object_new_string(table->title ?: ""));
	for (size_t i = 0; i < table->section_count; i++) {
		const struct xpf_section *section = &table->sections[i];
		struct json_object *entry = json_object_new_object();
		struct json_object *reports = json_object_new_array();

		json_object_object_add(entry, "caption", json_object_new_string(section->caption));
		json_object_object_add(entry, "layout",
				       json_object_new_string(xpf_layout_name(section->layout)));
		json_object_object_add(entry, "header_line",
				       json_object_new_int(section->header_line));
		json_object_object_add(entry, "rows",
				       json_object_new_int64((int64_t)section->row_count));
		for (size_t r = 0; r < section->report_count; r++) {
			const struct xpf_report *report = &table->reports[section->first_report + r];
			struct json_object *item = json_object_new_object();

			json_object_object_add(item, "line", json_object_new_int(report->line));
			json_object_object_add(item, "problem",
					       json_object_new_string(report->problem));
			json_object_array_add(reports, item);
		}
		json_object_object_add(entry, "not_compiled", reports);
		json_object_array_add(list, entry);
	}
	json_object_object_add(object, "tables", list);
	return object;
}

static int list_pages(bool as_json)
{
	struct json_object *all = json_object_new_array();
	const struct xpf_builtin_table *pages;
	size_t count;
	int status = 0;

	pages = xpf_builtin_tables(&count);
	for (size_t i = 0; i < count; i++) {
		struct xpf_table table;

		if (read_page(&pages[i], NULL, &table)) {
			status = 1;
			continue;
		}
		if (as_json)
			json_object_array_add(all, page_json(&pages[i], &table));
		else
			print_page(&pages[i], &table);
		xpf_table_free(&table);
	}
	if (as_json) {
		struct json_object *document = xpf_json_document();

		json_object_object_add(document, "tables", all);
		xpf_json_print(document);
	} else {
		json_object_put(all);
	}
	return status;
}

/* Lines @first .. @last of @text (from 1), as they are. */
static void print_lines(const char *text, int first, int last)
{
	int line = 1;

	for (const char *pos = text; *pos && line <= last; line++) {
		const char *nl = strchr(pos, '\n');
		size_t len = nl ? (size_t)(nl - pos) : strlen(pos);

		if (line >= first)
			printf("%.*s\n", (int)len, pos);
		pos = nl ? nl + 1 : pos + len;
	}
}

static int show_page(const char *spec)
{
	char name[XPF_FILE_MAX];
	const char *pick = strchr(spec, '#');
	const struct xpf_builtin_table *page;
	struct xpf_table table;

	snprintf(name, sizeof(name), "%.*s", pick ? (int)(pick - spec) : (int)strlen(spec), spec);
	page = xpf_builtin_table(name);
	if (!page) {
		xpf_fail_as_is("xpf tables: no built-in table '%s' (xpf tables lists them)", name);
		return 1;
	}
	if (!pick) {
		fputs(page->text, stdout);
		return 0;
	}
	if (read_page(page, pick + 1, &table))
		return 1;
	/* The table from its caption line (the one above its header) to its last row. */
	print_lines(page->text, table.sections[0].header_line - (table.sections[0].caption[0] != 0),
		    table.sections[0].last_line);
	xpf_table_free(&table);
	return 0;
}

static const struct xpf_option tables_options[] = {
	{},
};

const struct xpf_verb xpf_verb_tables = {
	"tables", cmd_tables, "[show NAME[#CAPTION]]", 0, 2, false,
	"the built-in published tables; show: one page, or one table of it, as published",
	tables_options, true,
};

int cmd_tables(int argc, char **argv)
{
	bool as_json;
	struct xpf_args args;
	int opt;

	xpf_args_start(&args, &xpf_verb_tables);
	opt = xpf_args_next(&args, argc, argv);
	if (opt != XPF_ARGS_END)
		return xpf_args_exit(opt);
	as_json = xpf_json();
	if (args.operands == 0)
		return list_pages(as_json);
	if (args.operands != 2 || strcmp(argv[optind], "show"))
		return xpf_misuse(&xpf_verb_tables, "expected show NAME[#CAPTION], not '%s'",
				  argv[optind]);
	if (as_json)
		return xpf_misuse(&xpf_verb_tables, "show prints the page as published: no -j");
	return show_page(argv[optind + 1]);
}
