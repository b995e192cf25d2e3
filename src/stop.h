/* stop.h - the one flag SIGINT/SIGTERM raise, seen by every phase.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * main.c's handler raises it; the probe scheduler, the report reader, the
 * analysis phases and the output writer poll it, so a run ends promptly in
 * any phase with exit 3 and its outputs complete or untouched. */
#ifndef VTC_STOP_H
#define VTC_STOP_H

#include <stdbool.h>

/* Register the flag (NULL: none; nothing ever stops). */
void vtc_stop_set(volatile int *flag);
/* True once the registered flag is raised. */
bool vtc_stop_requested(void);

#endif
