/* verdict.h - one exit status and one sentence from inference and findings.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_VERDICT_H
#define VTC_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/vtc.h"

/* Monitoring-plugin status: the highest finding severity (critical ->
 * CRITICAL, warning -> WARNING), else OK; but UNKNOWN instead of OK when @inf
 * could not judge (too noisy or too little data: never a guess). Findings
 * that need no measurement (cpuid-sysfs-disagree) still decide when the
 * measurement was unreliable. @reason gets one sentence for the first line
 * of the report (may be NULL). @inf may be NULL when nothing was measured. */
enum vtc_exit vtc_verdict(const struct vtc_inferred *inf, const struct vtc_findings *fs,
			  char *reason, size_t len);

/* --fail-on: which statuses count as a failure (e.g. to stop cloud-init). */
enum vtc_fail_on {
	VTC_FAIL_NEVER,    /* "never": only report */
	VTC_FAIL_WARNING,  /* "warning": WARNING or CRITICAL */
	VTC_FAIL_CRITICAL, /* "critical": CRITICAL only */
};

/* Parse "never", "warning", "critical". Returns 0 or -EINVAL. */
int vtc_verdict_parse_fail_on(const char *text, enum vtc_fail_on *out);

/* Whether @status fails under @policy. UNKNOWN never fails: a host too busy
 * to measure is no evidence of a bad topology. */
bool vtc_verdict_fails(enum vtc_exit status, enum vtc_fail_on policy);

#endif
