/* grow.h - the one growth rule of the project's dynamic arrays.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_GROW_H
#define VTC_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Room for one more element in @items (@n used of *@cap, each @size bytes):
 * when full, double the capacity (@first when it is 0) with realloc.
 * Returns the array, moved or not, or NULL when memory ran out or the
 * capacity would overflow; then @items and *@cap are untouched (the caller
 * still owns and frees @items). Usage:
 *	struct x *v = vtc_grow(s->v, &s->cap, s->n, sizeof(*v), 16);
 *	if (!v) return -ENOMEM;
 *	s->v = v; s->v[s->n++] = x; */
static inline void *vtc_grow(void *items, int *cap, int n, size_t size, int first)
{
	int want;
	void *p;

	if (n < *cap)
		return items;
	if (*cap > INT32_MAX / 2)
		return NULL;
	want = *cap ? *cap * 2 : first;
	p = realloc(items, (size_t)want * size);
	if (p)
		*cap = want;
	return p;
}

#endif
