/* report_prom.h - the run as Prometheus metrics for node_exporter's
 * textfile collector (text exposition format 0.0.4).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every metric is a gauge named vtopocheck_*, in base units (seconds).
 * No sample carries a timestamp: the textfile collector rejects them;
 * vtopocheck_last_run_timestamp_seconds says when the run ended instead.
 *
 *   vtopocheck_info{version,hypervisor,cpu_model,backend,timer} 1
 *   vtopocheck_verdict{status="ok|warning|critical|unknown"} 1 for the
 *       verdict, 0 for the other three (all four always present)
 *   vtopocheck_exit_code                   0..3, the verdict before --fail-on
 *   vtopocheck_findings{kind,severity}     count per kind present
 *   vtopocheck_findings_by_severity{severity="info|warning|critical"}
 *                                          count, all three always present
 *   vtopocheck_run_duration_seconds        whole run, wall clock
 *   vtopocheck_last_run_timestamp_seconds  end of the run, Unix time
 *   vtopocheck_vcpus_probed                0 when nothing was measured
 *   vtopocheck_pairs{state="measured|stalled|unmeasured"}   (when measured)
 *   vtopocheck_tier_latency_seconds{tier}  median one-way latency per
 *       inferred tier, tier "0" the fastest   (when inferred)
 *   vtopocheck_tier_measurements{tier}     pair measurements in the tier
 *   vtopocheck_measurement_coverage_ratio  pairs with usable data, 0..1
 *   vtopocheck_topology_info{fingerprint} 1   the judged groups' fingerprint
 *       (fingerprint.h; only for a judged run: not UNKNOWN)
 *   vtopocheck_host_info{fingerprint,cpu_model,microcode,tsc_khz} 1
 *       the host signals' fingerprint and the signals (when measured)
 * Both info families are always declared (HELP/TYPE), so rules may query
 * them; one sample each at most, so a series per fingerprint a host ever
 * had: their cardinality is the number of placements and hosts seen.
 */
#ifndef VTC_REPORT_PROM_H
#define VTC_REPORT_PROM_H

#include <stdio.h>

#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/analysis/results.h"
#include "src/vtc.h"

struct vtc_run;

/* What the metrics say about the run besides results and findings.
 * NULL strings are written as "". */
struct vtc_prom_run {
	enum vtc_exit status;  /* verdict (app->status) */
	double duration_s;     /* wall clock of the whole run */
	double end_unix_s;     /* when it ended, seconds since the epoch */
	const char *version;   /* PACKAGE_VERSION */
	const char *hypervisor; /* vtc_platform.hypervisor */
	const char *cpu_model;  /* vtc_platform.model_name */
	/* vtc_run_fingerprints(); NULL or "" leaves the sample out. */
	const char *topology_fp, *host_fp;
	const struct vtc_host_signals *host; /* the host_fp's signals */
};

/* Write the metrics to @f. @r and @inf may be NULL (nothing measured /
 * inferred: their metrics are left out); @fs may be NULL (no findings).
 * Returns 0, -EINVAL (NULL @f or @run, status out of range) or -EIO. */
int vtc_prom_write(FILE *f, const struct vtc_prom_run *run, const struct vtc_results *r,
		   const struct vtc_inferred *inf, const struct vtc_findings *fs);

/* The metrics of a finished run, written atomically to @path (temporary
 * file in the same directory + rename; "-" = stdout), ending now.
 * Give @path a ".prom" name inside node_exporter's
 * --collector.textfile.directory. Returns 0 or -errno. */
int vtc_prom_write_app(const struct vtc_run *app, const char *path);

#endif
