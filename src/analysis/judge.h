/* judge.h - the advertised topology judged against the latency evidence.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure. Instead of inferring a topology and demanding equality, every
 * advertised relation is tested for positive evidence against it:
 *  - advertised SMT siblings that read like the bulk of their rows (SMT
 *    siblings share an L1: they are always the fastest pairs), phantom SMT;
 *  - a near tier of small cliques that no advertised core or cache holds,
 *    hidden sharing (SMT on x86, "shared core or L2" elsewhere);
 *  - an advertised cache/socket/NUMA group whose own pairs split into two
 *    tiers, blocks near inside and far across (split), or two advertised
 *    groups whose pairs across read like the pairs inside both (merged).
 * Groups whose pairs all read alike contradict nothing: a matrix that homes
 * its line on one node reads a whole remote socket as far, and that is no
 * evidence of a split. Used for live runs, saved reports and imported
 * matrices alike. */
#ifndef VTC_JUDGE_H
#define VTC_JUDGE_H

#include <stdbool.h>
#include "src/advertised/cpuset.h"
#include "src/analysis/evidence.h"
#include "src/analysis/infer.h"
#include "src/advertised/topo.h"

/* The levels judged from latency, coarse side of SMT. */
enum vtc_jlevel { VTC_JL_LLC, VTC_JL_SOCKET, VTC_JL_NUMA, VTC_JL_COUNT };

struct vtc_jlevel_result {
	bool judged;          /* advertised, and some of its pairs could be read */
	enum vtc_level level; /* the advertised level it was judged on */
	vtc_cpuset split;     /* vCPUs of advertised groups with a clear split */
	vtc_cpuset merged;    /* vCPUs of advertised groups that read as one */
	double in_ns, across_ns; /* split: mean ns inside blocks / across them;
				    merged: inside the groups / across them */
	int near_tier, far_tier;  /* the tiers those means read in */
	char evidence[400];
	struct vtc_igroups measured; /* the advertised partition, corrected */
};

struct vtc_judgement {
	/* SMT from latency alone (no contention data). */
	bool smt_judged;      /* enough pairs to confirm or refute */
	int smt_tested, smt_refuted;
	vtc_cpuset phantom;   /* advertised siblings refuted by latency */
	double phantom_ns, sibling_ns; /* mean ns of refuted pairs, of near units */
	int phantom_tier, bulk_tier;
	char phantom_evidence[400];
	vtc_cpuset hidden;    /* near-tier units no advertised core/cache holds */
	int hidden_units;
	bool hidden_is_smt;   /* x86 Intel/AMD: cores never share an L2 in pairs */
	char hidden_evidence[400];
	struct vtc_igroups smt_measured;
	struct vtc_jlevel_result lvl[VTC_JL_COUNT];
};

/* Judge @adv against @e. @x86_smt_only: the CPU vendor is one whose cores
 * never share an L1/L2 in pairs (Intel, AMD, Hygon), so hidden sharing is
 * SMT. @intel_llc_is_socket: a split of an advertised L3 that is also the
 * whole advertised package is a socket split (Intel: one LLC per socket);
 * otherwise (AMD CCX, Arm clusters) it is a cache split.
 * @latency_smt: judge SMT from latency (no contention data).
 * Returns 0, -EINVAL, -ENOMEM; free @out with vtc_judgement_free(). */
int vtc_judge(const struct vtc_evidence *e, const struct vtc_topo *adv,
	      const vtc_cpuset *cpus, bool latency_smt, bool x86_smt_only,
	      bool intel_llc_is_socket, struct vtc_judgement *out);
void vtc_judgement_free(struct vtc_judgement *j);

#endif
