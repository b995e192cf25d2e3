/* judge.c - advertised topology against the latency evidence.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/finding.h"
#include "src/analysis/judge.h"
#include "src/analysis/unionfind.h"

/* A row needs this many other partners before "reads like the bulk" means
 * anything (three per vCPU of the pair). */
#define MIN_ROW_OTHERS 6

static int groups_push(struct vtc_igroups *g, const vtc_cpuset *cpus, const char *why)
{
	struct vtc_igroup *ng = realloc(g->g, sizeof(*ng) * (size_t)(g->count + 1));

	if (!ng)
		return -ENOMEM;
	g->g = ng;
	memset(&g->g[g->count], 0, sizeof(g->g[0]));
	g->g[g->count].cpus = *cpus;
	g->g[g->count].confidence = 1.0;
	snprintf(g->g[g->count].evidence, sizeof(g->g[0].evidence), "%s", why);
	g->count++;
	return 0;
}

void vtc_judgement_free(struct vtc_judgement *j)
{
	if (!j)
		return;
	free(j->smt_measured.g);
	for (int l = 0; l < VTC_JL_COUNT; l++)
		free(j->lvl[l].measured.g);
	memset(j, 0, sizeof(*j));
}

/* ---- SMT ---------------------------------------------------------------- */

/* Tiers of @a's pairs with probed CPUs outside @grp: how many read in a tier
 * no farther than @t, out of how many, and the nearest of them. */
static void row_count(const struct vtc_evidence *e, const vtc_cpuset *cpus, const vtc_cpuset *grp,
		      int a, int t, int *le, int *all, int *nearest)
{
	int x;

	vtc_cpuset_foreach(x, cpus) {
		int tx = vtc_cpuset_test(grp, x) ? -1 : vtc_evidence_tier(e, a, x);
		if (tx < 0)
			continue;
		(*all)++;
		*le += tx <= t;
		if (*nearest < 0 || tx < *nearest)
			*nearest = tx;
	}
}

/* Real siblings share an L1 and read nearer than every other pair of their
 * two vCPUs. An advertised sibling pair is refuted when a quarter or more
 * of those other pairs read in its tier or a nearer one (it reads like the
 * bulk), or when one of them reads in a strictly nearer tier (the vCPU's
 * nearest partner is someone else). */
static void judge_phantom(const struct vtc_evidence *e, const struct vtc_topo *adv,
			  const vtc_cpuset *cpus, struct vtc_judgement *j)
{
	const struct vtc_groups *g = &adv->groups[VTC_LEVEL_SMT];
	double sum = 0;
	int a, b;

	vtc_cpuset_clear(&j->phantom);
	for (int q = 0; q < g->count; q++)
		vtc_cpuset_foreach(a, &g->set[q])
			vtc_cpuset_foreach(b, &g->set[q]) {
				int t = a < b ? vtc_evidence_tier(e, a, b) : -1, le = 0, all = 0;
				int nearest = -1;
				if (t < 0 || !vtc_cpuset_test(cpus, a) || !vtc_cpuset_test(cpus, b))
					continue;
				row_count(e, cpus, &g->set[q], a, t, &le, &all, &nearest);
				row_count(e, cpus, &g->set[q], b, t, &le, &all, &nearest);
				if (all < MIN_ROW_OTHERS)
					continue;
				j->smt_tested++;
				if (4 * le < all && nearest >= t)
					continue;
				/* Siblings that are each other's nearest partner by a
				 * tier gap are what SMT looks like, whatever tier
				 * noise put them in (refuted pairs of a lie read
				 * farther than a partner their row holds nearer). */
				if (vtc_evidence_clear_twins(e, a, b))
					continue;
				if (j->smt_refuted++ < 3)
					vtc_finding_catf(j->phantom_evidence, sizeof(j->phantom_evidence),
					    "%sv%d,v%d %.1f ns (tier %c): %d of their %d other pairs "
					    "as near, the nearest in tier %c",
					    j->smt_refuted > 1 ? "; " : "", a, b,
					    vtc_evidence_ns(e, a, b), vtc_tier_letter(t), le, all,
					    vtc_tier_letter(nearest));
				vtc_cpuset_set(&j->phantom, a);
				vtc_cpuset_set(&j->phantom, b);
				sum += vtc_evidence_ns(e, a, b);
				j->phantom_tier = t;
			}
	j->smt_judged = j->smt_tested >= 2;
	/* Most advertised pairs must fail: one noisy pair is no refutation. */
	if (!j->smt_judged || 2 * j->smt_refuted <= j->smt_tested)
		vtc_cpuset_clear(&j->phantom);
	j->phantom_ns = j->smt_refuted ? sum / j->smt_refuted : -1;
}

/* A unit is held when an advertised core, or an advertised cache whose
 * pairs all read in the near tier, contains it. */
static bool unit_held(const struct vtc_evidence *e, const struct vtc_topo *adv,
		      const vtc_cpuset *u)
{
	static const enum vtc_level lv[] = {VTC_LEVEL_SMT, VTC_LEVEL_L1D, VTC_LEVEL_L2,
					    VTC_LEVEL_CLUSTER, VTC_LEVEL_L3};
	int first = vtc_cpuset_first(u);

	for (size_t k = 0; k < sizeof(lv) / sizeof(lv[0]); k++) {
		const struct vtc_groups *g = &adv->groups[lv[k]];
		int at = adv->level_known[lv[k]] ? vtc_groups_find(g, first) : -1;
		if (at < 0 || !vtc_cpuset_subset(u, &g->set[at]))
			continue;
		if (lv[k] == VTC_LEVEL_SMT)
			return true;
		/* Units from the rows are nearer than any other partner by a
		 * tier gap: only a cache of just them holds them. */
		if (e->units_by_rows ? vtc_cpuset_count(&g->set[at]) == vtc_cpuset_count(u)
				     : vtc_evidence_all_in_tier(e, &g->set[at], 0))
			return true;
	}
	return false;
}

static int judge_hidden(const struct vtc_evidence *e, const struct vtc_topo *adv,
			const vtc_cpuset *cpus, struct vtc_judgement *j)
{
	vtc_cpuset done;
	int c, rc = 0;

	vtc_cpuset_clear(&j->hidden);
	vtc_cpuset_clear(&done);
	for (int u = 0; u < e->n_units; u++) {
		const vtc_cpuset *s = &e->unit_cpus[u];
		char l[64];
		if (!adv->level_known[VTC_LEVEL_SMT] || unit_held(e, adv, s))
			continue;
		vtc_cpuset_or(&j->hidden, &j->hidden, s);
		vtc_cpulist_format(s, l, sizeof(l));
		if (j->hidden_units++ < 3)
			vtc_finding_catf(j->hidden_evidence, sizeof(j->hidden_evidence), "%s{%s} %.1f ns",
			    j->hidden_units > 1 ? ", " : "", l,
			    vtc_evidence_ns(e, vtc_cpuset_first(s),
					    vtc_cpuset_next(s, vtc_cpuset_first(s))));
	}
	if (j->hidden_units && e->units_by_rows)
		vtc_finding_catf(j->hidden_evidence, sizeof(j->hidden_evidence),
		    "%s: %d pair%s, each the nearest partner of both its vCPUs by %.2fx or more "
		    "(noise blurs their tier into the next)", j->hidden_units > 3 ? ", ..." : "",
		    j->hidden_units, j->hidden_units > 1 ? "s" : "", VTC_TIER_GAP_MIN);
	else if (j->hidden_units)
		vtc_finding_catf(j->hidden_evidence, sizeof(j->hidden_evidence),
		    "%s: %d group%s in tier a (%.1f-%.1f ns), every other pair of them "
		    "%.0f ns or more", j->hidden_units > 3 ? ", ..." : "", j->hidden_units,
		    j->hidden_units > 1 ? "s" : "", e->tier[0].lo_ns, e->tier[0].hi_ns,
		    e->n_tiers > 1 ? e->tier[1].lo_ns : 0.0);
	/* The measured cores: the near-tier units, every other vCPU alone. */
	for (int u = 0; rc == 0 && u < e->n_units; u++) {
		vtc_cpuset s;
		vtc_cpuset_and(&s, &e->unit_cpus[u], cpus);
		vtc_cpuset_or(&done, &done, &s);
		if (!vtc_cpuset_empty(&s))
			rc = groups_push(&j->smt_measured, &s, "near tier");
	}
	vtc_cpuset_foreach(c, cpus) {
		vtc_cpuset one;
		if (rc || vtc_cpuset_test(&done, c))
			continue;
		vtc_cpuset_clear(&one);
		vtc_cpuset_set(&one, c);
		rc = groups_push(&j->smt_measured, &one, "");
	}
	return rc;
}

/* ---- cache, socket and NUMA levels -------------------------------------- */

/* Group id of every CPU (VTC_CPUSET_MAX entries, -1 none). */
static void index_groups(int *of, const vtc_cpuset *sets, size_t stride, int count)
{
	int c;

	for (int i = 0; i < VTC_CPUSET_MAX; i++)
		of[i] = -1;
	for (int q = 0; q < count; q++) {
		const vtc_cpuset *s = (const vtc_cpuset *)((const char *)sets + stride * (size_t)q);
		vtc_cpuset_foreach(c, s)
			if (of[c] < 0)
				of[c] = q;
	}
}

static void index_adv(int *of, const struct vtc_topo *adv, enum vtc_level l)
{
	if (!adv->level_known[l]) {
		index_groups(of, NULL, 0, 0);
		return;
	}
	index_groups(of, adv->groups[l].set, sizeof(adv->groups[l].set[0]), adv->groups[l].count);
}

static void index_measured(int *of, const struct vtc_igroups *g)
{
	index_groups(of, &g->g[0].cpus, sizeof(g->g[0]), g->count);
}

struct lvctx {
	const struct vtc_evidence *e;
	const int *smt_of;   /* advertised cores */
	const int *finer_of; /* the finer cache partition (advertised or judged) */
	int *uf;             /* scratch, VTC_CPUSET_MAX */
	int *in, *near;      /* scratch per block root, VTC_CPUSET_MAX */
};

/* Pairs that share something finer than the level judged (a measured or
 * advertised core, or the finer cache) say nothing about it. */
static bool finer_pair(const struct lvctx *x, int a, int b)
{
	int ua = vtc_evidence_unit(x->e, a);

	return (ua >= 0 && ua == vtc_evidence_unit(x->e, b)) ||
	       (x->smt_of[a] >= 0 && x->smt_of[a] == x->smt_of[b]) ||
	       (x->finer_of[a] >= 0 && x->finer_of[a] == x->finer_of[b]);
}

struct gstat {
	vtc_cpuset cpus;
	int near;      /* lowest tier of its own pairs, -1 none */
	int median;    /* median tier of its own pairs, -1 none */
	double mean_ns; /* mean of its own pairs, -1 none */
};

static int hist_median(const int *hist, int n)
{
	int acc = 0;

	for (int t = 0; t <= VTC_INFER_MAX_TIERS && n; t++) {
		acc += hist[t];
		if (2 * acc >= n)
			return t;
	}
	return -1;
}

/* Tiers of the group's own pairs: lowest and median (tiers are few). */
static void group_tiers(const struct lvctx *x, struct gstat *gs)
{
	int hist[VTC_INFER_MAX_TIERS + 1] = {0}, a, b, n = 0;
	double sum = 0;

	gs->near = -1;
	gs->mean_ns = -1;
	vtc_cpuset_foreach(a, &gs->cpus)
		vtc_cpuset_foreach(b, &gs->cpus) {
			int t = a < b && !finer_pair(x, a, b) ? vtc_evidence_tier(x->e, a, b) : -1;
			if (t < 0 || t > VTC_INFER_MAX_TIERS)
				continue;
			hist[t]++;
			n++;
			sum += vtc_evidence_ns(x->e, a, b);
			gs->mean_ns = sum / n;
			if (gs->near < 0 || t < gs->near)
				gs->near = t;
		}
	gs->median = hist_median(hist, n);
}

/* Links between two blocks: pairs across them, and those in the near tier. */
struct blinks {
	int n_blocks;
	int *near, *total; /* n_blocks x n_blocks */
};

/* Count the links between the blocks x->uf holds now; x->in[root] is set
 * to each root's block id. Returns 0 or -ENOMEM. */
static int count_links(const struct lvctx *x, const struct gstat *gs, struct blinks *l)
{
	int a, b, nb = 0;

	vtc_cpuset_foreach(a, &gs->cpus)
		if (vtc_uf_find(x->uf, a) == a)
			x->in[a] = nb++;
	l->n_blocks = nb;
	l->near = calloc((size_t)nb * (size_t)nb + 1, sizeof(*l->near));
	l->total = calloc((size_t)nb * (size_t)nb + 1, sizeof(*l->total));
	if (!l->near || !l->total)
		return -ENOMEM;
	vtc_cpuset_foreach(a, &gs->cpus)
		vtc_cpuset_foreach(b, &gs->cpus) {
			int p = x->in[vtc_uf_find(x->uf, a)], q = x->in[vtc_uf_find(x->uf, b)], t;
			if (a >= b || p == q || (t = vtc_evidence_tier(x->e, a, b)) < 0)
				continue;
			l->total[p * nb + q]++;
			l->total[q * nb + p]++;
			l->near[p * nb + q] += t == gs->near;
			l->near[q * nb + p] += t == gs->near;
		}
	return 0;
}

/* Join blocks while two of them are linked by a majority of near pairs
 * (average linkage: one stray near pair among many far ones, which jitter
 * makes, joins nothing). @root[block] is a vCPU of each block. Returns
 * false when two blocks are linked by a share of near pairs that is neither
 * a majority nor a few strays (one eighth or more): no clear blocks. */
static bool join_linked(const struct lvctx *x, struct blinks *l, const int *root)
{
	int nb = l->n_blocks;
	bool changed = true;

	while (changed) {
		changed = false;
		for (int p = 0; p < nb; p++)
			for (int q = p + 1; q < nb; q++) {
				int near = l->near[p * nb + q], tot = l->total[p * nb + q];
				if (tot == 0 || root[p] < 0 || root[q] < 0 || 2 * near <= tot)
					continue;
				for (int r = 0; r < nb; r++) {
					l->near[p * nb + r] += l->near[q * nb + r];
					l->near[r * nb + p] = l->near[p * nb + r];
					l->total[p * nb + r] += l->total[q * nb + r];
					l->total[r * nb + p] = l->total[p * nb + r];
				}
				x->uf[vtc_uf_find(x->uf, root[q])] = vtc_uf_find(x->uf, root[p]);
				((int *)root)[q] = -1;
				changed = true;
			}
	}
	for (int p = 0; p < nb; p++)
		for (int q = p + 1; q < nb; q++)
			if (root[p] >= 0 && root[q] >= 0 &&
			    8 * l->near[p * nb + q] >= l->total[p * nb + q] && l->near[p * nb + q] > 0)
				return false;
	return true;
}

/* Blocks of @gs: joined by finer pairs, then by a majority of own pairs in
 * its near tier. Returns the number of blocks of two or more vCPUs, 0 when
 * the blocks are not clear (a block that is a chain of near links rather
 * than near inside, or blocks half linked), -ENOMEM. */
static int group_blocks(const struct lvctx *x, const struct gstat *gs)
{
	int *uf = x->uf, a, b, big = 0, inside = 0, multi = 0, *root;
	struct blinks l = {0};
	bool clear;

	vtc_cpuset_foreach(a, &gs->cpus) {
		uf[a] = a;
		x->in[a] = x->near[a] = 0;
	}
	vtc_cpuset_foreach(a, &gs->cpus)
		vtc_cpuset_foreach(b, &gs->cpus)
			if (a < b && finer_pair(x, a, b))
				uf[vtc_uf_find(uf, b)] = vtc_uf_find(uf, a);
	root = malloc(sizeof(*root) * ((size_t)vtc_cpuset_count(&gs->cpus) + 1));
	if (!root || count_links(x, gs, &l)) {
		free(root);
		free(l.near);
		free(l.total);
		return -ENOMEM;
	}
	vtc_cpuset_foreach(a, &gs->cpus)
		if (vtc_uf_find(uf, a) == a)
			root[x->in[a]] = a;
	clear = join_linked(x, &l, root);
	free(root);
	free(l.near);
	free(l.total);
	if (!clear)
		return 0;
	vtc_cpuset_foreach(a, &gs->cpus)
		x->in[a] = x->near[a] = 0;
	vtc_cpuset_foreach(a, &gs->cpus)
		vtc_cpuset_foreach(b, &gs->cpus) {
			int r = vtc_uf_find(uf, a), t;
			if (a >= b || r != vtc_uf_find(uf, b) || finer_pair(x, a, b))
				continue;
			if ((t = vtc_evidence_tier(x->e, a, b)) < 0)
				continue;
			x->in[r]++;
			x->near[r] += t == gs->near;
		}
	vtc_cpuset_foreach(a, &gs->cpus) {
		int size = 0;
		if (vtc_uf_find(uf, a) != a)
			continue;
		if (2 * x->near[a] < x->in[a])
			return 0;
		vtc_cpuset_foreach(b, &gs->cpus)
			size += vtc_uf_find(uf, b) == a;
		big += size >= 2;
		inside += x->in[a];
		multi += x->in[a] > 0 || size > VTC_EVIDENCE_MAX_UNIT;
	}
	/* The near tier must read inside some block: near pairs only across
	 * blocks are strays of the far tier, not a level. And one block of
	 * several cores beside blocks of one core (its threads, or one vCPU)
	 * that read uniformly farther is a busy core (both threads slowed by interrupts or another
	 * task) as much as a lone core on another socket: latency cannot tell
	 * them apart, and the busy core is by far the commoner. */
	return inside && multi != 1 ? big : 0;
}

/* Mean ns of the group's own pairs inside blocks and across them. */
static void block_means(const struct lvctx *x, const struct gstat *gs, double *in,
			double *across, int *far_tier)
{
	double si = 0, sa = 0;
	int ni = 0, na = 0, a, b;

	*far_tier = -1;
	vtc_cpuset_foreach(a, &gs->cpus)
		vtc_cpuset_foreach(b, &gs->cpus) {
			double ns = a < b && !finer_pair(x, a, b) ? vtc_evidence_ns(x->e, a, b) : -1;
			if (ns <= 0)
				continue;
			if (vtc_uf_find(x->uf, a) == vtc_uf_find(x->uf, b)) {
				si += ns;
				ni++;
				continue;
			}
			sa += ns;
			na++;
			if (vtc_evidence_tier(x->e, a, b) > *far_tier)
				*far_tier = vtc_evidence_tier(x->e, a, b);
		}
	*in = ni ? si / ni : -1;
	*across = na ? sa / na : -1;
}

static int push_blocks(struct vtc_igroups *m, const struct gstat *gs, int *uf)
{
	int a, b, rc = 0;

	vtc_cpuset_foreach(a, &gs->cpus) {
		vtc_cpuset s;
		if (rc || vtc_uf_find(uf, a) != a)
			continue;
		vtc_cpuset_clear(&s);
		vtc_cpuset_foreach(b, &gs->cpus)
			if (vtc_uf_find(uf, b) == a)
				vtc_cpuset_set(&s, b);
		rc = groups_push(m, &s, "split by latency");
	}
	return rc;
}

/* Median tier of the pairs across two groups, -1 none; @ns their mean. */
static int across_tier(const struct lvctx *x, const vtc_cpuset *g, const vtc_cpuset *h,
		       double *ns)
{
	int hist[VTC_INFER_MAX_TIERS + 1] = {0}, a, b, n = 0;
	double s = 0;

	vtc_cpuset_foreach(a, g)
		vtc_cpuset_foreach(b, h) {
			int t = finer_pair(x, a, b) ? -1 : vtc_evidence_tier(x->e, a, b);
			if (t < 0 || t > VTC_INFER_MAX_TIERS)
				continue;
			hist[t]++;
			n++;
			s += vtc_evidence_ns(x->e, a, b);
		}
	*ns = n ? s / n : -1;
	return hist_median(hist, n);
}

static void describe_split(const struct vtc_jlevel_result *res, const struct gstat *gs,
			   int first_block, char *ev, size_t len)
{
	const struct vtc_igroups *m = &res->measured;
	char l[96];

	vtc_cpulist_format(&gs->cpus, l, sizeof(l));
	vtc_finding_catf(ev, len, "%s{%s} reads as %d blocks (", *ev ? "; " : "", l, m->count - first_block);
	for (int q = first_block; q < m->count && q < first_block + 4; q++) {
		vtc_cpulist_format(&m->g[q].cpus, l, sizeof(l));
		vtc_finding_catf(ev, len, "%s{%s}", q > first_block ? " " : "", l);
	}
	vtc_finding_catf(ev, len, "%s): %.0f ns inside (tier %c), %.0f ns across (tier %c)",
	    m->count - first_block > 4 ? " ..." : "", res->in_ns, vtc_tier_letter(res->near_tier),
	    res->across_ns, vtc_tier_letter(res->far_tier));
}

static int judge_split(const struct lvctx *x, struct gstat *gs, int ng,
		       struct vtc_jlevel_result *res)
{
	int rc = 0;

	for (int q = 0; rc == 0 && q < ng; q++) {
		int first = res->measured.count, far, nb;
		double in, across;
		if (gs[q].near >= 0 && (nb = group_blocks(x, &gs[q])) < 0)
			return nb;
		if (gs[q].near < 0 || nb < 2) {
			rc = groups_push(&res->measured, &gs[q].cpus, "as advertised");
			continue;
		}
		block_means(x, &gs[q], &in, &across, &far);
		vtc_cpuset_or(&res->split, &res->split, &gs[q].cpus);
		if (res->in_ns < 0) {
			res->in_ns = in;
			res->across_ns = across;
			res->near_tier = gs[q].near;
			res->far_tier = far;
		}
		rc = push_blocks(&res->measured, &gs[q], x->uf);
		if (rc == 0)
			describe_split(res, &gs[q], first, res->evidence, sizeof(res->evidence));
	}
	return rc;
}

/* Two advertised groups whose pairs across read in a tier no farther than
 * the pairs inside each of them are one group to the hardware. */
static void judge_merged(const struct lvctx *x, const struct gstat *gs, int ng,
			 struct vtc_jlevel_result *res)
{
	for (int p = 0; p < ng; p++)
		for (int q = p + 1; q < ng; q++) {
			char lp[64], lq[64];
			double ns;
			int t;
			if (gs[p].median < 0 || gs[q].median < 0)
				continue;
			t = across_tier(x, &gs[p].cpus, &gs[q].cpus, &ns);
			if (t < 0 || t > gs[p].median || t > gs[q].median)
				continue;
			/* One tier is not "alike" when the levels form a continuum
			 * (in-socket latencies spread by distance over a ring or
			 * mesh): pairs across that read a tier gap farther on
			 * average than inside both groups are not one group. */
			if (ns > VTC_TIER_GAP_MIN * fmax(gs[p].mean_ns, gs[q].mean_ns))
				continue;
			vtc_cpuset_or(&res->merged, &res->merged, &gs[p].cpus);
			vtc_cpuset_or(&res->merged, &res->merged, &gs[q].cpus);
			if (res->across_ns < 0) {
				res->across_ns = ns;
				res->far_tier = t;
				res->near_tier = gs[p].median;
			}
			vtc_cpulist_format(&gs[p].cpus, lp, sizeof(lp));
			vtc_cpulist_format(&gs[q].cpus, lq, sizeof(lq));
			vtc_finding_catf(res->evidence, sizeof(res->evidence),
			    "%s{%s} and {%s} read %.0f ns across (tier %c), no farther than "
			    "inside them", *res->evidence ? "; " : "", lp, lq, ns,
			    vtc_tier_letter(t));
		}
}

/* Pairs across two groups that read in a tier nearer than the pairs inside
 * both: vCPUs told apart that are closer than vCPUs told together (the
 * advertised groups cut across the real ones). Returns that tier, or -1
 * unless at least two such pairs and an eighth of the pairs across do. */
static int nearer_across(const struct lvctx *x, const struct gstat *g, const struct gstat *h,
			 double *ns, int *pa, int *pb)
{
	int lim = g->median < h->median ? g->median : h->median, a, b, n = 0, near = 0, t_min = -1;
	double s = 0;

	vtc_cpuset_foreach(a, &g->cpus)
		vtc_cpuset_foreach(b, &h->cpus) {
			int t = finer_pair(x, a, b) ? -1 : vtc_evidence_tier(x->e, a, b);
			if (t < 0)
				continue;
			n++;
			if (t >= lim)
				continue;
			near++;
			s += vtc_evidence_ns(x->e, a, b);
			if (t_min < 0 || t < t_min) {
				t_min = t;
				*pa = a;
				*pb = b;
			}
		}
	*ns = near ? s / near : -1;
	return near >= 2 && 8 * near >= n ? t_min : -1;
}

/* Components of the level's vCPUs over finer pairs and pairs no farther
 * than @tier: the real groups when the advertised ones cut across them. */
static int regroup(const struct lvctx *x, const vtc_cpuset *all, int tier,
		   struct vtc_jlevel_result *res)
{
	struct gstat whole = {.cpus = *all, .near = tier};
	int a, b;

	vtc_cpuset_foreach(a, all)
		x->uf[a] = a;
	vtc_cpuset_foreach(a, all)
		vtc_cpuset_foreach(b, all) {
			int t = a < b ? vtc_evidence_tier(x->e, a, b) : -1;
			if (a < b && (finer_pair(x, a, b) || (t >= 0 && t <= tier)))
				x->uf[vtc_uf_find(x->uf, b)] = vtc_uf_find(x->uf, a);
		}
	free(res->measured.g);
	memset(&res->measured, 0, sizeof(res->measured));
	return push_blocks(&res->measured, &whole, x->uf);
}

static int judge_scrambled(const struct lvctx *x, const struct gstat *gs, int ng,
			   struct vtc_jlevel_result *res)
{
	vtc_cpuset all;
	int link = -1;

	vtc_cpuset_clear(&all);
	for (int p = 0; p < ng; p++) {
		vtc_cpuset_or(&all, &all, &gs[p].cpus);
		for (int q = p + 1; q < ng; q++) {
			char l[64];
			double ns;
			int a = -1, b = -1, t;
			if (gs[p].median < 0 || gs[q].median < 0)
				continue;
			if ((t = nearer_across(x, &gs[p], &gs[q], &ns, &a, &b)) < 0)
				continue;
			vtc_cpuset_or(&res->split, &res->split, &gs[p].cpus);
			vtc_cpuset_or(&res->split, &res->split, &gs[q].cpus);
			link = t > link ? t : link;
			if (res->in_ns < 0) {
				res->in_ns = ns;
				res->near_tier = t;
				res->far_tier = gs[p].median;
				res->across_ns = vtc_evidence_ns(x->e, vtc_cpuset_first(&gs[p].cpus),
								 vtc_cpuset_last(&gs[p].cpus));
			}
			vtc_cpulist_format(&gs[p].cpus, l, sizeof(l));
			vtc_finding_catf(res->evidence, sizeof(res->evidence),
			    "%sv%d,v%d told apart read %.0f ns (tier %c), nearer than the pairs "
			    "inside {%s} (tier %c)", *res->evidence ? "; " : "", a, b,
			    vtc_evidence_ns(x->e, a, b), vtc_tier_letter(t), l,
			    vtc_tier_letter(gs[p].median));
		}
	}
	return link < 0 ? 0 : regroup(x, &all, link, res);
}

/* Measured partition with merged groups joined. */
static int join_merged(struct vtc_jlevel_result *res)
{
	struct vtc_igroups keep = {0};
	int rc = 0;

	if (vtc_cpuset_empty(&res->merged))
		return 0;
	for (int q = 0; rc == 0 && q < res->measured.count; q++)
		if (!vtc_cpuset_intersects(&res->measured.g[q].cpus, &res->merged))
			rc = groups_push(&keep, &res->measured.g[q].cpus, res->measured.g[q].evidence);
	if (rc == 0)
		rc = groups_push(&keep, &res->merged, "read as one");
	free(res->measured.g);
	res->measured = keep;
	return rc;
}

static int judge_level(const struct lvctx *x, const struct vtc_groups *g, enum vtc_level level,
		       const vtc_cpuset *cpus, struct vtc_jlevel_result *res)
{
	struct gstat *gs = calloc((size_t)g->count + 1, sizeof(*gs));
	int ng = 0, rc;

	res->level = level;
	res->in_ns = res->across_ns = -1;
	res->near_tier = res->far_tier = -1;
	if (!gs)
		return -ENOMEM;
	for (int q = 0; q < g->count; q++) {
		vtc_cpuset_and(&gs[ng].cpus, &g->set[q], cpus);
		if (vtc_cpuset_empty(&gs[ng].cpus))
			continue;
		group_tiers(x, &gs[ng]);
		res->judged |= gs[ng].near >= 0;
		ng++;
	}
	rc = judge_split(x, gs, ng, res);
	if (rc == 0 && vtc_cpuset_empty(&res->split))
		rc = judge_scrambled(x, gs, ng, res);
	if (rc == 0 && vtc_cpuset_empty(&res->split))
		judge_merged(x, gs, ng, res);
	if (rc == 0)
		rc = join_merged(res);
	free(gs);
	return rc;
}

/* Intel keeps one LLC per socket: blocks inside an advertised L3 that is
 * the whole advertised package, with no further split above them, are
 * sockets. */
static int llc_split_is_socket(const struct vtc_topo *adv, struct vtc_judgement *j)
{
	struct vtc_jlevel_result *llc = &j->lvl[VTC_JL_LLC], *sock = &j->lvl[VTC_JL_SOCKET];
	int at, rc = 0;

	if (vtc_cpuset_empty(&llc->split) || !adv->level_known[VTC_LEVEL_PACKAGE] ||
	    !vtc_cpuset_empty(&sock->split))
		return 0;
	for (int q = 0; q < adv->groups[VTC_LEVEL_L3].count; q++) {
		const vtc_cpuset *l3 = &adv->groups[VTC_LEVEL_L3].set[q];
		if (!vtc_cpuset_intersects(l3, &llc->split))
			continue;
		at = vtc_groups_find(&adv->groups[VTC_LEVEL_PACKAGE], vtc_cpuset_first(l3));
		if (at < 0 || !vtc_cpuset_equal(l3, &adv->groups[VTC_LEVEL_PACKAGE].set[at]))
			return 0;
	}
	free(sock->measured.g);
	*sock = *llc;
	sock->level = VTC_LEVEL_PACKAGE;
	memset(llc, 0, sizeof(*llc));
	llc->level = VTC_LEVEL_L3;
	llc->judged = sock->judged;
	/* the LLC partition is the socket partition */
	for (int q = 0; rc == 0 && q < sock->measured.count; q++)
		rc = groups_push(&llc->measured, &sock->measured.g[q].cpus, "split by latency");
	return rc;
}

/* Inside pairs of @s (not sharing a core): median tier. */
static int inside_tier(const struct lvctx *x, const vtc_cpuset *s)
{
	int hist[VTC_INFER_MAX_TIERS + 1] = {0}, a, b, n = 0;

	vtc_cpuset_foreach(a, s)
		vtc_cpuset_foreach(b, s) {
			int t = a < b && !finer_pair(x, a, b) ? vtc_evidence_tier(x->e, a, b) : -1;
			if (t >= 0 && t <= VTC_INFER_MAX_TIERS) {
				hist[t]++;
				n++;
			}
		}
	return hist_median(hist, n);
}

/* A NUMA node that holds vCPUs of two sockets read apart (pairs across them
 * farther than inside each) is wrong; nodes inside one socket are not (sub-
 * NUMA clustering, AMD NPS), so NUMA is judged on the judged sockets. */
static int judge_numa(const struct lvctx *x, const struct vtc_topo *adv, const vtc_cpuset *cpus,
		      const struct vtc_igroups *sockets, struct vtc_jlevel_result *res)
{
	const struct vtc_groups *g = &adv->groups[VTC_LEVEL_NUMA];
	int rc = 0;

	res->level = VTC_LEVEL_NUMA;
	res->in_ns = res->across_ns = -1;
	res->near_tier = res->far_tier = -1;
	for (int q = 0; rc == 0 && q < g->count; q++) {
		vtc_cpuset node, part[2];
		bool apart = false;
		vtc_cpuset_and(&node, &g->set[q], cpus);
		for (int s = 0; !apart && s < sockets->count; s++)
			for (int t = s + 1; !apart && t < sockets->count; t++) {
				int ts, tt, ta;
				double ns;
				vtc_cpuset_and(&part[0], &node, &sockets->g[s].cpus);
				vtc_cpuset_and(&part[1], &node, &sockets->g[t].cpus);
				if (vtc_cpuset_empty(&part[0]) || vtc_cpuset_empty(&part[1]))
					continue;
				ts = inside_tier(x, &sockets->g[s].cpus);
				tt = inside_tier(x, &sockets->g[t].cpus);
				ta = across_tier(x, &part[0], &part[1], &ns);
				apart = ts >= 0 && tt >= 0 && ta > ts && ta > tt;
				if (apart) {
					char l[64], l0[64], l1[64];
					vtc_cpulist_format(&node, l, sizeof(l));
					vtc_cpulist_format(&part[0], l0, sizeof(l0));
					vtc_cpulist_format(&part[1], l1, sizeof(l1));
					vtc_finding_catf(res->evidence, sizeof(res->evidence),
					    "%snode {%s} spans sockets {%s} and {%s}, %.0f ns apart "
					    "(tier %c)", *res->evidence ? "; " : "", l, l0, l1, ns,
					    vtc_tier_letter(ta));
					res->across_ns = ns;
					res->far_tier = ta;
				}
			}
		res->judged = true;
		if (apart)
			vtc_cpuset_or(&res->split, &res->split, &node);
		rc = groups_push(&res->measured, &node, apart ? "spans sockets" : "as advertised");
	}
	return rc;
}

static int judge_levels(const struct vtc_evidence *e, const struct vtc_topo *adv,
			const vtc_cpuset *cpus, bool intel_llc_is_socket, struct vtc_judgement *out)
{
	int *buf = malloc(sizeof(int) * VTC_CPUSET_MAX * 5), rc = 0;
	struct lvctx x = {e, buf, buf + VTC_CPUSET_MAX, buf + 2 * VTC_CPUSET_MAX,
			  buf + 3 * VTC_CPUSET_MAX, buf + 4 * VTC_CPUSET_MAX};
	struct vtc_igroups adv_sock = {0};

	if (!buf)
		return -ENOMEM;
	index_adv(buf, adv, VTC_LEVEL_SMT);
	/* L3 against the advertised L2; sockets against the judged L3 */
	index_adv((int *)x.finer_of, adv, VTC_LEVEL_L2);
	if (adv->level_known[VTC_LEVEL_L3])
		rc = judge_level(&x, &adv->groups[VTC_LEVEL_L3], VTC_LEVEL_L3, cpus,
				 &out->lvl[VTC_JL_LLC]);
	if (out->lvl[VTC_JL_LLC].measured.count)
		index_measured((int *)x.finer_of, &out->lvl[VTC_JL_LLC].measured);
	else
		index_adv((int *)x.finer_of, adv, VTC_LEVEL_L3);
	if (rc == 0 && adv->level_known[VTC_LEVEL_PACKAGE])
		rc = judge_level(&x, &adv->groups[VTC_LEVEL_PACKAGE], VTC_LEVEL_PACKAGE, cpus,
				 &out->lvl[VTC_JL_SOCKET]);
	if (rc == 0 && intel_llc_is_socket)
		rc = llc_split_is_socket(adv, out);
	/* NUMA: only cores are finer; the sockets are what it is judged on */
	index_groups((int *)x.finer_of, NULL, 0, 0);
	if (rc == 0 && adv->level_known[VTC_LEVEL_NUMA]) {
		const struct vtc_igroups *sock = &out->lvl[VTC_JL_SOCKET].measured;
		if (!sock->count && adv->level_known[VTC_LEVEL_PACKAGE])
			for (int q = 0; rc == 0 && q < adv->groups[VTC_LEVEL_PACKAGE].count; q++)
				rc = groups_push(&adv_sock, &adv->groups[VTC_LEVEL_PACKAGE].set[q], "");
		if (rc == 0)
			rc = judge_numa(&x, adv, cpus, sock->count ? sock : &adv_sock,
					&out->lvl[VTC_JL_NUMA]);
	}
	free(adv_sock.g);
	free(buf);
	return rc;
}

int vtc_judge(const struct vtc_evidence *e, const struct vtc_topo *adv,
	      const vtc_cpuset *cpus, bool latency_smt, bool x86_smt_only,
	      bool intel_llc_is_socket, struct vtc_judgement *out)
{
	int rc = 0;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!e || !adv || !cpus)
		return -EINVAL;
	out->hidden_is_smt = x86_smt_only;
	if (latency_smt && adv->level_known[VTC_LEVEL_SMT]) {
		judge_phantom(e, adv, cpus, out);
		rc = judge_hidden(e, adv, cpus, out);
	}
	if (rc == 0)
		rc = judge_levels(e, adv, cpus, intel_llc_is_socket, out);
	return rc;
}
