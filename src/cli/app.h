/* app.h - one run of vtopocheck: load what the guest is told, measure,
 * judge, into a struct vtc_run (src/report/run.h). main.c drives it; the
 * report_* modules write the run out.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Functions return 0 or -errno; on error app->err holds one line naming the
 * thing that failed and what to do, ready for "vtopocheck: <err>". */
#ifndef VTC_APP_H
#define VTC_APP_H

#include <stdbool.h>

#include "probes/schedule.h"
#include "src/report/run.h"


/* Read the advertised topology from sysfs under @sysroot ("/" = this
 * machine) and CPUID (live on this machine, or from @cpuid_dump), identify
 * the platform and check the two sources against each other. */
int vtc_app_load_advertised(struct vtc_run *app, const char *sysroot, const char *cpuid_dump);

/* Probe the allowed online CPUs (restricted to @only when non-NULL). */
int vtc_app_measure(struct vtc_run *app, const vtc_cpuset *only,
		    const struct vtc_probe_params *params,
		    vtc_progress_fn progress, void *progress_arg);

/* Infer, compare, and decide the verdict (app->status, app->reason). */
int vtc_app_judge(struct vtc_run *app);

/* Judge only what the guest is told (--advertised): the sysfs-vs-CPUID
 * findings decide app->status and app->reason. */
int vtc_app_judge_advertised(struct vtc_run *app);

/* Load another tool's latency matrix (c2clat text or core-to-core-latency
 * CSV, see matrix_import.h) as the measurements; the advertised topology
 * must be loaded first, and must hold every CPU of the matrix. */
int vtc_app_import_matrix(struct vtc_run *app, const char *path);

#endif
