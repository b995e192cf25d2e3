/* app.h - one run of vtopocheck: load what the guest is told, measure,
 * judge. main.c drives it; the report_* modules write it out.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Functions return 0 or -errno; on error app->err holds one line naming the
 * thing that failed and what to do, ready for "vtopocheck: <err>". */
#ifndef VTC_APP_H
#define VTC_APP_H

#include <stdbool.h>

#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/advertised/platform.h"
#include "src/analysis/results.h"
#include "probes/schedule.h"
#include "src/advertised/topo.h"
#include "src/vtc.h"

struct vtc_app {
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

void vtc_app_init(struct vtc_app *app, int argc, char **argv);
void vtc_app_free(struct vtc_app *app);

/* Read the advertised topology from sysfs under @sysroot ("/" = this
 * machine) and CPUID (live on this machine, or from @cpuid_dump), identify
 * the platform and check the two sources against each other. */
int vtc_app_load_advertised(struct vtc_app *app, const char *sysroot, const char *cpuid_dump);

/* Probe the allowed online CPUs (restricted to @only when non-NULL). */
int vtc_app_measure(struct vtc_app *app, const vtc_cpuset *only,
		    const struct vtc_probe_params *params, volatile int *stop,
		    vtc_progress_fn progress, void *progress_arg);

/* Infer, compare, and decide the verdict (app->status, app->reason). */
int vtc_app_judge(struct vtc_app *app);

/* Judge only what the guest is told (--advertised): the sysfs-vs-CPUID
 * findings decide app->status and app->reason. */
int vtc_app_judge_advertised(struct vtc_app *app);

/* Load the stored inputs of a JSON report (platform, advertised models,
 * measurements) for re-judging. */
int vtc_app_load_report(struct vtc_app *app, const char *path);

/* Load another tool's latency matrix (c2clat text or core-to-core-latency
 * CSV, see matrix_import.h) as the measurements; the advertised topology
 * must be loaded first, and must hold every CPU of the matrix. */
int vtc_app_import_matrix(struct vtc_app *app, const char *path);

#endif
