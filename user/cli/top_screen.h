/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The full-screen terminal of `xpf top` (ncurses). User space only. */
#ifndef XPF_TOP_SCREEN_H
#define XPF_TOP_SCREEN_H

#include "cli/top_view.h"

int top_screen_open(void);
void top_screen_draw(const struct top_view *view);
/* The next key pressed within @timeout_ms, or -1. */
int top_screen_key(int timeout_ms);
/* Repaint everything on the next draw (after something else wrote to the terminal). */
void top_screen_invalidate(void);
void top_screen_close(void);

#endif /* XPF_TOP_SCREEN_H */
