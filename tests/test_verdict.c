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

/* Pairs {0,2} and {1,3}: the headline speaks of each pair, not of vCPUs
 * 0-3 sharing one core; a list too long for a headline is counted; one
 * group is named as before. */
static void test_headline_groups(void **state)
{
	struct vtc_inferred inf;
	struct vtc_findings fs = {0};
	vtc_cpuset all, g[48];
	const vtc_cpuset *sets[48];
	struct vtc_finding *f;
	char why[300];
	(void)state;
	memset(&inf, 0, sizeof(inf));
	vtc_cpulist_parse("0-3", &all);
	vtc_cpulist_parse("0,2", &g[0]);
	vtc_cpulist_parse("1,3", &g[1]);
	vtc_cpulist_parse("5,7", &g[2]); /* outside the finding: not one of its groups */
	for (int i = 0; i < 3; i++)
		sets[i] = &g[i];
	f = vtc_findings_add(&fs, VTC_FK_HIDDEN_SMT, VTC_SEV_CRITICAL, &all, "x");
	vtc_finding_set_groups(f, sets, 3);
	assert_int_equal(f->n_groups, 2);
	assert_string_equal(f->groups, "{0,2}{1,3}");
	vtc_verdict(&inf, &fs, why, sizeof(why));
	assert_string_equal(why, "CRITICAL: vCPUs {0,2}{1,3} are advertised as separate cores but "
				 "each shares a physical core (hidden-smt)");
	vtc_cpulist_parse("0-95", &fs.item[0].cpus);
	for (int i = 0; i < 48; i++) {
		vtc_cpuset_clear(&g[i]);
		vtc_cpuset_set(&g[i], i);
		vtc_cpuset_set(&g[i], i + 48);
		sets[i] = &g[i];
	}
	vtc_finding_set_groups(&fs.item[0], sets, 48);
	vtc_verdict(&inf, &fs, why, sizeof(why));
	assert_string_equal(why, "CRITICAL: vCPUs 0-95 (48 groups) are advertised as separate "
				 "cores but each shares a physical core (hidden-smt)");
	vtc_finding_set_groups(&fs.item[0], sets, 1);
	assert_int_equal(fs.item[0].n_groups, 0);
	vtc_verdict(&inf, &fs, why, sizeof(why));
	assert_string_equal(why, "CRITICAL: vCPUs 0-95 are advertised as separate cores but share "
				 "a physical core (hidden-smt)");
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
		cmocka_unit_test(test_headline_groups),
		cmocka_unit_test(test_fail_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
