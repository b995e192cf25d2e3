/* stop.c - the one stop flag, see stop.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "src/stop.h"

static volatile int *g_flag;

void vtc_stop_set(volatile int *flag)
{
	g_flag = flag;
}

bool vtc_stop_requested(void)
{
	return g_flag && *g_flag;
}
