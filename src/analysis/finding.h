/* finding.h - one mismatch between what the guest is told and what is true,
 * with evidence, cost and a fix. Produced by consist (source vs source) and
 * compare (advertised vs measured).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_FINDING_H
#define VTC_FINDING_H

#include "src/advertised/cpuset.h"

enum vtc_severity {
	VTC_SEV_INFO = 0,
	VTC_SEV_WARNING = 1,
	VTC_SEV_CRITICAL = 2,
};

/* "info", "warning", "critical" */
const char *vtc_severity_name(enum vtc_severity s);

/* What a finding is about. Every property of a kind (its name in the
 * reports, its flags, the verdict's words) is one row of the table in
 * finding.c; code asks these functions, never compares names. The values
 * never leave the process (reports carry the names), so a new kind may go
 * anywhere before VTC_FK_KINDS. */
enum vtc_fkind {
	VTC_FK_PHANTOM_SMT,          /* advertised siblings on separate cores */
	VTC_FK_HIDDEN_SMT,           /* advertised separate cores sharing one */
	VTC_FK_STACKED,              /* vCPUs time-sharing one host CPU */
	VTC_FK_FLOATING,             /* vCPUs moved by the host during the run */
	VTC_FK_LLC_MISMATCH,         /* cache groups differ from advertised */
	VTC_FK_SOCKET_MISMATCH,      /* socket groups differ from advertised */
	VTC_FK_NUMA_MISMATCH,        /* NUMA nodes differ from measured sockets */
	VTC_FK_CPUID_SYSFS_DISAGREE, /* the two advertised sources differ */
	VTC_FK_DEDICATED_MISMATCH,   /* KVM's dedicated-vCPU hint vs the run */
	VTC_FK_KINDS
};

/* Properties of a kind (vtc_fkind_flags). */
enum {
	VTC_FKF_SMT = 1 << 0,       /* about SMT siblings: fixed by the thread policy */
	VTC_FKF_PLACEMENT = 1 << 1, /* about where vCPUs run (pinning), not the layout */
};

/* The kind's name in every report: "phantom-smt", "hidden-smt", "stacked",
 * "floating", "llc-mismatch", "socket-mismatch", "numa-mismatch",
 * "cpuid-sysfs-disagree", "dedicated-mismatch"; "?" for a value outside the enum. Names use only
 * [a-z-], so no report format needs to escape them. */
const char *vtc_fkind_name(enum vtc_fkind k);
/* Inverse of vtc_fkind_name. Returns 0, or -EINVAL for NULL or a name this
 * version does not know (@out untouched): a report from a later version
 * may name kinds added since, and a reader must skip such a finding rather
 * than guess what it means. (The JSON loader does not read findings back
 * at all: --analyze recomputes them from the stored measurements, so an
 * unknown kind in a saved report is ignored like the rest of them.) */
int vtc_fkind_parse(const char *name, enum vtc_fkind *out);
/* VTC_FKF_* bits of @k; 0 outside the enum. */
unsigned vtc_fkind_flags(enum vtc_fkind k);
/* What the vCPUs of a finding of kind @k do, for the verdict's sentence
 * ("vCPUs 0-3 <meaning>"). */
const char *vtc_fkind_meaning(enum vtc_fkind k);

struct vtc_finding {
	enum vtc_fkind kind;
	enum vtc_severity severity;
	vtc_cpuset cpus;   /* vCPUs involved */
	char evidence[640];
	char cost[256];
	char fix[1024];
	/* The separate groups @cpus is made of when there are several (the
	 * headline then speaks of each group, not of all of @cpus together):
	 * how many, and "{0,2}{1,3}" when the list fits here ("" otherwise). */
	int n_groups;
	char groups[512];
};

/* Note in @f the groups of @sets (@n of them) that lie inside f->cpus
 * with 2 or more vCPUs, when there are at least two such groups. */
void vtc_finding_set_groups(struct vtc_finding *f, const vtc_cpuset *const *sets, int n);
/* What a finding says of each of its groups ("each group shares a
 * physical core"), or NULL where the kind has no groups. */
const char *vtc_fkind_group_meaning(enum vtc_fkind k);

struct vtc_findings {
	int count, cap;
	struct vtc_finding *item;
};

/* Append a finding; evidence is printf-formatted. cost/fix start empty and
 * may be written through the returned pointer. Returns NULL on ENOMEM. */
struct vtc_finding *vtc_findings_add(struct vtc_findings *fs, enum vtc_fkind kind,
				     enum vtc_severity sev, const vtc_cpuset *cpus,
				     const char *evidence_fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Append printf text to the string in @buf (@len bytes), never overflowing
 * it: evidence, cost and fix texts are built piece by piece. */
void vtc_finding_catf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append copies of every finding of @src to @dst. Returns 0 or -ENOMEM. */
int vtc_findings_append(struct vtc_findings *dst, const struct vtc_findings *src);
/* Highest severity present, or -1 when there are none. */
int vtc_findings_max_severity(const struct vtc_findings *fs);
/* Number of findings of kind @kind. */
int vtc_findings_count_kind(const struct vtc_findings *fs, enum vtc_fkind kind);
void vtc_findings_free(struct vtc_findings *fs);

#endif
