/* test_report_plugin.c - the monitoring-plugin line (src/report/report_plugin.c):
 * "STATUS - text | perfdata" as the monitoring-plugins.org development
 * guidelines define it: the status name from the exit status, no '|' or
 * newline in the text, perfdata 'label'=value[UOM];warn;crit;min;max with
 * units the guidelines allow (%, us), and the UNKNOWN line for errors.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/report/report_plugin.h"
#include "src/report/run.h"
#include "tests/testutil.h"

static char *line_of(const struct vtc_run *app)
{
	struct vtc_test_mem m;

	vtc_plugin_line(vtc_test_mem_open(&m), app);
	return vtc_test_mem_close(&m);
}

static char *unknown_of(const char *why)
{
	struct vtc_test_mem m;

	vtc_plugin_unknown(vtc_test_mem_open(&m), why);
	return vtc_test_mem_close(&m);
}

static void init_run(struct vtc_run *app, enum vtc_exit st, const char *reason)
{
	static char *argv[] = {"vtopocheck", NULL};

	vtc_run_init(app, 1, argv);
	app->status = st;
	snprintf(app->reason, sizeof(app->reason), "%s", reason);
}

static void add_finding(struct vtc_run *app, enum vtc_severity sev)
{
	vtc_cpuset cpus;

	assert_int_equal(vtc_cpulist_parse("0,1", &cpus), 0);
	assert_non_null(vtc_findings_add(&app->findings, VTC_FK_STACKED, sev, &cpus, "e"));
}

/* The exit status names, as the guidelines spell them, and UNKNOWN for a
 * value outside the enum. */
static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(vtc_plugin_status_name(VTC_EXIT_OK), "OK");
	assert_string_equal(vtc_plugin_status_name(VTC_EXIT_WARNING), "WARNING");
	assert_string_equal(vtc_plugin_status_name(VTC_EXIT_CRITICAL), "CRITICAL");
	assert_string_equal(vtc_plugin_status_name(VTC_EXIT_UNKNOWN), "UNKNOWN");
	assert_string_equal(vtc_plugin_status_name((enum vtc_exit)7), "UNKNOWN");
	assert_string_equal(vtc_plugin_status_name((enum vtc_exit)-1), "UNKNOWN");
	/* the guidelines' return codes */
	assert_int_equal(VTC_EXIT_OK, 0);
	assert_int_equal(VTC_EXIT_WARNING, 1);
	assert_int_equal(VTC_EXIT_CRITICAL, 2);
	assert_int_equal(VTC_EXIT_UNKNOWN, 3);
}

/* A run without results: findings by severity (critical first) and
 * vcpus=0; no coverage or tiers without inference. */
static void test_line_without_results(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	init_run(&app, VTC_EXIT_WARNING, "WARNING: advertised only");
	add_finding(&app, VTC_SEV_WARNING);
	add_finding(&app, VTC_SEV_WARNING);
	add_finding(&app, VTC_SEV_INFO);
	out = line_of(&app);
	assert_string_equal(out, "WARNING - advertised only | findings_critical=0;;;0 "
				 "findings_warning=2;;;0 findings_info=1;;;0 vcpus=0;;;0\n");
	free(out);
	vtc_run_free(&app);
}

/* A judged run: coverage in percent (min 0, max 100) and each tier's median
 * in microseconds, labelled by its letter (tier_a the nearest). */
static void test_line_judged(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	init_run(&app, VTC_EXIT_CRITICAL, "CRITICAL: vCPUs 0,1 are stacked");
	add_finding(&app, VTC_SEV_CRITICAL);
	app.have_results = true;
	app.res.n = 4;
	app.have_inf = true;
	app.inf.coverage = 0.8333;
	app.inf.n_tiers = 2;
	app.inf.tier[0].median_ns = 45.4;
	app.inf.tier[1].median_ns = 1234.5678;
	out = line_of(&app);
	assert_string_equal(out, "CRITICAL - vCPUs 0,1 are stacked | findings_critical=1;;;0 "
				 "findings_warning=0;;;0 findings_info=0;;;0 vcpus=4;;;0 "
				 "coverage=83.3%;;;0;100 tier_a_latency=0.045us;;;0 "
				 "tier_b_latency=1.235us;;;0\n");
	free(out);
	app.res.n = 0; /* not allocated here: nothing for vtc_run_free to free */
	vtc_run_free(&app);
}

/* The status comes from the exit status, not from the verdict's prefix
 * (so the two cannot disagree): a prefix is dropped only when it is an
 * all-capitals word before ": ". */
static void test_line_status_from_exit(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	init_run(&app, VTC_EXIT_UNKNOWN, "OK: says the text");
	out = line_of(&app);
	assert_string_equal(out, "UNKNOWN - says the text | findings_critical=0;;;0 "
				 "findings_warning=0;;;0 findings_info=0;;;0 vcpus=0;;;0\n");
	free(out);
	snprintf(app.reason, sizeof(app.reason), "Note: mixed case is kept");
	out = line_of(&app);
	assert_non_null(strstr(out, "UNKNOWN - Note: mixed case is kept |"));
	free(out);
	snprintf(app.reason, sizeof(app.reason), "no prefix at all");
	out = line_of(&app);
	assert_non_null(strstr(out, "UNKNOWN - no prefix at all |"));
	free(out);
	vtc_run_free(&app);
}

/* '|' starts perfdata and a newline ends the first line: neither may come
 * from the text. The line has exactly one '|' and one newline. */
static void test_line_text_escaped(void **state)
{
	struct vtc_run app;
	char *out;
	(void)state;

	init_run(&app, VTC_EXIT_WARNING, "WARNING: a|b\nc");
	out = line_of(&app);
	assert_non_null(strstr(out, "WARNING - a b c | findings_critical"));
	assert_ptr_equal(strchr(out, '|'), strrchr(out, '|'));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	free(out);
	vtc_run_free(&app);
}

/* Errors: "UNKNOWN - why", no perfdata, the text made safe the same way. */
static void test_unknown_line(void **state)
{
	char *out;
	(void)state;

	out = unknown_of("cannot read /sys (EACCES)");
	assert_string_equal(out, "UNKNOWN - cannot read /sys (EACCES)\n");
	free(out);
	out = unknown_of("x|y\nz");
	assert_string_equal(out, "UNKNOWN - x y z\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_line_without_results),
		cmocka_unit_test(test_line_judged),
		cmocka_unit_test(test_line_status_from_exit),
		cmocka_unit_test(test_line_text_escaped),
		cmocka_unit_test(test_unknown_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
