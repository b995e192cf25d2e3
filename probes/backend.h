/* backend.h - the seam between the probe scheduler and what measures.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The real backend (probes/hw/hw.c) pins threads and times cache-line handoffs;
 * the host simulator (tests/sim.c) synthesizes the same statistics from a
 * model of a physical host. The scheduler (probes/schedule.c) only talks to
 * this interface, so scheduling, budgets and retries are tested on both. */
#ifndef VTC_BACKEND_H
#define VTC_BACKEND_H

#include "src/analysis/results.h"

struct vtc_pingpong_job {
	int a, b;                   /* the pair; a's thread times round trips */
	int pass;
	struct vtc_lat_stats *out;  /* filled by the backend */
};

struct vtc_backend {
	const char *name; /* "hw", "sim" */
	void *ctx;
	/* Measure @n disjoint pairs concurrently (n == 1 for serial mode),
	 * each within params->pair_max_ms. Returns 0 or -errno (e.g. -EPERM
	 * when pinning is refused); per-pair problems go into the stats. */
	int (*pingpong)(void *ctx, struct vtc_pingpong_job *jobs, int n,
			const struct vtc_probe_params *params);
	/* Throughput (ops/ns) of loop @kind: solo on @a when b < 0, else
	 * co-running on @a and @b (a == b: two threads on one vCPU); rates of
	 * each side in rate_a/rate_b. Returns 0 or -errno. */
	int (*throughput)(void *ctx, enum vtc_cont_kind kind, int a, int b,
			  double *rate_a, double *rate_b);
	/* Optional (may be NULL: the scheduler then calls throughput one pair
	 * at a time): loop @kind on @n disjoint jobs at once, every thread
	 * started together and timed over the same windows. Job i is
	 * pairs[i][0] solo when pairs[i][1] < 0, else a co-run as above;
	 * its rates go into rates[2i] and rates[2i+1] (0 for a solo's second
	 * side). The caller keeps vCPUs that may share a core in separate
	 * calls. Returns 0 or -errno. */
	int (*throughput_many)(void *ctx, enum vtc_cont_kind kind, const int (*pairs)[2], int n,
			       double *rates);
	/* Cumulative steal and total ticks per CPU id (arrays of ncpus), as in
	 * /proc/stat. Returns 0 or -errno (-ENOENT: no steal accounting). */
	int (*cpu_times)(void *ctx, int ncpus, uint64_t *steal, uint64_t *total);
	/* Optional (may be NULL): the clock the backend times with, copied
	 * into results->timer. Returns 0 or -errno. */
	int (*timer_info)(void *ctx, struct vtc_timer_info *out);
	/* Optional (may be NULL): seconds on the backend's clock, which the
	 * scheduler's budget and observation window run on. NULL: the
	 * monotonic wall clock. The simulator gives its modelled time, so a
	 * 10 s window of a modelled host takes milliseconds to test. */
	double (*now)(void *ctx);
	/* Optional (may be NULL): how many guest tasks other than this
	 * process are runnable right now (between calls, when no probe thread
	 * exists). Returns 0 or -errno. The scheduler waits for a quiet moment
	 * before the full look, and samples it around the look. */
	int (*runnable)(void *ctx, double *others);
	/* Optional (may be NULL: the watch then never rests): let @s seconds
	 * pass on the backend's clock without probing (the hw backend sleeps;
	 * a signal may end the rest early). The observation window rests
	 * between rounds so that it costs the guest a small share of its
	 * CPUs. */
	void (*rest)(void *ctx, double s);
};

#endif
