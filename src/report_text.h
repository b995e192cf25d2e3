/* report_text.h - the human-readable report.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_REPORT_TEXT_H
#define VTC_REPORT_TEXT_H

#include <stdio.h>

#include "finding.h"
#include "infer.h"
#include "results.h"
#include "platform.h"
#include "topo.h"

/* Per-vCPU table (like a compact `lscpu -e`) and the groups of every known
 * level, for one advertised source. */
void vtc_text_topo(FILE *out, const struct vtc_topo *t);
/* One line on the machine: model, hypervisor and why we think so. */
void vtc_text_platform(FILE *out, const struct vtc_platform *p);
/* Findings, each with evidence, cost and fix, wrapped for a terminal. */
void vtc_text_findings(FILE *out, const struct vtc_findings *fs);

/* The one-way latency matrix (median ns) with each cell marked by its
 * latency tier (a = fastest); colour by tier when @color. Guests above 16
 * vCPUs get a tier summary instead, unless @full. */
void vtc_text_matrix(FILE *out, const struct vtc_results *r, const struct vtc_inferred *inf,
		     bool color, bool full);

#endif
