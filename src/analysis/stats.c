/* stats.c - pure statistics for probe samples.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/stats.h"
#include "src/vtc.h"

/* Up to this many values, insertion sort beats a qsort call. */
#define SORT_SMALL 16

int vtc_stats_cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

void vtc_stats_sort(double *v, size_t n)
{
	if (n > SORT_SMALL) {
		qsort(v, n, sizeof(*v), vtc_stats_cmp_double);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void swap_d(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

/* Median-of-three pivot of v[lo..hi], left at v[mid]. */
static double pivot3(double *v, size_t lo, size_t mid, size_t hi)
{
	if (v[mid] < v[lo])
		swap_d(&v[mid], &v[lo]);
	if (v[hi] < v[lo])
		swap_d(&v[hi], &v[lo]);
	if (v[hi] < v[mid])
		swap_d(&v[hi], &v[mid]);
	return v[mid];
}

void vtc_stats_select_kth(double *v, size_t n, size_t k)
{
	/* signed: j may step below lo (to lo - 1 at 0) during partitioning */
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

	if (n == 0 || k >= n)
		return;
	while (hi - lo > SORT_SMALL) {
		ptrdiff_t i = lo, j = hi;
		double pivot = pivot3(v, (size_t)lo, (size_t)(lo + (hi - lo) / 2), (size_t)hi);
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
				swap_d(&v[i++], &v[j--]);
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			return; /* v[j+1..i-1] all equal the pivot */
	}
	vtc_stats_sort(&v[lo], (size_t)(hi - lo + 1));
}

double vtc_stats_median_sorted(const double *sorted, size_t n)
{
	if (n == 0)
		return NAN;
	return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

double vtc_stats_median_inplace(double *v, size_t n)
{
	double lo, hi;

	if (n <= SORT_SMALL) {
		vtc_stats_sort(v, n);
		return vtc_stats_median_sorted(v, n);
	}
	vtc_stats_select_kth(v, n, n / 2);
	hi = v[n / 2];
	if (n % 2)
		return hi;
	/* the lower middle value is the largest of the lower half */
	lo = v[0];
	for (size_t i = 1; i < n / 2; i++)
		lo = fmax(lo, v[i]);
	return (lo + hi) / 2;
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
	m = vtc_stats_median_inplace(tmp, n);
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
	out->median_ns = vtc_stats_median_sorted(v, n);
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

double vtc_stats_spread_sorted(const double *x, size_t n)
{
	if (n < 2)
		return 0;
	if (n < 4)
		return (x[n - 1] - x[0]) / 2;
	return x[3 * n / 4] - x[n / 4];
}
