/* platform_sysfs.h - platform facts from /proc/cpuinfo, /sys/hypervisor,
 * DMI and the kernel release, read through a sysfs root.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_PLATFORM_SYSFS_H
#define VTC_PLATFORM_SYSFS_H

#include <stdio.h>

#include "src/advertised/platform.h"
#include "src/advertised/sysfs.h"

/* Parse /proc/cpuinfo text from @f into the cpuinfo fields of @p (vendor,
 * model name, flags constant_tsc, nonstop_tsc, hypervisor, ht). The first
 * value of each key wins, which is the first processor's. x86 keys are
 * vendor_id/model name/flags; other layouts are understood where they carry
 * the same facts (ia64 "vendor", s390 "vendor_id", POWER "cpu", ARM
 * "CPU implementer"/"Processor", LoongArch "Model Name", "features"/
 * "Features" flags); unknown layouts leave fields empty. Never fails on
 * content. Returns 0, or -errno of a read error. */
int vtc_platform_parse_cpuinfo(FILE *f, struct vtc_platform *p);

/* Fill the procfs/sysfs fields of @p from the root of @fs: proc/cpuinfo
 * (above), sys/hypervisor/type, sys/class/dmi/id/{sys_vendor,product_name},
 * proc/sys/kernel/osrelease. Each missing or unreadable file leaves its
 * fields empty: guests often lack DMI and /sys/hypervisor. Other fields of
 * @p are not touched. Returns 0, or -errno when proc/cpuinfo exists but
 * cannot be read. */
int vtc_platform_read_sysfs(const struct vtc_sysfs *fs, struct vtc_platform *p);

#endif
