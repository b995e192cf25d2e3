/* smt.c - SMT groups: the fast tier confirmed by contention, or the fast
 * tier alone when it cannot be an advertised cache.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/vtc.h"
#include "src/analysis/infer/work.h"

/* No contention data: a fast group on vCPUs advertised without SMT that sits
 * inside one advertised L2/L3 group is cache sharing, not hidden SMT. */
static bool fast_is_cache(const struct vtc_igroups *g, const struct vtc_topo *adv)
{
	int c;

	if (!adv->level_known[VTC_LEVEL_SMT])
		return false;
	for (int q = 0; q < g->count; q++) {
		bool in_cache = false;
		if (vtc_cpuset_count(&g->g[q].cpus) < 2)
			continue;
		vtc_cpuset_foreach(c, &g->g[q].cpus) {
			int at = vtc_groups_find(&adv->groups[VTC_LEVEL_SMT], c);
			if (at < 0 || vtc_cpuset_count(&adv->groups[VTC_LEVEL_SMT].set[at]) != 1)
				return false;
		}
		/* only a group holding the first CPU can hold them all */
		int first = vtc_cpuset_first(&g->g[q].cpus);
		for (int l = VTC_LEVEL_L2; l <= VTC_LEVEL_L3; l++)
			for (int i = 0; adv->level_known[l] && i < adv->groups[l].count; i++)
				in_cache |= vtc_cpuset_test(&adv->groups[l].set[i], first) &&
					    vtc_cpuset_subset(&g->g[q].cpus, &adv->groups[l].set[i]);
		if (!in_cache)
			return false;
	}
	return true;
}

static int smt_evidence(struct infer_work *w, struct vtc_inferred *out, double *buf)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_SMT];
	struct infer_part p;

	if (infer_part_from_groups(w, g, &p) || infer_part_medians(w, &p, buf, NULL)) {
		infer_part_free(&p);
		return -ENOMEM;
	}
	for (int q = 0; q < g->count; q++) {
		struct vtc_igroup *gr = &g->g[q];
		char list[64];
		double in = buf[q];
		double s = infer_group_score(w, &p, q);

		if (vtc_cpuset_count(&gr->cpus) < 2) {
			gr->confidence = out->known[VTC_GROUP_SMT] ? 0.5 : 0;
			if (out->known[VTC_GROUP_SMT])
				snprintf(gr->evidence, sizeof(gr->evidence),
					 "v%d: no probed vCPU measures or co-runs like a sibling",
					 vtc_cpuset_first(&gr->cpus));
			continue;
		}
		vtc_cpulist_format(&gr->cpus, list, sizeof(list));
		if (out->smt_latency_only) {
			gr->confidence = 0.45;
			snprintf(gr->evidence, sizeof(gr->evidence),
				 "v%s: %.1f ns one-way, next tier from %.1f ns; no contention data "
				 "(shared core or shared cache)", list, in, out->tier[1].lo_ns);
			continue;
		}
		gr->confidence = fmin(1.0, 0.5 + 0.5 * fmin(1.0, s / 0.6)) *
				 (out->n_tiers >= 2 ? 1.0 : 0.8);
		snprintf(gr->evidence, sizeof(gr->evidence),
			 "v%s: %.1f ns one-way%s; co-run score %.2f (ratio controls: same vCPU "
			 "%.2f, other pairs %.2f)", list, in,
			 out->n_tiers >= 2 ? " (fastest tier)" : " (one latency tier)", s,
			 out->ctl_same, out->ctl_far);
	}
	infer_part_free(&p);
	return 0;
}

/* Other guest tasks were runnable around probing: at least a quarter of the
 * probed vCPUs' worth, on average. Unknown (-1: imported or simulated
 * data) is not evidence of a busy guest. */
static bool guest_busy(const struct vtc_results *r)
{
	return r->foreign_runnable >= 0 && !vtc_results_guest_quiet(r->foreign_runnable, r->n);
}

/* Whether every multi-vCPU group of @g lies inside one advertised SMT group. */
static bool smt_as_advertised(const struct vtc_igroups *g, const struct vtc_topo *adv)
{
	for (int q = 0; q < g->count; q++) {
		const vtc_cpuset *c = &g->g[q].cpus;
		int at;
		if (vtc_cpuset_count(c) < 2)
			continue;
		if (!adv || !adv->level_known[VTC_LEVEL_SMT])
			return false;
		at = vtc_groups_find(&adv->groups[VTC_LEVEL_SMT], vtc_cpuset_first(c));
		if (at < 0 || !vtc_cpuset_subset(c, &adv->groups[VTC_LEVEL_SMT].set[at]))
			return false;
	}
	return true;
}

/* With no pair outside the candidates to co-run (a 2-vCPU guest), "separate
 * cores" is an assumed ratio of 1.0, and one slowed co-run cannot tell a
 * shared core from anything else that took the CPU during it: busy guest
 * tasks, or the host running both vCPUs on one CPU for a moment (seen on
 * this VM under ASan, no steal accounted). SMT the guest was told about is
 * confirmed that way; hidden SMT, a CRITICAL claim, is not made on it. */
static void smt_needs_reference(struct infer_work *w, struct vtc_inferred *out,
				const struct vtc_igroups *g, const struct vtc_topo *adv)
{
	bool any = false;

	for (int q = 0; q < g->count; q++)
		any |= vtc_cpuset_count(&g->g[q].cpus) > 1;
	if (!any || !w->far_assumed || out->unknown)
		return;
	if (guest_busy(w->res))
		snprintf(out->reason, sizeof(out->reason),
			 "co-runs slowed like SMT siblings, but on average %.1f other guest tasks were "
			 "runnable (waited %.1f s for a quiet moment) and no separate-core pair "
			 "could be measured for reference: rerun on a quiet guest",
			 w->res->foreign_runnable, w->res->quiet_wait_s);
	else if (adv && !smt_as_advertised(g, adv))
		snprintf(out->reason, sizeof(out->reason),
			 "co-runs slowed like SMT siblings the guest was not told about, but no "
			 "separate-core pair could be measured for reference: one co-run cannot "
			 "tell a shared core from host contention; rerun");
	else
		return;
	out->unknown = true;
}

/* SMT groups: the fast tier confirmed by contention; or the fast tier alone
 * without contention data, unless it is an advertised cache. */
int infer_smt(struct infer_work *w, struct vtc_inferred *out, const struct vtc_topo *adv,
		     bool *edge, double *buf)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_SMT];
	bool known = false;

	infer_uf_reset(w);
	for (int i = 0; i < w->ncpu; i++)
		for (int j = i + 1; j < w->ncpu; j++) {
			int k = infer_pair_index(w, i, j);
			if (out->have_contention && infer_candidate(w, out, k) && w->pair_kinds_split[k] &&
			    !out->unknown) {
				snprintf(out->reason, sizeof(out->reason),
					 "co-run probe kinds disagree for v%d,v%d (most slowed like "
					 "siblings, some not): vCPUs too busy to judge SMT",
					 w->res->cpu[i], w->res->cpu[j]);
				out->unknown = true;
			}
			if (out->have_contention)
				edge[k] = infer_candidate(w, out, k) && !isnan(w->pair_score[k]) &&
					  w->pair_score[k] >= SMT_SCORE_MIN && !w->pair_kinds_split[k];
			else
				edge[k] = out->n_tiers >= 2 && w->pair_tier[k] == 0;
			if (edge[k])
				vtc_uf_union(w->uf_parent, i, j);
		}
	if (out->have_contention || out->n_tiers >= 2)
		known = infer_uf_groups(w, g, edge, true, SMT_MAX);
	if (known && !out->have_contention) {
		known = !(adv && fast_is_cache(g, adv));
		out->smt_latency_only = known;
	}
	if (known && out->have_contention)
		smt_needs_reference(w, out, g, adv);
	out->known[VTC_GROUP_SMT] = known;
	if (!known) {
		infer_uf_reset(w);
		memset(edge, 0, (size_t)w->npairs * sizeof(*edge));
		infer_uf_groups(w, g, edge, false, w->ncpu);
	}
	return smt_evidence(w, out, buf);
}
