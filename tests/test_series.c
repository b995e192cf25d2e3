/* test_series.c - near modes in pair latency over the observation window.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/series.h"

/* Two vCPUs (one pair, index 0) sampled every ms for @secs seconds; the
 * latency is @usual with +-4% jitter, except inside [from,to) windows. */
struct window {
	double from, to, ns;
};

/* Results of vCPUs 0 and 1, two passes, nothing measured yet. */
static void init_pair(struct vtc_results *r)
{
	vtc_cpuset cpus;

	vtc_cpuset_clear(&cpus);
	vtc_cpuset_set(&cpus, 0);
	vtc_cpuset_set(&cpus, 1);
	assert_int_equal(vtc_results_init(r, &cpus, 2), 0);
}

static void build_j(struct vtc_results *r, double secs, double usual, const struct window *w,
		    int nw, double jit)
{
	unsigned st = 7;

	init_pair(r);
	r->watch_from_s = 0.1;
	for (double t = 0.1; t < secs; t += 0.001) {
		double ns = usual;
		st = st * 1103515245u + 12345u;
		for (int i = 0; i < nw; i++)
			if (t >= w[i].from && t < w[i].to)
				ns = w[i].ns;
		ns *= 1.0 + ((double)(st >> 16 & 0x7fff) / 32768.0 - 0.5) * jit;
		assert_int_equal(vtc_results_add_watch(r, t, 0, ns), 0);
	}
	r->watch_to_s = secs;
}

static void build(struct vtc_results *r, double secs, double usual, const struct window *w,
		  int nw)
{
	build_j(r, secs, usual, w, nw, 0.08);
}

static void test_two_episodes_float(void **state)
{
	struct window w[] = {{2.0, 2.05, 28}, {6.0, 6.03, 28}};
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	build(&r, 10, 57, w, 2);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 1);
	assert_int_equal(s.f[0].a, 0);
	assert_int_equal(s.f[0].b, 1);
	assert_int_equal(s.f[0].episodes, 2);
	assert_true(fabs(s.f[0].episode_s[0] - 2.0) < 0.002);
	assert_true(fabs(s.f[0].episode_s[1] - 6.0) < 0.002);
	assert_true(s.f[0].near >= 78 && s.f[0].near <= 82);
	assert_true(fabs(s.f[0].near_ns - 28) < 2 && fabs(s.f[0].usual_ns - 57) < 2);
	assert_true(fabs(s.window_s - 9.9) < 1e-9);
	assert_true(vtc_series_settled(&s));
	assert_string_equal(vtc_series_settled_reason(&s),
			    "floating: a pair was seen nearer in two episodes");
	vtc_series_free(&s);
	vtc_results_free(&r);
}

/* One episode is a float, but not yet "settled" (one more would prove it
 * beyond a single event). */
static void test_one_episode(void **state)
{
	struct window w[] = {{4.0, 4.01, 30}};
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	build(&r, 10, 57, w, 1);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 1);
	assert_int_equal(s.f[0].episodes, 1);
	assert_false(vtc_series_settled(&s));
	assert_null(vtc_series_settled_reason(&s));
	vtc_series_free(&s);
	vtc_results_free(&r);
}

/* Slower readings prove nothing: noise only ever slows a handoff. */
static void test_slow_mode_is_noise(void **state)
{
	struct window w[] = {{1.0, 1.5, 140}, {5.0, 5.2, 300}};
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	build(&r, 10, 57, w, 2);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 0);
	vtc_series_free(&s);
	vtc_results_free(&r);
}

/* Two fast readings are not a placement; a mode within the jitter is not a
 * mode; a stalled sample (< 0) is not a reading. */
static void test_too_little_is_nothing(void **state)
{
	struct window w[] = {{3.0, 3.002, 28}, {7.0, 7.3, 50}};
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	build(&r, 10, 57, w, 2);
	for (int i = 0; i < 100; i++)
		assert_int_equal(vtc_results_add_watch(&r, 9.95, 0, -1), 0);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 0);
	vtc_series_free(&s);
	vtc_results_free(&r);
}

/* A pair near most of the time and far sometimes: the far readings could
 * be noise, so it is not called floating from the series. */
static void test_near_majority_is_not_a_float(void **state)
{
	struct window w[] = {{0.0, 8.0, 28}};
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	build(&r, 10, 57, w, 1);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 0);
	vtc_series_free(&s);
	vtc_results_free(&r);
}

/* A broad usual mode (emulation: +-25%) with a handful of readings well
 * below it, scattered in time or fewer than a run: rare readings must stand
 * out twice as clearly, and these are within reach of the mode's own
 * spread. A clear rare mode still counts. */
static void test_rare_readings_of_a_broad_mode(void **state)
{
	struct window w[] = {{2.0, 2.001, 30}, {3.0, 3.001, 30}, {4.0, 4.001, 30}, {5.0, 5.001, 30},
			     {6.0, 6.001, 30}, {7.0, 7.001, 30}, {8.0, 8.004, 30}};
	struct window clear[] = {{4.0, 4.007, 20}};
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	build_j(&r, 10, 78, w, 7, 0.5);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 0);
	vtc_series_free(&s);
	vtc_results_free(&r);
	build_j(&r, 10, 78, clear, 1, 0.08);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 1);
	assert_int_equal(s.f[0].near, 7);
	vtc_series_free(&s);
	vtc_results_free(&r);
}

/* Under emulation one placement spreads as a continuum, and a move's
 * readings join its lower tail with no gap in the values; in time they are
 * a run (seen on TCG guests: 5-11 readings in a row at 0.55-0.65x). */
static void test_near_run_without_a_gap(void **state)
{
	struct window w[] = {{3.0, 3.02, 45}, {6.5, 6.504, 45}};
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	build_j(&r, 10, 78, w, 2, 0.5);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 1);
	assert_int_equal(s.f[0].episodes, 1); /* the 4-reading run is not one */
	assert_true(s.f[0].near >= 19 && s.f[0].near <= 21);
	assert_true(fabs(s.f[0].episode_s[0] - 3.0) < 0.002);
	assert_true(fabs(s.f[0].near_ns - 45) < 5 && fabs(s.f[0].usual_ns - 78) < 4);
	assert_false(vtc_series_settled(&s));
	vtc_series_free(&s);
	vtc_results_free(&r);
}

/* A busy guest: the window reads 76 ns with spells at 60 ns, the pair's
 * level in the (quieter) look. Slow spells are the guest's tasks, not a
 * move; a near mode below the look's level is still a move, and on a quiet
 * guest the same series floats. */
static void look_and_load(struct vtc_results *r, double look_ns, double runnable)
{
	for (int p = 0; p < 2; p++)
		r->pairs[0].pass[p] = (struct vtc_lat_stats){.measured = true, .samples = 200,
							      .median_ns = look_ns + 4 * p};
	r->foreign_runnable = runnable;
}

static void test_busy_guest_slow_spells(void **state)
{
	struct window w[] = {{2.0, 2.5, 60}, {6.0, 6.3, 60}};
	struct window moved[] = {{2.0, 2.5, 30}, {6.0, 6.3, 30}};
	const struct {
		const struct window *w;
		double look_ns, runnable;
		int floats;
	} cases[] = {{w, 57, 2.3, 0}, {w, 57, 0, 1}, {w, 57, -1, 1}, {moved, 57, 2.3, 1},
		     {w, 76, 2.3, 1}};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtc_results r;
		struct vtc_series s;
		build(&r, 10, 76, cases[i].w, 2);
		look_and_load(&r, cases[i].look_ns, cases[i].runnable);
		assert_int_equal(vtc_series_analyze(&r, &s), 0);
		assert_int_equal(s.n_float, cases[i].floats);
		vtc_series_free(&s);
		vtc_results_free(&r);
	}
}

/* SIGSTOP at 0.5 s, SIGCONT at 3.5 s: the 3 s without rounds were not
 * watched, whatever the window's ends say; a signal's cut is noted. */
static void test_stopped_process_not_watched(void **state)
{
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	init_pair(&r);
	r.watch_from_s = 0.1;
	for (double t = 0.1; t < 4.0; t += 0.003)
		if (t < 0.5 || t >= 3.5)
			assert_int_equal(vtc_results_add_watch(&r, t, 0, 60), 0);
	r.watch_to_s = 4.0;
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_true(fabs(s.unwatched_s - 3.0) < 0.01);
	assert_true(fabs(s.window_s - 0.9) < 0.01);
	assert_false(s.cut_short);
	vtc_series_free(&s);
	r.interrupted = true;
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_true(s.cut_short);
	vtc_series_free(&s);
	vtc_results_free(&r);
}

static void test_no_window(void **state)
{
	struct vtc_results r;
	struct vtc_series s;
	(void)state;
	init_pair(&r);
	assert_int_equal(vtc_series_analyze(&r, &s), 0);
	assert_int_equal(s.n_float, 0);
	assert_true(s.window_s == 0);
	assert_false(vtc_series_settled(&s));
	assert_int_equal(vtc_series_analyze(NULL, &s), -EINVAL);
	assert_int_equal(vtc_series_analyze(&r, NULL), -EINVAL);
	assert_int_equal(vtc_results_add_watch(&r, 1, 5, 10), -EINVAL);
	vtc_series_free(&s);
	vtc_results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_episodes_float),
		cmocka_unit_test(test_one_episode),
		cmocka_unit_test(test_slow_mode_is_noise),
		cmocka_unit_test(test_too_little_is_nothing),
		cmocka_unit_test(test_near_majority_is_not_a_float),
		cmocka_unit_test(test_rare_readings_of_a_broad_mode),
		cmocka_unit_test(test_near_run_without_a_gap),
		cmocka_unit_test(test_busy_guest_slow_spells),
		cmocka_unit_test(test_stopped_process_not_watched),
		cmocka_unit_test(test_no_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
