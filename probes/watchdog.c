/* watchdog.c - the wall-clock watchdog (watchdog.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <urcu/uatomic.h>

#include "probes/watchdog.h"
#include "src/stop.h"

int vtc_timer_abort_flag;

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Polls every 20 ms: a signal reaches the probe loops within that. */
static void *watch(void *arg)
{
	struct vtc_watchdog *w = arg;
	const struct timespec tick = {0, 20000000};

	while (!uatomic_read(&w->quit)) {
		if (vtc_stop_requested()) {
			uatomic_set(&vtc_timer_abort_flag, 1);
		} else if (mono_s() >= w->end_s) {
			uatomic_set(&w->fired, 1);
			uatomic_set(&vtc_timer_abort_flag, 1);
		}
		clock_nanosleep(CLOCK_MONOTONIC, 0, &tick, NULL);
	}
	return NULL;
}

int vtc_watchdog_start(struct vtc_watchdog *w, double limit_s)
{
	sigset_t all, old;
	int rc;

	memset(w, 0, sizeof(*w));
	w->end_s = mono_s() + limit_s;
	uatomic_set(&vtc_timer_abort_flag, 0);
	/* Signals stay with the threads that handle them as before. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&w->thread, NULL, watch, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return -rc;
	w->running = true;
	return 0;
}

bool vtc_watchdog_stop(struct vtc_watchdog *w)
{
	if (!w->running)
		return false;
	uatomic_set(&w->quit, 1);
	pthread_join(w->thread, NULL);
	w->running = false;
	/* pthread_join orders the thread's store to fired before this read;
	 * quit and the flags carry no other data, so no fence is needed. */
	return uatomic_read(&w->fired) != 0;
}
