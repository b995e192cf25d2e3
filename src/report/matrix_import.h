/* matrix_import.h - read latency matrices of other tools for offline analysis.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Two layouts, detected from the first line:
 *  - c2clat's text matrix: a header " CPU  0  1 ..." naming the CPUs, then one
 *    row per CPU "  <cpu> <ns> <ns> ...", full and possibly asymmetric (the
 *    two directions are averaged). vtopocheck --matrix writes "S" for a pair
 *    that only stalled and "-" for one not measured; both are accepted.
 *  - vtopocheck --matrix=csv when the CPUs are not 0..n-1: the same with
 *    commas, "CPU,<cpu>,<cpu>..." then rows "<cpu>,<cells>", so the ids
 *    survive the round trip;
 *  - core-to-core-latency's --csv: n lines of n comma-separated cells, row i
 *    and column j being CPUs i and j, only the lower triangle filled (the
 *    upper cells are empty). An empty lower cell is "not measured"; "inf"
 *    (vtopocheck --matrix=csv) marks a stalled pair.
 * Lines are at most VTC_MATRIX_LINE_MAX bytes (24 per cell), so what is
 * read is bounded before it is held.
 * Values are one-way latencies in ns, from 1e-30 to below 1e12 (a 0 cell
 * is a diagonal placeholder). The two directions of a pair may differ up
 * to 100x (a floating guest measures each at another moment); more is a
 * stall or an edit, refused with both cells named.
 *
 * The result is a one-pass struct vtc_results (backend "import") without
 * contention data: inference then treats the fastest tier as "shared core or
 * shared cache" and cannot prove SMT on its own. */
#ifndef VTC_MATRIX_IMPORT_H
#define VTC_MATRIX_IMPORT_H

#include <stdio.h>

#include "src/analysis/results.h"

/* Parse @f into @out (initialised here; free with vtc_results_free).
 * Returns 0, -EINVAL with a description in @err (line and column named),
 * -ERANGE (a CPU number >= VTC_CPUSET_MAX or more than that many rows),
 * -ENOMEM. */
int vtc_matrix_import(FILE *f, struct vtc_results *out, char *err, size_t errlen);

#define VTC_MATRIX_LINE_MAX ((VTC_CPUSET_MAX + 1) * 24)

/* vtc_matrix_import, the CPUs checked against @allowed (the advertised
 * online CPUs; NULL: any) before anything is sized by their count:
 * -ENXIO naming both sets. -E2BIG for a line over VTC_MATRIX_LINE_MAX,
 * -EINTR when the stop flag (stop.h) rises. */
int vtc_matrix_import_within(FILE *f, const vtc_cpuset *allowed, struct vtc_results *out,
			     char *err, size_t errlen);

#endif
