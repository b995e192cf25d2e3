/* report_json.h - the JSON report (schema "vtopocheck.report/1"): build it
 * from the model, results and findings, and load the parts --analyze needs.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The schema is documented field by field in docs/report.md. Everything
 * needed to re-judge a run offline (advertised models, platform, every raw
 * measurement) is stored; derived data (inferred groups, findings, verdict)
 * is stored too but recomputed by --analyze. */
#ifndef VTC_REPORT_JSON_H
#define VTC_REPORT_JSON_H

#include <jansson.h>

#include "finding.h"
#include "infer.h"
#include "platform.h"
#include "results.h"
#include "topo.h"

#define VTC_REPORT_SCHEMA "vtopocheck.report/1"

json_t *vtc_json_from_topo(const struct vtc_topo *t);
json_t *vtc_json_from_platform(const struct vtc_platform *p);
json_t *vtc_json_from_results(const struct vtc_results *r);
json_t *vtc_json_from_findings(const struct vtc_findings *fs);

/* Inverse conversions. Each validates types and ranges and returns 0,
 * -EINVAL (wrong type, missing field, out-of-range value; @err gets a short
 * description naming the field) or -ENOMEM. Outputs are initialised here;
 * on success the caller frees them with the module's free function, on
 * error nothing is left to free. */
int vtc_json_to_topo(const json_t *j, struct vtc_topo *t, char *err, size_t errlen);
int vtc_json_to_platform(const json_t *j, struct vtc_platform *p, char *err, size_t errlen);
int vtc_json_to_results(const json_t *j, struct vtc_results *r, char *err, size_t errlen);

/* Write @doc to @path atomically: a temporary file in the same directory,
 * fsync, rename. "-" writes to stdout. Returns 0 or -errno. */
int vtc_json_write_atomic(const json_t *doc, const char *path);

/* ---- Reports of any size in bounded memory --------------------------------
 * A fully measured 1024-vCPU guest has half a million pairs: as one jansson
 * document that is gigabytes. The report file is the same JSON, but its
 * measurements.pairs array is written and read one pair at a time. */

/* The measurements without their pairs ("pairs": []), for vtc_report_write. */
json_t *vtc_json_from_results_meta(const struct vtc_results *r);

/* Write @doc to @path (atomically; "-" = stdout). When @r is given, @doc's
 * measurements.pairs must be the empty array of vtc_json_from_results_meta:
 * the measured pairs of @r are streamed into it. Returns 0 or -errno. */
int vtc_report_write(const json_t *doc, const struct vtc_results *r, const char *path);

/* A pair parsed from a report before its results exist. */
struct vtc_stashed_pair {
	struct vtc_pair_result p;
	int npass;
};
struct vtc_pair_stash {
	int n, cap;
	struct vtc_stashed_pair *p;
};
void vtc_pair_stash_free(struct vtc_pair_stash *s);

/* Read a report file: *@doc gets the document with measurements.pairs
 * emptied, @stash the pairs, parsed one at a time. Returns 0, -EINVAL (not
 * JSON, or a malformed pair; @err says where), or -errno from reading. */
int vtc_report_read(const char *path, json_t **doc, struct vtc_pair_stash *stash, char *err,
		    size_t errlen);

/* vtc_json_to_results, taking the pairs from @stash as well (may be NULL). */
int vtc_json_to_results_stash(const json_t *j, const struct vtc_pair_stash *stash,
			      struct vtc_results *r, char *err, size_t errlen);

/* Tiers, inferred groups with confidence and evidence, floating pairs. */
json_t *vtc_json_from_inferred(const struct vtc_inferred *inf);

#endif
