/* test_schedule.c - tournament rounds, and vtc_probe_run through a fake
 * backend: coverage of pairs per pass, disjoint rounds, budget cut-off, stop
 * flag, re-measure of ambiguous pairs, contention candidates, steal. Also the
 * pin override parser. No hardware involved.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <urcu/uatomic.h>

#include "probes/rounds.h"
#include "probes/schedule.h"
#include "probes/watchdog.h"
#include "src/stop.h"

/* ---- fake backend -------------------------------------------------------- */

#define FAKE_MAX 16

struct fake {
	int calls, max_jobs, stop_after, fail_rc, sleep_us;
	volatile int *stop;
	int count[FAKE_MAX][FAKE_MAX][VTC_MAX_PASSES]; /* [lo][hi][pass] */
	int timer_a[FAKE_MAX][FAKE_MAX][VTC_MAX_PASSES];
	bool overlap; /* a CPU appeared twice in one call */
	int disagree_a, disagree_b; /* pass 1 of this pair reads 4x pass 0 */
	int cont_calls;
	/* throughput_many: calls, most jobs in one, a vCPU in two jobs of a
	 * call, a job next to a busy SMT sibling (the fake's siblings: a/2). */
	int many_calls, many_max;
	bool many_overlap, many_sibling_busy;
	/* Latency by SMT (siblings 10 ns, else 50) instead of lo + hi; with
	 * smt_moves, odd passes pair 2k+1 with 2k+2 instead (vCPUs moved). */
	bool smt_lat, smt_moves;
	uint64_t steal_tick;
	/* A modelled clock (call_s > 0): each pingpong call takes call_s, and
	 * pair 0-1 reads half its latency while vclock is in a near window. */
	double vclock, call_s;
	double near_from[4], near_to[4];
	int busy_polls, polls; /* runnable: 3 others for the first busy_polls polls */
};

static int fake_runnable(void *ctx, double *others)
{
	struct fake *f = ctx;

	*others = f->polls++ < f->busy_polls ? 3 : 0;
	return 0;
}

static bool fake_near(const struct fake *f)
{
	for (int i = 0; i < 4; i++)
		if (f->near_to[i] > f->near_from[i] && f->vclock >= f->near_from[i] &&
		    f->vclock < f->near_to[i])
			return true;
	return false;
}

static void fake_sleep(int us)
{
	struct timespec ts = {0, (long)us * 1000};
	if (us > 0)
		nanosleep(&ts, NULL);
}

static int fake_pingpong(void *ctx, struct vtc_pingpong_job *jobs, int n,
			 const struct vtc_probe_params *p)
{
	struct fake *f = ctx;
	unsigned char busy[FAKE_MAX] = {0};

	(void)p;
	f->calls++;
	if (n > f->max_jobs)
		f->max_jobs = n;
	if (f->fail_rc)
		return f->fail_rc;
	fake_sleep(f->sleep_us);
	for (int i = 0; i < n; i++) {
		int a = jobs[i].a, b = jobs[i].b, lo = a < b ? a : b, hi = a ^ b ^ lo;
		if (busy[a] || busy[b])
			f->overlap = true;
		busy[a] = busy[b] = 1;
		f->count[lo][hi][jobs[i].pass]++;
		f->timer_a[lo][hi][jobs[i].pass] = a;
		struct vtc_lat_stats *o = jobs[i].out;
		o->measured = true;
		o->samples = 100;
		o->median_ns = 20.0 + lo + hi;
		if (f->smt_lat) {
			int sh = f->smt_moves && jobs[i].pass % 2;
			o->median_ns = (lo + sh) / 2 == (hi + sh) / 2 ? 10 : 50;
		}
		if (lo == f->disagree_a && hi == f->disagree_b && jobs[i].pass == 1)
			o->median_ns *= 4;
		if (lo == 0 && hi == 1 && fake_near(f))
			o->median_ns /= 2;
		o->min_ns = o->p10_ns = o->median_ns - 1;
		o->p90_ns = o->median_ns + 1;
	}
	if (f->stop_after && f->calls >= f->stop_after)
		uatomic_set(f->stop, 1);
	f->vclock += f->call_s;
	return 0;
}

/* Odd CPUs are SMT siblings of the even CPU below them. */
static int fake_throughput(void *ctx, enum vtc_cont_kind kind, int a, int b, double *ra,
			   double *rb)
{
	struct fake *f = ctx;
	double r = 1.0 + kind;

	f->cont_calls++;
	if (b < 0) {
		*ra = r;
		return 0;
	}
	double share = a == b ? 0.5 : (a / 2 == b / 2 ? 0.6 : 1.0);
	*ra = r * share;
	*rb = r * share;
	return 0;
}

static bool fake_busy_sibling(const int (*pairs)[2], int n, int me, int cpu)
{
	for (int j = 0; j < n; j++)
		for (int k = 0; k < 2 && j != me; k++)
			if (pairs[j][k] >= 0 && pairs[j][k] / 2 == cpu / 2)
				return true;
	return false;
}

/* Jobs at once, as fake_throughput each; a side next to a busy sibling of
 * another job reads 0.6 of its rate, so a bad round shows in the ratios. */
static int fake_throughput_many(void *ctx, enum vtc_cont_kind kind, const int (*pairs)[2], int n,
				double *rates)
{
	struct fake *f = ctx;
	unsigned char busy[FAKE_MAX] = {0};

	f->many_calls++;
	f->many_max = n > f->many_max ? n : f->many_max;
	for (int i = 0; i < n; i++) {
		int a = pairs[i][0], b = pairs[i][1];
		if (busy[a] || (b >= 0 && b != a && busy[b]))
			f->many_overlap = true;
		busy[a] = 1;
		if (b >= 0)
			busy[b] = 1;
	}
	for (int i = 0; i < n; i++) {
		double r = 1.0 + kind, share = 1.0;
		int a = pairs[i][0], b = pairs[i][1];
		if (b >= 0)
			share = a == b ? 0.5 : (a / 2 == b / 2 ? 0.6 : 1.0);
		rates[2 * i] = r * share;
		rates[2 * i + 1] = b < 0 ? 0 : r * share;
		for (int k = 0; k < 2; k++)
			if (pairs[i][k] >= 0 && fake_busy_sibling(pairs, n, i, pairs[i][k])) {
				f->many_sibling_busy = true;
				rates[2 * i + k] *= 0.6;
			}
	}
	return 0;
}

/* Every CPU accumulates 1 steal tick per 4 total ticks per reading. */
static int fake_cpu_times(void *ctx, int ncpus, uint64_t *steal, uint64_t *total)
{
	struct fake *f = ctx;
	f->steal_tick++;
	for (int i = 0; i < ncpus; i++) {
		steal[i] = f->steal_tick;
		total[i] = 4 * f->steal_tick;
	}
	return 0;
}

static int fake_timer(void *ctx, struct vtc_timer_info *t)
{
	(void)ctx;
	memset(t, 0, sizeof(*t));
	strcpy(t->name, "fake");
	t->ticks_per_ns = 1.0;
	return 0;
}

static double fake_now(void *ctx)
{
	return ((struct fake *)ctx)->vclock;
}

static struct vtc_backend fake_backend(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->disagree_a = f->disagree_b = -1;
	return (struct vtc_backend){.name = "fake", .ctx = f, .pingpong = fake_pingpong,
				    .throughput = fake_throughput,
				    .throughput_many = fake_throughput_many,
				    .cpu_times = fake_cpu_times, .timer_info = fake_timer};
}

/* The fake on a modelled clock: a 10 s window takes milliseconds. */
static struct vtc_backend fake_clocked(struct fake *f, double call_s)
{
	struct vtc_backend be = fake_backend(f);

	f->call_s = call_s;
	be.now = fake_now;
	return be;
}

static struct vtc_probe_params quick_params(void)
{
	struct vtc_probe_params p;
	vtc_probe_params_default(&p);
	p.budget_s = 30;
	return p;
}

static void set_cpus(vtc_cpuset *s, const char *list)
{
	assert_int_equal(vtc_cpulist_parse(list, s), 0);
}

static double last_progress;
static int progress_calls;
static void on_progress(void *arg, const char *phase, double done, double left_s)
{
	(void)arg;
	assert_non_null(phase);
	assert_true(left_s >= 0);
	assert_true(done >= last_progress && done <= 1.0);
	last_progress = done;
	progress_calls++;
}

static void test_run_covers_every_pair_each_pass(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	const int cpu[] = {0, 1, 2, 3, 8, 9, 10, 11, 12};
	(void)state;

	set_cpus(&cpus, "0-3,8-12"); /* 9 CPUs: odd n, ids with a gap */
	last_progress = 0;
	progress_calls = 0;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, on_progress, NULL, &r), 0);
	assert_false(f.overlap);
	assert_int_equal(f.max_jobs, 4);
	assert_int_equal(f.calls, 2 * 9); /* 9 rounds per pass, one call each */
	for (int i = 0; i < 9; i++)
		for (int j = i + 1; j < 9; j++)
			for (int pass = 0; pass < 2; pass++) {
				assert_int_equal(f.count[cpu[i]][cpu[j]][pass], 1);
				/* Odd passes time from the other side. */
				assert_int_equal(f.timer_a[cpu[i]][cpu[j]][pass],
						 pass ? cpu[j] : cpu[i]);
			}
	assert_int_equal(r.n, 9);
	assert_int_equal(r.n_passes, 2); /* nothing ambiguous: no extra pass */
	assert_string_equal(r.backend, "fake");
	assert_string_equal(r.timer.name, "fake");
	assert_false(r.budget_exhausted);
	assert_false(r.interrupted);
	assert_float_equal(last_progress, 1.0, 1e-12);
	assert_true(progress_calls >= 18);
	/* Passes are separated in time: pass 1 starts after pass 0 ends. */
	double end0 = 0;
	for (int i = 0; i < r.n_pairs; i++)
		end0 = r.pairs[i].pass[0].t_start_s > end0 ? r.pairs[i].pass[0].t_start_s : end0;
	for (int i = 0; i < r.n_pairs; i++)
		assert_true(r.pairs[i].pass[1].t_start_s >= end0);
	assert_float_equal(vtc_results_pair_median(&r, 12, 0), 32, 1e-9);
	vtc_results_free(&r);
}

static void test_serial_one_pair_per_call(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-5");
	p.serial = true;
	p.contention = false;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_int_equal(f.max_jobs, 1);
	assert_int_equal(f.calls, 2 * 15);
	assert_int_equal(f.cont_calls, 0);
	assert_int_equal(r.n_contention, 0);
	vtc_results_free(&r);
}

static int count_measured(const struct vtc_results *r, int pass)
{
	int m = 0;
	for (int i = 0; i < r->n_pairs; i++)
		m += r->pairs[i].pass[pass].measured;
	return m;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void test_budget_cutoff_keeps_partial_data(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-15");
	f.sleep_us = 5000; /* each round takes 5 ms */
	p.pair_max_ms = 5;
	p.budget_s = 0.06; /* room for ~12 of the 30 rounds */
	p.contention = false;
	double t = now_s();
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	t = now_s() - t;
	assert_true(r.budget_exhausted);
	assert_false(r.interrupted);
	assert_true(t <= p.budget_s + 0.02); /* never starts a round it cannot finish */
	assert_true(count_measured(&r, 0) > 0);
	assert_true(count_measured(&r, 0) + count_measured(&r, 1) < 2 * r.n_pairs);
	vtc_results_free(&r);
}

static void test_budget_keeps_reserve_for_contention(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-15");
	f.sleep_us = 5000;
	p.pair_max_ms = 5;
	p.budget_s = 0.1;
	double t = now_s();
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	t = now_s() - t;
	assert_true(r.budget_exhausted);
	assert_true(t <= p.budget_s + 0.02);
	/* Latency stopped early, yet the contention probes still ran. */
	assert_true(count_measured(&r, 1) < r.n_pairs);
	assert_true(f.cont_calls + f.many_calls > 0);
	assert_non_null(vtc_results_contention(&r, 0, 0));
	vtc_results_free(&r);
}

static void test_tiny_budget_measures_nothing(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-3");
	p.budget_s = 0.001;
	p.pair_max_ms = 20;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_true(r.budget_exhausted);
	assert_int_equal(f.calls, 0);
	assert_true(vtc_results_pair_median(&r, 0, 1) < 0);
	vtc_results_free(&r);
}

static void test_stop_flag_ends_quickly(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	volatile int stop = 0;
	(void)state;

	set_cpus(&cpus, "0-15");
	f.stop = &stop;
	f.stop_after = 3;
	vtc_stop_set(&stop); /* the one stop flag (src/stop.h), as main.c sets it */
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	vtc_stop_set(NULL);
	assert_true(r.interrupted);
	assert_int_equal(f.calls, 3);
	assert_int_equal(f.cont_calls, 0);
	assert_int_equal(count_measured(&r, 0), 3 * 8);
	vtc_results_free(&r);
}

static void test_ambiguous_pair_remeasured(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-5");
	f.disagree_a = 2;
	f.disagree_b = 4;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_int_equal(r.n_passes, 3);
	assert_int_equal(f.count[2][4][2], 1); /* solo re-measure in slot 2 */
	assert_int_equal(count_measured(&r, 2), 1);
	/* The tie-break pass agrees with pass 0: median of 26, 104, 26. */
	assert_float_equal(vtc_results_pair_median(&r, 2, 4), 26, 1e-9);
	vtc_results_free(&r);
}

static void test_contention_candidates_and_steal(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	const int extra[][2] = {{2, 5}, {7, 99}}; /* 99: not probed, skipped */
	(void)state;

	set_cpus(&cpus, "0-7");
	assert_int_equal(vtc_probe_run_with(&be, &cpus, &p, extra, 2, NULL, NULL, &r), 0);
	for (int c = 0; c < 8; c++)
		assert_float_equal(r.solo_rate[VTC_CONT_ALU][c], 3.0, 1e-9);
	const struct vtc_contention_result *same = vtc_results_contention(&r, 0, 0);
	assert_non_null(same);
	assert_true(same->measured);
	assert_float_equal(same->ratio[VTC_CONT_L1], 0.5, 1e-9);
	assert_non_null(vtc_results_contention(&r, 2, 5));
	assert_null(vtc_results_contention(&r, 7, 99));
	/* Lowest latency partner of each CPU (fake: lo + hi): 0's is 1. */
	const struct vtc_contention_result *c01 = vtc_results_contention(&r, 0, 1);
	assert_non_null(c01);
	assert_float_equal(c01->ratio[VTC_CONT_L2], 0.6, 1e-9);
	assert_float_equal(c01->steal_pct, 25.0, 1e-9);
	/* Linear in n: at most 1 + extras + n + controls co-runs. */
	assert_true(r.n_contention <= 1 + 1 + 8 + 3);
	for (int c = 0; c < 8; c++)
		assert_float_equal(r.steal_pct[c], 25.0, 1e-9);
	vtc_results_free(&r);
}

/* Rounds: the candidates of a 16-vCPU SMT guest (8 cores) in a few calls,
 * never a vCPU next to a busy sibling, the same ratios as one at a time. */
static void test_contention_in_rounds(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-15");
	f.smt_lat = true;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_int_equal(f.cont_calls, 0);
	assert_false(f.many_overlap);
	assert_false(f.many_sibling_busy);
	/* 2 solo rounds (siblings apart); co-runs: same-vCPU with 7 sibling
	 * pairs, then 0-1, then one round per control (the fake's median
	 * partner of each is vCPU 0): 8 rounds of 3 kinds, not 3 x 30 calls. */
	assert_true(f.many_calls <= 3 * 8);
	assert_true(f.many_max >= 7);
	for (int c = 0; c < 16; c++)
		assert_float_equal(r.solo_rate[VTC_CONT_L1][c], 1.0, 1e-9);
	for (int c = 0; c < 16; c += 2) {
		const struct vtc_contention_result *sib = vtc_results_contention(&r, c, c + 1);
		assert_non_null(sib);
		assert_true(sib->measured);
		assert_float_equal(sib->ratio[VTC_CONT_ALU], 0.6, 1e-9);
	}
	assert_float_equal(vtc_results_contention(&r, 0, 0)->ratio[VTC_CONT_L2], 0.5, 1e-9);
	/* Median-latency controls: separate cores, 1.0. */
	int controls = 0;
	for (int i = 0; i < r.n_contention; i++) {
		const struct vtc_contention_result *c = &r.contention[i];
		if (c->a != c->b && c->a / 2 != c->b / 2) {
			controls++;
			assert_float_equal(c->ratio[VTC_CONT_L1], 1.0, 1e-9);
		}
	}
	assert_true(controls >= 3);
	vtc_results_free(&r);
}

/* Small odd sets: up to n median-latency controls (n / 3 rounds down to
 * a step of 1), every job planned within bounds (ASan checks the plan). */
static void test_contention_rounds_small_sets(void **state)
{
	static const char *const lists[] = {"0-2", "0-4", "0-5", "0-6", "0-8"};
	const int extra[][2] = {{0, 2}, {1, 2}};
	(void)state;

	for (size_t i = 0; i < 2 * sizeof(lists) / sizeof(lists[0]); i++) {
		struct fake f;
		struct vtc_backend be = fake_backend(&f);
		struct vtc_probe_params p = quick_params();
		struct vtc_results r;
		vtc_cpuset cpus;

		set_cpus(&cpus, lists[i / 2]);
		f.smt_lat = i % 2; /* else lo + hi: every partner distinct, CPU 0 near all */
		assert_int_equal(vtc_probe_run_with(&be, &cpus, &p, extra, 2, NULL, NULL, &r),
				 0);
		assert_false(f.many_overlap);
		assert_false(f.many_sibling_busy);
		assert_non_null(vtc_results_contention(&r, 0, 0));
		assert_non_null(vtc_results_contention(&r, 1, 2));
		assert_true(r.n_contention <= 1 + 2 + 2 * r.n);
		vtc_results_free(&r);
	}
}

/* --serial, and vCPUs the latency passes saw move, run one job a call. */
static void test_contention_serial_fallbacks(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-7");
	f.smt_lat = true;
	p.serial = true;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_int_equal(f.many_calls, 0);
	assert_true(f.cont_calls >= 3 * (8 + 4));
	vtc_results_free(&r);

	be = fake_backend(&f);
	f.smt_lat = f.smt_moves = true;
	p.serial = false;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_int_equal(f.many_calls, 0);
	assert_true(f.cont_calls > 0);
	vtc_results_free(&r);

	/* A backend without throughput_many: one at a time as before. */
	be = fake_backend(&f);
	be.throughput_many = NULL;
	f.smt_lat = true;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_true(f.cont_calls > 0);
	vtc_results_free(&r);
}

static void test_errors(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "3");
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), -EINVAL);
	vtc_results_free(&r);
	set_cpus(&cpus, "0-3");
	f.fail_rc = -EPERM;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), -EPERM);
	vtc_results_free(&r);
	f.fail_rc = 0;
	p.passes = 0;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), -EINVAL);
	p = quick_params();
	p.budget_s = -1;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), -EINVAL);
	p = quick_params();
	assert_int_equal(vtc_probe_run(NULL, &cpus, &p, NULL, NULL, &r), -EINVAL);
	vtc_results_free(&r);
}

/* A backend timing with a counter that stopped (qemu user-mode, a TSC gone
 * wrong): its own pair bound never comes, only the watchdog ends a call. */
static int frozen_pingpong(void *ctx, struct vtc_pingpong_job *jobs, int n,
			   const struct vtc_probe_params *p)
{
	const uint64_t frozen = 12345, deadline = frozen + 1;
	(void)ctx;
	(void)p;
	while (frozen <= deadline && !vtc_timer_aborted())
		fake_sleep(1000);
	for (int i = 0; i < n; i++)
		jobs[i].out->measured = false;
	return 0;
}

static void test_watchdog_ends_frozen_clock(void **state)
{
	struct vtc_backend be = {.name = "frozen", .pingpong = frozen_pingpong};
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-3");
	p.budget_s = 0.3;
	p.contention = false;
	double t = now_s();
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	t = now_s() - t;
	assert_true(t < p.budget_s + 1.0);
	assert_true(t >= p.budget_s);
	assert_true(r.watchdog);
	assert_true(r.budget_exhausted);
	assert_false(r.interrupted);
	vtc_results_free(&r);
}

static volatile int g_late_stop;

static void *raise_later(void *arg)
{
	(void)arg;
	fake_sleep(100000);
	uatomic_set(&g_late_stop, 1); /* what the SIGTERM handler does */
	return NULL;
}

/* A signal inside a backend call whose clock stopped: ends within 1 s. */
static void test_signal_ends_frozen_clock(void **state)
{
	struct vtc_backend be = {.name = "frozen", .pingpong = frozen_pingpong};
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	pthread_t th;
	(void)state;

	set_cpus(&cpus, "0-3");
	p.budget_s = 30;
	g_late_stop = 0;
	assert_int_equal(pthread_create(&th, NULL, raise_later, NULL), 0);
	double t = now_s();
	vtc_stop_set(&g_late_stop);
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	t = now_s() - t;
	pthread_join(th, NULL);
	vtc_stop_set(NULL);
	assert_true(t < 0.1 + 1.0);
	assert_true(r.interrupted);
	assert_false(r.watchdog);
	vtc_results_free(&r);
}

/* ---- the observation window ---------------------------------------------- */

static void test_watch_fills_the_budget(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_clocked(&f, 0.001);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-3");
	p.budget_s = 10;
	p.contention = false;
	p.watch = true;
	last_progress = 0;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, on_progress, NULL, &r), 0);
	assert_true(r.watch_from_s > 0 && r.watch_from_s < 0.1);
	assert_true(r.watch_to_s > 9.9 && r.watch_to_s <= 10.0);
	assert_true(r.duration_s <= p.budget_s);
	assert_false(r.budget_exhausted); /* the look was complete */
	assert_string_equal(r.watch_end_reason, "");
	/* 3 rounds of 2 pairs, one call each per round: ~2 samples per ms */
	assert_true(r.n_watch > 19000 && r.n_watch <= 20000);
	for (int i = 1; i < r.n_watch; i++)
		assert_true(r.watch[i].t_s >= r.watch[i - 1].t_s);
	assert_false(f.overlap);
	assert_true(last_progress == 1.0);
	vtc_results_free(&r);
}

static void test_watch_ends_when_settled(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_clocked(&f, 0.001);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-3");
	p.budget_s = 10;
	p.contention = false;
	p.watch = true;
	f.near_from[0] = 2.0, f.near_to[0] = 2.05;
	f.near_from[1] = 3.0, f.near_to[1] = 3.05;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_string_equal(r.watch_end_reason, "floating: a pair was seen nearer in two episodes");
	assert_true(r.watch_to_s > 3.0 && r.watch_to_s < 4.0);
	vtc_results_free(&r);
}

/* A busy guest: the full look waits for a quiet moment, and the foreign
 * tasks sampled around the look are those of that moment. */
static void test_waits_for_a_quiet_guest(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_backend(&f);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	(void)state;

	set_cpus(&cpus, "0-3");
	p.budget_s = 2;
	p.contention = false;
	p.watch = true;
	be.runnable = fake_runnable;
	f.busy_polls = 10;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_true(r.quiet_wait_s >= 0.08 && r.quiet_wait_s < 1.0);
	assert_true(r.busy_runnable > 2.5 && r.busy_runnable < 3.0);
	assert_true(r.foreign_runnable == 0);
	assert_true(vtc_results_guest_quiet(r.foreign_runnable, r.n));
	vtc_results_free(&r);
	/* never quiet: at most half the window is spent waiting */
	be = fake_backend(&f);
	be.runnable = fake_runnable;
	f.busy_polls = 1 << 30;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_true(r.quiet_wait_s >= 0.9 && r.quiet_wait_s < 1.2);
	assert_true(r.foreign_runnable == 3 && !vtc_results_guest_quiet(3, r.n));
	assert_true(r.duration_s <= p.budget_s + 0.1);
	vtc_results_free(&r);
}

static void test_watch_off_and_stopped(void **state)
{
	struct fake f;
	struct vtc_backend be = fake_clocked(&f, 0.001);
	struct vtc_probe_params p = quick_params();
	struct vtc_results r;
	vtc_cpuset cpus;
	volatile int stop = 0;
	(void)state;

	set_cpus(&cpus, "0-3");
	p.budget_s = 10;
	p.contention = false;
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	assert_int_equal(r.n_watch, 0);
	assert_true(r.watch_to_s == 0 && r.duration_s < 1);
	vtc_results_free(&r);
	/* a signal during the window ends it with the samples so far */
	be = fake_clocked(&f, 0.001);
	p.watch = true;
	f.stop = &stop;
	f.stop_after = 3000;
	vtc_stop_set(&stop);
	assert_int_equal(vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r), 0);
	vtc_stop_set(NULL);
	assert_true(r.interrupted);
	assert_true(r.n_watch > 0 && r.watch_to_s < 4);
	vtc_results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_covers_every_pair_each_pass),
		cmocka_unit_test(test_serial_one_pair_per_call),
		cmocka_unit_test(test_budget_cutoff_keeps_partial_data),
		cmocka_unit_test(test_budget_keeps_reserve_for_contention),
		cmocka_unit_test(test_tiny_budget_measures_nothing),
		cmocka_unit_test(test_stop_flag_ends_quickly),
		cmocka_unit_test(test_watchdog_ends_frozen_clock),
		cmocka_unit_test(test_signal_ends_frozen_clock),
		cmocka_unit_test(test_ambiguous_pair_remeasured),
		cmocka_unit_test(test_contention_candidates_and_steal),
		cmocka_unit_test(test_contention_in_rounds),
		cmocka_unit_test(test_contention_serial_fallbacks),
		cmocka_unit_test(test_contention_rounds_small_sets),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_watch_fills_the_budget),
		cmocka_unit_test(test_watch_ends_when_settled),
		cmocka_unit_test(test_watch_off_and_stopped),
		cmocka_unit_test(test_waits_for_a_quiet_guest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
