/* report_json.h - the JSON report (schema "vtopocheck.report/2"): built from
 * one run (struct vtc_run) and written in order, the measured pairs
 * streamed. report_load reads it back.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The schema is documented field by field in docs/report.md. Everything
 * needed to re-judge a run offline (advertised models, platform, every raw
 * measurement) is stored; derived data (inferred groups, findings, verdict)
 * is stored too but recomputed by --analyze. */
#ifndef VTC_REPORT_JSON_H
#define VTC_REPORT_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/advertised/platform.h"
#include "src/analysis/results.h"
#include "src/advertised/topo.h"

#define VTC_REPORT_SCHEMA "vtopocheck.report/2"
/* The schema before pairs were written positionally (vtopocheck 0.3 and
 * earlier): --analyze still reads it. */
#define VTC_REPORT_SCHEMA_V1 "vtopocheck.report/1"
/* A pass of a pair in schema 2: [stalled, samples, stalls, median_ns,
 * p10_ns, p90_ns, handoff_ns, t_start_s], or null when not measured. */
#define VTC_REPORT_PASS_FIELDS 8

struct vtc_run;

/* The report's sections as jansson values (NULL on ENOMEM). */
json_t *vtc_json_from_topo(const struct vtc_topo *t);
json_t *vtc_json_from_platform(const struct vtc_platform *p);
json_t *vtc_json_from_findings(const struct vtc_findings *fs);
/* Tiers, inferred groups with confidence and evidence, floating pairs. */
json_t *vtc_json_from_inferred(const struct vtc_inferred *inf);
/* The run's fingerprints (run.h): {"topology", "topology_groups", "host",
 * "host_signals"}, the hashes and the canonical texts they hash, each null
 * where there is none. NULL when out of memory. */
json_t *vtc_json_from_fingerprints(const struct vtc_run *app);
/* The measurements section exactly as the report file holds it (the pairs
 * as written, then parsed back): for round trips of small results only. */
json_t *vtc_json_from_results(const struct vtc_results *r);

/* ---- Reports of any size in bounded memory --------------------------------
 * A fully measured 1024-vCPU guest has half a million pairs: as one jansson
 * document that is gigabytes. The report is written member by member, in
 * order, and its measurements.pairs array one pair per line. */

/* Write the whole report of @app to @f. Returns 0, -ENOMEM or -EIO. */
int vtc_json_dump_app(FILE *f, const struct vtc_run *app);

/* Write the whole report of @app to @path atomically ("-" = stdout; see
 * vtc_output_write_atomic). Returns 0 or -errno. */
int vtc_json_write_app(const struct vtc_run *app, const char *path);

#endif
