/* load_run.h - a saved JSON report (schema VTC_REPORT_SCHEMA) back into a
 * struct vtc_run for --analyze: platform, advertised models, measurements,
 * and the sysfs-vs-CPUID check of the loaded models.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_LOAD_RUN_H
#define VTC_LOAD_RUN_H

#include "src/report/run.h"

/* Load the stored inputs of the report at @path into @run (initialised by
 * vtc_run_init). Returns 0, or -errno with run->err naming the file, the
 * section at fault and what to do: -EPROTO (another schema), -EINVAL (a bad
 * or missing section, a report made with --advertised), -ENOMEM, or the
 * errors of reading the file. */
int vtc_run_load_report(struct vtc_run *run, const char *path);

#endif
