/* stats.c - pure statistics for probe samples.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "vtc.h"

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

void vtc_stats_sort(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_double);
}

double vtc_stats_percentile(const double *sorted, size_t n, double p)
{
	if (n == 0 || !(p >= 0.0 && p <= 100.0))
		return NAN;
	double pos = p / 100.0 * (double)(n - 1);
	size_t lo = (size_t)pos;
	if (lo >= n - 1)
		return sorted[n - 1];
	double frac = pos - (double)lo;
	return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * frac;
}

double vtc_stats_median(const double *v, size_t n)
{
	double small[64], *tmp = small, m;

	if (n == 0)
		return NAN;
	if (n > VTC_ARRAY_SIZE(small)) {
		tmp = malloc(n * sizeof(*tmp));
		if (!tmp)
			return NAN;
	}
	memcpy(tmp, v, n * sizeof(*tmp));
	vtc_stats_sort(tmp, n);
	m = vtc_stats_percentile(tmp, n, 50.0);
	if (tmp != small)
		free(tmp);
	return m;
}

int vtc_stats_summarize(double *v, size_t n, struct vtc_lat_stats *out)
{
	if (n == 0)
		return -EINVAL;
	vtc_stats_sort(v, n);
	out->samples = (uint32_t)n;
	out->min_ns = v[0];
	out->p10_ns = vtc_stats_percentile(v, n, 10.0);
	out->median_ns = vtc_stats_percentile(v, n, 50.0);
	out->p90_ns = vtc_stats_percentile(v, n, 90.0);
	return 0;
}

uint32_t vtc_stats_adapt_k(double rt_ns, double target_ns, uint32_t kmin, uint32_t kmax)
{
	if (kmin < 1)
		kmin = 1;
	if (kmax < kmin)
		kmax = kmin;
	if (!(rt_ns > 0.0) || !isfinite(rt_ns) || !(target_ns > 0.0))
		return kmin;
	double k = target_ns / rt_ns;
	if (k <= (double)kmin)
		return kmin;
	if (k >= (double)kmax)
		return kmax;
	return (uint32_t)llround(k);
}

double vtc_stats_spread(const double *v, size_t n)
{
	double lo = INFINITY, hi = 0.0;
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		if (!(v[i] > 0.0) || !isfinite(v[i]))
			continue;
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
		used++;
	}
	return used < 2 ? 1.0 : hi / lo;
}
