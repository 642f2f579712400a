/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A published port table, verbatim: vendor pages copied as text keep their prose and lay a
 * table out as "cell |" runs whose cells wrap across lines. The parser skips the prose, finds
 * the header row by its Source and Destination cells, skips the "---|" row, and then reads
 * '|'-terminated cells four to a row: protocol, source, destination, notes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "lib/huge_pages.h"
#include <xpf/maps.h>

#define TABLE_CELLS 4

struct cell {
	char *text;
	size_t len;
	size_t cap;
	int line;		/* line of its first non-blank character */
	int bar_line;		/* line of the '|' that ended it: where an empty cell is */
};

static bool span_contains_ci(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++) {
		size_t j = 0;

		while (j < w && tolower((unsigned char)s[i + j]) == word[j])
			j++;
		if (j == w)
			return true;
	}
	return false;
}

/* The header row: a line of '|' cells, one naming the source and one the destination. */
static bool is_header(const char *line, size_t n)
{
	bool source = false, destination = false;
	const char *cell = line, *end = line + n;

	if (!memchr(line, '|', n))
		return false;
	while (cell < end) {
		const char *bar = memchr(cell, '|', (size_t)(end - cell));
		size_t len = (size_t)((bar ? bar : end) - cell);

		source |= span_contains_ci(cell, len, "source");
		destination |= span_contains_ci(cell, len, "destination");
		cell += len + 1;
	}
	return source && destination;
}

/* "---|---|---|---|" and its markdown variants (":--:", "| --- |"). */
static bool is_separator(const char *line, size_t n)
{
	bool dash = false;

	for (size_t i = 0; i < n; i++) {
		if (line[i] == '-')
			dash = true;
		else if (line[i] != '|' && line[i] != ':' && !isspace((unsigned char)line[i]))
			return false;
	}
	return dash;
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static int cell_append(struct cell *cell, char c)
{
	if (cell->len + 1 >= cell->cap) {
		size_t cap = cell->cap ? cell->cap * 2 : 256;
		char *text = realloc(cell->text, cap);

		if (!text)
			return -ENOMEM;
		cell->text = text;
		cell->cap = cap;
	}
	cell->text[cell->len++] = c;
	cell->text[cell->len] = '\0';
	return 0;
}

static void cell_reset(struct cell *cell)
{
	cell->len = 0;
	if (cell->text)
		cell->text[0] = '\0';
	cell->line = 0;
	cell->bar_line = 0;
}

static int cell_line(const struct cell *cell)
{
	return cell->line ? cell->line : cell->bar_line;
}

static const char *cell_text(const struct cell *cell)
{
	return cell->text ? cell->text : "";
}

/* Cuts a note at a character boundary: a UTF-8 sequence is never split. */
static void copy_note(char *out, size_t size, const char *in)
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

/* Role names recur on every row that names them (the destination on nearly all), and so do
 * literal addresses, a host or a network on each of its ports: one copy each (the
 * 100,000-row benchmark table's 100,000 literals are 48,192 addresses, 1 MB less). The index
 * goes when the table is read. */
static const char *cell_copy(struct xpf_strings *strings, const char *cell)
{
	return xpf_strings_intern(strings, cell);
}

static int row_from_cells(struct cell *cells, const char *file, struct xpf_table *table,
			  struct xpf_row *row, struct xpf_error *err)
{
	struct xpf_strings *strings = &table->strings;
	static const char *const names[TABLE_CELLS] = { NULL, "source", "destination", NULL };
	char source[XPF_NAME_MAX], destination[XPF_NAME_MAX], note[XPF_NOTE_MAX];
	char *targets[TABLE_CELLS] = { NULL, source, destination, NULL };
	const char *problem;
	int line = cell_line(&cells[0]), ret;

	memset(row, 0, sizeof(*row));
	row->line = line;
	row->action = XPF_ACTION_PASS;
	row->file = file;
	ret = xpf_row_parse_protocol(cell_text(&cells[0]), strings, row, &problem);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		return xpf_error_set(err, file, line, "%s", problem);
	for (int i = 1; i <= 2; i++) {
		size_t n = xpf_fold_blanks(cell_text(&cells[i]), targets[i], XPF_NAME_MAX);
		int at = cell_line(&cells[i]);

		if (n == 0)
			return xpf_error_set(err, file, at, "empty %s cell in the row of '%s'",
					     names[i], row->label);
		if (n >= XPF_NAME_MAX)
			return xpf_error_set(err, file, at, "%s cell longer than %d characters",
					     names[i], XPF_NAME_MAX - 1);
	}
	copy_note(note, sizeof(note), cell_text(&cells[3]));
	row->source = cell_copy(strings, source);
	row->destination = cell_copy(strings, destination);
	row->note = xpf_strings_add(&table->notes, note);
	if (!row->source || !row->destination || !row->note)
		return xpf_error_set(err, file, line, "out of memory");
	return 0;
}

static int push_row(struct xpf_table *table, size_t *cap, const struct xpf_row *row)
{
	if (table->count == *cap) {
		size_t n = *cap ? *cap * 2 : 16;
		struct xpf_row *rows = realloc(table->rows, n * sizeof(*rows));

		if (!rows)
			return -ENOMEM;
		table->rows = rows;
		*cap = n;
		xpf_advise_huge_pages(rows, n * sizeof(*rows));
	}
	table->rows[table->count++] = *row;
	return 0;
}

int xpf_table_parse(const char *text, const char *file, struct xpf_table *table,
		    struct xpf_error *err)
{
	struct cell cells[TABLE_CELLS] = { 0 };
	const char *pos, *end, *last_bar;
	bool leading_bar = false, found = false;
	size_t cap = 0, ncells = 0;
	struct xpf_row row;
	int line = 1, ret = 0;

	memset(table, 0, sizeof(*table));
	if (!file)
		file = "";
	if (!text)
		text = "";
	/* The rows' file name: the table's own copy, since @file may not outlive it. */
	file = xpf_strings_intern(&table->strings, file);
	if (!file) {
		xpf_error_set(err, "", 0, "out of memory");
		return -ENOMEM;
	}
	end = text + strlen(text);

	/* Prose comes first and may mention ports ("HTTP/TCP 8080"): skip to the header. */
	for (pos = text; pos < end; line++) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = (size_t)((nl ? nl : end) - pos);

		if (is_header(pos, n)) {
			const char *c = pos;

			while (c < pos + n && isspace((unsigned char)*c))
				c++;
			leading_bar = *c == '|';
			found = true;
		}
		pos = nl ? nl + 1 : end;
		if (found) {
			line++;
			break;
		}
	}
	if (!found) {
		ret = xpf_error_set(err, file, 0, "no header row found (a '|' row naming "
				    "Source and Destination)");
		xpf_table_free(table);	/* the file name's copy: nothing is left half made */
		return ret;
	}

	/* The "---|" row; blank lines before it do not matter. */
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		size_t n = (size_t)((nl ? nl : end) - pos);

		if (is_blank(pos, n)) {
			pos = nl ? nl + 1 : end;
			line++;
			continue;
		}
		if (is_separator(pos, n)) {
			pos = nl ? nl + 1 : end;
			line++;
		}
		break;
	}

	/* Text after the last '|' at a row boundary is prose that follows the table. */
	last_bar = NULL;
	for (const char *c = end; c > pos; c--) {
		if (c[-1] == '|') {
			last_bar = c - 1;
			break;
		}
	}

	for (; pos < end; pos++) {
		struct cell *cell = &cells[ncells];
		char c = *pos;

		if (ncells == 0 && cell->len == 0 && (!last_bar || pos > last_bar))
			break;
		if (c == '|') {
			/* "| a | b |" rows start with a bar: no cell before it. */
			if (ncells == 0 && leading_bar && !cell->line) {
				cell_reset(cell);
				continue;
			}
			cell->bar_line = line;
			if (++ncells == TABLE_CELLS) {
				ret = row_from_cells(cells, file, table, &row, err);
				if (!ret)
					ret = push_row(table, &cap, &row);
				if (ret)
					goto fail;
				ncells = 0;
			}
			cell_reset(&cells[ncells]);
			continue;
		}
		if (c == '\n')
			line++;
		if (isspace((unsigned char)c)) {
			if (cell->line)
				c = ' ';
			else
				continue;
		} else if (!cell->line) {
			cell->line = line;
		}
		ret = cell_append(cell, c);
		if (ret)
			goto fail;
	}

	/* The notes cell of the last row may end the file without its '|'. */
	if (ncells == TABLE_CELLS - 1 && cells[ncells].line) {
		ret = row_from_cells(cells, file, table, &row, err);
		if (!ret)
			ret = push_row(table, &cap, &row);
		if (ret)
			goto fail;
		ncells = 0;
		cell_reset(&cells[0]);
	}
	if (ncells || cells[0].line) {
		int at = cell_line(&cells[0]);
		size_t have = ncells + (cells[ncells].line ? 1 : 0);

		ret = xpf_error_set(err, file, at,
				    "incomplete row: %zu of %d cells (protocol | source | "
				    "destination | notes |)", have, TABLE_CELLS);
		goto fail;
	}
	/* The rows are all read: their labels' index goes before the rule set is built, and
	 * so does the rows' spare room (with the huge page at its end: up to 2 MiB). */
	xpf_strings_end_interning(&table->strings);
	if (table->count < cap) {
		struct xpf_row *rows = realloc(table->rows, table->count * sizeof(*rows) ?: 1);

		if (rows)
			table->rows = rows;
	}
	goto out;

fail:
	if (ret == -ENOMEM)
		xpf_error_set(err, file, 0, "out of memory");
	xpf_table_free(table);
out:
	for (int i = 0; i < TABLE_CELLS; i++)
		free(cells[i].text);
	return ret;
}

void xpf_table_free(struct xpf_table *table)
{
	if (!table)
		return;
	free(table->rows);
	xpf_strings_free(&table->strings);
	xpf_strings_free(&table->notes);
	memset(table, 0, sizeof(*table));
}

void xpf_table_free_notes(struct xpf_table *table)
{
	for (size_t i = 0; i < table->count; i++)
		table->rows[i].note = "";
	xpf_strings_free(&table->notes);
}
