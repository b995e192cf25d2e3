/* finding.c - the list of findings.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"

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

struct vtc_finding *vtc_findings_add(struct vtc_findings *fs, const char *kind,
				     enum vtc_severity sev, const vtc_cpuset *cpus,
				     const char *evidence_fmt, ...)
{
	struct vtc_finding *f;
	va_list ap;

	if (fs->count == fs->cap) {
		int cap = fs->cap ? fs->cap * 2 : 8;
		struct vtc_finding *n = realloc(fs->item, (size_t)cap * sizeof(*n));
		if (!n)
			return NULL;
		fs->item = n;
		fs->cap = cap;
	}
	f = &fs->item[fs->count++];
	memset(f, 0, sizeof(*f));
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
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

int vtc_findings_count_kind(const struct vtc_findings *fs, const char *kind)
{
	int n = 0;
	for (int i = 0; i < fs->count; i++)
		n += strcmp(fs->item[i].kind, kind) == 0;
	return n;
}

void vtc_findings_free(struct vtc_findings *fs)
{
	free(fs->item);
	memset(fs, 0, sizeof(*fs));
}
