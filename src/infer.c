/* infer.c - from measured pair latencies and contention to the real topology.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything here is relative to the run itself: published one-way latencies
 * overlap across vendors (Zen same-CCX 15-32 ns, Intel same-socket 43-55 ns,
 * anything ~200 ns under emulation), so no nanosecond value is a threshold.
 * The only constants are ratios: how large a gap between tiers must be
 * relative to the spread inside them, and how far a co-run ratio must move
 * from the "separate cores" control towards the "same vCPU" control. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infer.h"
#include "vtc.h"

/* A tier boundary needs at least this ratio between neighbouring values... */
#define GAP_MIN_RATIO 1.25
/* ...and a log gap this many times the larger within-tier spread, so one
 * homogeneous cloud (e.g. 150-250 ns under emulation) is never split. */
#define GAP_SPREAD_FACTOR 1.5
/* Contention score (0 = like separate cores, 1 = like one vCPU) from which a
 * fast pair counts as sharing a core, and a stalled pair as stacked. */
#define SMT_SCORE_MIN 0.3
#define STACK_SCORE_MIN 0.7
/* Two busy vCPUs on one host CPU each wait half the time: steal ~50%. */
#define STACK_STEAL_MIN 25.0
/* Median deviation of control co-runs, as a share of the control range,
 * above which a score of SMT_SCORE_MIN could come from noise (~3 sigma). */
#define CONT_NOISE_MAX 0.07
/* Largest SMT group (SMT8 on POWER; x86 has 2, Xeon Phi 4). */
#define SMT_MAX 8
/* Below this share of pairs measured, or above this share of pairs whose
 * passes disagree, the run says "unknown" instead of guessing. */
#define COVERAGE_MIN 0.75
#define DISAGREE_MAX 0.25
/* Median p90/p10 of the samples above which one pass cannot be trusted. */
#define DISPERSION_MAX 5.0
/* Share of stalled passes (among pairs that also ran clean) above which the
 * vCPUs were too busy or too preempted for any pass to be trusted. */
#define STALL_RATE_MAX 0.25
/* Two threads on one vCPU get half of it each: a same-vCPU control further
 * than this from 0.5 means other work disturbed that probe kind. */
#define CTL_SAME_TOL 0.15

struct work {
	const struct vtc_results *r;
	int n, np, P;
	double *v;     /* [k*P+p] per-pass one-way median ns, -1 none */
	int *tier;     /* [k*P+p] tier of v, -1 none */
	double *comb;  /* [k] median over passes, -1 none */
	int *ptier;    /* [k] tier of all passes, -1 none, -2 passes disagree */
	bool *stalled; /* [k] stalled in every measured pass: no clean value */
	double *score; /* [k] contention score, NAN none */
	bool *mixed;   /* [k] median kind looks shared, some kind does not */
	int *uf;       /* union-find over ranks */
	int *cont_of;  /* [k] first contention result of the pair, -1 none */
	int *uf_at, *uf_mem; /* scratch for uf_groups, n each */
	int steal_n;   /* vCPUs with a steal figure */
	double steal_q; /* lower quartile of their steal (%) */
	bool far_assumed; /* no pair outside the candidates co-ran: "separate
			     cores" is taken as ratio 1.0, not measured */
	double stall_rate; /* stalled passes of pairs that also had clean ones */
	bool none_clean;   /* no pair had a single clean pass */
	double bound[VTC_INFER_MAX_TIERS]; /* upper boundary of each tier */
};

const char *vtc_gkind_name(enum vtc_gkind k)
{
	static const char *const names[VTC_GROUP_KINDS] = {"smt", "llc", "socket", "stacked"};
	return (unsigned)k < VTC_GROUP_KINDS ? names[k] : "?";
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Sort @v ascending: insertion sort for the few values of one pair (a
 * qsort call per pair costs more than the sort), qsort beyond. */
static void sort_doubles(double *v, int n)
{
	if (n > 16) {
		qsort(v, (size_t)n, sizeof(*v), cmp_double);
		return;
	}
	for (int i = 1; i < n; i++) {
		double x = v[i];
		int j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Median of @v (sorted in place); NAN when empty. */
static double median(double *v, int n)
{
	if (n <= 0)
		return NAN;
	sort_doubles(v, n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void swap_d(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

/* Move the k-th smallest of v[0..n) to v[k], smaller ones before it and
 * larger ones after (quickselect, median-of-three pivot). */
static void select_kth(double *v, int n, int k)
{
	int lo = 0, hi = n - 1;

	while (hi - lo > 16) {
		int mid = lo + (hi - lo) / 2, i = lo, j = hi;
		if (v[mid] < v[lo])
			swap_d(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap_d(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap_d(&v[hi], &v[mid]);
		double pivot = v[mid];
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
				swap_d(&v[i++], &v[j--]);
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return; /* v[j+1..i-1] all equal the pivot */
	}
	sort_doubles(&v[lo], hi - lo + 1);
}

/* Median of @v like median(), in linear time for large buffers (the order
 * is left unspecified): the same two middle values, hence the same result. */
static double median_select(double *v, int n)
{
	double lo, hi;

	if (n <= 16)
		return median(v, n);
	select_kth(v, n, n / 2);
	hi = v[n / 2];
	if (n % 2)
		return hi;
	lo = v[0];
	for (int i = 1; i < n / 2; i++)
		lo = fmax(lo, v[i]);
	return (lo + hi) / 2;
}

static int pidx(const struct work *w, int i, int j)
{
	if (i > j) {
		int t = i;
		i = j;
		j = t;
	}
	return i * w->n - i * (i + 1) / 2 + (j - i - 1);
}

static int uf_find(int *uf, int x)
{
	while (uf[x] != x) {
		uf[x] = uf[uf[x]];
		x = uf[x];
	}
	return x;
}

static void uf_union(int *uf, int a, int b)
{
	a = uf_find(uf, a);
	b = uf_find(uf, b);
	if (a != b)
		uf[a < b ? b : a] = a < b ? a : b;
}

static void uf_reset(struct work *w)
{
	for (int i = 0; i < w->n; i++)
		w->uf[i] = i;
}

/* A partition of the ranks: lab[i] is the group of rank i (-1 none) and
 * the members of group q, ascending, are mem[start[q]..start[q+1]). Built
 * once, so per-group work costs the group's size instead of a scan of all
 * pairs per group (cubic at 1024 vCPUs). */
struct part {
	int count;
	int *lab, *start, *mem;
};

static void part_free(struct part *p)
{
	free(p->lab);
	free(p->start);
	free(p->mem);
	memset(p, 0, sizeof(*p));
}

/* Members lists from p->lab (counting sort keeps ranks ascending). */
static void part_index(const struct work *w, struct part *p)
{
	for (int i = 0; i < w->n; i++)
		if (p->lab[i] >= 0)
			p->start[p->lab[i] + 2]++;
	for (int q = 0; q < p->count; q++)
		p->start[q + 2] += p->start[q + 1];
	for (int i = 0; i < w->n; i++)
		if (p->lab[i] >= 0)
			p->mem[p->start[p->lab[i] + 1]++] = i;
}

static int part_alloc(const struct work *w, struct part *p, int count)
{
	p->count = count;
	p->lab = malloc((size_t)w->n * sizeof(*p->lab));
	p->start = calloc((size_t)count + 2, sizeof(*p->start));
	p->mem = malloc((size_t)w->n * sizeof(*p->mem));
	if (!p->lab || !p->start || !p->mem) {
		part_free(p);
		return -ENOMEM;
	}
	for (int i = 0; i < w->n; i++)
		p->lab[i] = -1;
	return 0;
}

/* The partition of @g; a rank in two groups counts in the first, as
 * vtc_inferred_find() sees it. */
static int part_from_groups(const struct work *w, const struct vtc_igroups *g, struct part *p)
{
	int c;

	if (part_alloc(w, p, g->count))
		return -ENOMEM;
	for (int q = 0; q < g->count; q++)
		vtc_cpuset_foreach(c, &g->g[q].cpus) {
			int i = vtc_results_rank(w->r, c);
			if (i >= 0 && p->lab[i] < 0)
				p->lab[i] = q;
		}
	part_index(w, p);
	return 0;
}

static int part_size(const struct part *p, int q)
{
	return p->start[q + 1] - p->start[q];
}

static void work_free(struct work *w)
{
	free(w->v);
	free(w->tier);
	free(w->comb);
	free(w->ptier);
	free(w->stalled);
	free(w->score);
	free(w->mixed);
	free(w->uf);
	free(w->cont_of);
	free(w->uf_at);
	free(w->uf_mem);
}

static int work_alloc(struct work *w, const struct vtc_results *r)
{
	size_t np;

	memset(w, 0, sizeof(*w));
	w->r = r;
	w->n = r->n;
	w->np = r->n_pairs;
	w->P = r->n_passes;
	np = (size_t)w->np + 1;
	w->v = calloc(np * (size_t)w->P, sizeof(*w->v));
	w->tier = calloc(np * (size_t)w->P, sizeof(*w->tier));
	w->comb = calloc(np, sizeof(*w->comb));
	w->ptier = calloc(np, sizeof(*w->ptier));
	w->stalled = calloc(np, sizeof(*w->stalled));
	w->score = calloc(np, sizeof(*w->score));
	w->mixed = calloc(np, sizeof(*w->mixed));
	w->uf = calloc((size_t)w->n, sizeof(*w->uf));
	w->uf_at = calloc((size_t)w->n, sizeof(*w->uf_at));
	w->uf_mem = calloc((size_t)w->n, sizeof(*w->uf_mem));
	if (!w->v || !w->tier || !w->comb || !w->ptier || !w->stalled || !w->score || !w->mixed ||
	    !w->uf || !w->uf_at || !w->uf_mem)
		return -ENOMEM;
	return 0;
}

/* Share of stalled passes among pairs that also had a clean pass: the
 * preemption rate of this run (pairs that never ran clean may be stacked). */
static double stall_rate(const struct work *w)
{
	int stalled = 0, total = 0;

	for (int k = 0; k < w->np; k++) {
		const struct vtc_pair_result *p = &w->r->pairs[k];
		if (w->stalled[k])
			continue;
		for (int ps = 0; ps < w->P; ps++) {
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
static int collect(struct work *w, struct vtc_inferred *out)
{
	const struct vtc_results *r = w->r;
	int usable = 0, ndisp = 0, usable_clean = 0;
	double *disp = calloc((size_t)w->np * (size_t)w->P + 1, sizeof(*disp));

	if (!disp)
		return -ENOMEM;
	for (int k = 0; k < w->np; k++) {
		const struct vtc_pair_result *p = &r->pairs[k];
		int valid = 0, stalls = 0;
		double pv[VTC_MAX_PASSES];

		bool quiet = has_quiet_pass(p, w->P);
		for (int ps = 0; ps < w->P; ps++) {
			const struct vtc_lat_stats *s = &p->pass[ps];
			w->v[k * w->P + ps] = -1;
			if (s->measured && s->stalled) {
				stalls++;
			} else if (s->measured && s->samples > 0 && s->median_ns > 0 &&
				   !(quiet && s->stalls > 0)) {
				w->v[k * w->P + ps] = s->median_ns;
				pv[valid++] = s->median_ns;
				if (s->p10_ns > 0 && s->p90_ns >= s->p10_ns)
					disp[ndisp++] = s->p90_ns / s->p10_ns;
			}
		}
		/* A stacked pair never gets a clean pass; a stalled pass among
		 * clean ones is host preemption, and the clean value stands. */
		w->stalled[k] = stalls > 0 && valid == 0;
		w->comb[k] = valid ? median(pv, valid) : -1;
		usable_clean += valid > 0;
		usable += valid > 0 || w->stalled[k];
	}
	w->stall_rate = stall_rate(w);
	w->none_clean = usable_clean == 0;
	out->coverage = w->np ? (double)usable / w->np : 0;
	if (out->coverage < COVERAGE_MIN)
		snprintf(out->reason, sizeof(out->reason),
			 "only %d of %d vCPU pairs could be measured", usable, w->np);
	else if (w->stall_rate > STALL_RATE_MAX)
		snprintf(out->reason, sizeof(out->reason),
			 "%.0f%% of pair measurements stalled: vCPUs busy with other work or "
			 "preempted by the host", 100 * w->stall_rate);
	else if (ndisp && median_select(disp, ndisp) > DISPERSION_MAX)
		snprintf(out->reason, sizeof(out->reason),
			 "latency samples too spread (median p90/p10 %.1f): host too busy to judge",
			 median_select(disp, ndisp));
	out->unknown = out->reason[0] != 0;
	free(disp);
	return 0;
}

/* Robust spread of sorted log values x[lo..hi). */
static double spread(const double *x, int lo, int hi)
{
	int m = hi - lo;

	if (m < 2)
		return 0;
	if (m < 4)
		return (x[hi - 1] - x[lo]) / 2;
	return x[lo + 3 * m / 4] - x[lo + m / 4];
}

/* Whether splitting sorted logs [lo,hi) after index @i is a tier boundary:
 * the gap must be large against the spread on both sides. Returns the gap
 * over the larger spread (higher = clearer), 0 when not a boundary. */
static double split_score(const double *x, int lo, int hi, int i)
{
	double gap = x[i + 1] - x[i], sl, sr, sp;

	if (gap < log(GAP_MIN_RATIO))
		return 0;
	sl = spread(x, lo, i + 1);
	sr = spread(x, i + 1, hi);
	sp = fmax(sl, sr);
	if (gap < GAP_SPREAD_FACTOR * sp)
		return 0;
	/* Noise only ever slows a pair down, so a single fast value may be a
	 * tier; a single slow one must stand out much more clearly. */
	if (hi - i - 1 < 2 && gap < 3 * GAP_SPREAD_FACTOR * fmax(sl, log(GAP_MIN_RATIO)))
		return 0;
	return gap / fmax(sp, 1e-3);
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
	return best;
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

/* Sort @x ascending (no NaN, no -0: logs of positive values) like qsort
 * with cmp_double, by LSD radix sort on 16-bit digits of the order keys:
 * linear time for the million pair values of 1024 vCPUs. */
static int sort_logs(double *x, int m)
{
	uint64_t *a, *b, *t;
	size_t *cnt;

	if (m < 4096) {
		qsort(x, (size_t)m, sizeof(*x), cmp_double);
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

static int find_tiers(struct work *w, struct vtc_inferred *out, double *x, int m)
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
	out->n_tiers = ncut - 1;
	for (int t = 0; t < out->n_tiers; t++) {
		struct vtc_tier *ti = &out->tier[t];
		int lo = cut[t], hi = cut[t + 1];
		ti->lo_ns = exp(x[lo]);
		ti->hi_ns = exp(x[hi - 1]);
		ti->median_ns = exp((x[lo + (hi - lo - 1) / 2] + x[lo + (hi - lo) / 2]) / 2);
		ti->n = hi - lo;
	}
	for (int t = 0; t < out->n_tiers; t++)
		w->bound[t] = t + 1 < out->n_tiers ?
			sqrt(out->tier[t].hi_ns * out->tier[t + 1].lo_ns) : INFINITY;
	return 0;
}

static int tier_of(const struct work *w, int ntiers, double v)
{
	for (int t = 0; t < ntiers; t++)
		if (v <= w->bound[t])
			return t;
	return ntiers - 1;
}

/* Tier of every pair measurement, and of every pair across passes. */
static int label(struct work *w, struct vtc_inferred *out)
{
	int m = 0, multi = 0, disagree = 0;
	double *x = calloc((size_t)w->np * (size_t)w->P + 1, sizeof(*x));

	if (!x)
		return -ENOMEM;
	for (int i = 0; i < w->np * w->P; i++)
		if (w->v[i] > 0)
			x[m++] = w->v[i];
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
	for (int k = 0; k < w->np; k++) {
		int t0 = -1, valid = 0, mixed = 0, fast = 0;
		for (int ps = 0; ps < w->P; ps++) {
			double v = w->v[k * w->P + ps];
			int t = v > 0 ? tier_of(w, out->n_tiers, v) : -1;
			w->tier[k * w->P + ps] = t;
			if (t < 0)
				continue;
			mixed |= valid++ && t != t0;
			fast |= t == 0;
			t0 = t;
		}
		w->ptier[k] = valid ? (mixed ? -2 : t0) : -1;
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

static void bit_set(uint64_t *row, int j)
{
	row[j / 64] |= UINT64_C(1) << (j % 64);
}

/* A pass whose fast pairs are not transitive: i fast with j and l, j and l
 * measured but not fast. Real cores and caches are always transitive.
 * @fast and @slow hold one bit row of @words words per rank (tier 0, tier
 * above 0): the check is then "a fast neighbour x of i has a slow pair
 * among i's other fast neighbours", a row AND instead of a lookup per
 * neighbour pair, which a fast tier of whole sockets made cubic. */
static bool pass_intransitive(const struct work *w, int ps, uint64_t *fast, uint64_t *slow,
			      int words)
{
	memset(fast, 0, (size_t)w->n * (size_t)words * sizeof(*fast));
	memset(slow, 0, (size_t)w->n * (size_t)words * sizeof(*slow));
	for (int i = 0, k = 0; i < w->n; i++)
		for (int j = i + 1; j < w->n; j++, k++) {
			int t = w->tier[k * w->P + ps];
			uint64_t *rows = t == 0 ? fast : t > 0 ? slow : NULL;
			if (rows) {
				bit_set(&rows[(size_t)i * words], j);
				bit_set(&rows[(size_t)j * words], i);
			}
		}
	for (int i = 0; i < w->n; i++) {
		const uint64_t *fi = &fast[(size_t)i * words];
		for (int x = 0; x < w->n; x++) {
			const uint64_t *sx = &slow[(size_t)x * words];
			if (!(fi[x / 64] >> (x % 64) & 1))
				continue;
			for (int d = 0; d < words; d++)
				if (fi[d] & sx[d])
					return true;
		}
	}
	return false;
}

/* A pair in a slow tier whose co-run ratio is as far from "no interference"
 * (1.0 by definition) towards the same-vCPU control as siblings are. Judged
 * against 1.0 rather than the median control pair, which such pairs may
 * themselves have dragged down. */
static bool slow_pair_corun_like_siblings(const struct work *w, const struct vtc_inferred *out)
{
	const struct vtc_results *r = w->r;

	if (!(out->ctl_same < 1.0))
		return false;
	for (int i = 0; i < r->n_contention; i++) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b), n = 0;
		double least = INFINITY;
		if (!c->measured || ia < 0 || ib < 0 || ia == ib || w->ptier[pidx(w, ia, ib)] <= 0 ||
		    w->stalled[pidx(w, ia, ib)])
			continue;
		/* Sharing a core slows every loop kind; noise moves them apart. */
		for (int k = 0; k < VTC_CONT_KINDS; k++)
			if (c->ratio[k] > 0) {
				least = fmin(least, (1.0 - c->ratio[k]) / (1.0 - out->ctl_same));
				n++;
			}
		if (n && least >= SMT_SCORE_MIN)
			return true;
	}
	return false;
}

/* Contention measured after the latency passes contradicts them: a slow pair
 * co-runs like siblings, or a fast pair of two vCPUs without any confirmed
 * sibling co-runs like separate cores while other fast pairs are siblings.
 * On a static placement both probes see the same cores. */
static bool contention_contradicts(const struct work *w, const struct vtc_inferred *out)
{
	bool conf[VTC_CPUSET_MAX / 8] = {false}, any = false;
	const struct vtc_results *r = w->r;

	if (!out->have_contention || out->n_tiers < 2 || w->n > (int)VTC_ARRAY_SIZE(conf))
		return false;
	if (slow_pair_corun_like_siblings(w, out))
		return true;
	if (out->cont_noise > CONT_NOISE_MAX)
		return false; /* a lone "sibling" score may be noise */
	for (int k = 0; k < w->np; k++) {
		int ia = vtc_results_rank(r, r->pairs[k].a), ib = vtc_results_rank(r, r->pairs[k].b);
		if (isnan(w->score[k]) || w->stalled[k] || w->score[k] < SMT_SCORE_MIN)
			continue;
		if (w->ptier[k] > 0)
			return true;
		if (w->ptier[k] == 0)
			any = conf[ia] = conf[ib] = true;
	}
	for (int k = 0; any && k < w->np; k++) {
		int ia = vtc_results_rank(r, r->pairs[k].a), ib = vtc_results_rank(r, r->pairs[k].b);
		if (w->ptier[k] == 0 && !isnan(w->score[k]) && w->score[k] < SMT_SCORE_MIN &&
		    !conf[ia] && !conf[ib])
			return true;
	}
	return false;
}

static int detect_floating(struct work *w, struct vtc_inferred *out)
{
	bool fl = false;
	int nf = 0;

	if (out->n_tiers < 2)
		return 0;
	for (int k = 0; k < w->np && !fl; k++)
		for (int ps = 0; ps < w->P; ps++)
			fl |= w->ptier[k] == -2 && w->tier[k * w->P + ps] == 0;
	int words = (w->n + 63) / 64;
	uint64_t *fast = calloc((size_t)w->n * (size_t)words, sizeof(*fast));
	uint64_t *slow = calloc((size_t)w->n * (size_t)words, sizeof(*slow));
	if (!fast || !slow) {
		free(fast);
		free(slow);
		return -ENOMEM;
	}
	for (int ps = 0; ps < w->P && !fl; ps++)
		fl = pass_intransitive(w, ps, fast, slow, words);
	free(fast);
	free(slow);
	fl = fl || contention_contradicts(w, out);
	if (!fl)
		return 0;
	out->floating = true;
	for (int i = 0; i < w->np * w->P; i++)
		nf += w->tier[i] == 0;
	out->fast = calloc((size_t)nf + 1, sizeof(*out->fast));
	if (!out->fast)
		return -ENOMEM;
	for (int ps = 0; ps < w->P; ps++)
		for (int i = 0; i < w->n; i++)
			for (int j = i + 1; j < w->n; j++) {
				int k = pidx(w, i, j);
				if (w->tier[k * w->P + ps] != 0)
					continue;
				out->fast[out->n_fast++] = (struct vtc_fast_pair){
					ps, w->r->cpu[i], w->r->cpu[j], w->v[k * w->P + ps]};
			}
	return 0;
}

/* A pair is an SMT candidate when it is in the fast tier, or when latency
 * shows one tier only (then contention alone decides). */
static bool candidate(const struct work *w, const struct vtc_inferred *out, int k)
{
	if (w->stalled[k] || w->ptier[k] == -1)
		return false;
	return out->n_tiers < 2 || w->ptier[k] == 0;
}

/* Spread of the control pairs' co-run ratios around their median, as a
 * share of the control range (far - same): when it is large, a pair can
 * look like siblings by chance and the contention probe cannot be trusted. */
static void contention_noise(struct work *w, struct vtc_inferred *out,
			     const double same[VTC_CONT_KINDS], const double far[VTC_CONT_KINDS])
{
	const struct vtc_results *r = w->r;
	double *dev = calloc((size_t)r->n_contention * VTC_CONT_KINDS + 1, sizeof(*dev));
	int n = 0;

	for (int i = 0; dev && i < r->n_contention; i++) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b);
		if (!c->measured || ia < 0 || ib < 0 || ia == ib || candidate(w, out, pidx(w, ia, ib)) ||
		    w->stalled[pidx(w, ia, ib)])
			continue;
		for (int k = 0; k < VTC_CONT_KINDS; k++)
			if (!isnan(same[k]) && c->ratio[k] > 0)
				dev[n++] = fabs(c->ratio[k] - far[k]) / (far[k] - same[k]);
	}
	out->cont_noise = n >= 6 ? median(dev, n) : 0;
	free(dev);
}

/* Too noisy co-runs make SMT a guess: say so (after floating placement,
 * which also scatters co-runs, has had its chance to explain them). */
static void contention_too_noisy(struct vtc_inferred *out)
{
	if (out->cont_noise <= CONT_NOISE_MAX || out->unknown || out->floating)
		return;
	snprintf(out->reason, sizeof(out->reason),
		 "co-run ratios too noisy (spread %.0f%% of the control range): host too busy "
		 "to judge SMT", 100 * out->cont_noise);
	out->unknown = true;
}

/* Controls: same-vCPU pairs (a == b) and the median non-candidate pair; a
 * run without non-candidates uses 1.0, "no interference" by definition. */
static void contention_controls(struct work *w, struct vtc_inferred *out,
				double same[VTC_CONT_KINDS], double far[VTC_CONT_KINDS])
{
	const struct vtc_results *r = w->r;
	int nk = 0, disturbed = 0, nfar = 0;
	double *buf = calloc((size_t)r->n_contention + 1, sizeof(*buf));
	double cs[VTC_CONT_KINDS], cf[VTC_CONT_KINDS];

	for (int kind = 0; kind < VTC_CONT_KINDS && buf; kind++) {
		int ns = 0, nf = 0;
		for (int i = 0; i < r->n_contention; i++) {
			const struct vtc_contention_result *c = &r->contention[i];
			if (c->measured && c->a == c->b && c->ratio[kind] > 0)
				buf[ns++] = c->ratio[kind];
		}
		same[kind] = median(buf, ns);
		disturbed += ns > 0 && fabs(same[kind] - 0.5) > CTL_SAME_TOL;
		if (ns > 0 && fabs(same[kind] - 0.5) > CTL_SAME_TOL)
			ns = 0; /* this kind cannot be judged */
		for (int i = 0; i < r->n_contention; i++) {
			const struct vtc_contention_result *c = &r->contention[i];
			int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b);
			if (!c->measured || ia < 0 || ib < 0 || ia == ib || c->ratio[kind] <= 0 ||
			    candidate(w, out, pidx(w, ia, ib)) || w->stalled[pidx(w, ia, ib)])
				continue;
			buf[nf++] = c->ratio[kind];
		}
		far[kind] = nf ? median(buf, nf) : 1.0;
		if (ns && far[kind] > same[kind]) {
			nfar += nf > 0;
			cs[nk] = same[kind];
			cf[nk++] = far[kind];
		} else {
			same[kind] = NAN;
		}
	}
	free(buf);
	w->far_assumed = nk > 0 && nfar == 0;
	out->have_contention = nk > 0;
	out->ctl_same = median(cs, nk);
	out->ctl_far = median(cf, nk);
	if (nk == 0 && disturbed && !out->unknown) {
		snprintf(out->reason, sizeof(out->reason),
			 "the same-vCPU control co-ran far from 0.5 in every probe kind: vCPUs "
			 "busy with other work");
		out->unknown = true;
	}
	if (out->have_contention)
		contention_noise(w, out, same, far);
}

/* Score of each pair with contention data: 0 like separate cores, 1 like
 * two threads on one vCPU; median over the usable probe kinds. */
static void contention_scores(struct work *w, struct vtc_inferred *out)
{
	const struct vtc_results *r = w->r;
	double same[VTC_CONT_KINDS], far[VTC_CONT_KINDS];

	for (int k = 0; k < w->np; k++)
		w->score[k] = NAN;
	contention_controls(w, out, same, far);
	if (!out->have_contention)
		return;
	for (int i = 0; i < r->n_contention; i++) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b), n = 0;
		double s[VTC_CONT_KINDS];
		if (!c->measured || ia < 0 || ib < 0 || ia == ib)
			continue;
		for (int kind = 0; kind < VTC_CONT_KINDS; kind++)
			if (!isnan(same[kind]) && c->ratio[kind] > 0)
				s[n++] = (far[kind] - c->ratio[kind]) / (far[kind] - same[kind]);
		if (n == 0)
			continue;
		w->score[pidx(w, ia, ib)] = median(s, n);
		/* Claiming siblings needs every kind to agree (each slows on a
		 * shared core, see contention.c); median() sorted s, s[0] is
		 * the least slowed kind. A "separate" median with one odd kind
		 * is noise in that kind. */
		w->mixed[pidx(w, ia, ib)] = w->score[pidx(w, ia, ib)] >= SMT_SCORE_MIN &&
					    s[0] < SMT_SCORE_MIN;
	}
}

static int groups_alloc(struct vtc_igroups *g, int n)
{
	g->count = 0;
	g->g = calloc((size_t)n + 1, sizeof(*g->g));
	return g->g ? 0 : -ENOMEM;
}

/* Partition from the union-find; every group is a clique of @edge pairs
 * unless @need_clique is false. Returns false when a group is not a clique
 * or larger than @max. */
static bool uf_groups(struct work *w, struct vtc_igroups *g, const bool *edge,
		      bool need_clique, int max)
{
	int *at = w->uf_at, *mem = w->uf_mem;

	g->count = 0;
	for (int i = 0; i < w->n; i++)
		at[i] = -1;
	/* Groups in the order of their lowest rank (the root). */
	for (int i = 0; i < w->n; i++) {
		int root = uf_find(w->uf, i);
		if (at[root] < 0) {
			at[root] = g->count++;
			memset(&g->g[at[root]], 0, sizeof(g->g[at[root]]));
		}
		vtc_cpuset_set(&g->g[at[root]].cpus, w->r->cpu[i]);
	}
	for (int q = 0; q < g->count; q++) {
		int cnt = vtc_cpuset_count(&g->g[q].cpus), m = 0, c;
		if (cnt > max)
			return false;
		if (!need_clique)
			continue;
		vtc_cpuset_foreach(c, &g->g[q].cpus)
			mem[m++] = vtc_results_rank(w->r, c);
		for (int x = 0; x < m; x++)
			for (int y = x + 1; y < m; y++)
				if (!edge[pidx(w, mem[x], mem[y])])
					return false;
	}
	return true;
}

/* Median one-way ns over the pairs inside each group of @p (@in[q]) and,
 * unless @out is NULL, between each group and the other probed vCPUs
 * (@out[q]); NAN where there is none. All groups in one pass over the
 * pairs, bucketed by group. Returns 0 or -ENOMEM. */
static int part_medians(const struct work *w, const struct part *p, double *in, double *out)
{
	int *cnt = calloc(2 * (size_t)p->count + 1, sizeof(*cnt)), *at = NULL, tot = 0;
	bool *probed = calloc((size_t)w->n, sizeof(*probed));
	double *val = NULL;

	if (!cnt || !probed)
		goto fail;
	for (int i = 0; i < w->n; i++)
		probed[i] = vtc_cpuset_test(&w->r->probed, w->r->cpu[i]);
	/* buckets: inside group q at 2q, from q to the rest at 2q+1 */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0, k = 0; i < w->n; i++)
			for (int j = i + 1; j < w->n; j++, k++) {
				int li = p->lab[i], lj = p->lab[j], b[2], nb = 0;
				if (!(w->comb[k] > 0))
					continue;
				if (li >= 0 && li == lj)
					b[nb++] = 2 * li;
				if (out && li != lj && li >= 0 && probed[j])
					b[nb++] = 2 * li + 1;
				if (out && li != lj && lj >= 0 && probed[i])
					b[nb++] = 2 * lj + 1;
				for (int x = 0; x < nb; x++)
					if (pass)
						val[at[b[x]]++] = w->comb[k];
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
		in[q] = median_select(&val[at[2 * q] - cnt[2 * q]], cnt[2 * q]);
		if (out)
			out[q] = median_select(&val[at[2 * q + 1] - cnt[2 * q + 1]], cnt[2 * q + 1]);
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
static double group_score(const struct work *w, const struct part *p, int q)
{
	const int *mem = &p->mem[p->start[q]];
	int m = part_size(p, q), n = 0;
	double s[SMT_MAX * SMT_MAX];

	for (int x = 0; x < m; x++)
		for (int y = x + 1; y < m && n < SMT_MAX * SMT_MAX; y++)
			if (!isnan(w->score[pidx(w, mem[x], mem[y])]))
				s[n++] = w->score[pidx(w, mem[x], mem[y])];
	return median(s, n);
}


/* No contention data: a fast group on vCPUs advertised without SMT that sits
 * inside one advertised L2/L3 group is cache sharing, not hidden SMT. */
static bool fast_is_cache(const struct vtc_igroups *g, const struct vtc_topo *adv)
{
	int c;

	if (!adv->level_known[VTC_LEVEL_SMT])
		return false;
	for (int q = 0; q < g->count; q++) {
		bool in_cache = false;
		if (vtc_cpuset_count(&g->g[q].cpus) < 2)
			continue;
		vtc_cpuset_foreach(c, &g->g[q].cpus) {
			int at = vtc_groups_find(&adv->groups[VTC_LEVEL_SMT], c);
			if (at < 0 || vtc_cpuset_count(&adv->groups[VTC_LEVEL_SMT].set[at]) != 1)
				return false;
		}
		/* only a group holding the first CPU can hold them all */
		int first = vtc_cpuset_first(&g->g[q].cpus);
		for (int l = VTC_LEVEL_L2; l <= VTC_LEVEL_L3; l++)
			for (int i = 0; adv->level_known[l] && i < adv->groups[l].count; i++)
				in_cache |= vtc_cpuset_test(&adv->groups[l].set[i], first) &&
					    vtc_cpuset_subset(&g->g[q].cpus, &adv->groups[l].set[i]);
		if (!in_cache)
			return false;
	}
	return true;
}

static int smt_evidence(struct work *w, struct vtc_inferred *out, double *buf)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_SMT];
	struct part p;

	if (part_from_groups(w, g, &p) || part_medians(w, &p, buf, NULL)) {
		part_free(&p);
		return -ENOMEM;
	}
	for (int q = 0; q < g->count; q++) {
		struct vtc_igroup *gr = &g->g[q];
		char list[64];
		double in = buf[q];
		double s = group_score(w, &p, q);

		if (vtc_cpuset_count(&gr->cpus) < 2) {
			gr->confidence = out->known[VTC_GROUP_SMT] ? 0.5 : 0;
			if (out->known[VTC_GROUP_SMT])
				snprintf(gr->evidence, sizeof(gr->evidence),
					 "v%d: no probed vCPU measures or co-runs like a sibling",
					 vtc_cpuset_first(&gr->cpus));
			continue;
		}
		vtc_cpulist_format(&gr->cpus, list, sizeof(list));
		if (out->smt_latency_only) {
			gr->confidence = 0.45;
			snprintf(gr->evidence, sizeof(gr->evidence),
				 "v%s: %.1f ns one-way, next tier from %.1f ns; no contention data "
				 "(shared core or shared cache)", list, in, out->tier[1].lo_ns);
			continue;
		}
		gr->confidence = fmin(1.0, 0.5 + 0.5 * fmin(1.0, s / 0.6)) *
				 (out->n_tiers >= 2 ? 1.0 : 0.8);
		snprintf(gr->evidence, sizeof(gr->evidence),
			 "v%s: %.1f ns one-way%s; co-run score %.2f (ratio controls: same vCPU "
			 "%.2f, other pairs %.2f)", list, in,
			 out->n_tiers >= 2 ? " (fastest tier)" : " (one latency tier)", s,
			 out->ctl_same, out->ctl_far);
	}
	part_free(&p);
	return 0;
}

/* Other guest tasks were runnable around probing: at least a quarter of the
 * probed vCPUs' worth, on average. Unknown (-1: imported or simulated
 * data) is not evidence of a busy guest. */
static bool guest_busy(const struct vtc_results *r)
{
	return r->foreign_runnable >= 0.25 * r->n;
}

/* Whether every multi-vCPU group of @g lies inside one advertised SMT group. */
static bool smt_as_advertised(const struct vtc_igroups *g, const struct vtc_topo *adv)
{
	for (int q = 0; q < g->count; q++) {
		const vtc_cpuset *c = &g->g[q].cpus;
		int at;
		if (vtc_cpuset_count(c) < 2)
			continue;
		if (!adv || !adv->level_known[VTC_LEVEL_SMT])
			return false;
		at = vtc_groups_find(&adv->groups[VTC_LEVEL_SMT], vtc_cpuset_first(c));
		if (at < 0 || !vtc_cpuset_subset(c, &adv->groups[VTC_LEVEL_SMT].set[at]))
			return false;
	}
	return true;
}

/* With no pair outside the candidates to co-run (a 2-vCPU guest), "separate
 * cores" is an assumed ratio of 1.0, and one slowed co-run cannot tell a
 * shared core from anything else that took the CPU during it: busy guest
 * tasks, or the host running both vCPUs on one CPU for a moment (seen on
 * this VM under ASan, no steal accounted). SMT the guest was told about is
 * confirmed that way; hidden SMT, a CRITICAL claim, is not made on it. */
static void smt_needs_reference(struct work *w, struct vtc_inferred *out,
				const struct vtc_igroups *g, const struct vtc_topo *adv)
{
	bool any = false;

	for (int q = 0; q < g->count; q++)
		any |= vtc_cpuset_count(&g->g[q].cpus) > 1;
	if (!any || !w->far_assumed || out->unknown)
		return;
	if (guest_busy(w->r))
		snprintf(out->reason, sizeof(out->reason),
			 "co-runs slowed like SMT siblings, but %.1f other guest tasks were "
			 "runnable and no separate-core pair could be measured for reference: "
			 "rerun on a quiet guest", w->r->foreign_runnable);
	else if (adv && !smt_as_advertised(g, adv))
		snprintf(out->reason, sizeof(out->reason),
			 "co-runs slowed like SMT siblings the guest was not told about, but no "
			 "separate-core pair could be measured for reference: one co-run cannot "
			 "tell a shared core from host contention; rerun");
	else
		return;
	out->unknown = true;
}

/* SMT groups: the fast tier confirmed by contention; or the fast tier alone
 * without contention data, unless it is an advertised cache. */
static int infer_smt(struct work *w, struct vtc_inferred *out, const struct vtc_topo *adv,
		     bool *edge, double *buf)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_SMT];
	bool known = false;

	uf_reset(w);
	for (int i = 0; i < w->n; i++)
		for (int j = i + 1; j < w->n; j++) {
			int k = pidx(w, i, j);
			if (out->have_contention && candidate(w, out, k) && w->mixed[k] &&
			    !out->unknown) {
				snprintf(out->reason, sizeof(out->reason),
					 "co-run probe kinds disagree for v%d,v%d (most slowed like "
					 "siblings, some not): vCPUs too busy to judge SMT",
					 w->r->cpu[i], w->r->cpu[j]);
				out->unknown = true;
			}
			if (out->have_contention)
				edge[k] = candidate(w, out, k) && !isnan(w->score[k]) &&
					  w->score[k] >= SMT_SCORE_MIN && !w->mixed[k];
			else
				edge[k] = out->n_tiers >= 2 && w->ptier[k] == 0;
			if (edge[k])
				uf_union(w->uf, i, j);
		}
	if (out->have_contention || out->n_tiers >= 2)
		known = uf_groups(w, g, edge, true, SMT_MAX);
	if (known && !out->have_contention) {
		known = !(adv && fast_is_cache(g, adv));
		out->smt_latency_only = known;
	}
	if (known && out->have_contention)
		smt_needs_reference(w, out, g, adv);
	out->known[VTC_GROUP_SMT] = known;
	if (!known) {
		uf_reset(w);
		memset(edge, 0, (size_t)w->np * sizeof(*edge));
		uf_groups(w, g, edge, false, w->n);
	}
	return smt_evidence(w, out, buf);
}

/* Steal of @cpu well above the quiet vCPUs of this run (twice the lower
 * quartile, plus 5 points for rounding of /proc/stat ticks). */
static bool steal_elevated(const struct work *w, int cpu)
{
	const struct vtc_results *r = w->r;

	if (w->steal_n < 2 || cpu >= r->ncpus_model || r->steal_pct[cpu] < 0)
		return false;
	return r->steal_pct[cpu] >= 2 * w->steal_q + 5;
}

/* The run's steal quartile for steal_elevated(), once per run (per pair
 * it made stacked inference cubic). */
static void steal_quartile(struct work *w, double *buf)
{
	const struct vtc_results *r = w->r;
	int n = 0;

	for (int i = 0; i < w->n; i++)
		if (r->cpu[i] < r->ncpus_model && r->steal_pct[r->cpu[i]] >= 0)
			buf[n++] = r->steal_pct[r->cpu[i]];
	w->steal_n = n;
	w->steal_q = 0;
	if (n >= 2) {
		qsort(buf, (size_t)n, sizeof(*buf), cmp_double);
		w->steal_q = buf[n / 4];
	}
}

/* The first contention result of every pair, as vtc_results_contention()
 * finds it, without a scan of all results per pair. */
static int index_contention(struct work *w)
{
	const struct vtc_results *r = w->r;

	w->cont_of = malloc(((size_t)w->np + 1) * sizeof(*w->cont_of));
	if (!w->cont_of)
		return -ENOMEM;
	for (int k = 0; k < w->np; k++)
		w->cont_of[k] = -1;
	for (int i = r->n_contention - 1; i >= 0; i--) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b);
		if (ia >= 0 && ib >= 0 && ia != ib)
			w->cont_of[pidx(w, ia, ib)] = i;
	}
	return 0;
}

/* Steal (%) measured during the pair's co-run, or -1. */
static double corun_steal(const struct work *w, int k)
{
	const struct vtc_contention_result *c =
		w->cont_of[k] >= 0 ? &w->r->contention[w->cont_of[k]] : NULL;
	return c && c->measured ? c->steal_pct : -1;
}

/* No other guest work to explain stalls: fewer runnable foreign tasks than
 * a quarter of the probed vCPUs, on average around probing. */
static bool guest_quiet(const struct vtc_results *r)
{
	return r->foreign_runnable >= 0 && r->foreign_runnable < 0.25 * r->n;
}

/* Whether pair @k is stacked: stalled in every pass, and co-running like one
 * vCPU when that was measured, else both vCPUs stealing more than the run's
 * quiet ones (a pair held up by a busy neighbour is host noise). */
static bool stacked_edge(const struct work *w, int k)
{
	const struct vtc_results *r = w->r;

	/* A stacked pair never gets a clean pass: every handoff waits for the
	 * host scheduler. Any clean pass rules it out (SMT siblings co-run
	 * almost like one vCPU, so contention alone cannot). */
	if (!w->stalled[k])
		return false;
	/* No pair ran clean at all: busy guest tasks on every vCPU stall the
	 * ping-pong and halve co-runs just like stacking; the host's steal
	 * during the co-run, or a guest with nothing else runnable, tells
	 * them apart. */
	if (w->none_clean && corun_steal(w, k) < STACK_STEAL_MIN && !guest_quiet(r))
		return false;
	if (!isnan(w->score[k]))
		return w->score[k] >= STACK_SCORE_MIN;
	return steal_elevated(w, r->pairs[k].a) && steal_elevated(w, r->pairs[k].b);
}


/* Stall rate of the pairs away from the stacked candidates: pairs touching
 * a stacked vCPU also stall when measured next to its partner, which says
 * nothing about host preemption. */
static double background_stall_rate(const struct work *w, const bool *edge)
{
	const struct vtc_results *r = w->r;
	vtc_cpuset near;
	int stalled = 0, total = 0;

	vtc_cpuset_clear(&near);
	for (int k = 0; k < w->np; k++)
		if (edge[k]) {
			vtc_cpuset_set(&near, r->pairs[k].a);
			vtc_cpuset_set(&near, r->pairs[k].b);
		}
	for (int k = 0; k < w->np; k++) {
		const struct vtc_pair_result *p = &r->pairs[k];
		if (w->stalled[k] || vtc_cpuset_test(&near, p->a) || vtc_cpuset_test(&near, p->b))
			continue;
		for (int ps = 0; ps < w->P; ps++) {
			total += p->pass[ps].measured;
			stalled += p->pass[ps].measured && p->pass[ps].stalled;
		}
	}
	return total ? (double)stalled / total : 0;
}

/* When host preemption stalls many passes, some pair may stall in every
 * pass by chance alone (expected: pairs x rate^passes measured), and SMT
 * siblings co-run almost like one vCPU: stacked vCPUs then cannot be told
 * from a busy host, and the run says so. */
static void stalls_by_chance(const struct work *w, struct vtc_inferred *out, const bool *edge)
{
	int edges = 0, mmin = VTC_MAX_PASSES;
	double rate;

	for (int k = 0; k < w->np; k++) {
		const struct vtc_pair_result *p = &w->r->pairs[k];
		int m = 0;
		for (int ps = 0; ps < w->P; ps++)
			m += p->pass[ps].measured;
		if (edge[k] && m < mmin)
			mmin = m;
		edges += edge[k];
	}
	if (!edges || out->unknown)
		return;
	rate = background_stall_rate(w, edge);
	if (w->np * pow(rate, mmin) < 0.05)
		return;
	snprintf(out->reason, sizeof(out->reason),
		 "%.0f%% of pair measurements stalled: stacked vCPUs cannot be told from host "
		 "preemption", 100 * rate);
	out->unknown = true;
}

/* Evidence of the stacked groups: mean handoff over their stalled pairs
 * (summed per group in pair order, in one pass over the pairs), co-run
 * score and steal. */
static int stacked_evidence(struct work *w, struct vtc_inferred *out, const bool *edge,
			    double *h)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_STACKED];
	const struct vtc_results *r = w->r;
	int *nh = calloc((size_t)g->count + 1, sizeof(*nh));
	struct part p;

	if (!nh || part_from_groups(w, g, &p)) {
		free(nh);
		return -ENOMEM;
	}
	for (int q = 0; q < g->count; q++)
		h[q] = 0;
	for (int i = 0, k = 0; i < w->n; i++)
		for (int j = i + 1; j < w->n; j++, k++)
			for (int ps = 0; ps < w->P && edge[k] && p.lab[i] >= 0; ps++)
				if (r->pairs[k].pass[ps].handoff_ns > 0) {
					h[p.lab[i]] += r->pairs[k].pass[ps].handoff_ns;
					nh[p.lab[i]]++;
				}
	for (int q = 0; q < g->count; q++) {
		struct vtc_igroup *gr = &g->g[q];
		double steal = 0, s = group_score(w, &p, q);
		int ns = 0, c;
		char list[64];

		if (vtc_cpuset_count(&gr->cpus) < 2)
			continue;
		vtc_cpuset_foreach(c, &gr->cpus)
			if (c < r->ncpus_model && r->steal_pct[c] >= 0) {
				steal += r->steal_pct[c];
				ns++;
			}
		gr->confidence = isnan(s) ? 0.6 : 0.9;
		vtc_cpulist_format(&gr->cpus, list, sizeof(list));
		snprintf(gr->evidence, sizeof(gr->evidence),
			 "v%s: ping-pong stalled, %.2f ms per handoff; co-run score %.2f "
			 "(1 = like one vCPU); steal %.0f%%", list, nh[q] ? h[q] / nh[q] / 1e6 : 0,
			 isnan(s) ? -1.0 : s, ns ? steal / ns : -1.0);
	}
	free(nh);
	part_free(&p);
	return 0;
}

/* Stacked: pairs that stall in every pass and, when measured, co-run like
 * two threads on one vCPU. */
static int infer_stacked(struct work *w, struct vtc_inferred *out, bool *edge, double *buf)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_STACKED];
	const struct vtc_results *r = w->r;

	steal_quartile(w, buf);
	if (w->none_clean && !w->cont_of && index_contention(w))
		return -ENOMEM;
	uf_reset(w);
	for (int k = 0; k < w->np; k++) {
		edge[k] = stacked_edge(w, k);
		if (edge[k])
			uf_union(w->uf, vtc_results_rank(r, r->pairs[k].a),
				 vtc_results_rank(r, r->pairs[k].b));
	}
	uf_groups(w, g, edge, false, w->n);
	out->known[VTC_GROUP_STACKED] = true;
	stalls_by_chance(w, out, edge);
	return stacked_evidence(w, out, edge, buf);
}


/* Group merging for one level. The pair values between two current groups
 * (labels a < b, slot pidx(a, b)) are kept sorted, so merging groups a and
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
	struct work *w;
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
	return (sl->v[(sl->len - 1) / 2] + sl->v[sl->len / 2]) / 2;
}

static int heap_push(struct merger *m, int a, int b)
{
	struct mcand c = {slot_median(&m->slot[pidx(m->w, a, b)]), a, b, m->ver[a], m->ver[b]};
	int i;

	if (m->nheap == m->capheap) {
		int cap = m->capheap ? 2 * m->capheap : 1024;
		struct mcand *h = realloc(m->heap, (size_t)cap * sizeof(*h));
		if (!h)
			return -ENOMEM;
		m->heap = h;
		m->capheap = cap;
	}
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
	for (int s = 0; m->slot && s < m->w->np; s++)
		slot_drop(&m->slot[s]);
	free(m->slot);
	free(m->base);
	free(m->heap);
	free(m->ver);
	free(m->live);
}

/* Bucket the pair values by the groups of @lab and queue every group pair. */
static int merger_init(struct merger *m, struct work *w, int *lab)
{
	int used = 0;

	memset(m, 0, sizeof(*m));
	m->w = w;
	m->lab = lab;
	m->slot = calloc((size_t)w->np + 1, sizeof(*m->slot));
	m->base = calloc((size_t)w->np + 1, sizeof(*m->base));
	m->ver = calloc((size_t)w->n, sizeof(*m->ver));
	m->live = calloc((size_t)w->n, sizeof(*m->live));
	if (!m->slot || !m->base || !m->ver || !m->live)
		return -ENOMEM;
	for (int i = 0; i < w->n; i++)
		if (lab[i] == i)
			m->live[m->nlive++] = i;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0, k = 0; i < w->n; i++)
			for (int j = i + 1; j < w->n; j++, k++) {
				struct mslot *sl;
				if (lab[i] == lab[j] || w->comb[k] <= 0)
					continue;
				sl = &m->slot[pidx(w, lab[i], lab[j])];
				if (pass)
					sl->v[sl->len++] = w->comb[k];
				else
					sl->len++;
			}
		for (int s = 0; pass == 0 && s < w->np; s++) {
			m->slot[s].v = m->base + used;
			used += m->slot[s].len;
			m->slot[s].len = 0;
		}
	}
	for (int x = 0; x < m->nlive; x++)
		for (int y = x + 1; y < m->nlive; y++) {
			int a = m->live[x], b = m->live[y];
			struct mslot *sl = &m->slot[pidx(w, a, b)];
			if (sl->len == 0)
				continue;
			sort_doubles(sl->v, sl->len);
			if (heap_push(m, a < b ? a : b, a < b ? b : a))
				return -ENOMEM;
		}
	return 0;
}

/* Group @b joins group @a (a < b): slots with every third group merge. */
static int merger_join(struct merger *m, int a, int b)
{
	struct work *w = m->w;

	slot_drop(&m->slot[pidx(w, a, b)]);
	m->ver[a]++;
	m->ver[b]++;
	for (int x = 0; x < m->nlive; x++) {
		int c = m->live[x];
		if (c == b)
			m->live[x--] = m->live[--m->nlive];
		if (c == a || c == b)
			continue;
		if (slot_merge(&m->slot[pidx(w, a, c)], &m->slot[pidx(w, b, c)]))
			return -ENOMEM;
		if (m->slot[pidx(w, a, c)].len > 0 &&
		    heap_push(m, a < c ? a : c, a < c ? c : a))
			return -ENOMEM;
	}
	for (int i = 0; i < w->n; i++)
		if (m->lab[i] == b)
			m->lab[i] = a;
	return 0;
}

/* Merge whole groups (labels in @lab) while the median latency between the
 * closest two is within @boundary. Judging group medians, not single rows,
 * keeps a noisy cpu0 or a half-remote row from splitting a group. The
 * label of a group stays its lowest rank. */
static int merge_level(struct work *w, int *lab, double boundary)
{
	struct merger m;
	struct mcand c;
	int rc = merger_init(&m, w, lab);

	while (rc == 0 && merger_best(&m, &c) && c.med < INFINITY && !(c.med > boundary))
		rc = merger_join(&m, c.a, c.b);
	merger_free(&m);
	return rc;
}

static int count_labels(const struct work *w, const int *lab)
{
	int c = 0;
	for (int i = 0; i < w->n; i++)
		c += lab[i] == i;
	return c;
}

/* Fill @g from labels (label = lowest rank of the group) with evidence. */
static int level_groups(struct work *w, struct vtc_igroups *g, const int *lab,
			bool homogeneous, double *buf)
{
	int *qof = malloc((size_t)w->n * sizeof(*qof)), count = 0;
	double *outb = malloc(((size_t)w->n + 1) * sizeof(*outb));
	struct part p = {0};

	for (int i = 0; qof && i < w->n; i++)
		if (lab[i] == i)
			qof[i] = count++;
	if (!qof || !outb || part_alloc(w, &p, count)) {
		free(qof);
		free(outb);
		return -ENOMEM;
	}
	for (int i = 0; i < w->n; i++)
		p.lab[i] = qof[lab[i]];
	part_index(w, &p);
	free(qof);
	if (part_medians(w, &p, buf, outb)) {
		free(outb);
		part_free(&p);
		return -ENOMEM;
	}
	g->count = 0;
	for (int q = 0; q < p.count; q++) {
		struct vtc_igroup *gr = &g->g[g->count++];
		char list[64];
		double in = buf[q], outm = outb[q];

		memset(gr, 0, sizeof(*gr));
		for (int x = p.start[q]; x < p.start[q + 1]; x++)
			vtc_cpuset_set(&gr->cpus, w->r->cpu[p.mem[x]]);
		vtc_cpulist_format(&gr->cpus, list, sizeof(list));
		if (homogeneous) {
			gr->confidence = 0.5;
			snprintf(gr->evidence, sizeof(gr->evidence),
				 "v%s: all pairs in one tier, median %.1f ns", list, in);
		} else {
			gr->confidence = isnan(in) ? 0.5 :
				fmax(0.3, fmin(1.0, log(outm / in) / log(2.0)));
			snprintf(gr->evidence, sizeof(gr->evidence),
				 "v%s: %.1f ns one-way inside, %.1f ns to the other groups",
				 list, in, outm);
		}
	}
	free(outb);
	part_free(&p);
	return 0;
}

/* vCPUs that share no group of the level @lev with a vCPU outside their
 * own unit (SMT or stacked group). */
static int lone_vcpus(const struct work *w, const int *lev, const int *unit)
{
	int lone = 0;

	for (int i = 0; i < w->n; i++) {
		bool shared = false;
		for (int j = 0; j < w->n && !shared; j++)
			shared = lev[j] == lev[i] && unit[j] != unit[i];
		lone += !shared;
	}
	return lone;
}

/* A cache/socket partition that leaves most vCPUs alone is no structure a
 * guest could be told: it is a few fast pairs scattered over the guest.
 * Seen on the 16-vCPU cloud VM (unpinned vCPUs, Intel host): in a 0.8 s
 * run in which the vCPUs happened not to move, v4-v15 and v12-v13 read
 * 31 ns against 69-117 ns for every other pair, co-ran like separate
 * cores, and were taken for two caches and twelve lone sockets. A real
 * split (CCXs, sockets) puts most vCPUs beside another. */
static bool scattered(struct work *w, struct vtc_inferred *out, int start, const int *lev,
		      const int *unit)
{
	int lone = lone_vcpus(w, lev, unit);

	if (w->n < 4 || 2 * lone <= w->n)
		return false;
	snprintf(out->reason, sizeof(out->reason),
		 "the fast pairs (%.0f-%.0f ns) are not confirmed SMT siblings and form no "
		 "cache or socket groups (%d of %d vCPUs have no fast partner): unpinned "
		 "vCPUs look like this; rerun, or pin the vCPUs",
		 out->tier[start].lo_ns, out->tier[start].hi_ns, lone, w->n);
	out->unknown = true;
	return true;
}

/* Cache and socket groups from the tiers above SMT, on SMT/stacked units. */
static int infer_levels(struct work *w, struct vtc_inferred *out, int start, double *buf)
{
	int *lab = calloc((size_t)w->n, sizeof(*lab)), nlev = 0, units, prev, rc = 0;
	int *lev = calloc((size_t)w->n * VTC_INFER_MAX_TIERS, sizeof(*lev));
	int *unit = calloc((size_t)w->n, sizeof(*unit));

	if (!lab || !lev || !unit) {
		free(lab);
		free(lev);
		free(unit);
		return -ENOMEM;
	}
	uf_reset(w);
	/* units: SMT and stacked groups move together at every level (the
	 * root, hence the label, of a union is its lowest rank whatever the
	 * order of unions) */
	static const enum vtc_gkind unit_kinds[] = {VTC_GROUP_SMT, VTC_GROUP_STACKED};
	for (size_t u = 0; u < VTC_ARRAY_SIZE(unit_kinds); u++) {
		enum vtc_gkind kind = unit_kinds[u];
		const struct vtc_igroups *g = &out->groups[kind];
		for (int q = 0; q < g->count && out->known[kind]; q++) {
			int c, first = -1;
			vtc_cpuset_foreach(c, &g->g[q].cpus) {
				int i = vtc_results_rank(w->r, c);
				if (i >= 0 && first >= 0)
					uf_union(w->uf, first, i);
				else if (i >= 0)
					first = i;
			}
		}
	}
	for (int i = 0; i < w->n; i++)
		lab[i] = uf_find(w->uf, i);
	units = prev = count_labels(w, lab);
	memcpy(unit, lab, (size_t)w->n * sizeof(*lab));
	for (int t = start; rc == 0 && t + 1 < out->n_tiers; t++) {
		rc = merge_level(w, lab, w->bound[t]);
		int c = count_labels(w, lab);
		/* A level that merges everything is not a split: skip it. */
		if (c < prev && c > 1)
			memcpy(&lev[w->n * nlev++], lab, (size_t)w->n * sizeof(*lab));
		prev = c;
	}
	if (rc) {
		/* out of memory: no level */
	} else if (nlev > 0 && scattered(w, out, start, lev, unit)) {
		/* out->unknown, with the reason */
	} else if (nlev > 0) {
		rc = level_groups(w, &out->groups[VTC_GROUP_LLC], lev, false, buf);
		if (rc == 0)
			rc = level_groups(w, &out->groups[VTC_GROUP_SOCKET], &lev[w->n * (nlev - 1)],
					  false, buf);
		out->llc_socket_ambiguous = nlev == 1;
		out->known[VTC_GROUP_LLC] = out->known[VTC_GROUP_SOCKET] = true;
	} else if (units >= 3 || prev == 1) {
		/* Too few units to tell "all alike" from "all apart" otherwise. */
		for (int i = 0; i < w->n; i++)
			lab[i] = 0;
		rc = level_groups(w, &out->groups[VTC_GROUP_LLC], lab, true, buf);
		if (rc == 0)
			rc = level_groups(w, &out->groups[VTC_GROUP_SOCKET], lab, true, buf);
		out->homogeneous = true;
		out->known[VTC_GROUP_LLC] = out->known[VTC_GROUP_SOCKET] = true;
	}
	free(lab);
	free(lev);
	free(unit);
	return rc;
}

/* First tier above SMT: 1 when every fast-tier pair is inside an SMT group. */
static int level_start(const struct work *w, const struct vtc_inferred *out, int *start)
{
	struct part p;

	*start = 0;
	if (!out->known[VTC_GROUP_SMT] || out->n_tiers < 2)
		return 0;
	if (part_from_groups(w, &out->groups[VTC_GROUP_SMT], &p))
		return -ENOMEM;
	*start = 1;
	for (int i = 0, k = 0; i < w->n && *start; i++)
		for (int j = i + 1; j < w->n; j++, k++)
			if (w->ptier[k] == 0 && p.lab[i] != p.lab[j]) {
				*start = 0;
				break;
			}
	part_free(&p);
	return 0;
}

static int check_results(const struct vtc_results *r)
{
	int k = 0;

	if (r->n < 2 || !r->cpu || !r->pairs || r->n_passes < 1 ||
	    r->n_passes > VTC_MAX_PASSES || r->n_pairs != r->n * (r->n - 1) / 2 ||
	    (r->n_contention > 0 && !r->contention) || !r->steal_pct)
		return -EINVAL;
	for (int i = 0; i < r->n; i++)
		for (int j = i + 1; j < r->n; j++, k++)
			if (r->pairs[k].a != r->cpu[i] || r->pairs[k].b != r->cpu[j])
				return -EINVAL;
	return 0;
}

/* Every pair stalled and nothing was found stacked: say whether the co-runs
 * at least looked like one vCPU (stacked without steal accounting, e.g.
 * under TCG, or busy guest tasks: indistinguishable). */
static void all_stalled_reason(const struct work *w, struct vtc_inferred *out)
{
	for (int k = 0; k < w->np; k++)
		if (w->stalled[k] && !isnan(w->score[k]) && w->score[k] >= STACK_SCORE_MIN) {
			snprintf(out->reason, sizeof(out->reason),
				 "no vCPU pair ran without stalls and v%d,v%d co-ran like one vCPU, "
				 "without host steal and with %.1f other guest tasks runnable: "
				 "stacked vCPUs or busy guest tasks; rerun on a quiet guest",
				 w->r->pairs[k].a, w->r->pairs[k].b, w->r->foreign_runnable);
			return;
		}
	snprintf(out->reason, sizeof(out->reason), "no vCPU pair measured without stalls");
}

static bool any_group(const struct vtc_igroups *g)
{
	for (int q = 0; q < g->count; q++)
		if (vtc_cpuset_count(&g->g[q].cpus) > 1)
			return true;
	return false;
}

static int infer_run(struct work *w, const struct vtc_topo *adv, struct vtc_inferred *out,
		     bool *edge, double *buf)
{
	int rc = collect(w, out), start = 0;

	if (rc == 0 && !out->unknown)
		rc = label(w, out);
	if (rc == 0)
		contention_scores(w, out);
	int rs = infer_stacked(w, out, edge, buf);
	if (rc == 0)
		rc = rs;
	if (rc == 0 && out->n_tiers == 0 && !out->unknown) {
		/* all pairs stalled: stacked groups are all there is to say */
		out->unknown = !any_group(&out->groups[VTC_GROUP_STACKED]);
		if (out->unknown)
			all_stalled_reason(w, out);
		return 0;
	}
	if (rc == 0 && !out->unknown)
		rc = detect_floating(w, out);
	contention_too_noisy(out);
	if (rc || out->unknown || out->floating)
		return rc;
	rc = infer_smt(w, out, adv, edge, buf);
	if (rc == 0 && !out->unknown)
		rc = level_start(w, out, &start);
	if (rc == 0 && !out->unknown)
		rc = infer_levels(w, out, start, buf);
	return rc;
}

int vtc_infer(const struct vtc_results *r, const struct vtc_topo *advertised,
	      struct vtc_inferred *out)
{
	struct work w;
	bool *edge = NULL;
	double *buf = NULL;
	int rc;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!r || check_results(r))
		return -EINVAL;
	out->cpus = r->probed;
	for (int k = 0; k < VTC_GROUP_KINDS; k++)
		if (groups_alloc(&out->groups[k], r->n))
			return -ENOMEM;
	rc = work_alloc(&w, r);
	edge = calloc((size_t)r->n_pairs + 1, sizeof(*edge));
	buf = calloc((size_t)r->n_pairs + 1, sizeof(*buf));
	if (rc == 0 && (!edge || !buf))
		rc = -ENOMEM;
	if (rc == 0)
		rc = infer_run(&w, advertised, out, edge, buf);
	free(edge);
	free(buf);
	work_free(&w);
	return rc;
}

void vtc_inferred_free(struct vtc_inferred *inf)
{
	if (!inf)
		return;
	for (int k = 0; k < VTC_GROUP_KINDS; k++)
		free(inf->groups[k].g);
	free(inf->fast);
	memset(inf, 0, sizeof(*inf));
}

int vtc_inferred_find(const struct vtc_inferred *inf, enum vtc_gkind k, int cpu)
{
	if ((unsigned)k >= VTC_GROUP_KINDS)
		return -1;
	for (int i = 0; i < inf->groups[k].count; i++)
		if (vtc_cpuset_test(&inf->groups[k].g[i].cpus, cpu))
			return i;
	return -1;
}
