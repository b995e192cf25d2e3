/* diff.c - what changed between two runs (diff.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/grow.h"
#include "src/report/diff.h"
#include "src/report/textflow.h"

static const char *const status_name[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

static const char *status_str(enum vtc_exit s)
{
	return (unsigned)s <= VTC_EXIT_UNKNOWN ? status_name[s] : "UNKNOWN";
}

static int add(struct vtc_diff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add(struct vtc_diff *d, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	void *nl = vtc_grow(d->line, &d->cap, d->n, sizeof(*d->line), 16);
	if (!nl) {
		free(s);
		return -ENOMEM;
	}
	d->line = nl;
	d->line[d->n++] = s;
	return 0;
}

/* "0-1/2-3": groups of two or more, in order of their lowest vCPU; "none"
 * when every vCPU is alone. Returns a malloc'd string or NULL. */
static char *groups_text(const vtc_cpuset *sets, int count, size_t stride)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap), buf[VTC_CPUSET_MAX * 5];

	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < count; i++) {
		const vtc_cpuset *g = (const vtc_cpuset *)((const char *)sets + (size_t)i * stride);
		if (vtc_cpuset_count(g) < 2)
			continue;
		size_t n = vtc_cpulist_format(g, buf, sizeof(buf));
		if (len + n + 2 > cap) {
			cap = (len + n + 2) * 2;
			char *ns = realloc(s, cap);
			if (!ns) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		len += (size_t)sprintf(s + len, "%s%s", len ? "/" : "", buf);
	}
	if (len == 0)
		snprintf(s, cap, "none");
	return s;
}

/* One line per advertised level whose known flag or groups differ. */
static int diff_advertised(const struct vtc_run *a, const struct vtc_run *b,
			   struct vtc_diff *d)
{
	int rc = 0;

	if (!a->have_sysfs || !b->have_sysfs)
		return a->have_sysfs == b->have_sysfs ? 0 :
		       add(d, "advertised topology: %s -> %s", a->have_sysfs ? "read" : "none",
			   b->have_sysfs ? "read" : "none");
	for (int l = 0; l < VTC_LEVEL_COUNT && !rc; l++) {
		const struct vtc_groups *ga = &a->sysfs.groups[l], *gb = &b->sysfs.groups[l];
		bool ka = a->sysfs.level_known[l], kb = b->sysfs.level_known[l];
		char *ta = ka ? groups_text(ga->set, ga->count, sizeof(*ga->set)) : strdup("?");
		char *tb = kb ? groups_text(gb->set, gb->count, sizeof(*gb->set)) : strdup("?");
		if (!ta || !tb)
			rc = -ENOMEM;
		else if (strcmp(ta, tb) != 0)
			rc = add(d, "advertised %s: %s -> %s", vtc_level_name((enum vtc_level)l),
				 ta, tb);
		free(ta);
		free(tb);
	}
	if (!rc && a->plat.kvm_hint_dedicated != b->plat.kvm_hint_dedicated) {
		static const char *const hint[] = {"unknown", "no", "yes"};
		rc = add(d, "advertised KVM dedicated-vCPU hint: %s -> %s",
			 hint[a->plat.kvm_hint_dedicated % 3], hint[b->plat.kvm_hint_dedicated % 3]);
	}
	return rc;
}

static char *igroups_text(const struct vtc_inferred *inf, enum vtc_gkind k)
{
	const struct vtc_igroups *g = &inf->groups[k];

	if (!inf->known[k])
		return strdup("?");
	if (g->count == 0)
		return strdup("none");
	return groups_text(&g->g[0].cpus, g->count, sizeof(*g->g));
}

/* Measured groups, where both runs have judged ones. */
static int diff_measured(const struct vtc_run *a, const struct vtc_run *b, struct vtc_diff *d)
{
	int rc = 0;

	if (!d->topo_old[0] || !d->topo_new[0]) {
		if (!d->topo_old[0] && !d->topo_new[0])
			return 0; /* neither judged: the verdict line says so */
		return add(d, "measured groups: judged only in the %s report (the other is "
			   "UNKNOWN or measured nothing)", d->topo_old[0] ? "old" : "new");
	}
	if (vtc_cpuset_equal(&a->inf.cpus, &b->inf.cpus) == false) {
		char pa[VTC_CPUSET_MAX * 5], pb[VTC_CPUSET_MAX * 5];
		vtc_cpulist_format(&a->inf.cpus, pa, sizeof(pa));
		vtc_cpulist_format(&b->inf.cpus, pb, sizeof(pb));
		rc = add(d, "probed vCPUs: %s -> %s", pa, pb);
	}
	for (int k = 0; k < VTC_GROUP_KINDS && !rc; k++) {
		char *ta = igroups_text(&a->inf, (enum vtc_gkind)k);
		char *tb = igroups_text(&b->inf, (enum vtc_gkind)k);
		if (!ta || !tb)
			rc = -ENOMEM;
		else if (strcmp(ta, tb) != 0)
			rc = add(d, "measured %s: %s -> %s", vtc_gkind_name((enum vtc_gkind)k), ta,
				 tb);
		free(ta);
		free(tb);
	}
	return rc;
}

/* The finding of @fs with @f's kind and vCPUs, or NULL. */
static const struct vtc_finding *same_finding(const struct vtc_findings *fs,
					      const struct vtc_finding *f)
{
	for (int i = 0; i < fs->count; i++)
		if (fs->item[i].kind == f->kind && vtc_cpuset_equal(&fs->item[i].cpus, &f->cpus))
			return &fs->item[i];
	return NULL;
}

static int finding_line(struct vtc_diff *d, const char *what, const struct vtc_finding *f,
			const struct vtc_finding *other)
{
	char cpus[VTC_CPUSET_MAX * 5];

	vtc_cpulist_format(&f->cpus, cpus, sizeof(cpus));
	if (other)
		return add(d, "%s: %s on vCPUs %s: %s -> %s", what, vtc_fkind_name(f->kind), cpus,
			   vtc_severity_name(other->severity), vtc_severity_name(f->severity));
	return add(d, "%s: %s %s on vCPUs %s", what, vtc_severity_name(f->severity),
		   vtc_fkind_name(f->kind), cpus);
}

/* Findings are matched by kind and vCPUs: their evidence text carries
 * latencies, which differ between any two runs. */
static int diff_findings(const struct vtc_findings *a, const struct vtc_findings *b,
			 struct vtc_diff *d)
{
	int rc = 0;

	for (int i = 0; i < a->count && !rc; i++)
		if (!same_finding(b, &a->item[i]))
			rc = finding_line(d, "finding gone", &a->item[i], NULL);
	for (int i = 0; i < b->count && !rc; i++)
		if (!same_finding(a, &b->item[i]))
			rc = finding_line(d, "new finding", &b->item[i], NULL);
	for (int i = 0; i < b->count && !rc; i++) {
		const struct vtc_finding *o = same_finding(a, &b->item[i]);
		if (o && o->severity != b->item[i].severity)
			rc = finding_line(d, "finding severity", &b->item[i], o);
	}
	return rc;
}

/* The host fingerprint, and which signal differs. */
static int diff_host(const struct vtc_run *a, const struct vtc_run *b, struct vtc_diff *d)
{
	const struct vtc_host_signals *ha = &a->res.host_start, *hb = &b->res.host_start;
	char why[320] = "";

	if (strcmp(d->host_old, d->host_new) == 0)
		return 0;
	if (d->host_old[0] && d->host_new[0]) {
		if (strcmp(ha->cpu_model, hb->cpu_model))
			snprintf(why, sizeof(why), " (CPU model '%.120s' -> '%.120s')", ha->cpu_model,
				 hb->cpu_model);
		else if (strcmp(ha->fms, hb->fms))
			snprintf(why, sizeof(why), " (family/model/stepping %s -> %s)", ha->fms,
				 hb->fms);
		else if (strcmp(ha->microcode, hb->microcode))
			snprintf(why, sizeof(why), " (microcode %s -> %s)", ha->microcode,
				 hb->microcode);
		else
			snprintf(why, sizeof(why), " (TSC %lld -> %lld kHz)",
				 vtc_fingerprint_tsc_khz(ha->tsc_khz),
				 vtc_fingerprint_tsc_khz(hb->tsc_khz));
	}
	return add(d, "host fingerprint: %s -> %s%s", d->host_old[0] ? d->host_old : "none",
		   d->host_new[0] ? d->host_new : "none", why);
}

int vtc_diff_runs(const struct vtc_run *a, const struct vtc_run *b, struct vtc_diff *d)
{
	int rc;

	if (!d)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	if (!a || !b)
		return -EINVAL;
	vtc_run_fingerprints(a, d->topo_old, d->host_old);
	vtc_run_fingerprints(b, d->topo_new, d->host_new);
	if (a->status != b->status &&
	    (rc = add(d, "verdict: %s -> %s (%s)", status_str(a->status), status_str(b->status),
		      b->reason)))
		return rc;
	if ((rc = diff_advertised(a, b, d)) || (rc = diff_measured(a, b, d)) ||
	    (rc = diff_findings(&a->findings, &b->findings, d)))
		return rc;
	if (strcmp(d->topo_old, d->topo_new) != 0 &&
	    (rc = add(d, "topology fingerprint: %s -> %s", d->topo_old[0] ? d->topo_old : "none",
		      d->topo_new[0] ? d->topo_new : "none")))
		return rc;
	return diff_host(a, b, d);
}

void vtc_diff_free(struct vtc_diff *d)
{
	for (int i = 0; d && i < d->n; i++)
		free(d->line[i]);
	if (d) {
		free(d->line);
		memset(d, 0, sizeof(*d));
	}
}

int vtc_diff_print(FILE *f, const struct vtc_diff *d, const char *old_name,
		   const char *new_name, bool quiet)
{
	/* Wrapped like the text report; the -q line, like the plugin line,
	 * never is: a script reads it whole. */
	int width = quiet ? 1 << 20 : vtc_text_width(f);

	if (!quiet) {
		vtc_text_paraf(f, width, 4, "comparing %s (old) with %s (new)", old_name, new_name);
		for (int i = 0; i < d->n; i++)
			vtc_text_para(f, width, 4, "  ", d->line[i]);
	}
	if (d->n)
		fprintf(f, "%d change%s\n", d->n, d->n > 1 ? "s" : "");
	else
		vtc_text_paraf(f, width, 4, "nothing changed: the same verdict, advertised and "
			       "measured groups, findings and fingerprints (topology %s, host %s)",
			       d->topo_new[0] ? d->topo_new : "none",
			       d->host_new[0] ? d->host_new : "none");
	return ferror(f) ? -EIO : 0;
}
