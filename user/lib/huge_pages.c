// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Huge pages for the large arrays of a big rule set. Parsing and compiling 100,000 rules
 * touches some 90 MB of fresh memory; in 4 KiB pages that is 23,000 page faults, and on a
 * virtual machine each costs some 20 us: xpf check of the benchmark set took 0.85 s, 0.52 s
 * with glibc's own switch for this (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which only the
 * environment can set). This is that switch's advice, given to the arrays that are large
 * enough: from the start of the array's first page, as glibc does, so that an array mapped
 * on its own (main.c: every large allocation is) has its whole mapping advised. Arrays under
 * a huge page are left alone: small rule sets keep their small footprint.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/huge_pages.h"

#define HUGE_PAGE_SIZE (2u << 20)

void xpf_advise_huge_pages(void *start, size_t size)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t first = (uintptr_t)start & ~(page - 1);

	/* Advice only: where the kernel has no transparent huge pages, 4 KiB pages it is. */
	if (start && size >= HUGE_PAGE_SIZE)
		madvise((void *)first, (uintptr_t)start + size - first, MADV_HUGEPAGE);
}
