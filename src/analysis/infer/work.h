/* work.h - private to src/analysis/infer/: the state of one inference run, the
 * tunable ratios shared by its steps, and the steps themselves.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything in inference is relative to the run itself: published one-way
 * latencies overlap across vendors (Zen same-CCX 15-32 ns, Intel same-socket
 * 43-55 ns, anything ~200 ns under emulation), so no nanosecond value is a
 * threshold. The only constants are ratios: how large a gap between tiers
 * must be relative to the spread inside them (tiers.c), and how far a co-run
 * ratio must move from the "separate cores" control towards the "same vCPU"
 * control (below).
 *
 * Indexing: a rank is a probed vCPU's index in results->cpu[] (0..ncpu-1);
 * a pair index k is the pair's slot in results->pairs[] (see
 * infer_pair_index()); per-pass arrays hold pass p of pair k at
 * [k * npasses + p]. */
#ifndef VTC_INFER_WORK_H
#define VTC_INFER_WORK_H

#include <stdbool.h>

#include "src/analysis/infer.h"
#include "src/analysis/results.h"
#include "src/advertised/topo.h"
#include "src/analysis/unionfind.h"

/* The smallest ratio between two latency tiers (tiers.c); noise.c corrects
 * nothing smaller than its square root, which moves no pair across one. */
#define GAP_MIN_RATIO VTC_TIER_GAP_MIN

/* Contention score (0 = like separate cores, 1 = like one vCPU) from which a
 * fast pair counts as sharing a core, and a stalled pair as stacked. */
#define SMT_SCORE_MIN 0.3
#define STACK_SCORE_MIN 0.7
/* Median deviation of control co-runs, as a share of the control range,
 * above which a score of SMT_SCORE_MIN could come from noise (~3 sigma). */
#define CONT_NOISE_MAX 0.07
/* Largest SMT group (SMT8 on POWER; x86 has 2, Xeon Phi 4). */
#define SMT_MAX 8

/* pair_tier[] values besides a tier number */
#define INFER_TIER_NONE (-1)  /* no usable pass */
#define INFER_TIER_MIXED (-2) /* the passes fell in different tiers */

struct infer_work {
	const struct vtc_results *res;
	int ncpu;    /* probed vCPUs (ranks) */
	int npairs;  /* ncpu * (ncpu - 1) / 2 */
	int npasses; /* latency passes per pair */
	/* [k * npasses + p] one-way median ns of each pass, -1 none */
	double *pass_ns;
	/* [k * npasses + p] tier of pass_ns, -1 none */
	int *pass_tier;
	/* [k] median over the pair's usable passes (ns), -1 none */
	double *pair_ns;
	/* [k] tier of all the pair's passes, INFER_TIER_NONE/_MIXED */
	int *pair_tier;
	/* [k] stalled in every measured pass: no clean value */
	bool *pair_stalled;
	/* [k] contention score (median over probe kinds), NAN none */
	double *pair_score;
	/* [k] the median kind looks shared, some kind does not */
	bool *pair_kinds_split;
	/* [k] first contention result of the pair, -1 none; NULL until
	 * stacked inference needs it */
	int *pair_contention;
	/* [rank] union-find parent, reset before each use */
	int *uf_parent;
	/* [rank] scratch for infer_uf_groups() */
	int *group_at, *group_mem;
	int steal_count; /* vCPUs with a steal figure */
	double steal_q1; /* lower quartile of their steal (%) */
	/* no pair outside the candidates co-ran: "separate cores" is taken
	 * as ratio 1.0, not measured */
	bool far_assumed;
	double stall_rate; /* stalled passes of pairs that also had clean ones */
	bool none_clean;   /* no pair had a single clean pass */
	double tier_bound[VTC_INFER_MAX_TIERS]; /* upper boundary of each tier */
};

/* A partition of the ranks: lab[i] is the group of rank i (-1 none) and
 * the members of group q, ascending, are mem[start[q]..start[q+1]). Built
 * once, so per-group work costs the group's size instead of a scan of all
 * pairs per group (cubic at 1024 vCPUs). */
struct infer_part {
	int count;
	int *lab, *start, *mem;
};

/* Pair index of ranks @i != @j (either order). Inline: it sits in the
 * innermost loops. */
static inline int infer_pair_index(const struct infer_work *w, int i, int j)
{
	return (int)vtc_pair_index(w->ncpu, i, j);
}

/* part.c: union-find over ranks (src/analysis/unionfind.h) and partitions
 * of them. Functions that allocate return 0 or -ENOMEM. */
void infer_uf_reset(struct infer_work *w);
void infer_part_free(struct infer_part *p);
void infer_part_index(const struct infer_work *w, struct infer_part *p);
int infer_part_alloc(const struct infer_work *w, struct infer_part *p, int count);
int infer_part_from_groups(const struct infer_work *w, const struct vtc_igroups *g,
			   struct infer_part *p);
bool infer_uf_groups(struct infer_work *w, struct vtc_igroups *g, const bool *edge,
		     bool need_clique, int max);
int infer_part_medians(const struct infer_work *w, const struct infer_part *p, double *in,
		       double *out);
double infer_group_score(const struct infer_work *w, const struct infer_part *p, int q);

/* tiers.c: per-pass values and run quality, then latency tiers. */
int infer_collect(struct infer_work *w, struct vtc_inferred *out);
int infer_label(struct infer_work *w, struct vtc_inferred *out);

/* noise.c: busy vCPUs' rows divided by their factor (out->row_scale), then
 * single-pair hiccups outvoted by their triangles (out->pairs_outvoted). */
int infer_noise(struct infer_work *w, struct vtc_inferred *out);
/* Whether the twins' noise spreads one level over neighbouring tiers;
 * infer_too_noisy() also makes the run unknown, with the reason. */
bool infer_noise_blurs_tiers(const struct vtc_inferred *out);
bool infer_too_noisy(struct vtc_inferred *out);

/* contention.c: controls and per-pair scores of the co-run probe. */
bool infer_candidate(const struct infer_work *w, const struct vtc_inferred *out, int k);
void infer_contention_scores(struct infer_work *w, struct vtc_inferred *out);
void infer_contention_too_noisy(struct vtc_inferred *out);

/* floating.c: placement that moved during the run. */
int infer_detect_floating(struct infer_work *w, struct vtc_inferred *out);

/* smt.c, stacked.c, levels.c: the groups of each kind. @edge holds one
 * flag per pair and @buf one double per pair, both scratch. */
int infer_smt(struct infer_work *w, struct vtc_inferred *out, const struct vtc_topo *adv,
	      bool *edge, double *buf);
int infer_stacked(struct infer_work *w, struct vtc_inferred *out, bool *edge, double *buf);
int infer_level_start(const struct infer_work *w, const struct vtc_inferred *out, int *start);
int infer_levels(struct infer_work *w, struct vtc_inferred *out, int start, double *buf);

/* merge.c: merge whole groups of @lab while the closest two are within
 * @boundary ns. */
int infer_merge_level(struct infer_work *w, int *lab, double boundary);

#endif
