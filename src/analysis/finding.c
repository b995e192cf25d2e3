/* finding.c - the list of findings.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/finding.h"
#include "src/grow.h"

const char *vtc_severity_name(enum vtc_severity s)
{
	switch (s) {
	case VTC_SEV_INFO:
		return "info";
	case VTC_SEV_WARNING:
		return "warning";
	case VTC_SEV_CRITICAL:
		return "critical";
	}
	return "?";
}

/* The one table of finding kinds, indexed by enum vtc_fkind. */
static const struct {
	const char *name;
	unsigned flags;
	const char *meaning;
	const char *group_meaning; /* said of each of several groups */
} fkinds[VTC_FK_KINDS] = {
	[VTC_FK_PHANTOM_SMT] = {"phantom-smt", VTC_FKF_SMT,
				"are advertised as SMT siblings but run on separate cores",
				"are each advertised as SMT siblings but run on separate cores"},
	[VTC_FK_HIDDEN_SMT] = {"hidden-smt", VTC_FKF_SMT,
			       "are advertised as separate cores but share a physical core",
			       "are advertised as separate cores but each shares a physical core"},
	[VTC_FK_STACKED] = {"stacked", VTC_FKF_PLACEMENT, "share one host CPU",
			    "each share one host CPU"},
	[VTC_FK_FLOATING] = {"floating", VTC_FKF_PLACEMENT,
			     "are not pinned: the host moved them during the run", NULL},
	[VTC_FK_LLC_MISMATCH] = {"llc-mismatch", 0, "do not share caches as advertised",
				 NULL},
	[VTC_FK_SOCKET_MISMATCH] = {"socket-mismatch", 0,
				    "are spread over host sockets differently than advertised", NULL},
	[VTC_FK_NUMA_MISMATCH] = {"numa-mismatch", 0,
				  "have NUMA nodes that differ from the measured sockets", NULL},
	[VTC_FK_CPUID_SYSFS_DISAGREE] = {"cpuid-sysfs-disagree", 0,
					 "are described differently by CPUID and sysfs", NULL},
	[VTC_FK_DEDICATED_MISMATCH] = {"dedicated-mismatch", VTC_FKF_PLACEMENT,
				       "are promised host CPUs of their own (KVM dedicated hint) "
				       "but were preempted or moved", NULL},
};

const char *vtc_fkind_name(enum vtc_fkind k)
{
	return (unsigned)k < VTC_FK_KINDS ? fkinds[k].name : "?";
}

int vtc_fkind_parse(const char *name, enum vtc_fkind *out)
{
	for (int k = 0; name && k < VTC_FK_KINDS; k++)
		if (strcmp(name, fkinds[k].name) == 0) {
			*out = (enum vtc_fkind)k;
			return 0;
		}
	return -EINVAL;
}

unsigned vtc_fkind_flags(enum vtc_fkind k)
{
	return (unsigned)k < VTC_FK_KINDS ? fkinds[k].flags : 0;
}

const char *vtc_fkind_group_meaning(enum vtc_fkind k)
{
	return (unsigned)k < VTC_FK_KINDS ? fkinds[k].group_meaning : NULL;
}

void vtc_finding_set_groups(struct vtc_finding *f, const vtc_cpuset *const *sets, int n)
{
	char list[128];
	size_t used = 0;
	bool fits = true;

	f->groups[0] = 0;
	f->n_groups = 0;
	for (int i = 0; i < n; i++) {
		if (vtc_cpuset_count(sets[i]) < 2 || !vtc_cpuset_subset(sets[i], &f->cpus))
			continue;
		f->n_groups++;
		vtc_cpulist_format(sets[i], list, sizeof(list));
		fits &= used + strlen(list) + 3 < sizeof(f->groups);
		if (fits)
			used += (size_t)snprintf(f->groups + used, sizeof(f->groups) - used, "{%s}", list);
	}
	if (f->n_groups < 2)
		f->n_groups = 0;
	if (!fits || f->n_groups == 0)
		f->groups[0] = 0;
}

const char *vtc_fkind_meaning(enum vtc_fkind k)
{
	return (unsigned)k < VTC_FK_KINDS ? fkinds[k].meaning
					  : "do not match the advertised topology";
}

struct vtc_finding *vtc_findings_add(struct vtc_findings *fs, enum vtc_fkind kind,
				     enum vtc_severity sev, const vtc_cpuset *cpus,
				     const char *evidence_fmt, ...)
{
	struct vtc_finding *n = vtc_grow(fs->item, &fs->cap, fs->count, sizeof(*n), 8);
	struct vtc_finding *f;
	va_list ap;

	if (!n)
		return NULL;
	fs->item = n;
	f = &fs->item[fs->count++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->severity = sev;
	if (cpus)
		f->cpus = *cpus;
	va_start(ap, evidence_fmt);
	vsnprintf(f->evidence, sizeof(f->evidence), evidence_fmt, ap);
	va_end(ap);
	return f;
}

int vtc_findings_append(struct vtc_findings *dst, const struct vtc_findings *src)
{
	for (int i = 0; i < src->count; i++) {
		const struct vtc_finding *f = &src->item[i];
		struct vtc_finding *n = vtc_findings_add(dst, f->kind, f->severity, &f->cpus,
							 "%s", f->evidence);
		if (!n)
			return -ENOMEM;
		*n = *f;
	}
	return 0;
}

int vtc_findings_max_severity(const struct vtc_findings *fs)
{
	int max = -1;
	for (int i = 0; i < fs->count; i++)
		if ((int)fs->item[i].severity > max)
			max = (int)fs->item[i].severity;
	return max;
}

int vtc_findings_count_kind(const struct vtc_findings *fs, enum vtc_fkind kind)
{
	int n = 0;
	for (int i = 0; i < fs->count; i++)
		n += fs->item[i].kind == kind;
	return n;
}

void vtc_findings_free(struct vtc_findings *fs)
{
	free(fs->item);
	memset(fs, 0, sizeof(*fs));
}

void vtc_finding_catf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}
