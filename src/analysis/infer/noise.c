/* noise.c - what is noise and not topology, taken out of the pair values
 * before tiers are found: busy vCPUs' rows and single-pair hiccups.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Busy vCPUs: a vCPU busy with interrupts or another task reads
 * slower to every partner, so its whole row of the matrix is scaled by one
 * factor. Left alone, that row forms tiers of its own (its sibling pair
 * lands between the SMT tier and the next, its other pairs between two
 * cache levels) and every structure around it looks broken.
 *
 * The factor is measured against a twin: two vCPUs that are each other's
 * nearest partner (SMT siblings, or cores of one small cache) see every
 * other vCPU alike, so their rows over the common partners differ by a
 * constant, 0 when neither is busy. A row whose partners differ from its
 * twin's by one clear factor, the same on near and far partners alike
 * (the order of partners survives), is divided by it. Noise only ever
 * slows a pair, so the slower twin is the busy one.
 *
 * What this does not do: a vCPU alone on a far socket also reads "slower
 * to everyone", but it has no twin (nobody's nearest partner is a far
 * vCPU), so it is never corrected. Two busy twins are left as they are.
 *
 * Hiccups: one pair preempted while it was measured reads slower than its
 * topology allows. Latency is hierarchical (a pair is never farther apart
 * than the farther of its two links through a third vCPU: the levels of a
 * core, cache, socket nest), so the triangles through every other vCPU
 * outvote it: a pair that is the lone maximum of both its rows and reads a
 * tier gap slower than the median triangle bound is given that bound. */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/analysis/stats.h"
#include "src/analysis/infer/work.h"

/* Common partners needed to measure a factor, and the share of them that
 * must agree with it. */
#define TWIN_MIN_PARTNERS 4
#define TWIN_AGREE_MIN 0.75
/* Twins needed to call a run too noisy: at least this many, holding at
 * least 1/TWINS_COVER of the vCPUs. */
#define TWINS_MIN 2
#define TWINS_COVER 4

/* Log factor of row @i over row @k on their common partners (all but @i,
 * @k, @x and @y), 0 when the rows do not differ by one clear factor; *@sd
 * the robust standard deviation of one pair value that their differences
 * show (-1 too few); *@span the ratio between the farthest and the nearest
 * of row @k's values where the factor holds. @d: scratch of 3 x ncpu
 * doubles (the differences, row @k's values, the differences sorted). */
static double row_factor(const struct infer_work *w, int i, int k, int x, int y, double *d,
			 double *sd, double *span)
{
	double *kv = d + w->ncpu, *sorted = kv + w->ncpu, med, iqr, lo = INFINITY, hi = 0;
	int m = 0, agree = 0;

	for (int j = 0; j < w->ncpu; j++) {
		double a, b;
		if (j == i || j == k || j == x || j == y)
			continue;
		a = w->pair_ns[infer_pair_index(w, i, j)];
		b = w->pair_ns[infer_pair_index(w, k, j)];
		if (!(a > 0 && b > 0))
			continue;
		kv[m] = b;
		sorted[m] = d[m] = log(a / b);
		m++;
	}
	*sd = -1;
	*span = 1;
	if (m < TWIN_MIN_PARTNERS)
		return 0;
	vtc_stats_sort(sorted, (size_t)m);
	med = vtc_stats_median_sorted(sorted, (size_t)m);
	iqr = vtc_stats_spread_sorted(sorted, (size_t)m);
	/* IQR of a normal = 1.349 sd; a difference of two values has sqrt(2)
	 * of one value's sd */
	*sd = iqr / 1.349 / sqrt(2);
	if (fabs(med) < 0.5 * log(GAP_MIN_RATIO) || iqr >= fabs(med))
		return 0;
	/* One factor on near and far partners alike: most differences sit
	 * within half the factor of it. */
	for (int q = 0; q < m; q++) {
		if (fabs(d[q] - med) >= fabs(med) / 2)
			continue;
		agree++;
		lo = fmin(lo, kv[q]);
		hi = fmax(hi, kv[q]);
	}
	*span = agree ? hi / lo : 1;
	return agree >= TWIN_AGREE_MIN * m ? med : 0;
}

static double twin_factor(const struct infer_work *w, int i, int s, double *d, double *sd)
{
	double span;

	return row_factor(w, i, s, -1, -1, d, sd, &span);
}

/* Both twins busy (a core whose two threads are slowed): neither is
 * slower than the other, so each row is measured against the rows of its
 * nearest other vCPUs instead. Those are the same place in the topology
 * only where the factor holds on partners of different levels (a core
 * alone on a far socket reads one level to everyone, and is left alone).
 * Returns the log factor of row @i, 0 none. */
#define REF_CANDIDATES 4

static double busy_core_factor(const struct infer_work *w, const int *twin, int i, double *d,
			       double *by_dist)
{
	int tried = 0;

	for (int j = 0; j < w->ncpu; j++)
		by_dist[j] = j == i || j == twin[i] ? INFINITY : w->pair_ns[infer_pair_index(w, i, j)];
	while (tried++ < REF_CANDIDATES) {
		int k = -1;
		double sd, span, f;
		for (int j = 0; j < w->ncpu; j++)
			if (by_dist[j] > 0 && by_dist[j] < INFINITY && (k < 0 || by_dist[j] < by_dist[k]))
				k = j;
		if (k < 0)
			break;
		by_dist[k] = INFINITY;
		f = row_factor(w, i, k, twin[i], twin[k], d, &sd, &span);
		if (f > 0 && span >= GAP_MIN_RATIO)
			return f;
	}
	return 0;
}

/* Record that pair @k's values were multiplied by @f. */
static int note_scale(struct vtc_inferred *out, int npairs, int k, double f)
{
	if (!out->pair_scale) {
		out->pair_scale = malloc(sizeof(*out->pair_scale) * ((size_t)npairs + 1));
		if (!out->pair_scale)
			return -ENOMEM;
		for (int q = 0; q < npairs; q++)
			out->pair_scale[q] = 1;
	}
	out->pair_scale[k] *= f;
	return 0;
}

static int divide_row(struct infer_work *w, struct vtc_inferred *out, int i, double f)
{
	for (int j = 0; j < w->ncpu; j++) {
		int k;
		if (j == i)
			continue;
		k = infer_pair_index(w, i, j);
		if (w->pair_ns[k] > 0)
			w->pair_ns[k] /= f;
		for (int p = 0; p < w->npasses; p++)
			if (w->pass_ns[k * w->npasses + p] > 0)
				w->pass_ns[k * w->npasses + p] /= f;
		if (note_scale(out, w->npairs, k, 1 / f))
			return -ENOMEM;
	}
	return 0;
}

static int rows_correct(struct infer_work *w, struct vtc_inferred *out)
{
	int *twin = malloc(sizeof(*twin) * (size_t)w->ncpu);
	double *d = malloc(sizeof(*d) * 3 * (size_t)w->ncpu), *lf = calloc((size_t)w->ncpu, sizeof(*lf));
	double *sds = malloc(sizeof(*sds) * (size_t)w->ncpu);
	double *lf2 = calloc((size_t)w->ncpu, sizeof(*lf2)), *dist = malloc(sizeof(*dist) * (size_t)w->ncpu);
	int rc = 0, nsd = 0;

	out->row_scale = malloc(sizeof(*out->row_scale) * (size_t)w->ncpu);
	if (!twin || !d || !lf || !sds || !lf2 || !dist || !out->row_scale) {
		rc = -ENOMEM;
		goto done;
	}
	for (int i = 0; i < w->ncpu; i++) {
		out->row_scale[i] = 1;
		twin[i] = vtc_pairs_nearest(w->pair_ns, w->ncpu, i, -1);
	}
	/* Factors first, from the measured rows; corrections after, so no
	 * correction feeds another's estimate. */
	for (int i = 0; i < w->ncpu; i++) {
		int s = twin[i];
		double sd;
		if (s > i && twin[s] == i) {
			double f = twin_factor(w, i, s, d, &sd);
			lf[f > 0 ? i : s] = fabs(f);
			if (sd >= 0)
				sds[nsd++] = sd;
		}
	}
	for (int i = 0; i < w->ncpu; i++) {
		int s = twin[i];
		if (s >= 0 && twin[s] == i && lf[i] == 0 && lf[s] == 0)
			lf2[i] = busy_core_factor(w, twin, i, d, dist);
	}
	for (int i = 0; i < w->ncpu; i++)
		lf[i] = lf[i] > 0 ? lf[i] : lf2[i];
	/* The run's noise: the median over twins (a twin pair that is not
	 * alike, e.g. two vCPUs of a mesh, does not move it). */
	out->twin_noise = nsd ? vtc_stats_median_inplace(sds, (size_t)nsd) : -1;
	out->twins = nsd;
	for (int i = 0; i < w->ncpu; i++)
		if (lf[i] > 0) {
			out->row_scale[i] = exp(lf[i]);
			out->rows_scaled++;
			if ((rc = divide_row(w, out, i, out->row_scale[i])))
				break;
		}
done:
	free(lf2);
	free(dist);
	free(sds);
	free(twin);
	free(d);
	free(lf);
	return rc;
}

/* Each row's largest value, the partner holding it, and the next largest:
 * a pair is a lone maximum of row i when it is top[i] by a tier gap over
 * next[i]. */
struct row_top {
	int *who;
	double *top, *next;
	double *median; /* the row's median value */
};

static int row_tops(const struct infer_work *w, struct row_top *t)
{
	t->who = malloc(sizeof(*t->who) * ((size_t)w->ncpu + 1));
	t->top = malloc(sizeof(*t->top) * ((size_t)w->ncpu + 1));
	t->next = malloc(sizeof(*t->next) * ((size_t)w->ncpu + 1));
	t->median = malloc(sizeof(*t->median) * ((size_t)w->ncpu + 1));
	double *row = malloc(sizeof(*row) * ((size_t)w->ncpu + 1));
	if (!t->who || !t->top || !t->next || !t->median || !row) {
		free(row);
		return -ENOMEM;
	}
	for (int i = 0; i < w->ncpu; i++) {
		int m = 0;
		t->who[i] = -1;
		t->top[i] = t->next[i] = 0;
		for (int j = 0; j < w->ncpu; j++) {
			double v = j == i ? -1 : w->pair_ns[infer_pair_index(w, i, j)];
			if (v > 0)
				row[m++] = v;
			if (v > t->top[i]) {
				t->next[i] = t->top[i];
				t->top[i] = v;
				t->who[i] = j;
			} else if (v > t->next[i]) {
				t->next[i] = v;
			}
		}
		t->median[i] = m ? vtc_stats_median_inplace(row, (size_t)m) : -1;
	}
	free(row);
	return 0;
}

static bool row_lone_max(const struct row_top *t, int i, int partner)
{
	return t->who[i] == partner && t->next[i] * GAP_MIN_RATIO < t->top[i];
}

/* Whether pair (@a,@b) at @v is worth a triangle check: the lone maximum
 * of both rows, or a tier gap above what both rows usually read (several
 * hiccups in one row: none is then its lone maximum). */
static bool hiccup_candidate(const struct row_top *t, int a, int b, double v)
{
	if (row_lone_max(t, a, b) && row_lone_max(t, b, a))
		return true;
	return t->median[a] > 0 && t->median[b] > 0 &&
	       v > GAP_MIN_RATIO * fmax(t->median[a], t->median[b]);
}


/* Median over third vCPUs of the hierarchical bound on pair (@a,@b), -1
 * without enough of them. @d: scratch of ncpu doubles. */
static double triangle_bound(const struct infer_work *w, int a, int b, double *d)
{
	int m = 0;

	for (int c = 0; c < w->ncpu; c++) {
		double x, y;
		if (c == a || c == b)
			continue;
		x = w->pair_ns[infer_pair_index(w, a, c)];
		y = w->pair_ns[infer_pair_index(w, b, c)];
		if (x > 0 && y > 0)
			d[m++] = fmax(x, y);
	}
	return m >= TWIN_MIN_PARTNERS ? vtc_stats_median_inplace(d, (size_t)m) : -1;
}

static int pair_set(struct infer_work *w, struct vtc_inferred *out, int k, double v)
{
	double f = v / w->pair_ns[k];

	w->pair_ns[k] = v;
	for (int p = 0; p < w->npasses; p++)
		if (w->pass_ns[k * w->npasses + p] > 0)
			w->pass_ns[k * w->npasses + p] *= f;
	return note_scale(out, w->npairs, k, f);
}

static int hiccups_outvote(struct infer_work *w, struct vtc_inferred *out)
{
	double *d = malloc(sizeof(*d) * (size_t)w->ncpu + 1);
	struct row_top t = {0};
	int rc = d ? row_tops(w, &t) : -ENOMEM;

	for (int a = 0; rc == 0 && a < w->ncpu; a++)
		for (int b = a + 1; rc == 0 && b < w->ncpu; b++) {
			int k = infer_pair_index(w, a, b);
			double v = w->pair_ns[k], bound;
			if (!(v > 0) || !hiccup_candidate(&t, a, b, v))
				continue;
			bound = triangle_bound(w, a, b, d);
			if (bound > 0 && bound * GAP_MIN_RATIO < v) {
				rc = pair_set(w, out, k, bound);
				out->pairs_outvoted++;
			}
		}
	free(t.who);
	free(t.top);
	free(t.next);
	free(t.median);
	free(d);
	return rc;
}

/* Rounds of outvoting: a row with two hiccups has its second one as a
 * lone maximum only once the first is outvoted. */
#define HICCUP_ROUNDS 4

int infer_noise(struct infer_work *w, struct vtc_inferred *out)
{
	int rc = rows_correct(w, out);

	for (int round = 0, before = -1; rc == 0 && round < HICCUP_ROUNDS &&
					  before != out->pairs_outvoted; round++) {
		before = out->pairs_outvoted;
		rc = hiccups_outvote(w, out);
	}
	return rc;
}

bool infer_noise_blurs_tiers(const struct vtc_inferred *out)
{
	/* Tiers are levels at least GAP_MIN_RATIO apart; when one pair's value
	 * spreads by half of that, neighbouring levels overlap and no reading
	 * of "alike" or "apart" holds. Taken from enough twins only: on a
	 * machine without SMT or small caches, a twin is an accident of the
	 * mesh, and its rows differ by the mesh's geometry too. */
	return out->twins >= TWINS_MIN && 2 * out->twins * TWINS_COVER >= vtc_cpuset_count(&out->cpus) &&
	       out->twin_noise > 0.5 * log(GAP_MIN_RATIO);
}

bool infer_too_noisy(struct vtc_inferred *out)
{
	if (!infer_noise_blurs_tiers(out))
		return false;
	snprintf(out->reason, sizeof(out->reason),
		 "pairs that must read alike differ by %.0f%% (the rows of %d pairs of "
		 "mutually nearest vCPUs): too noisy to tell levels %.2fx apart; rerun on a "
		 "quieter host", 100 * (exp(out->twin_noise) - 1), out->twins, GAP_MIN_RATIO);
	out->unknown = true;
	return true;
}
