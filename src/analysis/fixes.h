/* fixes.h - the platform-specific part of a finding's fix: what to change
 * in KubeVirt, OpenStack, libvirt or VMware (or ask of a provider).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_FIXES_H
#define VTC_FIXES_H

#include "src/advertised/platform.h"
#include "src/analysis/finding.h"

/* The fix text for a finding of @kind on @plat (NULL: generic), a static
 * string; compare.c appends the layout to advertise. */
const char *vtc_fix_platform_text(enum vtc_fkind kind, const struct vtc_platform *plat);

#endif
