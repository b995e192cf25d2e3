/* fuzz_app_report.c - vtopocheck --analyze REPORT end to end: the saved
 * report loader (src/report/load_run.h vtc_run_load_report), the judgement and the
 * report it writes, on a report file holding the fuzz input.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "src/cli/app.h"
#include "src/report/load_run.h"
#include "src/report/report_json.h"
#include "src/report/report_text.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *argv[] = { "vtopocheck", "--analyze", "report.json", NULL };
	static char path[4200];
	static FILE *null;
	struct vtc_run app;

	if (!null) {
		snprintf(path, sizeof(path), "%s/report.json", fuzz_scratch());
		if (!(null = fopen("/dev/null", "w")))
			abort();
	}
	if (fuzz_write_file(fuzz_scratch(), "report.json", data, size) != 0)
		abort();
	vtc_run_init(&app, 3, argv);
	/* Through the same bounded, regular-file-only reader and claim checks
	 * as the CLI: a loaded report never probes a CPU it does not list. */
	if (vtc_run_load_report(&app, path) == 0 && vtc_app_judge(&app) == 0) {
		if (!vtc_cpuset_subset(&app.res.probed, &app.sysfs.online))
			abort();
		vtc_json_dump_app(null, &app);
		vtc_text_platform(null, &app.plat);
		vtc_text_topo(null, &app.sysfs);
		vtc_text_findings(null, &app.findings);
	}
	vtc_run_free(&app);
	return 0;
}
