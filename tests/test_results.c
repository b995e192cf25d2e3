/* test_results.c - the probe results container (src/analysis/results.c):
 * the one pair order (vtc_pair_index), ranks and pair lookup on sparse CPU
 * numbers, the per-pair median over passes (stalled and empty passes left
 * out), contention and watch samples with their limits, and the nearest
 * partner of a row.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/results.h"

static void init(struct vtc_results *r, const char *list, int passes)
{
	vtc_cpuset s;

	assert_int_equal(vtc_cpulist_parse(list, &s), 0);
	assert_int_equal(vtc_results_init(r, &s, passes), 0);
}

/* (0,1) (0,2) .. (0,n-1) (1,2) ...: every slot once, either order alike. */
static void test_pair_index(void **state)
{
	const int n = 7;
	int seen[21] = {0}, k = 0;
	(void)state;

	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++, k++) {
			assert_int_equal(vtc_pair_index(n, i, j), k);
			assert_int_equal(vtc_pair_index(n, j, i), k);
			seen[k]++;
		}
	assert_int_equal(k, 21);
	for (int s = 0; s < 21; s++)
		assert_int_equal(seen[s], 1);
	/* large n: no int overflow in the arithmetic */
	assert_int_equal(vtc_pair_index(70000, 69998, 69999), 70000L * 69999 / 2 - 1);
}

/* Sparse CPU numbers: ranks in ascending order, pairs in the index order,
 * per-CPU arrays sized by the highest CPU, unknowns at -1. */
static void test_init_sparse(void **state)
{
	struct vtc_results r;
	vtc_cpuset s;
	(void)state;

	init(&r, "2,5,9", 2);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.n_pairs, 3);
	assert_int_equal(r.n_passes, 2);
	assert_int_equal(r.params.passes, 2);
	assert_int_equal(r.ncpus_model, 10);
	assert_int_equal(r.cpu[0], 2);
	assert_int_equal(r.cpu[1], 5);
	assert_int_equal(r.cpu[2], 9);
	assert_int_equal(r.pairs[0].a, 2);
	assert_int_equal(r.pairs[0].b, 5);
	assert_int_equal(r.pairs[1].a, 2);
	assert_int_equal(r.pairs[1].b, 9);
	assert_int_equal(r.pairs[2].a, 5);
	assert_int_equal(r.pairs[2].b, 9);
	assert_false(r.pairs[2].pass[0].measured);
	for (int c = 0; c < r.ncpus_model; c++)
		assert_true(r.steal_pct[c] == -1);
	assert_true(r.foreign_runnable == -1);
	assert_true(r.busy_runnable == -1);

	assert_int_equal(vtc_results_rank(&r, 2), 0);
	assert_int_equal(vtc_results_rank(&r, 9), 2);
	assert_int_equal(vtc_results_rank(&r, 3), -1);
	assert_int_equal(vtc_results_rank(&r, 100), -1);
	assert_ptr_equal(vtc_results_pair(&r, 9, 5), &r.pairs[2]);
	assert_ptr_equal(vtc_results_pair(&r, 5, 9), &r.pairs[2]);
	assert_null(vtc_results_pair(&r, 5, 5));
	assert_null(vtc_results_pair(&r, 5, 6));
	vtc_results_free(&r);
	assert_null(r.pairs);

	assert_int_equal(vtc_cpulist_parse("0-3", &s), 0);
	assert_int_equal(vtc_results_init(&r, &s, 0), -EINVAL);
	assert_int_equal(vtc_results_init(&r, &s, VTC_MAX_PASSES + 1), -EINVAL);
	assert_int_equal(vtc_results_init(&r, &s, VTC_MAX_PASSES), 0);
	vtc_results_free(&r);
	vtc_results_free(NULL);
}

static void pass(struct vtc_pair_result *p, int k, bool measured, bool stalled, int samples,
		 double ns)
{
	p->pass[k] = (struct vtc_lat_stats){.measured = measured, .stalled = stalled,
					    .samples = (uint32_t)samples, .median_ns = ns};
}

/* The median over passes measured, not stalled, with samples; -1 when
 * none; passes beyond n_passes are not read. */
static void test_pair_median(void **state)
{
	struct vtc_results r;
	struct vtc_pair_result *p;
	(void)state;

	init(&r, "0,1", 4);
	p = vtc_results_pair(&r, 0, 1);
	assert_true(vtc_results_pair_median(&r, 0, 1) == -1);
	pass(p, 0, true, false, 10, 100);
	pass(p, 1, true, false, 10, 300);
	pass(p, 2, true, false, 10, 200);
	pass(p, 3, true, true, 10, 5000); /* stalled: left out */
	assert_true(vtc_results_pair_median(&r, 1, 0) == 200);
	pass(p, 3, true, false, 0, 5000); /* no samples: left out */
	assert_true(vtc_results_pair_median(&r, 0, 1) == 200);
	pass(p, 3, false, false, 10, 5000); /* not measured: left out */
	assert_true(vtc_results_pair_median(&r, 0, 1) == 200);
	pass(p, 3, true, false, 10, 400);
	assert_true(vtc_results_pair_median(&r, 0, 1) == 250); /* even count: the mean of two */
	r.n_passes = 1;
	assert_true(vtc_results_pair_median(&r, 0, 1) == 100);
	pass(p, 0, true, true, 10, 100);
	assert_true(vtc_results_pair_median(&r, 0, 1) == -1);
	assert_true(vtc_results_pair_median(&r, 0, 7) == -1);
	vtc_results_free(&r);
}

static void test_contention(void **state)
{
	struct vtc_results r;
	struct vtc_contention_result c = {.a = 3, .b = 1, .measured = true};
	(void)state;

	init(&r, "0-3", 1);
	assert_null(vtc_results_contention(&r, 1, 3));
	for (int i = 0; i < 40; i++) {
		c.steal_pct = i;
		c.a = i;
		c.b = i + 100;
		assert_int_equal(vtc_results_add_contention(&r, &c), 0);
	}
	c = (struct vtc_contention_result){.a = 3, .b = 1, .measured = true, .steal_pct = 7};
	assert_int_equal(vtc_results_add_contention(&r, &c), 0);
	assert_int_equal(r.n_contention, 41);
	assert_true(vtc_results_contention(&r, 1, 3)->steal_pct == 7);
	assert_true(vtc_results_contention(&r, 3, 1)->steal_pct == 7);
	assert_true(vtc_results_contention(&r, 139, 39)->steal_pct == 39);
	assert_null(vtc_results_contention(&r, 1, 2));
	assert_string_equal(vtc_cont_kind_name(VTC_CONT_L1), "l1");
	assert_string_equal(vtc_cont_kind_name(VTC_CONT_L2), "l2");
	assert_string_equal(vtc_cont_kind_name(VTC_CONT_ALU), "alu");
	assert_string_equal(vtc_cont_kind_name(VTC_CONT_KINDS), "?");
	vtc_results_free(&r);
}

/* Watch samples: a pair index out of range is -EINVAL; they are kept in
 * order, as floats. (-ENOSPC at VTC_WATCH_MAX_SAMPLES is not tried: 4 Mi
 * samples are 48 MB.) */
static void test_watch(void **state)
{
	struct vtc_results r;
	(void)state;

	init(&r, "0-2", 1);
	assert_int_equal(vtc_results_add_watch(&r, 1.0, -1, 50), -EINVAL);
	assert_int_equal(vtc_results_add_watch(&r, 1.0, 3, 50), -EINVAL);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(vtc_results_add_watch(&r, 0.5 * i, i % 3, i == 7 ? -1 : 40.0 + i), 0);
	assert_int_equal(r.n_watch, 5000);
	assert_true(r.watch[4999].t_s == 2499.5f);
	assert_int_equal(r.watch[4999].pair, 4999 % 3);
	assert_true(r.watch[4999].ns == 5039.0f);
	assert_true(r.watch[7].ns < 0);
	vtc_results_free(&r);
}

/* The nearest partner by known values (> 0), the first of equals, @skip
 * left out; -1 when no partner has a value. */
static void test_pairs_nearest(void **state)
{
	const int n = 4;
	double ns[6];
	(void)state;

	/* (0,1) (0,2) (0,3) (1,2) (1,3) (2,3) */
	ns[vtc_pair_index(n, 0, 1)] = 50;
	ns[vtc_pair_index(n, 0, 2)] = 20;
	ns[vtc_pair_index(n, 0, 3)] = 20;
	ns[vtc_pair_index(n, 1, 2)] = -1;
	ns[vtc_pair_index(n, 1, 3)] = 0;
	ns[vtc_pair_index(n, 2, 3)] = 90;
	assert_int_equal(vtc_pairs_nearest(ns, n, 0, -1), 2);
	assert_int_equal(vtc_pairs_nearest(ns, n, 0, 2), 3);
	assert_int_equal(vtc_pairs_nearest(ns, n, 0, 3), 2);
	assert_int_equal(vtc_pairs_nearest(ns, n, 1, -1), 0);
	assert_int_equal(vtc_pairs_nearest(ns, n, 1, 0), -1);
	assert_int_equal(vtc_pairs_nearest(ns, n, 3, -1), 0);
	assert_int_equal(vtc_pairs_nearest(ns, n, 2, -1), 0);
}

static void test_guest_quiet(void **state)
{
	(void)state;
	assert_true(vtc_results_guest_quiet(0, 4));
	assert_true(vtc_results_guest_quiet(0.99, 4));
	assert_false(vtc_results_guest_quiet(1, 4)); /* a quarter busy is not quiet */
	assert_false(vtc_results_guest_quiet(-1, 4)); /* unknown */
	assert_true(vtc_results_guest_quiet(15.9, 64));
}

static void test_params_default(void **state)
{
	struct vtc_probe_params p;
	(void)state;

	memset(&p, 0xff, sizeof(p));
	vtc_probe_params_default(&p);
	assert_int_equal(p.passes, 2);
	assert_true(p.budget_s == 10.0);
	assert_true(p.contention);
	assert_false(p.watch);
	assert_false(p.serial);
	assert_true(p.stall_limit > 0 && p.max_samples > 0 && p.lines > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_index),
		cmocka_unit_test(test_init_sparse),
		cmocka_unit_test(test_pair_median),
		cmocka_unit_test(test_contention),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_pairs_nearest),
		cmocka_unit_test(test_guest_quiet),
		cmocka_unit_test(test_params_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
