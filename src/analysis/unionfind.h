/* unionfind.h - the one union-find of the analysis (infer/, evidence,
 * judge): an int array where uf[x] == x marks a root.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_UNIONFIND_H
#define VTC_UNIONFIND_H

/* Root of @x, halving the path on the way. */
static inline int vtc_uf_find(int *uf, int x)
{
	while (uf[x] != x)
		x = uf[x] = uf[uf[x]];
	return x;
}

/* Join the sets of @a and @b; the smaller root becomes the root. */
static inline void vtc_uf_union(int *uf, int a, int b)
{
	a = vtc_uf_find(uf, a);
	b = vtc_uf_find(uf, b);
	if (a != b)
		uf[a < b ? b : a] = a < b ? a : b;
}

#endif
