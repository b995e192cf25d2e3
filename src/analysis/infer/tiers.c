/* tiers.c - per-pass values and run quality (coverage, stalls, sample
 * dispersion), then latency tiers found by gaps on a log scale.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/stats.h"
#include "src/vtc.h"
#include "src/analysis/infer/work.h"

/* A tier boundary needs at least GAP_MIN_RATIO (work.h) between
 * neighbouring values, and a log gap this many times the larger within-tier spread, so one
 * homogeneous cloud (e.g. 150-250 ns under emulation) is never split. */
#define GAP_SPREAD_FACTOR 1.5
/* Below this share of pairs measured, or above this share of pairs whose
 * passes disagree, the run says "unknown" instead of guessing. */
#define COVERAGE_MIN 0.75
#define DISAGREE_MAX 0.25
/* Median p90/p10 of the samples above which one pass cannot be trusted. */
#define DISPERSION_MAX 5.0
/* Share of stalled passes (among pairs that also ran clean) above which the
 * vCPUs were too busy or too preempted for any pass to be trusted. */
#define STALL_RATE_MAX 0.25

/* Share of stalled passes among pairs that also had a clean pass: the
 * preemption rate of this run (pairs that never ran clean may be stacked). */
static double stall_rate(const struct infer_work *w)
{
	int stalled = 0, total = 0;

	for (int k = 0; k < w->npairs; k++) {
		const struct vtc_pair_result *p = &w->res->pairs[k];
		if (w->pair_stalled[k])
			continue;
		for (int ps = 0; ps < w->npasses; ps++) {
			total += p->pass[ps].measured;
			stalled += p->pass[ps].measured && p->pass[ps].stalled;
		}
	}
	return total ? (double)stalled / total : 0;
}

/* Whether the pair has a clean pass without a single stall. A pass that
 * stalled now and then was preempted; its median is only used when no quiet
 * pass exists (preemption slows a pass, and one slow pass must not pass
 * for a placement change). */
static bool has_quiet_pass(const struct vtc_pair_result *p, int passes)
{
	for (int ps = 0; ps < passes; ps++)
		if (p->pass[ps].measured && !p->pass[ps].stalled && p->pass[ps].samples > 0 &&
		    p->pass[ps].median_ns > 0 && p->pass[ps].stalls == 0)
			return true;
	return false;
}

/* Per-pass values, stalls, coverage and sample dispersion. */
int infer_collect(struct infer_work *w, struct vtc_inferred *out)
{
	const struct vtc_results *r = w->res;
	int usable = 0, ndisp = 0, usable_clean = 0;
	double *disp = calloc((size_t)w->npairs * (size_t)w->npasses + 1, sizeof(*disp));

	if (!disp)
		return -ENOMEM;
	for (int k = 0; k < w->npairs; k++) {
		const struct vtc_pair_result *p = &r->pairs[k];
		int valid = 0, stalls = 0;
		double pv[VTC_MAX_PASSES];

		bool quiet = has_quiet_pass(p, w->npasses);
		for (int ps = 0; ps < w->npasses; ps++) {
			const struct vtc_lat_stats *s = &p->pass[ps];
			w->pass_ns[k * w->npasses + ps] = -1;
			if (s->measured && s->stalled) {
				stalls++;
			} else if (s->measured && s->samples > 0 && s->median_ns > 0 &&
				   !(quiet && s->stalls > 0)) {
				w->pass_ns[k * w->npasses + ps] = s->median_ns;
				pv[valid++] = s->median_ns;
				if (s->p10_ns > 0 && s->p90_ns >= s->p10_ns)
					disp[ndisp++] = s->p90_ns / s->p10_ns;
			}
		}
		/* A stacked pair never gets a clean pass; a stalled pass among
		 * clean ones is host preemption, and the clean value stands. */
		w->pair_stalled[k] = stalls > 0 && valid == 0;
		w->pair_ns[k] = valid ? vtc_stats_median_inplace(pv, (size_t)valid) : -1;
		usable_clean += valid > 0;
		usable += valid > 0 || w->pair_stalled[k];
	}
	w->stall_rate = stall_rate(w);
	w->none_clean = usable_clean == 0;
	out->coverage = w->npairs ? (double)usable / w->npairs : 0;
	if (out->coverage < COVERAGE_MIN)
		snprintf(out->reason, sizeof(out->reason),
			 "only %d of %d vCPU pair%s could be measured%s", usable, w->npairs,
			 w->npairs == 1 ? "" : "s", w->res->budget_exhausted ?
			 " before the budget ran out: give a longer --budget" : "");
	else if (w->stall_rate > STALL_RATE_MAX)
		snprintf(out->reason, sizeof(out->reason),
			 "%.0f%% of pair measurements stalled: vCPUs busy with other work or "
			 "preempted by the host", 100 * w->stall_rate);
	else if (ndisp && vtc_stats_median_inplace(disp, (size_t)ndisp) > DISPERSION_MAX)
		snprintf(out->reason, sizeof(out->reason),
			 "latency samples too spread (median p90/p10 %.1f): host too busy to judge",
			 vtc_stats_median_inplace(disp, (size_t)ndisp));
	out->unknown = out->reason[0] != 0;
	free(disp);
	return 0;
}

/* Values of each side of a split that may stray into the gap between two
 * tiers: jitter puts the tails of two clouds of thousands of pairs into
 * each other's gap even when they are 2x apart, so the gap is measured
 * between the clouds with their strays left out: up to this share of the
 * smaller side, from each side (a side of a few values has none: one fast
 * pair may be a tier, and no cloud may hide a big one's tail). */
#define GAP_TRIM 0.05

static int trim_of(int nl, int nr)
{
	return (int)(GAP_TRIM * (nl < nr ? nl : nr));
}

/* Values each side needs before a split is judged against the cloud next
 * to the gap rather than the whole side. */
#define LOCAL_MIN 8

/* Spread of one side of a split, [lo,hi) of sorted logs: the side's own,
 * or, when both sides are big enough, that of the values next to the gap,
 * as many as the smaller side holds, if smaller. A side that holds several
 * tiers, or a continuum of in-socket latencies (a mesh or ring of CCXs),
 * has a wide spread that says nothing about the cloud at the gap: 24 SMT
 * pairs at 8 ns below a continuum of 24-200 ns are still a tier. */
static double side_spread(const double *x, int lo, int hi, int m, bool lower)
{
	double full = vtc_stats_spread_sorted(x + lo, (size_t)(hi - lo));

	if (m < LOCAL_MIN || m >= hi - lo)
		return full;
	return fmin(full, vtc_stats_spread_sorted(lower ? x + hi - m : x + lo, (size_t)m));
}

/* Whether splitting sorted logs [lo,hi) after index @i is a tier boundary:
 * the gap must be large against the spread on both sides. Returns the gap
 * over the larger spread (higher = clearer), 0 when not a boundary. */
static double split_score(const double *x, int lo, int hi, int i)
{
	int nl = i + 1 - lo, nr = hi - i - 1;
	double gap = x[i + 1 + trim_of(nl, nr)] - x[i - trim_of(nl, nr)], sl, sr, sp;

	if (gap < log(GAP_MIN_RATIO))
		return 0;
	sl = side_spread(x, lo, i + 1, nl < nr ? nl : nr, true);
	sr = side_spread(x, i + 1, hi, nl < nr ? nl : nr, false);
	sp = fmax(sl, sr);
	if (gap < GAP_SPREAD_FACTOR * sp)
		return 0;
	/* Noise only ever slows a pair down, so a single fast value may be a
	 * tier; a single slow one must stand out much more clearly. */
	if (nr < 2 && gap < 3 * GAP_SPREAD_FACTOR * fmax(sl, log(GAP_MIN_RATIO)))
		return 0;
	return gap / fmax(sp, 1e-3);
}

/* The boundary of a split found at @i: the widest plain gap among the
 * values left out as strays on either side (the bottom of the valley). */
static int valley_bottom(const double *x, int lo, int hi, int i)
{
	int t = trim_of(i + 1 - lo, hi - i - 1), from = i - t, to = i + t, best = i;

	for (int j = from; j <= to; j++)
		if (x[j + 1] - x[j] > x[best + 1] - x[best])
			best = j;
	return best;
}

/* Best split of segment [lo,hi) of sorted logs: the index of the last value
 * of the lower side, or -1 when the segment is one cloud. Every gap is
 * tried: the widest one may sit next to a side that still holds two tiers. */
static int best_split(const double *x, int lo, int hi, double *score_out)
{
	int best = -1;
	double bs = 0;

	for (int i = lo; i + 1 < hi; i++) {
		double sc = split_score(x, lo, hi, i);
		if (sc > bs) {
			bs = sc;
			best = i;
		}
	}
	*score_out = bs;
	return best < 0 ? -1 : valley_bottom(x, lo, hi, best);
}

/* Double to an unsigned key in the same order (no NaN here). */
static uint64_t order_key(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u >> 63 ? ~u : u | UINT64_C(1) << 63;
}

static double key_double(uint64_t u)
{
	double d;

	u = u >> 63 ? u & ~(UINT64_C(1) << 63) : ~u;
	memcpy(&d, &u, sizeof(d));
	return d;
}

/* Sort @x ascending (no NaN, no -0: logs of positive values) like
 * vtc_stats_sort(), by LSD radix sort on 16-bit digits of the order keys:
 * linear time for the million pair values of 1024 vCPUs. */
static int sort_logs(double *x, int m)
{
	uint64_t *a, *b, *t;
	size_t *cnt;

	if (m < 4096) {
		vtc_stats_sort(x, (size_t)m);
		return 0;
	}
	a = malloc((size_t)m * sizeof(*a));
	b = malloc((size_t)m * sizeof(*b));
	cnt = malloc(65536 * sizeof(*cnt));
	if (!a || !b || !cnt) {
		free(a);
		free(b);
		free(cnt);
		return -ENOMEM;
	}
	for (int i = 0; i < m; i++)
		a[i] = order_key(x[i]);
	for (int shift = 0; shift < 64; shift += 16) {
		size_t pos = 0;
		memset(cnt, 0, 65536 * sizeof(*cnt));
		for (int i = 0; i < m; i++)
			cnt[a[i] >> shift & 0xffff]++;
		if (cnt[a[0] >> shift & 0xffff] == (size_t)m)
			continue; /* one digit value: already in order */
		for (int d = 0; d < 65536; d++) {
			size_t c = cnt[d];
			cnt[d] = pos;
			pos += c;
		}
		for (int i = 0; i < m; i++)
			b[cnt[a[i] >> shift & 0xffff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	for (int i = 0; i < m; i++)
		x[i] = key_double(a[i]);
	free(a);
	free(b);
	free(cnt);
	return 0;
}

/* Fastest pass of pair @k, -1 none. */
static double fastest_pass(const struct infer_work *w, int k)
{
	double v = -1;

	for (int p = 0; p < w->npasses; p++) {
		double u = w->pass_ns[k * w->npasses + p];
		if (u > 0 && (v < 0 || u < v))
			v = u;
	}
	return v;
}

/* Whether the pairs with a pass at or below @ns pair every vCPU with at
 * most one partner, and at least two vCPUs with one. @deg: scratch of ncpu
 * ints. */
static bool pairs_only(const struct infer_work *w, double ns, int *deg)
{
	int pairs = 0;

	memset(deg, 0, sizeof(*deg) * (size_t)w->ncpu);
	for (int i = 0; i < w->ncpu; i++)
		for (int j = i + 1; j < w->ncpu; j++) {
			double v = fastest_pass(w, infer_pair_index(w, i, j));
			/* @ns went through log and exp: allow for the rounding */
			if (!(v > 0) || v > ns * (1 + 1e-9))
				continue;
			if (++deg[i] > 1 || ++deg[j] > 1)
				return false;
			pairs++;
		}
	return pairs >= 2;
}

/* Join neighbouring near tiers that are one level by structure: when the
 * pairs of both together still pair each vCPU with one partner at most,
 * they are all core (or L2) siblings and the slower tier is siblings read
 * slower (one SMT pair at 2x its peers, under a busy moment or a host
 * quirk), not a level of its own: a level between SMT and the next cache
 * gives a vCPU several partners. Returns the new cut count, -ENOMEM. */
static int join_unit_tiers(const struct infer_work *w, const double *x, int *cut, int ncut)
{
	int *deg = malloc(sizeof(*deg) * ((size_t)w->ncpu + 1));

	if (!deg)
		return -ENOMEM;
	while (ncut > 3 && pairs_only(w, exp(x[cut[2] - 1]), deg)) {
		memmove(&cut[1], &cut[2], (size_t)(ncut - 2) * sizeof(int));
		ncut--;
	}
	free(deg);
	return ncut;
}

static int find_tiers(struct infer_work *w, struct vtc_inferred *out, double *x, int m)
{
	int cut[VTC_INFER_MAX_TIERS + 1] = {0, m}, ncut = 2;

	for (int i = 0; i < m; i++)
		x[i] = log(x[i]);
	if (sort_logs(x, m))
		return -ENOMEM;
	while (ncut - 1 < VTC_INFER_MAX_TIERS) {
		int at = -1, seg = -1;
		double bg = 0;
		for (int s = 0; s + 1 < ncut; s++) {
			double g = 0;
			int b = best_split(x, cut[s], cut[s + 1], &g);
			if (b >= 0 && g > bg) {
				bg = g;
				at = b;
				seg = s;
			}
		}
		if (at < 0)
			break;
		memmove(&cut[seg + 2], &cut[seg + 1], (size_t)(ncut - seg - 1) * sizeof(int));
		cut[seg + 1] = at + 1;
		ncut++;
	}
	ncut = join_unit_tiers(w, x, cut, ncut);
	if (ncut < 0)
		return -ENOMEM;
	out->n_tiers = ncut - 1;
	for (int t = 0; t < out->n_tiers; t++) {
		struct vtc_tier *ti = &out->tier[t];
		int lo = cut[t], hi = cut[t + 1];
		ti->lo_ns = exp(x[lo]);
		ti->hi_ns = exp(x[hi - 1]);
		ti->median_ns = exp(vtc_stats_median_sorted(&x[lo], (size_t)(hi - lo)));
		ti->n = hi - lo;
	}
	for (int t = 0; t < out->n_tiers; t++)
		w->tier_bound[t] = t + 1 < out->n_tiers ?
			sqrt(out->tier[t].hi_ns * out->tier[t + 1].lo_ns) : INFINITY;
	return 0;
}

static int tier_of(const struct infer_work *w, int ntiers, double v)
{
	for (int t = 0; t < ntiers; t++)
		if (v <= w->tier_bound[t])
			return t;
	return ntiers - 1;
}

/* Tier of every pair measurement, and of every pair across passes. */
int infer_label(struct infer_work *w, struct vtc_inferred *out)
{
	int m = 0, multi = 0, disagree = 0;
	double *x = calloc((size_t)w->npairs * (size_t)w->npasses + 1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	for (int i = 0; i < w->npairs * w->npasses; i++)
		if (w->pass_ns[i] > 0)
			x[m++] = w->pass_ns[i];
	if (m == 0) {
		/* Only stacked groups can still be found (infer_run decides). */
		free(x);
		out->n_tiers = 0;
		return 0;
	}
	if (find_tiers(w, out, x, m)) {
		free(x);
		return -ENOMEM;
	}
	free(x);
	for (int k = 0; k < w->npairs; k++) {
		int t0 = -1, valid = 0, mixed = 0, fast = 0;
		for (int ps = 0; ps < w->npasses; ps++) {
			double v = w->pass_ns[k * w->npasses + ps];
			int t = v > 0 ? tier_of(w, out->n_tiers, v) : -1;
			w->pass_tier[k * w->npasses + ps] = t;
			if (t < 0)
				continue;
			mixed |= valid++ && t != t0;
			fast |= t == 0;
			t0 = t;
		}
		w->pair_tier[k] = valid ? (mixed ? INFER_TIER_MIXED : t0) : INFER_TIER_NONE;
		multi += valid > 1;
		disagree += mixed && !fast; /* fast-tier changes are floating evidence */
	}
	out->pass_disagree = multi ? (double)disagree / multi : 0;
	if (out->pass_disagree > DISAGREE_MAX && !out->unknown) {
		snprintf(out->reason, sizeof(out->reason),
			 "passes disagree on %.0f%% of vCPU pairs: host too busy to judge",
			 100 * out->pass_disagree);
		out->unknown = true;
	}
	return 0;
}
