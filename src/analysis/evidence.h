/* evidence.h - the measurements as evidence about sharing: the latency tier
 * of every probed pair, and the near tier's small cliques (vCPUs that share
 * a core or an L1/L2).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure: built from a struct vtc_results and the tiers inference found in it.
 * Everything is indexed by CPU number through a rank table, so the judge can
 * ask "which tier does pair (a,b) read in" in O(1) at 1024 vCPUs. */
#ifndef VTC_EVIDENCE_H
#define VTC_EVIDENCE_H

#include <stdbool.h>
#include "src/advertised/cpuset.h"
#include "src/analysis/infer.h"
#include "src/analysis/results.h"

/* Largest group of vCPUs taken as sharing one core or one L1/L2: a near
 * tier of disjoint pairs is SMT2 (x86) or a 2-core L2 cluster; a near tier
 * of bigger cliques is as likely a small socket or cache (two sockets of
 * four vCPUs read exactly like SMT4), so it is left to the cache and
 * socket levels. SMT4/SMT8 is not told from latency alone. */
#define VTC_EVIDENCE_MAX_UNIT 2

struct vtc_evidence {
	int n;            /* probed CPUs */
	const int *cpu;   /* rank -> CPU number (the results' array) */
	int *rank;        /* CPU number -> rank, -1 not probed; VTC_CPUSET_MAX entries */
	int n_tiers;      /* tiers of the inference, 0 when it found none */
	const struct vtc_tier *tier;
	signed char *pair_tier; /* triangular over ranks; -1 not measured */
	double *pair_ns;        /* triangular over ranks; median one-way ns, -1 none */
	/* The near tier (tier 0) as sharing units: set only when it has at least
	 * two components and every component is a clique of 2..MAX_UNIT vCPUs
	 * whose pairs all read in tier 0 (pairs, see above). */
	int n_units;
	int *unit;        /* rank -> unit id, -1 none */
	vtc_cpuset *unit_cpus; /* n_units sets */
	int *nearest;     /* rank -> CPU of its nearest partner, -1 none */
	/* The units are not a near tier (noise blurred it into the next) but
	 * pairs nearest to each other by a tier gap in both rows. */
	bool units_by_rows;
};

/* Build the evidence for @r with the tiers of @inf (which may have none).
 * Free with vtc_evidence_free() whether or not this succeeds.
 * Returns 0, -EINVAL (NULL), -ENOMEM. */
int vtc_evidence_init(struct vtc_evidence *e, const struct vtc_results *r,
		      const struct vtc_inferred *inf);
void vtc_evidence_free(struct vtc_evidence *e);

/* Tier of pair (a,b) (CPU numbers, either order), -1 unknown/not probed. */
int vtc_evidence_tier(const struct vtc_evidence *e, int a, int b);
/* Median one-way ns of pair (a,b), -1 unknown. */
double vtc_evidence_ns(const struct vtc_evidence *e, int a, int b);
/* Whether @a and @b (CPU numbers) are each other's nearest partner by a
 * tier gap (VTC_TIER_GAP_MIN) in both rows. */
bool vtc_evidence_clear_twins(const struct vtc_evidence *e, int a, int b);
/* Unit id of @cpu, -1 none. */
int vtc_evidence_unit(const struct vtc_evidence *e, int cpu);
/* Whether every pair of @cpus that was measured reads in @tier (true for
 * sets with no measured pair). */
bool vtc_evidence_all_in_tier(const struct vtc_evidence *e, const vtc_cpuset *cpus, int tier);

#endif
