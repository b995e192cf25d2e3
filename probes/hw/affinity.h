/* affinity.h - pin the calling thread to one CPU and check where it runs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_AFFINITY_H
#define VTC_AFFINITY_H

#include "src/advertised/cpuset.h"

#define VTC_PIN_MAP_MAX 16

/* Test hook: "whenever a thread would be pinned to CPU from[i], pin it to
 * to[i]". It only changes where threads run (e.g. both threads of a pair on
 * CPU 0 to create real OS-level stacking); every measurement and placement
 * check still happens for real, against the CPU actually pinned to. */
struct vtc_pin_map {
	int n;
	int from[VTC_PIN_MAP_MAX], to[VTC_PIN_MAP_MAX];
};

/* The environment variable holding the map, e.g. "1:0" or "1:0,3:2". */
#define VTC_PIN_OVERRIDE_ENV "VTC_TEST_PIN_OVERRIDE"

/* Parse "from:to[,from:to...]" (NULL or "" = empty map).
 * Returns 0, -EINVAL on malformed text, -ERANGE on ids >= VTC_CPUSET_MAX or
 * more than VTC_PIN_MAP_MAX entries. */
int vtc_pin_map_parse(const char *text, struct vtc_pin_map *map);

/* The CPU a thread meant for @cpu is really pinned to (@map may be NULL). */
int vtc_pin_map_apply(const struct vtc_pin_map *map, int cpu);

/* The calling thread's allowed CPUs (sched_getaffinity), with a mask sized
 * for the kernel's possible CPUs (grown from 1024 while the kernel says
 * EINVAL). The one place that turns the affinity into a vtc_cpuset.
 * Returns 0, -ERANGE (the kernel has more possible CPUs than
 * VTC_CPUSET_MAX), -ENOMEM, or another -errno of sched_getaffinity;
 * *out is empty on error. */
int vtc_affinity_allowed(vtc_cpuset *out);

/* Restrict the calling thread to @cpus (the kernel migrates it before
 * returning if needed). Returns 0, -ENOMEM, or the -errno of
 * sched_setaffinity (-EINVAL: no allowed CPU in @cpus, -EPERM). */
int vtc_affinity_set(const vtc_cpuset *cpus);

/* Pin the calling thread to exactly @cpu, then migrate there (the kernel
 * moves it before returning to user space; we confirm with sched_getcpu).
 * Returns 0, -EINVAL (bad id), -EPERM/-EINVAL from the kernel, or -EAGAIN
 * when the thread still is not on @cpu afterwards. */
int vtc_affinity_pin_self(int cpu);

/* CPU the calling thread runs on now, or -errno. */
int vtc_affinity_current(void);

#endif
