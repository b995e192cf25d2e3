/* report_plugin.h - the monitoring-plugin status line (-q): one line on
 * stdout, "STATUS - text | perfdata", as Nagios, Icinga and Naemon expect
 * (monitoring-plugins.org development guidelines).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_REPORT_PLUGIN_H
#define VTC_REPORT_PLUGIN_H

#include <stdio.h>

#include "src/vtc.h"

struct vtc_run;

/* Name of @status as the plugin line and the exit status table spell it:
 * "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *vtc_plugin_status_name(enum vtc_exit status);

/* "STATUS - reason | perfdata" for a judged run: findings by severity,
 * vCPUs measured, coverage and each latency tier's median (microseconds,
 * tier a the fastest). */
void vtc_plugin_line(FILE *out, const struct vtc_run *app);

/* "UNKNOWN - @why" for a run that could not be judged (no perfdata: there
 * is nothing measured to report). */
void vtc_plugin_unknown(FILE *out, const char *why);

#endif
