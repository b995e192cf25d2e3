/* dedicated.h - KVM's dedicated-vCPU hint judged against the run.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * KVM_HINTS_REALTIME (CPUID 0x40000001 EDX[0]) promises the guest that each
 * vCPU has a host CPU of its own. A Linux guest acts on it: native
 * spinlocks instead of paravirtual ones, the haltpoll idle driver, no PV
 * TLB flush or PV yield. A vCPU preempted while holding a lock then makes
 * the others spin for the host's time slice. The run can show the promise
 * broken: steal on a vCPU, stacked vCPUs, a move. */
#ifndef VTC_DEDICATED_H
#define VTC_DEDICATED_H

#include <stdbool.h>

#include "src/advertised/platform.h"
#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/analysis/results.h"

/* Steal on one vCPU, % of the run, above which it was not alone on its host
 * CPU: a dedicated host CPU runs only housekeeping besides the vCPU (well
 * under 1%); 5% is the margin stacked inference allows for /proc/stat's
 * rounding, and a vCPU sharing its host CPU with one busy thread reads
 * ~50%. */
#define VTC_DEDICATED_STEAL_PCT 5.0

/* What the run measured against dedicated vCPUs. */
struct vtc_dedicated_ev {
	vtc_cpuset steal;    /* vCPUs with steal above the bound */
	vtc_cpuset stacked;  /* vCPUs of stacked groups */
	vtc_cpuset moved;    /* vCPUs of pairs seen moving */
	int steal_known;     /* probed vCPUs with a steal reading */
	double steal_max;    /* highest steal of a probed vCPU, % (-1 none) */
	int steal_max_cpu;
	int episodes;        /* near episodes in the window (0: none or no window) */
	bool moved_passes;   /* fast pairs changed between passes */
};

/* Gather the evidence of @r and @inf into *ev (stacked groups and moves
 * between passes only when @inf could judge). Returns true when any of it
 * contradicts dedicated vCPUs. */
bool vtc_dedicated_evidence(const struct vtc_inferred *inf, const struct vtc_results *r,
			    struct vtc_dedicated_ev *ev);

/* Append to @out what @plat's hint and the run say together: a WARNING
 * dedicated-mismatch when the hint is set and the run contradicts it; an
 * INFO one when the hint is known unset but the placement held still over
 * an observation window of at least @info_window_s watched with no stacked
 * vCPUs and steal known and under the bound on every probed vCPU (the hint
 * could be set, if the host really pins). Nothing without a known hint.
 * Returns 0, -ENOMEM. */
int vtc_dedicated_judge(const struct vtc_inferred *inf, const struct vtc_results *r,
			const struct vtc_platform *plat, double info_window_s,
			struct vtc_findings *out);

/* The window a run must watch before it says the hint could be set. Setting
 * it on vCPUs that float is the costly mistake (guest spinlocks spin on a
 * preempted holder), and hosts move unpinned vCPUs from about once a minute
 * (this project's development VM on a quiet day): a default 10 s window that
 * saw nothing move proves little, so it says nothing. */
#define VTC_DEDICATED_INFO_WINDOW_S 50.0

#endif
