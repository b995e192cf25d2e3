/* consist.h - do the guest's two advertised sources (sysfs and CPUID) agree?
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_CONSIST_H
#define VTC_CONSIST_H

#include "src/analysis/finding.h"
#include "src/advertised/platform.h"
#include "src/advertised/topo.h"

/* Compare @sysfs with @cpuid on the CPUs online in both, at every level both
 * know (smt, cluster, die, package, l1d, l2, l3, numa), and add one finding
 * of kind "cpuid-sysfs-disagree" (warning) per level whose groups differ,
 * naming the vCPUs involved and both sources' groups. Also one finding when
 * CPUID's raw cache sharing count (leaf 4 / 0x8000001D) exceeds the APIC ids
 * a package holds: a hypervisor passing the host's cache topology through.
 * @p (may be NULL) only adds the hypervisor's name to the evidence. No
 * finding when the sources agree. Returns 0, -EINVAL (NULL topologies or
 * @out), -ENOMEM. */
int vtc_consist_check(const struct vtc_topo *sysfs, const struct vtc_topo *cpuid,
		      const struct vtc_platform *p, struct vtc_findings *out);

#endif
