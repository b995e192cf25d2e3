/* test_procstat.c - /proc/stat per-CPU steal and /proc/loadavg parsers, on
 * recorded text.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/advertised/procstat.h"

static const char *kvm_guest =
	"cpu  1660 0 2177 96567 309 0 33 8 0 0\n"
	"cpu0 534 0 823 49004 7 0 7 2 0 0\n"
	"cpu1 1125 0 1354 47562 301 0 25 6 0 0\n"
	"cpu3 10 20 30 40 50 60 70 80 90 100\n" /* cpu2 offline */
	"intr 12345 0 0\n"
	"ctxt 99\n"
	"cpu9 1 1 1 1 1 1 1 1\n" /* beyond ncpus: ignored */
	"softirq 1 2 3\n";

static void test_parse_guest(void **state)
{
	uint64_t st[4], tot[4];
	(void)state;
	assert_int_equal(vtc_procstat_parse(kvm_guest, 4, st, tot), 0);
	assert_int_equal(st[0], 2);
	assert_int_equal(tot[0], 534 + 823 + 49004 + 7 + 7 + 2);
	assert_int_equal(st[1], 6);
	assert_int_equal(st[2], 0);
	assert_int_equal(tot[2], 0); /* offline: unknown */
	assert_int_equal(st[3], 80);
	assert_int_equal(tot[3], 10 + 20 + 30 + 40 + 50 + 60 + 70 + 80); /* guest excluded */
}

static void test_parse_errors(void **state)
{
	uint64_t st[2], tot[2];
	(void)state;
	/* 2.6.9-era kernels: no steal column. */
	assert_int_equal(vtc_procstat_parse("cpu0 1 2 3 4 5 6 7\n", 2, st, tot), -ENOENT);
	assert_int_equal(vtc_procstat_parse("intr 1\nctxt 2\n", 2, st, tot), -ENOENT);
	assert_int_equal(vtc_procstat_parse("", 2, st, tot), -ENOENT);
	assert_int_equal(vtc_procstat_parse("cpu0 1 2 x 4 5 6 7 8\n", 2, st, tot), -EINVAL);
	assert_int_equal(vtc_procstat_parse("cpu0x 1 2 3 4 5 6 7 8\n", 2, st, tot), -EINVAL);
	assert_int_equal(vtc_procstat_parse("cpu0 1 2 3 4 5 6 7 99999999999999999999999\n", 2,
					    st, tot), -EINVAL);
	assert_int_equal(vtc_procstat_parse(NULL, 2, st, tot), -EINVAL);
	assert_int_equal(vtc_procstat_parse("cpu0 1 2 3 4 5 6 7 8\n", 2, NULL, tot), -EINVAL);
	/* No trailing newline is fine. */
	assert_int_equal(vtc_procstat_parse("cpu1 1 2 3 4 5 6 7 8", 2, st, tot), 0);
	assert_int_equal(st[1], 8);
}

static void test_steal_pct(void **state)
{
	(void)state;
	assert_float_equal(vtc_procstat_steal_pct(10, 1000, 60, 1100), 50.0, 1e-9);
	assert_float_equal(vtc_procstat_steal_pct(10, 1000, 10, 1100), 0.0, 1e-9);
	assert_float_equal(vtc_procstat_steal_pct(10, 1000, 10, 1000), -1.0, 1e-9);
	assert_float_equal(vtc_procstat_steal_pct(10, 1000, 5, 1100), -1.0, 1e-9);
}

static void test_loadavg(void **state)
{
	int running = -1, total = -1;

	(void)state;
	assert_int_equal(vtc_procstat_parse_loadavg("0.20 0.18 0.12 3/80 11206", &running,
						    &total), 0);
	assert_int_equal(running, 3);
	assert_int_equal(total, 80);
	assert_int_equal(vtc_procstat_parse_loadavg("0.20 0.18 0.12", &running, &total),
			 -EINVAL);
	assert_int_equal(vtc_procstat_parse_loadavg("", &running, &total), -EINVAL);
	assert_int_equal(vtc_procstat_parse_loadavg(NULL, &running, &total), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_guest),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_steal_pct),
		cmocka_unit_test(test_loadavg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
