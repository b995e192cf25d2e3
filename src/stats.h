/* stats.h - pure statistics for probe samples: sorting, percentiles,
 * adaptive round trips per sample.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_STATS_H
#define VTC_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "results.h"

/* Sort @v (@n values) ascending in place. */
void vtc_stats_sort(double *v, size_t n);

/* Percentile @p (0..100) of sorted @v by linear interpolation between the
 * closest ranks (numpy's default). Returns NAN when @n is 0 or @p is out of
 * range. */
double vtc_stats_percentile(const double *sorted, size_t n, double p);

/* Median of unsorted @v, which is left untouched (a copy is sorted).
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

/* max/min of the positive values in @v; 1.0 when fewer than two. */
double vtc_stats_spread(const double *v, size_t n);

#endif
