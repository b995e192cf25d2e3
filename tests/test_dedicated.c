/* test_dedicated.c - KVM's dedicated-vCPU hint against hand-made runs: what
 * contradicts it (steal at the bound, stacked groups, moves in the window or
 * between passes), what a run too noisy to judge still shows, and when the
 * reverse info line may be said.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/dedicated.h"

/* Four probed vCPUs, steal known and 0 on each, a window of @window_s. */
struct run {
	struct vtc_results r;
	struct vtc_inferred inf;
	struct vtc_platform plat;
	struct vtc_igroup stacked[1];
	struct vtc_series_float fl[1];
	struct vtc_fast_pair fast[1];
	struct vtc_findings fs;
};

static void run_init(struct run *x, enum vtc_hint hint, double window_s)
{
	vtc_cpuset cpus;

	memset(x, 0, sizeof(*x));
	vtc_cpuset_clear(&cpus);
	for (int c = 0; c < 4; c++)
		vtc_cpuset_set(&cpus, c);
	assert_int_equal(vtc_results_init(&x->r, &cpus, 2), 0);
	for (int c = 0; c < 4; c++)
		x->r.steal_pct[c] = 0;
	x->r.duration_s = 2 + window_s;
	if (window_s > 0) {
		x->r.watch_from_s = 2;
		x->r.watch_to_s = 2 + window_s;
		x->r.n_watch = 100;
	}
	x->inf.cpus = cpus;
	x->inf.series.window_s = window_s;
	snprintf(x->plat.hypervisor, sizeof(x->plat.hypervisor), "kvm");
	x->plat.kvm_hint_dedicated = hint;
}

/* vCPUs 2 and 3 time-share one host CPU. */
static void add_stacked(struct run *x)
{
	vtc_cpuset_clear(&x->stacked[0].cpus);
	vtc_cpuset_set(&x->stacked[0].cpus, 2);
	vtc_cpuset_set(&x->stacked[0].cpus, 3);
	x->inf.known[VTC_GROUP_STACKED] = true;
	x->inf.groups[VTC_GROUP_STACKED] = (struct vtc_igroups){1, x->stacked};
}

/* v0-v1 seen nearer than usual in 2 episodes of the window. */
static void add_window_move(struct run *x)
{
	x->fl[0] = (struct vtc_series_float){.a = 0, .b = 1, .samples = 50, .near = 6,
					     .usual_ns = 60, .near_ns = 28, .episodes = 2};
	x->inf.series.n_float = 1;
	x->inf.series.f = x->fl;
}

/* Returns the number of dedicated-mismatch findings of @sev; checks every
 * finding has evidence, cost and fix. */
static int judge(struct run *x, enum vtc_severity sev)
{
	int n = 0;

	assert_int_equal(vtc_dedicated_judge(&x->inf, &x->r, &x->plat, 1.0, &x->fs), 0);
	for (int i = 0; i < x->fs.count; i++) {
		const struct vtc_finding *f = &x->fs.item[i];
		assert_int_equal(f->kind, VTC_FK_DEDICATED_MISMATCH);
		assert_true(f->evidence[0] && f->cost[0] && f->fix[0]);
		n += f->severity == sev;
	}
	return n;
}

static void run_free(struct run *x)
{
	vtc_findings_free(&x->fs);
	vtc_results_free(&x->r);
}

/* Steal at the bound on one vCPU breaks the promise; just under it does
 * not; unknown steal (-1) is no evidence. */
static void test_steal_bound(void **state)
{
	static const struct {
		double pct;
		int want;
	} cases[] = {
		{VTC_DEDICATED_STEAL_PCT - 0.1, 0}, {VTC_DEDICATED_STEAL_PCT, 1}, {36.0, 1}, {-1, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run x;

		run_init(&x, VTC_HINT_YES, 2);
		x.r.steal_pct[3] = cases[i].pct;
		if (judge(&x, VTC_SEV_WARNING) != cases[i].want)
			fail_msg("steal %.1f%%: want %d warning", cases[i].pct, cases[i].want);
		if (cases[i].want) {
			assert_true(vtc_cpuset_test(&x.fs.item[0].cpus, 3));
			assert_int_equal(vtc_cpuset_count(&x.fs.item[0].cpus), 1);
			assert_non_null(strstr(x.fs.item[0].evidence, "of v3's run"));
		}
		run_free(&x);
	}
}

/* Stacked vCPUs, a move in the window, fast pairs changing between passes:
 * each alone breaks the promise, and names its vCPUs. */
static void test_each_contradiction(void **state)
{
	struct run x;

	(void)state;
	run_init(&x, VTC_HINT_YES, 2);
	add_stacked(&x);
	assert_int_equal(judge(&x, VTC_SEV_WARNING), 1);
	assert_non_null(strstr(x.fs.item[0].evidence, "vCPUs 2-3 share host CPUs"));
	run_free(&x);

	run_init(&x, VTC_HINT_YES, 2);
	add_window_move(&x);
	assert_int_equal(judge(&x, VTC_SEV_WARNING), 1);
	assert_non_null(strstr(x.fs.item[0].evidence, "moved during the 2.0 s window (2 near "
						      "episodes)"));
	run_free(&x);

	run_init(&x, VTC_HINT_YES, 0);
	x.fast[0] = (struct vtc_fast_pair){.pass = 1, .a = 1, .b = 2, .ns = 30};
	x.inf.floating = true;
	x.inf.n_fast = 1;
	x.inf.fast = x.fast;
	assert_int_equal(judge(&x, VTC_SEV_WARNING), 1);
	assert_non_null(strstr(x.fs.item[0].evidence, "vCPUs 1-2 moved between passes"));
	run_free(&x);

	/* nothing against it: nothing said */
	run_init(&x, VTC_HINT_YES, 2);
	assert_int_equal(judge(&x, VTC_SEV_WARNING), 0);
	assert_int_equal(x.fs.count, 0);
	run_free(&x);
}

/* A run too noisy to judge: its stacked groups are not believed, but the
 * steal and the window's moves were measured all the same. */
static void test_unknown_run(void **state)
{
	struct run x;
	struct vtc_dedicated_ev ev;

	(void)state;
	run_init(&x, VTC_HINT_YES, 2);
	x.inf.unknown = true;
	add_stacked(&x);
	assert_false(vtc_dedicated_evidence(&x.inf, &x.r, &ev));
	assert_int_equal(judge(&x, VTC_SEV_WARNING), 0);
	x.r.steal_pct[2] = 30;
	add_window_move(&x);
	assert_true(vtc_dedicated_evidence(&x.inf, &x.r, &ev));
	assert_true(vtc_cpuset_empty(&ev.stacked));
	assert_int_equal(judge(&x, VTC_SEV_WARNING), 1);
	run_free(&x);
}

/* The reverse: no hint, a window of at least 1 s, no move, no stacking,
 * steal known and low everywhere. Any of those missing: nothing. An unknown
 * hint (no KVM leaves, no CPUID): never anything. */
static void test_could_set(void **state)
{
	struct run x;

	(void)state;
	run_init(&x, VTC_HINT_NO, 2);
	assert_int_equal(judge(&x, VTC_SEV_INFO), 1);
	assert_true(vtc_cpuset_count(&x.fs.item[0].cpus) == 4);
	run_free(&x);

	run_init(&x, VTC_HINT_UNKNOWN, 2);
	assert_int_equal(judge(&x, VTC_SEV_INFO), 0);
	assert_int_equal(x.fs.count, 0);
	x.r.steal_pct[1] = 40;
	assert_int_equal(judge(&x, VTC_SEV_WARNING), 0);
	run_free(&x);

	run_init(&x, VTC_HINT_NO, 0.9); /* window too short */
	assert_int_equal(judge(&x, VTC_SEV_INFO), 0);
	run_free(&x);

	run_init(&x, VTC_HINT_NO, 0); /* --snapshot */
	assert_int_equal(judge(&x, VTC_SEV_INFO), 0);
	run_free(&x);

	run_init(&x, VTC_HINT_NO, 2);
	x.r.steal_pct[1] = -1; /* steal not accounted on one vCPU */
	assert_int_equal(judge(&x, VTC_SEV_INFO), 0);
	run_free(&x);

	run_init(&x, VTC_HINT_NO, 2);
	x.r.steal_pct[1] = 6;
	assert_int_equal(judge(&x, VTC_SEV_INFO), 0);
	assert_int_equal(x.fs.count, 0); /* no promise broken either */
	run_free(&x);

	run_init(&x, VTC_HINT_NO, 2);
	add_window_move(&x);
	assert_int_equal(judge(&x, VTC_SEV_INFO), 0);
	run_free(&x);

	run_init(&x, VTC_HINT_NO, 2);
	x.inf.unknown = true;
	assert_int_equal(judge(&x, VTC_SEV_INFO), 0);
	run_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steal_bound),
		cmocka_unit_test(test_each_contradiction),
		cmocka_unit_test(test_unknown_run),
		cmocka_unit_test(test_could_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
