/* pingpong.h - cache-line ping-pong between two pinned threads.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_PINGPONG_H
#define VTC_PINGPONG_H

#include "probes/hw/affinity.h"
#include "src/analysis/results.h"
#include "probes/hw/timer.h"

/* Round trips per sample are adapted within these bounds. The maximum is
 * ~1 ms of the fastest round trips (~15 ns): a clock that misreads the
 * probe round trips cannot make one sample outlast the pair's bound much
 * (the bound is only checked between samples). */
#define VTC_PP_K_MIN 1u
#define VTC_PP_K_MAX (1u << 16)

/* One pair: @cpu_a's thread writes the flag and times round trips, @cpu_b's
 * thread echoes. cpu_a/cpu_b are the CPUs really pinned to (after any
 * vtc_pin_map). */
struct vtc_pp_pair {
	int cpu_a, cpu_b;
	struct vtc_lat_stats *out; /* measured, samples, ... filled here */
	int err;                   /* 0, or -errno when pinning failed */
};

/* Measure @n pairs concurrently, each within params->pair_max_ms (plus
 * thread start-up). The pairs' CPUs should be disjoint, or the pairs
 * disturb each other. t_start_s is left to the caller.
 * Returns 0, or the first -errno of a pair (pinning refused, no memory,
 * threads could not start); per-pair results are in each out. */
int vtc_pp_run(const struct vtc_timer *t, struct vtc_pp_pair *pairs, int n,
	       const struct vtc_probe_params *params);

#endif
