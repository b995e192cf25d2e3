/* contention.h - throughput loops for SMT/stacking evidence that does not
 * rely on latency: the same loop solo, then on two vCPUs at once.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_CONTENTION_H
#define VTC_CONTENTION_H

#include "src/analysis/results.h"

#define VTC_CONT_L1_BYTES (8 * 1024)    /* two copies fit one shared 32K L1d */
#define VTC_CONT_L2_BYTES (128 * 1024)  /* > L1d, two copies < a 512K L2 */

#define VTC_CONT_MAX_REPEATS 8

/* Run loop @kind on CPU @a alone (b < 0) or on @a and @b together (a == b:
 * two threads on one vCPU) for @repeats windows of @window_ms each, every
 * window shared by all threads on the wall clock so that time a thread
 * spends waiting for its CPU counts against it. Rates (operations per ns)
 * of the best window (highest sum over the threads: other tenants only
 * ever slow a window down) into *rate_a, *rate_b (b >= 0; @rate_b may be
 * NULL). @a/@b are the CPUs really pinned to. Returns 0 or -errno (-EINVAL
 * bad arguments, pinning refused, no memory, thread start failed). */
int vtc_cont_run(enum vtc_cont_kind kind, int a, int b, double window_ms, int repeats,
		 double *rate_a, double *rate_b);

/* Run loop @kind on @n jobs at once: job i is pairs[i][0] alone when
 * pairs[i][1] < 0, else pairs[i][0] and pairs[i][1] together, as above.
 * All threads share one start line and the same windows; each job reports
 * its own best window into rates[2i], rates[2i+1] (0 for a solo's second
 * side). CPUs are the ones really pinned to; the caller keeps jobs apart
 * that must not share a core. Returns 0 or -errno as vtc_cont_run. */
int vtc_cont_run_many(enum vtc_cont_kind kind, const int (*pairs)[2], int n, double window_ms,
		      int repeats, double *rates);

#endif
