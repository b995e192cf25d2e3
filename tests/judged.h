/* judged.h - a latency matrix judged through the whole chain (infer ->
 * compare -> verdict) as an imported one is: the helper of the tests that
 * build one small matrix per principle (test_judge, test_noise).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_TESTS_JUDGED_H
#define VTC_TESTS_JUDGED_H

#include "src/analysis/compare.h"
#include "src/analysis/infer.h"
#include "src/analysis/verdict.h"

/* One-way ns of pair (@a, @b), a < b; below 0 leaves the pair unmeasured. */
typedef double (*vtc_test_pair_fn)(int a, int b);

struct vtc_test_judged {
	struct vtc_results r;
	struct vtc_topo adv; /* set by the caller before judging */
	struct vtc_inferred inf;
	struct vtc_findings fs;
	struct vtc_platform plat;
	enum vtc_exit st;
	char why[320];
};

/* Judge one pass of @nv vCPUs read from @ns against x->adv, on a bare-metal
 * platform of @vendor (published matrices are of bare metal); the test
 * fails on any error. */
void vtc_test_judge(struct vtc_test_judged *x, int nv, vtc_test_pair_fn ns, const char *vendor);
/* Free and zero @x. */
void vtc_test_judged_free(struct vtc_test_judged *x);
/* Findings of kind @k; the first of them, or NULL. */
int vtc_test_count(const struct vtc_test_judged *x, enum vtc_fkind k);
const struct vtc_finding *vtc_test_find(const struct vtc_test_judged *x, enum vtc_fkind k);

#endif
