/* infer.h - what the measurements say the vCPUs really run on.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure: reads a struct vtc_results (live, simulated or imported) and never
 * probes. Classification is by structure, not by fixed nanosecond limits:
 * pair latencies are clustered into tiers by gaps on a log scale, SMT is
 * confirmed by the contention probe relative to the run's own controls, and
 * cache/socket groups are judged on medians between whole groups. */
#ifndef VTC_INFER_H
#define VTC_INFER_H

#include <stdbool.h>
#include "src/advertised/cpuset.h"
#include "src/analysis/results.h"
#include "src/analysis/series.h"
#include "src/advertised/topo.h"

#define VTC_INFER_MAX_TIERS 6
/* The smallest ratio between two latency tiers: values closer than this
 * are one level (tiers.c), and a difference below it is not evidence. */
#define VTC_TIER_GAP_MIN 1.25

enum vtc_gkind {
	VTC_GROUP_SMT,     /* vCPUs on hardware threads of one physical core */
	VTC_GROUP_LLC,     /* vCPUs sharing a last-level cache (CCX on Zen) */
	VTC_GROUP_SOCKET,  /* vCPUs in one physical package */
	VTC_GROUP_STACKED, /* vCPUs time-sharing one physical CPU */
	VTC_GROUP_KINDS
};

/* The one name of latency tier @t in every output: 'a' the nearest, 'b',
 * ... ('?' out of range). */
char vtc_tier_letter(int t);

/* "smt", "llc", "socket", "stacked" */
const char *vtc_gkind_name(enum vtc_gkind k);

/* A latency tier: one-way ns range over the pair measurements in it. */
struct vtc_tier {
	double lo_ns, hi_ns, median_ns;
	int n; /* pair measurements (one per pair per pass) in the tier */
};

struct vtc_igroup {
	vtc_cpuset cpus;
	double confidence; /* 0..1 */
	char evidence[240];
};

/* A partition of the probed vCPUs (singletons included) at one level. */
struct vtc_igroups {
	int count;
	struct vtc_igroup *g;
};

/* A pair seen in the fast tier in one pass (floating placement evidence). */
struct vtc_fast_pair {
	int pass, a, b;
	double ns;
};

struct vtc_inferred {
	vtc_cpuset cpus;  /* the probed vCPUs */
	int n_tiers;
	struct vtc_tier tier[VTC_INFER_MAX_TIERS];
	/* known[k]: the level was determined; groups[k] is then a partition
	 * of cpus (a group of one = not shared at that level). */
	bool known[VTC_GROUP_KINDS];
	struct vtc_igroups groups[VTC_GROUP_KINDS];
	/* The SMT groups rest on latency alone (no contention data): the fast
	 * tier means "shared core or shared cache". */
	bool smt_latency_only;
	/* One intermediate level was found and it may be either an LLC split
	 * (Zen CCX) or a socket split; llc and socket groups are then equal. */
	bool llc_socket_ambiguous;
	/* The level above SMT showed one homogeneous tier (all alike). */
	bool homogeneous;
	/* Contention controls (median co-run/solo over kinds): two threads on
	 * one vCPU, and pairs that are not SMT candidates. */
	bool have_contention;
	double ctl_same, ctl_far;
	double cont_noise; /* median control deviation / (far - same); 0 unknown */
	/* Placement that moved during the full look: the passes disagree or
	 * the fast tier is not transitive; there is no static topology to
	 * judge then. */
	bool floating;
	int n_fast;
	struct vtc_fast_pair *fast; /* fast pairs per pass when floating */
	/* The observation window: how long, and pairs seen nearer than usual
	 * at moments (series.n_float). Their usual placement is still judged
	 * like a static one; the moves are a finding of their own. */
	struct vtc_series series;
	/* Busy vCPUs: [rank] the factor by which each vCPU's row read slower
	 * than its twin's (1: not busy, or not measurable); the tiers and the
	 * evidence use the rows divided by it. NULL before inference. */
	double *row_scale;
	int rows_scaled;
	/* Measurement noise the matrix itself shows: twins (mutually nearest
	 * vCPUs) see every other vCPU alike, so their rows differ by noise
	 * only. Median over @twins of the robust sd of one pair's log value
	 * (0.05: pairs read within ~5% of their level); -1 without twins. */
	double twin_noise;
	int twins;
	/* Pairs read slower than every triangle through a third vCPU allows
	 * (a hiccup), taken at the triangles' value. */
	int pairs_outvoted;
	/* [pair index, as in results->pairs] the factor applied to each pair's
	 * measured values by both corrections; NULL when none was. */
	double *pair_scale;
	/* Of @pairs_related pairs with a tier, those that read in another tier
	 * than most pairs of their relation in the judged groups (same core,
	 * cache, socket, or none): what the groups found do not explain (set
	 * by vtc_compare). */
	int pairs_related, pairs_disagreeing;
	/* Of those, pairs in the nearest tier while most of their relation
	 * read farther (the first: @unexplained_a,b, @unexplained_ratio times
	 * nearer): nothing found explains them, so the run is no OK. */
	int unexplained_near, unexplained_a, unexplained_b;
	double unexplained_ratio;
	/* Relations the guest is told about (SMT, LLC, socket, NUMA groups of
	 * two or more vCPUs) and those the run could not test, named in
	 * @untested ("" none); set by vtc_compare. An OK covers only the
	 * tested ones, and with nothing tested the run is UNKNOWN. */
	int n_told, n_untested;
	char untested[240];
	/* Quality: too noisy or too little data to say anything. */
	bool unknown;
	char reason[320];
	double coverage;     /* fraction of pairs with usable data */
	double pass_disagree; /* fraction of pairs whose passes fell in different tiers */
};

/* Infer the real topology from @r. @advertised (may be NULL) is used only to
 * tell a fast cache-sharing tier from hidden SMT when there is no contention
 * data. @out is initialised here; free it with vtc_inferred_free() whether or
 * not this succeeds. A run too noisy to judge is not an error: it returns 0
 * with out->unknown set and out->reason filled.
 * Returns 0, -EINVAL (NULL, fewer than 2 CPUs, inconsistent results), -ENOMEM. */
int vtc_infer(const struct vtc_results *r, const struct vtc_topo *advertised,
	      struct vtc_inferred *out);
void vtc_inferred_free(struct vtc_inferred *inf);

/* Index of the group of kind @k holding @cpu, or -1. */
int vtc_inferred_find(const struct vtc_inferred *inf, enum vtc_gkind k, int cpu);

#endif
