/* schedule.c - measure every pair of a CPU set through a backend, within a budget.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Order of work:
 *  1. latency: pass 0 runs all tournament rounds (disjoint pairs measured
 *     concurrently), then pass 1 runs them in another order, ... so the
 *     passes of one pair are separated in time; odd passes swap which side
 *     times the round trips;
 *  2. re-measure, one pair at a time, the pairs whose passes disagree
 *     (into the extra pass slot params->passes, when one is free);
 *  3. contention: solo rate of each CPU, then co-runs of each CPU's
 *     lowest-latency partner, a few median-latency controls, the same-vCPU
 *     control and the caller's extra pairs: jobs linear in n, run in
 *     rounds of jobs on CPUs that cannot share a core (a handful of rounds
 *     whatever n), or one at a time in serial mode;
 *  4. watch (params->watch): rounds of short re-measurements until the
 *     budget ends, the observation window, kept as a time series; it ends
 *     early once the series has settled the question (src/analysis/series.h);
 *  5. per-CPU steal over the whole run.
 * The budget and the stop flag are checked before every backend call; a
 * backend call is itself bounded by params->pair_max_ms. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/advertised/procstat.h"
#include "src/analysis/series.h"
#include "probes/contplan.h"
#include "probes/rounds.h"
#include "probes/schedule.h"
#include "probes/watchdog.h"
#include "src/stop.h"
#include "src/analysis/stats.h"

#define SCHED_AMBIGUOUS_SPREAD 1.5  /* max/min of pass medians */
#define SCHED_CONT_SHARE 0.3        /* of the budget, at most, kept for contention */
#define SCHED_CONT_RUN_EST_S 0.007  /* first guess of one throughput call (hw: 4 x 1.5 ms + start) */
#define SCHED_CONT_ROUNDS_EST 16    /* first guess of contention rounds, whatever n */
#define SCHED_CONT_THREAD_EST_S 40e-6 /* starting one more thread of a round */
#define SCHED_WATCH_CHECK_S 0.5     /* how often the window asks whether it has settled */
/* Share of the window in which the watch probes: after each round it rests
 * (1 - duty) / duty times what the round took. A round spins every vCPU of
 * its pairs (and their thread start-up dominates its cost), so the window
 * costs the guest about this share of its CPUs, whatever their number.
 * Moves are still seen: a pair is re-measured every ~3 ms (2 vCPUs here),
 * a mode needs 3 near readings over the whole window, and the host's moves
 * seen from this project's guests last 17-50 ms (probes/README.md). */
#define SCHED_WATCH_DUTY 0.15
#define SCHED_QUIET_POLL_S 0.01     /* how often a busy guest is looked at again */
#define SCHED_QUIET_WAIT_SHARE 0.5  /* of the window, at most, spent waiting for quiet */

/* Cumulative steal and total ticks of every CPU (index: CPU id), as the
 * backend's cpu_times reads them at one moment. */
struct cpu_ticks {
	uint64_t *steal, *total;
};

/* When the ticks were taken: at the start of the run (whole-run steal), and
 * before and after one co-run or round (the steal it suffered). */
enum ticks_at { TICKS_RUN_START, TICKS_BEFORE, TICKS_AFTER, TICKS_COUNT };

struct sched {
	const struct vtc_backend *be;
	const struct vtc_probe_params *p;
	vtc_progress_fn progress;
	void *parg;
	struct vtc_results *out;
	double t0, budget_end, est_s;
	int first_err;
	int units_total, units_done;
	double last_progress;
	struct vtc_pingpong_job *jobs;
	int *ra, *rb;
	struct cpu_ticks ticks[TICKS_COUNT];
	bool have_times;
};

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The scheduler's clock: the backend's (modelled time in the simulator) or
 * the monotonic wall clock. */
static double sched_now(const struct sched *s)
{
	return s->be->now ? s->be->now(s->be->ctx) : wall_s();
}

/* True when the run must end before a step expected to take @need_s. */
static bool must_stop(struct sched *s, double need_s)
{
	if (vtc_stop_requested()) {
		s->out->interrupted = true;
		return true;
	}
	if (sched_now(s) + need_s > s->budget_end || vtc_timer_aborted()) {
		s->out->budget_exhausted = true;
		return true;
	}
	return false;
}

/* Progress: units of the full look, or with a window the budget's time
 * (the run lasts the whole budget then). Never decreasing. */
static void progress_report(struct sched *s, const char *phase)
{
	double now = sched_now(s), f;

	if (!s->progress)
		return;
	if (s->p->watch)
		f = (now - s->t0) / s->p->budget_s;
	else
		f = s->units_total > 0 ? (double)s->units_done / s->units_total : 0;
	f = f > 1.0 ? 1.0 : f < s->last_progress ? s->last_progress : f;
	s->last_progress = f;
	s->progress(s->parg, phase, f, s->budget_end > now ? s->budget_end - now : 0);
}

static void progress_step(struct sched *s)
{
	s->units_done++;
	progress_report(s, "measuring");
}

/* One backend call on @n jobs; learns how long a call takes. */
static void call_pingpong(struct sched *s, struct vtc_pingpong_job *jobs, int n)
{
	double t = sched_now(s);

	for (int i = 0; i < n; i++)
		jobs[i].out->t_start_s = t - s->t0;
	int rc = s->be->pingpong(s->be->ctx, jobs, n, s->p);
	if (rc && !s->first_err)
		s->first_err = rc;
	double took = sched_now(s) - t, floor = s->p->pair_max_ms * 1e-3;
	s->est_s = took > floor ? took : floor;
}

/* Run @n jobs: together, or one at a time in serial mode. False: stop. */
static bool run_jobs(struct sched *s, struct vtc_pingpong_job *jobs, int n, bool serial)
{
	if (!serial) {
		if (must_stop(s, s->est_s))
			return false;
		call_pingpong(s, jobs, n);
		return true;
	}
	for (int i = 0; i < n; i++) {
		if (must_stop(s, s->est_s))
			return false;
		call_pingpong(s, &jobs[i], 1);
	}
	return true;
}

static bool latency_round(struct sched *s, int pass, int round)
{
	struct vtc_results *r = s->out;
	int k = vtc_rounds_get(r->n, round, s->ra, s->rb);

	for (int i = 0; i < k; i++) {
		int a = r->cpu[s->ra[i]], b = r->cpu[s->rb[i]];
		int lo = a < b ? a : b, hi = a < b ? b : a;
		/* Odd passes time from the other side of the pair. */
		s->jobs[i] = (struct vtc_pingpong_job){
			.a = pass % 2 ? hi : lo, .b = pass % 2 ? lo : hi, .pass = pass,
			.out = &vtc_results_pair(r, a, b)->pass[pass]};
	}
	return run_jobs(s, s->jobs, k, s->p->serial);
}

static bool latency_phase(struct sched *s)
{
	int rounds = vtc_rounds_count(s->out->n);

	for (int pass = 0; pass < s->out->n_passes; pass++)
		for (int i = 0; i < rounds; i++) {
			if (!latency_round(s, pass, vtc_rounds_order(rounds, pass, i)))
				return false;
			progress_step(s);
		}
	return true;
}

/* How doubtful a pair's result is: 0 clear; else larger = more doubtful. */
static double ambiguity(const struct vtc_pair_result *pr, int passes, int min_samples)
{
	double med[VTC_MAX_PASSES];
	int m = 0, stalled = 0;

	for (int i = 0; i < passes; i++) {
		const struct vtc_lat_stats *l = &pr->pass[i];
		if (!l->measured)
			return 0; /* not reached (budget): nothing to compare */
		if (l->stalled) {
			stalled++;
			continue;
		}
		if ((int)l->samples < min_samples)
			return 2.0;
		med[m++] = l->median_ns;
	}
	if (stalled && m)
		return 10.0; /* stalled in one pass only: floating vCPUs? */
	double spread = vtc_stats_spread(med, (size_t)m);
	return spread > SCHED_AMBIGUOUS_SPREAD ? spread : 0;
}

struct doubt {
	int idx;
	double score;
};

static int cmp_doubt(const void *x, const void *y)
{
	const struct doubt *a = x, *b = y;
	return (a->score < b->score) - (a->score > b->score);
}

/* Solo re-measure of at most n ambiguous pairs, most doubtful first. */
static bool remeasure_phase(struct sched *s)
{
	struct vtc_results *r = s->out;
	int passes = r->n_passes, nd = 0;
	int min_samples = s->p->max_samples / 10 > 3 ? s->p->max_samples / 10 : 3;
	struct doubt *d;

	if (passes >= VTC_MAX_PASSES)
		return true;
	d = calloc((size_t)r->n_pairs + 1, sizeof(*d));
	if (!d)
		return true; /* an optional step: skip it */
	for (int i = 0; i < r->n_pairs; i++) {
		double sc = ambiguity(&r->pairs[i], passes, min_samples);
		if (sc > 0)
			d[nd++] = (struct doubt){i, sc};
	}
	qsort(d, (size_t)nd, sizeof(*d), cmp_doubt);
	if (nd > r->n)
		nd = r->n;
	if (nd)
		r->n_passes = passes + 1;
	bool go = true;
	for (int i = 0; i < nd && go; i++) {
		struct vtc_pair_result *pr = &r->pairs[d[i].idx];
		struct vtc_pingpong_job job = {.a = pr->a, .b = pr->b, .pass = passes,
					       .out = &pr->pass[passes]};
		go = run_jobs(s, &job, 1, true);
	}
	free(d);
	return go;
}

/* Snapshot every CPU's steal/total ticks into s->ticks[@at]. */
static void take_times(struct sched *s, enum ticks_at at)
{
	if (s->have_times &&
	    s->be->cpu_times(s->be->ctx, s->out->ncpus_model, s->ticks[at].steal, s->ticks[at].total))
		s->have_times = false;
}

/* Steal percentage of @cpu between two snapshots, -1 without them. */
static double steal_between(const struct sched *s, enum ticks_at from, enum ticks_at to, int cpu)
{
	const struct cpu_ticks *f = &s->ticks[from], *e = &s->ticks[to];

	if (!s->have_times)
		return -1;
	return vtc_procstat_steal_pct(f->steal[cpu], f->total[cpu], e->steal[cpu], e->total[cpu]);
}

static bool solo_phase(struct sched *s)
{
	struct vtc_results *r = s->out;

	for (int i = 0; i < r->n; i++) {
		for (int k = 0; k < VTC_CONT_KINDS; k++) {
			double ra = 0, rb = 0, t = sched_now(s);
			if (must_stop(s, s->est_s))
				return false;
			int rc = s->be->throughput(s->be->ctx, k, r->cpu[i], -1, &ra, &rb);
			if (rc && !s->first_err)
				s->first_err = rc;
			r->solo_rate[k][r->cpu[i]] = rc ? 0 : ra;
			s->est_s = sched_now(s) - t;
		}
		progress_step(s);
	}
	return true;
}

/* Co-run @a and @b on every loop kind; record ratios and steal. */
static bool corun(struct sched *s, int a, int b)
{
	struct vtc_results *r = s->out;
	struct vtc_contention_result c = {.a = a, .b = b, .steal_pct = -1};
	bool ok = true;

	take_times(s, TICKS_BEFORE);
	for (int k = 0; k < VTC_CONT_KINDS; k++) {
		double ra = 0, rb = 0, sa = r->solo_rate[k][a], sb = r->solo_rate[k][b], t = sched_now(s);
		if (must_stop(s, 2 * s->est_s))
			return false;
		int rc = s->be->throughput(s->be->ctx, k, a, b, &ra, &rb);
		s->est_s = (sched_now(s) - t) / 2;
		if (rc && !s->first_err)
			s->first_err = rc;
		if (rc || !(sa > 0) || !(sb > 0)) {
			ok = false;
			c.ratio[k] = -1;
			continue;
		}
		c.ratio[k] = (ra / sa + rb / sb) / 2;
	}
	take_times(s, TICKS_AFTER);
	double pa = steal_between(s, TICKS_BEFORE, TICKS_AFTER, a), pb = steal_between(s, TICKS_BEFORE, TICKS_AFTER, b);
	c.steal_pct = pa > pb ? pa : pb;
	c.measured = ok;
	vtc_results_add_contention(r, &c);
	progress_step(s);
	return true;
}

static bool corun_once(struct sched *s, int a, int b)
{
	struct vtc_results *r = s->out;

	if (vtc_results_rank(r, a) < 0 || vtc_results_rank(r, b) < 0 ||
	    vtc_results_contention(r, a, b))
		return true;
	return corun(s, a, b);
}

static bool contention_serial(struct sched *s, const int (*extra)[2], int n_extra)
{
	struct vtc_results *r = s->out;
	int n = r->n, step = n / VTC_CONT_PLAN_CONTROLS > 0 ? n / VTC_CONT_PLAN_CONTROLS : 1;

	if (!solo_phase(s) || !corun_once(s, r->cpu[0], r->cpu[0]))
		return false;
	for (int i = 0; i < n_extra; i++)
		if (!corun_once(s, extra[i][0], extra[i][1]))
			return false;
	for (int i = 0; i < n; i++) {
		int p = vtc_cont_plan_partner(r, r->cpu[i], false);
		if (p >= 0 && !corun_once(s, r->cpu[i], p))
			return false;
	}
	for (int i = 0; i < n && n > 2; i += step) {
		int p = vtc_cont_plan_partner(r, r->cpu[i], true);
		if (p >= 0 && !corun_once(s, r->cpu[i], p))
			return false;
	}
	return true;
}

/* One throughput_many call per loop kind on the @m jobs in @idx. */
static bool round_kind(struct sched *s, const struct vtc_cont_plan *pl, const int *idx, int m,
		       enum vtc_cont_kind k, int (*pairs)[2], double *rates)
{
	double t = sched_now(s);
	int rc;

	if (must_stop(s, s->est_s))
		return false;
	for (int i = 0; i < m; i++) {
		pairs[i][0] = pl->job[idx[i]][0];
		pairs[i][1] = pl->job[idx[i]][1];
	}
	rc = s->be->throughput_many(s->be->ctx, k, (const int (*)[2])pairs, m, rates);
	s->est_s = sched_now(s) - t;
	if (rc) {
		if (!s->first_err)
			s->first_err = rc;
		for (int i = 0; i < 2 * m; i++)
			rates[i] = 0;
	}
	return true;
}

/* Store rates of kind @k: solo rates, or co-run ratios into @c. */
static void round_store(struct sched *s, const struct vtc_cont_plan *pl, const int *idx, int m,
			enum vtc_cont_kind k, const double *rates, struct vtc_contention_result *c)
{
	struct vtc_results *r = s->out;

	for (int i = 0; i < m; i++) {
		int a = pl->job[idx[i]][0], b = pl->job[idx[i]][1];
		if (b < 0) {
			r->solo_rate[k][a] = rates[2 * i];
			continue;
		}
		double sa = r->solo_rate[k][a], sb = r->solo_rate[k][b];
		bool ok = rates[2 * i] > 0 && sa > 0 && sb > 0;
		c[i].ratio[k] = ok ? (rates[2 * i] / sa + rates[2 * i + 1] / sb) / 2 : -1;
		c[i].measured &= ok;
	}
}

/* Run round @rd: every loop kind, then record co-runs with their steal. */
static bool run_round(struct sched *s, const struct vtc_cont_plan *pl, int rd, int *idx,
		      int (*pairs)[2], double *rates, struct vtc_contention_result *c)
{
	int m = 0;

	for (int i = 0; i < pl->n_jobs; i++)
		if (pl->round[i] == rd) {
			c[m] = (struct vtc_contention_result){.a = pl->job[i][0], .b = pl->job[i][1],
							      .steal_pct = -1, .measured = true};
			idx[m++] = i;
		}
	take_times(s, TICKS_BEFORE);
	for (int k = 0; k < VTC_CONT_KINDS; k++) {
		if (!round_kind(s, pl, idx, m, k, pairs, rates))
			return false;
		round_store(s, pl, idx, m, k, rates, c);
	}
	take_times(s, TICKS_AFTER);
	for (int i = 0; i < m; i++) {
		if (c[i].b >= 0) {
			double pa = steal_between(s, TICKS_BEFORE, TICKS_AFTER, c[i].a), pb = steal_between(s, TICKS_BEFORE, TICKS_AFTER, c[i].b);
			c[i].steal_pct = pa > pb ? pa : pb;
			vtc_results_add_contention(s->out, &c[i]);
		}
		progress_step(s);
	}
	return true;
}

static bool contention_rounds(struct sched *s, const int (*extra)[2], int n_extra)
{
	struct vtc_cont_plan pl;
	int *idx = NULL, (*pairs)[2] = NULL;
	double *rates = NULL;
	struct vtc_contention_result *c = NULL;
	bool go = false;

	if (!vtc_cont_plan_make(s->out, &pl, extra, n_extra)) {
		idx = calloc((size_t)pl.n_jobs, sizeof(int));
		pairs = calloc((size_t)pl.n_jobs, sizeof(*pairs));
		rates = calloc(2 * (size_t)pl.n_jobs, sizeof(double));
		c = calloc((size_t)pl.n_jobs, sizeof(*c));
	}
	if (idx && pairs && rates && c) {
		go = true;
		for (int rd = 0; rd < pl.n_rounds && go; rd++)
			go = run_round(s, &pl, rd, idx, pairs, rates, c);
	} else if (!s->first_err) {
		s->first_err = -ENOMEM;
	}
	free(idx);
	free(pairs);
	free(rates);
	free(c);
	vtc_cont_plan_free(&pl);
	return go;
}

static bool any_stalled(const struct vtc_results *r)
{
	for (int i = 0; i < r->n_pairs; i++)
		for (int k = 0; k < r->n_passes; k++)
			if (r->pairs[i].pass[k].stalled)
				return true;
	return false;
}

static bool contention_phase(struct sched *s, const int (*extra)[2], int n_extra)
{
	s->est_s = SCHED_CONT_RUN_EST_S;
	/* Concurrent co-runs need vCPUs that keep to their own CPUs: vCPUs
	 * the host moves, or stacked ones (a pair that stalled: two vCPUs on
	 * one host CPU, whose other jobs would share it too), run one job at
	 * a time. */
	if ((s->p->serial || !s->be->throughput_many || vtc_cont_plan_moved(s->out) ||
	     any_stalled(s->out)) &&
	    s->be->throughput)
		return contention_serial(s, extra, n_extra);
	return contention_rounds(s, extra, n_extra);
}

/* One round of short re-measurements, appended to the time series at the
 * time the round started. False: stop (budget, signal, series full). */
static bool watch_round(struct sched *s, const struct vtc_probe_params *wp, int round,
			struct vtc_lat_stats *scratch)
{
	struct vtc_results *r = s->out;
	int k = vtc_rounds_get(r->n, round, s->ra, s->rb);
	double t, took;

	for (int i = 0; i < k; i++) {
		int a = r->cpu[s->ra[i]], b = r->cpu[s->rb[i]];
		memset(&scratch[i], 0, sizeof(scratch[i]));
		/* alternate the timing side, as the passes do */
		s->jobs[i] = (struct vtc_pingpong_job){.a = round % 2 ? b : a, .b = round % 2 ? a : b,
						       .pass = 0, .out = &scratch[i]};
	}
	for (int i = 0; i < k; i += wp->serial ? 1 : k) {
		int n = wp->serial ? 1 : k, rc;
		if (must_stop(s, s->est_s))
			return false;
		t = sched_now(s);
		rc = s->be->pingpong(s->be->ctx, &s->jobs[i], n, wp);
		took = sched_now(s) - t;
		s->est_s = took > wp->pair_max_ms * 1e-3 ? took : wp->pair_max_ms * 1e-3;
		if (rc && !s->first_err)
			s->first_err = rc;
		for (int j = i; j < i + n; j++) {
			const struct vtc_lat_stats *l = &scratch[j];
			const struct vtc_pair_result *pr = vtc_results_pair(r, s->jobs[j].a, s->jobs[j].b);
			double ns = l->measured && !l->stalled && l->samples ? l->median_ns : -1;
			if (vtc_results_add_watch(r, t - s->t0, (int)(pr - r->pairs), ns))
				return false;
		}
	}
	return true;
}

/* Whether the series so far settles the question (then stop watching). */
static bool watch_settled(struct sched *s)
{
	struct vtc_series ser;
	const char *why;
	bool done = false;

	s->out->watch_to_s = sched_now(s) - s->t0;
	if (vtc_series_analyze(s->out, &ser) == 0 && (why = vtc_series_settled_reason(&ser))) {
		snprintf(s->out->watch_end_reason, sizeof(s->out->watch_end_reason), "%s", why);
		done = true;
	}
	vtc_series_free(&ser);
	return done;
}

/* Rest after a round that took @took seconds, within the budget (the stop
 * flag is checked before the next round; a signal ends the rest). */
static void watch_rest(struct sched *s, double took)
{
	double rest = took * (1 - SCHED_WATCH_DUTY) / SCHED_WATCH_DUTY;
	double left = s->budget_end - sched_now(s);

	if (s->be->rest && !vtc_stop_requested() && left > 0)
		s->be->rest(s->be->ctx, rest < left ? rest : left);
}

/* The observation window: rounds of disjoint pairs, over and over, until
 * the budget ends or the series has settled. */
static void watch_phase(struct sched *s)
{
	struct vtc_results *r = s->out;
	struct vtc_probe_params wp = *s->p;
	struct vtc_lat_stats *scratch = calloc((size_t)r->n + 1, sizeof(*scratch));
	int rounds = vtc_rounds_count(r->n);
	double next_check;

	if (!scratch)
		return;
	wp.max_samples = s->p->watch_samples > 0 ? s->p->watch_samples : 1;
	r->watch_from_s = sched_now(s) - s->t0;
	next_check = sched_now(s) + SCHED_WATCH_CHECK_S;
	for (int i = 0;; i++) {
		double started = sched_now(s);
		if (!watch_round(s, &wp, i % rounds, scratch))
			break;
		watch_rest(s, sched_now(s) - started);
		progress_report(s, "watching");
		if (sched_now(s) >= next_check) {
			if (watch_settled(s))
				break;
			next_check = sched_now(s) + SCHED_WATCH_CHECK_S;
		}
	}
	r->watch_to_s = sched_now(s) - s->t0;
	free(scratch);
}

double vtc_probe_runnable_mean(const struct vtc_backend *be, int k, double *sum, int *n)
{
	const struct timespec ms = {0, 1000000};
	double x;

	for (int i = 0; be->runnable && i < k; i++) {
		if (be->runnable(be->ctx, &x) == 0) {
			*sum += x;
			(*n)++;
		}
		if (i + 1 < k)
			nanosleep(&ms, NULL);
	}
	return *n ? *sum / *n : -1;
}

/* Mean of @k runnable samples 1 ms apart, -1 when the backend cannot tell. */
static double runnable_now(struct sched *s, int k)
{
	double sum = 0;
	int n = 0;

	return vtc_probe_runnable_mean(s->be, k, &sum, &n);
}

/* With a window to spend, the full look waits for a quiet guest: busy
 * guest tasks stall the ping-pong like stacked vCPUs (first boot, when
 * cloud-init runs the check, is busy for seconds). At most half the window
 * is spent waiting; then the look goes ahead and the verdict says how busy
 * the guest was. */
static void wait_quiet(struct sched *s)
{
	struct vtc_results *r = s->out;
	double start = wall_s(), until = start + SCHED_QUIET_WAIT_SHARE * s->p->budget_s;
	double sum = 0, x;
	int n = 0;
	const struct timespec poll = {0, (long)(SCHED_QUIET_POLL_S * 1e9)};

	if (!s->p->watch || !s->be->runnable)
		return;
	while (!vtc_stop_requested() && wall_s() < until) {
		if (s->be->runnable(s->be->ctx, &x) != 0)
			return;
		sum += x;
		n++;
		if (vtc_results_guest_quiet(x, r->n))
			break;
		nanosleep(&poll, NULL);
	}
	r->quiet_wait_s = wall_s() - start;
	r->busy_runnable = n ? sum / n : -1;
}

static void steal_totals(struct sched *s)
{
	struct vtc_results *r = s->out;

	take_times(s, TICKS_AFTER);
	for (int i = 0; i < r->n; i++)
		r->steal_pct[r->cpu[i]] = steal_between(s, TICKS_RUN_START, TICKS_AFTER, r->cpu[i]);
}

static int sched_alloc(struct sched *s)
{
	size_t n = (size_t)s->out->n, nc = (size_t)s->out->ncpus_model;

	s->jobs = calloc(n, sizeof(*s->jobs));
	s->ra = calloc(n, sizeof(int));
	s->rb = calloc(n, sizeof(int));
	if (!s->jobs || !s->ra || !s->rb)
		return -ENOMEM;
	for (int i = 0; i < TICKS_COUNT; i++)
		if (!(s->ticks[i].steal = calloc(nc, sizeof(uint64_t))) ||
		    !(s->ticks[i].total = calloc(nc, sizeof(uint64_t))))
			return -ENOMEM;
	s->have_times = s->be->cpu_times != NULL;
	return 0;
}

static void sched_free(struct sched *s)
{
	free(s->jobs);
	free(s->ra);
	free(s->rb);
	for (int i = 0; i < TICKS_COUNT; i++) {
		free(s->ticks[i].steal);
		free(s->ticks[i].total);
	}
}

/* Seconds kept back from the latency phases for the contention probes:
 * ~3n calls one at a time, or a few rounds whose calls start ~2 threads
 * per CPU. */
static double contention_reserve(const struct sched *s, int n)
{
	const struct vtc_probe_params *p = s->p;
	double est = (double)(3 * n * VTC_CONT_KINDS) * SCHED_CONT_RUN_EST_S;

	if (!p->contention)
		return 0;
	if (!p->serial && s->be->throughput_many)
		est = SCHED_CONT_ROUNDS_EST * VTC_CONT_KINDS *
		      (SCHED_CONT_RUN_EST_S + 2 * n * SCHED_CONT_THREAD_EST_S);
	return est < SCHED_CONT_SHARE * p->budget_s ? est : SCHED_CONT_SHARE * p->budget_s;
}

static bool params_valid(const struct vtc_probe_params *p)
{
	return p->passes >= 1 && p->passes <= VTC_MAX_PASSES && p->budget_s > 0 &&
	       p->pair_max_ms > 0 && p->max_samples >= 1 && p->sample_target_us > 0 &&
	       p->stall_ns > 0 && p->stall_limit >= 0;
}

static void run_phases(struct sched *s, const int (*extra)[2], int n_extra)
{
	const struct vtc_probe_params *p = s->p;
	double full_end = s->budget_end;

	s->budget_end = full_end - contention_reserve(s, s->out->n);
	wait_quiet(s);
	take_times(s, TICKS_RUN_START);
	/* Foreign tasks right around the look (the scheduler's own threads
	 * exist only inside backend calls). */
	double before = runnable_now(s, 5);
	if (latency_phase(s))
		remeasure_phase(s);
	double after = runnable_now(s, 5);
	if (before >= 0 || after >= 0)
		s->out->foreign_runnable = before >= 0 && after >= 0 ? (before + after) / 2
					   : before >= 0 ? before : after;
	/* Contention gets its reserve even when latency ran out of budget:
	 * partial latency data still names each CPU's closest partner. */
	if (!s->out->interrupted && p->contention && (s->be->throughput || s->be->throughput_many)) {
		s->budget_end = full_end;
		contention_phase(s, extra, n_extra);
	}
	s->budget_end = full_end;
	/* The window watches whatever the full look left of the budget; a run
	 * that ran out of budget or was stopped has nothing left to watch. */
	if (p->watch && !s->out->interrupted && !s->out->budget_exhausted)
		watch_phase(s);
	/* Ending the window at the budget is its purpose, not a shortfall. */
	if (p->watch && !s->out->interrupted && !s->out->watchdog && s->out->n_watch > 0)
		s->out->budget_exhausted = false;
	steal_totals(s);
}

static bool any_measured(const struct vtc_results *r)
{
	for (int i = 0; i < r->n_pairs; i++)
		if (vtc_pair_measured(&r->pairs[i], r->n_passes))
			return true;
	return false;
}

int vtc_probe_run_with(const struct vtc_backend *be, const vtc_cpuset *cpus,
		       const struct vtc_probe_params *params, const int (*extra)[2],
		       int n_extra, vtc_progress_fn progress,
		       void *progress_arg, struct vtc_results *out)
{
	struct sched s = {.be = be, .p = params, .progress = progress,
			  .parg = progress_arg, .out = out};
	struct vtc_watchdog wd;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!be || !be->pingpong || !cpus || !params || !params_valid(params) ||
	    (n_extra > 0 && !extra))
		return -EINVAL;
	if (vtc_cpuset_count(cpus) < 2)
		return -EINVAL;
	rc = vtc_results_init(out, cpus, params->passes);
	if (rc)
		return rc;
	out->params = *params;
	snprintf(out->backend, sizeof(out->backend), "%s", be->name ? be->name : "?");
	if (be->timer_info)
		be->timer_info(be->ctx, &out->timer);
	rc = sched_alloc(&s);
	/* The budget plus half a second on the wall clock, whatever the
	 * backend's own clock does (timer.h). */
	if (!rc)
		rc = vtc_watchdog_start(&wd, params->budget_s + VTC_WATCHDOG_GRACE_S);
	if (!rc) {
		s.t0 = sched_now(&s);
		s.budget_end = s.t0 + params->budget_s;
		s.est_s = params->pair_max_ms * 1e-3;
		s.units_total = params->passes * vtc_rounds_count(out->n) +
				(params->contention ? 2 * out->n : 0);
		run_phases(&s, extra, n_extra);
		out->watchdog = vtc_watchdog_stop(&wd) && !out->interrupted;
		if (out->watchdog)
			out->budget_exhausted = true;
		out->duration_s = sched_now(&s) - s.t0;
		if (progress)
			progress(progress_arg, params->watch ? "watching" : "measuring", 1.0, 0);
		if (!any_measured(out))
			rc = s.first_err ? s.first_err
			     : (out->interrupted || out->budget_exhausted) ? 0 : -EIO;
	}
	sched_free(&s);
	return rc;
}

int vtc_probe_run(const struct vtc_backend *be, const vtc_cpuset *cpus,
		  const struct vtc_probe_params *params,
		  vtc_progress_fn progress, void *progress_arg, struct vtc_results *out)
{
	return vtc_probe_run_with(be, cpus, params, NULL, 0, progress, progress_arg, out);
}
