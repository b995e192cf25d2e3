/* report_text.c - the human-readable report.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "report_text.h"

static void print_id(FILE *out, int width, long long v)
{
	if (v < 0)
		fprintf(out, " %*s", width, "-");
	else
		fprintf(out, " %*lld", width, v);
}

/* Group number of @cpu at @level, the way lscpu -e numbers caches. */
static void print_group(FILE *out, const struct vtc_topo *t, enum vtc_level l, int cpu)
{
	print_id(out, 4, t->level_known[l] ? vtc_groups_find(&t->groups[l], cpu) : -1);
}

static void print_cpu_row(FILE *out, const struct vtc_topo *t, int i)
{
	const struct vtc_topo_cpu *c = &t->cpu[i];

	fprintf(out, "%5d %-7s", i, c->online ? "yes" : c->present ? "offline" : "absent");
	if (!c->online) {
		fputc('\n', out);
		return;
	}
	print_id(out, 4, c->thread_id);
	print_id(out, 5, c->core_id);
	print_id(out, 4, c->die_id);
	print_id(out, 4, c->package_id);
	print_id(out, 4, c->numa_node);
	print_id(out, 7, c->x2apic_id);
	print_group(out, t, VTC_LEVEL_L1D, i);
	print_group(out, t, VTC_LEVEL_L2, i);
	print_group(out, t, VTC_LEVEL_L3, i);
	fprintf(out, "  %s\n", vtc_cpuset_test(&t->allowed, i) ? "" : "(outside cpuset)");
}

static void print_levels(FILE *out, const struct vtc_topo *t)
{
	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		const struct vtc_groups *g = &t->groups[l];
		fprintf(out, "  %-8s", vtc_level_name((enum vtc_level)l));
		if (!t->level_known[l]) {
			fputs(" unknown\n", out);
			continue;
		}
		for (int i = 0; i < g->count; i++) {
			char buf[256];
			vtc_cpulist_format(&g->set[i], buf, sizeof(buf));
			fprintf(out, " {%s}", buf);
		}
		if (t->cache_kib[l])
			fprintf(out, "  (%ld KiB each)", t->cache_kib[l]);
		fputc('\n', out);
	}
}

void vtc_text_topo(FILE *out, const struct vtc_topo *t)
{
	char online[256], allowed[256];

	vtc_cpulist_format(&t->online, online, sizeof(online));
	vtc_cpulist_format(&t->allowed, allowed, sizeof(allowed));
	fprintf(out, "Advertised by %s: online %s, allowed %s\n", t->source, online, allowed);
	fputs("  CPU ONLINE   SMT  CORE  DIE  PKG NODE  X2APIC  L1d   L2   L3\n", out);
	for (int i = 0; i < t->ncpus; i++)
		if (vtc_cpuset_test(&t->possible, i) || t->cpu[i].online)
			print_cpu_row(out, t, i);
	fputs("Groups:\n", out);
	print_levels(out, t);
}

void vtc_text_platform(FILE *out, const struct vtc_platform *p)
{
	fprintf(out, "CPU: %s\n", p->model_name[0] ? p->model_name : "(unknown model)");
	fprintf(out, "Hypervisor: %s%s%s%s\n", p->hypervisor[0] ? p->hypervisor : "unknown",
		p->hypervisor_evidence[0] ? " (" : "", p->hypervisor_evidence,
		p->hypervisor_evidence[0] ? ")" : "");
}

/* Wrap @text at @width columns with @indent spaces on continuation lines. */
static void print_wrapped(FILE *out, const char *label, const char *text, int width)
{
	int indent = (int)strlen(label), col = indent;
	const char *p = text;

	fputs(label, out);
	while (*p) {
		size_t word = strcspn(p, " \n");
		if (col > indent && col + (int)word + 1 > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, word, out);
		col += (int)word;
		p += word;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', out);
}

void vtc_text_findings(FILE *out, const struct vtc_findings *fs)
{
	if (fs->count == 0) {
		fputs("Findings: none\n", out);
		return;
	}
	fprintf(out, "Findings (%d):\n", fs->count);
	for (int i = 0; i < fs->count; i++) {
		const struct vtc_finding *f = &fs->item[i];
		char cpus[256];
		vtc_cpulist_format(&f->cpus, cpus, sizeof(cpus));
		fprintf(out, "  [%s] %s on vCPUs %s\n", vtc_severity_name(f->severity), f->kind,
			cpus);
		print_wrapped(out, "      evidence: ", f->evidence, 100);
		if (f->cost[0])
			print_wrapped(out, "      cost:     ", f->cost, 100);
		if (f->fix[0])
			print_wrapped(out, "      fix:      ", f->fix, 100);
	}
}
