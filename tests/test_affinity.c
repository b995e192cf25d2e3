/* test_affinity.c - the calling thread's allowed CPUs as a vtc_cpuset, on
 * this machine and on faked kernels with more possible CPUs than a
 * cpu_set_t holds (sched_getaffinity linked with --wrap).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "probes/hw/affinity.h"

int __real_sched_getaffinity(pid_t pid, size_t size, cpu_set_t *mask);
int __wrap_sched_getaffinity(pid_t pid, size_t size, cpu_set_t *mask);

/* The faked kernel: 0 = pass through; else its possible CPUs (nr_cpu_ids),
 * and the one CPU the thread may use. */
static int fake_possible, fake_cpu;
static size_t sizes[8];
static int calls;

int __wrap_sched_getaffinity(pid_t pid, size_t size, cpu_set_t *mask)
{
	if (!fake_possible)
		return __real_sched_getaffinity(pid, size, mask);
	if (calls < 8)
		sizes[calls] = size;
	calls++;
	/* Like the kernel: a mask shorter than nr_cpu_ids bits is EINVAL. */
	if (size * 8 < (size_t)fake_possible) {
		errno = EINVAL;
		return -1;
	}
	memset(mask, 0, size);
	CPU_SET_S((size_t)fake_cpu, size, mask);
	return 0; /* glibc returns 0, not the kernel's byte count */
}

static void fake(int possible, int cpu)
{
	fake_possible = possible;
	fake_cpu = cpu;
	calls = 0;
	memset(sizes, 0, sizeof(sizes));
}

/* 2048 possible CPUs: 128 bytes (1024 CPUs) is refused, 256 fits. */
static void test_above_1024(void **state)
{
	vtc_cpuset s;

	(void)state;
	fake(2048, 1500);
	assert_int_equal(vtc_affinity_allowed(&s), 0);
	assert_int_equal(calls, 2);
	assert_int_equal(sizes[0], 128);
	assert_int_equal(sizes[1], 256);
	fake(0, 0);
	assert_int_equal(vtc_cpuset_count(&s), 1);
	assert_true(vtc_cpuset_test(&s, 1500));
}

/* The largest machine we model, and one beyond it. */
static void test_limits(void **state)
{
	vtc_cpuset s;

	(void)state;
	fake(VTC_CPUSET_MAX, VTC_CPUSET_MAX - 1);
	assert_int_equal(vtc_affinity_allowed(&s), 0);
	assert_true(vtc_cpuset_test(&s, VTC_CPUSET_MAX - 1));
	assert_int_equal(vtc_cpuset_count(&s), 1);
	fake(2 * VTC_CPUSET_MAX, 0);
	assert_int_equal(vtc_affinity_allowed(&s), -ERANGE);
	fake(0, 0);
	assert_true(vtc_cpuset_empty(&s));
}

/* The real kernel: the set holds the CPU we run on, and pinning there
 * keeps it. */
static void test_this_machine(void **state)
{
	vtc_cpuset s, after;
	int cpu;

	(void)state;
	fake(0, 0);
	assert_int_equal(vtc_affinity_allowed(&s), 0);
	cpu = vtc_affinity_current();
	assert_true(cpu >= 0);
	assert_true(vtc_cpuset_test(&s, cpu));
	assert_int_equal(vtc_affinity_set(&s), 0);
	assert_int_equal(vtc_affinity_allowed(&after), 0);
	assert_true(vtc_cpuset_equal(&s, &after));
}

/* ---- pin override parser ------------------------------------------------- */

static void test_pin_map(void **state)
{
	struct vtc_pin_map m;
	(void)state;
	assert_int_equal(vtc_pin_map_parse("1:0", &m), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(vtc_pin_map_apply(&m, 1), 0);
	assert_int_equal(vtc_pin_map_apply(&m, 0), 0);
	assert_int_equal(vtc_pin_map_apply(&m, 5), 5);
	assert_int_equal(vtc_pin_map_parse("1:0,3:2,4095:7", &m), 0);
	assert_int_equal(vtc_pin_map_apply(&m, 3), 2);
	assert_int_equal(vtc_pin_map_apply(&m, 4095), 7);
	assert_int_equal(vtc_pin_map_parse("", &m), 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(vtc_pin_map_parse(NULL, &m), 0);
	assert_int_equal(vtc_pin_map_apply(NULL, 9), 9);
	const char *bad[] = {"1", "1:", ":0", "1:0,", "a:b", "1-0", "1:0;2:3", " 1:0", "-1:0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vtc_pin_map_parse(bad[i], &m), -EINVAL);
	assert_int_equal(vtc_pin_map_parse("4096:0", &m), -ERANGE);
	assert_int_equal(vtc_pin_map_parse("0:99999999999999999999", &m), -ERANGE);
	assert_int_equal(vtc_pin_map_parse("0:1,1:2,2:3,3:4,4:5,5:6,6:7,7:8,8:9,9:10,"
					   "10:11,11:12,12:13,13:14,14:15,15:16,16:17", &m),
			 -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_map),
		cmocka_unit_test(test_above_1024),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_this_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
