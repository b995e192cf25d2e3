/* test_fingerprint.c - the topology and host fingerprints: the hash's
 * published test vectors, equal for two runs of one placement whatever
 * their latencies, different when the grouping changes; the host signals
 * and the rule that a run which moved to another host has no verdict.
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

#include "src/analysis/fingerprint.h"

/* FNV-1a 64 test vectors from the reference (isthe.com/chongo/src/fnv/test_fnv.c). */
static void test_fnv_vectors(void **state)
{
	(void)state;
	assert_true(vtc_fnv1a64("", 0) == 0xcbf29ce484222325ull);
	assert_true(vtc_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cull);
	assert_true(vtc_fnv1a64("foobar", 6) == 0x85944171f73967e8ull);
}

/* Four probed vCPUs; SMT groups from @smt ("01|23" style pairs: a[i]
 * pairs with b[i]), one LLC and one socket of all four, no stacking. */
struct inf4 {
	struct vtc_inferred inf;
	struct vtc_igroup g[VTC_GROUP_KINDS][4];
};

static void set_group(struct vtc_igroup *g, const char *list)
{
	memset(g, 0, sizeof(*g));
	assert_int_equal(vtc_cpulist_parse(list, &g->cpus), 0);
	g->confidence = 0.9;
}

static void inf4_init(struct inf4 *x, const char *const smt[], int n_smt, double tier_ns)
{
	static const char *const all[] = {"0-3"};
	static const char *const singles[] = {"0", "1", "2", "3"};

	memset(x, 0, sizeof(*x));
	assert_int_equal(vtc_cpulist_parse("0-3", &x->inf.cpus), 0);
	x->inf.n_tiers = 2;
	x->inf.tier[0].median_ns = tier_ns; /* raw latencies: not in the fingerprint */
	x->inf.tier[1].median_ns = tier_ns * 5;
	for (int k = 0; k < VTC_GROUP_KINDS; k++) {
		const char *const *lists = k == VTC_GROUP_SMT ? smt :
					   k == VTC_GROUP_STACKED ? singles : all;
		int n = k == VTC_GROUP_SMT ? n_smt : k == VTC_GROUP_STACKED ? 4 : 1;
		x->inf.known[k] = true;
		x->inf.groups[k].count = n;
		x->inf.groups[k].g = x->g[k];
		for (int i = 0; i < n; i++)
			set_group(&x->g[k][i], lists[i]);
	}
}

static void test_topology_text(void **state)
{
	static const char *const pairs[] = {"0-1", "2-3"};
	struct inf4 x;
	char text[256];

	(void)state;
	inf4_init(&x, pairs, 2, 10);
	assert_int_equal(vtc_fingerprint_topology_text(&x.inf, text, sizeof(text)), 0);
	assert_string_equal(text, "probed=0-3 smt=0-1/2-3 llc=0-3 socket=0-3 stacked=");
	x.inf.known[VTC_GROUP_LLC] = false;
	assert_int_equal(vtc_fingerprint_topology_text(&x.inf, text, sizeof(text)), 0);
	assert_string_equal(text, "probed=0-3 smt=0-1/2-3 llc=? socket=0-3 stacked=");
	assert_int_equal(vtc_fingerprint_topology_text(&x.inf, text, 20), -ENOSPC);
	x.inf.unknown = true; /* no judged groups: no fingerprint */
	assert_int_equal(vtc_fingerprint_topology_text(&x.inf, text, sizeof(text)), -EINVAL);
}

static void test_topology_stable_and_sensitive(void **state)
{
	static const char *const pairs[] = {"0-1", "2-3"};
	static const char *const other[] = {"0,2", "1,3"};
	static const char *const none[] = {"0", "1", "2", "3"};
	struct inf4 a, b, c, d;
	char fa[VTC_FINGERPRINT_LEN + 1], fb[sizeof(fa)], fc[sizeof(fa)], fd[sizeof(fa)];

	(void)state;
	inf4_init(&a, pairs, 2, 10);
	inf4_init(&b, pairs, 2, 13); /* the same placement, other latencies */
	b.g[VTC_GROUP_SMT][0].confidence = 0.5;
	inf4_init(&c, other, 2, 10);
	inf4_init(&d, none, 4, 10);
	assert_int_equal(vtc_fingerprint_topology(&a.inf, fa), 0);
	assert_int_equal(vtc_fingerprint_topology(&b.inf, fb), 0);
	assert_int_equal(vtc_fingerprint_topology(&c.inf, fc), 0);
	assert_int_equal(vtc_fingerprint_topology(&d.inf, fd), 0);
	assert_int_equal(strlen(fa), VTC_FINGERPRINT_LEN);
	assert_int_equal(strspn(fa, "0123456789abcdef"), VTC_FINGERPRINT_LEN);
	assert_string_equal(fa, fb);
	assert_string_not_equal(fa, fc);
	assert_string_not_equal(fa, fd);
	assert_string_not_equal(fc, fd);
}

static void signals(struct vtc_host_signals *s, const char *model, const char *ucode,
		    double tsc_khz)
{
	struct vtc_platform p;

	memset(&p, 0, sizeof(p));
	snprintf(p.model_name, sizeof(p.model_name), "%s", model);
	snprintf(p.cpu_family, sizeof(p.cpu_family), "6");
	snprintf(p.cpu_model_num, sizeof(p.cpu_model_num), "85");
	snprintf(p.cpu_stepping, sizeof(p.cpu_stepping), "7");
	snprintf(p.microcode, sizeof(p.microcode), "%s", ucode);
	vtc_host_signals_from(&p, tsc_khz, s);
}

static void test_host_text(void **state)
{
	struct vtc_host_signals s = {0};
	char text[400], f1[VTC_FINGERPRINT_LEN + 1], f2[sizeof(f1)];

	(void)state;
	assert_int_equal(vtc_fingerprint_host_text(&s, text, sizeof(text)), -EINVAL);
	signals(&s, "Xeon", "0x5003604", 2095074.4);
	assert_int_equal(vtc_fingerprint_host_text(&s, text, sizeof(text)), 0);
	assert_string_equal(text, "model=Xeon;fms=6/85/7;microcode=0x5003604;tsc_khz=2100000");
	/* a calibration's last digits change neither the text nor the hash */
	assert_int_equal(vtc_fingerprint_host(&s, f1), 0);
	s.tsc_khz = 2098000.9;
	assert_int_equal(vtc_fingerprint_host(&s, f2), 0);
	assert_string_equal(f1, f2);
	s.tsc_khz = 2300000;
	assert_int_equal(vtc_fingerprint_host(&s, f2), 0);
	assert_string_not_equal(f1, f2);
	assert_int_equal(vtc_fingerprint_tsc_khz(0), 0);
	assert_int_equal(vtc_fingerprint_tsc_khz(-5), 0);
	assert_int_equal(vtc_fingerprint_tsc_khz(2596244.4), 2600000);
	assert_int_equal(vtc_fingerprint_tsc_khz(3699999.7), 3700000);
	assert_int_equal(vtc_fingerprint_tsc_khz(24999.93), 25000); /* Arm generic timer */
	assert_int_equal(vtc_fingerprint_tsc_khz(999400), 999000);
}

/* Fake start and end signals: what moved, what is noise, what is unknown. */
static void test_moved(void **state)
{
	struct vtc_host_signals a, b;
	char why[200] = "";

	(void)state;
	signals(&a, "Xeon", "0x5003604", 2100000);
	signals(&b, "Xeon", "0x5003604", 2100000 * 1.004); /* calibration noise */
	assert_false(vtc_fingerprint_moved(&a, &b, why, sizeof(why)));
	b.tsc_khz = 2300000;
	assert_true(vtc_fingerprint_moved(&a, &b, why, sizeof(why)));
	assert_string_equal(why, "TSC 2100.0 -> 2300.0 MHz");
	signals(&b, "EPYC", "0x5003604", 2100000);
	assert_true(vtc_fingerprint_moved(&a, &b, why, sizeof(why)));
	assert_string_equal(why, "CPU model 'Xeon' -> 'EPYC'");
	signals(&b, "Xeon", "0x5003605", 2100000);
	assert_true(vtc_fingerprint_moved(&a, &b, NULL, 0));
	/* a side that does not know a signal cannot say it changed */
	signals(&b, "Xeon", "", 0);
	assert_false(vtc_fingerprint_moved(&a, &b, why, sizeof(why)));
	b.known = false;
	signals(&a, "Xeon", "0x1", 1);
	assert_false(vtc_fingerprint_moved(&a, &b, why, sizeof(why)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv_vectors),
		cmocka_unit_test(test_topology_text),
		cmocka_unit_test(test_topology_stable_and_sensitive),
		cmocka_unit_test(test_host_text),
		cmocka_unit_test(test_moved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
