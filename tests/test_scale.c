/* test_scale.c - 1024 simulated vCPUs: inference, comparison and the JSON
 * report stay fast and bounded in memory at the largest guests we expect.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The results are built by hand (the simulator stops at VTC_SIM_MAX_VCPUS):
 * a 2-socket host, 16 LLC groups of 8 two-thread cores per socket, pinned
 * 1:1, measured in two passes with contention data for the SMT candidates
 * and controls, as the scheduler would collect it. The guest is told the
 * vCPUs are 1024 single-thread cores of one socket, so comparison has work.
 * Time bounds are structural only (a cubic-time regression blows through
 * them; noise and sanitizers do not): the real figures are printed.
 *
 * Phases: "analysis" (the measurements above), "import" (the same host as
 * a c2clat matrix through vtc_matrix_import: one pass, no contention) and
 * "json". Without arguments the program runs the phases it was built for
 * (tests/test_scale: analysis and import; tests/test_scale_json, built
 * with -DVTC_SCALE_JSON: json), so each can be expected to pass or fail on
 * its own; "tests/test_scale json" runs one by hand. VTC_SCALE_NV=N (a
 * multiple of 32 up to 1024) models N vCPUs instead of 1024, to see how
 * the figures grow. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/report/run.h"
#include "src/analysis/compare.h"
#include "src/analysis/infer.h"
#include "src/report/matrix_import.h"
#include "src/report/report_json.h"
#include "src/report/report_load.h"
#include "src/analysis/verdict.h"

#define NV_MAX 1024
#define THREADS 2
#define LLC_CPUS 16  /* 8 cores x 2 threads */
#define SOCKET_CPUS (nv / 2)

static int nv = NV_MAX; /* vCPUs modelled */

/* Structural bounds, generous for noise and sanitizers: the goal is
 * analysis under 1 s; an O(n^3) slip at n = 1024 takes a minute. Memory:
 * the measurements themselves take ~160 MB at this size (VTC_MAX_PASSES
 * slots per pair); the report may cost a few times that, not gigabytes. */
#define ANALYSIS_MAX_S 5
#define JSON_MAX_S 30
/* AddressSanitizer's shadow memory and redzones roughly double the peak,
 * and its checks make the JSON parse about three times slower; the bounds
 * are checked as stated by the normal build. */
#if defined(__SANITIZE_ADDRESS__)
#define SAN_FACTOR 2
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SAN_FACTOR 2
#endif
#endif
#ifndef SAN_FACTOR
#define SAN_FACTOR 1
#endif
#define RSS_MAX_KIB (SAN_FACTOR * 1024L * 1024)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Deterministic jitter in [-1, 1). */
static double jit(unsigned *st)
{
	*st = *st * 1103515245u + 12345u;
	return ((*st >> 8) & 0xffff) / 32768.0 - 1;
}

/* One-way ns between vCPUs on the modelled host (Zen-like tiers). */
static double host_ns(int a, int b)
{
	if (a / THREADS == b / THREADS)
		return 12;
	if (a / LLC_CPUS == b / LLC_CPUS)
		return 28;
	if (a / SOCKET_CPUS == b / SOCKET_CPUS)
		return 120;
	return 210;
}

static void fill_lat(struct vtc_lat_stats *l, double ns, double t)
{
	memset(l, 0, sizeof(*l));
	l->measured = true;
	l->samples = 64;
	l->round_trips = 16;
	l->median_ns = ns;
	l->min_ns = ns * 0.92;
	l->p10_ns = ns * 0.96;
	l->p90_ns = ns * 1.08;
	l->t_start_s = t;
}

static void add_cont(struct vtc_results *r, int a, int b, double ratio)
{
	struct vtc_contention_result c = { .a = a, .b = b, .measured = true };

	for (int k = 0; k < VTC_CONT_KINDS; k++)
		c.ratio[k] = ratio;
	assert_int_equal(vtc_results_add_contention(r, &c), 0);
}

static void build_results(struct vtc_results *r)
{
	unsigned st = 7;
	vtc_cpuset all;

	vtc_cpuset_clear(&all);
	for (int v = 0; v < nv; v++)
		vtc_cpuset_set(&all, v);
	assert_int_equal(vtc_results_init(r, &all, 2), 0);
	assert_int_equal(r->n_pairs, nv * (nv - 1) / 2);
	snprintf(r->backend, sizeof(r->backend), "sim");
	snprintf(r->timer.name, sizeof(r->timer.name), "monotonic-raw");
	r->timer.ticks_per_ns = 1;
	r->timer.invariant = true;
	vtc_probe_params_default(&r->params);
	for (int i = 0; i < r->n_pairs; i++) {
		struct vtc_pair_result *p = &r->pairs[i];
		for (int ps = 0; ps < r->n_passes; ps++)
			fill_lat(&p->pass[ps], host_ns(p->a, p->b) * (1 + 0.03 * jit(&st)),
				 ps * 5.0 + i * 1e-5);
	}
	/* What the scheduler co-runs: each vCPU with its fastest partner, a
	 * median-latency control per core, the same-vCPU control. */
	for (int v = 0; v < nv; v += THREADS) {
		add_cont(r, v, v + 1, 0.62 + 0.02 * jit(&st));
		add_cont(r, v, (v + SOCKET_CPUS / 2) % nv, 0.97 + 0.02 * jit(&st));
	}
	for (int v = 0; v < 8; v++)
		add_cont(r, v * (nv / 8), v * (nv / 8), 0.5 + 0.01 * jit(&st));
	for (int v = 0; v < nv; v++) {
		for (int k = 0; k < VTC_CONT_KINDS; k++)
			r->solo_rate[k][v] = 1.0;
		r->steal_pct[v] = 0;
	}
	r->duration_s = 10;
}

/* What the guest is told: one socket of nv single-thread cores. */
static void build_advertised(struct vtc_topo *t)
{
	assert_int_equal(vtc_topo_init(t, "sysfs", nv), 0);
	for (int v = 0; v < nv; v++) {
		struct vtc_topo_cpu *c = &t->cpu[v];
		c->possible = c->present = c->online = true;
		c->thread_id = 0;
		c->core_id = v;
		c->package_id = c->die_id = c->numa_node = 0;
		vtc_cpuset_set(&t->possible, v);
	}
	t->present = t->online = t->allowed = t->possible;
	for (int v = 0; v < nv; v++) {
		struct vtc_topo_cpu *c = &t->cpu[v];
		vtc_cpuset_set(&c->siblings[VTC_LEVEL_SMT], v);
		vtc_cpuset_set(&c->siblings[VTC_LEVEL_L1D], v);
		vtc_cpuset_set(&c->siblings[VTC_LEVEL_L2], v);
		c->siblings[VTC_LEVEL_PACKAGE] = t->online;
		c->siblings[VTC_LEVEL_DIE] = t->online;
		c->siblings[VTC_LEVEL_L3] = t->online;
		c->siblings[VTC_LEVEL_NUMA] = t->online;
	}
	assert_int_equal(vtc_topo_build_groups(t), 0);
}

/* A phase runs in a child with an alarm, so a regression fails the test in
 * seconds instead of holding CI for minutes, and its peak RSS is its own.
 * VTC_SCALE_WAIT_S=N lets it run up to N s to see the real figure (the
 * bounds still apply). */
struct phase {
	double secs;
	char note[400];
};

static void run_phase(int (*fn)(struct phase *), unsigned limit_s, struct phase *ph,
		      long *rss_kib)
{
	struct rusage ru;
	int fd[2], status;
	pid_t pid;

	const char *wait = getenv("VTC_SCALE_WAIT_S");

	if (wait && atoi(wait) > (int)limit_s)
		limit_s = (unsigned)atoi(wait);
	memset(ph, 0, sizeof(*ph));
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		alarm(limit_s);
		int rc = fn(ph);
		if (write(fd[1], ph, sizeof(*ph)) != (ssize_t)sizeof(*ph))
			rc = 3;
		_exit(rc);
	}
	close(fd[1]);
	assert_int_equal(wait4(pid, &status, 0, &ru), pid);
	*rss_kib = ru.ru_maxrss;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		fail_msg("not finished within %u s (peak RSS so far %.0f MB)", limit_s,
			 ru.ru_maxrss / 1024.0);
	if (read(fd[0], ph, sizeof(*ph)) != (ssize_t)sizeof(*ph))
		fail_msg("phase died (status 0x%x)", status);
	close(fd[0]);
	print_message("scale: %s\n", ph->note);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("wrong result (status 0x%x)", status);
}

/* infer + compare + verdict, and the structure they must find. */
static int analysis_phase(struct phase *ph)
{
	struct vtc_results r;
	struct vtc_topo adv;
	struct vtc_inferred inf;
	struct vtc_findings fs = { 0 };
	char reason[320];
	enum vtc_exit status;
	double t0, t1;
	int ok;

	build_results(&r);
	build_advertised(&adv);
	t0 = now_s();
	if (vtc_infer(&r, &adv, &inf) != 0)
		return 2;
	t1 = now_s();
	if (vtc_compare(&inf, &r, &adv, NULL, &fs) != 0)
		return 2;
	status = vtc_verdict(&inf, &fs, reason, sizeof(reason));
	ph->secs = now_s() - t0;
	/* The structure was recovered (cores, LLCs, sockets), and the lie
	 * about SMT caught. */
	ok = !inf.unknown && inf.known[VTC_GROUP_SMT] &&
	     inf.groups[VTC_GROUP_SMT].count == nv / THREADS && inf.known[VTC_GROUP_LLC] &&
	     inf.groups[VTC_GROUP_LLC].count == nv / LLC_CPUS && inf.known[VTC_GROUP_SOCKET] &&
	     inf.groups[VTC_GROUP_SOCKET].count == nv / SOCKET_CPUS &&
	     status == VTC_EXIT_CRITICAL && fs.count > 0;
	snprintf(ph->note, sizeof(ph->note),
		 "%d vCPUs, %d pairs x %d passes, %d contention results: infer+compare+"
		 "verdict %.3f s (infer %.3f s), %d SMT, %d LLC, %d socket groups, %d findings, %s",
		 r.n, r.n_pairs, r.n_passes, r.n_contention, ph->secs, t1 - t0,
		 inf.groups[VTC_GROUP_SMT].count, inf.groups[VTC_GROUP_LLC].count,
		 inf.groups[VTC_GROUP_SOCKET].count, fs.count, ok ? "as expected" : "WRONG RESULT");
	vtc_findings_free(&fs);
	vtc_inferred_free(&inf);
	vtc_topo_free(&adv);
	vtc_results_free(&r);
	return ok ? 0 : 2;
}

/* The modelled host as c2clat's text matrix (full, both directions). */
static char *build_matrix(size_t *len)
{
	unsigned st = 11;
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	fprintf(f, " CPU");
	for (int v = 0; v < nv; v++)
		fprintf(f, " %d", v);
	for (int a = 0; a < nv; a++) {
		fprintf(f, "\n %d", a);
		for (int b = 0; b < nv; b++)
			fprintf(f, " %.1f", a == b ? 0 : host_ns(a, b) * (1 + 0.03 * jit(&st)));
	}
	fprintf(f, "\n");
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* An imported matrix (one pass, no contention): the fast tier can be a
 * shared core or a shared cache, so it is a level of its own; sockets are
 * still found, and the advertised single socket is wrong. */
static int import_phase(struct phase *ph)
{
	struct vtc_results r;
	struct vtc_topo adv;
	struct vtc_inferred inf;
	struct vtc_findings fs = { 0 };
	char err[160], reason[320], *text;
	enum vtc_exit status;
	double t0, t1, t2;
	size_t len;
	FILE *f;
	int ok;

	if (!(text = build_matrix(&len)) || !(f = fmemopen(text, len, "r")))
		return 2;
	t0 = now_s();
	if (vtc_matrix_import(f, &r, err, sizeof(err)) != 0)
		return 2;
	fclose(f);
	free(text);
	build_advertised(&adv);
	t1 = now_s();
	if (vtc_infer(&r, &adv, &inf) != 0)
		return 2;
	t2 = now_s();
	if (vtc_compare(&inf, &r, &adv, NULL, &fs) != 0)
		return 2;
	status = vtc_verdict(&inf, &fs, reason, sizeof(reason));
	ph->secs = now_s() - t1;
	ok = !inf.unknown && r.n_passes == 1 && r.n_contention == 0 && inf.known[VTC_GROUP_SOCKET] &&
	     inf.groups[VTC_GROUP_SOCKET].count == nv / SOCKET_CPUS &&
	     status == VTC_EXIT_CRITICAL && fs.count > 0;
	snprintf(ph->note, sizeof(ph->note),
		 "imported %d x %d matrix in %.3f s: infer+compare+verdict %.3f s (infer %.3f s), "
		 "%d tiers, %d LLC, %d socket groups, %d findings, %s", r.n, r.n, t1 - t0,
		 ph->secs, t2 - t1, inf.n_tiers, inf.groups[VTC_GROUP_LLC].count,
		 inf.groups[VTC_GROUP_SOCKET].count, fs.count, ok ? "as expected" : "WRONG RESULT");
	vtc_findings_free(&fs);
	vtc_inferred_free(&inf);
	vtc_topo_free(&adv);
	vtc_results_free(&r);
	return ok ? 0 : 2;
}

/* The measurements through the JSON report file and back, as --json and
 * --analyze do: pairs are streamed one at a time both ways. */
static int json_phase(struct phase *ph)
{
	char dir[] = "/tmp/vtc-scale-XXXXXX", path[64], err[160];
	struct vtc_results r, back;
	struct vtc_pair_stash stash;
	struct vtc_run *app = calloc(1, sizeof(*app));
	struct stat st;
	json_t *doc;
	double t0;
	int ok;

	if (!app || !mkdtemp(dir))
		return 2;
	snprintf(path, sizeof(path), "%s/r.json", dir);
	build_results(&r);
	t0 = now_s();
	app->res = r; /* a run that only measured: the rest of the report is null */
	app->have_results = true;
	if (vtc_json_write_app(app, path) != 0)
		return 2;
	free(app);
	double t_write = now_s() - t0;
	if (vtc_report_read(path, &doc, &stash, err, sizeof(err)) != 0)
		return 2;
	ok = vtc_json_to_results_stash(json_object_get(doc, "measurements"), &stash, &back, err,
				       sizeof(err)) == 0;
	json_decref(doc);
	vtc_pair_stash_free(&stash);
	ph->secs = now_s() - t0;
	ok = ok && back.n == nv && back.n_pairs == r.n_pairs &&
	     vtc_results_pair_median(&back, 0, 1) > 0;
	snprintf(ph->note, sizeof(ph->note),
		 "JSON report write %.3f s + read %.3f s, %.1f MB file, %s", t_write,
		 ph->secs - t_write,
		 stat(path, &st) == 0 ? st.st_size / 1e6 : -1.0, ok ? "loaded back" : "WRONG RESULT");
	unlink(path);
	rmdir(dir);
	if (ok)
		vtc_results_free(&back);
	vtc_results_free(&r);
	return ok ? 0 : 2;
}

static void test_scale_analysis(void **state)
{
	struct phase ph;
	long rss;

	(void)state;
	run_phase(analysis_phase, ANALYSIS_MAX_S + 1, &ph, &rss);
	print_message("scale: analysis peak RSS %.1f MB\n", rss / 1024.0);
	assert_true(ph.secs < ANALYSIS_MAX_S);
	assert_true(rss < RSS_MAX_KIB);
}

static void test_scale_import(void **state)
{
	struct phase ph;
	long rss;

	(void)state;
	run_phase(import_phase, ANALYSIS_MAX_S + 1, &ph, &rss);
	print_message("scale: import+analysis peak RSS %.1f MB\n", rss / 1024.0);
	assert_true(ph.secs < ANALYSIS_MAX_S);
	assert_true(rss < RSS_MAX_KIB);
}

static void test_scale_json(void **state)
{
	struct phase ph;
	long rss;

	(void)state;
	run_phase(json_phase, SAN_FACTOR * JSON_MAX_S + 1, &ph, &rss);
	print_message("scale: JSON peak RSS %.1f MB\n", rss / 1024.0);
	assert_true(ph.secs < SAN_FACTOR * JSON_MAX_S);
	assert_true(rss < RSS_MAX_KIB);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest all[] = {
		cmocka_unit_test(test_scale_analysis),
		cmocka_unit_test(test_scale_import),
		cmocka_unit_test(test_scale_json),
	};
	static const char *const names[] = {"analysis", "import", "json"};
	struct CMUnitTest run[3];
	const char *env = getenv("VTC_SCALE_NV");
	int n = 0;

	if (env && (atoi(env) < 32 || atoi(env) > NV_MAX || atoi(env) % 32)) {
		fprintf(stderr, "test_scale: VTC_SCALE_NV must be a multiple of 32 up to %d\n",
			NV_MAX);
		return 1;
	}
	nv = env ? atoi(env) : NV_MAX;
	for (int t = 0; t < 3; t++) {
#ifdef VTC_SCALE_JSON
		bool want = t == 2;
#else
		bool want = t < 2;
#endif
		if (argc > 1)
			want = false;
		for (int a = 1; a < argc; a++)
			want |= strcmp(argv[a], names[t]) == 0;
		if (want)
			run[n++] = all[t];
	}
	if (n == 0) {
		fprintf(stderr, "usage: test_scale [analysis] [import] [json]\n");
		return 1;
	}
	return _cmocka_run_group_tests("scale", run, (size_t)n, NULL, NULL);
}
