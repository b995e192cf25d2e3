/* report_text.c - the human-readable report. Every line fits the width
 * of the stream it goes to; the width and the wrapping are textflow.c's.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/finding.h"
#include "src/report/run.h"
#include "src/report/matrix.h"
#include "src/report/report_text.h"
#include "src/report/textflow.h"

/* ---- the advertised model ------------------------------------------------ */

/* The cpulist of @s, whole (a sparse 4096-CPU list runs to kilobytes), or
 * NULL when memory ran out (LIST_TEXT shows "?"); the caller frees it. */
static char *cpulist(const vtc_cpuset *s)
{
	size_t n = vtc_cpulist_format(s, NULL, 0) + 1;
	char *buf = malloc(n);

	if (buf)
		vtc_cpulist_format(s, buf, n);
	return buf;
}

#define LIST_TEXT(l) ((l) ? (l) : "?")

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

/* Each level's groups, wrapped under the level name: the whole list, as
 * lscpu would give it (--advertised is the full listing). */
static void print_levels(FILE *out, const struct vtc_topo *t, int width)
{
	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		const struct vtc_groups *g = &t->groups[l];
		struct vtc_flow f = {.out = out, .width = width, .indent = 11};

		f.col = fprintf(out, "  %-8s", vtc_level_name((enum vtc_level)l));
		f.begun = true; /* one space between the name and the groups */
		if (!t->level_known[l]) {
			fputs(" unknown\n", out);
			continue;
		}
		for (int i = 0; i < g->count; i++) {
			char *list = cpulist(&g->set[i]), *tok = NULL;
			if (asprintf(&tok, "{%s}", LIST_TEXT(list)) > 0)
				vtc_flow_token(&f, tok, strlen(tok), 1);
			free(tok);
			free(list);
		}
		if (t->cache_kib[l]) {
			/* as lscpu: whole MiB where the size is one */
			bool mib = t->cache_kib[l] >= 1024 && t->cache_kib[l] % 1024 == 0;
			char size[48];
			snprintf(size, sizeof(size), "(%ld", mib ? t->cache_kib[l] / 1024 : t->cache_kib[l]);
			vtc_flow_token(&f, size, strlen(size), 2);
			vtc_flow_token(&f, mib ? "MiB" : "KiB", 3, 1);
			vtc_flow_token(&f, "each)", 5, 1);
		}
		fputc('\n', out);
	}
}

static void text_topo(FILE *out, const struct vtc_topo *t, int width)
{
	char *online = cpulist(&t->online), *allowed = cpulist(&t->allowed);

	vtc_text_paraf(out, width, 2, "Advertised by %s: online %s, allowed %s", t->source,
		    LIST_TEXT(online), LIST_TEXT(allowed));
	free(online);
	free(allowed);
	fputs("  CPU ONLINE   SMT  CORE  DIE  PKG NODE  X2APIC  L1d   L2   L3\n", out);
	for (int i = 0; i < t->ncpus; i++)
		if (vtc_cpuset_test(&t->possible, i) || t->cpu[i].online)
			print_cpu_row(out, t, i);
	fputs("Groups:\n", out);
	print_levels(out, t, width);
}

void vtc_text_topo(FILE *out, const struct vtc_topo *t)
{
	text_topo(out, t, vtc_text_width(out));
}

static void text_platform(FILE *out, const struct vtc_platform *p, int width)
{
	vtc_text_para(out, width, 5, "CPU: ", p->model_name[0] ? p->model_name : "(unknown model)");
	vtc_text_paraf(out, width, 12, "Hypervisor: %s%s%s%s",
		    p->hypervisor[0] ? p->hypervisor : "unknown",
		    p->hypervisor_evidence[0] ? " (" : "", p->hypervisor_evidence,
		    p->hypervisor_evidence[0] ? ")" : "");
	/* Only where KVM's leaves are there to say it: other outputs stay as
	 * they were. */
	if (p->kvm_hint_dedicated != VTC_HINT_UNKNOWN)
		vtc_text_paraf(out, width, 2, "KVM dedicated-vCPU hint: %s",
			       p->kvm_hint_dedicated == VTC_HINT_YES
				       ? "yes (a Linux guest uses native spinlocks)" : "no");
}

void vtc_text_platform(FILE *out, const struct vtc_platform *p)
{
	text_platform(out, p, vtc_text_width(out));
}

static void text_findings(FILE *out, const struct vtc_findings *fs, int width)
{
	if (fs->count == 0) {
		fputs("Findings: none\n", out);
		return;
	}
	fprintf(out, "Findings (%d):\n", fs->count);
	for (int i = 0; i < fs->count; i++) {
		const struct vtc_finding *f = &fs->item[i];
		char *cpus = cpulist(&f->cpus);
		vtc_text_paraf(out, width, 6, "  [%s] %s on vCPUs %s%s%s", vtc_severity_name(f->severity),
			    vtc_fkind_name(f->kind), LIST_TEXT(cpus), f->groups[0] ? ", groups " : "",
			    f->groups);
		free(cpus);
		vtc_text_wrapped(out, "      evidence: ", f->evidence, width);
		if (f->cost[0])
			vtc_text_wrapped(out, "      cost:     ", f->cost, width);
		if (f->fix[0])
			vtc_text_wrapped(out, "      fix:      ", f->fix, width);
	}
}

void vtc_text_findings(FILE *out, const struct vtc_findings *fs)
{
	text_findings(out, fs, vtc_text_width(out));
}

/* ---- the latency matrix -------------------------------------------------- */

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

/* Colours tell tiers apart and say nothing about severity: no red, and
 * no bold, which an OK run's nearest tier would wear like an alarm. */
static const char *const tier_colors[] = {"\033[36m", "\033[32m", "\033[33m",
					  "\033[34m", "\033[35m", "\033[37m"};

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
	fprintf(out, " %4.0f%c", ns, t >= 0 ? vtc_tier_letter(t) : ' ');
	if (color && t >= 0)
		fputs("\033[0m", out);
}

/* How clear the tiers were: each gap (ratio of medians), the noise the
 * twins show, and what was taken out as noise. */
static void print_clarity(FILE *out, const struct vtc_inferred *inf, int width)
{
	char text[1024] = "";
	int c, rank = 0;

	if (!inf || (inf->n_tiers < 2 && inf->twins == 0 && !inf->pairs_outvoted))
		return;
	for (int t = 0; t + 1 < inf->n_tiers; t++)
		vtc_finding_catf(text, sizeof(text), "%s%c|%c %.1fx", t ? ", " : "tiers ",
				 vtc_tier_letter(t), vtc_tier_letter(t + 1),
				 inf->tier[t + 1].median_ns / inf->tier[t].median_ns);
	if (inf->twins > 0 && inf->twin_noise >= 0 && exp(inf->twin_noise) < 1.01)
		vtc_finding_catf(text, sizeof(text), "%spairs that must read alike differ by under "
				 "1%% (%d twin pairs)", *text ? "; " : "", inf->twins);
	else if (inf->twins > 0 && inf->twin_noise >= 0)
		vtc_finding_catf(text, sizeof(text), "%spairs that must read alike differ by %.0f%% "
				 "(%d twin pairs)", *text ? "; " : "",
				 100 * (exp(inf->twin_noise) - 1), inf->twins);
	vtc_cpuset_foreach(c, &inf->cpus) {
		if (inf->row_scale && inf->row_scale[rank] != 1)
			vtc_finding_catf(text, sizeof(text), "%sv%d read %.2fx slower to every partner "
					 "(busy: its row is judged divided by it)", *text ? "; " : "",
					 c, inf->row_scale[rank]);
		rank++;
	}
	if (inf->pairs_related)
		vtc_finding_catf(text, sizeof(text), "%s%d of %d pairs read in another tier than "
				 "most pairs of their relation (same core, cache, socket or none)",
				 *text ? "; " : "", inf->pairs_disagreeing, inf->pairs_related);
	if (inf->pairs_outvoted)
		vtc_finding_catf(text, sizeof(text), "%s%d pair%s read slower than every triangle "
				 "allows (a hiccup: judged at the triangles' value)",
				 *text ? "; " : "", inf->pairs_outvoted,
				 inf->pairs_outvoted > 1 ? "s" : "");
	vtc_text_wrapped(out, "  clarity: ", text, width);
}

/* Which of the cells S (only stalled) and - (not measured) the matrix has. */
static void odd_cells(const struct vtc_results *r, bool *stalled, bool *unmeasured)
{
	double ns;

	*stalled = *unmeasured = false;
	for (int i = 0; i < r->n; i++)
		for (int j = i + 1; j < r->n; j++) {
			int state = vtc_matrix_cell(r, r->cpu[i], r->cpu[j], &ns);
			*stalled |= state == 2;
			*unmeasured |= state != 1 && state != 2;
		}
}

static void print_tier_legend(FILE *out, const struct vtc_results *r,
			      const struct vtc_inferred *inf, int width)
{
	bool stalled, unmeasured;

	for (int t = 0; inf && t < inf->n_tiers; t++)
		fprintf(out, "  tier %c: %.0f-%.0f ns, median %.0f ns, %d measurement%s\n",
			vtc_tier_letter(t), inf->tier[t].lo_ns, inf->tier[t].hi_ns, inf->tier[t].median_ns,
			inf->tier[t].n, inf->tier[t].n == 1 ? "" : "s");
	print_clarity(out, inf, width);
	odd_cells(r, &stalled, &unmeasured);
	if (stalled)
		fputs("  S: only stalled (handoffs waited for a scheduler)\n", out);
	if (unmeasured)
		fputs("  -: not measured\n", out);
}

/* Every row, columns @from to @to - 1. */
static void print_matrix_block(FILE *out, const struct vtc_results *r,
			       const struct vtc_inferred *inf, bool color, int from, int to)
{
	fprintf(out, "%4s", "CPU");
	for (int j = from; j < to; j++)
		fprintf(out, " %5d", r->cpu[j]);
	fputc('\n', out);
	for (int i = 0; i < r->n; i++) {
		fprintf(out, "%4d", r->cpu[i]);
		for (int j = from; j < to; j++)
			print_cell(out, r, inf, r->cpu[i], r->cpu[j], color);
		fputc('\n', out);
	}
}

/* Columns that do not fit the width continue in a block below, each block
 * with its own header row, like a wide table in a man page. */
static void text_matrix(FILE *out, const struct vtc_results *r, const struct vtc_inferred *inf,
			bool color, bool full, int width)
{
	int per = (width - 4) / 6;

	if (r->n > 16 && !full) {
		fprintf(out, "Latency tiers over %d vCPUs (the full matrix: --full or --matrix):\n",
			r->n);
		print_tier_legend(out, r, inf, width);
		return;
	}
	fputs("One-way latency, median ns, letter = tier:\n", out);
	if (per < 1)
		per = 1;
	for (int from = 0; from < r->n; from += per) {
		if (from > 0)
			fputc('\n', out);
		print_matrix_block(out, r, inf, color, from, from + per < r->n ? from + per : r->n);
	}
	print_tier_legend(out, r, inf, width);
}

void vtc_text_matrix(FILE *out, const struct vtc_results *r, const struct vtc_inferred *inf,
		     bool color, bool full)
{
	text_matrix(out, r, inf, color, full, vtc_text_width(out));
}

/* ---- whole reports: one run, as main prints it ------------------------- */

/* A cell of the side-by-side table holds at most this many lines; a longer
 * list shows its count and its first groups (every group is in --json). */
#define SIDE_MAX_LINES 4
#define SIDE_LABEL 14 /* "  smt         " */
#define SIDE_ADVERTISED 34

struct side_list {
	const vtc_cpuset **set;
	int count;
};

/* "{0,16}" tokens of @l into @f, after @prefix. */
static void flow_groups(struct vtc_flow *f, const char *prefix, const struct side_list *l)
{
	f->col = fprintf(f->out, "%s", prefix);
	for (int k = 0; k < l->count; k++) {
		char *list = cpulist(l->set[k]), *tok = NULL;
		int n = asprintf(&tok, "{%s}", LIST_TEXT(list));

		free(list);
		if (n > 0)
			vtc_flow_token(f, tok, (size_t)n, 0);
		free(tok);
	}
}

/* @l laid out in lines of @colw columns, separated by '\n'; NULL when memory
 * ran out. */
static char *side_render(const char *prefix, const struct side_list *l, int colw, int *lines)
{
	char *text = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&text, &size);
	struct vtc_flow f = {.out = m, .width = colw};

	if (!m)
		return NULL;
	flow_groups(&f, prefix, l);
	*lines = f.lines + 1;
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Keep the first @max lines of @text, the last one ending in "..." after a
 * whole group. */
static void side_truncate(char *text, int max, int colw)
{
	char *last = text, *end;
	size_t keep;

	for (int i = 1; i < max && last; i++)
		last = strchr(last, '\n') ? strchr(last, '\n') + 1 : NULL;
	if (!last)
		return;
	end = strchr(last, '\n');
	if (end)
		*end = '\0';
	keep = strlen(last);
	if ((int)keep + 3 > colw)
		keep = colw > 3 ? (size_t)colw - 3 : 0;
	while (keep > 0 && !vtc_flow_breaks_after(last[keep - 1]))
		keep--;
	strcpy(last + keep, "...");
}

/* The text of one cell (see SIDE_MAX_LINES); NULL when memory ran out.
 * Sets *@shortened when the list was shortened. */
static char *side_cell(const struct side_list *l, int colw, bool *shortened)
{
	char prefix[64];
	int lines, n0 = l->count ? vtc_cpuset_count(l->set[0]) : 0;
	bool same = true;
	char *text = side_render("", l, colw, &lines);

	if (!text || lines <= SIDE_MAX_LINES)
		return text;
	free(text);
	for (int k = 1; k < l->count; k++)
		same = same && vtc_cpuset_count(l->set[k]) == n0;
	if (same)
		snprintf(prefix, sizeof(prefix), "%d groups of %d: ", l->count, n0);
	else
		snprintf(prefix, sizeof(prefix), "%d groups: ", l->count);
	text = side_render(prefix, l, colw, &lines);
	if (text)
		side_truncate(text, SIDE_MAX_LINES, colw);
	*shortened = true;
	return text;
}

/* Next line of a cell's text (advancing *@p), or "" past its end. */
static const char *next_line(char **p, int *len)
{
	char *s = *p, *nl;

	if (!s || !*s) {
		*len = 0;
		return "";
	}
	nl = strchr(s, '\n');
	*len = nl ? (int)(nl - s) : (int)strlen(s);
	*p = nl ? nl + 1 : s + *len;
	return s;
}

/* One row of the table: @left and @right cells line by line. */
static void print_side_row(FILE *out, const char *name, const char *left, const char *right,
			   int leftw)
{
	char *l = (char *)left, *r = (char *)right;

	for (int i = 0; (l && *l) || (r && *r) || i == 0; i++) {
		int ln, rn;
		const char *ls = next_line(&l, &ln), *rs = next_line(&r, &rn);

		fprintf(out, "  %-10s  ", i == 0 ? name : "");
		if (rn == 0)
			fprintf(out, "%.*s\n", ln, ls);
		else
			fprintf(out, "%-*.*s %.*s\n", leftw, ln, ls, rn, rs);
	}
}

/* Groups of one level or kind as a side_list; false when memory ran out. */
static bool sides_of_topo(const struct vtc_groups *g, struct side_list *l)
{
	l->count = g->count;
	l->set = calloc(g->count ? (size_t)g->count : 1, sizeof(*l->set));
	for (int k = 0; l->set && k < g->count; k++)
		l->set[k] = &g->set[k];
	return l->set != NULL;
}

static bool sides_of_inferred(const struct vtc_igroups *g, struct side_list *l)
{
	l->count = g->count;
	l->set = calloc(g->count ? (size_t)g->count : 1, sizeof(*l->set));
	for (int k = 0; l->set && k < g->count; k++)
		l->set[k] = &g->g[k].cpus;
	return l->set != NULL;
}

/* The advertised (sysfs) and the measured groups of each kind, side by side,
 * each list wrapped in its own column. */
static void print_groups_side_by_side(FILE *out, const struct vtc_run *app, int width)
{
	static const struct { enum vtc_level level; enum vtc_gkind kind; } rows[] = {
		{VTC_LEVEL_SMT, VTC_GROUP_SMT},
		{VTC_LEVEL_L3, VTC_GROUP_LLC},
		{VTC_LEVEL_PACKAGE, VTC_GROUP_SOCKET},
	};
	int leftw = (width - SIDE_LABEL - 1) / 2, rightw;
	bool shortened = false, untold = false;

	if (leftw < SIDE_ADVERTISED)
		leftw = SIDE_ADVERTISED;
	rightw = width - SIDE_LABEL - leftw - 1;
	fprintf(out, "\n%*s%-*s %s\n", SIDE_LABEL, "", leftw, "advertised (sysfs)", "measured");
	for (size_t i = 0; i < VTC_ARRAY_SIZE(rows); i++) {
		struct side_list al = {0}, ml = {0};
		char *left = NULL, *right = NULL;
		bool adv = app->sysfs.level_known[rows[i].level];
		bool meas = app->inf.known[rows[i].kind];

		if (adv && sides_of_topo(&app->sysfs.groups[rows[i].level], &al))
			left = side_cell(&al, leftw, &shortened);
		if (meas && sides_of_inferred(&app->inf.groups[rows[i].kind], &ml))
			right = side_cell(&ml, rightw, &shortened);
		print_side_row(out, vtc_gkind_name(rows[i].kind),
			       adv ? (left ? left : "?") : "unknown",
			       meas ? (right ? right : "?") : "unknown", leftw);
		untold |= adv && !meas;
		free(left);
		free(right);
		free(al.set);
		free(ml.set);
	}
	if (shortened)
		vtc_text_paraf(out, width, 3, "  (lists longer than %d lines shortened; every group "
			    "is in --json and --advertised)", SIDE_MAX_LINES);
	if (untold)
		vtc_text_paraf(out, width, 3, "  (measured \"unknown\": the measurements cannot "
			    "settle that level, e.g. when every pair reads in one tier there is "
			    "nothing to tell sockets apart by; it is not a mismatch)");
}

static int pairs_measured(const struct vtc_results *r)
{
	int m = 0;

	for (int i = 0; i < r->n_pairs; i++)
		m += vtc_pair_measured(&r->pairs[i], r->n_passes);
	return m;
}

/* "Measured ...", the wait for a quiet guest (it shortens the window),
 * and the window as watched. */
static void text_measured(FILE *out, const struct vtc_run *app, int width)
{
	const struct vtc_results *r = &app->res;
	int m = pairs_measured(r);
	char of[32] = "";

	if (m < r->n_pairs)
		snprintf(of, sizeof(of), "%d of ", m);
	vtc_text_paraf(out, width, 2, "Measured %d vCPUs, %s%d pair%s x %d passes in %.2f s "
		    "(timer %s%s)", r->n, of, r->n_pairs, r->n_pairs == 1 ? "" : "s", r->n_passes,
		    r->duration_s, r->timer.name, r->budget_exhausted ? ", budget exhausted" : "");
	if (r->quiet_wait_s >= 0.1)
		vtc_text_paraf(out, width, 2, "Waited %.1f s first for a quiet guest (%.1f other "
			    "tasks runnable on average); the window is that much shorter",
			    r->quiet_wait_s, r->busy_runnable);
	if (r->watch_to_s > r->watch_from_s)
		vtc_text_paraf(out, width, 2, "Watched %.1f s after the full look: %d short "
			    "re-measurements%s%s%s", app->have_inf ? app->inf.series.window_s
			    : r->watch_to_s - r->watch_from_s, r->n_watch,
			    r->watch_end_reason[0] ? "; ended early, " : "", r->watch_end_reason,
			    r->interrupted ? "; cut short by a signal" : "");
}

static void text_run_header(FILE *out, const struct vtc_run *app, int width)
{
	if (app->have_results && strcmp(app->res.backend, "import") == 0) {
		vtc_text_paraf(out, width, 2, "Imported a matrix of %d vCPUs (one value per pair, "
			    "no contention data: SMT cannot be proven from it alone)",
			    app->res.n);
	} else if (app->have_results) {
		text_measured(out, app, width);
	}
	/* What the metrics' info labels and --analyze OLD NEW compare. */
	char topo[VTC_FINGERPRINT_LEN + 1], host[VTC_FINGERPRINT_LEN + 1];
	vtc_run_fingerprints(app, topo, host);
	if (topo[0] || host[0])
		vtc_text_paraf(out, width, 2, "Fingerprints: topology %s, host %s",
			       topo[0] ? topo : "none (no judged groups)", host[0] ? host : "none");
}

void vtc_text_run(FILE *out, const struct vtc_run *app, bool quiet, bool color, bool full)
{
	int width = vtc_text_width(out);

	/* The verdict is one line whatever its length, so `| head -1` and
	 * scripts get all of it; the terminal wraps it for a person. */
	fprintf(out, "%s\n", app->reason);
	if (quiet)
		return;
	text_platform(out, &app->plat, width);
	text_run_header(out, app, width);
	if (app->have_results) {
		if (app->have_inf)
			print_groups_side_by_side(out, app, width);
		fputc('\n', out);
		text_matrix(out, &app->res, app->have_inf ? &app->inf : NULL, color, full, width);
	}
	fputc('\n', out);
	text_findings(out, &app->findings, width);
}

void vtc_text_advertised(FILE *out, const struct vtc_run *app, bool quiet)
{
	int width = vtc_text_width(out);

	/* The verdict is one line whatever its length, so `| head -1` and
	 * scripts get all of it; the terminal wraps it for a person. */
	fprintf(out, "%s\n", app->reason);
	if (quiet)
		return;
	text_platform(out, &app->plat, width);
	fputc('\n', out);
	text_topo(out, &app->sysfs, width);
	if (app->have_cpuid) {
		fputc('\n', out);
		text_topo(out, &app->cpuid, width);
	} else {
		fputs("\nCPUID: not available (not x86, or a recorded machine without "
		      "--cpuid-dump)\n", out);
	}
	fputc('\n', out);
	text_findings(out, &app->consist, width);
}
