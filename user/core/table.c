/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Published pages of port tables, verbatim (docs/tables.md). A vendor page copied as text keeps
 * its title, prose, section headings and footnotes, and lays each of its tables out as a
 * caption line, a header row "A | B | ... |", a "---|" row, then '|'-terminated cells that may
 * wrap across lines. The reader finds each table by its header row, knows its layout by the
 * header's cells, reads its cells a row at a time (table_rows.c makes rows of them) and ends
 * it where, at a row's end, prose or a caption leads to the next header or to the page's end.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/table_rows.h"
#include "lib/huge_pages.h"
#include "lib/vector.h"
#include <xpf/maps.h>

struct line {
	const char *start;
	size_t len;
	const char *next;	/* the line after it, or the text's end */
};

static struct line line_at(const char *pos, const char *end)
{
	const char *nl = memchr(pos, '\n', (size_t)(end - pos));
	struct line line = { pos, (size_t)((nl ? nl : end) - pos), nl ? nl + 1 : end };

	return line;
}

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
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

/* The next line that is not blank, or one of length 0 at the end. */
static struct line next_nonblank(const char *pos, const char *end)
{
	while (pos < end) {
		struct line line = line_at(pos, end);

		if (!is_blank(line.start, line.len))
			return line;
		pos = line.next;
	}
	return (struct line){ end, 0, end };
}

static bool span_contains_ci(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++)
		if (!strncasecmp(s + i, word, w))
			return true;
	return false;
}

static bool span_is_ci(const char *s, size_t n, const char *word)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n == strlen(word) && !strncasecmp(s, word, n);
}

enum column {
	COLUMN_OTHER,
	COLUMN_PORT,
	COLUMN_PROTOCOL,
	COLUMN_NOTES,
	COLUMN_SERVER_ROLE,
	COLUMN_SERVICE,
	COLUMN_LOAD_BALANCER,
	COLUMN_COMPONENT,
};

static enum column column_of(const char *s, size_t n)
{
	if (span_is_ci(s, n, "port"))
		return COLUMN_PORT;
	if (span_is_ci(s, n, "protocol"))
		return COLUMN_PROTOCOL;
	if (span_is_ci(s, n, "notes") || span_is_ci(s, n, "comments"))
		return COLUMN_NOTES;
	if (span_is_ci(s, n, "server role"))
		return COLUMN_SERVER_ROLE;
	if (span_is_ci(s, n, "service name"))
		return COLUMN_SERVICE;
	if (span_is_ci(s, n, "load balancer"))
		return COLUMN_LOAD_BALANCER;
	if (span_is_ci(s, n, "component"))
		return COLUMN_COMPONENT;
	return COLUMN_OTHER;
}

/* The layouts other than flows, column by column; flows is any header that names a source
 * and a destination, read as protocol | source | destination | notes. */
static const struct {
	enum xpf_layout layout;
	enum column columns[XPF_LAYOUT_CELLS_MAX];
	size_t count;
} port_layouts[] = {
	{ XPF_LAYOUT_SERVER_PORTS,
	  { COLUMN_SERVER_ROLE, COLUMN_SERVICE, COLUMN_PORT, COLUMN_PROTOCOL, COLUMN_NOTES }, 5 },
	{ XPF_LAYOUT_LOAD_BALANCER, { COLUMN_LOAD_BALANCER, COLUMN_PORT, COLUMN_PROTOCOL }, 3 },
	{ XPF_LAYOUT_CLIENT_PORTS, { COLUMN_COMPONENT, COLUMN_PORT, COLUMN_PROTOCOL, COLUMN_NOTES },
	  4 },
};

#define NOT_A_HEADER (-1)
#define UNKNOWN_LAYOUT (-2)

/* A header row's layout; UNKNOWN_LAYOUT for a header row (a '|' row over a "---|" row) of no
 * layout xpf reads; NOT_A_HEADER. Outside a table a row naming Source and Destination is a
 * header without the "---|" row under it, as it always was; inside one, nothing is a header
 * without it (a row's cells may well say "source"). */
static int header_layout(struct line line, const char *end, bool need_separator,
			 bool *leading_bar)
{
	enum column columns[XPF_LAYOUT_CELLS_MAX + 1];
	const char *cell = line.start, *stop = line.start + line.len;
	bool source = false, destination = false, separated;
	size_t count = 0;
	struct line under;

	if (!memchr(line.start, '|', line.len))
		return NOT_A_HEADER;
	under = next_nonblank(line.next, end);
	separated = is_separator(under.start, under.len);
	if (need_separator && !separated)
		return NOT_A_HEADER;
	while (cell < stop && isspace((unsigned char)*cell))
		cell++;
	*leading_bar = cell < stop && *cell == '|';
	if (*leading_bar)
		cell++;
	while (cell < stop) {
		const char *bar = memchr(cell, '|', (size_t)(stop - cell));
		size_t len = (size_t)((bar ? bar : stop) - cell);

		if (!bar && is_blank(cell, len))
			break;	/* after the closing bar */
		source |= span_contains_ci(cell, len, "source");
		destination |= span_contains_ci(cell, len, "destination");
		if (count < XPF_LAYOUT_CELLS_MAX + 1)
			columns[count] = column_of(cell, len);
		count++;
		cell += len + 1;
	}
	if (source && destination)
		return XPF_LAYOUT_FLOWS;
	for (size_t i = 0; i < sizeof(port_layouts) / sizeof(port_layouts[0]); i++) {
		if (count != port_layouts[i].count)
			continue;
		if (!memcmp(columns, port_layouts[i].columns, count * sizeof(columns[0])))
			return (int)port_layouts[i].layout;
	}
	return separated ? UNKNOWN_LAYOUT : NOT_A_HEADER;
}

static int cell_append(struct xpf_cell *cell, char c)
{
	if (xpf_array_reserve(&cell->text, &cell->cap, cell->len + 2, 256))
		return -ENOMEM;
	cell->text[cell->len++] = c;
	cell->text[cell->len] = '\0';
	return 0;
}

/* @n characters at once: a cell's words are copied a word at a time, not a character. */
static int cell_append_span(struct xpf_cell *cell, const char *text, size_t n)
{
	if (xpf_array_reserve(&cell->text, &cell->cap, cell->len + n + 1, 256))
		return -ENOMEM;
	memcpy(cell->text + cell->len, text, n);
	cell->len += n;
	cell->text[cell->len] = '\0';
	return 0;
}

static void cell_reset(struct xpf_cell *cell)
{
	cell->len = 0;
	if (cell->text)
		cell->text[0] = '\0';
	cell->line = 0;
	cell->bar_line = 0;
}

/* A page being read: where the reader is, and the table it is in. */
struct page {
	struct xpf_table_builder *b;
	const char *end;
	struct xpf_cell cells[XPF_LAYOUT_CELLS_MAX];
	size_t ncells;
	enum xpf_layout layout;
	bool leading_bar;
	struct xpf_section *section;	/* the table being read; NULL outside one */
	int line;			/* of the line being read */
	bool found;			/* a header row was */
};

static int start_section(struct page *page, enum xpf_layout layout, const char *caption,
			 size_t caption_len)
{
	struct xpf_table_builder *b = page->b;
	struct xpf_table *table = b->table;
	char *text = strndup(caption ? caption : "", caption ? caption_len : 0);
	struct xpf_section *section;

	if (!text)
		return -ENOMEM;
	if (xpf_array_reserve(&table->sections, &b->section_cap, table->section_count + 1, 8)) {
		free(text);
		return -ENOMEM;
	}
	section = &table->sections[table->section_count];
	memset(section, 0, sizeof(*section));
	section->file = b->file;
	xpf_fold_blanks(text, text, strlen(text) + 1);
	section->caption = xpf_strings_intern(&table->strings, text);
	free(text);
	if (!section->caption)
		return -ENOMEM;
	section->header_line = page->line;
	section->last_line = page->line;
	section->first_row = table->count;
	section->first_report = table->report_count;
	section->layout = (uint8_t)layout;
	table->section_count++;
	page->section = section;
	page->layout = layout;
	page->ncells = 0;
	for (size_t i = 0; i < XPF_LAYOUT_CELLS_MAX; i++)
		cell_reset(&page->cells[i]);
	return 0;
}

static int take_row(struct page *page)
{
	struct xpf_section *section = page->section;
	int ret = xpf_rows_from_cells(page->b, page->layout, page->cells);

	section->last_line = page->cells[page->ncells ? page->ncells - 1 : 0].bar_line ?:
			     page->line;
	page->ncells = 0;
	for (size_t i = 0; i < XPF_LAYOUT_CELLS_MAX; i++)
		cell_reset(&page->cells[i]);
	return ret;
}

/* Ends the table being read: the last row's cells must all be there, but for a last cell
 * without its '|' at the page's end. */
static int end_section(struct page *page, bool page_end)
{
	struct xpf_table *table = page->b->table;
	struct xpf_section *section = page->section;
	size_t cells = xpf_layout_cells(page->layout);
	int ret = 0;

	if (page_end && page->ncells == cells - 1 && page->cells[page->ncells].line) {
		page->ncells++;
		ret = take_row(page);
		if (ret)
			return ret;
	}
	if (page->ncells || page->cells[0].line) {
		size_t have = page->ncells + (page->cells[page->ncells].line ? 1 : 0);

		return xpf_error_set(page->b->err, page->b->file, xpf_cell_line(&page->cells[0]),
				     "incomplete row: %zu of %zu cells (%s)", have, cells,
				     xpf_layout_columns(page->layout));
	}
	section->row_count = table->count - section->first_row;
	section->report_count = table->report_count - section->first_report;
	page->section = NULL;
	return 0;
}

/* At a row's end, whether the table ends before @line: at a header row, or where the line
 * has no cell's end and neither has any line after it but a header row's. */
static bool table_ends_at(const struct page *page, struct line line)
{
	bool leading_bar;

	if (memchr(line.start, '|', line.len))
		return header_layout(line, page->end, true, &leading_bar) != NOT_A_HEADER;
	for (const char *pos = line.next; pos < page->end;) {
		struct line after = line_at(pos, page->end);

		if (memchr(after.start, '|', after.len))
			return header_layout(after, page->end, true, &leading_bar) != NOT_A_HEADER;
		pos = after.next;
	}
	return true;	/* prose to the page's end */
}

static bool header_within(const struct page *page, struct line line)
{
	bool leading_bar;

	return memchr(line.start, '|', line.len) &&
	       header_layout(line, page->end, true, &leading_bar) != NOT_A_HEADER;
}

/* Where the run of characters from @i on that are neither a bar nor blank ends. */
static size_t word_end(const char *text, size_t i, size_t stop)
{
	while (i < stop && text[i] != '|' && !isspace((unsigned char)text[i]))
		i++;
	return i;
}

/* One line of a table's cells, its line end included (a cell that wraps goes on after a
 * blank). */
static int read_cells(struct page *page, struct line line)
{
	size_t cells = xpf_layout_cells(page->layout);
	size_t stop = line.len + 1 < (size_t)(page->end - line.start) ? line.len + 1
								  : (size_t)(page->end - line.start);

	for (size_t i = 0; i < stop;) {
		struct xpf_cell *cell = &page->cells[page->ncells];
		char c = line.start[i];
		size_t end;
		int ret;

		if (c == '|') {
			i++;
			/* "| a | b |" rows start with a bar: no cell before it. */
			if (page->ncells == 0 && page->leading_bar && !cell->line) {
				cell_reset(cell);
				continue;
			}
			cell->bar_line = page->line;
			while (cell->len && cell->text[cell->len - 1] == ' ')
				cell->text[--cell->len] = '\0';
			if (++page->ncells == cells) {
				ret = take_row(page);
				if (ret)
					return ret;
			}
			continue;
		}
		if (isspace((unsigned char)c)) {
			i++;
			ret = cell->line ? cell_append(cell, ' ') : 0;
		} else {
			if (!cell->line)
				cell->line = page->line;
			end = word_end(line.start, i, stop);
			ret = cell_append_span(cell, line.start + i, end - i);
			i = end;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* The page's first line of prose is its title. */
static int keep_title(struct xpf_table_builder *b, struct line line)
{
	char *title;

	if (b->table->title)
		return 0;
	title = strndup(line.start, line.len);
	if (!title)
		return -ENOMEM;
	xpf_fold_blanks(title, title, line.len + 1);
	b->table->title = xpf_strings_intern(&b->table->strings, title);
	free(title);
	return b->table->title ? 0 : -ENOMEM;
}

/* After a header row: the "---|" row, and blank lines before it, which do not matter. Returns
 * where the table's rows start. */
static const char *skip_separator_row(struct page *page, const char *pos)
{
	while (pos < page->end) {
		struct line under = line_at(pos, page->end);

		if (!is_blank(under.start, under.len) && !is_separator(under.start, under.len))
			break;
		page->line++;
		pos = under.next;
		if (!is_blank(under.start, under.len))
			break;
	}
	return pos;
}

/* The line of prose above a header row captions its table. */
struct caption {
	const char *text;
	size_t len;
};

/* A line outside any table: prose, a heading, a caption, or a header that starts one. */
static int read_outside(struct page *page, struct line line, struct caption *caption,
			const char **pos)
{
	struct xpf_table_builder *b = page->b;
	bool leading_bar = false;
	int layout = header_layout(line, page->end, false, &leading_bar), ret;

	*pos = line.next;
	if (layout == UNKNOWN_LAYOUT)
		return xpf_error_set(b->err, b->file, page->line,
				     "a table header of no layout xpf reads: '%.*s' "
				     "(docs/tables.md lists the layouts)",
				     (int)(line.len > 200 ? 200 : line.len), line.start);
	if (layout == NOT_A_HEADER) {
		*caption = (struct caption){ line.start, line.len };
		return keep_title(b, line);
	}
	ret = start_section(page, (enum xpf_layout)layout, caption->text, caption->len);
	if (ret)
		return ret;
	page->found = true;
	page->leading_bar = leading_bar;
	*caption = (struct caption){ NULL, 0 };
	*pos = skip_separator_row(page, *pos);
	return 0;
}

static int read_page(struct xpf_table_builder *b, const char *text)
{
	struct page page = { .b = b };
	struct caption caption = { NULL, 0 };
	const char *pos;
	int ret = 0;

	page.end = text + strlen(text);
	for (pos = text; pos < page.end && !ret; ) {
		struct line line = line_at(pos, page.end);
		bool blank = is_blank(line.start, line.len);

		page.line++;
		/* A header row ends the table even within a row: that row is cut short. */
		if (page.section && !blank &&
		    (!page.ncells && !page.cells[0].line ? table_ends_at(&page, line)
							  : header_within(&page, line)))
			ret = end_section(&page, false);
		if (ret)
			break;
		if (page.section) {
			ret = read_cells(&page, line);
			pos = line.next;
		} else if (blank) {
			pos = line.next;
		} else {
			ret = read_outside(&page, line, &caption, &pos);
		}
	}
	if (!ret && page.section)
		ret = end_section(&page, true);
	if (!ret && !page.found)
		ret = xpf_error_set(b->err, b->file, 0, "no header row found (a '|' row naming "
				    "Source and Destination)");
	for (size_t i = 0; i < XPF_LAYOUT_CELLS_MAX; i++)
		free(page.cells[i].text);
	return ret;
}

static int begin(struct xpf_table_builder *b, struct xpf_table *table, const char *file,
		 struct xpf_error *err)
{
	memset(b, 0, sizeof(*b));
	b->table = table;
	b->err = err;
	b->row_cap = table->count;
	b->report_cap = table->report_count;
	b->section_cap = table->section_count;
	/* The rows' file name: the table's own copy, since @file may not outlive it. */
	b->file = xpf_strings_intern(&table->strings, file ? file : "");
	return b->file ? 0 : -ENOMEM;
}

/* After a page: the index of the rows' labels goes before the rule set is built, and so does
 * the rows' spare room (with the huge page at its end: up to 2 MiB). */
static void finish(struct xpf_table_builder *b)
{
	struct xpf_table *table = b->table;

	xpf_strings_end_interning(&table->strings);
	if (table->count < b->row_cap) {
		struct xpf_row *rows = realloc(table->rows, table->count * sizeof(*rows) ?: 1);

		if (rows)
			table->rows = rows;
	}
}

static int read_one(const char *text, const char *file, struct xpf_table *table, bool strict,
		    struct xpf_error *err)
{
	struct xpf_table_builder b;
	int ret;

	memset(table, 0, sizeof(*table));
	ret = begin(&b, table, file, err);
	b.strict = strict;
	ret = ret ?: read_page(&b, text ? text : "");
	if (ret) {
		if (ret == -ENOMEM)
			xpf_error_set(err, file, 0, "out of memory");
		xpf_table_free(table);	/* nothing is left half made */
		return ret;
	}
	finish(&b);
	return 0;
}

int xpf_table_read(const char *text, const char *file, struct xpf_table *table,
		   struct xpf_error *err)
{
	return read_one(text, file, table, false, err);
}

int xpf_table_parse(const char *text, const char *file, struct xpf_table *table,
		    struct xpf_error *err)
{
	return read_one(text, file, table, true, err);
}

static bool caption_contains(const char *caption, const char *pick)
{
	char a[XPF_MESSAGE_MAX], b[XPF_MESSAGE_MAX];

	xpf_fold_blanks(caption, a, sizeof(a));
	xpf_fold_blanks(pick, b, sizeof(b));
	return b[0] && span_contains_ci(a, strlen(a), b);
}

/* The sections from @first that @pick names, as a mask (a page has few tables); 0: none. */
static uint64_t picked(const struct xpf_table *table, size_t first, const char *pick)
{
	size_t count = table->section_count - first;
	uint64_t exact = 0, part = 0;
	char *end;
	unsigned long number = strtoul(pick, &end, 10);

	if (isdigit((unsigned char)pick[0]) && !*end)
		return number >= 1 && number <= count && number <= 64 ? 1ull << (number - 1) : 0;
	for (size_t i = 0; i < count && i < 64; i++) {
		const char *caption = table->sections[first + i].caption;

		if (xpf_role_name_equal(caption, pick))
			exact |= 1ull << i;
		else if (caption_contains(caption, pick))
			part |= 1ull << i;
	}
	return exact ?: part;
}

/* Keeps the rows, reports and sections from @first on that @mask names; the rest go. */
static void keep_only(struct xpf_table *table, size_t first, uint64_t mask)
{
	size_t rows = table->sections[first].first_row, reports = table->sections[first].first_report;
	size_t sections = first;

	for (size_t i = first; i < table->section_count; i++) {
		struct xpf_section section = table->sections[i];

		if (!(mask & (1ull << (i - first))))
			continue;
		memmove(&table->rows[rows], &table->rows[section.first_row],
			section.row_count * sizeof(table->rows[0]));
		memmove(&table->reports[reports], &table->reports[section.first_report],
			section.report_count * sizeof(table->reports[0]));
		section.first_row = rows;
		section.first_report = reports;
		rows += section.row_count;
		reports += section.report_count;
		table->sections[sections++] = section;
	}
	table->count = rows;
	table->report_count = reports;
	table->section_count = sections;
}

int xpf_table_add(struct xpf_table *table, const char *text, const char *file, const char *pick,
		  struct xpf_error *err)
{
	size_t first = table->section_count;
	struct xpf_table_builder b;
	uint64_t mask;
	int ret;

	ret = begin(&b, table, file, err);
	ret = ret ?: read_page(&b, text ? text : "");
	if (ret) {
		if (ret == -ENOMEM)
			xpf_error_set(err, file, 0, "out of memory");
		xpf_table_free(table);
		return ret;
	}
	if (pick && *pick) {
		mask = picked(table, first, pick);
		if (!mask || (mask & (mask - 1))) {
			char list[XPF_MESSAGE_MAX] = "";
			size_t used = 0;

			for (size_t i = first; i < table->section_count && used < sizeof(list); i++)
				used += (size_t)snprintf(list + used, sizeof(list) - used,
							 "%s%zu '%s'", i > first ? ", " : "",
							 i - first + 1, table->sections[i].caption);
			xpf_error_set(err, NULL, 0, "%s '%s' (its tables: %s)",
				      mask ? "more than one table is captioned" :
					     "no table is captioned", pick, list);
			xpf_table_free(table);
			return -ENOENT;
		}
		keep_only(table, first, mask);
	}
	finish(&b);
	return 0;
}

const struct xpf_section *xpf_table_section_of(const struct xpf_table *table,
						const struct xpf_row *row)
{
	size_t index = (size_t)(row - table->rows);

	if (row < table->rows || index >= table->count)
		return NULL;
	for (size_t i = 0; i < table->section_count; i++) {
		const struct xpf_section *section = &table->sections[i];

		if (index >= section->first_row && index < section->first_row + section->row_count)
			return section;
	}
	return NULL;
}

void xpf_table_free(struct xpf_table *table)
{
	if (!table)
		return;
	free(table->rows);
	free(table->sections);
	free(table->reports);
	xpf_strings_free(&table->strings);
	xpf_strings_free(&table->notes);
	memset(table, 0, sizeof(*table));
}

void xpf_table_free_notes(struct xpf_table *table)
{
	if (table->without_notes)
		return;	/* every note is "" */
	for (size_t i = 0; i < table->count; i++)
		table->rows[i].note = "";
	xpf_strings_free(&table->notes);
}
