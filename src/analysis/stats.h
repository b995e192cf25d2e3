/* stats.h - pure statistics for probe samples: sorting, percentiles,
 * adaptive round trips per sample.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_STATS_H
#define VTC_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "src/analysis/results.h"

/* qsort() comparator of doubles, ascending: the one order of doubles used
 * everywhere (NaN compares equal to everything, so callers keep NaN out). */
int vtc_stats_cmp_double(const void *x, const void *y);

/* Sort @v (@n values) ascending in place: insertion sort for the few values
 * of one pair (a qsort call costs more than the sort), qsort beyond. For
 * NaN-free input the result is the same whatever the method. */
void vtc_stats_sort(double *v, size_t n);

/* Move the @k-th smallest (0-based, k < n) of @v to v[k], smaller or equal
 * ones before it and larger or equal ones after (quickselect, linear time).
 * NaN-free input only. */
void vtc_stats_select_kth(double *v, size_t n, size_t k);

/* Median of sorted @v: the middle value, or the mean (a + b) / 2 of the two
 * middle values for even @n. NAN when @n is 0. */
double vtc_stats_median_sorted(const double *sorted, size_t n);

/* Median of NaN-free @v, which is reordered (sorted when n <= 16, else in
 * an unspecified order): the same two middle values as
 * vtc_stats_median_sorted() of the sorted values, hence the same double,
 * in linear time. NAN when @n is 0. */
double vtc_stats_median_inplace(double *v, size_t n);

/* Percentile @p (0..100) of sorted @v by linear interpolation between the
 * closest ranks (numpy's default). Returns NAN when @n is 0 or @p is out of
 * range. */
double vtc_stats_percentile(const double *sorted, size_t n, double p);

/* Median of unsorted @v, which is left untouched (a copy is selected):
 * the same double as vtc_stats_median_sorted() and the median_ns of
 * vtc_stats_summarize(), the one median of the code base.
 * Returns NAN for n == 0 or when memory runs out. */
double vtc_stats_median(const double *v, size_t n);

/* Fill min/p10/median/p90 and samples of @out from @n one-way samples (ns);
 * @v is sorted in place. Leaves the other fields alone.
 * Returns 0, or -EINVAL when @n is 0. */
int vtc_stats_summarize(double *v, size_t n, struct vtc_lat_stats *out);

/* Round trips per sample so that one sample lasts about @target_ns, given
 * one round trip took @rt_ns; clamped to [kmin, kmax]. A non-positive or
 * non-finite @rt_ns (a broken clock) yields kmin. */
uint32_t vtc_stats_adapt_k(double rt_ns, double target_ns, uint32_t kmin, uint32_t kmax);

/* Spread of sorted values: the interquartile range (x[3n/4] - x[n/4]),
 * half the range for fewer than four values, 0 for fewer than two. The
 * tiers and the window's modes measure a cluster's width with it. */
double vtc_stats_spread_sorted(const double *sorted, size_t n);

/* max/min of the positive values in @v; 1.0 when fewer than two. */
double vtc_stats_spread(const double *v, size_t n);

#endif
