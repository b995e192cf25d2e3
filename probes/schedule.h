/* schedule.h - measure every pair of a CPU set through a backend, within a budget.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_SCHEDULE_H
#define VTC_SCHEDULE_H

#include "probes/backend.h"
#include "src/analysis/results.h"

#define VTC_WATCHDOG_GRACE_S 0.5

/* Called after each round with the phase ("measuring": the full look,
 * "watching": the observation window), the fraction done (0..1, never
 * decreasing; of the budget's time when watching) and the seconds left of
 * the budget; may be NULL. */
typedef void (*vtc_progress_fn)(void *arg, const char *phase, double done, double left_s);

/* Measure all pairs of @cpus (params->passes passes, rounds of disjoint pairs
 * unless params->serial), then the contention probes when params->contention,
 * and per-CPU steal. With params->watch, rounds of short re-measurements then
 * fill the rest of the budget (the observation window, out->watch), ending
 * early once the series has settled (out->watch_end_reason). @out is initialised here (vtc_results_init) and owned by
 * the caller afterwards (vtc_results_free). Stops early, keeping partial data,
 * when the budget runs out (out->budget_exhausted) or the stop flag rises
 * (src/stop.h: vtc_stop_requested(); out->interrupted). A wall-clock watchdog (timer.h) ends backend calls
 * VTC_WATCHDOG_GRACE_S after the budget whatever the backend's clock does
 * (out->watchdog, out->budget_exhausted). Returns 0, or -errno when nothing could be measured
 * (-EPERM: pinning refused, -EINVAL: fewer than 2 CPUs). */
int vtc_probe_run(const struct vtc_backend *be, const vtc_cpuset *cpus,
		  const struct vtc_probe_params *params,
		  vtc_progress_fn progress, void *progress_arg, struct vtc_results *out);

/* vtc_probe_run, plus @n_extra pairs (a, b CPU numbers, e.g. advertised SMT
 * siblings) that the contention probes must also measure besides their own
 * candidates (each CPU's lowest-latency partner, a few median-latency
 * controls, the same-vCPU control). Pairs with a CPU outside @cpus are
 * skipped. @out is always safe to pass to vtc_results_free afterwards. */
int vtc_probe_run_with(const struct vtc_backend *be, const vtc_cpuset *cpus,
		       const struct vtc_probe_params *params, const int (*extra)[2],
		       int n_extra, vtc_progress_fn progress,
		       void *progress_arg, struct vtc_results *out);

/* Sample @be's runnable count (how many guest tasks besides this process
 * are runnable) @k times 1 ms apart, adding each answer to *@sum and *@n,
 * and return the running mean *@sum / *@n, or -1 while *@n is 0 (no
 * runnable callback, or it could not tell). Call it only while no probe
 * thread exists. */
double vtc_probe_runnable_mean(const struct vtc_backend *be, int k, double *sum, int *n);

#endif
