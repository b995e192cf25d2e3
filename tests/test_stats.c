/* test_stats.c - percentiles, summaries, adaptive round trips per sample.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "stats.h"

static void test_percentile_interpolates(void **state)
{
	double v[] = {10, 20, 30, 40, 50};
	(void)state;
	assert_float_equal(vtc_stats_percentile(v, 5, 0), 10, 1e-9);
	assert_float_equal(vtc_stats_percentile(v, 5, 50), 30, 1e-9);
	assert_float_equal(vtc_stats_percentile(v, 5, 100), 50, 1e-9);
	assert_float_equal(vtc_stats_percentile(v, 5, 10), 14, 1e-9);  /* 0.4 of 10..20 */
	assert_float_equal(vtc_stats_percentile(v, 5, 90), 46, 1e-9);
	assert_float_equal(vtc_stats_percentile(v, 4, 50), 25, 1e-9); /* even n */
	assert_float_equal(vtc_stats_percentile(v, 1, 37), 10, 1e-9);
}

static void test_percentile_bad_input(void **state)
{
	double v[] = {1, 2};
	(void)state;
	assert_true(isnan(vtc_stats_percentile(v, 0, 50)));
	assert_true(isnan(vtc_stats_percentile(v, 2, -1)));
	assert_true(isnan(vtc_stats_percentile(v, 2, 100.5)));
	assert_true(isnan(vtc_stats_percentile(v, 2, NAN)));
	assert_true(isnan(vtc_stats_median(v, 0)));
}

static void test_median_leaves_input(void **state)
{
	double v[] = {5, 1, 4, 2, 3}, big[1001];
	(void)state;
	assert_float_equal(vtc_stats_median(v, 5), 3, 1e-9);
	assert_float_equal(v[0], 5, 0); /* untouched */
	for (int i = 0; i < 1001; i++)
		big[i] = 1000 - i;
	assert_float_equal(vtc_stats_median(big, 1001), 500, 1e-9);
	assert_float_equal(big[0], 1000, 0);
}

static void test_summarize(void **state)
{
	double v[100];
	struct vtc_lat_stats st;
	(void)state;
	for (int i = 0; i < 100; i++)
		v[i] = 100 - i; /* 100..1, unsorted */
	memset(&st, 0, sizeof(st));
	st.discarded = 7;
	assert_int_equal(vtc_stats_summarize(v, 100, &st), 0);
	assert_int_equal(st.samples, 100);
	assert_int_equal(st.discarded, 7); /* other fields untouched */
	assert_float_equal(st.min_ns, 1, 1e-9);
	assert_float_equal(st.p10_ns, 10.9, 1e-9);
	assert_float_equal(st.median_ns, 50.5, 1e-9);
	assert_float_equal(st.p90_ns, 90.1, 1e-9);
	assert_true(st.min_ns <= st.p10_ns && st.p10_ns <= st.median_ns && st.median_ns <= st.p90_ns);
	assert_int_equal(vtc_stats_summarize(v, 0, &st), -EINVAL);
}

static void test_adapt_k(void **state)
{
	(void)state;
	/* 20 us target: 50 ns round trips -> 400; 1 ms (stacked) -> kmin. */
	assert_int_equal(vtc_stats_adapt_k(50, 20000, 1, 1u << 20), 400);
	assert_int_equal(vtc_stats_adapt_k(1e6, 20000, 1, 1u << 20), 1);
	assert_int_equal(vtc_stats_adapt_k(0.001, 20000, 1, 1000), 1000);
	assert_int_equal(vtc_stats_adapt_k(0, 20000, 4, 1000), 4);
	assert_int_equal(vtc_stats_adapt_k(-3, 20000, 4, 1000), 4);
	assert_int_equal(vtc_stats_adapt_k(NAN, 20000, 4, 1000), 4);
	assert_int_equal(vtc_stats_adapt_k(INFINITY, 20000, 4, 1000), 4);
	assert_int_equal(vtc_stats_adapt_k(30, 20000, 0, 0), 1); /* bounds fixed up */
	assert_int_equal(vtc_stats_adapt_k(33, 100, 1, 1000), 3);  /* rounded */
}

static void test_spread(void **state)
{
	double v[] = {10, 0, 30, -1, 15};
	(void)state;
	assert_float_equal(vtc_stats_spread(v, 5), 3.0, 1e-9); /* non-positive ignored */
	assert_float_equal(vtc_stats_spread(v, 1), 1.0, 1e-9);
	assert_float_equal(vtc_stats_spread(v, 0), 1.0, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile_interpolates),
		cmocka_unit_test(test_percentile_bad_input),
		cmocka_unit_test(test_median_leaves_input),
		cmocka_unit_test(test_summarize),
		cmocka_unit_test(test_adapt_k),
		cmocka_unit_test(test_spread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
