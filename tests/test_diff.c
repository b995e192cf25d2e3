/* test_diff.c - what changed between two runs: nothing for two runs of one
 * placement (other seeds, other latencies), and each kind of change named
 * once: verdict, advertised groups, measured groups, findings, and the
 * topology and host fingerprints. Runs are simulated and judged by the
 * real chain.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/compare.h"
#include "src/analysis/verdict.h"
#include "src/report/diff.h"
#include "tests/sim.h"

/* A 4-vCPU guest advertised as @cores x @threads on one socket, pinned on
 * Xeon 4208 pCPUs @pin, measured with @seed and judged. */
static void judged_run(struct vtc_run *app, const int pin[4], int cores, int threads,
		       uint64_t seed)
{
	static char *argv[] = {"vtopocheck", NULL};
	struct vtc_sim sim;

	vtc_run_init(app, 1, argv);
	assert_int_equal(vtc_sim_init_pinned(&sim, &vtc_sim_xeon4208, 4, pin, VTC_SIM_IDLE, seed),
			 0);
	assert_int_equal(vtc_sim_topo(&app->sysfs, 1, cores, threads, 1), 0);
	app->have_sysfs = true;
	vtc_sim_platform(&vtc_sim_xeon4208, NULL, &app->plat);
	assert_int_equal(vtc_sim_measure(&sim, 2, true, NULL, 0, &app->res), 0);
	app->have_results = true;
	vtc_host_signals_from(&app->plat, 2100000, &app->res.host_start);
	assert_int_equal(vtc_infer(&app->res, &app->sysfs, &app->inf), 0);
	app->have_inf = true;
	assert_int_equal(vtc_compare(&app->inf, &app->res, &app->sysfs, &app->plat,
				     &app->findings), 0);
	app->status = vtc_verdict(&app->inf, &app->findings, app->reason, sizeof(app->reason));
}

/* The line of @d that starts with @prefix, or NULL. */
static const char *line_with(const struct vtc_diff *d, const char *prefix)
{
	for (int i = 0; i < d->n; i++)
		if (strncmp(d->line[i], prefix, strlen(prefix)) == 0)
			return d->line[i];
	return NULL;
}

static void dump(const struct vtc_diff *d)
{
	for (int i = 0; i < d->n; i++)
		print_message("  %s\n", d->line[i]);
}

/* Four separate cores, as advertised. */
static const int honest[4] = {0, 2, 4, 6};

static void test_same_placement_nothing_changed(void **state)
{
	struct vtc_run a, b;
	struct vtc_diff d;

	(void)state;
	judged_run(&a, honest, 4, 1, 7);
	judged_run(&b, honest, 4, 1, 8); /* other noise, same placement */
	print_message("verdicts %d %d: %s\n", a.status, b.status, b.reason);
	assert_int_equal(a.status, VTC_EXIT_OK);
	assert_int_equal(vtc_diff_runs(&a, &b, &d), 0);
	dump(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(strlen(d.topo_new), VTC_FINGERPRINT_LEN);
	assert_string_equal(d.topo_old, d.topo_new);
	vtc_diff_free(&d);
	/* a run against itself */
	assert_int_equal(vtc_diff_runs(&a, &a, &d), 0);
	assert_int_equal(d.n, 0);
	vtc_diff_free(&d);
	vtc_run_free(&a);
	vtc_run_free(&b);
}

/* vCPUs 0 and 1 stacked on one pCPU: a new CRITICAL finding, a stacked
 * group, another verdict and topology fingerprint. */
static void test_placement_changed(void **state)
{
	static const int stacked[4] = {0, 0, 4, 6};
	struct vtc_run a, b;
	struct vtc_diff d;
	const char *l;

	(void)state;
	judged_run(&a, honest, 4, 1, 7);
	judged_run(&b, stacked, 4, 1, 7);
	assert_int_equal(vtc_diff_runs(&a, &b, &d), 0);
	dump(&d);
	assert_non_null(l = line_with(&d, "verdict: OK -> CRITICAL"));
	assert_non_null(l = line_with(&d, "measured stacked: none -> 0-1"));
	assert_non_null(l = line_with(&d, "new finding: critical stacked on vCPUs 0-1"));
	assert_non_null(l = line_with(&d, "topology fingerprint: "));
	assert_null(line_with(&d, "advertised"));
	assert_null(line_with(&d, "host fingerprint"));
	vtc_diff_free(&d);
	/* and back: the finding is gone */
	assert_int_equal(vtc_diff_runs(&b, &a, &d), 0);
	assert_non_null(line_with(&d, "finding gone: critical stacked on vCPUs 0-1"));
	assert_non_null(line_with(&d, "verdict: CRITICAL -> OK"));
	vtc_diff_free(&d);
	vtc_run_free(&a);
	vtc_run_free(&b);
}

static void test_advertised_and_host_changed(void **state)
{
	struct vtc_run a, b;
	struct vtc_diff d;
	const char *l;

	(void)state;
	judged_run(&a, honest, 4, 1, 7);
	judged_run(&b, honest, 2, 2, 7); /* now told 0-1 and 2-3 are siblings */
	b.res.host_start.tsc_khz = 2300000;
	assert_int_equal(vtc_diff_runs(&a, &b, &d), 0);
	dump(&d);
	assert_non_null(l = line_with(&d, "advertised smt: none -> 0-1/2-3"));
	assert_non_null(l = line_with(&d, "host fingerprint: "));
	assert_non_null(strstr(l, "(TSC 2100000 -> 2300000 kHz)"));
	vtc_diff_free(&d);
	/* an UNKNOWN run has no judged groups to compare */
	b.status = VTC_EXIT_UNKNOWN;
	assert_int_equal(vtc_diff_runs(&a, &b, &d), 0);
	assert_non_null(line_with(&d, "measured groups: judged only in the old report"));
	assert_non_null(line_with(&d, "topology fingerprint: "));
	vtc_diff_free(&d);
	assert_int_equal(vtc_diff_runs(NULL, &b, &d), -EINVAL);
	vtc_diff_free(&d);
	vtc_run_free(&a);
	vtc_run_free(&b);
}

/* The last line whole with -q; every line in 80 columns otherwise (a
 * tmpfile is no terminal). */
static void test_print(void **state)
{
	struct vtc_diff d;
	char buf[1024] = "", *line, *save = NULL;
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	memset(&d, 0, sizeof(d));
	snprintf(d.topo_new, sizeof(d.topo_new), "0123456789ab");
	assert_int_equal(vtc_diff_print(f, &d, "old.json", "new.json", true), 0);
	rewind(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	assert_string_equal(buf, "nothing changed: the same verdict, advertised and measured "
			    "groups, findings and fingerprints (topology 0123456789ab, host none)\n");
	fclose(f);
	assert_non_null(f = tmpfile());
	d.line = (char *[]){"verdict: OK -> WARNING (WARNING: vCPUs 1 are promised host CPUs "
			    "of their own (KVM dedicated hint) but were preempted or moved "
			    "(dedicated-mismatch))"};
	d.n = 1;
	assert_int_equal(vtc_diff_print(f, &d, "old.json", "new.json", false), 0);
	memset(buf, 0, sizeof(buf));
	rewind(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	fclose(f);
	print_message("%s", buf);
	assert_non_null(strstr(buf, "comparing old.json (old) with new.json (new)\n"
				    "  verdict: OK -> WARNING"));
	assert_non_null(strstr(buf, "\n1 change\n"));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) <= 80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_placement_nothing_changed),
		cmocka_unit_test(test_placement_changed),
		cmocka_unit_test(test_advertised_and_host_changed),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
