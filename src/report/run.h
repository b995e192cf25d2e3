/* run.h - one run's inputs and outcome: the advertised topology, the
 * measurements, what was inferred and found, and the verdict. The
 * application (src/cli/app.c) fills it; every report reads it, and only it.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_RUN_H
#define VTC_RUN_H

#include <stdbool.h>

#include "src/advertised/platform.h"
#include "src/advertised/topo.h"
#include "src/analysis/finding.h"
#include "src/analysis/fingerprint.h"
#include "src/analysis/infer.h"
#include "src/analysis/results.h"
#include "src/vtc.h"

struct vtc_run {
	struct vtc_platform plat;
	struct vtc_topo sysfs, cpuid;
	bool have_sysfs, have_cpuid, live;
	struct vtc_findings consist;  /* sysfs vs CPUID */
	struct vtc_results res;
	bool have_results;
	bool measured_here; /* the results were probed by this process */
	struct vtc_inferred inf;
	bool have_inf;
	struct vtc_findings findings; /* comparison + consistency */
	enum vtc_exit status;
	char reason[320];
	char started[32];             /* ISO 8601 UTC */
	double wall_s;                /* whole run */
	char args[512];               /* command line, for the report */
	char err[512];
};

/* The run's fingerprints (fingerprint.h) into @topo and @host, each ""
 * where there is none: the topology's only for a judged run (a verdict
 * other than UNKNOWN: its groups are the judged ones), the host's only
 * for a run with measurements (its start signals). */
void vtc_run_fingerprints(const struct vtc_run *run, char topo[VTC_FINGERPRINT_LEN + 1],
			  char host[VTC_FINGERPRINT_LEN + 1]);

/* Empty, status UNKNOWN, started now, args the command line @argv. */
void vtc_run_init(struct vtc_run *run, int argc, char **argv);
/* Free what the run holds and zero it. */
void vtc_run_free(struct vtc_run *run);
/* Put the one-line error (printf @fmt) in run->err; returns @rc, so a
 * failing step can "return vtc_run_fail(run, -EINVAL, ...)". */
int vtc_run_fail(struct vtc_run *run, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
