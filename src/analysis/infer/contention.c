/* contention.c - the co-run probe: same-vCPU and separate-core controls,
 * their noise, and each pair's score between them.
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

/* Two threads on one vCPU get half of it each: a same-vCPU control further
 * than this from 0.5 means other work disturbed that probe kind. */
#define CTL_SAME_TOL 0.15

/* A pair is an SMT candidate when it is in the fast tier, or when latency
 * shows one tier only (then contention alone decides). */
bool infer_candidate(const struct infer_work *w, const struct vtc_inferred *out, int k)
{
	if (w->pair_stalled[k] || w->pair_tier[k] == INFER_TIER_NONE)
		return false;
	return out->n_tiers < 2 || w->pair_tier[k] == 0;
}

/* Spread of the control pairs' co-run ratios around their median, as a
 * share of the control range (far - same): when it is large, a pair can
 * look like siblings by chance and the contention probe cannot be trusted. */
static void contention_noise(struct infer_work *w, struct vtc_inferred *out,
			     const double same[VTC_CONT_KINDS], const double far[VTC_CONT_KINDS])
{
	const struct vtc_results *r = w->res;
	double *dev = calloc((size_t)r->n_contention * VTC_CONT_KINDS + 1, sizeof(*dev));
	int n = 0;

	for (int i = 0; dev && i < r->n_contention; i++) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b);
		if (!c->measured || ia < 0 || ib < 0 || ia == ib ||
		    infer_candidate(w, out, infer_pair_index(w, ia, ib)) ||
		    w->pair_stalled[infer_pair_index(w, ia, ib)])
			continue;
		for (int k = 0; k < VTC_CONT_KINDS; k++)
			if (!isnan(same[k]) && c->ratio[k] > 0)
				dev[n++] = fabs(c->ratio[k] - far[k]) / (far[k] - same[k]);
	}
	out->cont_noise = n >= 6 ? vtc_stats_median_inplace(dev, (size_t)n) : 0;
	free(dev);
}

/* Too noisy co-runs make SMT a guess: say so (after floating placement,
 * which also scatters co-runs, has had its chance to explain them). */
void infer_contention_too_noisy(struct vtc_inferred *out)
{
	if (out->cont_noise <= CONT_NOISE_MAX || out->unknown || out->floating)
		return;
	snprintf(out->reason, sizeof(out->reason),
		 "co-run ratios too noisy (spread %.0f%% of the control range): host too busy "
		 "to judge SMT", 100 * out->cont_noise);
	out->unknown = true;
}

/* Controls: same-vCPU pairs (a == b) and the median non-candidate pair; a
 * run without non-candidates uses 1.0, "no interference" by definition. */
static void contention_controls(struct infer_work *w, struct vtc_inferred *out,
				double same[VTC_CONT_KINDS], double far[VTC_CONT_KINDS])
{
	const struct vtc_results *r = w->res;
	int nk = 0, disturbed = 0, nfar = 0;
	double *buf = calloc((size_t)r->n_contention + 1, sizeof(*buf));
	double cs[VTC_CONT_KINDS], cf[VTC_CONT_KINDS];

	for (int kind = 0; kind < VTC_CONT_KINDS && buf; kind++) {
		int ns = 0, nf = 0;
		for (int i = 0; i < r->n_contention; i++) {
			const struct vtc_contention_result *c = &r->contention[i];
			if (c->measured && c->a == c->b && c->ratio[kind] > 0)
				buf[ns++] = c->ratio[kind];
		}
		same[kind] = vtc_stats_median_inplace(buf, (size_t)ns);
		disturbed += ns > 0 && fabs(same[kind] - 0.5) > CTL_SAME_TOL;
		if (ns > 0 && fabs(same[kind] - 0.5) > CTL_SAME_TOL)
			ns = 0; /* this kind cannot be judged */
		for (int i = 0; i < r->n_contention; i++) {
			const struct vtc_contention_result *c = &r->contention[i];
			int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b);
			if (!c->measured || ia < 0 || ib < 0 || ia == ib || c->ratio[kind] <= 0 ||
			    infer_candidate(w, out, infer_pair_index(w, ia, ib)) ||
			    w->pair_stalled[infer_pair_index(w, ia, ib)])
				continue;
			buf[nf++] = c->ratio[kind];
		}
		far[kind] = nf ? vtc_stats_median_inplace(buf, (size_t)nf) : 1.0;
		if (ns && far[kind] > same[kind]) {
			nfar += nf > 0;
			cs[nk] = same[kind];
			cf[nk++] = far[kind];
		} else {
			same[kind] = NAN;
		}
	}
	free(buf);
	w->far_assumed = nk > 0 && nfar == 0;
	out->have_contention = nk > 0;
	out->ctl_same = vtc_stats_median_inplace(cs, (size_t)nk);
	out->ctl_far = vtc_stats_median_inplace(cf, (size_t)nk);
	if (nk == 0 && disturbed && !out->unknown) {
		snprintf(out->reason, sizeof(out->reason),
			 "the same-vCPU control co-ran far from 0.5 in every probe kind: vCPUs "
			 "busy with other work");
		out->unknown = true;
	}
	if (out->have_contention)
		contention_noise(w, out, same, far);
}

/* Score of each pair with contention data: 0 like separate cores, 1 like
 * two threads on one vCPU; median over the usable probe kinds. */
void infer_contention_scores(struct infer_work *w, struct vtc_inferred *out)
{
	const struct vtc_results *r = w->res;
	double same[VTC_CONT_KINDS], far[VTC_CONT_KINDS];

	for (int k = 0; k < w->npairs; k++)
		w->pair_score[k] = NAN;
	contention_controls(w, out, same, far);
	if (!out->have_contention)
		return;
	for (int i = 0; i < r->n_contention; i++) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b), n = 0, k;
		double s[VTC_CONT_KINDS];
		if (!c->measured || ia < 0 || ib < 0 || ia == ib)
			continue;
		for (int kind = 0; kind < VTC_CONT_KINDS; kind++)
			if (!isnan(same[kind]) && c->ratio[kind] > 0)
				s[n++] = (far[kind] - c->ratio[kind]) / (far[kind] - same[kind]);
		if (n == 0)
			continue;
		/* Claiming siblings needs every kind to agree (each slows on a
		 * shared core, see probes/hw/contention.c); sorted, s[0] is the
		 * least slowed kind. A "separate" median with one odd kind is
		 * noise in that kind. */
		vtc_stats_sort(s, (size_t)n);
		k = infer_pair_index(w, ia, ib);
		w->pair_score[k] = vtc_stats_median_sorted(s, (size_t)n);
		w->pair_kinds_split[k] = w->pair_score[k] >= SMT_SCORE_MIN && s[0] < SMT_SCORE_MIN;
	}
}
