/* test_report_svg.c - the SVG heatmap, rendered by a real renderer
 * (rsvg-convert from librsvg2-bin, a strict XML parser) and checked for
 * what it must show: colours on a log scale, stalled and unmeasured marks,
 * CPU labels, escaping of hostile text, bounded size at 256+ vCPUs.
 * Set VTC_SVG_KEEP=DIR to keep the SVG and PNG files for a look.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/testutil.h"
#include "src/report/run.h"
#include "src/analysis/compare.h"
#include "src/report/matrix.h"
#include "src/report/report_svg.h"
#include "src/analysis/series.h"
#include "tests/sim.h"
#include "src/analysis/verdict.h"

static char tmpdir[64];
static bool have_rsvg;

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vtc-svg-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Render @name.svg to PNG; the PNG must have the SVG's pixel size. */
static void render(const char *name)
{
	char svg[160], png[160], cmd[512], *s, *p;
	unsigned char hdr[24];
	unsigned w, h, pw, ph;
	const char *keep = getenv("VTC_SVG_KEEP");
	FILE *f;
	int st;

	snprintf(svg, sizeof(svg), "%s/%s.svg", tmpdir, name);
	snprintf(png, sizeof(png), "%s/%s.png", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "rsvg-convert -o '%s' '%s'", png, svg);
	st = system(cmd);
	if (st != 0)
		fail_msg("rsvg-convert failed (%d) on %s", st, svg);
	f = fopen(png, "rb");
	assert_non_null(f);
	assert_int_equal(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
	fclose(f);
	assert_memory_equal(hdr, "\x89PNG\r\n\x1a\n", 8);
	pw = (unsigned)hdr[16] << 24 | hdr[17] << 16 | hdr[18] << 8 | hdr[19];
	ph = (unsigned)hdr[20] << 24 | hdr[21] << 16 | hdr[22] << 8 | hdr[23];
	s = vtc_test_slurp(svg, NULL);
	p = strstr(s, "<svg ");
	assert_non_null(p);
	assert_int_equal(sscanf(strstr(p, "width=\""), "width=\"%u\" height=\"%u\"", &w, &h), 2);
	assert_int_equal(pw, w);
	assert_int_equal(ph, h);
	free(s);
	if (keep) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s' '%s'/", svg, png, keep);
		assert_int_equal(system(cmd), 0);
	}
}

static void write_svg(const char *name, const struct vtc_svg_input *in)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.svg", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(vtc_svg_write(f, in), 0);
	assert_int_equal(fclose(f), 0);
}

static char *read_svg(const char *name, size_t *len)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s.svg", tmpdir, name);
	return vtc_test_slurp(path, len);
}

/* Results for CPUs @list, one pass, every pair at @ns(a, b) (< 0: stalled,
 * 0: not measured). */
static void make_results(struct vtc_results *r, const char *list, double (*ns)(int, int))
{
	vtc_cpuset s;

	assert_int_equal(vtc_cpulist_parse(list, &s), 0);
	assert_int_equal(vtc_results_init(r, &s, 1), 0);
	snprintf(r->backend, sizeof(r->backend), "sim");
	snprintf(r->timer.name, sizeof(r->timer.name), "rdtscp");
	for (int i = 0; i < r->n_pairs; i++) {
		struct vtc_lat_stats *st = &r->pairs[i].pass[0];
		double v = ns(r->pairs[i].a, r->pairs[i].b);

		st->measured = v != 0;
		st->stalled = v < 0;
		st->samples = 30;
		st->median_ns = v > 0 ? v : 0;
		st->handoff_ns = v < 0 ? 1.5e6 : 0;
	}
}

/* ---- colours and marks -------------------------------------------------- */

static double three_decades(int a, int b)
{
	return a == 0 ? (b == 1 ? 10 : 100) : 1000;
}

/* 10, 100 and 1000 ns: the ends of viridis and, on a log scale, its
 * middle for 100 ns (a linear scale would put 100 ns near the bottom). */
static void test_log_scale_colours(void **state)
{
	struct vtc_results r;
	struct vtc_svg_input in = {.status = VTC_EXIT_OK, .verdict = "OK: test"};
	char *s;
	(void)state;

	make_results(&r, "0-2", three_decades);
	snprintf(r.backend, sizeof(r.backend), "import");
	in.res = &r;
	write_svg("scale", &in);
	s = read_svg("scale", NULL);
	/* an imported matrix has no timer to name */
	assert_non_null(strstr(s, "(imported matrix: no timer or passes recorded)"));
	assert_null(strstr(s, "timer ?"));
	assert_non_null(strstr(s, "fill=\"#440154\"><title>vCPU 0 - 1: 10.0 ns</title>"));
	assert_non_null(strstr(s, "fill=\"#440154\"><title>vCPU 1 - 0: 10.0 ns</title>"));
	assert_non_null(strstr(s, "fill=\"#21908d\"><title>vCPU 0 - 2: 100.0 ns</title>"));
	assert_non_null(strstr(s, "fill=\"#fde725\"><title>vCPU 2 - 1: 1000.0 ns</title>"));
	/* Legend ticks in ns at 1-2-5 steps. */
	assert_non_null(strstr(s, ">10 ns</text>"));
	assert_non_null(strstr(s, ">200 ns</text>"));
	assert_non_null(strstr(s, ">1000 ns</text>"));
	assert_non_null(strstr(s, ">OK: test</text>"));
	free(s);
	render("scale");
	vtc_results_free(&r);
}

static double stall_and_gap(int a, int b)
{
	if (a == 0 && b == 1)
		return -1;
	return a == 2 && b == 3 ? 0 : 50 + a + b;
}

static void test_stalled_and_unmeasured_marks(void **state)
{
	struct vtc_results r;
	struct vtc_svg_input in = {.status = VTC_EXIT_CRITICAL, .verdict = "CRITICAL"};
	char *s;
	(void)state;

	make_results(&r, "0-3", stall_and_gap);
	in.res = &r;
	write_svg("marks", &in);
	s = read_svg("marks", NULL);
	/* Both triangles: (0,1) and (1,0); (2,3) and (3,2). */
	assert_int_equal(count(s, "fill=\"url(#stall)\"><title>vCPU"), 2);
	assert_non_null(strstr(s, "<title>vCPU 1 - 0: stalled"));
	assert_int_equal(count(s, "fill=\"#d9d9d9\"><title>vCPU"), 2);
	assert_non_null(strstr(s, "<title>vCPU 3 - 2: not measured"));
	assert_int_equal(count(s, "fill=\"#ffffff\"></rect>"), 4); /* the diagonal */
	/* Each mark explained in the legend. */
	assert_non_null(strstr(s, "fill=\"url(#stall)\"/><text"));
	assert_non_null(strstr(s, ">stalled: vCPUs time-share a CPU</text>"));
	assert_non_null(strstr(s, ">not measured</text>"));
	assert_non_null(strstr(s, ">same vCPU</text>"));
	free(s);
	render("marks");
	vtc_results_free(&r);
}

/* ---- a simulated run through the app wrapper ---------------------------- */

/* 8 vCPUs advertised as 2 sockets x 2 cores x 2 threads on a 2-socket Xeon
 * 4208: vCPUs 0,1 really SMT siblings; 2,3 advertised siblings but on
 * different sockets; 6,7 stacked on one host CPU. */
static void judge_sim(struct vtc_run *app)
{
	const struct vtc_sim_host *h = &vtc_sim_xeon4208;
	int pin[8] = {vtc_sim_pcpu(h, 0, 0, 0), vtc_sim_pcpu(h, 0, 0, 1),
		      vtc_sim_pcpu(h, 0, 1, 0), vtc_sim_pcpu(h, 1, 5, 0),
		      vtc_sim_pcpu(h, 1, 0, 0), vtc_sim_pcpu(h, 1, 0, 1),
		      vtc_sim_pcpu(h, 1, 2, 0), vtc_sim_pcpu(h, 1, 2, 0)};
	int extra[8][2], nextra;
	struct vtc_sim sim;

	assert_int_equal(vtc_sim_init_pinned(&sim, h, 8, pin, VTC_SIM_IDLE, 11), 0);
	assert_int_equal(vtc_sim_topo(&app->sysfs, 2, 2, 2, 1), 0);
	app->have_sysfs = true;
	nextra = vtc_sim_smt_pairs(&app->sysfs, extra, 8);
	assert_int_equal(vtc_sim_measure(&sim, 2, true, extra, nextra, &app->res), 0);
	app->have_results = true;
	assert_int_equal(vtc_infer(&app->res, &app->sysfs, &app->inf), 0);
	app->have_inf = true;
	assert_int_equal(vtc_compare(&app->inf, &app->res, &app->sysfs, NULL, &app->findings), 0);
	app->status = vtc_verdict(&app->inf, &app->findings, app->reason, sizeof(app->reason));
}

static void test_sim_run(void **state)
{
	static char *argv[] = {"vtopocheck", NULL};
	struct vtc_run app;
	char path[160], want[96], *s;
	int stalled = 0;
	double ns;
	(void)state;

	vtc_run_init(&app, 1, argv);
	judge_sim(&app);
	print_message("verdict: %s (%d findings)\n", app.reason, app.findings.count);
	snprintf(path, sizeof(path), "%s/sim.svg", tmpdir);
	assert_int_equal(vtc_svg_write_app(&app, path), 0);
	s = read_svg("sim", NULL);
	for (int i = 0; i < app.res.n_pairs; i++)
		stalled += vtc_matrix_cell(&app.res, app.res.pairs[i].a, app.res.pairs[i].b,
					   &ns) == 2;
	assert_true(stalled >= 1); /* the stacked pair */
	assert_int_equal(count(s, "fill=\"url(#stall)\"><title>"), 2 * stalled);
	/* Advertised groups outlined: SMT (white over black), packages dashed. */
	assert_non_null(strstr(s, "stroke=\"#ffffff\" stroke-width=\"1.2\" d=\"M"));
	assert_non_null(strstr(s, "stroke-dasharray=\"6 3\" d=\"M"));
	/* Every finding listed, numbered, with its track. */
	assert_true(app.findings.count >= 1);
	for (int k = 0; k < app.findings.count && k < VTC_SVG_MAX_TRACKS; k++) {
		snprintf(want, sizeof(want), ">%d. %s %s (vCPUs ", k + 1,
			 app.findings.item[k].severity == VTC_SEV_CRITICAL ? "CRITICAL" :
			 app.findings.item[k].severity == VTC_SEV_WARNING ? "WARNING" : "INFO",
			 vtc_fkind_name(app.findings.item[k].kind));
		assert_non_null(strstr(s, want));
		/* in full: the fix's last word is there, not cut off */
		if (app.findings.item[k].fix[0]) {
			const char *last = strrchr(app.findings.item[k].fix, ' ');
			assert_non_null(strstr(s, ">fix: "));
			assert_non_null(strstr(s, last ? last + 1 : app.findings.item[k].fix));
		}
	}
	/* Inferred tiers on the legend. */
	for (int t = 0; t < app.inf.n_tiers; t++) {
		snprintf(want, sizeof(want), ">tier %c: ", 'a' + t);
		assert_non_null(strstr(s, want));
	}
	free(s);
	render("sim");
	vtc_run_free(&app);
}

/* ---- text, size, errors ------------------------------------------------- */

static double flat(int a, int b)
{
	return 40.0 + (a + b) % 7;
}

/* Markup, quotes, a CDATA end, control and malformed bytes in the verdict
 * and findings; a long multibyte evidence wrapped to the width. A strict XML
 * parser (librsvg uses libxml2) must accept the file. */
static void test_hostile_text(void **state)
{
	struct vtc_results r;
	struct vtc_findings fs = {0};
	struct vtc_svg_input in = {
		.status = VTC_EXIT_WARNING,
		.verdict = "WARNING: <b>bold</b> & \"quoted\" 'x' ]]> \x01\x1b[31m \xff\xc3( end",
	};
	struct vtc_finding *fi;
	vtc_cpuset cpus;
	char *s;
	(void)state;

	make_results(&r, "0-3", flat);
	vtc_cpulist_parse("1,3", &cpus);
	fi = vtc_findings_add(&fs, VTC_FK_FLOATING, VTC_SEV_WARNING, &cpus, "%s", "a<b>&c");
	assert_non_null(fi);
	for (size_t i = 6; i + 2 < sizeof(fi->evidence); i += 2)
		memcpy(fi->evidence + i, "\xc3\xa9", 2); /* é: cut must not split it */
	in.res = &r;
	in.fs = &fs;
	write_svg("hostile", &in);
	s = read_svg("hostile", NULL);
	assert_null(strstr(s, "<b>"));
	assert_null(strstr(s, "]]>"));
	assert_non_null(strstr(s, "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &apos;x&apos;"));
	assert_non_null(strstr(s, "WARNING floating (vCPUs 1,3): a&lt;b&gt;&amp;c\xc3\xa9"));
	/* wrapped, never split inside a character */
	assert_non_null(strstr(s, "\xc3\xa9</text>"));
	assert_null(strstr(s, "\xc3</text>"));
	free(s);
	render("hostile");
	vtc_findings_free(&fs);
	vtc_results_free(&r);
}

/* Up to 64 vCPUs every CPU is labelled on both axes and every pair has a
 * tooltip. */
static void test_64_vcpus_all_labelled(void **state)
{
	struct vtc_results r;
	struct vtc_svg_input in = {.status = VTC_EXIT_OK, .verdict = "OK"};
	char *s, want[32];
	(void)state;

	make_results(&r, "0-63", flat);
	in.res = &r;
	write_svg("n64", &in);
	s = read_svg("n64", NULL);
	for (int c = 0; c < 64; c++) {
		snprintf(want, sizeof(want), ">%d</text>", c);
		assert_true(count(s, want) >= 2);
	}
	assert_int_equal(count(s, "<title>vCPU"), 64 * 63);
	free(s);
	render("n64");
	vtc_results_free(&r);
}

/* Two "sockets" split at CPU 150, a stalled pair, a corner never measured. */
static double big(int a, int b)
{
	if (a == 10 && b == 11)
		return -1;
	if (a >= 300 && b >= 320)
		return 0;
	return (a < 150) == (b < 150) ? 45 + (a * b) % 5 : 140 + (a + b) % 9;
}

static void test_large_bounded(void **state)
{
	static const struct { const char *name, *cpus; int bin; } cases[] = {
		{"n256", "0-255", 2}, {"n301", "0-150,200-349", 3},
	};
	struct vtc_svg_input in = {.status = VTC_EXIT_CRITICAL, .verdict = "CRITICAL: big"};
	char want[64], *s;
	size_t len;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtc_results r;

		make_results(&r, cases[i].cpus, big);
		in.res = &r;
		write_svg(cases[i].name, &in);
		s = read_svg(cases[i].name, &len);
		print_message("%s: %zu bytes\n", cases[i].name, len);
		assert_true(len < 1000000); /* "about 1 MB at most" */
		snprintf(want, sizeof(want), "each cell a block of %d vCPUs", cases[i].bin);
		assert_non_null(strstr(s, want));
		/* The one stalled pair still shows, in its block. */
		assert_int_equal(count(s, "fill=\"url(#stall)\"/>"), 1 + 1 /* legend */);
		assert_non_null(strstr(s, "fill=\"#d9d9d9\"/>"));
		free(s);
		render(cases[i].name);
		vtc_results_free(&r);
	}
}

/* ---- observation window ------------------------------------------------- */

static double near_pair(int a, int b)
{
	return a == 0 && b == 1 ? 10 : 100;
}

/* A 1.0-9.0 s window: every 0.1 s one sample of 0-2 (100 ns) and one of
 * 2-3, which reads 10 ns from 3.0 to 3.9 s and from 6.0 to 6.4 s. */
static void add_window(struct vtc_results *r)
{
	int p02 = (int)(vtc_results_pair(r, 0, 2) - r->pairs);
	int p23 = (int)(vtc_results_pair(r, 2, 3) - r->pairs);

	r->watch_from_s = 1.0;
	r->watch_to_s = 9.0;
	for (int i = 0; i <= 80; i++) {
		double t = 1.0 + 0.1 * i;
		bool near = (i >= 20 && i < 30) || (i >= 50 && i < 55);
		assert_int_equal(vtc_results_add_watch(r, t, p02, 100 + i % 3), 0);
		assert_int_equal(vtc_results_add_watch(r, t, p23, near ? 10 + i % 2 : 100 + i % 3),
				 0);
	}
}

static void test_window_strip(void **state)
{
	struct vtc_results r;
	struct vtc_inferred inf;
	struct vtc_svg_input in = {.status = VTC_EXIT_WARNING, .verdict = "WARNING: floating",
				   .inf = &inf};
	char *s;
	(void)state;

	make_results(&r, "0-3", near_pair);
	add_window(&r);
	memset(&inf, 0, sizeof(inf));
	assert_int_equal(vtc_series_analyze(&r, &inf.series), 0);
	assert_int_equal(inf.series.n_float, 1);
	assert_float_equal(inf.series.f[0].near_max_ns, 11, 1e-9);
	in.res = &r;
	write_svg("strip", &in);
	s = read_svg("strip", NULL);
	assert_non_null(strstr(s, ">Observation window: 8.0 s, 162 samples</text>"));
	assert_non_null(strstr(s, ">Pairs seen nearer than usual: "));
	assert_non_null(strstr(s, ">v2-v3</text>"));
	assert_non_null(strstr(s, "<title>v2-v3 usually 101 ns, 10 ns in 15 of 81 samples</title>"));
	/* Two near spells (10 ns colour, the scale's fast end), each to the
	 * next usual sample: 3.0-4.0 s and 6.0-6.5 s of the 8 s strip. */
	assert_int_equal(count(s, "fill=\"#440154\"/>"), 2);
	assert_true(count(s, "fill=\"#fde725\"><title>v2-v3") == 1);
	assert_non_null(strstr(s, ">1.0 s</text>"));
	assert_non_null(strstr(s, ">9.0 s after start</text>"));
	/* The nearest reading over time, episodes marked where they began. */
	assert_non_null(strstr(s, ">nearest</text>"));
	assert_non_null(strstr(s, "<polyline fill=\"none\" stroke=\"#1f4e9c\" points=\"1"));
	assert_non_null(strstr(s, "<title>v2-v3 nearer from 3.00 s</title>"));
	assert_non_null(strstr(s, "<title>v2-v3 nearer from 6.00 s</title>"));
	free(s);
	render("strip");

	/* A window in which nothing moved: the caption says so, no band. */
	vtc_series_free(&inf.series);
	memset(&inf.series, 0, sizeof(inf.series));
	write_svg("strip-still", &in);
	s = read_svg("strip-still", NULL);
	assert_non_null(strstr(s, ">No pair read nearer than usual: the placement held still"));
	assert_null(strstr(s, ">v2-v3</text>"));
	/* still a plot of the nearest readings, not an empty strip */
	assert_non_null(strstr(s, "<polyline fill=\"none\" stroke=\"#1f4e9c\" points=\"1"));
	assert_null(strstr(s, "nearer from"));
	free(s);
	render("strip-still");

	/* No window: no strip. */
	r.n_watch = 0;
	r.watch_from_s = r.watch_to_s = 0;
	write_svg("strip-none", &in);
	s = read_svg("strip-none", NULL);
	assert_null(strstr(s, "Observation window"));
	free(s);
	vtc_results_free(&r);
}

static void test_bad_arguments(void **state)
{
	static char *argv[] = {"vtopocheck", NULL};
	struct vtc_results r;
	struct vtc_svg_input in = {.status = VTC_EXIT_OK};
	struct vtc_run app;
	FILE *f = tmpfile();
	(void)state;

	assert_non_null(f);
	assert_int_equal(vtc_svg_write(f, &in), -EINVAL); /* no results */
	assert_int_equal(vtc_svg_write(f, NULL), -EINVAL);
	make_results(&r, "0-1", flat);
	in.res = &r;
	in.status = (enum vtc_exit)9;
	assert_int_equal(vtc_svg_write(f, &in), -EINVAL);
	r.n = 0;
	in.status = VTC_EXIT_OK;
	assert_int_equal(vtc_svg_write(f, &in), -EINVAL);
	r.n = 2;
	assert_int_equal(vtc_svg_write(NULL, &in), -EINVAL);
	fclose(f);
	vtc_results_free(&r);
	vtc_run_init(&app, 1, argv);
	assert_int_equal(vtc_svg_write_app(&app, "x.svg"), -ENODATA); /* nothing measured */
	assert_int_equal(vtc_svg_write_app(NULL, "x.svg"), -EINVAL);
	vtc_run_free(&app);
}

int main(void)
{
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_bad_arguments),
	};
	const struct CMUnitTest rendered[] = {
		cmocka_unit_test(test_log_scale_colours),
		cmocka_unit_test(test_stalled_and_unmeasured_marks),
		cmocka_unit_test(test_sim_run),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_64_vcpus_all_labelled),
		cmocka_unit_test(test_large_bounded),
		cmocka_unit_test(test_window_strip),
	};
	int rc = cmocka_run_group_tests_name("report_svg", plain, NULL, NULL);

	have_rsvg = system("command -v rsvg-convert >/dev/null 2>&1") == 0;
	if (!have_rsvg) {
		fputs("test_report_svg: rsvg-convert not found (Debian: librsvg2-bin); "
		      "rendering tests skipped\n", stderr);
		return rc ? rc : 77;
	}
	return rc + cmocka_run_group_tests_name("report_svg_rendered", rendered, setup, teardown);
}
