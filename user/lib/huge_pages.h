/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Transparent huge pages for large arrays (user/lib/huge_pages.c). User space only; the pure
 * parsers and the compiler use it. */
#ifndef XPF_HUGE_PAGES_H
#define XPF_HUGE_PAGES_H

#include <stddef.h>

/* Asks for huge pages on the whole 2 MiB pages of [@start, @start + @size); call it on a
 * large array before filling it, and again after each realloc() that grows it. */
void xpf_advise_huge_pages(void *start, size_t size);

#endif /* XPF_HUGE_PAGES_H */
