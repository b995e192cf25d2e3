/* test_stop.c - the one stop flag (src/stop.c): nothing stops without a
 * registered flag, a raised flag stops every phase unless deferred, and the
 * time of the stop is noted once, by the first signal.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <cmocka.h>

#include "src/stop.h"

static void test_flag(void **state)
{
	static volatile int flag;
	(void)state;

	vtc_stop_set(NULL);
	assert_false(vtc_stop_requested());
	vtc_stop_set(&flag);
	assert_false(vtc_stop_requested());
	flag = 1;
	assert_true(vtc_stop_requested());
	/* deferred: not seen, though the flag stays raised */
	vtc_stop_defer(true);
	assert_false(vtc_stop_requested());
	assert_int_equal(flag, 1);
	vtc_stop_defer(false);
	assert_true(vtc_stop_requested());
	vtc_stop_set(NULL);
	assert_false(vtc_stop_requested());
	flag = 0;
}

static void sleep_s(double s)
{
	struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9)};

	nanosleep(&ts, NULL);
}

/* Before any signal the age is 0; from the first it grows, and a second
 * signal does not restart it. (One test: the note cannot be undone.) */
static void test_age(void **state)
{
	double a, b;
	(void)state;

	assert_true(vtc_stop_age_s() == 0);
	vtc_stop_note_time();
	sleep_s(0.05);
	a = vtc_stop_age_s();
	assert_true(a >= 0.05 && a < 5);
	vtc_stop_note_time(); /* a second signal */
	b = vtc_stop_age_s();
	assert_true(b >= a);
	assert_true(VTC_STOP_WRITE_GRACE_S > 0 && VTC_STOP_WRITE_GRACE_S <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flag),
		cmocka_unit_test(test_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
