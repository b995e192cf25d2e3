/* compare.h - advertised topology vs inferred topology, as findings.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_COMPARE_H
#define VTC_COMPARE_H

#include <stddef.h>
#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/advertised/platform.h"
#include "src/analysis/results.h"
#include "src/advertised/topo.h"

/* Append to @out the mismatches between @adv (one advertised source: sysfs,
 * CPUID, ...; call once per source) and @inf: phantom-smt, hidden-smt,
 * stacked, floating, llc-mismatch, socket-mismatch, numa-mismatch, and
 * dedicated-mismatch where @plat knows KVM's dedicated-vCPU hint
 * (dedicated.h; with the hint and nothing against it, a placement counts as
 * stable without an observation window). Each
 * finding carries evidence numbers from @r, the cost, and a fix tailored to
 * @plat (may be NULL: generic advice) that always names the advertised
 * topology that would match (only when it differs from what is advertised).
 * Cache, socket and NUMA levels, and SMT when there is no contention data,
 * are judged on the latency evidence (judge.h); the measured groups of @inf
 * are then replaced by the judged ones (the advertised topology, corrected
 * where the evidence contradicts it). Nothing is added when @inf is unknown.
 * Returns 0, -EINVAL (NULL argument), -ENOMEM. */
int vtc_compare(struct vtc_inferred *inf, const struct vtc_results *r,
		const struct vtc_topo *adv, const struct vtc_platform *plat,
		struct vtc_findings *out);

/* The advertised topology that would match what was measured, e.g.
 * "sockets=1 cores=2 threads=2 with vCPU order 0,2,1,3". Returns the length
 * the full text needs (like snprintf). */
size_t vtc_compare_suggest(const struct vtc_inferred *inf, char *buf, size_t len);

#endif
