/* judged.c - a latency matrix judged through the whole chain.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tests/judged.h"

static void import(struct vtc_results *r, int nv, vtc_test_pair_fn ns)
{
	vtc_cpuset probed;

	vtc_cpuset_clear(&probed);
	for (int v = 0; v < nv; v++)
		vtc_cpuset_set(&probed, v);
	assert_int_equal(vtc_results_init(r, &probed, 1), 0);
	for (int k = 0; k < r->n_pairs; k++) {
		struct vtc_lat_stats *s = &r->pairs[k].pass[0];
		double v = ns(r->pairs[k].a, r->pairs[k].b);
		if (v < 0)
			continue;
		s->measured = true;
		s->samples = 1;
		s->min_ns = s->p10_ns = s->median_ns = s->p90_ns = v;
	}
	r->n_passes = 1;
	snprintf(r->backend, sizeof(r->backend), "import");
}

void vtc_test_judge(struct vtc_test_judged *x, int nv, vtc_test_pair_fn ns, const char *vendor)
{
	import(&x->r, nv, ns);
	snprintf(x->plat.cpu_vendor, sizeof(x->plat.cpu_vendor), "%s", vendor);
	snprintf(x->plat.hypervisor, sizeof(x->plat.hypervisor), "none");
	assert_int_equal(vtc_infer(&x->r, &x->adv, &x->inf), 0);
	assert_int_equal(vtc_compare(&x->inf, &x->r, &x->adv, &x->plat, &x->fs), 0);
	x->st = vtc_verdict(&x->inf, &x->fs, x->why, sizeof(x->why));
}

void vtc_test_judged_free(struct vtc_test_judged *x)
{
	vtc_findings_free(&x->fs);
	vtc_inferred_free(&x->inf);
	vtc_topo_free(&x->adv);
	vtc_results_free(&x->r);
	memset(x, 0, sizeof(*x));
}

int vtc_test_count(const struct vtc_test_judged *x, enum vtc_fkind k)
{
	return vtc_findings_count_kind(&x->fs, k);
}

const struct vtc_finding *vtc_test_find(const struct vtc_test_judged *x, enum vtc_fkind k)
{
	for (int i = 0; i < x->fs.count; i++)
		if (x->fs.item[i].kind == k)
			return &x->fs.item[i];
	return NULL;
}
