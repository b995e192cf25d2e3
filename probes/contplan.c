/* contplan.c - contention jobs in rounds, see contplan.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "probes/contplan.h"
#include "src/analysis/stats.h"

/* Ratios of a pair's latency to a CPU's nearest one, not nanoseconds. */
#define SCHED_CONT_NEAR 1.5 /* x a CPU's nearest latency: may share its core */
#define SCHED_CONT_FAR 3.0  /* x a CPU's nearest latency: clearly another core */

/* Latency used to rank partners: a stalled pair ranks first (0), an
 * unmeasured one last. */
static double rank_latency(const struct vtc_results *r, int a, int b)
{
	double m = vtc_results_pair_median(r, a, b);
	const struct vtc_pair_result *pr = vtc_results_pair(r, a, b);

	if (m >= 0)
		return m;
	for (int i = 0; pr && i < r->n_passes; i++)
		if (pr->pass[i].stalled)
			return 0;
	return INFINITY;
}

/* @cpu's partner with the lowest latency (median: the middle one). */
int vtc_cont_plan_partner(const struct vtc_results *r, int cpu, bool median)
{
	double *v = malloc(sizeof(double) * (size_t)r->n);
	int best = -1, m = 0;

	if (!v)
		return -1;
	for (int j = 0; j < r->n; j++)
		if (r->cpu[j] != cpu && isfinite(rank_latency(r, cpu, r->cpu[j])))
			v[m++] = rank_latency(r, cpu, r->cpu[j]);
	if (m) {
		vtc_stats_sort(v, (size_t)m);
		double want = median ? v[m / 2] : v[0];
		for (int j = 0; j < r->n && best < 0; j++)
			if (r->cpu[j] != cpu && rank_latency(r, cpu, r->cpu[j]) == want)
				best = r->cpu[j];
	}
	free(v);
	return best;
}

/* One CPU at a time (--serial, or a backend without throughput_many). */
void vtc_cont_plan_free(struct vtc_cont_plan *pl)
{
	free(pl->job);
	free(pl->round);
	free(pl->near);
}

/* The nearest a pair ever read: its lowest pass median that did not stall
 * (INFINITY: none); *stalled when a pass stalled (maybe one pCPU). A pair
 * near in one pass only (vCPUs the host moves) may share a core when the
 * contention round runs. */
static double near_latency(const struct vtc_results *r, int a, int b, bool *stalled)
{
	const struct vtc_pair_result *pr = vtc_results_pair(r, a, b);
	double best = INFINITY;

	*stalled = false;
	for (int i = 0; pr && i < r->n_passes; i++) {
		const struct vtc_lat_stats *l = &pr->pass[i];
		*stalled |= l->measured && l->stalled;
		if (l->measured && !l->stalled && l->samples && l->median_ns < best)
			best = l->median_ns;
	}
	return best;
}

/* near[i][j]: i and j may share a core: a pass stalled, or j read within
 * SCHED_CONT_NEAR of i's nearest partner in some pass, or the other way
 * round. A CPU never measured is near every other. */
static void plan_near(const struct vtc_results *r, unsigned char *near)
{
	int n = r->n;
	double *lo = malloc(sizeof(double) * (size_t)n);
	bool st;

	for (int i = 0; i < n * n; i++)
		near[i] = 1; /* no memory to judge: keep every CPU apart */
	if (!lo)
		return;
	for (int i = 0; i < n; i++) {
		lo[i] = INFINITY;
		for (int j = 0; j < n; j++)
			if (j != i)
				lo[i] = fmin(lo[i], near_latency(r, r->cpu[i], r->cpu[j], &st));
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			double l = j == i ? 0 : near_latency(r, r->cpu[i], r->cpu[j], &st);
			near[i * n + j] = i == j || st || l <= SCHED_CONT_NEAR * lo[i] ||
					  l <= SCHED_CONT_NEAR * lo[j];
		}
	free(lo);
}

/* Pass @ps's reading of pair i,j: its median, INFINITY if not measured
 * or stalled. */
static double pass_ns(const struct vtc_results *r, int ps, int i, int j)
{
	const struct vtc_pair_result *pr = vtc_results_pair(r, r->cpu[i], r->cpu[j]);
	const struct vtc_lat_stats *l = pr ? &pr->pass[ps] : NULL;

	return l && l->measured && !l->stalled && l->samples ? l->median_ns : INFINITY;
}

/* True when one pass read a pair near (within SCHED_CONT_NEAR of either
 * CPU's nearest reading in any pass) and another read it clearly far
 * (past SCHED_CONT_FAR): the host moved the vCPUs, and which of them may
 * share a core during a round is unknown (then contention runs one job at
 * a time). A pass that stalled says nothing either way. */
bool vtc_cont_plan_moved(const struct vtc_results *r)
{
	int n = r->n;
	double *lo = malloc(sizeof(double) * (size_t)n);
	bool moved = false;

	if (!lo)
		return true;
	for (int i = 0; i < n; i++) {
		lo[i] = INFINITY;
		for (int j = 0; j < n; j++)
			for (int ps = 0; ps < r->n_passes && j != i; ps++)
				lo[i] = fmin(lo[i], pass_ns(r, ps, i, j));
	}
	for (int i = 0; i < n && !moved; i++)
		for (int j = i + 1; j < n && !moved; j++) {
			double ref = fmin(lo[i], lo[j]);
			int seen = 0; /* bit 0: near in a pass, bit 1: far in one */
			for (int ps = 0; ps < r->n_passes; ps++) {
				double l = pass_ns(r, ps, i, j);
				seen |= l <= SCHED_CONT_NEAR * ref ? 1 : 0;
				seen |= isfinite(l) && l > SCHED_CONT_FAR * ref ? 2 : 0;
			}
			moved = seen == 3;
		}
	free(lo);
	return moved;
}

/* Append co-run a,b unless unprobed or already planned. */
static void plan_add(const struct vtc_results *r, struct vtc_cont_plan *pl, int a, int b)
{
	if (vtc_results_rank(r, a) < 0 || vtc_results_rank(r, b) < 0)
		return;
	for (int i = 0; i < pl->n_jobs; i++)
		if (pl->job[i][1] >= 0 && ((pl->job[i][0] == a && pl->job[i][1] == b) ||
					   (pl->job[i][0] == b && pl->job[i][1] == a)))
			return;
	pl->job[pl->n_jobs][0] = a;
	pl->job[pl->n_jobs][1] = b;
	pl->n_jobs++;
}

/* The co-runs, in the order the serial path runs them. */
static void plan_coruns(const struct vtc_results *r, struct vtc_cont_plan *pl,
			const int (*extra)[2], int n_extra)
{
	int n = r->n, step = n / VTC_CONT_PLAN_CONTROLS > 0 ? n / VTC_CONT_PLAN_CONTROLS : 1;

	plan_add(r, pl, r->cpu[0], r->cpu[0]);
	for (int i = 0; i < n_extra; i++)
		plan_add(r, pl, extra[i][0], extra[i][1]);
	for (int i = 0; i < n; i++) {
		int p = vtc_cont_plan_partner(r, r->cpu[i], false);
		if (p >= 0)
			plan_add(r, pl, r->cpu[i], p);
	}
	for (int i = 0; i < n && n > 2; i += step) {
		int p = vtc_cont_plan_partner(r, r->cpu[i], true);
		if (p >= 0)
			plan_add(r, pl, r->cpu[i], p);
	}
}

/* First fit: each round takes, in order, every job whose CPUs are neither
 * used nor near a CPU already in the round. Rounds stay few: a CPU is near
 * only a handful of others. */
static int plan_rounds(const struct vtc_results *r, struct vtc_cont_plan *pl, int from, int to)
{
	int n = r->n, left = to - from;
	unsigned char *busy = calloc((size_t)n, 1);

	if (!busy)
		return -ENOMEM;
	for (int i = from; i < to; i++)
		pl->round[i] = -1;
	for (int rd = pl->n_rounds; left > 0; rd++, pl->n_rounds++) {
		memset(busy, 0, (size_t)n);
		for (int i = from; i < to; i++) {
			int a = vtc_results_rank(r, pl->job[i][0]);
			int b = pl->job[i][1] < 0 ? a : vtc_results_rank(r, pl->job[i][1]);
			if (pl->round[i] >= 0 || busy[a] || busy[b])
				continue;
			pl->round[i] = rd;
			left--;
			for (int j = 0; j < n; j++)
				busy[j] |= pl->near[a * n + j] | pl->near[b * n + j];
		}
	}
	free(busy);
	return 0;
}

/* Solo jobs first (every co-run needs both solo rates), then co-runs. */
int vtc_cont_plan_make(const struct vtc_results *r, struct vtc_cont_plan *pl, const int (*extra)[2],
		     int n_extra)
{
	/* solo n, same-vCPU 1, extras, partners n, controls up to n */
	int n = r->n, cap = 3 * n + n_extra + 1, rc;

	memset(pl, 0, sizeof(*pl));
	pl->job = calloc((size_t)cap, sizeof(*pl->job));
	pl->round = calloc((size_t)cap, sizeof(int));
	pl->near = malloc((size_t)n * (size_t)n);
	if (!pl->job || !pl->round || !pl->near)
		return -ENOMEM;
	plan_near(r, pl->near);
	for (int i = 0; i < n; i++) {
		pl->job[i][0] = r->cpu[i];
		pl->job[i][1] = -1;
	}
	pl->n_jobs = n;
	plan_coruns(r, pl, extra, n_extra);
	rc = plan_rounds(r, pl, 0, n);
	return rc ? rc : plan_rounds(r, pl, n, pl->n_jobs);
}

