/* report_text.c - the human-readable report.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/app.h"
#include "src/matrix.h"
#include "src/report_text.h"

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
		fprintf(out, "  [%s] %s on vCPUs %s\n", vtc_severity_name(f->severity),
			vtc_fkind_name(f->kind), cpus);
		print_wrapped(out, "      evidence: ", f->evidence, 100);
		if (f->cost[0])
			print_wrapped(out, "      cost:     ", f->cost, 100);
		if (f->fix[0])
			print_wrapped(out, "      fix:      ", f->fix, 100);
	}
}

/* Tier of a latency: the tier whose range holds it, else the nearest on a
 * log scale (a pass median can fall between tiers built from all passes). */
static int tier_of(const struct vtc_inferred *inf, double ns)
{
	int best = -1;
	double best_d = 0;

	for (int t = 0; inf && t < inf->n_tiers; t++) {
		double lo = inf->tier[t].lo_ns, hi = inf->tier[t].hi_ns, d;
		if (ns >= lo && ns <= hi)
			return t;
		d = ns < lo ? log(lo / ns) : log(ns / hi);
		if (best < 0 || d < best_d) {
			best = t;
			best_d = d;
		}
	}
	return best;
}

static const char *const tier_colors[] = {"\033[1;31m", "\033[33m", "\033[32m",
					  "\033[36m", "\033[34m", "\033[35m"};

static void print_cell(FILE *out, const struct vtc_results *r, const struct vtc_inferred *inf,
		       int a, int b, bool color)
{
	double ns;
	int state, t;

	if (a == b) {
		fprintf(out, " %5s", ".");
		return;
	}
	state = vtc_matrix_cell(r, a, b, &ns);
	if (state != 1) {
		fprintf(out, " %5s", state == 2 ? "S" : "-");
		return;
	}
	t = tier_of(inf, ns);
	if (color && t >= 0)
		fputs(tier_colors[t % 6], out);
	fprintf(out, " %4.0f%c", ns, t >= 0 ? 'a' + t : ' ');
	if (color && t >= 0)
		fputs("\033[0m", out);
}

static void print_tier_legend(FILE *out, const struct vtc_inferred *inf)
{
	for (int t = 0; inf && t < inf->n_tiers; t++)
		fprintf(out, "  tier %c: %.0f-%.0f ns, median %.0f ns, %d pair measurements\n",
			'a' + t, inf->tier[t].lo_ns, inf->tier[t].hi_ns, inf->tier[t].median_ns,
			inf->tier[t].n);
	fputs("  S: only stalled (handoffs waited for a scheduler), -: not measured\n", out);
}

void vtc_text_matrix(FILE *out, const struct vtc_results *r, const struct vtc_inferred *inf,
		     bool color, bool full)
{
	if (r->n > 16 && !full) {
		fprintf(out, "Latency tiers over %d vCPUs (the full matrix: --full or --matrix):\n",
			r->n);
		print_tier_legend(out, inf);
		return;
	}
	fprintf(out, "One-way latency, median ns, letter = tier:\n%4s", "CPU");
	for (int j = 0; j < r->n; j++)
		fprintf(out, " %5d", r->cpu[j]);
	fputc('\n', out);
	for (int i = 0; i < r->n; i++) {
		fprintf(out, "%4d", r->cpu[i]);
		for (int j = 0; j < r->n; j++)
			print_cell(out, r, inf, r->cpu[i], r->cpu[j], color);
		fputc('\n', out);
	}
	print_tier_legend(out, inf);
}

/* ---- whole reports: one run, as main prints it ------------------------- */

/* The advertised (sysfs) and the measured groups of each kind, side by side. */
static void print_groups_side_by_side(FILE *out, const struct vtc_app *app)
{
	static const struct { enum vtc_level level; enum vtc_gkind kind; } rows[] = {
		{VTC_LEVEL_SMT, VTC_GROUP_SMT},
		{VTC_LEVEL_L3, VTC_GROUP_LLC},
		{VTC_LEVEL_PACKAGE, VTC_GROUP_SOCKET},
	};
	char buf[200];

	fputs("\n              advertised (sysfs)                 measured\n", out);
	for (size_t i = 0; i < VTC_ARRAY_SIZE(rows); i++) {
		const struct vtc_groups *g = &app->sysfs.groups[rows[i].level];
		size_t len = 0;
		buf[0] = '\0';
		if (!app->sysfs.level_known[rows[i].level])
			snprintf(buf, sizeof(buf), "unknown");
		for (int k = 0; app->sysfs.level_known[rows[i].level] && k < g->count &&
				len < sizeof(buf); k++) {
			char one[64];
			vtc_cpulist_format(&g->set[k], one, sizeof(one));
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "{%s}", one);
		}
		fprintf(out, "  %-10s  %-34s ", vtc_gkind_name(rows[i].kind), buf);
		if (!app->inf.known[rows[i].kind]) {
			fputs("unknown\n", out);
			continue;
		}
		for (int k = 0; k < app->inf.groups[rows[i].kind].count; k++) {
			char one[64];
			vtc_cpulist_format(&app->inf.groups[rows[i].kind].g[k].cpus, one, sizeof(one));
			fprintf(out, "{%s}", one);
		}
		fputc('\n', out);
	}
}

void vtc_text_run(FILE *out, const struct vtc_app *app, bool quiet, bool color, bool full)
{
	fprintf(out, "%s\n", app->reason);
	if (quiet)
		return;
	vtc_text_platform(out, &app->plat);
	if (app->have_results && strcmp(app->res.backend, "import") == 0) {
		fprintf(out, "Imported a matrix of %d vCPUs (one value per pair, no contention "
			"data: SMT cannot be proven from it alone)\n", app->res.n);
	} else if (app->have_results) {
		fprintf(out, "Measured %d vCPUs, %d pairs x %d passes in %.2f s (timer %s%s)\n",
			app->res.n, app->res.n_pairs, app->res.n_passes, app->res.duration_s,
			app->res.timer.name, app->res.budget_exhausted ? ", budget exhausted" : "");
	}
	if (app->have_results) {
		if (app->have_inf)
			print_groups_side_by_side(out, app);
		fputc('\n', out);
		vtc_text_matrix(out, &app->res, app->have_inf ? &app->inf : NULL, color, full);
	}
	fputc('\n', out);
	vtc_text_findings(out, &app->findings);
}

void vtc_text_advertised(FILE *out, const struct vtc_app *app, bool quiet)
{
	fprintf(out, "%s\n", app->reason);
	if (quiet)
		return;
	vtc_text_platform(out, &app->plat);
	fputc('\n', out);
	vtc_text_topo(out, &app->sysfs);
	if (app->have_cpuid) {
		fputc('\n', out);
		vtc_text_topo(out, &app->cpuid);
	} else {
		fputs("\nCPUID: not available (not x86, or a recorded machine without "
		      "--cpuid-dump)\n", out);
	}
	fputc('\n', out);
	vtc_text_findings(out, &app->consist);
}
