// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: a page of published port tables (xpf_table_read, user/core/table.c), as any
 * text a site file's `table PATH` may point at.
 */
#include "fuzz_common.h"

#include "core/config.h"
#include <xpf/maps.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_row(const struct xpf_row *row)
{
	FUZZ_CHECK(row->label && row->source && row->destination && row->note && row->file);
	FUZZ_CHECK(strlen(row->label) < XPF_LABEL_MAX);
	FUZZ_CHECK(strlen(row->note) < XPF_NOTE_MAX);
	/* A cell longer than a role name lists roles that are not. */
	for (int i = 0; i < 2; i++) {
		const char *cell = i ? row->destination : row->source;
		struct xpf_role_cell split;

		if (strlen(cell) < XPF_NAME_MAX)
			continue;
		xpf_role_cell_split(cell, &split);
		FUZZ_CHECK(split.count > 0);
	}
	FUZZ_CHECK(row->protocols && !(row->protocols & ~(XPF_PROTO_TCP | XPF_PROTO_UDP)));
	FUZZ_CHECK(row->port_first >= 1 && row->port_first <= row->port_last);
	FUZZ_CHECK(row->source[0] && row->destination[0]);
	FUZZ_CHECK(row->action == XPF_ACTION_PASS);	/* a published table only allows */
	FUZZ_CHECK(row->line >= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xpf_error err = { { 0 } };
	struct xpf_table table;
	char *text = fuzz_text(data, size);
	int ret;

	if (!text)
		return 0;
	memset(&table, 0xab, sizeof(table));
	/* As a site's table is read: rows that cannot be placed reported, not errors. */
	ret = xpf_table_read(text, "fuzz.txt", &table, &err);
	if (ret) {
		FUZZ_CHECK(ret < 0);
		FUZZ_CHECK(err.message[0] && FUZZ_TERMINATED(err.message));
		FUZZ_CHECK(fuzz_is_zero(&table, sizeof(table)));	/* nothing half-parsed */
	} else {
		size_t rows = 0, reports = 0;

		FUZZ_CHECK(table.count == 0 || table.rows);
		for (size_t i = 0; i < table.count; i++)
			check_row(&table.rows[i]);
		/* The tables of the page hold every row and report, in page order. */
		FUZZ_CHECK(table.section_count >= 1);
		for (size_t i = 0; i < table.section_count; i++) {
			const struct xpf_section *section = &table.sections[i];

			FUZZ_CHECK(section->first_row == rows && section->first_report == reports);
			FUZZ_CHECK(section->layout < XPF_LAYOUT_COUNT && section->caption);
			FUZZ_CHECK(section->header_line >= 1 &&
				   section->last_line >= section->header_line);
			rows += section->row_count;
			reports += section->report_count;
		}
		FUZZ_CHECK(rows == table.count && reports == table.report_count);
		for (size_t i = 0; i < table.report_count; i++)
			FUZZ_CHECK(table.reports[i].line >= 1 && table.reports[i].problem[0]);
	}
	xpf_table_free(&table);
	free(text);
	return 0;
}
