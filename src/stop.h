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
/* True once the registered flag is raised (and not deferred). */
bool vtc_stop_requested(void);

/* While deferred, vtc_stop_requested() says false; the flag itself stays
 * raised. A live run judges its (partial) measurements to completion even
 * after a signal: judging takes a fraction of a second, and that report is
 * what the signal asked for. */
void vtc_stop_defer(bool on);

/* Called by the signal handler (async-signal-safe): notes when the stop
 * came, so late phases can keep to "gone within a second of the signal". */
void vtc_stop_note_time(void);
/* Seconds since the stop was noted, 0 when none was. */
double vtc_stop_age_s(void);

/* An output begun after the stop (the complete, UNKNOWN report of an
 * interrupted run) is still abandoned this long after the signal, so a
 * huge report cannot keep the process alive: it is then left untouched. */
#define VTC_STOP_WRITE_GRACE_S 0.5

#endif
