/* platform_sysfs.h - platform facts from /proc/cpuinfo, /sys/hypervisor,
 * DMI and the kernel release, read through a sysfs root.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_PLATFORM_SYSFS_H
#define VTC_PLATFORM_SYSFS_H

#include <stddef.h>

#include "src/advertised/platform.h"
#include "src/advertised/sysfs.h"

/* Parse /proc/cpuinfo text (@len bytes at @text, followed by a NUL; lines
 * are split in place, so @text is changed) into the cpuinfo fields of @p
 * (vendor, model name, flags constant_tsc, nonstop_tsc, hypervisor, ht;
 * x86 cpu family, model, stepping and microcode).
 * The first value of each key wins, which is the first processor's. x86
 * keys are vendor_id/model name/flags; other layouts are understood where
 * they carry the same facts (ia64 "vendor", s390 "vendor_id", POWER "cpu",
 * ARM "CPU implementer"/"Processor", LoongArch "Model Name", "features"/
 * "Features" flags); unknown layouts leave fields empty. Never fails on
 * content. */
void vtc_platform_parse_cpuinfo(char *text, size_t len, struct vtc_platform *p);

/* Fill the procfs/sysfs fields of @p from the root of @fs: proc/cpuinfo
 * (above), sys/hypervisor/type, sys/class/dmi/id/{sys_vendor,product_name},
 * proc/sys/kernel/osrelease. Each missing or unreadable file leaves its
 * fields empty: guests often lack DMI and /sys/hypervisor. Other fields of
 * @p are not touched. Returns 0, or -errno when proc/cpuinfo exists but
 * cannot be read: the errors of vtc_sysfs_read_all() with the bound
 * VTC_INPUT_PROC_MAX (-EFBIG, -EISDIR, -VTC_INPUT_ENOTREG, -ENOMEM ...). */
int vtc_platform_read_sysfs(const struct vtc_sysfs *fs, struct vtc_platform *p);

#endif
