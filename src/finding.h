/* finding.h - one mismatch between what the guest is told and what is true,
 * with evidence, cost and a fix. Produced by consist (source vs source) and
 * compare (advertised vs measured).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_FINDING_H
#define VTC_FINDING_H

#include "cpuset.h"

enum vtc_severity {
	VTC_SEV_INFO = 0,
	VTC_SEV_WARNING = 1,
	VTC_SEV_CRITICAL = 2,
};

/* "info", "warning", "critical" */
const char *vtc_severity_name(enum vtc_severity s);

struct vtc_finding {
	char kind[32];     /* "phantom-smt", "hidden-smt", "stacked", "floating",
			      "llc-mismatch", "socket-mismatch", "numa-mismatch",
			      "cpuid-sysfs-disagree", ... */
	enum vtc_severity severity;
	vtc_cpuset cpus;   /* vCPUs involved */
	char evidence[640];
	char cost[256];
	char fix[1024];
};

struct vtc_findings {
	int count, cap;
	struct vtc_finding *item;
};

/* Append a finding; evidence is printf-formatted. cost/fix start empty and
 * may be written through the returned pointer. Returns NULL on ENOMEM. */
struct vtc_finding *vtc_findings_add(struct vtc_findings *fs, const char *kind,
				     enum vtc_severity sev, const vtc_cpuset *cpus,
				     const char *evidence_fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Append copies of every finding of @src to @dst. Returns 0 or -ENOMEM. */
int vtc_findings_append(struct vtc_findings *dst, const struct vtc_findings *src);
/* Highest severity present, or -1 when there are none. */
int vtc_findings_max_severity(const struct vtc_findings *fs);
int vtc_findings_count_kind(const struct vtc_findings *fs, const char *kind);
void vtc_findings_free(struct vtc_findings *fs);

#endif
