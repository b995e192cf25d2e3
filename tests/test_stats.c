/* test_stats.c - sorting, selection, medians, percentiles, summaries,
 * adaptive round trips per sample.
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

#include "src/analysis/stats.h"

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

/* Even n: the mean of the two middle values; odd n: the middle one. */
static void test_median_sorted_odd_even(void **state)
{
	double v[] = {1, 2, 4, 8, 16};
	(void)state;
	assert_true(vtc_stats_median_sorted(v, 5) == 4);
	assert_true(vtc_stats_median_sorted(v, 4) == 3);
	assert_true(vtc_stats_median_sorted(v, 1) == 1);
	assert_true(vtc_stats_median_sorted(v, 2) == 1.5);
	assert_true(isnan(vtc_stats_median_sorted(v, 0)));
}

/* Deterministic scrambled values, with ties (x % 97 repeats). */
static void fill(double *v, int n, unsigned seed)
{
	for (int i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (double)(seed % 97) + (double)((seed >> 16) % 8) * 0.37;
	}
}

/* select_kth puts the k-th smallest at v[k] with no larger value before it
 * and no smaller one after, for sizes on both sides of the sort cut-off. */
static void test_select_kth(void **state)
{
	static const int sizes[] = {1, 2, 16, 17, 18, 100, 1001};
	double v[1001], sorted[1001];
	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		int n = sizes[s];
		for (int k = 0; k < n; k += n / 7 + 1) {
			fill(v, n, (unsigned)(n * 31 + k));
			memcpy(sorted, v, (size_t)n * sizeof(*v));
			vtc_stats_sort(sorted, (size_t)n);
			vtc_stats_select_kth(v, (size_t)n, (size_t)k);
			assert_true(v[k] == sorted[k]);
			for (int i = 0; i < n; i++)
				assert_true(i < k ? v[i] <= v[k] : v[i] >= v[k]);
		}
	}
}

/* The in-place (quickselect) median is bit for bit the median of the sorted
 * values, odd and even n, small and large. */
static void test_median_inplace_matches_sorted(void **state)
{
	double v[1000], sorted[1000];
	(void)state;
	for (int n = 0; n <= 1000; n += n < 40 ? 1 : 97) {
		fill(v, n, (unsigned)n);
		memcpy(sorted, v, (size_t)n * sizeof(*v));
		vtc_stats_sort(sorted, (size_t)n);
		double a = vtc_stats_median_inplace(v, (size_t)n);
		double b = vtc_stats_median_sorted(sorted, (size_t)n);
		assert_true(n == 0 ? isnan(a) && isnan(b) : memcmp(&a, &b, sizeof(a)) == 0);
	}
	double even[] = {7, 1, 5, 3};
	assert_true(vtc_stats_median_inplace(even, 4) == 4);
}

static void test_cmp_double(void **state)
{
	double a = 1, b = 2;
	(void)state;
	assert_true(vtc_stats_cmp_double(&a, &b) < 0);
	assert_true(vtc_stats_cmp_double(&b, &a) > 0);
	assert_int_equal(vtc_stats_cmp_double(&a, &a), 0);
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
		cmocka_unit_test(test_median_sorted_odd_even),
		cmocka_unit_test(test_select_kth),
		cmocka_unit_test(test_median_inplace_matches_sorted),
		cmocka_unit_test(test_cmp_double),
		cmocka_unit_test(test_summarize),
		cmocka_unit_test(test_adapt_k),
		cmocka_unit_test(test_spread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
