/* report_text.h - the human-readable report.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_REPORT_TEXT_H
#define VTC_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/analysis/results.h"
#include "src/advertised/platform.h"
#include "src/advertised/topo.h"
#include "src/report/textflow.h"

/* Every vtc_text_ function below fits its lines to vtc_text_width(out)
 * (textflow.h; the matrix too: its columns go in blocks). */
/* Per-vCPU table (like a compact `lscpu -e`) and the groups of every known
 * level, for one advertised source. */
void vtc_text_topo(FILE *out, const struct vtc_topo *t);
/* One line on the machine: model, hypervisor and why we think so. */
void vtc_text_platform(FILE *out, const struct vtc_platform *p);
/* Findings, each with evidence, cost and fix, wrapped for a terminal. */
void vtc_text_findings(FILE *out, const struct vtc_findings *fs);

/* The one-way latency matrix (median ns) with each cell marked by its
 * latency tier (a = fastest); colour by tier when @color. Guests above 16
 * vCPUs get a tier summary instead, unless @full. Columns beyond the width
 * continue in blocks below, each with its header row. */
void vtc_text_matrix(FILE *out, const struct vtc_results *r, const struct vtc_inferred *inf,
		     bool color, bool full);

struct vtc_run;

/* The report of a run that measured (or imported, or loaded) latencies: the
 * verdict line, then unless @quiet the platform, what was measured, the
 * advertised and measured groups side by side, the matrix (see
 * vtc_text_matrix for @color and @full) and the findings. */
void vtc_text_run(FILE *out, const struct vtc_run *app, bool quiet, bool color, bool full);

/* The report of --advertised: the verdict line, then unless @quiet the
 * platform, the sysfs and CPUID models and their consistency findings. */
void vtc_text_advertised(FILE *out, const struct vtc_run *app, bool quiet);

#endif
