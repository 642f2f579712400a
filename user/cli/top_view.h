/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What `xpf top` shows, apart from how: rows with their rates between two snapshots, sorted,
 * and the screen as lines of text, pane after pane. The terminal (top_screen.c, ncurses) and
 * the plain output (cmd_top.c) both print these lines. No ncurses here. User space only.
 */
#ifndef XPF_TOP_VIEW_H
#define XPF_TOP_VIEW_H

#include <stdbool.h>

#include "cli/snapshot.h"

enum top_sort {
	TOP_SORT_RATE,		/* packets/s, highest first (key r) */
	TOP_SORT_TOTAL,		/* packets since load, most first (key t) */
	TOP_SORT_PORT,		/* destination port, lowest first (key p) */
	TOP_SORT_RULE,		/* interface, then rule number: as `xpf stats` (key n) */
};

struct top_row {
	const struct xpf_stats *interface;
	size_t number;			/* the rule's number on its interface, from 1 */
	const struct xpf_rule_stat *rule;
	bool rate_known;		/* false on the first sample, or after a counter reset */
	double packets_per_second;
	double bits_per_second;
};

struct top_reason {
	const struct xpf_stats *interface;
	unsigned int reason;
	bool rate_known;
	double packets_per_second;
};

/* The view borrows from the snapshot it was built from: free the view first. */
struct top_view {
	struct top_row *rows;
	size_t row_count;
	struct top_reason *reasons;
	size_t reason_count;
	size_t interface_count;
	double max_packets_per_second;	/* the bar's full scale */
	const struct xpf_snapshot *snapshot;	/* the `now` it was built from */
	enum top_sort sort;
	double interval;		/* seconds asked between refreshes */
	bool paused;
};

/* Rates between @before (may be NULL: no rates yet) and @now. 0 or -ENOMEM. */
int top_view_build(struct top_view *view, const struct xpf_snapshot *now,
		   const struct xpf_snapshot *before);
void top_view_sort(struct top_view *view, enum top_sort sort);
void top_view_free(struct top_view *view);
const char *top_sort_name(enum top_sort sort);

enum top_line_kind { TOP_LINE_TITLE, TOP_LINE_HEADING, TOP_LINE_TEXT };
/* Receives the screen line by line; @line holds no format directives of its own. */
typedef void (*top_emit_fn)(void *context, enum top_line_kind kind, const char *line);

/* Every pane of the screen, top to bottom, @width columns at most (0: as wide as needed). */
void top_view_render(const struct top_view *view, int width, top_emit_fn emit, void *context);

#endif /* XPF_TOP_VIEW_H */
