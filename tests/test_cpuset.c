/* test_cpuset.c - cpulist/mask parsing and formatting.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/advertised/cpuset.h"

static void roundtrip(const char *in, const char *want)
{
	vtc_cpuset s;
	char buf[256];

	assert_int_equal(vtc_cpulist_parse(in, &s), 0);
	vtc_cpulist_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_cpulist_valid(void **state)
{
	(void)state;
	roundtrip("0-3,8,10-11", "0-3,8,10-11");
	roundtrip("0-3,8,10-11\n", "0-3,8,10-11");
	roundtrip("  5 ", "5");
	roundtrip("", "");
	roundtrip("\n", "");
	roundtrip("3,2,1,0", "0-3");
	roundtrip("0-7:2", "0,2,4,6");
	roundtrip("4095", "4095");
	roundtrip("0,0,0", "0");
}

static void test_cpulist_garbage(void **state)
{
	vtc_cpuset s;
	(void)state;
	const char *bad[] = {"a", "0-", "-1", "3-1", "1,,2", "1,", "0x3", "1 2",
			     "0-3:0", "1-2-3", "+1", "1;2"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vtc_cpulist_parse(bad[i], &s), -EINVAL);
	assert_int_equal(vtc_cpulist_parse(NULL, &s), -EINVAL);
}

static void test_cpulist_huge(void **state)
{
	vtc_cpuset s;
	(void)state;
	assert_int_equal(vtc_cpulist_parse("4096", &s), -ERANGE);
	assert_int_equal(vtc_cpulist_parse("0-99999999999999999999", &s), -ERANGE);
	assert_int_equal(vtc_cpulist_parse("18446744073709551617", &s), -ERANGE);
}

static void test_cpumask(void **state)
{
	vtc_cpuset s;
	char buf[64];
	(void)state;
	assert_int_equal(vtc_cpumask_parse("00000000,0000000f\n", &s), 0);
	vtc_cpulist_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0-3");
	assert_int_equal(vtc_cpumask_parse("0x100000000", &s), 0);
	vtc_cpulist_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "32");
	assert_int_equal(vtc_cpumask_parse("00000003,00000000", &s), 0);
	vtc_cpulist_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "32-33");
	assert_int_equal(vtc_cpumask_parse("0", &s), 0);
	assert_true(vtc_cpuset_empty(&s));
	assert_int_equal(vtc_cpumask_parse("xyz", &s), -EINVAL);
	assert_int_equal(vtc_cpumask_parse("", &s), -EINVAL);
	assert_int_equal(vtc_cpumask_parse(",", &s), -EINVAL);
}

static void test_cpumask_huge(void **state)
{
	char big[2000];
	vtc_cpuset s;
	(void)state;
	memset(big, '0', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = '1'; /* bit 4*1998+... far beyond 4096 */
	assert_int_equal(vtc_cpumask_parse(big, &s), -ERANGE);
	big[0] = '0'; /* leading zeros beyond the range are fine */
	assert_int_equal(vtc_cpumask_parse(big, &s), 0);
}

static void test_format_truncation(void **state)
{
	vtc_cpuset s;
	char buf[6];
	(void)state;
	assert_int_equal(vtc_cpulist_parse("0-3,8,10-11", &s), 0);
	assert_int_equal(vtc_cpulist_format(&s, buf, sizeof(buf)), strlen("0-3,8,10-11"));
	assert_string_equal(buf, "0-3,8");
	assert_int_equal(vtc_cpulist_format(&s, NULL, 0), strlen("0-3,8,10-11"));
}

static void test_set_ops(void **state)
{
	vtc_cpuset a, b, c;
	int seen = 0, cpu;
	(void)state;
	vtc_cpulist_parse("1,63,64,4095", &a);
	assert_int_equal(vtc_cpuset_count(&a), 4);
	assert_int_equal(vtc_cpuset_first(&a), 1);
	assert_int_equal(vtc_cpuset_last(&a), 4095);
	vtc_cpuset_foreach(cpu, &a) seen++;
	assert_int_equal(seen, 4);
	vtc_cpulist_parse("63-64", &b);
	assert_true(vtc_cpuset_subset(&b, &a));
	assert_true(vtc_cpuset_intersects(&a, &b));
	vtc_cpuset_and(&c, &a, &b);
	assert_true(vtc_cpuset_equal(&c, &b));
	vtc_cpuset_set(&c, -1);
	vtc_cpuset_set(&c, VTC_CPUSET_MAX);
	assert_int_equal(vtc_cpuset_count(&c), 2);
	assert_false(vtc_cpuset_test(&c, VTC_CPUSET_MAX));
	vtc_cpuset_clear(&c);
	assert_int_equal(vtc_cpuset_first(&c), -1);
	assert_int_equal(vtc_cpuset_last(&c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpulist_valid),
		cmocka_unit_test(test_cpulist_garbage),
		cmocka_unit_test(test_cpulist_huge),
		cmocka_unit_test(test_cpumask),
		cmocka_unit_test(test_cpumask_huge),
		cmocka_unit_test(test_format_truncation),
		cmocka_unit_test(test_set_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
