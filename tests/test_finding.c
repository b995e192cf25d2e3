/* test_finding.c - the table of finding kinds and the list of findings.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/finding.h"
#include "src/vtc.h"

/* The names are the reports' vocabulary (JSON "kind", the Prometheus label,
 * docs/report.md, users' alert rules): pinned here so that a rename is a
 * deliberate change. */
static const struct {
	enum vtc_fkind kind;
	const char *name;
	unsigned flags;
} want[] = {
	{VTC_FK_PHANTOM_SMT, "phantom-smt", VTC_FKF_SMT},
	{VTC_FK_HIDDEN_SMT, "hidden-smt", VTC_FKF_SMT},
	{VTC_FK_STACKED, "stacked", VTC_FKF_PLACEMENT},
	{VTC_FK_FLOATING, "floating", VTC_FKF_PLACEMENT},
	{VTC_FK_LLC_MISMATCH, "llc-mismatch", 0},
	{VTC_FK_SOCKET_MISMATCH, "socket-mismatch", 0},
	{VTC_FK_NUMA_MISMATCH, "numa-mismatch", 0},
	{VTC_FK_CPUID_SYSFS_DISAGREE, "cpuid-sysfs-disagree", 0},
	{VTC_FK_DEDICATED_MISMATCH, "dedicated-mismatch", VTC_FKF_PLACEMENT},
};

static void test_names_round_trip(void **state)
{
	(void)state;
	assert_int_equal(VTC_ARRAY_SIZE(want), VTC_FK_KINDS);
	for (size_t i = 0; i < VTC_ARRAY_SIZE(want); i++) {
		enum vtc_fkind k = VTC_FK_KINDS;

		assert_string_equal(vtc_fkind_name(want[i].kind), want[i].name);
		assert_int_equal(vtc_fkind_parse(want[i].name, &k), 0);
		assert_int_equal(k, want[i].kind);
		assert_int_equal(vtc_fkind_flags(want[i].kind), want[i].flags);
		assert_true(strlen(vtc_fkind_meaning(want[i].kind)) > 0);
	}
	/* every enum value round-trips, whatever the table above lists */
	for (int k = 0; k < VTC_FK_KINDS; k++) {
		enum vtc_fkind back = VTC_FK_KINDS;

		assert_int_equal(vtc_fkind_parse(vtc_fkind_name((enum vtc_fkind)k), &back), 0);
		assert_int_equal(back, k);
	}
}

/* Names go into reports unescaped in effect: only [a-z-], and distinct. */
static void test_names_plain_and_distinct(void **state)
{
	(void)state;
	for (int k = 0; k < VTC_FK_KINDS; k++) {
		const char *n = vtc_fkind_name((enum vtc_fkind)k);

		assert_true(n[0] != 0);
		assert_int_equal(strspn(n, "abcdefghijklmnopqrstuvwxyz-"), strlen(n));
		for (int j = 0; j < k; j++)
			assert_string_not_equal(n, vtc_fkind_name((enum vtc_fkind)j));
	}
}

/* Unknown names (a later version's kinds, typos, case) are rejected and
 * leave the output alone; values outside the enum get neutral answers. */
static void test_unknown_rejected(void **state)
{
	static const char *const bad[] = {
		"", "phantom", "PHANTOM-SMT", "phantom-smt ", " stacked", "stacked\n",
		"phantom_smt", "future-kind", "?",
	};
	enum vtc_fkind k = VTC_FK_STACKED;
	(void)state;

	for (size_t i = 0; i < VTC_ARRAY_SIZE(bad); i++) {
		assert_int_equal(vtc_fkind_parse(bad[i], &k), -EINVAL);
		assert_int_equal(k, VTC_FK_STACKED);
	}
	assert_int_equal(vtc_fkind_parse(NULL, &k), -EINVAL);
	assert_string_equal(vtc_fkind_name(VTC_FK_KINDS), "?");
	assert_string_equal(vtc_fkind_name((enum vtc_fkind)-1), "?");
	assert_int_equal(vtc_fkind_flags(VTC_FK_KINDS), 0);
	assert_string_equal(vtc_fkind_meaning(VTC_FK_KINDS), "do not match the advertised topology");
}

static void test_list(void **state)
{
	struct vtc_findings fs = {0}, all = {0};
	struct vtc_finding *f;
	vtc_cpuset c;
	char cpus[32];
	(void)state;

	assert_int_equal(vtc_findings_max_severity(&fs), -1);
	vtc_cpulist_parse("2-3", &c);
	f = vtc_findings_add(&fs, VTC_FK_HIDDEN_SMT, VTC_SEV_CRITICAL, &c, "v%d,v%d", 2, 3);
	assert_non_null(f);
	snprintf(f->fix, sizeof(f->fix), "pin");
	assert_non_null(vtc_findings_add(&fs, VTC_FK_LLC_MISMATCH, VTC_SEV_WARNING, NULL, "x"));
	assert_non_null(vtc_findings_add(&fs, VTC_FK_HIDDEN_SMT, VTC_SEV_INFO, &c, "y"));
	assert_int_equal(vtc_findings_count_kind(&fs, VTC_FK_HIDDEN_SMT), 2);
	assert_int_equal(vtc_findings_count_kind(&fs, VTC_FK_LLC_MISMATCH), 1);
	assert_int_equal(vtc_findings_count_kind(&fs, VTC_FK_PHANTOM_SMT), 0);
	assert_int_equal(vtc_findings_max_severity(&fs), VTC_SEV_CRITICAL);
	/* append copies every field */
	assert_int_equal(vtc_findings_append(&all, &fs), 0);
	assert_int_equal(all.count, 3);
	assert_int_equal(all.item[0].kind, VTC_FK_HIDDEN_SMT);
	assert_int_equal(all.item[0].severity, VTC_SEV_CRITICAL);
	vtc_cpulist_format(&all.item[0].cpus, cpus, sizeof(cpus));
	assert_string_equal(cpus, "2-3");
	assert_string_equal(all.item[0].evidence, "v2,v3");
	assert_string_equal(all.item[0].fix, "pin");
	assert_int_equal(all.item[1].kind, VTC_FK_LLC_MISMATCH);
	assert_true(vtc_cpuset_empty(&all.item[1].cpus));
	vtc_findings_free(&fs);
	vtc_findings_free(&all);
	assert_int_equal(fs.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_names_plain_and_distinct),
		cmocka_unit_test(test_unknown_rejected),
		cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
