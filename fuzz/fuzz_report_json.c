/* fuzz_report_json.c - the JSON report loaders (src/report/report_load.h) after
 * json_loadb, and everything --analyze feeds their output to: inference,
 * comparison, verdict, the JSON and text reports.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each loader is tried on the document itself and on its report section, so
 * the fuzzer reaches them without first having to build a whole report.
 * Property checked: whatever loads, once written back, loads again. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/compare.h"
#include "src/report/report_json.h"
#include "src/report/report_load.h"
#include "src/report/report_text.h"
#include "src/analysis/verdict.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null;

/* The loader's section in a whole report, else the document itself. */
static const json_t *section(const json_t *doc, const char *a, const char *b)
{
	const json_t *j = json_object_get(doc, a);

	if (j && b)
		j = json_object_get(j, b);
	return j ? j : doc;
}

static int load_topo(const json_t *doc, struct vtc_topo *t)
{
	char err[160];
	int rc = vtc_json_to_topo(section(doc, "advertised", "sysfs"), t, err, sizeof(err));
	json_t *back;

	if (rc)
		return rc;
	back = vtc_json_from_topo(t);
	struct vtc_topo t2;
	if (!back || vtc_json_to_topo(back, &t2, err, sizeof(err)) != 0)
		abort(); /* a loaded topology must survive its own round trip */
	vtc_topo_free(&t2);
	json_decref(back);
	vtc_text_topo(null, t);
	return 0;
}

/* The loader sizes the results by the probed set (n(n-1)/2 pair slots, 2.7 GB
 * for 4096 CPUs) before reading pairs; bounding that is the caller's job
 * (the app checks it against the advertised model, fuzz_app_report covers
 * it), so this target keeps to sets whose allocation fits its memory limit. */
static bool probed_fits(const json_t *meas)
{
	vtc_cpuset s;
	const char *text = json_string_value(json_object_get(meas, "probed"));

	return !text || vtc_cpulist_parse(text, &s) != 0 || vtc_cpuset_count(&s) <= 1024;
}

static int load_results(const json_t *doc, struct vtc_results *r)
{
	const json_t *meas = section(doc, "measurements", NULL);
	char err[160];
	json_t *back;
	int rc;

	if (!probed_fits(meas))
		return -E2BIG;
	rc = vtc_json_to_results(meas, r, err, sizeof(err));
	if (rc)
		return rc;
	back = vtc_json_from_results(r);
	struct vtc_results r2;
	if (!back || vtc_json_to_results(back, &r2, err, sizeof(err)) != 0)
		abort();
	vtc_results_free(&r2);
	json_decref(back);
	return 0;
}

static void judge(const struct vtc_results *r, const struct vtc_topo *t,
		  const struct vtc_platform *p)
{
	struct vtc_inferred inf;
	struct vtc_findings fs = { 0 };
	char reason[320];
	json_t *j;

	if (vtc_infer(r, t, &inf) == 0) {
		if (t)
			vtc_compare(&inf, r, t, p, &fs);
		vtc_verdict(&inf, &fs, reason, sizeof(reason));
		j = vtc_json_from_inferred(&inf);
		json_decref(j);
		j = vtc_json_from_findings(&fs);
		json_decref(j);
		vtc_text_findings(null, &fs);
		vtc_text_matrix(null, r, &inf, false, false);
	}
	vtc_findings_free(&fs);
	vtc_inferred_free(&inf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtc_platform p;
	struct vtc_results r;
	struct vtc_topo t;
	json_error_t jerr;
	json_t *doc;
	char err[160];
	int have_t, have_p;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	if (!(doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr)))
		return 0;
	have_p = vtc_json_to_platform(section(doc, "platform", NULL), &p, err, sizeof(err)) == 0;
	if (have_p)
		vtc_text_platform(null, &p);
	have_t = load_topo(doc, &t) == 0;
	/* On error the loaders leave nothing to free (never initialised, or
	 * already released). */
	if (load_results(doc, &r) == 0) {
		judge(&r, have_t ? &t : NULL, have_p ? &p : NULL);
		vtc_results_free(&r);
	}
	if (have_t)
		vtc_topo_free(&t);
	json_decref(doc);
	return 0;
}
