/* bench.c - benchmark driver for the probes (not a test; see tests/bench.sh).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   vtc-bench pair A B      one ping-pong pass of A<->B with the default
 *                           parameters: "median_ns samples discarded stalls
 *                           ms ok|stalled handoff_ns"
 *   vtc-bench matrix [LIST] vtc_probe_run over LIST (default: the allowed
 *                           CPUs), then the text matrix and a summary line
 *   vtc-bench csv [LIST]    the same, matrix as CSV
 *   vtc-bench cont [LIST]   the same with the contention probes
 *   vtc-bench plan N        the scheduler's backend calls for N vCPUs of a
 *                           modelled SMT guest (N/2 cores, two sockets),
 *                           no probing: "plan N latency_calls L
 *                           throughput_calls T max_threads M" (bench.sh
 *                           projects big guests from it)
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probes/hw/affinity.h"
#include "probes/hw/contention.h"
#include "probes/hw/hw.h"
#include "src/report/matrix.h"
#include "probes/rounds.h"
#include "probes/schedule.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Parameter overrides for experiments: VTC_BENCH_SAMPLE_US,
 * VTC_BENCH_MAX_SAMPLES, VTC_BENCH_PAIR_MS, VTC_BENCH_PASSES, VTC_BENCH_LINES,
 * VTC_BENCH_SERIAL (1: one pair / one contention job at a time). */
static void bench_params(struct vtc_probe_params *p)
{
	const char *v;

	vtc_probe_params_default(p);
	if ((v = getenv("VTC_BENCH_SAMPLE_US")))
		p->sample_target_us = atof(v);
	if ((v = getenv("VTC_BENCH_MAX_SAMPLES")))
		p->max_samples = atoi(v);
	if ((v = getenv("VTC_BENCH_PAIR_MS")))
		p->pair_max_ms = atof(v);
	if ((v = getenv("VTC_BENCH_PASSES")))
		p->passes = atoi(v);
	if ((v = getenv("VTC_BENCH_LINES")))
		p->lines = atoi(v);
	if ((v = getenv("VTC_BENCH_SERIAL")))
		p->serial = atoi(v) != 0;
}

static int bench_pair(struct vtc_backend *be, int a, int b)
{
	struct vtc_probe_params p;
	struct vtc_lat_stats st = {0};
	struct vtc_pingpong_job job = {.a = a, .b = b, .out = &st};

	bench_params(&p);
	double t = now_s();
	int rc = be->pingpong(be->ctx, &job, 1, &p);
	t = now_s() - t;
	if (rc)
		return rc;
	printf("%.2f %u %u %u %.3f %s %.0f\n", st.median_ns, st.samples, st.discarded, st.stalls,
	       t * 1e3, st.stalled ? "stalled" : "ok", st.handoff_ns);
	return 0;
}

static int bench_matrix(struct vtc_backend *be, const char *list, enum vtc_matrix_format fmt,
			bool contention)
{
	struct vtc_probe_params p;
	struct vtc_results r;
	vtc_cpuset cpus;
	int rc = list ? vtc_cpulist_parse(list, &cpus) : vtc_affinity_allowed(&cpus);

	if (rc)
		return rc;
	bench_params(&p);
	p.contention = contention;
	rc = vtc_probe_run(be, &cpus, &p, NULL, NULL, &r);
	if (!rc)
		rc = vtc_matrix_print(stdout, &r, fmt);
	if (!rc)
		fprintf(stderr, "cpus %d pairs %d rounds %d passes %d duration_s %.4f "
			"budget_exhausted %d timer %s %.4f/ns (%s)\n",
			r.n, r.n_pairs, vtc_rounds_count(r.n), r.n_passes, r.duration_s,
			r.budget_exhausted, r.timer.name, r.timer.ticks_per_ns, r.timer.freq_source);
	for (int i = 0; !rc && i < r.n_contention; i++) {
		const struct vtc_contention_result *c = &r.contention[i];
		fprintf(stderr, "contention %d,%d l1 %.3f l2 %.3f alu %.3f steal %.1f%%\n", c->a,
			c->b, c->ratio[0], c->ratio[1], c->ratio[2], c->steal_pct);
	}
	vtc_results_free(&r);
	return rc;
}

/* ---- plan: the real scheduler on a modelled guest, calls counted ---- */

struct plan_ctx {
	int n;
	unsigned long lat_calls, thr_calls;
	int max_threads;
};

/* SMT siblings 2k, 2k+1 at 10 ns; one socket per half at 50 ns; 120 ns across. */
static double plan_ns(const struct plan_ctx *pc, int a, int b)
{
	if (a / 2 == b / 2)
		return 10;
	return (a < pc->n / 2) == (b < pc->n / 2) ? 50 : 120;
}

static int plan_pingpong(void *ctx, struct vtc_pingpong_job *jobs, int n,
			 const struct vtc_probe_params *p)
{
	struct plan_ctx *pc = ctx;

	(void)p;
	pc->lat_calls++;
	for (int i = 0; i < n; i++) {
		struct vtc_lat_stats *o = jobs[i].out;
		memset(o, 0, sizeof(*o));
		o->measured = true;
		o->samples = 100;
		o->min_ns = o->p10_ns = o->median_ns = o->p90_ns = plan_ns(pc, jobs[i].a, jobs[i].b);
	}
	return 0;
}

static int plan_throughput(void *ctx, enum vtc_cont_kind kind, int a, int b, double *ra,
			   double *rb)
{
	struct plan_ctx *pc = ctx;

	(void)kind;
	(void)a;
	pc->thr_calls++;
	pc->max_threads = pc->max_threads > 2 ? pc->max_threads : 2;
	*ra = 1;
	*rb = b < 0 ? 0 : 1;
	return 0;
}

static int plan_throughput_many(void *ctx, enum vtc_cont_kind kind, const int (*pairs)[2], int n,
				double *rates)
{
	struct plan_ctx *pc = ctx;
	int threads = 0;

	(void)kind;
	pc->thr_calls++;
	for (int i = 0; i < n; i++) {
		threads += pairs[i][1] < 0 ? 1 : 2;
		rates[2 * i] = 1;
		rates[2 * i + 1] = pairs[i][1] < 0 ? 0 : 1;
	}
	pc->max_threads = threads > pc->max_threads ? threads : pc->max_threads;
	return 0;
}

static int bench_plan(int n)
{
	struct plan_ctx pc = {.n = n};
	struct vtc_backend be = {.name = "plan", .ctx = &pc, .pingpong = plan_pingpong,
				 .throughput = plan_throughput,
				 .throughput_many = plan_throughput_many};
	struct vtc_probe_params p;
	struct vtc_results r;
	vtc_cpuset cpus;
	int rc;

	if (n < 2 || n > VTC_CPUSET_MAX)
		return -EINVAL;
	bench_params(&p);
	p.watch = false; /* one full look only */
	p.budget_s = 1e6; /* counting calls, never cut short */
	vtc_cpuset_clear(&cpus);
	for (int c = 0; c < n; c++)
		vtc_cpuset_set(&cpus, c);
	rc = vtc_probe_run(&be, &cpus, &p, NULL, NULL, &r);
	if (!rc)
		printf("plan %d latency_calls %lu throughput_calls %lu max_threads %d\n", n,
		       pc.lat_calls, pc.thr_calls, pc.max_threads);
	vtc_results_free(&r);
	return rc;
}

int main(int argc, char **argv)
{
	struct vtc_backend be;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: vtc-bench pair A B | matrix [LIST] | csv [LIST] | cont [LIST]"
			" | plan N\n");
		return 3;
	}
	if (!strcmp(argv[1], "plan") && argc == 3) {
		rc = bench_plan(atoi(argv[2]));
		if (rc)
			fprintf(stderr, "vtc-bench: %s\n", strerror(-rc));
		return rc ? 3 : 0;
	}
	rc = vtc_hw_backend_init(&be);
	if (rc) {
		fprintf(stderr, "vtc-bench: hw backend: %s\n", strerror(-rc));
		return 3;
	}
	if (!strcmp(argv[1], "pair") && argc == 4)
		rc = bench_pair(&be, atoi(argv[2]), atoi(argv[3]));
	else if (!strcmp(argv[1], "matrix"))
		rc = bench_matrix(&be, argc > 2 ? argv[2] : NULL, VTC_MATRIX_TEXT, false);
	else if (!strcmp(argv[1], "csv"))
		rc = bench_matrix(&be, argc > 2 ? argv[2] : NULL, VTC_MATRIX_CSV, false);
	else if (!strcmp(argv[1], "cont"))
		rc = bench_matrix(&be, argc > 2 ? argv[2] : NULL, VTC_MATRIX_TEXT, true);
	else
		rc = -EINVAL;
	vtc_hw_backend_fini(&be);
	if (rc) {
		fprintf(stderr, "vtc-bench: %s\n", strerror(-rc));
		return 3;
	}
	return 0;
}
