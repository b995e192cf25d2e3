/* floating.c - placement that moved during the run: pairs whose passes
 * left the fast tier, fast pairs that are not transitive, and co-runs that
 * contradict the latency tiers.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/vtc.h"
#include "src/analysis/infer/work.h"

static void bit_set(uint64_t *row, int j)
{
	row[j / 64] |= UINT64_C(1) << (j % 64);
}

/* A pass whose fast pairs are not transitive: i fast with j and l, j and l
 * measured but not fast. Real cores and caches are always transitive.
 * @fast and @slow hold one bit row of @words words per rank (tier 0, tier
 * above 0): the check is then "a fast neighbour x of i has a slow pair
 * among i's other fast neighbours", a row AND instead of a lookup per
 * neighbour pair, which a fast tier of whole sockets made cubic. */
static bool pass_intransitive(const struct infer_work *w, int ps, uint64_t *fast,
			      uint64_t *slow, int words)
{
	memset(fast, 0, (size_t)w->ncpu * (size_t)words * sizeof(*fast));
	memset(slow, 0, (size_t)w->ncpu * (size_t)words * sizeof(*slow));
	for (int i = 0, k = 0; i < w->ncpu; i++)
		for (int j = i + 1; j < w->ncpu; j++, k++) {
			int t = w->pass_tier[k * w->npasses + ps];
			uint64_t *rows = t == 0 ? fast : t > 0 ? slow : NULL;
			if (rows) {
				bit_set(&rows[(size_t)i * words], j);
				bit_set(&rows[(size_t)j * words], i);
			}
		}
	for (int i = 0; i < w->ncpu; i++) {
		const uint64_t *fi = &fast[(size_t)i * words];
		for (int x = 0; x < w->ncpu; x++) {
			const uint64_t *sx = &slow[(size_t)x * words];
			if (!(fi[x / 64] >> (x % 64) & 1))
				continue;
			for (int d = 0; d < words; d++)
				if (fi[d] & sx[d])
					return true;
		}
	}
	return false;
}

/* A pair in a slow tier whose co-run ratio is as far from "no interference"
 * (1.0 by definition) towards the same-vCPU control as siblings are. Judged
 * against 1.0 rather than the median control pair, which such pairs may
 * themselves have dragged down. */
static bool slow_pair_corun_like_siblings(const struct infer_work *w,
					  const struct vtc_inferred *out)
{
	const struct vtc_results *r = w->res;

	if (!(out->ctl_same < 1.0))
		return false;
	for (int i = 0; i < r->n_contention; i++) {
		const struct vtc_contention_result *c = &r->contention[i];
		int ia = vtc_results_rank(r, c->a), ib = vtc_results_rank(r, c->b), n = 0;
		double least = INFINITY;
		if (!c->measured || ia < 0 || ib < 0 || ia == ib ||
		    w->pair_tier[infer_pair_index(w, ia, ib)] <= 0 ||
		    w->pair_stalled[infer_pair_index(w, ia, ib)])
			continue;
		/* Sharing a core slows every loop kind; noise moves them apart. */
		for (int k = 0; k < VTC_CONT_KINDS; k++)
			if (c->ratio[k] > 0) {
				least = fmin(least, (1.0 - c->ratio[k]) / (1.0 - out->ctl_same));
				n++;
			}
		if (n && least >= SMT_SCORE_MIN)
			return true;
	}
	return false;
}

/* Contention measured after the latency passes contradicts them: a slow pair
 * co-runs like siblings, or a fast pair of two vCPUs without any confirmed
 * sibling co-runs like separate cores while other fast pairs are siblings.
 * On a static placement both probes see the same cores. */
static bool contention_contradicts(const struct infer_work *w, const struct vtc_inferred *out)
{
	bool conf[VTC_CPUSET_MAX / 8] = {false}, any = false;
	const struct vtc_results *r = w->res;

	if (!out->have_contention || out->n_tiers < 2 || w->ncpu > (int)VTC_ARRAY_SIZE(conf))
		return false;
	if (slow_pair_corun_like_siblings(w, out))
		return true;
	if (out->cont_noise > CONT_NOISE_MAX)
		return false; /* a lone "sibling" score may be noise */
	for (int k = 0; k < w->npairs; k++) {
		int ia = vtc_results_rank(r, r->pairs[k].a), ib = vtc_results_rank(r, r->pairs[k].b);
		if (isnan(w->pair_score[k]) || w->pair_stalled[k] || w->pair_score[k] < SMT_SCORE_MIN)
			continue;
		if (w->pair_tier[k] > 0)
			return true;
		if (w->pair_tier[k] == 0)
			any = conf[ia] = conf[ib] = true;
	}
	for (int k = 0; any && k < w->npairs; k++) {
		int ia = vtc_results_rank(r, r->pairs[k].a), ib = vtc_results_rank(r, r->pairs[k].b);
		if (w->pair_tier[k] == 0 && !isnan(w->pair_score[k]) && w->pair_score[k] < SMT_SCORE_MIN &&
		    !conf[ia] && !conf[ib])
			return true;
	}
	return false;
}

int infer_detect_floating(struct infer_work *w, struct vtc_inferred *out)
{
	bool fl = false;
	int nf = 0;

	if (out->n_tiers < 2)
		return 0;
	for (int k = 0; k < w->npairs && !fl; k++)
		for (int ps = 0; ps < w->npasses; ps++)
			fl |= w->pair_tier[k] == INFER_TIER_MIXED && w->pass_tier[k * w->npasses + ps] == 0;
	int words = (w->ncpu + 63) / 64;
	uint64_t *fast = calloc((size_t)w->ncpu * (size_t)words, sizeof(*fast));
	uint64_t *slow = calloc((size_t)w->ncpu * (size_t)words, sizeof(*slow));
	if (!fast || !slow) {
		free(fast);
		free(slow);
		return -ENOMEM;
	}
	/* Noise that spreads one level over two tiers breaks transitivity as
	 * well as moves do: then only moves seen between passes count. */
	for (int ps = 0; ps < w->npasses && !fl && !infer_noise_blurs_tiers(out); ps++)
		fl = pass_intransitive(w, ps, fast, slow, words);
	free(fast);
	free(slow);
	fl = fl || contention_contradicts(w, out);
	if (!fl)
		return 0;
	out->floating = true;
	for (int i = 0; i < w->npairs * w->npasses; i++)
		nf += w->pass_tier[i] == 0;
	out->fast = calloc((size_t)nf + 1, sizeof(*out->fast));
	if (!out->fast)
		return -ENOMEM;
	for (int ps = 0; ps < w->npasses; ps++)
		for (int i = 0; i < w->ncpu; i++)
			for (int j = i + 1; j < w->ncpu; j++) {
				int k = infer_pair_index(w, i, j);
				if (w->pass_tier[k * w->npasses + ps] != 0)
					continue;
				out->fast[out->n_fast++] = (struct vtc_fast_pair){
					ps, w->res->cpu[i], w->res->cpu[j], w->pass_ns[k * w->npasses + ps]};
			}
	return 0;
}
