// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: a published port table (xpf_table_parse, user/core/table.c), as any text a
 * site file's `table PATH` may point at.
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
	FUZZ_CHECK(strlen(row->source) < XPF_NAME_MAX && strlen(row->destination) < XPF_NAME_MAX &&
		   strlen(row->note) < XPF_NOTE_MAX);
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
	ret = xpf_table_parse(text, "fuzz.txt", &table, &err);
	if (ret) {
		FUZZ_CHECK(ret < 0);
		FUZZ_CHECK(err.message[0] && FUZZ_TERMINATED(err.message));
		FUZZ_CHECK(fuzz_is_zero(&table, sizeof(table)));	/* nothing half-parsed */
	} else {
		FUZZ_CHECK(table.count == 0 || table.rows);
		for (size_t i = 0; i < table.count; i++)
			check_row(&table.rows[i]);
	}
	xpf_table_free(&table);
	free(text);
	return 0;
}
