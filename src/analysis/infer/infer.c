/* infer.c - from measured pair latencies and contention to the real topology:
 * the driver (check the results, run the steps in order) and the public
 * helpers. The steps live beside it, one concern per file; work.h ties them.
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
#include "src/stop.h"

const char *vtc_gkind_name(enum vtc_gkind k)
{
	static const char *const names[VTC_GROUP_KINDS] = {"smt", "llc", "socket", "stacked"};
	return (unsigned)k < VTC_GROUP_KINDS ? names[k] : "?";
}

static void work_free(struct infer_work *w)
{
	free(w->pass_ns);
	free(w->pass_tier);
	free(w->pair_ns);
	free(w->pair_tier);
	free(w->pair_stalled);
	free(w->pair_score);
	free(w->pair_kinds_split);
	free(w->uf_parent);
	free(w->pair_contention);
	free(w->group_at);
	free(w->group_mem);
}

static int work_alloc(struct infer_work *w, const struct vtc_results *r)
{
	size_t np;

	memset(w, 0, sizeof(*w));
	w->res = r;
	w->ncpu = r->n;
	w->npairs = r->n_pairs;
	w->npasses = r->n_passes;
	np = (size_t)w->npairs + 1;
	w->pass_ns = calloc(np * (size_t)w->npasses, sizeof(*w->pass_ns));
	w->pass_tier = calloc(np * (size_t)w->npasses, sizeof(*w->pass_tier));
	w->pair_ns = calloc(np, sizeof(*w->pair_ns));
	w->pair_tier = calloc(np, sizeof(*w->pair_tier));
	w->pair_stalled = calloc(np, sizeof(*w->pair_stalled));
	w->pair_score = calloc(np, sizeof(*w->pair_score));
	w->pair_kinds_split = calloc(np, sizeof(*w->pair_kinds_split));
	w->uf_parent = calloc((size_t)w->ncpu, sizeof(*w->uf_parent));
	w->group_at = calloc((size_t)w->ncpu, sizeof(*w->group_at));
	w->group_mem = calloc((size_t)w->ncpu, sizeof(*w->group_mem));
	if (!w->pass_ns || !w->pass_tier || !w->pair_ns || !w->pair_tier || !w->pair_stalled ||
	    !w->pair_score || !w->pair_kinds_split || !w->uf_parent || !w->group_at || !w->group_mem)
		return -ENOMEM;
	return 0;
}

static int groups_alloc(struct vtc_igroups *g, int n)
{
	g->count = 0;
	g->g = calloc((size_t)n + 1, sizeof(*g->g));
	return g->g ? 0 : -ENOMEM;
}

static int check_results(const struct vtc_results *r)
{
	int k = 0;

	if (r->n < 2 || !r->cpu || !r->pairs || r->n_passes < 1 ||
	    r->n_passes > VTC_MAX_PASSES || r->n_pairs != r->n * (r->n - 1) / 2 ||
	    (r->n_contention > 0 && !r->contention) || !r->steal_pct)
		return -EINVAL;
	for (int i = 0; i < r->n; i++)
		for (int j = i + 1; j < r->n; j++, k++)
			if (r->pairs[k].a != r->cpu[i] || r->pairs[k].b != r->cpu[j])
				return -EINVAL;
	return 0;
}

/* Every pair stalled and nothing was found stacked: say whether the co-runs
 * at least looked like one vCPU (stacked without steal accounting, e.g.
 * under TCG, or busy guest tasks: indistinguishable). */
static void all_stalled_reason(const struct infer_work *w, struct vtc_inferred *out)
{
	for (int k = 0; k < w->npairs; k++)
		if (w->pair_stalled[k] && !isnan(w->pair_score[k]) && w->pair_score[k] >= STACK_SCORE_MIN) {
			snprintf(out->reason, sizeof(out->reason),
				 "no vCPU pair ran without stalls and v%d,v%d co-ran like one vCPU, "
				 "without host steal and with %.1f other guest tasks runnable "
				 "(waited %.1f s for quiet): stacked vCPUs or busy guest tasks; "
				 "rerun on a quiet guest", w->res->pairs[k].a, w->res->pairs[k].b,
				 w->res->foreign_runnable, w->res->quiet_wait_s);
			return;
		}
	snprintf(out->reason, sizeof(out->reason), "no vCPU pair measured without stalls");
}

static bool any_group(const struct vtc_igroups *g)
{
	for (int q = 0; q < g->count; q++)
		if (vtc_cpuset_count(&g->g[q].cpus) > 1)
			return true;
	return false;
}

/* The steps in order: values and quality, tiers, contention, stacked
 * groups (found even in a run that is otherwise unknown), floating
 * placement, then SMT and the cache/socket levels on a static one. */
static int infer_run(struct infer_work *w, const struct vtc_topo *adv, struct vtc_inferred *out,
		     bool *edge, double *buf)
{
	int rc = vtc_series_analyze(w->res, &out->series), start = 0;

	if (rc == 0)
		rc = infer_collect(w, out);
	if (rc == 0)
		rc = infer_noise(w, out);

	if (rc == 0 && !out->unknown)
		rc = infer_label(w, out);
	if (rc == 0)
		infer_contention_scores(w, out);
	int rs = infer_stacked(w, out, edge, buf);
	if (rc == 0)
		rc = rs;
	if (rc == 0 && out->n_tiers == 0 && !out->unknown) {
		/* all pairs stalled: stacked groups are all there is to say */
		out->unknown = !any_group(&out->groups[VTC_GROUP_STACKED]);
		if (out->unknown)
			all_stalled_reason(w, out);
		return 0;
	}
	/* between phases: a signal ends a long analysis (1024 vCPUs) here */
	if (rc == 0 && vtc_stop_requested())
		rc = -EINTR;
	if (rc == 0 && !out->unknown)
		rc = infer_detect_floating(w, out);
	infer_contention_too_noisy(out);
	if (rc || out->unknown || out->floating || infer_too_noisy(out))
		return rc;
	rc = vtc_stop_requested() ? -EINTR : infer_smt(w, out, adv, edge, buf);
	if (rc == 0 && !out->unknown)
		rc = infer_level_start(w, out, &start);
	if (rc == 0 && !out->unknown)
		rc = infer_levels(w, out, start, buf);
	return rc;
}

int vtc_infer(const struct vtc_results *r, const struct vtc_topo *advertised,
	      struct vtc_inferred *out)
{
	struct infer_work w;
	bool *edge = NULL;
	double *buf = NULL;
	int rc;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!r || check_results(r))
		return -EINVAL;
	out->cpus = r->probed;
	for (int k = 0; k < VTC_GROUP_KINDS; k++)
		if (groups_alloc(&out->groups[k], r->n))
			return -ENOMEM;
	rc = work_alloc(&w, r);
	edge = calloc((size_t)r->n_pairs + 1, sizeof(*edge));
	buf = calloc((size_t)r->n_pairs + 1, sizeof(*buf));
	if (rc == 0 && (!edge || !buf))
		rc = -ENOMEM;
	if (rc == 0)
		rc = infer_run(&w, advertised, out, edge, buf);
	free(edge);
	free(buf);
	work_free(&w);
	return rc;
}

char vtc_tier_letter(int t)
{
	return t >= 0 && t < 26 ? (char)('a' + t) : '?';
}

void vtc_inferred_free(struct vtc_inferred *inf)
{
	if (!inf)
		return;
	for (int k = 0; k < VTC_GROUP_KINDS; k++)
		free(inf->groups[k].g);
	free(inf->fast);
	free(inf->row_scale);
	free(inf->pair_scale);
	vtc_series_free(&inf->series);
	memset(inf, 0, sizeof(*inf));
}

int vtc_inferred_find(const struct vtc_inferred *inf, enum vtc_gkind k, int cpu)
{
	if ((unsigned)k >= VTC_GROUP_KINDS)
		return -1;
	for (int i = 0; i < inf->groups[k].count; i++)
		if (vtc_cpuset_test(&inf->groups[k].g[i].cpus, cpu))
			return i;
	return -1;
}
