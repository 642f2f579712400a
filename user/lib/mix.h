/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* splitmix64's step and finaliser: every input bit reaches every output bit. The compiler's set
 * sums and hash tables, the counter carry's rule identities and the local slot search all mix
 * with it. User space only. */
#ifndef XPF_MIX_H
#define XPF_MIX_H

#include <stdint.h>

static inline uint64_t xpf_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

#endif /* XPF_MIX_H */
