/* contplan.h - which contention jobs run together: the plan of solo rates
 * and co-runs in rounds, from the latency measurements.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure over struct vtc_results; the scheduler (schedule.c) runs the plan.
 * Jobs (a solo rate, or a co-run) of one round run at once, so a round
 * costs about one job. Two vCPUs that may share a core (each one's nearest
 * partners by latency, stalled pairs included) never run in one round
 * unless they are the co-run itself: a busy sibling would read as
 * contention. The controls (same vCPU, median-latency pairs) run in rounds
 * too, so that they see what the candidates see of a loaded host. */
#ifndef VTC_CONTPLAN_H
#define VTC_CONTPLAN_H

#include <stdbool.h>
#include "src/analysis/results.h"

#define VTC_CONT_PLAN_CONTROLS 3 /* median-latency control pairs */

struct vtc_cont_plan {
	int n_jobs, n_rounds;
	int (*job)[2];    /* CPU ids; [1] < 0: solo */
	int *round;       /* round of each job */
	unsigned char *near; /* n x n by rank: may share a core */
};

/* @cpu's partner with the lowest latency (@median: the middle one), -1 none. */
int vtc_cont_plan_partner(const struct vtc_results *r, int cpu, bool median);

/* Whether the passes saw the vCPUs move (a pair near in one pass and far
 * in another): rounds would then co-run vCPUs that may share a core. */
bool vtc_cont_plan_moved(const struct vtc_results *r);

/* Plan @r's contention jobs (solo rates, the same-vCPU control, @extra
 * pairs, each CPU's nearest partner, median-latency controls) in rounds.
 * Returns 0 or -ENOMEM; free with vtc_cont_plan_free() either way. */
int vtc_cont_plan_make(const struct vtc_results *r, struct vtc_cont_plan *pl,
		       const int (*extra)[2], int n_extra);
void vtc_cont_plan_free(struct vtc_cont_plan *pl);

#endif
