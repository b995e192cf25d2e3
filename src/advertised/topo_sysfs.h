/* topo_sysfs.h - the topology Linux advertises in /sys/devices/system/{cpu,node}.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_TOPO_SYSFS_H
#define VTC_TOPO_SYSFS_H

#include "src/advertised/sysfs.h"
#include "src/advertised/topo.h"

/* Fill @t (source "sysfs") from sys/devices/system/cpu and .../node under
 * the root of @fs, then derive its groups with vtc_topo_build_groups().
 *
 * CPU sets: possible/present/online files; when absent (old kernels), the
 * cpuN directories and their per-CPU "online" files stand in. ncpus is the
 * highest CPU id seen + 1. Per online CPU: ids and sibling lists of
 * cpuN/topology (the *_list files, else the older hex masks), caches of
 * cpuN/cache/indexK (L1D, L2, L3) and the NUMA node holding it. Optional
 * files that are missing leave that level unknown (ids -1, siblings empty)
 * instead of failing. t->allowed is set to t->online; a live caller replaces
 * it with sched_getaffinity().
 *
 * Returns 0 (with @t initialised: free it with vtc_topo_free()), or with
 * @t released: -ENOENT when sys/devices/system/cpu is missing, -EINVAL for
 * malformed content of a file that is present (cpu lists, ids, cache
 * attributes) or no online CPU, -ERANGE for CPU ids >= VTC_CPUSET_MAX,
 * -ENOMEM, or another -errno from reading. */
int vtc_topo_read_sysfs(const struct vtc_sysfs *fs, struct vtc_topo *t);

#endif
