/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Between the page reader (table.c) and the rows it makes of each table's cells (table_rows.c).
 * User space only, pure. */
#ifndef XPF_TABLE_ROWS_H
#define XPF_TABLE_ROWS_H

#include "core/config.h"

#define XPF_LAYOUT_CELLS_MAX 5

/* A cell as read: its text with line breaks made blanks, and where it is. */
struct xpf_cell {
	char *text;
	size_t len;
	size_t cap;
	int line;		/* line of its first non-blank character; 0 when blank */
	int bar_line;		/* line of the '|' that ended it: where an empty cell is */
};

/* What the reader and the row maker share while a page is read into a table. */
struct xpf_table_builder {
	struct xpf_table *table;
	struct xpf_error *err;
	const char *file;	/* the table's copy of the page's name */
	bool strict;		/* a reported row is an error */
	size_t row_cap;
	size_t report_cap;
	size_t section_cap;
};

/* The cells a row of @layout has, and their names for messages ("protocol | source | ..."). */
size_t xpf_layout_cells(enum xpf_layout layout);
const char *xpf_layout_columns(enum xpf_layout layout);

/* The text of a cell ("" when none) and the line to name it by. */
const char *xpf_cell_text(const struct xpf_cell *cell);
int xpf_cell_line(const struct xpf_cell *cell);

/* One row of cells into the table: a row per port of its port cell, or a report. 0, -ENOMEM,
 * or -EINVAL when the builder is strict and the row was reported (err says why). */
int xpf_rows_from_cells(struct xpf_table_builder *b, enum xpf_layout layout,
			const struct xpf_cell *cells);

/* Reports a row at @line; strict builders make it the error. */
int xpf_table_report(struct xpf_table_builder *b, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* XPF_TABLE_ROWS_H */
