/* matrix.h - the latency matrix as text (c2clat's layout) or CSV
 * (core-to-core-latency's --csv layout).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Cell value: the median over passes of each pass's median one-way latency
 * in ns (vtc_results_pair_median). Cells that were not measured and pairs
 * that only stalled (their handoffs took scheduler time slices: the two
 * vCPUs time-share one physical CPU) cannot be given a latency; they are
 * written as:
 *              text   CSV
 *   diagonal   0      (empty)
 *   unmeasured -      (empty, like core-to-core-latency's NaN)
 *   stalled    S      inf
 */
#ifndef VTC_MATRIX_H
#define VTC_MATRIX_H

#include <stdio.h>

#include "src/analysis/results.h"

enum vtc_matrix_format {
	VTC_MATRIX_TEXT, /* " CPU    0    1" header; one row per CPU, integer ns */
	VTC_MATRIX_CSV,  /* n rows of n cells, only the lower triangle (row > col) filled */
};

/* Cell state of pair (a, b): 1 measured (*ns set), 0 unmeasured, 2 stalled. */
int vtc_matrix_cell(const struct vtc_results *r, int a, int b, double *ns);

/* Write the matrix of @r to @f. Returns 0, -EINVAL (bad format or empty
 * results) or -EIO when writing failed. */
int vtc_matrix_print(FILE *f, const struct vtc_results *r, enum vtc_matrix_format fmt);

#endif
