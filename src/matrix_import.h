/* matrix_import.h - read latency matrices of other tools for offline analysis.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Two layouts, detected from the first line:
 *  - c2clat's text matrix: a header " CPU  0  1 ..." naming the CPUs, then one
 *    row per CPU "  <cpu> <ns> <ns> ...", full and possibly asymmetric (the
 *    two directions are averaged). vtopocheck --matrix writes "S" for a pair
 *    that only stalled and "-" for one not measured; both are accepted.
 *  - core-to-core-latency's --csv: n lines of n comma-separated cells, row i
 *    and column j being CPUs i and j, only the lower triangle filled (the
 *    upper cells are empty). An empty lower cell is "not measured"; "inf"
 *    (vtopocheck --matrix=csv) marks a stalled pair.
 * Values are one-way latencies in ns and must be finite and > 0.
 *
 * The result is a one-pass struct vtc_results (backend "import") without
 * contention data: inference then treats the fastest tier as "shared core or
 * shared cache" and cannot prove SMT on its own. */
#ifndef VTC_MATRIX_IMPORT_H
#define VTC_MATRIX_IMPORT_H

#include <stdio.h>

#include "results.h"

/* Parse @f into @out (initialised here; free with vtc_results_free).
 * Returns 0, -EINVAL with a description in @err (line and column named),
 * -ERANGE (a CPU number >= VTC_CPUSET_MAX or more than that many rows),
 * -ENOMEM. */
int vtc_matrix_import(FILE *f, struct vtc_results *out, char *err, size_t errlen);

#endif
