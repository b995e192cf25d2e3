/* merge.c - merging whole groups at one cache/socket level, closest
 * first, by a heap over sorted per-group-pair values.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/stats.h"
#include "src/analysis/infer/work.h"
#include "src/grow.h"

/* Group merging for one level. The pair values between two current groups
 * (labels a < b, slot infer_pair_index(a, b)) are kept sorted, so merging groups a and
 * b only merges their slots with each third group, and a heap ordered by
 * (median, a, b) yields the closest two groups; an entry is stale once
 * either group changed (version). This replaces a re-sort of all pairs per
 * merge, O(n^2 log n) each and cubic or worse at 1024 vCPUs, with the same
 * choice at every step. */
struct mslot {
	double *v;
	int len;
	bool own; /* v was allocated by a merge, else it points into base */
};

struct mcand {
	double med;
	int a, b;
	unsigned va, vb;
};

struct merger {
	struct infer_work *w;
	int *lab;
	struct mslot *slot;
	double *base;
	struct mcand *heap;
	int nheap, capheap;
	unsigned *ver;
	int *live, nlive;
};

static bool cand_before(const struct mcand *x, const struct mcand *y)
{
	if (x->med != y->med)
		return x->med < y->med;
	return x->a != y->a ? x->a < y->a : x->b < y->b;
}

static double slot_median(const struct mslot *sl)
{
	return vtc_stats_median_sorted(sl->v, (size_t)sl->len);
}

static int heap_push(struct merger *m, int a, int b)
{
	struct mcand c = {slot_median(&m->slot[infer_pair_index(m->w, a, b)]), a, b, m->ver[a],
			  m->ver[b]};
	struct mcand *h = vtc_grow(m->heap, &m->capheap, m->nheap, sizeof(*h), 1024);
	int i;

	if (!h)
		return -ENOMEM;
	m->heap = h;
	for (i = m->nheap++; i > 0 && cand_before(&c, &m->heap[(i - 1) / 2]); i = (i - 1) / 2)
		m->heap[i] = m->heap[(i - 1) / 2];
	m->heap[i] = c;
	return 0;
}

static void heap_pop(struct merger *m)
{
	struct mcand last = m->heap[--m->nheap];
	int i = 0;

	for (;;) {
		int c = 2 * i + 1;
		if (c >= m->nheap)
			break;
		if (c + 1 < m->nheap && cand_before(&m->heap[c + 1], &m->heap[c]))
			c++;
		if (!cand_before(&m->heap[c], &last))
			break;
		m->heap[i] = m->heap[c];
		i = c;
	}
	if (m->nheap > 0)
		m->heap[i] = last;
}

/* The closest two current groups, or false when none is left. */
static bool merger_best(struct merger *m, struct mcand *out)
{
	while (m->nheap > 0) {
		*out = m->heap[0];
		heap_pop(m);
		if (m->ver[out->a] == out->va && m->ver[out->b] == out->vb)
			return true;
	}
	return false;
}

static void slot_drop(struct mslot *sl)
{
	if (sl->own)
		free(sl->v);
	memset(sl, 0, sizeof(*sl));
}

/* @into := @into + @from (both sorted), @from emptied. The larger of the
 * two keeps its buffer, grown in place, and the merge runs from the back. */
static int slot_merge(struct mslot *into, struct mslot *from)
{
	struct mslot big, small;
	double *v;
	int i, j, k;

	if (from->len == 0)
		return 0;
	if (into->len == 0) {
		*into = *from;
		memset(from, 0, sizeof(*from));
		return 0;
	}
	big = into->len >= from->len ? *into : *from;
	small = into->len >= from->len ? *from : *into;
	if (big.own) {
		v = realloc(big.v, (size_t)(big.len + small.len) * sizeof(*v));
	} else {
		v = malloc((size_t)(big.len + small.len) * sizeof(*v));
		if (v)
			memcpy(v, big.v, (size_t)big.len * sizeof(*v));
	}
	if (!v)
		return -ENOMEM;
	i = big.len - 1;
	j = small.len - 1;
	k = big.len + small.len;
	while (j >= 0)
		v[--k] = i >= 0 && v[i] > small.v[j] ? v[i--] : small.v[j--];
	if (small.own)
		free(small.v);
	*into = (struct mslot){v, big.len + small.len, true};
	memset(from, 0, sizeof(*from));
	return 0;
}

static void merger_free(struct merger *m)
{
	for (int s = 0; m->slot && s < m->w->npairs; s++)
		slot_drop(&m->slot[s]);
	free(m->slot);
	free(m->base);
	free(m->heap);
	free(m->ver);
	free(m->live);
}

/* Bucket the pair values by the groups of @lab and queue every group pair. */
static int merger_init(struct merger *m, struct infer_work *w, int *lab)
{
	int used = 0;

	memset(m, 0, sizeof(*m));
	m->w = w;
	m->lab = lab;
	m->slot = calloc((size_t)w->npairs + 1, sizeof(*m->slot));
	m->base = calloc((size_t)w->npairs + 1, sizeof(*m->base));
	m->ver = calloc((size_t)w->ncpu, sizeof(*m->ver));
	m->live = calloc((size_t)w->ncpu, sizeof(*m->live));
	if (!m->slot || !m->base || !m->ver || !m->live)
		return -ENOMEM;
	for (int i = 0; i < w->ncpu; i++)
		if (lab[i] == i)
			m->live[m->nlive++] = i;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0, k = 0; i < w->ncpu; i++)
			for (int j = i + 1; j < w->ncpu; j++, k++) {
				struct mslot *sl;
				if (lab[i] == lab[j] || w->pair_ns[k] <= 0)
					continue;
				sl = &m->slot[infer_pair_index(w, lab[i], lab[j])];
				if (pass)
					sl->v[sl->len++] = w->pair_ns[k];
				else
					sl->len++;
			}
		for (int s = 0; pass == 0 && s < w->npairs; s++) {
			m->slot[s].v = m->base + used;
			used += m->slot[s].len;
			m->slot[s].len = 0;
		}
	}
	for (int x = 0; x < m->nlive; x++)
		for (int y = x + 1; y < m->nlive; y++) {
			int a = m->live[x], b = m->live[y];
			struct mslot *sl = &m->slot[infer_pair_index(w, a, b)];
			if (sl->len == 0)
				continue;
			vtc_stats_sort(sl->v, (size_t)sl->len);
			if (heap_push(m, a < b ? a : b, a < b ? b : a))
				return -ENOMEM;
		}
	return 0;
}

/* Group @b joins group @a (a < b): slots with every third group merge. */
static int merger_join(struct merger *m, int a, int b)
{
	struct infer_work *w = m->w;

	slot_drop(&m->slot[infer_pair_index(w, a, b)]);
	m->ver[a]++;
	m->ver[b]++;
	for (int x = 0; x < m->nlive; x++) {
		int c = m->live[x];
		if (c == b)
			m->live[x--] = m->live[--m->nlive];
		if (c == a || c == b)
			continue;
		if (slot_merge(&m->slot[infer_pair_index(w, a, c)], &m->slot[infer_pair_index(w, b, c)]))
			return -ENOMEM;
		if (m->slot[infer_pair_index(w, a, c)].len > 0 &&
		    heap_push(m, a < c ? a : c, a < c ? c : a))
			return -ENOMEM;
	}
	for (int i = 0; i < w->ncpu; i++)
		if (m->lab[i] == b)
			m->lab[i] = a;
	return 0;
}

/* Merge whole groups (labels in @lab) while the median latency between the
 * closest two is within @boundary. Judging group medians, not single rows,
 * keeps a noisy cpu0 or a half-remote row from splitting a group. The
 * label of a group stays its lowest rank. */
int infer_merge_level(struct infer_work *w, int *lab, double boundary)
{
	struct merger m;
	struct mcand c;
	int rc = merger_init(&m, w, lab);

	while (rc == 0 && merger_best(&m, &c) && c.med < INFINITY && !(c.med > boundary))
		rc = merger_join(&m, c.a, c.b);
	merger_free(&m);
	return rc;
}
