// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>

#include <curses.h>

#include "cli/top_screen.h"

struct screen_cursor {
	int y;
};

int top_screen_open(void)
{
	if (!initscr())
		return -1;
	cbreak();		/* keys one at a time; ^C still sends SIGINT */
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	return 0;
}

/* Lines past the bottom of the terminal are left out: the panes below the rules are short,
 * and a taller terminal shows them. */
static void draw_line(void *context, enum top_line_kind kind, const char *line)
{
	struct screen_cursor *cursor = context;

	if (cursor->y >= LINES)
		return;
	if (kind == TOP_LINE_HEADING)
		attron(A_REVERSE);
	else if (kind == TOP_LINE_TITLE)
		attron(A_BOLD);
	mvaddnstr(cursor->y, 0, line, COLS);
	if (kind == TOP_LINE_HEADING && COLS > (int)strlen(line))
		hline(' ', COLS - (int)strlen(line));
	attrset(A_NORMAL);
	cursor->y++;
}

void top_screen_draw(const struct top_view *view)
{
	struct screen_cursor cursor = { 0 };

	erase();
	top_view_render(view, COLS, draw_line, &cursor);
	if (cursor.y < LINES)
		mvaddnstr(LINES - 1, 0, "r rate  t total  p port  n rule  space pause  q quit",
			  COLS);
	refresh();
}

int top_screen_key(int timeout_ms)
{
	int key;

	timeout(timeout_ms < 0 ? 0 : timeout_ms);
	key = getch();
	return key == ERR ? -1 : key;
}

void top_screen_invalidate(void)
{
	clearok(curscr, TRUE);
}

void top_screen_close(void)
{
	endwin();
}
