/* cpuid_live.h - the live CPUID source: run the instruction on this machine
 * and record the answers in a struct vtc_cpuid_src (src/advertised/cpuid.h), which
 * then decodes exactly like a dump.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_CPUID_LIVE_H
#define VTC_CPUID_LIVE_H

#include "src/advertised/cpuid.h"

/* Record every CPU of the calling thread's affinity mask, pinning the
 * thread to each in turn (CPUID answers for the CPU it runs on), then
 * restore the mask, also on failure. Callers normally go through
 * vtc_cpuid_open(NULL, ...). Returns 0 and *out, or -ENOTSUP (no CPUID on
 * this build), -EPERM/-EINVAL (pinning refused, returned as is), -ENOMEM,
 * or the errors of vtc_affinity_allowed(). */
int vtc_cpuid_live_open(struct vtc_cpuid_src **out);

/* Record only the CPU the caller runs on now, without pinning, as a source
 * with that one CPU (*cpu; 0 when sched_getcpu fails). For facts that are
 * the same on every CPU (vendor, TSC frequency and invariance), not for
 * topology: a migration during recording mixes two CPUs' answers.
 * Returns 0 and *out, -ENOTSUP, -ENOMEM. */
int vtc_cpuid_live_here(struct vtc_cpuid_src **out, int *cpu);

#endif
