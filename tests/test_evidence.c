/* test_evidence.c - the measurements as evidence (src/analysis/evidence.c):
 * the tier of every pair (the tier holding it, else the nearer on a log
 * scale), the corrections inference made (pair_scale), and the near-tier
 * sharing units: cliques of two in tier 0, at least two of them, else
 * twins read from the rows. Results and tiers are built by hand; no
 * inference runs.
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

#include "src/analysis/evidence.h"

typedef double (*pair_fn)(int a, int b);

struct ev {
	struct vtc_results r;
	struct vtc_inferred inf;
	struct vtc_evidence e;
};

/* CPUs @list read at @ns (<= 0: not measured), tiers [lo[t], hi[t]]. */
static void build(struct ev *x, const char *list, pair_fn ns, int n_tiers, const double *lo,
		  const double *hi)
{
	vtc_cpuset s;

	memset(x, 0, sizeof(*x));
	assert_int_equal(vtc_cpulist_parse(list, &s), 0);
	assert_int_equal(vtc_results_init(&x->r, &s, 1), 0);
	for (int k = 0; k < x->r.n_pairs; k++) {
		double v = ns(x->r.pairs[k].a, x->r.pairs[k].b);
		x->r.pairs[k].pass[0] = (struct vtc_lat_stats){.measured = v > 0, .samples = 10,
							       .median_ns = v};
	}
	x->inf.n_tiers = n_tiers;
	for (int t = 0; t < n_tiers; t++)
		x->inf.tier[t] = (struct vtc_tier){.lo_ns = lo[t], .hi_ns = hi[t]};
}

static void ev_init(struct ev *x)
{
	assert_int_equal(vtc_evidence_init(&x->e, &x->r, &x->inf), 0);
}

static void ev_free(struct ev *x)
{
	vtc_evidence_free(&x->e);
	vtc_results_free(&x->r);
	free(x->inf.pair_scale);
	memset(x, 0, sizeof(*x));
}

/* Siblings 2k, 2k+1 at 7 ns, the rest at 45 ns. */
static double smt(int a, int b)
{
	return a / 2 == b / 2 ? 7 : 45;
}

static const double smt_lo[] = {6, 40}, smt_hi[] = {8, 50};

/* ---- tiers --------------------------------------------------------------- */

static double spread(int a, int b)
{
	/* (0,1) in tier a, (0,2) in b, (1,2) in the gap nearer b on a log
	 * scale (14.5 ns: 1.45x above a's top, 1.38x below b's bottom; nearer
	 * a on a linear one), (0,3) not measured, (1,3) beyond b */
	static const double v[4][4] = {{0, 5, 25, 0}, {0, 0, 14.5, 90}, {0, 0, 0, 22}};
	return v[a][b];
}

static void test_pair_tiers(void **state)
{
	static const double lo[] = {4, 20}, hi[] = {10, 30};
	struct ev x;
	(void)state;

	build(&x, "0-3", spread, 2, lo, hi);
	ev_init(&x);
	assert_int_equal(x.e.n, 4);
	assert_int_equal(x.e.n_tiers, 2);
	assert_int_equal(vtc_evidence_tier(&x.e, 0, 1), 0);
	assert_int_equal(vtc_evidence_tier(&x.e, 1, 0), 0);
	assert_int_equal(vtc_evidence_tier(&x.e, 0, 2), 1);
	assert_int_equal(vtc_evidence_tier(&x.e, 1, 2), 1);
	assert_int_equal(vtc_evidence_tier(&x.e, 1, 3), 1);
	assert_int_equal(vtc_evidence_tier(&x.e, 0, 3), -1);
	assert_true(vtc_evidence_ns(&x.e, 0, 3) == -1);
	assert_true(vtc_evidence_ns(&x.e, 2, 1) == 14.5);
	/* the diagonal, unprobed and impossible CPUs */
	assert_int_equal(vtc_evidence_tier(&x.e, 2, 2), -1);
	assert_int_equal(vtc_evidence_tier(&x.e, 2, 4), -1);
	assert_int_equal(vtc_evidence_tier(&x.e, -1, 2), -1);
	assert_int_equal(vtc_evidence_tier(&x.e, 2, VTC_CPUSET_MAX), -1);
	assert_true(vtc_evidence_ns(&x.e, 2, 4) == -1);
	/* nearest partners */
	assert_int_equal(x.e.nearest[0], 1);
	assert_int_equal(x.e.nearest[2], 1);
	assert_int_equal(x.e.nearest[3], 2);
	ev_free(&x);
}

/* Without tiers every pair is without one; its value is still there, and
 * siblings are still found from the rows. */
static void test_no_tiers(void **state)
{
	struct ev x;
	(void)state;

	build(&x, "0-3", smt, 0, NULL, NULL);
	ev_init(&x);
	assert_int_equal(vtc_evidence_tier(&x.e, 0, 1), -1);
	assert_true(vtc_evidence_ns(&x.e, 0, 1) == 7);
	assert_true(x.e.units_by_rows);
	assert_int_equal(x.e.n_units, 2);
	ev_free(&x);
}

/* The corrections of inference (a busy row, a hiccup) apply to the values
 * and so to the tiers. */
static void test_pair_scale(void **state)
{
	struct ev x;
	(void)state;

	build(&x, "0-3", smt, 2, smt_lo, smt_hi);
	x.inf.pair_scale = calloc((size_t)x.r.n_pairs, sizeof(double));
	assert_non_null(x.inf.pair_scale);
	for (int k = 0; k < x.r.n_pairs; k++)
		x.inf.pair_scale[k] = 1;
	x.inf.pair_scale[vtc_pair_index(4, 1, 2)] = 0.15; /* 45 -> 6.75 ns */
	ev_init(&x);
	assert_true(vtc_evidence_ns(&x.e, 1, 2) == 45 * 0.15);
	assert_int_equal(vtc_evidence_tier(&x.e, 1, 2), 0);
	assert_true(vtc_evidence_ns(&x.e, 0, 1) == 7);
	ev_free(&x);
}

/* ---- units --------------------------------------------------------------- */

/* Pairs in tier 0, each a clique of two, four of them: units. */
static void test_units_from_tier(void **state)
{
	vtc_cpuset want;
	struct ev x;
	(void)state;

	build(&x, "0-7", smt, 2, smt_lo, smt_hi);
	ev_init(&x);
	assert_int_equal(x.e.n_units, 4);
	assert_false(x.e.units_by_rows);
	for (int v = 0; v < 8; v += 2) {
		int u = vtc_evidence_unit(&x.e, v);
		assert_true(u >= 0);
		assert_int_equal(vtc_evidence_unit(&x.e, v + 1), u);
		assert_int_equal(vtc_cpuset_count(&x.e.unit_cpus[u]), 2);
		assert_true(vtc_cpuset_test(&x.e.unit_cpus[u], v));
	}
	assert_int_not_equal(vtc_evidence_unit(&x.e, 1), vtc_evidence_unit(&x.e, 2));
	assert_int_equal(vtc_evidence_unit(&x.e, 8), -1);
	assert_int_equal(vtc_evidence_unit(&x.e, -3), -1);
	assert_true(vtc_evidence_clear_twins(&x.e, 0, 1));
	assert_false(vtc_evidence_clear_twins(&x.e, 1, 2));
	assert_false(vtc_evidence_clear_twins(&x.e, 1, 1));
	assert_false(vtc_evidence_clear_twins(&x.e, 1, 8));
	assert_false(vtc_evidence_clear_twins(&x.e, -1, 1));
	assert_int_equal(vtc_cpulist_parse("0,1", &want), 0);
	assert_true(vtc_evidence_all_in_tier(&x.e, &want, 0));
	assert_false(vtc_evidence_all_in_tier(&x.e, &want, 1));
	assert_int_equal(vtc_cpulist_parse("1,2,4", &want), 0);
	assert_true(vtc_evidence_all_in_tier(&x.e, &want, 1));
	assert_int_equal(vtc_cpulist_parse("0-2", &want), 0);
	assert_false(vtc_evidence_all_in_tier(&x.e, &want, 1));
	ev_free(&x);
}

/* One near pair is no tier of sharing (noise, or one CPU's row). */
static double one_pair(int a, int b)
{
	return a == 2 && b == 5 ? 7 : 45;
}

static double one_pair_of_4(int a, int b)
{
	return a == 0 && b == 1 ? 30 : 45;
}

static void test_one_pair_no_units(void **state)
{
	struct ev x;
	(void)state;

	build(&x, "0-7", one_pair, 2, smt_lo, smt_hi);
	ev_init(&x);
	assert_int_equal(vtc_evidence_tier(&x.e, 2, 5), 0);
	assert_int_equal(x.e.n_units, 0);
	assert_int_equal(vtc_evidence_unit(&x.e, 2), -1);
	/* the pair is still a pair of clear twins */
	assert_true(vtc_evidence_clear_twins(&x.e, 2, 5));
	ev_free(&x);

	/* nor from the rows: one pair of twins, though it holds half of 4 */
	build(&x, "0-3", one_pair_of_4, 1, smt_lo + 1, smt_hi + 1);
	ev_init(&x);
	assert_true(vtc_evidence_clear_twins(&x.e, 0, 1));
	assert_int_equal(x.e.n_units, 0);
	assert_false(x.e.units_by_rows);
	ev_free(&x);
}

/* Near cliques of three are no core (a small socket or cache reads so):
 * left to the cache and socket levels. */
static double threes(int a, int b)
{
	return a / 3 == b / 3 ? 7 : 45;
}

static void test_cliques_of_three_no_units(void **state)
{
	struct ev x;
	(void)state;

	build(&x, "0-8", threes, 2, smt_lo, smt_hi);
	ev_init(&x);
	assert_int_equal(x.e.n_units, 0);
	assert_false(x.e.units_by_rows);
	ev_free(&x);
}

/* Noise blurred the SMT tier into the next (one tier), but siblings stay
 * each other's nearest by a tier gap in both rows: units from the rows. */
static double blurred(int a, int b)
{
	return a / 2 == b / 2 ? 30 : 45; /* 1.5x: above VTC_TIER_GAP_MIN */
}

static double too_close(int a, int b)
{
	return a / 2 == b / 2 ? 38 : 45; /* 1.18x: below it */
}

static double two_twins(int a, int b)
{
	return a / 2 == b / 2 && a < 4 ? 30 : 45;
}

static void test_units_by_rows(void **state)
{
	static const double lo[] = {25}, hi[] = {50};
	struct ev x;
	(void)state;

	build(&x, "0-7", blurred, 1, lo, hi);
	ev_init(&x);
	assert_true(x.e.units_by_rows);
	assert_int_equal(x.e.n_units, 4);
	assert_int_equal(vtc_evidence_unit(&x.e, 6), vtc_evidence_unit(&x.e, 7));
	assert_int_not_equal(vtc_evidence_unit(&x.e, 5), vtc_evidence_unit(&x.e, 6));
	ev_free(&x);

	/* two pairs of twins among 8: a quarter of the vCPUs, enough */
	build(&x, "0-7", two_twins, 1, lo, hi);
	ev_init(&x);
	assert_true(x.e.units_by_rows);
	assert_int_equal(x.e.n_units, 2);
	assert_int_equal(vtc_evidence_unit(&x.e, 4), -1);
	ev_free(&x);

	build(&x, "0-7", too_close, 1, lo, hi);
	ev_init(&x);
	assert_false(x.e.units_by_rows);
	assert_int_equal(x.e.n_units, 0);
	assert_false(vtc_evidence_clear_twins(&x.e, 0, 1));
	ev_free(&x);
}

static void test_einval(void **state)
{
	struct ev x;
	(void)state;

	build(&x, "0-3", smt, 2, smt_lo, smt_hi);
	assert_int_equal(vtc_evidence_init(NULL, &x.r, &x.inf), -EINVAL);
	assert_int_equal(vtc_evidence_init(&x.e, NULL, &x.inf), -EINVAL);
	vtc_evidence_free(&x.e);
	assert_int_equal(vtc_evidence_init(&x.e, &x.r, NULL), -EINVAL);
	ev_free(&x);
	vtc_evidence_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_tiers),
		cmocka_unit_test(test_no_tiers),
		cmocka_unit_test(test_pair_scale),
		cmocka_unit_test(test_units_from_tier),
		cmocka_unit_test(test_one_pair_no_units),
		cmocka_unit_test(test_cliques_of_three_no_units),
		cmocka_unit_test(test_units_by_rows),
		cmocka_unit_test(test_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
