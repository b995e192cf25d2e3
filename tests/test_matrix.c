/* test_matrix.c - latency matrix as c2clat-style text and core-to-core-latency CSV.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/report/matrix.h"

static void set_pass(struct vtc_results *r, int a, int b, int pass, double med, bool stalled)
{
	struct vtc_lat_stats *l = &vtc_results_pair(r, a, b)->pass[pass];
	l->measured = true;
	l->stalled = stalled;
	l->samples = stalled ? 0 : 50;
	l->median_ns = med;
}

/* CPUs 0,1,3 (2 not probed): 0-1 measured (median over passes 20.4, 21.6
 * -> 21.0), 0-3 stalled in both passes, 1-3 never measured. */
static void make_results(struct vtc_results *r)
{
	vtc_cpuset s;
	assert_int_equal(vtc_cpulist_parse("0,1,3", &s), 0);
	assert_int_equal(vtc_results_init(r, &s, 2), 0);
	set_pass(r, 0, 1, 0, 20.4, false);
	set_pass(r, 1, 0, 1, 21.6, false);
	set_pass(r, 0, 3, 0, 0, true);
	set_pass(r, 0, 3, 1, 0, true);
}

static char *render(const struct vtc_results *r, enum vtc_matrix_format fmt, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	*rc = vtc_matrix_print(f, r, fmt);
	fclose(f);
	return buf;
}

static void test_text_layout(void **state)
{
	struct vtc_results r;
	int rc;
	(void)state;
	make_results(&r);
	char *t = render(&r, VTC_MATRIX_TEXT, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(t, " CPU    0    1    3\n"
			       "   0    0   21    S\n"
			       "   1   21    0    -\n"
			       "   3    S    -    0\n");
	free(t);
	vtc_results_free(&r);
}

static void test_csv_layout(void **state)
{
	struct vtc_results r;
	int rc;
	(void)state;
	make_results(&r);
	char *t = render(&r, VTC_MATRIX_CSV, &rc);
	assert_int_equal(rc, 0);
	/* CPUs 0,1,3 are not 0..n-1: a row and column of ids keep them. */
	assert_string_equal(t, "CPU,0,1,3\n"
			       "0,,,\n"
			       "1,21.000,,\n"
			       "3,inf,,\n");
	free(t);
	vtc_results_free(&r);
}

static void test_one_pass_stalled_other_not(void **state)
{
	struct vtc_results r;
	double ns;
	(void)state;
	make_results(&r);
	set_pass(&r, 1, 3, 0, 0, true);
	set_pass(&r, 1, 3, 1, 300, false);
	/* A clean pass wins: the cell shows its latency. */
	assert_int_equal(vtc_matrix_cell(&r, 3, 1, &ns), 1);
	assert_float_equal(ns, 300, 1e-9);
	assert_int_equal(vtc_matrix_cell(&r, 0, 3, &ns), 2);
	assert_int_equal(vtc_matrix_cell(&r, 0, 2, &ns), 0); /* 2 not probed */
	vtc_results_free(&r);
}

static void test_bad_args(void **state)
{
	struct vtc_results r, empty;
	(void)state;
	make_results(&r);
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(vtc_matrix_print(NULL, &r, VTC_MATRIX_TEXT), -EINVAL);
	assert_int_equal(vtc_matrix_print(stdout, &empty, VTC_MATRIX_TEXT), -EINVAL);
	assert_int_equal(vtc_matrix_print(stdout, &r, (enum vtc_matrix_format)7), -EINVAL);
	vtc_results_free(&r);
}

static void test_write_error(void **state)
{
	struct vtc_results r;
	(void)state;
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	make_results(&r);
	setvbuf(f, NULL, _IONBF, 0);
	assert_int_equal(vtc_matrix_print(f, &r, VTC_MATRIX_TEXT), -EIO);
	fclose(f);
	vtc_results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_layout),
		cmocka_unit_test(test_csv_layout),
		cmocka_unit_test(test_one_pass_stalled_other_not),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
