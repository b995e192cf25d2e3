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
	free(e->nearest);
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

/* Second nearest value of rank @i's row besides partner rank @j. */
static double next_nearest(const struct vtc_evidence *e, int i, int j)
{
	int k = vtc_pairs_nearest(e->pair_ns, e->n, i, j);

	return k < 0 ? INFINITY : e->pair_ns[vtc_pair_index(e->n, i, k)];
}

/* Whether ranks @i, @j are each other's nearest partner by a tier gap in
 * both rows: what siblings look like whatever tier noise puts them in (a
 * mesh's accidental nearest pairs win by a hair). */
static bool clear_twins(const struct vtc_evidence *e, int i, int j)
{
	double v = i != j ? e->pair_ns[vtc_pair_index(e->n, i, j)] : -1;

	return v > 0 && e->nearest[i] == e->cpu[j] && e->nearest[j] == e->cpu[i] &&
	       next_nearest(e, i, j) >= VTC_TIER_GAP_MIN * v &&
	       next_nearest(e, j, i) >= VTC_TIER_GAP_MIN * v;
}

/* Units from the rows when the tiers gave none: noise can blur the SMT
 * tier into the next one, but siblings stay each other's nearest partner
 * by a tier gap in both rows. Taken only when such pairs hold at least
 * half the vCPUs (twins of a mesh are accidents, and rare). */
static int row_units(struct vtc_evidence *e)
{
	int pairs = 0;
	int *mate = malloc(sizeof(*mate) * ((size_t)e->n + 1));

	if (!mate)
		return -ENOMEM;
	for (int i = 0; i < e->n; i++) {
		int j = e->nearest[i] >= 0 ? e->rank[e->nearest[i]] : -1;
		mate[i] = -1;
		if (j >= 0 && clear_twins(e, i, j)) {
			mate[i] = j;
			pairs += i < j;
		}
	}
	if (pairs >= 2 && 4 * pairs >= e->n) {
		e->unit_cpus = calloc((size_t)pairs + 1, sizeof(*e->unit_cpus));
		if (!e->unit_cpus) {
			free(mate);
			return -ENOMEM;
		}
		for (int i = 0; i < e->n; i++) {
			if (mate[i] < i)
				continue;
			e->unit[i] = e->unit[mate[i]] = e->n_units;
			vtc_cpuset_set(&e->unit_cpus[e->n_units], e->cpu[i]);
			vtc_cpuset_set(&e->unit_cpus[e->n_units], e->cpu[mate[i]]);
			e->n_units++;
		}
		e->units_by_rows = true;
	}
	free(mate);
	return 0;
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
	return e->n_units ? 0 : row_units(e);
}

static void find_nearest(struct vtc_evidence *e)
{
	for (int i = 0; i < e->n; i++) {
		int j = vtc_pairs_nearest(e->pair_ns, e->n, i, -1);
		e->nearest[i] = j < 0 ? -1 : e->cpu[j];
	}
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
	e->nearest = malloc(sizeof(*e->nearest) * ((size_t)r->n + 1));
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
	find_nearest(e);
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

bool vtc_evidence_clear_twins(const struct vtc_evidence *e, int a, int b)
{
	if (a < 0 || b < 0 || a >= VTC_CPUSET_MAX || b >= VTC_CPUSET_MAX || e->rank[a] < 0 ||
	    e->rank[b] < 0)
		return false;
	return clear_twins(e, e->rank[a], e->rank[b]);
}
