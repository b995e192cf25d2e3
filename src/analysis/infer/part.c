/* part.c - union-find over ranks, partitions of them, and the medians
 * and scores of whole groups.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/stats.h"
#include "src/vtc.h"
#include "src/analysis/infer/work.h"

void infer_uf_reset(struct infer_work *w)
{
	for (int i = 0; i < w->ncpu; i++)
		w->uf_parent[i] = i;
}

void infer_part_free(struct infer_part *p)
{
	free(p->lab);
	free(p->start);
	free(p->mem);
	memset(p, 0, sizeof(*p));
}

/* Members lists from p->lab (counting sort keeps ranks ascending). */
void infer_part_index(const struct infer_work *w, struct infer_part *p)
{
	for (int i = 0; i < w->ncpu; i++)
		if (p->lab[i] >= 0)
			p->start[p->lab[i] + 2]++;
	for (int q = 0; q < p->count; q++)
		p->start[q + 2] += p->start[q + 1];
	for (int i = 0; i < w->ncpu; i++)
		if (p->lab[i] >= 0)
			p->mem[p->start[p->lab[i] + 1]++] = i;
}

int infer_part_alloc(const struct infer_work *w, struct infer_part *p, int count)
{
	p->count = count;
	p->lab = malloc((size_t)w->ncpu * sizeof(*p->lab));
	p->start = calloc((size_t)count + 2, sizeof(*p->start));
	p->mem = malloc((size_t)w->ncpu * sizeof(*p->mem));
	if (!p->lab || !p->start || !p->mem) {
		infer_part_free(p);
		return -ENOMEM;
	}
	for (int i = 0; i < w->ncpu; i++)
		p->lab[i] = -1;
	return 0;
}

/* The partition of @g; a rank in two groups counts in the first, as
 * vtc_inferred_find() sees it. */
int infer_part_from_groups(const struct infer_work *w, const struct vtc_igroups *g,
			   struct infer_part *p)
{
	int c;

	if (infer_part_alloc(w, p, g->count))
		return -ENOMEM;
	for (int q = 0; q < g->count; q++)
		vtc_cpuset_foreach(c, &g->g[q].cpus) {
			int i = vtc_results_rank(w->res, c);
			if (i >= 0 && p->lab[i] < 0)
				p->lab[i] = q;
		}
	infer_part_index(w, p);
	return 0;
}

static int part_size(const struct infer_part *p, int q)
{
	return p->start[q + 1] - p->start[q];
}

/* Partition from the union-find; every group is a clique of @edge pairs
 * unless @need_clique is false. Returns false when a group is not a clique
 * or larger than @max. */
bool infer_uf_groups(struct infer_work *w, struct vtc_igroups *g, const bool *edge,
		      bool need_clique, int max)
{
	int *at = w->group_at, *mem = w->group_mem;

	g->count = 0;
	for (int i = 0; i < w->ncpu; i++)
		at[i] = -1;
	/* Groups in the order of their lowest rank (the root). */
	for (int i = 0; i < w->ncpu; i++) {
		int root = vtc_uf_find(w->uf_parent, i);
		if (at[root] < 0) {
			at[root] = g->count++;
			memset(&g->g[at[root]], 0, sizeof(g->g[at[root]]));
		}
		vtc_cpuset_set(&g->g[at[root]].cpus, w->res->cpu[i]);
	}
	for (int q = 0; q < g->count; q++) {
		int cnt = vtc_cpuset_count(&g->g[q].cpus), m = 0, c;
		if (cnt > max)
			return false;
		if (!need_clique)
			continue;
		vtc_cpuset_foreach(c, &g->g[q].cpus)
			mem[m++] = vtc_results_rank(w->res, c);
		for (int x = 0; x < m; x++)
			for (int y = x + 1; y < m; y++)
				if (!edge[infer_pair_index(w, mem[x], mem[y])])
					return false;
	}
	return true;
}

/* Median one-way ns over the pairs inside each group of @p (@in[q]) and,
 * unless @out is NULL, between each group and the other probed vCPUs
 * (@out[q]); NAN where there is none. All groups in one pass over the
 * pairs, bucketed by group. Returns 0 or -ENOMEM. */
int infer_part_medians(const struct infer_work *w, const struct infer_part *p, double *in,
		       double *out)
{
	int *cnt = calloc(2 * (size_t)p->count + 1, sizeof(*cnt)), *at = NULL, tot = 0;
	bool *probed = calloc((size_t)w->ncpu, sizeof(*probed));
	double *val = NULL;

	if (!cnt || !probed)
		goto fail;
	for (int i = 0; i < w->ncpu; i++)
		probed[i] = vtc_cpuset_test(&w->res->probed, w->res->cpu[i]);
	/* buckets: inside group q at 2q, from q to the rest at 2q+1 */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0, k = 0; i < w->ncpu; i++)
			for (int j = i + 1; j < w->ncpu; j++, k++) {
				int li = p->lab[i], lj = p->lab[j], b[2], nb = 0;
				if (!(w->pair_ns[k] > 0))
					continue;
				if (li >= 0 && li == lj)
					b[nb++] = 2 * li;
				if (out && li != lj && li >= 0 && probed[j])
					b[nb++] = 2 * li + 1;
				if (out && li != lj && lj >= 0 && probed[i])
					b[nb++] = 2 * lj + 1;
				for (int x = 0; x < nb; x++)
					if (pass)
						val[at[b[x]]++] = w->pair_ns[k];
					else
						cnt[b[x]]++;
			}
		if (pass)
			break;
		at = calloc(2 * (size_t)p->count + 1, sizeof(*at));
		for (int q = 0; q < 2 * p->count; q++)
			tot += cnt[q];
		val = calloc((size_t)tot + 1, sizeof(*val));
		if (!at || !val)
			goto fail;
		for (int q = 1; q < 2 * p->count; q++)
			at[q] = at[q - 1] + cnt[q - 1];
	}
	for (int q = 0; q < p->count; q++) {
		/* at[b] has run past bucket b: its values end there */
		in[q] = vtc_stats_median_inplace(&val[at[2 * q] - cnt[2 * q]], (size_t)cnt[2 * q]);
		if (out)
			out[q] = vtc_stats_median_inplace(&val[at[2 * q + 1] - cnt[2 * q + 1]],
							  (size_t)cnt[2 * q + 1]);
	}
	free(cnt);
	free(at);
	free(val);
	free(probed);
	return 0;
fail:
	free(cnt);
	free(at);
	free(val);
	free(probed);
	return -ENOMEM;
}

/* Median contention score within group @q of @p: the first SMT_MAX^2
 * scored pairs in rank order. */
double infer_group_score(const struct infer_work *w, const struct infer_part *p, int q)
{
	const int *mem = &p->mem[p->start[q]];
	int m = part_size(p, q), n = 0;
	double s[SMT_MAX * SMT_MAX];

	for (int x = 0; x < m; x++)
		for (int y = x + 1; y < m && n < SMT_MAX * SMT_MAX; y++)
			if (!isnan(w->pair_score[infer_pair_index(w, mem[x], mem[y])]))
				s[n++] = w->pair_score[infer_pair_index(w, mem[x], mem[y])];
	return vtc_stats_median_inplace(s, (size_t)n);
}
