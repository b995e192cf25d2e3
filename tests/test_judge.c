/* test_judge.c - the advertised topology judged against latency evidence:
 * each principle of judge.h on a small matrix built for it, through the
 * whole chain (infer -> compare -> verdict) as an imported matrix is.
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
#include "src/analysis/evidence.h"
#include "src/analysis/infer.h"
#include "src/analysis/judge.h"
#include "tests/judged.h"
#include "tests/sim.h"
#include "src/analysis/verdict.h"

/* Deterministic +-4% jitter so no two pairs read exactly alike. */
static double jitter(int a, int b)
{
	unsigned h = (unsigned)(a * 7919 + b * 104729) * 2654435761u;
	return 1.0 + ((double)(h >> 16) / 65536.0 - 0.5) * 0.08;
}

static vtc_test_pair_fn model; /* of the run being judged */

static double jittered(int a, int b)
{
	return model(a, b) * jitter(a, b);
}

static void judge_run(struct vtc_test_judged *x, int nv, vtc_test_pair_fn m, const char *vendor)
{
	model = m;
	vtc_test_judge(x, nv, jittered, vendor);
}

/* Re-key the advertised @level of CPU v to key[v] and rebuild groups. */
static void set_level(struct vtc_topo *t, enum vtc_level level, const int *key, int nv)
{
	for (int v = 0; v < nv; v++) {
		vtc_cpuset_clear(&t->cpu[v].siblings[level]);
		for (int w = 0; w < nv; w++)
			if (key[w] == key[v])
				vtc_cpuset_set(&t->cpu[v].siblings[level], w);
	}
	assert_int_equal(vtc_topo_build_groups(t), 0);
}

/* ---- models -------------------------------------------------------------- */

/* One mesh, every pair alike (Graviton2-like). */
static double homogeneous(int a, int b)
{
	(void)a;
	(void)b;
	return 45.0;
}

/* SMT siblings 2k,2k+1 at 7 ns, one shared L3 at 45 ns. */
static double smt_pairs(int a, int b)
{
	return a / 2 == b / 2 ? 7.0 : 45.0;
}

/* Two sockets of 16 (siblings 2k,2k+1, CCX of 4 vCPUs); the line is homed
 * on socket 0, so on socket 1 pairs of different CCXs read as far as pairs
 * across sockets (core-to-core-latency's artifact). */
static double homed(int a, int b)
{
	if (a / 2 == b / 2)
		return 8.0;
	if (a / 4 == b / 4)
		return 25.0;
	if (a / 16 != b / 16)
		return 265.0;
	return a < 16 ? 132.0 : 265.0;
}

/* Two sockets of 4, no SMT. */
static double two_sockets(int a, int b)
{
	return a / 4 == b / 4 ? 48.0 : 140.0;
}

/* ---- SMT ----------------------------------------------------------------- */

static void test_phantom_homogeneous(void **state)
{
	struct vtc_test_judged x = {0};
	const struct vtc_finding *f;
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 4, 2, 1), 0);
	judge_run(&x, 8, homogeneous, "");
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	f = vtc_test_find(&x, VTC_FK_PHANTOM_SMT);
	assert_non_null(f);
	assert_int_equal(vtc_cpuset_count(&f->cpus), 8);
	assert_null(strstr(f->evidence, "nan"));
	/* the fix names a layout that differs from the advertised one */
	assert_non_null(strstr(f->fix, "threads=1"));
	assert_int_equal(vtc_test_count(&x, VTC_FK_HIDDEN_SMT), 0);
	vtc_test_judged_free(&x);
}

/* Four vCPUs: each row has two other partners, too few to say the
 * advertised siblings read like the bulk. */
static void test_phantom_needs_enough_pairs(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 2, 2, 1), 0);
	judge_run(&x, 4, homogeneous, "");
	assert_int_equal(vtc_test_count(&x, VTC_FK_PHANTOM_SMT), 0);
	vtc_test_judged_free(&x);
}

static void test_honest_smt(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 8, 2, 1), 0);
	judge_run(&x, 16, smt_pairs, "GenuineIntel");
	assert_int_equal(x.st, VTC_EXIT_OK);
	assert_true(x.inf.known[VTC_GROUP_SMT]);
	assert_int_equal(x.inf.groups[VTC_GROUP_SMT].count, 8);
	vtc_test_judged_free(&x);
}

static void test_hidden_smt_x86_is_critical(void **state)
{
	struct vtc_test_judged x = {0};
	const struct vtc_finding *f;
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 1, 1), 0);
	judge_run(&x, 16, smt_pairs, "AuthenticAMD");
	f = vtc_test_find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_int_equal(f->severity, VTC_SEV_CRITICAL);
	assert_int_equal(vtc_cpuset_count(&f->cpus), 16);
	/* not a cache problem: the near pairs are cores, the L3 reads alike */
	assert_int_equal(vtc_test_count(&x, VTC_FK_LLC_MISMATCH), 0);
	assert_non_null(strstr(f->fix, "threads=2"));
	vtc_test_judged_free(&x);
}

static void test_hidden_sharing_elsewhere_is_warning(void **state)
{
	struct vtc_test_judged x = {0};
	const struct vtc_finding *f;
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 1, 1), 0);
	judge_run(&x, 16, smt_pairs, "");
	f = vtc_test_find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_int_equal(f->severity, VTC_SEV_WARNING);
	assert_non_null(strstr(f->evidence, "core or an L2"));
	vtc_test_judged_free(&x);
}

/* Siblings 2k,2k+1 at 7 ns, CCXs of four vCPUs at 25 ns, 130 ns across. */
static double ccx4(int a, int b)
{
	return a / 2 == b / 2 ? 7.0 : a / 4 == b / 4 ? 25.0 : 130.0;
}

/* Siblings advertised across cores of one CCX (v0,v2 instead of v0,v1):
 * each advertised pair reads nearer than most of its row (the CCX), but
 * each vCPU has a strictly nearer partner, so the pair is no core. */
static void test_rotated_siblings(void **state)
{
	struct vtc_test_judged x = {0};
	int key[16];
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 8, 2, 4), 0);
	for (int v = 0; v < 16; v++)
		key[v] = (v / 4) * 2 + v % 2;
	set_level(&x.adv, VTC_LEVEL_SMT, key, 16);
	set_level(&x.adv, VTC_LEVEL_L1D, key, 16);
	set_level(&x.adv, VTC_LEVEL_L2, key, 16);
	judge_run(&x, 16, ccx4, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_PHANTOM_SMT), 1);
	assert_int_equal(vtc_test_count(&x, VTC_FK_HIDDEN_SMT), 1);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	vtc_test_judged_free(&x);
}

/* The same near pairs advertised as sharing an L2 (an Arm cluster): held
 * by an advertised cache that reads near, nothing hidden. */
static void test_near_pairs_held_by_l2(void **state)
{
	struct vtc_test_judged x = {0};
	int key[16];
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 1, 1), 0);
	for (int v = 0; v < 16; v++)
		key[v] = v / 2;
	set_level(&x.adv, VTC_LEVEL_L2, key, 16);
	judge_run(&x, 16, smt_pairs, "");
	assert_int_equal(vtc_test_count(&x, VTC_FK_HIDDEN_SMT), 0);
	assert_int_equal(x.st, VTC_EXIT_OK);
	vtc_test_judged_free(&x);
}

/* One near pair on one CPU's row is noise, not a tier of sharing. */
static double one_noisy_pair(int a, int b)
{
	return a == 3 && b == 9 ? 12.0 : 45.0;
}

static void test_one_pair_is_noise(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 1, 1), 0);
	judge_run(&x, 16, one_noisy_pair, "GenuineIntel");
	assert_int_equal(vtc_test_count(&x, VTC_FK_HIDDEN_SMT), 0);
	/* Not a finding of any kind, and not OK either: inference keeps the
	 * 12 ns pair as a tier of its own that no SMT, cache or socket group
	 * explains (14 of 16 vCPUs have no fast partner), which is what
	 * unpinned vCPUs look like, so it declares the run unknown. */
	assert_int_equal(x.fs.count, 0);
	assert_true(x.inf.unknown);
	assert_int_equal(x.st, VTC_EXIT_UNKNOWN);
	vtc_test_judged_free(&x);
}

/* ---- cache, socket, NUMA ------------------------------------------------- */

static void test_home_node_artifact_is_ok(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	/* 2 sockets x 8 cores x 2 threads, one L3 per 2-core CCX */
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 8, 2, 4), 0);
	judge_run(&x, 32, homed, "AuthenticAMD");
	assert_int_equal(x.st, VTC_EXIT_OK);
	vtc_test_judged_free(&x);
}

static void test_one_socket_told_is_flagged(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 16, 2, 8), 0);
	judge_run(&x, 32, homed, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_SOCKET_MISMATCH), 1);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	vtc_test_judged_free(&x);
}

/* One L3 described over four CCXs per socket: a cache problem on AMD. */
static void test_llc_merged_amd(void **state)
{
	struct vtc_test_judged x = {0};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 8, 2, 1), 0);
	judge_run(&x, 32, homed, "AuthenticAMD");
	assert_int_equal(vtc_test_count(&x, VTC_FK_LLC_MISMATCH), 1);
	assert_int_equal(vtc_test_count(&x, VTC_FK_SOCKET_MISMATCH), 0);
	assert_int_equal(x.st, VTC_EXIT_WARNING);
	vtc_test_judged_free(&x);
}

/* Intel: one L3 over a whole advertised package that splits in two is two
 * sockets, and the NUMA node that spans them is wrong too. */
static void test_intel_llc_split_is_socket(void **state)
{
	struct vtc_test_judged x = {0};
	const struct vtc_finding *f;
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 8, 1, 1), 0);
	judge_run(&x, 8, two_sockets, "GenuineIntel");
	f = vtc_test_find(&x, VTC_FK_SOCKET_MISMATCH);
	assert_non_null(f);
	assert_int_equal(f->severity, VTC_SEV_CRITICAL);
	assert_non_null(strstr(f->fix, "sockets=2"));
	assert_int_equal(vtc_test_count(&x, VTC_FK_NUMA_MISMATCH), 1);
	assert_int_equal(x.inf.groups[VTC_GROUP_SOCKET].count, 2);
	vtc_test_judged_free(&x);
}

/* Sockets advertised across the real ones: vCPUs told apart read nearer
 * than vCPUs told together. */
static void test_scrambled_sockets(void **state)
{
	struct vtc_test_judged x = {0};
	int key[8] = {0, 1, 0, 1, 0, 1, 0, 1};
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 4, 1, 1), 0);
	set_level(&x.adv, VTC_LEVEL_PACKAGE, key, 8);
	set_level(&x.adv, VTC_LEVEL_L3, key, 8);
	set_level(&x.adv, VTC_LEVEL_NUMA, key, 8);
	judge_run(&x, 8, two_sockets, "GenuineIntel");
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	assert_int_equal(vtc_test_count(&x, VTC_FK_SOCKET_MISMATCH), 1);
	assert_int_equal(x.inf.groups[VTC_GROUP_SOCKET].count, 2);
	assert_true(vtc_cpuset_test(&x.inf.groups[VTC_GROUP_SOCKET].g[0].cpus, 1));
	vtc_test_judged_free(&x);
}

/* Two advertised sockets that read as one. */
static void test_merged_sockets(void **state)
{
	struct vtc_test_judged x = {0};
	const struct vtc_finding *f;
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 2, 8, 1, 1), 0);
	judge_run(&x, 16, homogeneous, "GenuineIntel");
	/* One finding, at the LLC: levels are judged from the finest up, and
	 * the socket level against the judged (joined) L3. Once the two L3s
	 * read as one, every pair across the advertised sockets lies inside
	 * one measured cache and is no evidence at the socket level, so the
	 * merge is not reported twice. */
	assert_int_equal(vtc_test_count(&x, VTC_FK_LLC_MISMATCH), 1);
	assert_int_equal(vtc_test_count(&x, VTC_FK_SOCKET_MISMATCH), 0);
	f = vtc_test_find(&x, VTC_FK_LLC_MISMATCH);
	assert_non_null(f);
	assert_int_equal(vtc_cpuset_count(&f->cpus), 16);
	assert_int_equal(f->severity, VTC_SEV_WARNING);
	assert_int_equal(x.st, VTC_EXIT_WARNING);
	vtc_test_judged_free(&x);
}

/* ---- evidence ------------------------------------------------------------ */

static void test_evidence_units(void **state)
{
	struct vtc_test_judged x = {0};
	struct vtc_evidence e;
	(void)state;
	assert_int_equal(vtc_sim_topo(&x.adv, 1, 8, 2, 1), 0);
	judge_run(&x, 16, smt_pairs, "GenuineIntel");
	assert_int_equal(vtc_evidence_init(&e, &x.r, &x.inf), 0);
	assert_int_equal(e.n_units, 8);
	assert_int_equal(vtc_evidence_unit(&e, 4), vtc_evidence_unit(&e, 5));
	assert_int_not_equal(vtc_evidence_unit(&e, 5), vtc_evidence_unit(&e, 6));
	assert_int_equal(vtc_evidence_tier(&e, 4, 5), 0);
	assert_int_equal(vtc_evidence_tier(&e, 5, 4), 0);
	assert_int_equal(vtc_evidence_tier(&e, 5, 6), 1);
	assert_int_equal(vtc_evidence_tier(&e, 5, 5), -1);
	assert_int_equal(vtc_evidence_tier(&e, 5, 99), -1);
	vtc_evidence_free(&e);
	assert_int_equal(vtc_evidence_init(NULL, &x.r, &x.inf), -EINVAL);
	vtc_test_judged_free(&x);
}

/* ---- vtc_judge on hand-built evidence ------------------------------------ */

/* Evidence for @nv vCPUs read at @ns (one pass), with the tiers given by
 * hand: tier t covers [lo[t], hi[t]]. No inference runs: the judge sees
 * exactly these tiers. */
struct hand {
	struct vtc_results r;
	struct vtc_inferred inf;
	struct vtc_evidence e;
	struct vtc_topo adv;
	struct vtc_judgement j;
};

static void hand_evidence(struct hand *h, int nv, vtc_test_pair_fn ns, int n_tiers,
			  const double *lo, const double *hi)
{
	vtc_cpuset probed;

	vtc_cpuset_clear(&probed);
	for (int v = 0; v < nv; v++)
		vtc_cpuset_set(&probed, v);
	assert_int_equal(vtc_results_init(&h->r, &probed, 1), 0);
	for (int k = 0; k < h->r.n_pairs; k++) {
		struct vtc_lat_stats *st = &h->r.pairs[k].pass[0];
		st->measured = true;
		st->samples = 1;
		st->median_ns = ns(h->r.pairs[k].a, h->r.pairs[k].b);
	}
	h->inf.n_tiers = n_tiers;
	for (int t = 0; t < n_tiers; t++)
		h->inf.tier[t] = (struct vtc_tier){.lo_ns = lo[t], .hi_ns = hi[t],
						   .median_ns = (lo[t] + hi[t]) / 2};
	h->inf.cpus = probed;
	assert_int_equal(vtc_evidence_init(&h->e, &h->r, &h->inf), 0);
}

static void hand_free(struct hand *h)
{
	vtc_judgement_free(&h->j);
	vtc_evidence_free(&h->e);
	vtc_topo_free(&h->adv);
	vtc_results_free(&h->r);
	memset(h, 0, sizeof(*h));
}

static bool set_is(const vtc_cpuset *s, const char *list)
{
	vtc_cpuset want;

	assert_int_equal(vtc_cpulist_parse(list, &want), 0);
	return vtc_cpuset_equal(s, &want);
}

/* Two advertised sockets (one L3 each) whose pairs across read like the
 * pairs inside: merged at the LLC, and the socket level, judged against
 * the joined L3, has nothing left to say. */
static void test_vtc_judge_merged(void **state)
{
	static const double lo[] = {40}, hi[] = {50};
	struct hand h = {0};
	const struct vtc_jlevel_result *llc, *sock;
	(void)state;

	hand_evidence(&h, 16, homogeneous, 1, lo, hi);
	assert_int_equal(vtc_evidence_tier(&h.e, 0, 15), 0);
	assert_int_equal(vtc_sim_topo(&h.adv, 2, 8, 1, 1), 0);
	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, true, true, true, &h.j), 0);
	llc = &h.j.lvl[VTC_JL_LLC];
	sock = &h.j.lvl[VTC_JL_SOCKET];
	assert_true(llc->judged);
	assert_int_equal(llc->level, VTC_LEVEL_L3);
	assert_true(set_is(&llc->merged, "0-15"));
	assert_true(vtc_cpuset_empty(&llc->split));
	assert_int_equal(llc->measured.count, 1);
	assert_true(vtc_cpuset_empty(&sock->merged));
	assert_true(vtc_cpuset_empty(&sock->split));
	/* no SMT advertised (threads=1): nothing phantom or hidden */
	assert_true(vtc_cpuset_empty(&h.j.phantom));
	assert_true(vtc_cpuset_empty(&h.j.hidden));
	hand_free(&h);
}

/* One advertised L3 over a package of 8 whose halves read apart: a split,
 * which @intel_llc_is_socket moves from the LLC to the socket level (one
 * LLC per socket); without it the split stays a cache split. */
static void test_vtc_judge_llc_split_is_socket(void **state)
{
	static const double lo[] = {45, 130}, hi[] = {50, 150};
	struct hand h = {0};
	const struct vtc_jlevel_result *llc, *sock;
	(void)state;

	hand_evidence(&h, 8, two_sockets, 2, lo, hi);
	assert_int_equal(vtc_sim_topo(&h.adv, 1, 8, 1, 1), 0);
	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, true, true, true, &h.j), 0);
	llc = &h.j.lvl[VTC_JL_LLC];
	sock = &h.j.lvl[VTC_JL_SOCKET];
	assert_int_equal(sock->level, VTC_LEVEL_PACKAGE);
	assert_true(set_is(&sock->split, "0-7"));
	assert_int_equal(sock->near_tier, 0);
	assert_int_equal(sock->far_tier, 1);
	assert_int_equal(sock->measured.count, 2);
	assert_true(vtc_cpuset_empty(&llc->split));
	assert_int_equal(llc->measured.count, 2); /* the socket partition */
	vtc_judgement_free(&h.j);

	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, true, true, false, &h.j), 0);
	llc = &h.j.lvl[VTC_JL_LLC];
	sock = &h.j.lvl[VTC_JL_SOCKET];
	assert_int_equal(llc->level, VTC_LEVEL_L3);
	assert_true(set_is(&llc->split, "0-7"));
	assert_true(vtc_cpuset_empty(&sock->split));
	hand_free(&h);
}

/* Advertised siblings that read like the bulk of their rows are phantom;
 * near pairs no advertised core holds are hidden, SMT only on x86. */
static void test_vtc_judge_smt(void **state)
{
	static const double lo1[] = {40}, hi1[] = {50};
	static const double lo2[] = {6, 40}, hi2[] = {8, 50};
	struct hand h = {0};
	(void)state;

	hand_evidence(&h, 8, homogeneous, 1, lo1, hi1);
	assert_int_equal(vtc_sim_topo(&h.adv, 1, 4, 2, 1), 0);
	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, true, true, true, &h.j), 0);
	assert_true(h.j.smt_judged);
	assert_true(set_is(&h.j.phantom, "0-7"));
	assert_int_equal(h.j.smt_refuted, 4);
	assert_true(vtc_cpuset_empty(&h.j.hidden));
	vtc_judgement_free(&h.j);
	/* SMT from contention data: latency does not judge it */
	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, false, true, true, &h.j), 0);
	assert_false(h.j.smt_judged);
	assert_true(vtc_cpuset_empty(&h.j.phantom));
	hand_free(&h);

	hand_evidence(&h, 16, smt_pairs, 2, lo2, hi2);
	assert_int_equal(vtc_sim_topo(&h.adv, 1, 16, 1, 1), 0);
	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, true, true, true, &h.j), 0);
	assert_true(set_is(&h.j.hidden, "0-15"));
	assert_int_equal(h.j.hidden_units, 8);
	assert_true(h.j.hidden_is_smt);
	assert_true(vtc_cpuset_empty(&h.j.phantom));
	vtc_judgement_free(&h.j);
	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, true, false, true, &h.j), 0);
	assert_true(set_is(&h.j.hidden, "0-15"));
	assert_false(h.j.hidden_is_smt);
	hand_free(&h);
}

static void test_vtc_judge_einval(void **state)
{
	static const double lo[] = {40}, hi[] = {50};
	struct hand h = {0};
	(void)state;

	hand_evidence(&h, 4, homogeneous, 1, lo, hi);
	assert_int_equal(vtc_sim_topo(&h.adv, 1, 4, 1, 1), 0);
	assert_int_equal(vtc_judge(&h.e, &h.adv, &h.inf.cpus, true, true, true, NULL), -EINVAL);
	assert_int_equal(vtc_judge(NULL, &h.adv, &h.inf.cpus, true, true, true, &h.j), -EINVAL);
	assert_int_equal(vtc_judge(&h.e, NULL, &h.inf.cpus, true, true, true, &h.j), -EINVAL);
	assert_int_equal(vtc_judge(&h.e, &h.adv, NULL, true, true, true, &h.j), -EINVAL);
	hand_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phantom_homogeneous),
		cmocka_unit_test(test_phantom_needs_enough_pairs),
		cmocka_unit_test(test_honest_smt),
		cmocka_unit_test(test_hidden_smt_x86_is_critical),
		cmocka_unit_test(test_hidden_sharing_elsewhere_is_warning),
		cmocka_unit_test(test_rotated_siblings),
		cmocka_unit_test(test_near_pairs_held_by_l2),
		cmocka_unit_test(test_one_pair_is_noise),
		cmocka_unit_test(test_home_node_artifact_is_ok),
		cmocka_unit_test(test_one_socket_told_is_flagged),
		cmocka_unit_test(test_llc_merged_amd),
		cmocka_unit_test(test_intel_llc_split_is_socket),
		cmocka_unit_test(test_scrambled_sockets),
		cmocka_unit_test(test_merged_sockets),
		cmocka_unit_test(test_evidence_units),
		cmocka_unit_test(test_vtc_judge_merged),
		cmocka_unit_test(test_vtc_judge_llc_split_is_socket),
		cmocka_unit_test(test_vtc_judge_smt),
		cmocka_unit_test(test_vtc_judge_einval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
