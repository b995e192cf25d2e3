/* test_run.c - one run's record (src/report/run.c): a fresh run is UNKNOWN
 * until judged, stamped with the UTC start and the command line (cut to
 * its buffer), and vtc_run_fail keeps the message and passes the code on.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "src/report/run.h"

static void test_init(void **state)
{
	static char *argv[] = {"vtopocheck", "--json", "r.json", NULL};
	struct vtc_run run;
	struct tm tm = {0};
	time_t t;
	(void)state;

	memset(&run, 0x5a, sizeof(run));
	vtc_run_init(&run, 3, argv);
	assert_int_equal(run.status, VTC_EXIT_UNKNOWN);
	assert_string_equal(run.args, "vtopocheck --json r.json");
	assert_string_equal(run.reason, "");
	assert_string_equal(run.err, "");
	assert_false(run.have_results);
	assert_int_equal(run.findings.count, 0);
	/* ISO 8601 UTC, now */
	assert_int_equal(strlen(run.started), 20);
	assert_non_null(strptime(run.started, "%Y-%m-%dT%H:%M:%SZ", &tm));
	t = timegm(&tm);
	assert_true(t <= time(NULL) && time(NULL) - t < 60);
	vtc_run_free(&run);
	assert_string_equal(run.args, "");
}

/* A command line longer than the buffer is cut, NUL-terminated. */
static void test_long_args(void **state)
{
	static char word[100];
	char *argv[20];
	struct vtc_run run;
	(void)state;

	memset(word, 'w', sizeof(word) - 1);
	for (int i = 0; i < 20; i++)
		argv[i] = word;
	vtc_run_init(&run, 20, argv);
	assert_int_equal(strlen(run.args), sizeof(run.args) - 1);
	assert_int_equal(run.args[99], ' ');
	vtc_run_init(&run, 0, argv);
	assert_string_equal(run.args, "");
}

static void test_fail(void **state)
{
	static char *argv[] = {"vtopocheck", NULL};
	struct vtc_run run;
	(void)state;

	vtc_run_init(&run, 1, argv);
	assert_int_equal(vtc_run_fail(&run, -ENOENT, "cannot read %s (%d)", "x", 2), -ENOENT);
	assert_string_equal(run.err, "cannot read x (2)");
	assert_int_equal(vtc_run_fail(&run, 0, "%s", "again"), 0);
	assert_string_equal(run.err, "again");
	vtc_run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_long_args),
		cmocka_unit_test(test_fail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
