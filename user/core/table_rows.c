// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A table's row of cells → rows of the rule set's kind (docs/tables.md): in the flows layout
 * the row names its protocol and port, source and destination; the other layouts say which
 * hosts listen (server roles, load balancers: source Any) or which ports a client opens
 * (components: destination Any), with the port and the transport in cells of their own, and a
 * port cell of two ports ("67/68") makes two rows. A row that cannot be placed is reported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/table_rows.h"
#include "lib/huge_pages.h"
#include "lib/vector.h"
#include <xpf/maps.h>

#define ROW_PORTS_MAX 8

static const struct {
	const char *name;
	const char *columns;
	size_t cells;
} layouts[XPF_LAYOUT_COUNT] = {
	[XPF_LAYOUT_FLOWS] = { "flows", "protocol | source | destination | notes |", 4 },
	[XPF_LAYOUT_SERVER_PORTS] = { "server ports",
				      "server role | service name | port | protocol | notes |", 5 },
	[XPF_LAYOUT_LOAD_BALANCER] = { "load balancer ports", "load balancer | port | protocol |",
				       3 },
	[XPF_LAYOUT_CLIENT_PORTS] = { "client ports", "component | port | protocol | notes |", 4 },
};

const char *xpf_layout_name(enum xpf_layout layout)
{
	return layout < XPF_LAYOUT_COUNT ? layouts[layout].name : "?";
}

size_t xpf_layout_cells(enum xpf_layout layout)
{
	return layouts[layout].cells;
}

const char *xpf_layout_columns(enum xpf_layout layout)
{
	return layouts[layout].columns;
}

const char *xpf_cell_text(const struct xpf_cell *cell)
{
	return cell->text ? cell->text : "";
}

int xpf_cell_line(const struct xpf_cell *cell)
{
	return cell->line ? cell->line : cell->bar_line;
}

int xpf_table_report(struct xpf_table_builder *b, int line, const char *fmt, ...)
{
	struct xpf_table *table = b->table;
	char problem[XPF_MESSAGE_MAX];
	struct xpf_report *report;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	if (b->strict)
		return xpf_error_set(b->err, b->file, line, "%s", problem);
	if (xpf_array_reserve(&table->reports, &b->report_cap, table->report_count + 1, 8))
		return -ENOMEM;
	report = &table->reports[table->report_count];
	report->file = b->file;
	report->line = line;
	report->problem = xpf_strings_add(&table->strings, problem);
	if (!report->problem)
		return -ENOMEM;
	table->report_count++;
	return 0;
}

/* Cuts @in, blanks folded, to fit @size at a character boundary: a UTF-8 sequence is never
 * split. */
static void copy_cut(char *out, size_t size, const char *in)
{
	size_t n = xpf_fold_blanks(in, out, size), start, need;
	unsigned char lead;

	if (n < size)
		return;
	n = size - 1;
	start = n - 1;
	while (start > 0 && ((unsigned char)out[start] & 0xc0) == 0x80)
		start--;
	lead = (unsigned char)out[start];
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	if (start + need > n)
		n = start;
	out[n] = '\0';
}

static int push_row(struct xpf_table_builder *b, const struct xpf_row *row)
{
	struct xpf_table *table = b->table;

	if (table->count == b->row_cap) {
		if (xpf_array_reserve(&table->rows, &b->row_cap, table->count + 1, 16))
			return -ENOMEM;
		xpf_advise_huge_pages(table->rows, b->row_cap * sizeof(*table->rows));
	}
	table->rows[table->count++] = *row;
	return 0;
}

static bool cell_blank(const struct xpf_cell *cell)
{
	return !cell->line;
}

/* A role cell, blanks folded, into the table's strings (one copy of each: role names recur on
 * every row that names them, and so do literal addresses). Long cells are fine when they list
 * roles short enough to define; NULL with *ret set when the row is reported or on -ENOMEM. */
static const char *role_cell(struct xpf_table_builder *b, const struct xpf_cell *cell,
			     const char *what, const char *row_name, int *ret)
{
	size_t size = cell->len + 1, n;
	struct xpf_role_cell parts;
	char *folded, *copy = NULL, small[256];

	*ret = 0;
	if (cell_blank(cell)) {
		*ret = xpf_table_report(b, xpf_cell_line(cell), "empty %s cell in the row of '%s'",
					what, row_name);
		return NULL;
	}
	/* A cell of a name or two is folded on the stack; a longer one (a list of roles) in
	 * memory of its size. */
	folded = size <= sizeof(small) ? small : malloc(size);
	if (!folded) {
		*ret = -ENOMEM;
		return NULL;
	}
	n = xpf_fold_blanks(xpf_cell_text(cell), folded, size);
	if (n >= XPF_NAME_MAX) {
		xpf_role_cell_split(folded, &parts);
		if (!parts.count) {
			*ret = xpf_table_report(b, xpf_cell_line(cell),
						"%s cell longer than %d characters", what,
						XPF_NAME_MAX - 1);
			if (folded != small)
				free(folded);
			return NULL;
		}
	}
	copy = (char *)xpf_strings_intern(&b->table->strings, folded);
	if (folded != small)
		free(folded);
	if (!copy)
		*ret = -ENOMEM;
	return copy;
}

static bool row_blank(const struct xpf_cell *cells, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (!cell_blank(&cells[i]))
			return false;
	return true;
}

static int flows_row(struct xpf_table_builder *b, const struct xpf_cell *cells)
{
	struct xpf_strings *strings = &b->table->strings;
	char note[XPF_NOTE_MAX];
	struct xpf_row row;
	const char *problem;
	int ret;

	memset(&row, 0, sizeof(row));
	row.line = xpf_cell_line(&cells[0]);
	row.action = XPF_ACTION_PASS;
	row.file = b->file;
	ret = xpf_row_parse_protocol(xpf_cell_text(&cells[0]), strings, &row, &problem);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		return xpf_table_report(b, row.line, "%s", problem);
	row.source = role_cell(b, &cells[1], "source", row.label, &ret);
	if (!row.source)
		return ret;
	row.destination = role_cell(b, &cells[2], "destination", row.label, &ret);
	if (!row.destination)
		return ret;
	row.note = "";
	if (!b->table->without_notes) {
		copy_cut(note, sizeof(note), xpf_cell_text(&cells[3]));
		row.note = xpf_strings_add(&b->table->notes, note);
	}
	if (!row.note)
		return -ENOMEM;
	return push_row(b, &row);
}

/* Where the port and the transport have cells of their own: which cell is which. */
struct port_cells {
	int host;		/* the role that listens, or the client that opens */
	int service;		/* -1: none */
	int port;
	int protocol;
	int notes;		/* -1: none */
	bool host_opens;	/* the host is the source (client ports), else the destination */
};

static const struct port_cells port_layouts[XPF_LAYOUT_COUNT] = {
	[XPF_LAYOUT_SERVER_PORTS] = { 0, 1, 2, 3, 4, false },
	[XPF_LAYOUT_LOAD_BALANCER] = { 0, -1, 1, 2, -1, false },
	[XPF_LAYOUT_CLIENT_PORTS] = { 0, -1, 1, 2, 3, true },
};

/* A ports row's label and note, as published: the transport cell then the port cell (a long
 * transport cell, notes written into it, is cut, not the port); the service and the notes. */
static int ports_row_text(struct xpf_table_builder *b, const struct port_cells *at,
			  const struct xpf_cell *cells, const char **label_copy,
			  const char **note_copy)
{
	char label[XPF_LABEL_MAX], port[24], joined[2 * XPF_LABEL_MAX + 2];
	char note[XPF_NOTE_MAX], notes[2 * XPF_NOTE_MAX + 4];
	bool both = at->service >= 0 && !cell_blank(&cells[at->service]) && at->notes >= 0 &&
		    !cell_blank(&cells[at->notes]);

	copy_cut(port, sizeof(port), xpf_cell_text(&cells[at->port]));
	copy_cut(label, sizeof(label) - strlen(port) - 1, xpf_cell_text(&cells[at->protocol]));
	snprintf(joined, sizeof(joined), "%s %s", label, port);
	copy_cut(label, sizeof(label), joined);
	*label_copy = xpf_strings_intern(&b->table->strings, label);
	*note_copy = "";
	if (b->table->without_notes)
		return *label_copy ? 0 : -ENOMEM;
	snprintf(notes, sizeof(notes), "%s%s%s",
		 at->service >= 0 ? xpf_cell_text(&cells[at->service]) : "", both ? ": " : "",
		 at->notes >= 0 ? xpf_cell_text(&cells[at->notes]) : "");
	copy_cut(note, sizeof(note), notes);
	*note_copy = xpf_strings_add(&b->table->notes, note);
	return *label_copy && *note_copy ? 0 : -ENOMEM;
}

/* A ports row's cells that must hold something, and its ports and transports; *@count is -1
 * when the row was reported (not compiled). 0 or an error. */
static int ports_row_cells(struct xpf_table_builder *b, const struct port_cells *at,
			   const struct xpf_cell *cells, const char *name, uint16_t *first,
			   uint16_t *last, int *count, uint8_t *protocols)
{
	const struct xpf_cell *host = &cells[at->host];
	const char *problem;
	int ports;

	*count = -1;	/* until the row is whole: a reported row makes none */
	if (cell_blank(host))
		return xpf_table_report(b, xpf_cell_line(host), "empty %s cell in the row of port %s",
					at->host_opens ? "component" : "role",
					xpf_cell_text(&cells[at->port]));
	if (cell_blank(&cells[at->port]))
		return xpf_table_report(b, xpf_cell_line(&cells[at->port]),
					"empty port cell in the row of '%s'", name);
	ports = xpf_ports_parse(xpf_cell_text(&cells[at->port]), first, last, ROW_PORTS_MAX,
				&problem);
	if (ports < 0)
		return xpf_table_report(b, xpf_cell_line(&cells[at->port]), "%s", problem);
	if (cell_blank(&cells[at->protocol]))
		return xpf_table_report(b, xpf_cell_line(&cells[at->protocol]),
					"empty protocol cell in the row of '%s', port %s: no "
					"transport", name, xpf_cell_text(&cells[at->port]));
	if (xpf_transport_parse(xpf_cell_text(&cells[at->protocol]), protocols, &problem))
		return xpf_table_report(b, xpf_cell_line(&cells[at->protocol]), "%s", problem);
	*count = ports;
	return 0;
}

static int ports_row(struct xpf_table_builder *b, enum xpf_layout layout,
		     const struct xpf_cell *cells)
{
	const struct port_cells *at = &port_layouts[layout];
	uint16_t first[ROW_PORTS_MAX], last[ROW_PORTS_MAX];
	const char *role, *any, *label, *note;
	int ret, count;
	struct xpf_row row;
	uint8_t protocols;
	char name[48];

	copy_cut(name, sizeof(name), xpf_cell_text(&cells[at->host]));
	ret = ports_row_cells(b, at, cells, name, first, last, &count, &protocols);
	if (ret || count < 0)
		return ret;
	role = role_cell(b, &cells[at->host], at->host_opens ? "component" : "role", name, &ret);
	if (!role)
		return ret;
	any = xpf_strings_intern(&b->table->strings, "Any");
	ret = ports_row_text(b, at, cells, &label, &note);
	if (ret || !any)
		return -ENOMEM;
	for (int i = 0; i < count && !ret; i++) {
		memset(&row, 0, sizeof(row));
		row.line = xpf_cell_line(&cells[0]);
		row.file = b->file;
		row.action = XPF_ACTION_PASS;
		row.label = label;
		row.note = note;
		row.protocols = protocols;
		row.port_first = first[i];
		row.port_last = last[i];
		row.source = at->host_opens ? role : any;
		row.destination = at->host_opens ? any : role;
		ret = push_row(b, &row);
	}
	return ret;
}

int xpf_rows_from_cells(struct xpf_table_builder *b, enum xpf_layout layout,
			const struct xpf_cell *cells)
{
	if (row_blank(cells, xpf_layout_cells(layout)))
		return xpf_table_report(b, cells[0].bar_line, "empty row");
	if (layout == XPF_LAYOUT_FLOWS)
		return flows_row(b, cells);
	return ports_row(b, layout, cells);
}
