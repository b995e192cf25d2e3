/* test_report_text.c - the human-readable report (src/report/report_text.c):
 * the verdict as the first line, the findings block, the side-by-side
 * advertised/measured table, the latency matrix with its tier letters and
 * legend, the lines on what was measured, and the --advertised report (the
 * per-vCPU table, the groups of each level, the platform lines). Every structure is built by
 * hand, so each expected line follows from fields set here; the report is
 * written to a memory stream (not a terminal: 80 columns).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/report/report_text.h"
#include "src/report/run.h"
#include "src/report/textflow.h"
#include "tests/sim.h"
#include "tests/testutil.h"

/* ---- capturing and reading the report ---------------------------------- */

/* The report on a memory stream, which is no terminal: 80 columns wide. */
static FILE *capture_open(struct vtc_test_mem *c)
{
	FILE *f = vtc_test_mem_open(c);

	assert_int_equal(vtc_text_width(f), VTC_TEXT_WIDTH_DEFAULT);
	return f;
}

/* Whether @text has a line equal to @line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* Number of lines of @text that start with @prefix. */
static int lines_starting(const char *text, const char *prefix)
{
	int n = 0;
	size_t len = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		n += strncmp(p, prefix, len) == 0;
	return n;
}

/* Occurrences of @needle in @text. */
static int count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Every line of @text fits @width columns. */
static void assert_fits(const char *text, int width)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if ((int)len > width)
			fail_msg("line wider than %d: '%.*s'", width, (int)len, p);
		p += len + (nl != NULL);
	}
}

static void assert_has_line(const char *text, const char *line)
{
	if (!has_line(text, line))
		fail_msg("no line '%s' in:\n%s", line, text);
}

static void assert_no_line_starting(const char *text, const char *prefix)
{
	if (lines_starting(text, prefix) != 0)
		fail_msg("a line starts with '%s' in:\n%s", prefix, text);
}

/* ---- building inputs ------------------------------------------------------ */

/* Results for CPUs @list, @passes passes, every pair read at @ns(a, b) in
 * every pass: > 0 that median, < 0 stalled, 0 not measured. */
static void make_results(struct vtc_results *r, const char *list, int passes,
			 double (*ns)(int, int))
{
	vtc_cpuset s;

	assert_int_equal(vtc_cpulist_parse(list, &s), 0);
	assert_int_equal(vtc_results_init(r, &s, passes), 0);
	snprintf(r->backend, sizeof(r->backend), "sim");
	snprintf(r->timer.name, sizeof(r->timer.name), "rdtscp");
	r->quiet_wait_s = 0;
	r->busy_runnable = -1;
	for (int i = 0; i < r->n_pairs; i++)
		for (int k = 0; k < passes; k++) {
			struct vtc_lat_stats *st = &r->pairs[i].pass[k];
			double v = ns(r->pairs[i].a, r->pairs[i].b);

			st->measured = v != 0;
			st->stalled = v < 0;
			st->samples = 30;
			st->median_ns = v > 0 ? v : 0;
			st->handoff_ns = v < 0 ? 1.5e6 : 0;
		}
}

static void set_tier(struct vtc_inferred *inf, int t, double lo, double hi, double median, int n)
{
	inf->tier[t] = (struct vtc_tier){.lo_ns = lo, .hi_ns = hi, .median_ns = median, .n = n};
	if (inf->n_tiers < t + 1)
		inf->n_tiers = t + 1;
}

/* Groups of kind @k from cpulists, e.g. {"0,1", "2,3"}; known. */
static void set_groups(struct vtc_inferred *inf, enum vtc_gkind k, const char *const *lists, int n)
{
	inf->known[k] = true;
	inf->groups[k].count = n;
	inf->groups[k].g = calloc((size_t)n, sizeof(*inf->groups[k].g));
	assert_non_null(inf->groups[k].g);
	for (int i = 0; i < n; i++)
		assert_int_equal(vtc_cpulist_parse(lists[i], &inf->groups[k].g[i].cpus), 0);
}

/* 0-1 and 2-3 near (100 ns), the rest far (1000 ns). */
static double two_pairs(int a, int b)
{
	return a / 2 == b / 2 ? 100 : 1000;
}

/* As two_pairs, but the pair (2, 3) stalled and (1, 3) not measured. */
static double odd_cells(int a, int b)
{
	if (a == 2 && b == 3)
		return -1;
	if (a == 1 && b == 3)
		return 0;
	return two_pairs(a, b);
}

/* A run of 4 vCPUs advertised as 1 socket x 2 cores x 2 threads (SMT
 * {0,1}{2,3}, one L3, one package), measured by @ns in one pass, with
 * tiers a (100 ns, 2 pairs) and b (1000 ns, 4 pairs) and the measured SMT
 * groups {0,1}{2,3}; LLC and socket left unknown. */
static void make_run(struct vtc_run *app, double (*ns)(int, int))
{
	static char *argv[] = {"vtopocheck", NULL};
	static const char *const smt[] = {"0,1", "2,3"};

	vtc_run_init(app, 1, argv);
	app->status = VTC_EXIT_CRITICAL;
	snprintf(app->reason, sizeof(app->reason), "CRITICAL: a verdict of the test");
	assert_int_equal(vtc_sim_topo(&app->sysfs, 1, 2, 2, 1), 0);
	app->have_sysfs = true;
	make_results(&app->res, "0-3", 1, ns);
	app->res.duration_s = 0.5;
	app->have_results = true;
	assert_int_equal(vtc_cpulist_parse("0-3", &app->inf.cpus), 0);
	set_tier(&app->inf, 0, 95, 105, 100, 2);
	set_tier(&app->inf, 1, 950, 1050, 1000, 4);
	app->inf.twin_noise = -1;
	set_groups(&app->inf, VTC_GROUP_SMT, smt, 2);
	app->have_inf = true;
}

static char *run_text(const struct vtc_run *app, bool quiet)
{
	struct vtc_test_mem c;

	vtc_text_run(capture_open(&c), app, quiet, false, false);
	return vtc_test_mem_close(&c);
}

/* "  <name>      <left, 34 columns> <right>": one row of the side-by-side
 * table at 80 columns, its cells on one line each. */
static void side_row(char *buf, size_t len, const char *name, const char *left,
		     const char *right)
{
	snprintf(buf, len, "  %-10s  %-34s %s", name, left, right);
}

/* ---- the verdict and the quiet report ----------------------------------- */

/* The verdict is the first line, whole, even far wider than the terminal
 * (scripts read it with head -1); -q prints nothing else. */
static void test_verdict_first_line(void **state)
{
	struct vtc_run app;
	char *out, *nl;
	(void)state;

	make_run(&app, two_pairs);
	memset(app.reason, 'x', 200);
	memcpy(app.reason, "CRITICAL: ", 10);
	app.reason[200] = '\0';
	out = run_text(&app, false);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	assert_int_equal(nl - out, 200);
	assert_memory_equal(out, app.reason, 200);
	free(out);

	out = run_text(&app, true);
	assert_int_equal(strlen(out), 201);
	assert_memory_equal(out, app.reason, 200);
	assert_int_equal(out[200], '\n');
	free(out);
	vtc_run_free(&app);
}

/* ---- findings ------------------------------------------------------------- */

static void test_findings_none(void **state)
{
	struct vtc_findings fs = {0};
	struct vtc_test_mem c;
	char *out;
	(void)state;

	vtc_text_findings(capture_open(&c), &fs);
	out = vtc_test_mem_close(&c);
	assert_string_equal(out, "Findings: none\n");
	free(out);
}

/* The headline of each finding names its severity, kind, vCPUs and groups
 * (the names the enums give), then its evidence, cost and fix; a finding
 * without cost or fix has no such line. */
static void test_findings_block(void **state)
{
	struct vtc_findings fs = {0};
	struct vtc_finding *f;
	vtc_cpuset cpus;
	struct vtc_test_mem c;
	char line[256], *out;
	(void)state;

	assert_int_equal(vtc_cpulist_parse("0-3", &cpus), 0);
	f = vtc_findings_add(&fs, VTC_FK_PHANTOM_SMT, VTC_SEV_CRITICAL, &cpus, "ev %d", 1);
	assert_non_null(f);
	snprintf(f->cost, sizeof(f->cost), "cost one");
	snprintf(f->fix, sizeof(f->fix), "fix one");
	snprintf(f->groups, sizeof(f->groups), "{0,1}{2,3}");
	f->n_groups = 2;
	assert_int_equal(vtc_cpulist_parse("5", &cpus), 0);
	assert_non_null(vtc_findings_add(&fs, VTC_FK_FLOATING, VTC_SEV_INFO, &cpus, "ev two"));

	vtc_text_findings(capture_open(&c), &fs);
	out = vtc_test_mem_close(&c);
	assert_fits(out, 80);
	assert_has_line(out, "Findings (2):");
	snprintf(line, sizeof(line), "  [%s] %s on vCPUs 0-3, groups {0,1}{2,3}",
		 vtc_severity_name(VTC_SEV_CRITICAL), vtc_fkind_name(VTC_FK_PHANTOM_SMT));
	assert_has_line(out, line);
	assert_has_line(out, "      evidence: ev 1");
	assert_has_line(out, "      cost:     cost one");
	assert_has_line(out, "      fix:      fix one");
	snprintf(line, sizeof(line), "  [%s] %s on vCPUs 5", vtc_severity_name(VTC_SEV_INFO),
		 vtc_fkind_name(VTC_FK_FLOATING));
	assert_has_line(out, line);
	assert_has_line(out, "      evidence: ev two");
	/* the second finding has neither cost nor fix */
	assert_int_equal(lines_starting(out, "      cost:"), 1);
	assert_int_equal(lines_starting(out, "      fix:"), 1);
	/* order: the headline, then its evidence, cost and fix */
	assert_true(strstr(out, "ev 1") < strstr(out, "cost one"));
	assert_true(strstr(out, "cost one") < strstr(out, "fix one"));
	assert_true(strstr(out, "fix one") < strstr(out, "ev two"));
	free(out);
	vtc_findings_free(&fs);
}

/* A long evidence wraps under its text, within 80 columns. */
static void test_findings_wrap(void **state)
{
	struct vtc_findings fs = {0};
	struct vtc_finding *f;
	vtc_cpuset cpus;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	assert_int_equal(vtc_cpulist_parse("0,1", &cpus), 0);
	f = vtc_findings_add(&fs, VTC_FK_STACKED, VTC_SEV_WARNING, &cpus, "%s",
			     "word word word word word word word word word word word word word "
			     "word word word word word word word word word word word word word");
	assert_non_null(f);
	vtc_text_findings(capture_open(&c), &fs);
	out = vtc_test_mem_close(&c);
	assert_fits(out, 80);
	assert_int_equal(lines_starting(out, "      evidence: word"), 1);
	/* the continuation starts under the text, after the 16-column label */
	assert_int_equal(lines_starting(out, "                word"), 1);
	free(out);
	vtc_findings_free(&fs);
}

/* ---- the matrix ------------------------------------------------------------ */

/* Each cell: its median and the letter of its tier; the diagonal '.'; one
 * legend line per tier, with "1 measurement" in the singular. */
static void test_matrix_cells_and_tiers(void **state)
{
	struct vtc_run app;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	make_run(&app, two_pairs);
	set_tier(&app.inf, 0, 95, 105, 100, 1);
	vtc_text_matrix(capture_open(&c), &app.res, &app.inf, false, false);
	out = vtc_test_mem_close(&c);
	assert_has_line(out, "One-way latency, median ns, letter = tier:");
	assert_has_line(out, " CPU     0     1     2     3");
	assert_has_line(out, "   0     .  100a 1000b 1000b");
	assert_has_line(out, "   1  100a     . 1000b 1000b");
	assert_has_line(out, "   2 1000b 1000b     .  100a");
	assert_has_line(out, "   3 1000b 1000b  100a     .");
	assert_has_line(out, "  tier a: 95-105 ns, median 100 ns, 1 measurement");
	assert_has_line(out, "  tier b: 950-1050 ns, median 1000 ns, 4 measurements");
	assert_has_line(out, "  clarity: tiers a|b 10.0x");
	/* every cell measured: no legend for S or - */
	assert_no_line_starting(out, "  S:");
	assert_no_line_starting(out, "  -:");
	free(out);
	vtc_run_free(&app);
}

/* A latency between tiers takes the nearest tier on a log scale. */
static void test_matrix_nearest_tier(void **state)
{
	struct vtc_run app;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	make_run(&app, two_pairs);
	/* 100 ns lies outside both: 2x above a's top, 5x below b's bottom */
	set_tier(&app.inf, 0, 40, 50, 45, 2);
	set_tier(&app.inf, 1, 500, 1050, 800, 4);
	vtc_text_matrix(capture_open(&c), &app.res, &app.inf, false, false);
	out = vtc_test_mem_close(&c);
	assert_has_line(out, "   0     .  100a 1000b 1000b");
	free(out);
	/* now 100 ns is 5x above a's top (80 ns off) and 3x below b's bottom
	 * (200 ns off): nearer b on a log scale, nearer a on a linear one */
	set_tier(&app.inf, 0, 10, 20, 15, 2);
	set_tier(&app.inf, 1, 300, 1050, 800, 4);
	vtc_text_matrix(capture_open(&c), &app.res, &app.inf, false, false);
	out = vtc_test_mem_close(&c);
	assert_has_line(out, "   0     .  100b 1000b 1000b");
	free(out);
	vtc_run_free(&app);
}

/* Stalled cells read S, unmeasured ones -, and each has its legend line. */
static void test_matrix_odd_cells(void **state)
{
	struct vtc_run app;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	make_run(&app, odd_cells);
	vtc_text_matrix(capture_open(&c), &app.res, &app.inf, false, false);
	out = vtc_test_mem_close(&c);
	assert_has_line(out, "   1  100a     . 1000b     -");
	assert_has_line(out, "   2 1000b 1000b     .     S");
	assert_has_line(out, "   3 1000b     -     S     .");
	assert_has_line(out, "  S: only stalled (handoffs waited for a scheduler)");
	assert_has_line(out, "  -: not measured");
	free(out);
	vtc_run_free(&app);
}

static double stalled_only(int a, int b)
{
	return a == 2 && b == 3 ? -1 : two_pairs(a, b);
}

/* Only the legend of the marks present: S without -. */
static void test_matrix_stalled_legend_alone(void **state)
{
	struct vtc_run app;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	make_run(&app, stalled_only);
	vtc_text_matrix(capture_open(&c), &app.res, &app.inf, false, false);
	out = vtc_test_mem_close(&c);
	assert_has_line(out, "  S: only stalled (handoffs waited for a scheduler)");
	assert_no_line_starting(out, "  -:");
	free(out);
	vtc_run_free(&app);
}

/* Colour wraps a cell in its tier's colour and resets it after. */
static void test_matrix_color(void **state)
{
	struct vtc_run app;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	make_run(&app, two_pairs);
	vtc_text_matrix(capture_open(&c), &app.res, &app.inf, true, false);
	out = vtc_test_mem_close(&c);
	assert_non_null(strstr(out, "\033[36m  100a\033[0m"));
	assert_non_null(strstr(out, "\033[32m 1000b\033[0m"));
	free(out);
	vtc_run_free(&app);
}

static double flat(int a, int b)
{
	(void)a;
	(void)b;
	return 100;
}

/* Above 16 vCPUs a summary replaces the matrix, unless full. */
static void test_matrix_summary_above_16(void **state)
{
	struct vtc_results r;
	struct vtc_inferred inf = {0};
	struct vtc_test_mem c;
	char *out;
	(void)state;

	make_results(&r, "0-16", 1, flat);
	set_tier(&inf, 0, 100, 100, 100, r.n_pairs);
	inf.twin_noise = -1;
	vtc_text_matrix(capture_open(&c), &r, &inf, false, false);
	out = vtc_test_mem_close(&c);
	assert_has_line(out, "Latency tiers over 17 vCPUs (the full matrix: --full or --matrix):");
	assert_has_line(out, "  tier a: 100-100 ns, median 100 ns, 136 measurements");
	assert_no_line_starting(out, " CPU");
	free(out);

	/* full: the matrix in blocks of 12 columns ((80 - 4) / 6) */
	vtc_text_matrix(capture_open(&c), &r, &inf, false, true);
	out = vtc_test_mem_close(&c);
	assert_fits(out, 80);
	assert_int_equal(lines_starting(out, " CPU"), 2);
	assert_has_line(out, " CPU     0     1     2     3     4     5     6     7     8     9    10    11");
	assert_has_line(out, " CPU    12    13    14    15    16");
	free(out);
	vtc_results_free(&r);
}

/* ---- a whole run ------------------------------------------------------------ */

/* Advertised and measured groups side by side; a level measurement could
 * not settle reads "unknown", and an explanation follows only then. (The
 * explanation is counted wherever its line starts: the paragraph is wider
 * than 80 columns, and a wrapped paragraph loses the two leading spaces of
 * its format today, while its continuation lines are indented by 2.) */
static void test_run_side_by_side(void **state)
{
	static const char *const llc[] = {"0-3"};
	static const char *const sock[] = {"0-3"};
	struct vtc_run app;
	char line[160], *out;
	(void)state;

	make_run(&app, two_pairs);
	out = run_text(&app, false);
	assert_fits(out, 80);
	snprintf(line, sizeof(line), "%14s%-34s %s", "", "advertised (sysfs)", "measured");
	assert_has_line(out, line);
	side_row(line, sizeof(line), vtc_gkind_name(VTC_GROUP_SMT), "{0-1}{2-3}", "{0-1}{2-3}");
	assert_has_line(out, line);
	side_row(line, sizeof(line), vtc_gkind_name(VTC_GROUP_LLC), "{0-3}", "unknown");
	assert_has_line(out, line);
	side_row(line, sizeof(line), vtc_gkind_name(VTC_GROUP_SOCKET), "{0-3}", "unknown");
	assert_has_line(out, line);
	assert_int_equal(count(out, "(measured \"unknown\": the measurements cannot settle"), 1);
	free(out);

	/* every level measured: no explanation */
	set_groups(&app.inf, VTC_GROUP_LLC, llc, 1);
	set_groups(&app.inf, VTC_GROUP_SOCKET, sock, 1);
	out = run_text(&app, false);
	side_row(line, sizeof(line), vtc_gkind_name(VTC_GROUP_LLC), "{0-3}", "{0-3}");
	assert_has_line(out, line);
	assert_int_equal(count(out, "(measured \"unknown\": the measurements cannot settle"), 0);
	free(out);

	/* unknown on both sides is no mismatch to explain either */
	app.inf.known[VTC_GROUP_SOCKET] = false;
	app.sysfs.level_known[VTC_LEVEL_PACKAGE] = false;
	out = run_text(&app, false);
	side_row(line, sizeof(line), vtc_gkind_name(VTC_GROUP_SOCKET), "unknown", "unknown");
	assert_has_line(out, line);
	assert_int_equal(count(out, "(measured \"unknown\": the measurements cannot settle"), 0);
	free(out);
	vtc_run_free(&app);
}

/* The parts of the report in their order: verdict, platform, what was
 * measured, the table, the matrix, the findings. */
static void test_run_order(void **state)
{
	struct vtc_run app;
	char *out, *p[6];
	(void)state;

	make_run(&app, two_pairs);
	out = run_text(&app, false);
	p[0] = strstr(out, app.reason);
	p[1] = strstr(out, "\nCPU: ");
	p[2] = strstr(out, "\nMeasured 4 vCPUs");
	p[3] = strstr(out, "advertised (sysfs)");
	p[4] = strstr(out, "\nOne-way latency");
	p[5] = strstr(out, "\nFindings: none\n");
	assert_true(p[0] == out);
	for (int i = 1; i < 6; i++) {
		assert_non_null(p[i]);
		assert_true(p[i - 1] < p[i]);
	}
	/* without inference: no table, the matrix without letters */
	app.have_inf = false;
	free(out);
	out = run_text(&app, false);
	assert_null(strstr(out, "advertised (sysfs)"));
	assert_has_line(out, "   0     .  100  1000  1000 ");
	assert_no_line_starting(out, "  tier ");
	free(out);
	app.have_inf = true; /* so that vtc_run_free frees the inference */
	vtc_run_free(&app);
}

/* "Measured N vCPUs, [M of] P pairs x K passes in T s (timer ...)". */
static void test_run_measured_line(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	make_run(&app, two_pairs);
	out = run_text(&app, false);
	assert_has_line(out, "Measured 4 vCPUs, 6 pairs x 1 passes in 0.50 s (timer rdtscp)");
	free(out);
	vtc_run_free(&app);

	make_run(&app, odd_cells); /* (1, 3) not measured in any pass */
	app.res.budget_exhausted = true;
	out = run_text(&app, false);
	/* 82 columns: wrapped, the continuation indented by 2 */
	assert_non_null(strstr(out, "\nMeasured 4 vCPUs, 5 of 6 pairs x 1 passes in 0.50 s (timer "
				    "rdtscp, budget\n  exhausted)\n"));
	free(out);
	vtc_run_free(&app);
}

/* The wait for a quiet guest has its line from 0.1 s on. */
static void test_run_quiet_wait(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	make_run(&app, two_pairs);
	app.res.quiet_wait_s = 0.09;
	app.res.busy_runnable = 3;
	out = run_text(&app, false);
	assert_no_line_starting(out, "Waited");
	free(out);
	app.res.quiet_wait_s = 2.5;
	out = run_text(&app, false);
	assert_fits(out, 80);
	assert_non_null(strstr(out, "\nWaited 2.5 s first for a quiet guest (3.0 other tasks "
				    "runnable on average);"));
	free(out);
	vtc_run_free(&app);
}

/* The observation window: its length (the series' window when inferred),
 * the re-measurements, why it ended early and whether a signal cut it. */
static void test_run_watched(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	make_run(&app, two_pairs);
	out = run_text(&app, false);
	assert_no_line_starting(out, "Watched");
	free(out);

	app.res.watch_from_s = 1;
	app.res.watch_to_s = 11;
	app.res.n_watch = 42;
	app.inf.series.window_s = 9.5;
	out = run_text(&app, false);
	assert_has_line(out, "Watched 9.5 s after the full look: 42 short re-measurements");
	free(out);

	app.have_inf = false; /* then the window as recorded */
	out = run_text(&app, false);
	assert_has_line(out, "Watched 10.0 s after the full look: 42 short re-measurements");
	free(out);

	app.have_inf = true;
	app.res.interrupted = true;
	out = run_text(&app, false);
	assert_non_null(strstr(out, "\nWatched 9.5 s after the full look: 42 short "
				    "re-measurements; cut short by a\n  signal\n"));
	free(out);

	snprintf(app.res.watch_end_reason, sizeof(app.res.watch_end_reason), "settled");
	out = run_text(&app, false);
	assert_non_null(strstr(out, "\nWatched 9.5 s after the full look: 42 short "
				    "re-measurements; ended early,\n  settled; cut short by a signal\n"));
	free(out);
	vtc_run_free(&app);
}

/* An imported matrix says so instead of what was measured. */
static void test_run_imported(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	make_run(&app, two_pairs);
	snprintf(app.res.backend, sizeof(app.res.backend), "import");
	out = run_text(&app, false);
	assert_no_line_starting(out, "Measured");
	assert_non_null(strstr(out, "\nImported a matrix of 4 vCPUs (one value per pair,"));
	free(out);
	vtc_run_free(&app);
}

/* ---- the advertised side ------------------------------------------------------ */

/* 1 socket x 2 cores x 2 threads, vCPU 3 offline, vCPU 2 outside the
 * cpuset, cache sizes known for L2 (KiB) and L3 (whole MiB). */
static void make_topo(struct vtc_topo *t)
{
	assert_int_equal(vtc_sim_topo(t, 1, 2, 2, 1), 0);
	t->cpu[3].online = false;
	vtc_cpuset_unset(&t->online, 3);
	vtc_cpuset_unset(&t->allowed, 2);
	t->cache_kib[VTC_LEVEL_L2] = 1280;
	t->cache_kib[VTC_LEVEL_L3] = 32768;
}

/* The per-vCPU table and every level's groups, "unknown" where the source
 * does not say. */
static void test_topo_table(void **state)
{
	struct vtc_topo t;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	make_topo(&t);
	vtc_text_topo(capture_open(&c), &t);
	out = vtc_test_mem_close(&c);
	assert_fits(out, 80);
	assert_has_line(out, "Advertised by sim: online 0-2, allowed 0-1,3");
	assert_has_line(out, "  CPU ONLINE   SMT  CORE  DIE  PKG NODE  X2APIC  L1d   L2   L3");
	assert_int_equal(lines_starting(out, "    0 yes "), 1);
	assert_has_line(out, "    3 offline");
	assert_int_equal(count(out, "(outside cpuset)"), 1);
	assert_int_equal(lines_starting(out, "    2 yes "), 1);
	assert_non_null(strstr(out, "\n    2 yes "));
	assert_true(strstr(strstr(out, "\n    2 yes "), "(outside cpuset)\n") <
		    strstr(out, "\n    3 offline"));
	assert_has_line(out, "Groups:");
	assert_has_line(out, "  smt      {0-1} {2-3}");
	assert_has_line(out, "  cluster  unknown");
	assert_has_line(out, "  l2       {0-1} {2-3}  (1280 KiB each)");
	assert_has_line(out, "  l3       {0-3}  (32 MiB each)");
	free(out);
	vtc_topo_free(&t);
}

/* The KVM dedicated-vCPU hint has its line only where CPUID told it. */
static void test_platform_lines(void **state)
{
	struct vtc_platform p;
	struct vtc_test_mem c;
	char *out;
	(void)state;

	memset(&p, 0, sizeof(p));
	vtc_text_platform(capture_open(&c), &p);
	out = vtc_test_mem_close(&c);
	assert_string_equal(out, "CPU: (unknown model)\nHypervisor: unknown\n");
	free(out);

	snprintf(p.model_name, sizeof(p.model_name), "AMD EPYC");
	snprintf(p.hypervisor, sizeof(p.hypervisor), "kvm");
	snprintf(p.hypervisor_evidence, sizeof(p.hypervisor_evidence), "CPUID signature");
	p.kvm_hint_dedicated = VTC_HINT_YES;
	vtc_text_platform(capture_open(&c), &p);
	out = vtc_test_mem_close(&c);
	assert_string_equal(out, "CPU: AMD EPYC\nHypervisor: kvm (CPUID signature)\n"
				 "KVM dedicated-vCPU hint: yes (a Linux guest uses native spinlocks)\n");
	free(out);

	p.kvm_hint_dedicated = VTC_HINT_NO;
	vtc_text_platform(capture_open(&c), &p);
	out = vtc_test_mem_close(&c);
	assert_has_line(out, "KVM dedicated-vCPU hint: no");
	free(out);
}

/* --advertised: the verdict, the platform, sysfs, CPUID (or why not) and
 * the consistency findings; -q the verdict alone. */
static void test_advertised_report(void **state)
{
	static char *argv[] = {"vtopocheck", NULL};
	struct vtc_run app;
	char *out;
	struct vtc_test_mem c;
	vtc_cpuset cpus;
	(void)state;

	vtc_run_init(&app, 1, argv);
	snprintf(app.reason, sizeof(app.reason), "OK: advertised");
	make_topo(&app.sysfs);
	app.have_sysfs = true;
	vtc_text_advertised(capture_open(&c), &app, false);
	out = vtc_test_mem_close(&c);
	assert_true(strncmp(out, "OK: advertised\n", 15) == 0);
	assert_int_equal(lines_starting(out, "Advertised by "), 1);
	assert_has_line(out, "CPUID: not available (not x86, or a recorded machine without "
			     "--cpuid-dump)");
	assert_true(strstr(out, "\nFindings: none\n") > strstr(out, "CPUID: not available"));
	free(out);

	assert_int_equal(vtc_sim_topo(&app.cpuid, 1, 2, 2, 1), 0);
	snprintf(app.cpuid.source, sizeof(app.cpuid.source), "cpuid");
	app.have_cpuid = true;
	assert_int_equal(vtc_cpulist_parse("3", &cpus), 0);
	assert_non_null(vtc_findings_add(&app.consist, VTC_FK_CPUID_SYSFS_DISAGREE,
					 VTC_SEV_WARNING, &cpus, "differ"));
	vtc_text_advertised(capture_open(&c), &app, false);
	out = vtc_test_mem_close(&c);
	assert_int_equal(lines_starting(out, "Advertised by "), 2);
	assert_true(strstr(out, "Advertised by sim:") < strstr(out, "Advertised by cpuid:"));
	assert_null(strstr(out, "CPUID: not available"));
	assert_has_line(out, "Findings (1):");
	free(out);

	vtc_text_advertised(capture_open(&c), &app, true);
	out = vtc_test_mem_close(&c);
	assert_string_equal(out, "OK: advertised\n");
	free(out);
	vtc_run_free(&app);
}

/* A group list longer than 4 lines in its column: its count and size, its
 * first groups up to a whole group and "...", and a note once below. */
static void test_run_side_shortened(void **state)
{
	static char *argv[] = {"vtopocheck", NULL};
	struct vtc_run app;
	char *out, *row, *end;
	int lines = 0;
	(void)state;

	vtc_run_init(&app, 1, argv);
	snprintf(app.reason, sizeof(app.reason), "OK: many");
	assert_int_equal(vtc_sim_topo(&app.sysfs, 1, 32, 2, 1), 0);
	app.have_sysfs = true;
	make_results(&app.res, "0-63", 1, two_pairs);
	app.have_results = true;
	app.inf.cpus = app.res.probed;
	set_tier(&app.inf, 0, 95, 105, 100, 32);
	set_tier(&app.inf, 1, 950, 1050, 1000, 1984);
	app.inf.twin_noise = -1;
	app.inf.known[VTC_GROUP_SMT] = true;
	/* measured: {0,1}, then every other vCPU alone, {9} after {23} so
	 * that the 4th line fills the 31-column cell: "..." does not fit
	 * after it, and the cut backs up to a whole group */
	app.inf.groups[VTC_GROUP_SMT].count = 63;
	app.inf.groups[VTC_GROUP_SMT].g = calloc(63, sizeof(struct vtc_igroup));
	assert_non_null(app.inf.groups[VTC_GROUP_SMT].g);
	vtc_cpuset_set(&app.inf.groups[VTC_GROUP_SMT].g[0].cpus, 0);
	vtc_cpuset_set(&app.inf.groups[VTC_GROUP_SMT].g[0].cpus, 1);
	for (int v = 2, k = 1; v < 64; v++) {
		if (v == 9)
			continue;
		vtc_cpuset_set(&app.inf.groups[VTC_GROUP_SMT].g[k++].cpus, v);
		if (v == 23)
			vtc_cpuset_set(&app.inf.groups[VTC_GROUP_SMT].g[k++].cpus, 9);
	}
	app.have_inf = true;
	out = run_text(&app, false);
	assert_fits(out, 80);
	row = strstr(out, "\n  smt         32 groups of 2: {0-1}");
	assert_non_null(row);
	/* the right column: groups of several sizes, counted without one */
	assert_non_null(strstr(row, " 63 groups: {0-1}{2}{3}"));
	assert_non_null(strstr(row, " {23}{9}{24}{25}{26}{27}{28}...\n"));
	end = strstr(row, "\n  llc ");
	assert_non_null(end);
	for (char *p = row + 1; p < end; p = strchr(p, '\n') + 1)
		lines++;
	assert_int_equal(lines, 4);
	/* the last line of each cell ends in "..." after a whole group */
	assert_int_equal(count(row, "}..."), 2);
	assert_int_equal(count(out, "(lists longer than 4 lines shortened;"), 1);
	free(out);
	vtc_run_free(&app);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_first_line),
		cmocka_unit_test(test_findings_none),
		cmocka_unit_test(test_findings_block),
		cmocka_unit_test(test_findings_wrap),
		cmocka_unit_test(test_matrix_cells_and_tiers),
		cmocka_unit_test(test_matrix_nearest_tier),
		cmocka_unit_test(test_matrix_odd_cells),
		cmocka_unit_test(test_matrix_stalled_legend_alone),
		cmocka_unit_test(test_matrix_color),
		cmocka_unit_test(test_matrix_summary_above_16),
		cmocka_unit_test(test_run_side_by_side),
		cmocka_unit_test(test_run_order),
		cmocka_unit_test(test_run_measured_line),
		cmocka_unit_test(test_run_quiet_wait),
		cmocka_unit_test(test_run_watched),
		cmocka_unit_test(test_run_imported),
		cmocka_unit_test(test_run_side_shortened),
		cmocka_unit_test(test_topo_table),
		cmocka_unit_test(test_platform_lines),
		cmocka_unit_test(test_advertised_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
