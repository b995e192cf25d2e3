/* vtc.h - project-wide constants: exit statuses and limits.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_H
#define VTC_H

/* Exit statuses follow the monitoring-plugin convention. Only main.c exits. */
enum vtc_exit {
	VTC_EXIT_OK = 0,       /* advertised topology matches what was measured */
	VTC_EXIT_WARNING = 1,  /* minor mismatch: floating, cache/NUMA description */
	VTC_EXIT_CRITICAL = 2, /* phantom/hidden SMT, stacked vCPUs, socket split */
	VTC_EXIT_UNKNOWN = 3,  /* could not run, or could not measure reliably */
};

#define VTC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
