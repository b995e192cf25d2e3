/* stacked.c - stacked vCPUs: pairs that stall in every pass and co-run
 * like one vCPU, or steal well above the run's quiet vCPUs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/stats.h"
#include "src/vtc.h"
#include "src/analysis/infer/work.h"

/* Two busy vCPUs on one host CPU each wait half the time: steal ~50%. */
#define STACK_STEAL_MIN 25.0

/* Steal of @cpu well above the quiet vCPUs of this run (twice the lower
 * quartile, plus 5 points for rounding of /proc/stat ticks). */
static bool steal_elevated(const struct infer_work *w, int cpu)
{
	const struct vtc_results *r = w->res;

	if (w->steal_count < 2 || cpu >= r->ncpus_model || r->steal_pct[cpu] < 0)
		return false;
	return r->steal_pct[cpu] >= 2 * w->steal_q1 + 5;
}

/* The run's steal quartile for steal_elevated(), once per run (per pair
 * it made stacked inference cubic). */
static void steal_quartile(struct infer_work *w, double *buf)
{
	const struct vtc_results *r = w->res;
	int n = 0;

	for (int i = 0; i < w->ncpu; i++)
		if (r->cpu[i] < r->ncpus_model && r->steal_pct[r->cpu[i]] >= 0)
			buf[n++] = r->steal_pct[r->cpu[i]];
	w->steal_count = n;
	w->steal_q1 = 0;
	if (n >= 2) {
		vtc_stats_sort(buf, (size_t)n);
		w->steal_q1 = buf[n / 4];
	}
}

/* The first contention result of every pair, as vtc_results_contention()
 * finds it, without a scan of all results per pair. */
static int index_contention(struct infer_work *w)
{
	const struct vtc_results *r = w->res;

	w->pair_contention = malloc(((size_t)w->npairs + 1) * sizeof(*w->pair_contention));
	if (!w->pair_contention)
		return -ENOMEM;
	for (int k = 0; k < w->npairs; k++)
		w->pair_contention[k] = -1;
	for (int i = r->n_contention - 1; i >= 0; i--) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b);
		if (ia >= 0 && ib >= 0 && ia != ib)
			w->pair_contention[infer_pair_index(w, ia, ib)] = i;
	}
	return 0;
}

/* Steal (%) measured during the pair's co-run, or -1. */
static double corun_steal(const struct infer_work *w, int k)
{
	const struct vtc_contention_result *c =
		w->pair_contention[k] >= 0 ? &w->res->contention[w->pair_contention[k]] : NULL;
	return c && c->measured ? c->steal_pct : -1;
}

/* No other guest work to explain stalls: fewer runnable foreign tasks than
 * a quarter of the probed vCPUs, on average around probing. */
static bool guest_quiet(const struct vtc_results *r)
{
	return vtc_results_guest_quiet(r->foreign_runnable, r->n);
}

/* Whether pair @k is stacked: stalled in every pass, and co-running like one
 * vCPU when that was measured, else both vCPUs stealing more than the run's
 * quiet ones (a pair held up by a busy neighbour is host noise). */
static bool stacked_edge(const struct infer_work *w, int k)
{
	const struct vtc_results *r = w->res;

	/* A stacked pair never gets a clean pass: every handoff waits for the
	 * host scheduler. Any clean pass rules it out (SMT siblings co-run
	 * almost like one vCPU, so contention alone cannot). */
	if (!w->pair_stalled[k])
		return false;
	/* No pair ran clean at all: busy guest tasks on every vCPU stall the
	 * ping-pong and halve co-runs just like stacking; the host's steal
	 * during the co-run, or a guest with nothing else runnable, tells
	 * them apart. */
	if (w->none_clean && corun_steal(w, k) < STACK_STEAL_MIN && !guest_quiet(r))
		return false;
	if (!isnan(w->pair_score[k]))
		return w->pair_score[k] >= STACK_SCORE_MIN;
	return steal_elevated(w, r->pairs[k].a) && steal_elevated(w, r->pairs[k].b);
}

/* Stall rate of the pairs away from the stacked candidates: pairs touching
 * a stacked vCPU also stall when measured next to its partner, which says
 * nothing about host preemption. */
static double background_stall_rate(const struct infer_work *w, const bool *edge)
{
	const struct vtc_results *r = w->res;
	vtc_cpuset near;
	int stalled = 0, total = 0;

	vtc_cpuset_clear(&near);
	for (int k = 0; k < w->npairs; k++)
		if (edge[k]) {
			vtc_cpuset_set(&near, r->pairs[k].a);
			vtc_cpuset_set(&near, r->pairs[k].b);
		}
	for (int k = 0; k < w->npairs; k++) {
		const struct vtc_pair_result *p = &r->pairs[k];
		if (w->pair_stalled[k] || vtc_cpuset_test(&near, p->a) || vtc_cpuset_test(&near, p->b))
			continue;
		for (int ps = 0; ps < w->npasses; ps++) {
			total += p->pass[ps].measured;
			stalled += p->pass[ps].measured && p->pass[ps].stalled;
		}
	}
	return total ? (double)stalled / total : 0;
}

/* When host preemption stalls many passes, some pair may stall in every
 * pass by chance alone (expected: pairs x rate^passes measured), and SMT
 * siblings co-run almost like one vCPU: stacked vCPUs then cannot be told
 * from a busy host, and the run says so. */
static void stalls_by_chance(const struct infer_work *w, struct vtc_inferred *out,
			     const bool *edge)
{
	int edges = 0, mmin = VTC_MAX_PASSES;
	double rate;

	for (int k = 0; k < w->npairs; k++) {
		const struct vtc_pair_result *p = &w->res->pairs[k];
		int m = 0;
		for (int ps = 0; ps < w->npasses; ps++)
			m += p->pass[ps].measured;
		if (edge[k] && m < mmin)
			mmin = m;
		edges += edge[k];
	}
	if (!edges || out->unknown)
		return;
	rate = background_stall_rate(w, edge);
	if (w->npairs * pow(rate, mmin) < 0.05)
		return;
	snprintf(out->reason, sizeof(out->reason),
		 "%.0f%% of pair measurements stalled: stacked vCPUs cannot be told from host "
		 "preemption", 100 * rate);
	out->unknown = true;
}

/* Evidence of the stacked groups: mean handoff over their stalled pairs
 * (summed per group in pair order, in one pass over the pairs), co-run
 * score and steal. */
static int stacked_evidence(struct infer_work *w, struct vtc_inferred *out, const bool *edge,
			    double *h)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_STACKED];
	const struct vtc_results *r = w->res;
	int *nh = calloc((size_t)g->count + 1, sizeof(*nh));
	struct infer_part p;

	if (!nh || infer_part_from_groups(w, g, &p)) {
		free(nh);
		return -ENOMEM;
	}
	for (int q = 0; q < g->count; q++)
		h[q] = 0;
	for (int i = 0, k = 0; i < w->ncpu; i++)
		for (int j = i + 1; j < w->ncpu; j++, k++)
			for (int ps = 0; ps < w->npasses && edge[k] && p.lab[i] >= 0; ps++)
				if (r->pairs[k].pass[ps].handoff_ns > 0) {
					h[p.lab[i]] += r->pairs[k].pass[ps].handoff_ns;
					nh[p.lab[i]]++;
				}
	for (int q = 0; q < g->count; q++) {
		struct vtc_igroup *gr = &g->g[q];
		double steal = 0, s = infer_group_score(w, &p, q);
		int ns = 0, c;
		char list[64];

		if (vtc_cpuset_count(&gr->cpus) < 2)
			continue;
		vtc_cpuset_foreach(c, &gr->cpus)
			if (c < r->ncpus_model && r->steal_pct[c] >= 0) {
				steal += r->steal_pct[c];
				ns++;
			}
		gr->confidence = isnan(s) ? 0.6 : 0.9;
		vtc_cpulist_format(&gr->cpus, list, sizeof(list));
		snprintf(gr->evidence, sizeof(gr->evidence),
			 "v%s: ping-pong stalled, %.2f ms per handoff; co-run score %.2f "
			 "(1 = like one vCPU); steal %.0f%%", list, nh[q] ? h[q] / nh[q] / 1e6 : 0,
			 isnan(s) ? -1.0 : s, ns ? steal / ns : -1.0);
	}
	free(nh);
	infer_part_free(&p);
	return 0;
}

/* Stacked: pairs that stall in every pass and, when measured, co-run like
 * two threads on one vCPU. */
int infer_stacked(struct infer_work *w, struct vtc_inferred *out, bool *edge, double *buf)
{
	struct vtc_igroups *g = &out->groups[VTC_GROUP_STACKED];
	const struct vtc_results *r = w->res;

	steal_quartile(w, buf);
	if (w->none_clean && !w->pair_contention && index_contention(w))
		return -ENOMEM;
	infer_uf_reset(w);
	for (int k = 0; k < w->npairs; k++) {
		edge[k] = stacked_edge(w, k);
		if (edge[k])
			vtc_uf_union(w->uf_parent, vtc_results_rank(r, r->pairs[k].a),
				 vtc_results_rank(r, r->pairs[k].b));
	}
	infer_uf_groups(w, g, edge, false, w->ncpu);
	out->known[VTC_GROUP_STACKED] = true;
	stalls_by_chance(w, out, edge);
	return stacked_evidence(w, out, edge, buf);
}
