/* results.c - the probe results container.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/results.h"
#include "src/grow.h"
#include "src/analysis/stats.h"

const char *vtc_cont_kind_name(enum vtc_cont_kind k)
{
	static const char *const names[VTC_CONT_KINDS] = {"l1", "l2", "alu"};
	return (unsigned)k < VTC_CONT_KINDS ? names[k] : "?";
}

/* Defaults were chosen by experiment; see README "Probe parameters". */
void vtc_probe_params_default(struct vtc_probe_params *p)
{
	memset(p, 0, sizeof(*p));
	p->passes = 2;
	p->budget_s = 10.0;
	p->pair_max_ms = 20.0;
	p->max_samples = 200;
	p->sample_target_us = 20.0;
	p->stall_ns = 100000.0;
	p->stall_limit = 4;
	p->lines = 16;
	p->serial = false;
	p->contention = true;
	p->watch = false;
	p->watch_samples = 8;
}

int vtc_results_init(struct vtc_results *r, const vtc_cpuset *probed, int passes)
{
	int i = 0, cpu, k = 0;

	memset(r, 0, sizeof(*r));
	if (passes < 1 || passes > VTC_MAX_PASSES)
		return -EINVAL;
	r->probed = *probed;
	r->n = vtc_cpuset_count(probed);
	r->ncpus_model = vtc_cpuset_last(probed) + 1;
	if (r->ncpus_model < 1)
		r->ncpus_model = 1;
	r->n_passes = passes;
	r->n_pairs = r->n * (r->n - 1) / 2;
	vtc_probe_params_default(&r->params);
	r->params.passes = passes;
	r->cpu = calloc((size_t)r->n + 1, sizeof(*r->cpu));
	r->pairs = calloc((size_t)r->n_pairs + 1, sizeof(*r->pairs));
	r->steal_pct = calloc((size_t)r->ncpus_model, sizeof(double));
	for (int kind = 0; kind < VTC_CONT_KINDS; kind++)
		r->solo_rate[kind] = calloc((size_t)r->ncpus_model, sizeof(double));
	if (!r->cpu || !r->pairs || !r->steal_pct || !r->solo_rate[0] ||
	    !r->solo_rate[1] || !r->solo_rate[2]) {
		vtc_results_free(r);
		return -ENOMEM;
	}
	vtc_cpuset_foreach(cpu, probed)
		r->cpu[i++] = cpu;
	for (int a = 0; a < r->n; a++)
		for (int b = a + 1; b < r->n; b++, k++) {
			r->pairs[k].a = r->cpu[a];
			r->pairs[k].b = r->cpu[b];
		}
	for (int c = 0; c < r->ncpus_model; c++)
		r->steal_pct[c] = -1;
	r->foreign_runnable = -1;
	r->busy_runnable = -1;
	return 0;
}

void vtc_results_free(struct vtc_results *r)
{
	if (!r)
		return;
	free(r->cpu);
	free(r->pairs);
	free(r->contention);
	free(r->watch);
	free(r->steal_pct);
	for (int k = 0; k < VTC_CONT_KINDS; k++)
		free(r->solo_rate[k]);
	memset(r, 0, sizeof(*r));
}

int vtc_results_rank(const struct vtc_results *r, int cpu)
{
	int lo = 0, hi = r->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (r->cpu[mid] == cpu)
			return mid;
		if (r->cpu[mid] < cpu)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

struct vtc_pair_result *vtc_results_pair(const struct vtc_results *r, int a, int b)
{
	int i = vtc_results_rank(r, a), j = vtc_results_rank(r, b);

	if (i < 0 || j < 0 || i == j)
		return NULL;
	return &r->pairs[vtc_pair_index(r->n, i, j)];
}

int vtc_results_add_contention(struct vtc_results *r, const struct vtc_contention_result *c)
{
	void *n = vtc_grow(r->contention, &r->cap_contention, r->n_contention, sizeof(*c), 16);

	if (!n)
		return -ENOMEM;
	r->contention = n;
	r->contention[r->n_contention++] = *c;
	return 0;
}

const struct vtc_contention_result *vtc_results_contention(const struct vtc_results *r,
							   int a, int b)
{
	for (int i = 0; i < r->n_contention; i++) {
		const struct vtc_contention_result *c = &r->contention[i];
		if ((c->a == a && c->b == b) || (c->a == b && c->b == a))
			return c;
	}
	return NULL;
}

/* A pass that measured the pair without stalling. */
static bool clean_pass(const struct vtc_lat_stats *s)
{
	return s->measured && !s->stalled && s->samples > 0;
}

double vtc_results_pair_median(const struct vtc_results *r, int a, int b)
{
	const struct vtc_pair_result *p = vtc_results_pair(r, a, b);
	double v[VTC_MAX_PASSES];
	int n = 0;

	if (!p)
		return -1;
	for (int i = 0; i < r->n_passes; i++)
		if (clean_pass(&p->pass[i]))
			v[n++] = p->pass[i].median_ns;
	if (n == 0)
		return -1;
	return vtc_stats_median_inplace(v, (size_t)n);
}

bool vtc_pair_measured(const struct vtc_pair_result *p, int passes)
{
	for (int i = 0; i < passes; i++)
		if (p->pass[i].measured)
			return true;
	return false;
}

double vtc_pair_fastest_ns(const struct vtc_pair_result *p, int passes)
{
	double least = -1;

	for (int i = 0; i < passes; i++)
		if (clean_pass(&p->pass[i]) && (least < 0 || p->pass[i].median_ns < least))
			least = p->pass[i].median_ns;
	return least;
}

int vtc_results_add_watch(struct vtc_results *r, double t_s, int pair, double ns)
{
	if (pair < 0 || pair >= r->n_pairs)
		return -EINVAL;
	if (r->n_watch >= VTC_WATCH_MAX_SAMPLES)
		return -ENOSPC;
	struct vtc_watch_sample *w = vtc_grow(r->watch, &r->cap_watch, r->n_watch, sizeof(*w), 4096);

	if (!w)
		return -ENOMEM;
	r->watch = w;
	r->watch[r->n_watch++] = (struct vtc_watch_sample){(float)t_s, (float)ns, pair};
	return 0;
}

int vtc_pairs_nearest(const double *ns, int n, int i, int skip)
{
	int best = -1;

	for (int j = 0; j < n; j++) {
		double v = j == i || j == skip ? -1 : ns[vtc_pair_index(n, i, j)];
		if (v > 0 && (best < 0 || v < ns[vtc_pair_index(n, i, best)]))
			best = j;
	}
	return best;
}
