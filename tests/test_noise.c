/* test_noise.c - noise that is not topology (src/analysis/infer/noise.c) and the
 * shapes of real machines that look like it: a busy vCPU's row, a pair's
 * hiccup, one SMT pair at 2x its peers, in-socket latencies that form a
 * continuum, and a run too noisy to judge; and what an OK may claim on
 * such data (tested and consistent). Each on a small matrix built for it,
 * through the whole chain (infer -> compare -> verdict) as an imported
 * matrix is.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/judged.h"
#include "tests/sim.h"

/* Deterministic jitter of +-jitter_pct/2 percent, a draw per pair. */
static double jitter_pct = 4;

static double jitter(int a, int b)
{
	/* mixed (murmur3's finaliser), so that the draws of twin rows are
	 * independent: a linear hash shifts one row's draws by a constant */
	uint32_t h = (uint32_t)a * 73856093u ^ (uint32_t)b * 19349663u;

	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return 1.0 + ((double)(h >> 16) / 65536.0 - 0.5) * jitter_pct / 100;
}

static int busy_cpu = -1;     /* its row reads busy_factor slower */
static double busy_factor = 1.5;
static int hiccup_a = -1, hiccup_b = -1; /* this pair reads 4x slower */
static int busy_core = -1; /* both threads (2c, 2c+1) read busy_factor slower */
static vtc_test_pair_fn model; /* of the run being judged */

/* The model's pair with this file's noise on it. */
static double noisy(int a, int b)
{
	double ns = model(a, b);

	if (ns < 0)
		return ns; /* the model leaves this pair unmeasured */
	ns *= jitter(a, b);
	ns *= a == busy_cpu || b == busy_cpu ? busy_factor : 1;
	ns *= a / 2 == busy_core ? busy_factor : 1;
	ns *= b / 2 == busy_core ? busy_factor : 1;
	return ns * (a == hiccup_a && b == hiccup_b ? 4 : 1);
}

static void judge_run(struct vtc_test_judged *x, int nv, vtc_test_pair_fn m, const char *vendor)
{
	model = m;
	vtc_test_judge(x, nv, noisy, vendor);
}

static void done(struct vtc_test_judged *x)
{
	vtc_test_judged_free(x);
	busy_cpu = hiccup_a = hiccup_b = busy_core = -1;
	jitter_pct = 4;
}

/* ---- models (vtc_sim_topo numbering: threads of a core adjacent) -------- */

/* One socket of 16 cores x 2 threads (Xeon Gold-like): siblings 7 ns,
 * every other pair 48 ns. */
static double gold(int a, int b)
{
	return a / 2 == b / 2 ? 7.0 : 48.0;
}

/* A 32-vCPU mesh without SMT (Graviton-like), 40 ns everywhere. */
static double mesh(int a, int b)
{
	(void)a;
	(void)b;
	return 40.0;
}

/* Zen 2-like: 2 CCX of 4 cores x 2 threads; SMT 6 ns, CCX 25 ns, across
 * 80 ns; the siblings of core 5 (vCPUs 10, 11) read 13 ns, 2x their peers
 * and between the SMT and CCX levels. */
static double zen2_slow_sibling(int a, int b)
{
	if (a / 2 == b / 2)
		return a / 2 == 5 ? 13.0 : 6.0;
	return a / 8 == b / 8 ? 25.0 : 80.0;
}

/* Zen 4-like 2 sockets x 6 CCX x 2 cores x 2 threads: SMT 8 ns, CCX 24 ns;
 * across CCXs of one socket a continuum by distance on the socket's ring
 * (60-180 ns), as far as across sockets (200 ns) for the farthest. */
static double zen4_continuum(int a, int b)
{
	int ca = a / 4, cb = b / 4;

	if (a / 2 == b / 2)
		return 8.0;
	if (ca == cb)
		return 24.0;
	if (ca / 6 != cb / 6)
		return 200.0;
	return 30.0 + 30.0 * abs(ca - cb);
}

/* Four vCPUs alike at 60 ns but one pair at 20 ns. */
static double one_near_pair(int a, int b)
{
	return a == 1 && b == 2 ? 20.0 : 60.0;
}

/* Four vCPUs alike at 60 ns. */
static double flat60(int a, int b)
{
	(void)a;
	(void)b;
	return 60.0;
}

/* gold() with every sibling pair left unmeasured. */
static double gold_no_siblings(int a, int b)
{
	return a / 2 == b / 2 ? -1 : gold(a, b);
}

/* 2 sockets x 2 CCX x 4 cores x 2 threads: SMT 8 ns, CCX 25 ns, socket
 * 130 ns, across sockets 260 ns. */
static double two_level(int a, int b)
{
	if (a / 2 == b / 2)
		return 8.0;
	if (a / 8 == b / 8)
		return 25.0;
	return a / 16 == b / 16 ? 130.0 : 260.0;
}

/* Siblings 8-13 ns and cores of one cache 14-22 ns (spread by pair): the
 * SMT tier blurs into the next, but siblings stay each row's nearest by
 * a tier gap. */
static double blurred_smt(int a, int b)
{
	unsigned h = ((unsigned)(a * 31 + b * 17) * 2654435761u) >> 24;

	if (a / 2 == b / 2)
		return 8.0 + 5.0 * h / 255.0;
	return a / 16 == b / 16 ? 17.0 + 5.0 * h / 255.0 : 80.0;
}

/* ---- busy vCPUs ---------------------------------------------------------- */

/* A busy vCPU reads 1.5x slower to every partner: its row is corrected
 * against its twin and the honest host is OK. */
static void test_busy_row_is_corrected(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 2, 1), 0);
	busy_cpu = 9;
	judge_run(&x, 32, gold, "GenuineIntel");
	assert_int_equal(x.inf.rows_scaled, 1);
	assert_true(fabs(x.inf.row_scale[9] - 1.5) < 0.05);
	assert_true(fabs(x.inf.row_scale[8] - 1.0) < 1e-9);
	/* every pair is then explained by the groups found */
	assert_int_equal(x.inf.pairs_related, 32 * 31 / 2);
	assert_int_equal(x.inf.pairs_disagreeing, 0);
	assert_int_equal(x.st, VTC_EXIT_OK);
	done(&x);
}

/* The same busy row, siblings hidden: still hidden SMT, and CRITICAL. */
static void test_busy_row_keeps_a_lie(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 32, 1, 1), 0);
	busy_cpu = 9;
	judge_run(&x, 32, gold, "GenuineIntel");
	assert_int_equal(vtc_test_count(&x, VTC_FK_HIDDEN_SMT), 1);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	done(&x);
}

/* Both threads of a core busy: neither twin is slower than the other, so
 * each row is measured against a vCPU of its cache, on partners of every
 * level; the honest host stays OK. */
static void test_busy_core_is_corrected(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 8, 2, 2), 0);
	busy_cpu = 10;
	judge_run(&x, 32, two_level, "AuthenticAMD");
	assert_int_equal(x.inf.rows_scaled, 1); /* one busy vCPU: against its twin */
	done(&x);
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 8, 2, 2), 0);
	busy_core = 5;
	judge_run(&x, 32, two_level, "AuthenticAMD");
	assert_int_equal(x.inf.rows_scaled, 2);
	assert_true(fabs(x.inf.row_scale[10] - 1.5) < 0.05);
	assert_true(fabs(x.inf.row_scale[11] - 1.5) < 0.05);
	assert_int_equal(x.st, VTC_EXIT_OK);
	done(&x);
}

/* A mesh has no twins whose rows agree by structure: a vCPU that reads 2x
 * to everyone is not "corrected" away (it may sit far, not be busy). */
static void test_lone_far_row_is_not_corrected(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 32, 1, 1), 0);
	busy_cpu = 5;
	busy_factor = 2.0;
	judge_run(&x, 32, mesh, "ARM");
	assert_int_equal(x.inf.rows_scaled, 0);
	busy_factor = 1.5;
	done(&x);
}

/* ---- hiccups ------------------------------------------------------------- */

/* One pair of a mesh read 4x slower: outvoted by its triangles, OK. */
static void test_hiccup_is_outvoted(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 32, 1, 1), 0);
	hiccup_a = 3;
	hiccup_b = 17;
	judge_run(&x, 32, mesh, "ARM");
	assert_int_equal(x.inf.pairs_outvoted, 1);
	assert_false(x.inf.floating);
	assert_int_equal(x.st, VTC_EXIT_OK);
	done(&x);
}

/* ---- shapes of real machines --------------------------------------------- */

/* Siblings whose tier noise blurred into the next: still SMT by the rows
 * (each pair the other's nearest by a tier gap), so honest is OK and
 * hidden siblings are CRITICAL, never "phantom". */
static void test_blurred_smt_tier(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 8, 2, 1), 0);
	judge_run(&x, 32, blurred_smt, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_PHANTOM_SMT), 0);
	assert_int_equal(x.st, VTC_EXIT_OK);
	done(&x);
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 16, 1, 1), 0);
	judge_run(&x, 32, blurred_smt, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_HIDDEN_SMT), 1);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	done(&x);
}

/* One SMT pair at 2x its peers is still SMT: honest OK, hidden CRITICAL. */
static void test_slow_sibling_pair(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 8, 2, 2), 0);
	judge_run(&x, 16, zen2_slow_sibling, "AuthenticAMD");
	assert_int_equal(x.st, VTC_EXIT_OK);
	assert_int_equal(x.inf.n_tiers, 3);
	done(&x);
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 1, 2), 0);
	judge_run(&x, 16, zen2_slow_sibling, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_HIDDEN_SMT), 1);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	done(&x);
}

/* In-socket latencies that form a continuum up to the cross-socket value:
 * honest per-CCX L3s are OK (not merged into one), and one L3 described
 * over each socket's six CCXs is flagged. */
static void test_in_socket_continuum(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 12, 2, 6), 0);
	judge_run(&x, 48, zen4_continuum, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_LLC_MISMATCH), 0);
	assert_int_equal(x.st, VTC_EXIT_OK);
	done(&x);
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 12, 2, 1), 0);
	judge_run(&x, 48, zen4_continuum, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_LLC_MISMATCH), 1);
	assert_int_equal(x.st, VTC_EXIT_WARNING);
	done(&x);
}

/* ---- too noisy ------------------------------------------------------------ */

/* Pairs that must read alike spread by +-40% (uniform): the twins show
 * it, and the run is UNKNOWN rather than a verdict on blurred levels. */
static void test_too_noisy_is_unknown(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 2, 1), 0);
	jitter_pct = 80;
	judge_run(&x, 32, gold, "GenuineIntel");
	assert_true(x.inf.twin_noise > 0.5 * log(1.25));
	assert_int_equal(x.st, VTC_EXIT_UNKNOWN);
	assert_non_null(strstr(x.inf.reason, "must read alike"));
	done(&x);
	/* and the usual 4% is well under it */
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 2, 1), 0);
	judge_run(&x, 32, gold, "GenuineIntel");
	assert_true(x.inf.twin_noise > 0 && x.inf.twin_noise < 0.05);
	assert_int_equal(x.inf.twins, 16);
	assert_int_equal(x.st, VTC_EXIT_OK);
	done(&x);
}

/* ---- OK means tested and consistent ---------------------------------- */

/* One pair 3x nearer than every other, on four separate cores: nothing
 * found explains it, so no OK (and one pair is no level to report). */
static void test_unexplained_near_pair_is_no_ok(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 4, 1, 1), 0);
	judge_run(&x, 4, one_near_pair, "GenuineIntel");
	assert_int_equal(x.inf.unexplained_near, 1);
	assert_int_equal(x.inf.unexplained_a, 1);
	assert_int_equal(x.inf.unexplained_b, 2);
	assert_int_equal(x.st, VTC_EXIT_UNKNOWN);
	done(&x);
}

/* Advertised SMT pairs on 4 vCPUs that all read alike: too few partners to
 * refute the siblings, so the OK names them as not tested. */
static void test_untested_smt_is_named(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 2, 2, 1), 0);
	judge_run(&x, 4, flat60, "GenuineIntel");
	assert_int_equal(x.st, VTC_EXIT_OK);
	assert_int_equal(x.inf.n_untested, 1);
	assert_non_null(strstr(x.why, "not tested: SMT siblings"));
	done(&x);
}

/* Every advertised sibling pair unmeasured: SMT is not tested, said so. */
static void test_unmeasured_siblings_are_named(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 8, 2, 1), 0);
	judge_run(&x, 16, gold_no_siblings, "GenuineIntel");
	assert_int_equal(x.st, VTC_EXIT_OK);
	assert_non_null(strstr(x.inf.untested, "SMT siblings"));
	assert_non_null(strstr(x.why, "not tested: SMT siblings"));
	done(&x);
}

/* Two vCPUs advertised as separate cores, no co-runs (a matrix): one
 * pair's latency has nothing to compare with, so the OK says the separate
 * cores were not tested; with three vCPUs a pair could read nearer than
 * the rest, and the claim is tested. */
static void test_separate_cores_of_one_pair_untested(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 2, 1, 1), 0);
	judge_run(&x, 2, flat60, "GenuineIntel");
	assert_int_equal(x.st, VTC_EXIT_OK);
	assert_non_null(strstr(x.why, "not tested: separate cores"));
	done(&x);
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 3, 1, 1), 0);
	judge_run(&x, 3, flat60, "GenuineIntel");
	assert_int_equal(x.st, VTC_EXIT_OK);
	assert_null(strstr(x.why, "separate cores"));
	done(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busy_row_is_corrected),
		cmocka_unit_test(test_separate_cores_of_one_pair_untested),
		cmocka_unit_test(test_busy_row_keeps_a_lie),
		cmocka_unit_test(test_busy_core_is_corrected),
		cmocka_unit_test(test_lone_far_row_is_not_corrected),
		cmocka_unit_test(test_hiccup_is_outvoted),
		cmocka_unit_test(test_blurred_smt_tier),
		cmocka_unit_test(test_slow_sibling_pair),
		cmocka_unit_test(test_in_socket_continuum),
		cmocka_unit_test(test_too_noisy_is_unknown),
		cmocka_unit_test(test_unexplained_near_pair_is_no_ok),
		cmocka_unit_test(test_untested_smt_is_named),
		cmocka_unit_test(test_unmeasured_siblings_are_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
