/* test_sim_concurrency.c - does measuring disjoint pairs concurrently change
 * the classification? (simulated hosts, interference modelled)
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each scenario runs at three host loads with SEEDS seeds. Every seed runs
 * three times on the same simulated host: concurrent rounds with the sim's
 * interference model (busy SMT siblings, fabric load: tests/sim.c), serial
 * (one pair at a time, params->serial), and concurrent without the model
 * (ablation: what seed noise alone changes). Each run goes through
 * vtc_infer -> vtc_compare -> vtc_verdict; the classification compared is
 * the SMT, LLC, socket and stacked groups, the floating flag, the exit
 * status and the set of finding kinds.
 *
 * The table on stderr is the experiment's result; the asserts hold what the
 * model honestly reaches, with the one known exception documented at
 * known_differences[]. A second table counts backend calls (what the
 * concurrency buys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/compare.h"
#include "src/analysis/infer.h"
#include "tests/sim.h"
#include "src/analysis/verdict.h"

#define SEEDS 20
#define PASSES 2
#define NONE (-1) /* no finding kind */

struct scenario {
	const char *name;
	const struct vtc_sim_host *host;
	int nv;
	int pin[16];          /* small guests: explicit pins */
	void (*place)(const struct vtc_sim_host *h, int nv, int *pin); /* large guests */
	bool floating;        /* floating over pin[0..nv) */
	int sockets, cores, threads, l3; /* advertised */
	const char *product;  /* DMI product name */
	enum vtc_exit expect;
	int kind;             /* enum vtc_fkind that must be present, or NONE */
};

static const struct scenario scenarios[] = {
	/* Honest: pinned 1:1 on separate cores / on SMT siblings, as advertised. */
	{"honest_cores_xeon4208", &vtc_sim_xeon4208, 8, {0}, vtc_sim_place_cores, false,
	 1, 8, 1, 1, NULL, VTC_EXIT_OK, NONE},
	{"vtune", &vtc_sim_xeon4208, 4, {1, 17, 2, 18}, NULL, false, 1, 2, 2, 1, NULL,
	 VTC_EXIT_OK, NONE},
	{"honest_smt_xeon4208", &vtc_sim_xeon4208, 8, {0}, vtc_sim_place_smt, false,
	 1, 4, 2, 1, NULL, VTC_EXIT_OK, NONE},
	{"honest_smt_epyc", &vtc_sim_epyc, 8, {0}, vtc_sim_place_smt, false, 1, 4, 2, 1, NULL,
	 VTC_EXIT_OK, NONE},
	/* Advertised SMT that is not there (KubeVirt-style). */
	{"kubevirt_vtune", &vtc_sim_xeon4208, 4, {0, 2, 1, 3}, NULL, false, 1, 2, 2, 1,
	 "KubeVirt", VTC_EXIT_CRITICAL, VTC_FK_PHANTOM_SMT},
	/* Hidden SMT: sibling threads advertised as cores. */
	{"hidden_smt_4", &vtc_sim_xeon4208, 4, {1, 17, 2, 18}, NULL, false, 1, 4, 1, 1, NULL,
	 VTC_EXIT_CRITICAL, VTC_FK_HIDDEN_SMT},
	{"hidden_smt_16", &vtc_sim_xeon4208, 16, {0}, vtc_sim_place_smt, false, 1, 16, 1, 1,
	 NULL, VTC_EXIT_CRITICAL, VTC_FK_HIDDEN_SMT},
	/* Where concurrency could plausibly hurt (the load 0.90 row): hidden
	 * SMT on an Intel host with siblings far apart in vCPU order (i, i+8);
	 * in all rounds but one each sibling spins in another pair, slowing
	 * every cross-core pair of the guest. */
	{"hidden_smt_threads_16", &vtc_sim_xeon4208, 16, {0}, vtc_sim_place_threads, false,
	 1, 16, 1, 1, NULL, VTC_EXIT_CRITICAL, VTC_FK_HIDDEN_SMT},
	/* Half hidden SMT, half separate cores: only some pairs have busy
	 * siblings, which could fake a cache or socket split. */
	{"hidden_smt_partial", &vtc_sim_xeon4208, 8, {1, 17, 2, 18, 3, 4, 5, 6}, NULL, false,
	 1, 8, 1, 1, NULL, VTC_EXIT_CRITICAL, VTC_FK_HIDDEN_SMT},
	{"stacked", &vtc_sim_xeon4208, 4, {1, 2, 3, 3}, NULL, false, 1, 4, 1, 1, NULL,
	 VTC_EXIT_CRITICAL, VTC_FK_STACKED},
	/* Socket split on 2-socket hosts, advertised as one socket. */
	{"socket_xeon4208_16", &vtc_sim_xeon4208, 16, {0}, vtc_sim_place_cores, false,
	 1, 16, 1, 1, NULL, VTC_EXIT_CRITICAL, VTC_FK_SOCKET_MISMATCH},
	{"socket_cascade2s_32", &vtc_sim_cascade2s, 32, {0}, vtc_sim_place_smt_split, false,
	 1, 16, 2, 1, NULL, VTC_EXIT_CRITICAL, VTC_FK_SOCKET_MISMATCH},
	/* CCX (LLC) groups on EPYC, advertised as one L3. */
	{"llc_epyc_16", &vtc_sim_epyc, 16, {0}, vtc_sim_place_cores, false, 1, 16, 1, 1, NULL,
	 VTC_EXIT_WARNING, VTC_FK_LLC_MISMATCH},
	/* Floating over two cores' threads (libvirt default placement). */
	{"floating", &vtc_sim_xeon4208, 4, {1, 17, 2, 18}, NULL, true, 4, 1, 1, 1, NULL,
	 VTC_EXIT_WARNING, VTC_FK_FLOATING},
};

static const double loads[] = {VTC_SIM_IDLE, VTC_SIM_LOADED, VTC_SIM_BUSY};

/* Concurrency changes the classification here; allowed, and printed, up
 * to these counts per 20 seeds.
 * socket_cascade2s_32 at load 0.9 (2 sockets x 8 cores x 2 threads, told
 * one socket): busy siblings and fabric load put the concurrently measured
 * tiers at ~75-150 ns (same socket) and ~300-640 ns (remote) instead of
 * ~46-69 and ~167-248. Pairs that stalled in one pass (preemption, ~2% of
 * passes at this load) or whose passes differ by over 1.5x are re-measured
 * alone, and their solo medians (~55 and ~200 ns) land in both gaps: the
 * tiers merge into one and the guest reads as one homogeneous socket, OK
 * instead of CRITICAL. The solo re-measure does not catch interference (a
 * pair meets the same co-runners in every pass, in another order, so its
 * passes mostly agree); mixing its values with concurrent ones causes the
 * miss: judged without them, every such run reads as serial does
 * (max_differ_with_solo_dropped). With either effect alone, or both at
 * half strength, no run of seeds 1-20 went wrong. */
struct known_difference {
	const char *name;
	double load;
	int max_differ, max_conc_wrong, max_differ_with_solo_dropped;
};

static const struct known_difference known_differences[] = {
	{"socket_cascade2s_32", VTC_SIM_BUSY, 6, 6, 1},
};

enum mode { CONC, SERIAL, NOINT, MODES };

/* What a run concluded, in comparable form. */
struct verdict_class {
	enum vtc_exit status;
	bool correct;
	bool known[VTC_GROUP_KINDS];
	int grp[VTC_GROUP_KINDS][VTC_SIM_MAX_VCPUS]; /* lowest vCPU of each vCPU's group */
	bool floating;
	unsigned kinds; /* bit 1 << k for each enum vtc_fkind k found */
	int remeasured; /* pairs re-measured alone */
	unsigned long calls_pp, jobs_pp, calls_thr;
	char line[200];
	char tiers[160];   /* latency tiers found, "[lo-hi]..." ns */
	bool valid;        /* filled (see run_one's @nosolo) */
};

static void classify(const struct scenario *sc, const struct vtc_inferred *inf,
		     const struct vtc_findings *fs, struct verdict_class *c)
{
	for (int k = 0; k < VTC_GROUP_KINDS; k++) {
		c->known[k] = inf->known[k] && !inf->unknown;
		for (int v = 0; v < sc->nv; v++) {
			int q = c->known[k] ? vtc_inferred_find(inf, k, v) : -1;
			c->grp[k][v] = q >= 0 ? vtc_cpuset_first(&inf->groups[k].g[q].cpus) : -1;
		}
	}
	c->floating = inf->floating;
	for (int i = 0; i < fs->count; i++)
		c->kinds |= 1u << fs->item[i].kind;
	c->correct = c->status == sc->expect &&
		     (sc->kind == NONE || vtc_findings_count_kind(fs, sc->kind) > 0);
}

static void tiers_text(const struct vtc_inferred *inf, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (int t = 0; t < inf->n_tiers && o + 1 < len; t++)
		o += (size_t)snprintf(buf + o, len - o, "[%.0f-%.0f]", inf->tier[t].lo_ns,
				      inf->tier[t].hi_ns);
}

/* Infer, compare and judge @r into @c. */
static void judge(const struct scenario *sc, const struct vtc_results *r,
		  const struct vtc_topo *adv, struct verdict_class *c)
{
	struct vtc_inferred inf;
	struct vtc_findings fs = {0};
	struct vtc_platform plat;

	vtc_sim_platform(sc->host, sc->product, &plat);
	assert_int_equal(vtc_infer(r, adv, &inf), 0);
	assert_int_equal(vtc_compare(&inf, r, adv, &plat, &fs), 0);
	c->status = vtc_verdict(&inf, &fs, c->line, sizeof(c->line));
	classify(sc, &inf, &fs, c);
	tiers_text(&inf, c->tiers, sizeof(c->tiers));
	c->valid = true;
	vtc_findings_free(&fs);
	vtc_inferred_free(&inf);
}

/* Re-judge @r as if the scheduler had not re-measured any pair alone. */
static void judge_without_solo(const struct scenario *sc, struct vtc_results *r,
			       const struct vtc_topo *adv, struct verdict_class *c)
{
	if (r->n_passes <= PASSES)
		return;
	for (int i = 0; i < r->n_pairs; i++)
		memset(&r->pairs[i].pass[PASSES], 0, sizeof(r->pairs[i].pass[PASSES]));
	r->n_passes = PASSES;
	judge(sc, r, adv, c);
}

/* One run of @sc in mode @m into @c; @nosolo (may be NULL) gets the same
 * run judged without its solo re-measures, when there were any. */
static void run_one(const struct scenario *sc, double load, uint64_t seed, enum mode m,
		    struct verdict_class *c, struct verdict_class *nosolo)
{
	struct vtc_sim sim;
	struct vtc_results r;
	struct vtc_topo adv;
	int pin[VTC_SIM_MAX_VCPUS] = {0}, extra[VTC_SIM_MAX_VCPUS][2], nextra;

	memset(c, 0, sizeof(*c));
	if (nosolo)
		memset(nosolo, 0, sizeof(*nosolo));
	memcpy(pin, sc->pin, sizeof(sc->pin));
	if (sc->place)
		sc->place(sc->host, sc->nv, pin);
	if (sc->floating)
		assert_int_equal(vtc_sim_init_floating(&sim, sc->host, sc->nv, pin, sc->nv,
						       load, seed), 0);
	else
		assert_int_equal(vtc_sim_init_pinned(&sim, sc->host, sc->nv, pin, load, seed), 0);
	sim.serial = m == SERIAL;
	sim.interference = m != NOINT;
	assert_int_equal(vtc_sim_topo(&adv, sc->sockets, sc->cores, sc->threads, sc->l3), 0);
	nextra = vtc_sim_smt_pairs(&adv, extra, VTC_SIM_MAX_VCPUS);
	assert_int_equal(vtc_sim_measure(&sim, PASSES, true, extra, nextra, &r), 0);
	judge(sc, &r, &adv, c);
	for (int i = 0; r.n_passes > PASSES && i < r.n_pairs; i++)
		c->remeasured += r.pairs[i].pass[PASSES].measured;
	c->calls_pp = sim.calls_pingpong;
	c->jobs_pp = sim.jobs_pingpong;
	c->calls_thr = sim.calls_throughput;
	if (nosolo)
		judge_without_solo(sc, &r, &adv, nosolo);
	vtc_topo_free(&adv);
	vtc_results_free(&r);
}

/* Groups of kind @k as text: "[0-1][2-3]" or "not determined". */
static void groups_text(const struct scenario *sc, const struct verdict_class *c, int k,
			char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	if (!c->known[k]) {
		snprintf(buf, len, "not determined");
		return;
	}
	for (int v = 0; v < sc->nv && o + 1 < len; v++) {
		vtc_cpuset set;
		char list[64];
		if (c->grp[k][v] != v)
			continue;
		vtc_cpuset_clear(&set);
		for (int u = 0; u < sc->nv; u++)
			if (c->grp[k][u] == v)
				vtc_cpuset_set(&set, u);
		vtc_cpulist_format(&set, list, sizeof(list));
		o += (size_t)snprintf(buf + o, len - o, "[%s]", list);
	}
}

/* First difference between two classifications, or "" when equal. Groups
 * are not compared for a floating guest: they record where the vCPUs
 * happened to be, not what the guest is. */
static void first_difference(const struct scenario *sc, const struct verdict_class *a,
			     const struct verdict_class *b, char *why, size_t len)
{
	char ga[160], gb[160];

	why[0] = 0;
	for (int k = 0; !sc->floating && k < VTC_GROUP_KINDS; k++) {
		if (a->known[k] == b->known[k] &&
		    (!a->known[k] || memcmp(a->grp[k], b->grp[k], sizeof(a->grp[k])) == 0))
			continue;
		groups_text(sc, a, k, ga, sizeof(ga));
		groups_text(sc, b, k, gb, sizeof(gb));
		snprintf(why, len, "%s groups %s vs %s", vtc_gkind_name(k), ga, gb);
		return;
	}
	if (a->floating != b->floating)
		snprintf(why, len, "floating %d vs %d", a->floating, b->floating);
	else if (a->status != b->status || a->kinds != b->kinds)
		snprintf(why, len, "verdict");
}

enum outcome { CORRECT, UNKNOWN, WRONG };

static enum outcome outcome_of(const struct verdict_class *c)
{
	if (c->status == VTC_EXIT_UNKNOWN)
		return UNKNOWN;
	return c->correct ? CORRECT : WRONG;
}

/* One comparison of two modes over the seeds of one load level. */
struct tally {
	int agree, both_unknown, only_a_unknown, only_b_unknown, differ;
	int a_wrong_b_right, a_right_b_wrong;
	int differ_not_solo; /* differences that remain without a's solo re-measures */
	char first[1600];
};

/* Compare @a with @b for one seed; @a_nosolo: @a without its solo
 * re-measures (valid only when it had any). */
static void tally_seed(const struct scenario *sc, uint64_t seed, const struct verdict_class *a,
		       const struct verdict_class *a_nosolo, const struct verdict_class *b,
		       struct tally *t)
{
	enum outcome oa = outcome_of(a), ob = outcome_of(b);
	char why[160], why_nosolo[160] = "";

	t->a_wrong_b_right += oa == WRONG && ob == CORRECT;
	t->a_right_b_wrong += oa == CORRECT && ob == WRONG;
	if (oa == UNKNOWN || ob == UNKNOWN) {
		t->both_unknown += oa == ob;
		t->only_a_unknown += ob != UNKNOWN;
		t->only_b_unknown += oa != UNKNOWN;
		return;
	}
	first_difference(sc, a, b, why, sizeof(why));
	if (!why[0]) {
		t->agree++;
		return;
	}
	t->differ++;
	if (a_nosolo->valid)
		first_difference(sc, a_nosolo, b, why_nosolo, sizeof(why_nosolo));
	t->differ_not_solo += !a_nosolo->valid || why_nosolo[0];
	if (t->first[0])
		return;
	snprintf(t->first, sizeof(t->first),
		 "seed %d: %s\n      concurrent: \"%s\", tiers %s ns, %d pairs re-measured "
		 "alone%s%s\n      serial:     \"%s\", tiers %s ns", (int)seed, why, a->line,
		 a->tiers, a->remeasured, a_nosolo->valid ? "; without them: " : "",
		 a_nosolo->valid ? a_nosolo->line : "", b->line, b->tiers);
}

struct level {
	struct tally cs, ns; /* concurrent vs serial; no-interference vs serial */
	int remeasured[MODES], correct[MODES];
};

static void print_level(const struct scenario *sc, double load, const struct level *lv)
{
	const struct tally *t = &lv->cs;

	fprintf(stderr,
		"%-21s %.2f | %2d/%d %2d %2d %2d %2d (%2d) %2d %2d | %2d %2d %2d | %2d %2d %2d | "
		"%3d %3d %3d%s%s\n",
		sc->name, load, t->agree, SEEDS, t->both_unknown, t->only_a_unknown,
		t->only_b_unknown, t->differ, t->differ_not_solo, t->a_wrong_b_right,
		t->a_right_b_wrong, lv->ns.differ, lv->ns.only_a_unknown, lv->ns.only_b_unknown,
		lv->correct[CONC], lv->correct[SERIAL], lv->correct[NOINT], lv->remeasured[CONC],
		lv->remeasured[SERIAL], lv->remeasured[NOINT],
		t->first[0] ? "\n    first difference, " : "", t->first);
}

static const struct known_difference *known_for(const char *name, double load)
{
	for (size_t i = 0; i < VTC_ARRAY_SIZE(known_differences); i++)
		if (strcmp(known_differences[i].name, name) == 0 &&
		    known_differences[i].load == load)
			return &known_differences[i];
	return NULL;
}

static void check_level(const struct scenario *sc, double load, const struct level *lv)
{
	const struct tally *t = &lv->cs;
	const struct known_difference *kd = known_for(sc->name, load);

	/* UNKNOWN in the concurrent run alone: at most 3 in 20 (the
	 * ablation, no interference, shows up to 2 from seed noise). */
	assert_true(t->only_a_unknown <= 3);
	if (kd) {
		assert_true(t->differ <= kd->max_differ);
		assert_true(t->a_wrong_b_right <= kd->max_conc_wrong);
		assert_true(t->differ_not_solo <= kd->max_differ_with_solo_dropped);
		return;
	}
	if (sc->floating) {
		/* Groups of a moving placement differ run to run, and so does
		 * the placement history (the two modes draw differently): only
		 * definite wrong verdicts are held to account. */
		assert_true(t->a_wrong_b_right <= t->a_right_b_wrong + 2);
		return;
	}
	/* Identical classification in >= 95% of the seeds where neither run
	 * is UNKNOWN, and a definite wrong verdict where serial was right at
	 * most once in 20 (the ablation shows seed noise alone doing that). */
	assert_true(t->differ <= 0.05 * SEEDS + 1e-9);
	assert_true(t->a_wrong_b_right <= 1);
}

static void test_scenario(void **state)
{
	const struct scenario *sc = *state;
	struct level lv[VTC_ARRAY_SIZE(loads)];

	memset(lv, 0, sizeof(lv));
	for (size_t l = 0; l < VTC_ARRAY_SIZE(loads); l++) {
		for (uint64_t seed = 1; seed <= SEEDS; seed++) {
			struct verdict_class c[MODES], nosolo;
			for (int m = 0; m < MODES; m++) {
				run_one(sc, loads[l], seed, m, &c[m], m == CONC ? &nosolo : NULL);
				lv[l].remeasured[m] += c[m].remeasured;
				lv[l].correct[m] += outcome_of(&c[m]) == CORRECT;
			}
			tally_seed(sc, seed, &c[CONC], &nosolo, &c[SERIAL], &lv[l].cs);
			memset(&nosolo, 0, sizeof(nosolo));
			tally_seed(sc, seed, &c[NOINT], &nosolo, &c[SERIAL], &lv[l].ns);
		}
		print_level(sc, loads[l], &lv[l]);
	}
	for (size_t l = 0; l < VTC_ARRAY_SIZE(loads); l++)
		check_level(sc, loads[l], &lv[l]);
}

/* Backend calls of one run each way (seed 1, idle host): latency rounds
 * against pairs. Estimated hardware time: a pingpong call takes about
 * max_samples x sample_target_us (200 x 20 us = 4 ms), a throughput call
 * about 7 ms (4 windows of 1.5 ms and thread start; probes/schedule.c). */
static void test_cost(void **state)
{
	(void)state;
	fprintf(stderr, "%-22s %4s %16s %16s %10s %22s %8s\n", "cost", "vCPU",
		"pingpong conc", "pingpong serial", "throughput", "est. s conc/serial", "speed-up");
	for (size_t i = 0; i < VTC_ARRAY_SIZE(scenarios); i++) {
		const struct scenario *sc = &scenarios[i];
		struct verdict_class c, s;
		double tc, ts;

		run_one(sc, VTC_SIM_IDLE, 1, CONC, &c, NULL);
		run_one(sc, VTC_SIM_IDLE, 1, SERIAL, &s, NULL);
		tc = c.calls_pp * 0.004 + c.calls_thr * 0.007;
		ts = s.calls_pp * 0.004 + s.calls_thr * 0.007;
		fprintf(stderr, "%-22s %4d %7lu (%4lu pr) %16lu %10lu %10.2f / %9.2f %4.1fx/%.1fx\n",
			sc->name, sc->nv, c.calls_pp, c.jobs_pp, s.calls_pp, c.calls_thr, tc, ts,
			(double)s.calls_pp / (double)c.calls_pp, ts / tc);
		assert_true(c.calls_pp < s.calls_pp);
	}
}

/* Columns of print_level. */
static void print_header(void)
{
	fprintf(stderr,
		"concurrent vs serial, %d seeds per row; \"wrong\" = a definite wrong verdict, "
		"\"unk\" = UNKNOWN\n"
		"%-21s %4s | %5s %2s %2s %2s %2s %4s %2s %2s | %-8s | %-8s | %s\n"
		"%-21s %4s | %5s %2s %2s %2s %2s %4s %2s %2s | %2s %2s %2s | %2s %2s %2s | "
		"%3s %3s %3s\n",
		SEEDS, "", "", "agree", "bu", "uc", "us", "df", "(ds)", "wc", "ws", "no-intf.",
		"correct", "pairs re-measured alone", "scenario", "load", "", "", "", "", "", "",
		"", "", "df", "un", "us", "co", "se", "ni", "con", "ser", "ni");
	fprintf(stderr,
		"  bu both unk, uc unk only concurrent, us unk only serial, df classification "
		"differs (ds: still differs without the concurrent run's solo re-measures),\n"
		"  wc wrong only concurrent, ws wrong only serial; no-intf.: concurrent without "
		"the interference model vs serial (df, un unk only it, us unk only serial)\n");
}

int main(void)
{
	struct CMUnitTest tests[VTC_ARRAY_SIZE(scenarios) + 1];

	print_header();

	for (size_t i = 0; i < VTC_ARRAY_SIZE(scenarios); i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(test_scenario,
								       (void *)&scenarios[i]);
		tests[i].name = scenarios[i].name;
	}
	tests[VTC_ARRAY_SIZE(scenarios)] = (struct CMUnitTest)cmocka_unit_test(test_cost);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
