/* evidence.c - pair tiers and near-tier sharing units.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/evidence.h"
#include "src/analysis/unionfind.h"

/* The tier holding @ns, or for a value in a gap between two tiers the one
 * nearer on a log scale (tiers were found as gaps on that scale). */
static int tier_of(const struct vtc_tier *t, int n, double ns)
{
	int best = -1;
	double dist = INFINITY;

	if (!(ns > 0))
		return -1;
	for (int k = 0; k < n; k++) {
		double d = 0;
		if (ns < t[k].lo_ns)
			d = log(t[k].lo_ns / ns);
		else if (ns > t[k].hi_ns)
			d = log(ns / t[k].hi_ns);
		if (d < dist) {
			dist = d;
			best = k;
		}
	}
	return best;
}

void vtc_evidence_free(struct vtc_evidence *e)
{
	if (!e)
		return;
	free(e->rank);
	free(e->pair_tier);
	free(e->pair_ns);
	free(e->unit);
	free(e->unit_cpus);
	memset(e, 0, sizeof(*e));
}

/* Components of tier 0 must be cliques of 2..MAX_UNIT, at least two of
 * them: then tier 0 is sharing of cores or small caches. One pair alone,
 * one CPU's row, or a tier as wide as a cache level is not. */
static bool units_valid(const struct vtc_evidence *e, const int *uf, const int *size)
{
	int comps = 0;

	for (int i = 0; i < e->n; i++) {
		if (uf[i] != i || size[i] < 2)
			continue;
		if (size[i] > VTC_EVIDENCE_MAX_UNIT)
			return false;
		comps++;
	}
	for (int i = 0; i < e->n; i++)
		for (int j = i + 1; j < e->n; j++)
			if (vtc_uf_find((int *)uf, i) == vtc_uf_find((int *)uf, j) &&
			    size[vtc_uf_find((int *)uf, i)] >= 2 && e->pair_tier[vtc_pair_index(e->n, i, j)] != 0)
				return false;
	return comps >= 2;
}

static int find_units(struct vtc_evidence *e)
{
	int *uf = malloc(sizeof(*uf) * (size_t)e->n * 2), *size;

	if (!uf)
		return -ENOMEM;
	size = uf + e->n;
	for (int i = 0; i < e->n; i++) {
		uf[i] = i;
		size[i] = 1;
	}
	for (int i = 0; e->n_tiers > 1 && i < e->n; i++)
		for (int j = i + 1; j < e->n; j++) {
			int a = vtc_uf_find(uf, i), b = vtc_uf_find(uf, j);
			if (e->pair_tier[vtc_pair_index(e->n, i, j)] != 0 || a == b)
				continue;
			uf[b] = a;
			size[a] += size[b];
		}
	if (e->n_tiers > 1 && units_valid(e, uf, size)) {
		e->unit_cpus = calloc((size_t)e->n, sizeof(*e->unit_cpus));
		if (!e->unit_cpus) {
			free(uf);
			return -ENOMEM;
		}
		for (int i = 0; i < e->n; i++) {
			int root = vtc_uf_find(uf, i);
			if (size[root] < 2)
				continue;
			if (e->unit[root] < 0)
				e->unit[root] = e->n_units++;
			e->unit[i] = e->unit[root];
			vtc_cpuset_set(&e->unit_cpus[e->unit[i]], e->cpu[i]);
		}
	}
	free(uf);
	return 0;
}

int vtc_evidence_init(struct vtc_evidence *e, const struct vtc_results *r,
		      const struct vtc_inferred *inf)
{
	long np;

	if (!e)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	if (!r || !inf)
		return -EINVAL;
	e->n = r->n;
	e->cpu = r->cpu;
	e->n_tiers = inf->n_tiers;
	e->tier = inf->tier;
	np = (long)r->n * (r->n - 1) / 2 + 1;
	e->rank = malloc(sizeof(*e->rank) * VTC_CPUSET_MAX);
	e->pair_tier = malloc((size_t)np);
	e->pair_ns = malloc(sizeof(*e->pair_ns) * (size_t)np);
	e->unit = malloc(sizeof(*e->unit) * ((size_t)r->n + 1));
	if (!e->rank || !e->pair_tier || !e->pair_ns || !e->unit)
		return -ENOMEM;
	for (int c = 0; c < VTC_CPUSET_MAX; c++)
		e->rank[c] = -1;
	for (int i = 0; i < r->n; i++) {
		e->rank[r->cpu[i]] = i;
		e->unit[i] = -1;
	}
	for (int i = 0; i < r->n; i++)
		for (int j = i + 1; j < r->n; j++) {
			double ns = vtc_results_pair_median(r, r->cpu[i], r->cpu[j]);
			/* busy rows and hiccups, as inference corrected them */
			if (ns > 0 && inf->pair_scale)
				ns *= inf->pair_scale[vtc_pair_index(r->n, i, j)];
			e->pair_ns[vtc_pair_index(r->n, i, j)] = ns;
			e->pair_tier[vtc_pair_index(r->n, i, j)] = (signed char)tier_of(e->tier, e->n_tiers, ns);
		}
	return find_units(e);
}

static long pair_at(const struct vtc_evidence *e, int a, int b)
{
	if (a < 0 || b < 0 || a >= VTC_CPUSET_MAX || b >= VTC_CPUSET_MAX || a == b)
		return -1;
	if (e->rank[a] < 0 || e->rank[b] < 0)
		return -1;
	return vtc_pair_index(e->n, e->rank[a], e->rank[b]);
}

int vtc_evidence_tier(const struct vtc_evidence *e, int a, int b)
{
	long k = pair_at(e, a, b);

	return k < 0 ? -1 : e->pair_tier[k];
}

double vtc_evidence_ns(const struct vtc_evidence *e, int a, int b)
{
	long k = pair_at(e, a, b);

	return k < 0 ? -1 : e->pair_ns[k];
}

int vtc_evidence_unit(const struct vtc_evidence *e, int cpu)
{
	if (cpu < 0 || cpu >= VTC_CPUSET_MAX || e->rank[cpu] < 0)
		return -1;
	return e->unit[e->rank[cpu]];
}

bool vtc_evidence_all_in_tier(const struct vtc_evidence *e, const vtc_cpuset *cpus, int tier)
{
	int a, b;

	vtc_cpuset_foreach(a, cpus)
		vtc_cpuset_foreach(b, cpus) {
			int t = a < b ? vtc_evidence_tier(e, a, b) : -1;
			if (t >= 0 && t != tier)
				return false;
		}
	return true;
}
