/* report_load.h - load a JSON report (schema VTC_REPORT_SCHEMA, written by
 * report_json) for --analyze: the stored inputs back into the model.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Reports may come from other versions or be edited by hand: every field is
 * type- and range-checked, and the first problem is described in @err. */
#ifndef VTC_REPORT_LOAD_H
#define VTC_REPORT_LOAD_H

#include <jansson.h>

#include "src/advertised/platform.h"
#include "src/report/report_json.h"
#include "src/analysis/results.h"
#include "src/advertised/topo.h"

/* Inverse conversions of report_json's builders. Each validates types and
 * ranges and returns 0, -EINVAL (wrong type, missing field, out-of-range
 * value; @err gets a short description naming the field) or -ENOMEM.
 * Outputs are initialised here; on success the caller frees them with the
 * module's free function, on error nothing is left to free. */
int vtc_json_to_topo(const json_t *j, struct vtc_topo *t, char *err, size_t errlen);
int vtc_json_to_platform(const json_t *j, struct vtc_platform *p, char *err, size_t errlen);
int vtc_json_to_results(const json_t *j, struct vtc_results *r, char *err, size_t errlen);

/* ---- Reports of any size in bounded memory --------------------------------
 * A fully measured 1024-vCPU guest has half a million pairs: as one jansson
 * document that is gigabytes. The report file's measurements.pairs array is
 * read one pair at a time. */

/* A pair parsed from a report before its results exist. */
struct vtc_stashed_pair {
	struct vtc_pair_result p;
	int npass;
};
/* A watch sample before its results exist, as written (checked when
 * placed): CPUs instead of a pair index, ns NAN for null. */
struct vtc_stashed_sample {
	double t_s, ns;
	long long a, b;
};
/* How the stash keeps a pair: its passes only (a one-pass matrix of 4096
 * CPUs is 8.4 M pairs: 0.7 GB so, 2.5 GB as struct vtc_stashed_pair). */
struct vtc_stash_entry {
	int a, b, npass;
	int first; /* its passes: lat[first .. first + npass - 1] */
};
struct vtc_pair_stash {
	int n, cap;
	struct vtc_stash_entry *p;
	int n_lat, cap_lat;
	struct vtc_lat_stats *lat;
	int n_watch, cap_watch;       /* measurements.watch_samples */
	struct vtc_stashed_sample *w;
};
void vtc_pair_stash_free(struct vtc_pair_stash *s);

/* Read a report file: *@doc gets the document with measurements.pairs and
 * measurements.watch_samples emptied, @stash them, parsed one at a time.
 * Only those paths are streamed: a member of either name anywhere else is
 * an unknown field, left in *@doc. Returns 0, -EINVAL (not JSON, or a
 * malformed pair; @err says where), or -errno from reading. */
int vtc_report_read(const char *path, json_t **doc, struct vtc_pair_stash *stash, char *err,
		    size_t errlen);

/* vtc_json_to_results, taking the pairs from @stash as well (may be NULL). */
int vtc_json_to_results_stash(const json_t *j, const struct vtc_pair_stash *stash,
			      struct vtc_results *r, char *err, size_t errlen);

#endif
