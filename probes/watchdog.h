/* watchdog.h - the wall-clock watchdog that bounds a run, and the abort flag
 * every probe loop polls. Portable (a thread on CLOCK_MONOTONIC): the
 * scheduler starts it, the hardware backend (probes/hw/) reads the flag.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pair bounds are counted in cycle-counter ticks, and a counter can stop,
 * jump or run slow (qemu user-mode emulation, a broken TSC after
 * migration). A thread on CLOCK_MONOTONIC raises one flag when the run's
 * wall-clock limit passes or the stop flag rises; every probe loop that
 * waits on the counter also checks it, so no run outlives its budget or a
 * signal by more than the flag's poll period and one sample. */

#ifndef VTC_WATCHDOG_H
#define VTC_WATCHDOG_H

#include <pthread.h>
#include <stdbool.h>
#include <urcu/uatomic.h>

/* Raised by the watchdog; read by the probe loops. */
extern int vtc_timer_abort_flag;

static inline bool vtc_timer_aborted(void)
{
	return uatomic_read(&vtc_timer_abort_flag) != 0;
}

struct vtc_watchdog {
	pthread_t thread;
	double end_s;          /* CLOCK_MONOTONIC seconds */
	int quit;              /* set by vtc_watchdog_stop */
	int fired;             /* 1: the wall-clock limit passed */
	bool running;
};

/* Clear the abort flag and watch: after @limit_s seconds of wall clock, or
 * as soon as the stop flag rises (src/stop.h), raise it. Returns 0 or
 * -errno. */
int vtc_watchdog_start(struct vtc_watchdog *w, double limit_s);
/* Stop watching; true when the wall-clock limit had passed (the counter-
 * timed bounds did not end the run in time). The abort flag stays as it
 * is until the next start. */
bool vtc_watchdog_stop(struct vtc_watchdog *w);

#endif
