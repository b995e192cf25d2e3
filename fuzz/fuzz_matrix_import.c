/* fuzz_matrix_import.c - the c2clat / core-to-core-latency matrix importer
 * (src/report/matrix_import.h), and inference and the matrix report on what it
 * imported (vtopocheck --analyze --matrix FILE).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "src/analysis/infer.h"
#include "src/report/matrix_import.h"
#include "src/report/report_json.h"
#include "src/report/report_load.h"
#include "src/report/report_text.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct vtc_results r;
	struct vtc_inferred inf;
	char err[200];
	FILE *f;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	/* The guard --analyze --matrix runs: CPUs checked against a machine
	 * of 8 online CPUs before the grid is sized. */
	if (!(f = fmemopen((void *)data, size, "r")))
		abort();
	vtc_cpuset online;
	vtc_cpulist_parse("0-7", &online);
	if (vtc_matrix_import_within(f, &online, &r, err, sizeof(err)) == 0) {
		if (!vtc_cpuset_subset(&r.probed, &online))
			abort(); /* the guard let a CPU outside the machine through */
		vtc_results_free(&r);
	}
	fclose(f);
	if (!(f = fmemopen((void *)data, size, "r")))
		abort();
	if (vtc_matrix_import(f, &r, err, sizeof(err)) == 0) {
		json_t *j = vtc_json_from_results(&r);
		struct vtc_results back;
		if (!j || vtc_json_to_results(j, &back, err, sizeof(err)) != 0)
			abort(); /* an imported matrix must be storable in a report */
		vtc_results_free(&back);
		json_decref(j);
		if (r.n >= 2 && vtc_infer(&r, NULL, &inf) == 0)
			vtc_text_matrix(null, &r, &inf, false, true);
		if (r.n >= 2)
			vtc_inferred_free(&inf);
		vtc_results_free(&r);
	}
	fclose(f);
	return 0;
}
