/* test_probes_hw.c - the real backend on this machine: ping-pong between the
 * first two allowed CPUs, OS-level stacking forced with the pin override
 * (both threads on one CPU), contention ratios. Bounds are structural, never
 * tuned to one CPU. Skips (77) with fewer than two allowed CPUs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "src/analysis/fingerprint.h"

#include "probes/hw/affinity.h"
#include "probes/hw/contention.h"
#include "probes/hw/hw.h"
#include "src/report/matrix.h"
#include "probes/schedule.h"

static int cpu_a, cpu_b; /* allowed CPUs, on separate cores if sysfs knows two */
static bool separate_core_known;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A backend whose threads for cpu_b really run on cpu_a, or a plain one. */
static void backend(struct vtc_backend *be, bool stacked)
{
	char map[32];

	snprintf(map, sizeof(map), "%d:%d", cpu_b, cpu_a);
	if (stacked)
		setenv(VTC_PIN_OVERRIDE_ENV, map, 1);
	else
		unsetenv(VTC_PIN_OVERRIDE_ENV);
	assert_int_equal(vtc_hw_backend_init(be), 0);
	unsetenv(VTC_PIN_OVERRIDE_ENV);
}

static void test_timer(void **state)
{
	struct vtc_backend be;
	struct vtc_timer_info ti;
	(void)state;
	backend(&be, false);
	assert_int_equal(be.timer_info(be.ctx, &ti), 0);
	assert_true(ti.name[0] != '\0');
	assert_true(ti.freq_source[0] != '\0');
	assert_true(ti.ticks_per_ns > 0.001 && ti.ticks_per_ns < 100);
	/* The counter measured again, as a run's end does: on one host it
	 * agrees with the start well within the 1% that says "another host"
	 * (a monotonic-raw timer has no frequency: 0 both times). */
	double start = vtc_hw_tsc_khz(&be, false), again = vtc_hw_tsc_khz(&be, true);
	print_message("TSC %.3f kHz at init, %.3f kHz again (%.1f ppm)\n", start, again,
		      start > 0 ? (again - start) / start * 1e6 : 0);
	if (strcmp(ti.name, "monotonic-raw") == 0) {
		assert_true(start == 0 && again == 0);
	} else {
		assert_true(start > 1e3 && again > 1e3);
		assert_true(fabs(again - start) < VTC_FINGERPRINT_TSC_TOLERANCE * start);
	}
	vtc_hw_backend_fini(&be);
}

static void test_bad_override(void **state)
{
	struct vtc_backend be;
	(void)state;
	setenv(VTC_PIN_OVERRIDE_ENV, "1-0", 1);
	assert_int_equal(vtc_hw_backend_init(&be), -EINVAL);
	unsetenv(VTC_PIN_OVERRIDE_ENV);
}

static void test_pin_and_verify(void **state)
{
	(void)state;
	assert_int_equal(vtc_affinity_pin_self(cpu_a), 0);
	assert_int_equal(vtc_affinity_current(), cpu_a);
	assert_int_equal(vtc_affinity_pin_self(cpu_b), 0);
	assert_int_equal(vtc_affinity_current(), cpu_b);
	assert_int_equal(vtc_affinity_pin_self(VTC_CPUSET_MAX), -EINVAL);
}

/* Timing on a shared machine is noisy: another process on one of our CPUs
 * really does time-share it, which is what the probes detect. A check
 * passes when one of a few attempts, spaced apart, meets its structural
 * bound; every attempt is printed so a failure shows what was measured. */
#define ATTEMPTS 4

static void pause_ms(int ms)
{
	struct timespec ts = {0, (long)ms * 1000000L};
	nanosleep(&ts, NULL);
}

static bool clean(const struct vtc_lat_stats *l)
{
	print_message("  measured %d stalled %d samples %u discarded %u stalls %u K %u "
		      "min %.1f p10 %.1f median %.1f p90 %.1f\n", l->measured, l->stalled,
		      l->samples, l->discarded, l->stalls, l->round_trips, l->min_ns,
		      l->p10_ns, l->median_ns, l->p90_ns);
	/* Sanity only: 5 ns .. 50 us one way; placement is checked per
	 * sample and pinned threads rarely move. */
	return l->measured && !l->stalled && l->samples > 0 && l->round_trips >= 1 &&
	       l->median_ns > 5 && l->median_ns < 50000 && l->min_ns <= l->p10_ns &&
	       l->p10_ns <= l->median_ns && l->median_ns <= l->p90_ns &&
	       l->discarded < l->samples;
}

static bool pingpong_clean(struct vtc_backend *be, int a, int b)
{
	struct vtc_probe_params p;
	struct vtc_lat_stats st = {0};
	struct vtc_pingpong_job job = {.a = a, .b = b, .out = &st};

	vtc_probe_params_default(&p);
	assert_int_equal(be->pingpong(be->ctx, &job, 1, &p), 0);
	return clean(&st);
}

static void test_pingpong_two_cpus(void **state)
{
	struct vtc_backend be;
	bool ab = false, ba = false;
	(void)state;
	backend(&be, false);
	for (int i = 0; i < ATTEMPTS && !(ab && ba); i++, pause_ms(100)) {
		ab = ab || pingpong_clean(&be, cpu_a, cpu_b);
		ba = ba || pingpong_clean(&be, cpu_b, cpu_a);
	}
	assert_true(ab);
	assert_true(ba);
	vtc_hw_backend_fini(&be);
}

static bool stacked_stalls(struct vtc_backend *be)
{
	struct vtc_probe_params p;
	struct vtc_lat_stats st = {0};
	struct vtc_pingpong_job job = {.a = cpu_a, .b = cpu_b, .out = &st};

	vtc_probe_params_default(&p);
	double t = now_s();
	assert_int_equal(be->pingpong(be->ctx, &job, 1, &p), 0);
	t = now_s() - t;
	print_message("  stacked: measured %d stalled %d stalls %u samples %u handoff %.0f ns, "
		      "%.1f ms\n", st.measured, st.stalled, st.stalls, st.samples, st.handoff_ns,
		      t * 1e3);
	/* Never beyond the time bound plus thread start/exit slack. */
	assert_true(t <= p.pair_max_ms * 1e-3 + 0.1);
	/* Stopped at the stall limit or at the time bound, whichever came
	 * first (slice-long handoffs may fit fewer than stall_limit stalls);
	 * a stalled round trip lasted > stall_ns: > stall_ns/2 per handoff. */
	return st.measured && st.stalled && st.stalls >= 1 && st.handoff_ns > p.stall_ns / 2;
}

static void test_stacked_pair_stalls_within_bound(void **state)
{
	struct vtc_backend be;
	bool ok = false;
	(void)state;
	backend(&be, true);
	for (int i = 0; i < ATTEMPTS && !ok; i++, pause_ms(100))
		ok = stacked_stalls(&be);
	assert_true(ok);
	vtc_hw_backend_fini(&be);
}

static double mean_ratio(const struct vtc_contention_result *c)
{
	return (c->ratio[0] + c->ratio[1] + c->ratio[2]) / 3;
}

static void run_pair(struct vtc_backend *be, struct vtc_results *r, bool contention)
{
	struct vtc_probe_params p;
	vtc_cpuset cpus;

	vtc_cpuset_clear(&cpus);
	vtc_cpuset_set(&cpus, cpu_a);
	vtc_cpuset_set(&cpus, cpu_b);
	vtc_probe_params_default(&p);
	p.contention = contention;
	double t = now_s();
	assert_int_equal(vtc_probe_run(be, &cpus, &p, NULL, NULL, r), 0);
	assert_true(now_s() - t <= p.budget_s + 0.2);
	assert_string_equal(r->backend, "hw");
	assert_true(r->timer.ticks_per_ns > 0);
}

/* The full run over both CPUs: a finite cell, and contention ratios. */
static bool run_separate(struct vtc_backend *be)
{
	struct vtc_results r;
	double ns;
	bool ok;

	run_pair(be, &r, true);
	const struct vtc_contention_result *same = vtc_results_contention(&r, cpu_a, cpu_a);
	const struct vtc_contention_result *pair = vtc_results_contention(&r, cpu_a, cpu_b);
	assert_non_null(same);
	assert_non_null(pair);
	for (int k = 0; k < VTC_CONT_KINDS; k++)
		assert_true(r.solo_rate[k][cpu_a] > 0 && r.solo_rate[k][cpu_b] > 0);
	assert_true(r.steal_pct[cpu_a] >= -1 && r.steal_pct[cpu_a] <= 100);
	print_message("  cell %d same %.3f pair %.3f\n", vtc_matrix_cell(&r, cpu_a, cpu_b, &ns),
		      mean_ratio(same), mean_ratio(pair));
	/* Two threads on one vCPU share it: ~0.5. Separate cores: ~1 unless
	 * stacked; this CI machine's vCPUs are not. */
	ok = vtc_matrix_cell(&r, cpu_a, cpu_b, &ns) == 1 && ns > 5 && ns < 50000 &&
	     same->measured && pair->measured && mean_ratio(same) < 0.75 &&
	     (!separate_core_known || mean_ratio(pair) > mean_ratio(same) + 0.2);
	vtc_results_free(&r);
	return ok;
}

static void test_run_and_contention(void **state)
{
	struct vtc_backend be;
	bool ok = false;
	(void)state;
	backend(&be, false);
	for (int i = 0; i < ATTEMPTS && !ok; i++, pause_ms(100))
		ok = run_separate(&be);
	assert_true(ok);
	vtc_hw_backend_fini(&be);
}

static bool run_stacked(struct vtc_backend *be)
{
	struct vtc_results r;
	double ns;

	run_pair(be, &r, true);
	const struct vtc_contention_result *pair = vtc_results_contention(&r, cpu_a, cpu_b);
	int cell = vtc_matrix_cell(&r, cpu_a, cpu_b, &ns);
	print_message("  stacked run: cell %d ratio %.3f\n", cell, pair ? mean_ratio(pair) : -1);
	bool ok = cell == 2 && pair && pair->measured && mean_ratio(pair) < 0.75;
	vtc_results_free(&r);
	return ok;
}

static void test_run_stacked(void **state)
{
	struct vtc_backend be;
	bool ok = false;
	(void)state;
	backend(&be, true);
	for (int i = 0; i < ATTEMPTS && !ok; i++, pause_ms(100))
		ok = run_stacked(&be);
	assert_true(ok);
	vtc_hw_backend_fini(&be);
}

/* Jobs of one round at once: two solos, then a same-vCPU co-run next to
 * a solo; structural checks only (rates > 0, a solo's second side 0). */
static void test_throughput_many(void **state)
{
	struct vtc_backend be;
	const int solos[2][2] = {{cpu_a, -1}, {cpu_b, -1}};
	const int mixed[2][2] = {{cpu_a, cpu_a}, {cpu_b, -1}};
	const int bad[1][2] = {{-1, -1}};
	double rates[4];
	(void)state;
	backend(&be, false);
	assert_non_null(be.throughput_many);
	assert_int_equal(be.throughput_many(be.ctx, VTC_CONT_ALU, solos, 2, rates), 0);
	assert_true(rates[0] > 0 && rates[2] > 0);
	assert_true(rates[1] == 0 && rates[3] == 0);
	assert_int_equal(be.throughput_many(be.ctx, VTC_CONT_L1, mixed, 2, rates), 0);
	assert_true(rates[0] > 0 && rates[1] > 0 && rates[2] > 0 && rates[3] == 0);
	assert_int_equal(vtc_cont_run_many(VTC_CONT_L1, bad, 1, 1.0, 1, rates), -EINVAL);
	assert_int_equal(vtc_cont_run_many(VTC_CONT_L1, solos, 0, 1.0, 1, rates), -EINVAL);
	assert_int_equal(vtc_cont_run_many(VTC_CONT_KINDS, solos, 2, 1.0, 1, rates), -EINVAL);
	vtc_hw_backend_fini(&be);
}

static void test_cpu_times(void **state)
{
	struct vtc_backend be;
	uint64_t steal[VTC_CPUSET_MAX], total[VTC_CPUSET_MAX];
	(void)state;
	backend(&be, false);
	int rc = be.cpu_times(be.ctx, cpu_b + 1, steal, total);
	if (rc == -ENOENT) /* no steal accounting in this kernel */
		skip();
	assert_int_equal(rc, 0);
	assert_true(total[cpu_a] > 0 && total[cpu_b] > 0);
	assert_true(steal[cpu_a] <= total[cpu_a]);
	vtc_hw_backend_fini(&be);
}

/* The contention check wants two separate cores: skip CPUs that sysfs
 * calls SMT siblings of cpu_a (a developer's laptop; the CI guest has no
 * SMT). cpu_b stays the first partner when none qualifies. */

static void pick_non_sibling(const vtc_cpuset *allowed)
{
	char path[96], text[256] = "";
	vtc_cpuset sib;
	int c;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/thread_siblings_list",
		 cpu_a);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(text, sizeof(text), f))
			text[0] = '\0';
		fclose(f);
	}
	if (vtc_cpulist_parse(text, &sib) != 0)
		vtc_cpuset_clear(&sib);
	vtc_cpuset_foreach(c, allowed)
		if (c != cpu_a && !vtc_cpuset_test(&sib, c)) {
			cpu_b = c;
			separate_core_known = true;
			return;
		}
}

int main(void)
{
	vtc_cpuset allowed;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer),
		cmocka_unit_test(test_bad_override),
		cmocka_unit_test(test_pin_and_verify),
		cmocka_unit_test(test_pingpong_two_cpus),
		cmocka_unit_test(test_stacked_pair_stalls_within_bound),
		cmocka_unit_test(test_run_and_contention),
		cmocka_unit_test(test_run_stacked),
		cmocka_unit_test(test_throughput_many),
		cmocka_unit_test(test_cpu_times),
	};

	if (vtc_affinity_allowed(&allowed) || vtc_cpuset_count(&allowed) < 2) {
		fprintf(stderr, "test_probes_hw: fewer than 2 allowed CPUs: skipped\n");
		return 77;
	}
	cpu_a = vtc_cpuset_first(&allowed);
	cpu_b = vtc_cpuset_next(&allowed, cpu_a);
	pick_non_sibling(&allowed);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
