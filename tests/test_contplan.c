/* test_contplan.c - the contention plan: partners by latency, the moved
 * test, and rounds that never co-schedule vCPUs that may share a core.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "probes/contplan.h"

#define NEAR_NS 40.0
#define FAR_NS 150.0 /* past SCHED_CONT_FAR (3x) the nearest: another core */

/* Four vCPUs, two passes; 0-1 and 2-3 near in every pass unless @swap
 * makes pass 1 read 0-2 near and 0-1 far (the host moved them). */
static void fill(struct vtc_results *r, bool swap)
{
	vtc_cpuset cpus;

	assert_int_equal(vtc_cpulist_parse("0-3", &cpus), 0);
	assert_int_equal(vtc_results_init(r, &cpus, 2), 0);
	for (int k = 0; k < r->n_pairs; k++) {
		struct vtc_pair_result *pr = &r->pairs[k];
		bool near = (pr->a == 0 && pr->b == 1) || (pr->a == 2 && pr->b == 3);

		for (int p = 0; p < 2; p++) {
			bool n = near;
			if (swap && p == 1 && pr->a == 0 && (pr->b == 1 || pr->b == 2))
				n = pr->b == 2;
			pr->pass[p].measured = true;
			pr->pass[p].samples = 100;
			pr->pass[p].median_ns = n ? NEAR_NS : FAR_NS;
		}
	}
}

static void test_partners(void **state)
{
	struct vtc_results r;

	(void)state;
	fill(&r, false);
	assert_int_equal(vtc_cont_plan_partner(&r, 0, false), 1);
	assert_int_equal(vtc_cont_plan_partner(&r, 1, false), 0);
	assert_int_equal(vtc_cont_plan_partner(&r, 3, false), 2);
	assert_int_equal(vtc_cont_plan_partner(&r, 7, false), -1);
	assert_false(vtc_cont_plan_moved(&r));
	vtc_results_free(&r);
	fill(&r, true);
	assert_true(vtc_cont_plan_moved(&r));
	vtc_results_free(&r);
}

/* Every job's CPUs are probed ones; within a round no CPU runs twice, and
 * no two jobs hold vCPUs the plan marks near (0-1, 2-3). */
static void test_rounds_keep_siblings_apart(void **state)
{
	struct vtc_results r;
	struct vtc_cont_plan pl;

	(void)state;
	fill(&r, false);
	memset(&pl, 0, sizeof(pl));
	assert_int_equal(vtc_cont_plan_make(&r, &pl, NULL, 0), 0);
	assert_true(pl.n_jobs > 0);
	assert_true(pl.n_rounds > 0);
	for (int i = 0; i < pl.n_jobs; i++) {
		assert_true(pl.job[i][0] >= 0 && pl.job[i][0] < 4);
		assert_true(pl.job[i][1] < 4);
		assert_true(pl.round[i] >= 0 && pl.round[i] < pl.n_rounds);
		for (int j = i + 1; j < pl.n_jobs; j++) {
			if (pl.round[i] != pl.round[j])
				continue;
			for (int x = 0; x < 2; x++)
				for (int y = 0; y < 2; y++) {
					int a = pl.job[i][x], b = pl.job[j][y];
					if (a < 0 || b < 0)
						continue;
					assert_int_not_equal(a, b);
					assert_false(pl.near[a * r.n + b]);
				}
		}
	}
	vtc_cont_plan_free(&pl);
	vtc_results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partners),
		cmocka_unit_test(test_rounds_keep_siblings_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
