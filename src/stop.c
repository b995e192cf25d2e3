/* stop.c - the one stop flag, see stop.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <signal.h>
#include <time.h>
#include <urcu/uatomic.h>

#include "src/stop.h"

static volatile int *g_flag;
static volatile sig_atomic_t g_noted;
static struct timespec g_at;

void vtc_stop_set(volatile int *flag)
{
	uatomic_set(&g_flag, flag);
}

/* Read by the watchdog thread too: atomic like the flag itself. */
static int g_deferred;

bool vtc_stop_requested(void)
{
	volatile int *flag = uatomic_read(&g_flag);

	return !uatomic_read(&g_deferred) && flag && uatomic_read(flag);
}

void vtc_stop_defer(bool on)
{
	uatomic_set(&g_deferred, on);
}

void vtc_stop_note_time(void)
{
	if (!g_noted) {
		clock_gettime(CLOCK_MONOTONIC, &g_at);
		g_noted = 1;
	}
}

double vtc_stop_age_s(void)
{
	struct timespec now;

	if (!g_noted)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - g_at.tv_sec) + (double)(now.tv_nsec - g_at.tv_nsec) * 1e-9;
}
