/* test_verdict.c - the verdict and exit status from findings, --fail-on.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/verdict.h"

static void test_verdict_levels(void **state)
{
	struct vtc_inferred inf;
	struct vtc_findings fs = {0};
	vtc_cpuset c;
	char why[200];
	(void)state;
	memset(&inf, 0, sizeof(inf));
	vtc_cpulist_parse("0-1", &c);
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_OK);
	assert_string_equal(why, "OK: the advertised topology matches what was measured");
	vtc_findings_add(&fs, VTC_FK_LLC_MISMATCH, VTC_SEV_INFO, &c, "x");
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_OK);
	vtc_findings_add(&fs, VTC_FK_FLOATING, VTC_SEV_WARNING, &c, "x");
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_WARNING);
	assert_string_equal(why, "WARNING: vCPUs 0-1 are not pinned: the host moved them during "
				 "the run (floating) (+1 more finding)");
	vtc_findings_add(&fs, VTC_FK_STACKED, VTC_SEV_CRITICAL, &c, "x");
	assert_int_equal(vtc_verdict(&inf, &fs, why, 9), VTC_EXIT_CRITICAL);
	assert_string_equal(why, "CRITICAL");
	vtc_findings_free(&fs);
}

static void test_fail_on(void **state)
{
	enum vtc_fail_on p;
	(void)state;
	assert_int_equal(vtc_verdict_parse_fail_on("warning", &p), 0);
	assert_int_equal(p, VTC_FAIL_WARNING);
	assert_true(vtc_verdict_fails(VTC_EXIT_WARNING, p));
	assert_true(vtc_verdict_fails(VTC_EXIT_CRITICAL, p));
	assert_false(vtc_verdict_fails(VTC_EXIT_OK, p));
	assert_false(vtc_verdict_fails(VTC_EXIT_UNKNOWN, p));
	assert_int_equal(vtc_verdict_parse_fail_on("critical", &p), 0);
	assert_false(vtc_verdict_fails(VTC_EXIT_WARNING, p));
	assert_true(vtc_verdict_fails(VTC_EXIT_CRITICAL, p));
	assert_int_equal(vtc_verdict_parse_fail_on("never", &p), 0);
	assert_false(vtc_verdict_fails(VTC_EXIT_CRITICAL, p));
	assert_int_equal(vtc_verdict_parse_fail_on("Critical", &p), -EINVAL);
	assert_int_equal(vtc_verdict_parse_fail_on(NULL, &p), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_levels),
		cmocka_unit_test(test_fail_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
