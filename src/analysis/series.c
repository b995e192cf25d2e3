/* series.c - near modes in pair latency over time.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/series.h"
#include "src/grow.h"
#include "src/analysis/stats.h"

/* The same boundary rule as latency tiers (src/analysis/infer/tiers.c): the gap
 * between two modes must be a real ratio and wide against both spreads. */
#define MODE_GAP_MIN_RATIO 1.25
#define MODE_GAP_SPREAD_FACTOR 1.5
/* A near mode holding fewer than 1/RARE_SHARE of the readings is rare. */
#define RARE_SHARE 100
/* A pair needs this many measured samples before it has a "usual" mode. */
#define SERIES_MIN_SAMPLES 12
/* A gap between two watch rounds longer than this, and than 10 typical
 * gaps, was not watched: the process was stopped (SIGSTOP) or the guest
 * suspended. Rounds come every few ms (probes/schedule.c's duty cycle),
 * a serial round of many pairs in well under a second. */
#define SERIES_UNWATCHED_GAP_S 1.0
/* Near samples closer in time than this belong to one episode: within one
 * placement a pair can flicker between near and usual readings. */
#define SERIES_EPISODE_GAP_S 0.1
/* Handoffs in a row that must all read a tier gap below the pair's median
 * to count as a near run when the values alone show no gap. Noise only
 * slows a handoff down, and on one placement a fast stray is a lone
 * reading; a move keeps a pair near for as long as it lasts. The watch
 * samples of one placement spread as a continuum under emulation, where the
 * near mode then has no gap of its own (seen on this project's TCG guests:
 * runs of 5-11 readings at 0.55-0.65x the median, 20-50 ms long). */
#define SERIES_RUN_MIN 5

void vtc_series_free(struct vtc_series *s)
{
	if (!s)
		return;
	free(s->f);
	memset(s, 0, sizeof(*s));
}

/* Index of the last value of the near mode in sorted logs @x, or -1: the
 * widest gap that is a boundary with the near side the smaller one. A near
 * side of fewer than one reading in RARE_SHARE must stand out twice as
 * clearly: a broad usual mode (under emulation, say) reaches down by
 * itself now and then, as the tiers ask of a lone value. */
static int near_split(const double *x, int m)
{
	double best = 0;
	int at = -1;

	for (int i = VTC_SERIES_MIN_NEAR - 1; i + 1 < m && 2 * (i + 1) <= m; i++) {
		double gap = x[i + 1] - x[i];
		double sp = fmax(vtc_stats_spread_sorted(x, (size_t)(i + 1)),
				 vtc_stats_spread_sorted(x + i + 1, (size_t)(m - i - 1)));
		double factor = (double)(i + 1) * RARE_SHARE < m ? 2 * MODE_GAP_SPREAD_FACTOR
								  : MODE_GAP_SPREAD_FACTOR;
		if (gap < log(MODE_GAP_MIN_RATIO) || gap < factor * sp)
			continue;
		if (gap > best) {
			best = gap;
			at = i;
		}
	}
	return at;
}

/* Near readings from @from_s to @to_s: an episode of their own when they
 * begin over SERIES_EPISODE_GAP_S after the last near reading. */
static void note_near(struct vtc_series_float *f, double from_s, double to_s)
{
	if (f->episodes == 0 || from_s - f->last_s > SERIES_EPISODE_GAP_S) {
		if (f->episodes < VTC_SERIES_SHOWN_EPISODES)
			f->episode_s[f->episodes] = from_s;
		if (f->episodes == 0)
			f->first_s = from_s;
		f->episodes++;
	}
	f->last_s = to_s;
}

/* Episodes and times of the pair's near samples (@limit: log ns bound). */
static void episodes(const struct vtc_results *r, const int *idx, int n, double limit,
		     struct vtc_series_float *f)
{
	for (int i = 0; i < n; i++) {
		const struct vtc_watch_sample *w = &r->watch[idx[i]];
		if (log(w->ns) <= limit)
			note_near(f, w->t_s, w->t_s);
	}
}

/* The pair's near runs: SERIES_RUN_MIN or more readings in a row (time
 * order) below @limit (log ns). Their values go to @x (which may hold the
 * sorted logs: they are no longer needed), runs closer than
 * SERIES_EPISODE_GAP_S are one episode. Returns how many readings. */
static int near_runs(const struct vtc_results *r, const int *idx, int n, double limit,
		     double *x, struct vtc_series_float *f)
{
	int run = 0, m = 0;

	for (int i = 0; i <= n; i++) {
		if (i < n && log(r->watch[idx[i]].ns) < limit) {
			run++;
			continue;
		}
		if (run >= SERIES_RUN_MIN) {
			note_near(f, r->watch[idx[i - run]].t_s, r->watch[idx[i - 1]].t_s);
			for (int j = i - run; j < i; j++)
				x[m++] = log(r->watch[idx[j]].ns);
		}
		run = 0;
	}
	return m;
}

/* On a busy guest (other tasks runnable around the look) the window's
 * readings slow down for spells, and the pair's own quiet level then reads
 * as a "near mode" (seen here: 60 ns near, 76 ns usual, the look's passes
 * 57-64 ns, 2.3 other tasks runnable on 2 vCPUs). There a near mode is a
 * move only when it is nearer than the look's fastest pass by the tier
 * ratio as well. */
static bool busy_and_not_nearer(const struct vtc_results *r, int k, double near_ns)
{
	double least = vtc_pair_fastest_ns(&r->pairs[k], r->n_passes);

	if (r->foreign_runnable < 0 || vtc_results_guest_quiet(r->foreign_runnable, r->n))
		return false;
	return !(least < 0 || near_ns * MODE_GAP_MIN_RATIO < least);
}

/* One pair's samples (indices into r->watch, in time order). Returns 1 when
 * it floats (filled into @f), 0 when not, -ENOMEM. A near mode is told by a
 * gap in the values or, failing that, by runs in time. */
static int pair_float(const struct vtc_results *r, const int *idx, int n, double *x,
		      struct vtc_series_float *f)
{
	int at;

	if (n < SERIES_MIN_SAMPLES)
		return 0;
	for (int i = 0; i < n; i++)
		x[i] = log(r->watch[idx[i]].ns);
	vtc_stats_sort(x, (size_t)n);
	memset(f, 0, sizeof(*f));
	f->samples = n;
	at = near_split(x, n);
	if (at >= 0) {
		f->near = at + 1;
		f->near_ns = exp(vtc_stats_median_sorted(x, (size_t)(at + 1)));
		f->usual_ns = exp(vtc_stats_median_sorted(x + at + 1, (size_t)(n - at - 1)));
		f->near_max_ns = exp(x[at]);
		episodes(r, idx, n, x[at], f);
		return 1;
	}
	f->usual_ns = exp(vtc_stats_median_sorted(x, (size_t)n));
	f->near = near_runs(r, idx, n, log(f->usual_ns / MODE_GAP_MIN_RATIO), x, f);
	if (f->near == 0)
		return 0;
	vtc_stats_sort(x, (size_t)f->near);
	f->near_ns = exp(vtc_stats_median_sorted(x, (size_t)f->near));
	f->near_max_ns = exp(x[f->near - 1]);
	return 1;
}

static int cmp_float(const void *p, const void *q)
{
	const struct vtc_series_float *a = p, *b = q;

	if (a->near != b->near)
		return a->near < b->near ? 1 : -1;
	return a->a != b->a ? a->a - b->a : a->b - b->b;
}

/* Watch samples grouped by pair, in time order: @start[k]..@start[k+1]. */
static int group_by_pair(const struct vtc_results *r, int **start_out, int **idx_out)
{
	int *start = calloc((size_t)r->n_pairs + 2, sizeof(int));
	int *idx = malloc(sizeof(int) * ((size_t)r->n_watch + 1));
	int *fill;

	if (!start || !idx) {
		free(start);
		free(idx);
		return -ENOMEM;
	}
	for (int i = 0; i < r->n_watch; i++)
		if (r->watch[i].ns > 0 && r->watch[i].pair >= 0 && r->watch[i].pair < r->n_pairs)
			start[r->watch[i].pair + 1]++;
	for (int k = 0; k < r->n_pairs; k++)
		start[k + 1] += start[k];
	fill = calloc((size_t)r->n_pairs + 1, sizeof(int));
	if (!fill) {
		free(start);
		free(idx);
		return -ENOMEM;
	}
	for (int i = 0; i < r->n_watch; i++) {
		int k = r->watch[i].pair;
		if (r->watch[i].ns > 0 && k >= 0 && k < r->n_pairs)
			idx[start[k] + fill[k]++] = i;
	}
	free(fill);
	*start_out = start;
	*idx_out = idx;
	return 0;
}

/* Seconds of the window in which nothing was watched: gaps between
 * rounds (and at either end) beyond SERIES_UNWATCHED_GAP_S and 10 typical
 * gaps, less one typical gap each. @gap: scratch of n_watch + 1. */
static double unwatched(const struct vtc_results *r, double *gap)
{
	double prev = r->watch_from_s, typical, cap, lost = 0;
	int n = 0;

	for (int i = 0; i <= r->n_watch; i++) {
		double t = i < r->n_watch ? r->watch[i].t_s : r->watch_to_s;
		if (i < r->n_watch && t <= prev) /* one round's samples share a time */
			continue;
		gap[n++] = t - prev;
		prev = t;
	}
	vtc_stats_sort(gap, (size_t)n);
	typical = n ? gap[n / 2] : 0;
	cap = fmax(SERIES_UNWATCHED_GAP_S, 10 * typical);
	for (int i = 0; i < n; i++)
		if (gap[i] > cap)
			lost += gap[i] - typical;
	return lost;
}

int vtc_series_analyze(const struct vtc_results *r, struct vtc_series *out)
{
	int *start = NULL, *idx = NULL, rc;
	double *x = NULL;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!r)
		return -EINVAL;
	out->window_s = r->watch_to_s - r->watch_from_s;
	if (r->n_watch == 0)
		return 0;
	out->cut_short = r->interrupted;
	rc = group_by_pair(r, &start, &idx);
	if (rc == 0) {
		out->n_samples = start[r->n_pairs];
		x = malloc(sizeof(double) * ((size_t)r->n_watch + 1));
		if (x) {
			out->unwatched_s = unwatched(r, x);
			out->window_s -= out->unwatched_s;
		}
		out->f = calloc(16, sizeof(*out->f));
		rc = x && out->f ? 0 : -ENOMEM;
	}
	for (int k = 0, cap = 16; rc == 0 && k < r->n_pairs; k++) {
		struct vtc_series_float f;
		if (pair_float(r, idx + start[k], start[k + 1] - start[k], x, &f) <= 0 ||
		    busy_and_not_nearer(r, k, f.near_ns))
			continue;
		f.a = r->pairs[k].a;
		f.b = r->pairs[k].b;
		struct vtc_series_float *g = vtc_grow(out->f, &cap, out->n_float, sizeof(*g), 16);
		if (!g) {
			rc = -ENOMEM;
			break;
		}
		out->f = g;
		out->f[out->n_float++] = f;
	}
	if (rc == 0)
		qsort(out->f, (size_t)out->n_float, sizeof(*out->f), cmp_float);
	free(start);
	free(idx);
	free(x);
	return rc;
}

bool vtc_series_settled(const struct vtc_series *s)
{
	for (int i = 0; s && i < s->n_float; i++)
		if (s->f[i].episodes >= 2)
			return true;
	return false;
}

const char *vtc_series_settled_reason(const struct vtc_series *s)
{
	return vtc_series_settled(s) ? "floating: a pair was seen nearer in two episodes" : NULL;
}
