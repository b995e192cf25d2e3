/* procstat.h - pure parsers for /proc/stat's per-CPU lines and /proc/loadavg.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_PROCSTAT_H
#define VTC_PROCSTAT_H

#include <stdint.h>

/* Parse the "cpuN user nice system idle iowait irq softirq steal ..." lines
 * of /proc/stat text @text. For each CPU id N < @ncpus, store the steal ticks
 * in steal[N] and the sum of the first eight fields (user..steal; guest time
 * is already inside user) in total[N]. CPUs absent from the text (offline)
 * get 0 in both. The aggregate "cpu" line and other lines are ignored.
 * Returns 0; -EINVAL for NULL arguments or a malformed cpuN line;
 * -ENOENT when a cpuN line has no steal column (kernels before 2.6.11) or
 * no cpuN line exists. */
int vtc_procstat_parse(const char *text, int ncpus, uint64_t *steal, uint64_t *total);

/* Steal percentage between two readings: 100 * dsteal / dtotal; -1 when
 * dtotal is 0 or a counter went backwards (unknown). */
double vtc_procstat_steal_pct(uint64_t steal0, uint64_t total0, uint64_t steal1, uint64_t total1);

/* Parse /proc/loadavg text ("0.20 0.18 0.12 1/80 11206"): the currently
 * runnable tasks (*running, the reader included) and all tasks (*total).
 * Returns 0, -EINVAL (malformed). */
int vtc_procstat_parse_loadavg(const char *text, int *running, int *total);

#endif
