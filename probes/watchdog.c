/* watchdog.c - the wall-clock watchdog (watchdog.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <time.h>

#include "probes/watchdog.h"

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

	while (!__atomic_load_n(&w->quit, __ATOMIC_ACQUIRE)) {
		if (w->stop && __atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
			__atomic_store_n(&vtc_timer_abort_flag, 1, __ATOMIC_RELAXED);
		} else if (mono_s() >= w->end_s) {
			__atomic_store_n(&w->fired, 1, __ATOMIC_RELEASE);
			__atomic_store_n(&vtc_timer_abort_flag, 1, __ATOMIC_RELAXED);
		}
		clock_nanosleep(CLOCK_MONOTONIC, 0, &tick, NULL);
	}
	return NULL;
}

int vtc_watchdog_start(struct vtc_watchdog *w, double limit_s, volatile int *stop)
{
	sigset_t all, old;
	int rc;

	memset(w, 0, sizeof(*w));
	w->end_s = mono_s() + limit_s;
	w->stop = stop;
	__atomic_store_n(&vtc_timer_abort_flag, 0, __ATOMIC_RELAXED);
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
	__atomic_store_n(&w->quit, 1, __ATOMIC_RELEASE);
	pthread_join(w->thread, NULL);
	w->running = false;
	return __atomic_load_n(&w->fired, __ATOMIC_ACQUIRE) != 0;
}
