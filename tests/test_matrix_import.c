/* test_matrix_import.c - other tools' matrices in, and our own out and back.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/report/matrix.h"
#include "src/report/matrix_import.h"

static int import_text(const char *text, struct vtc_results *r, char *err, size_t n)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;
	assert_non_null(f);
	rc = vtc_matrix_import(f, r, err, n);
	fclose(f);
	return rc;
}

/* c2clat's documented layout: 4 CPUs, SMT siblings (0,2) and (1,3). */
static const char c2clat_4[] =
	" CPU    0    1    2    3\n"
	"   0    0   52    8   50\n"
	"   1   54    0   51    9\n"
	"   2    8   50    0   53\n"
	"   3   52    9   51    0\n";

static void test_c2clat(void **state)
{
	struct vtc_results r;
	char err[160];
	(void)state;
	assert_int_equal(import_text(c2clat_4, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.n_passes, 1);
	assert_string_equal(r.backend, "import");
	assert_false(r.params.contention);
	assert_true(vtc_results_pair_median(&r, 0, 2) == 8.0);
	assert_true(vtc_results_pair_median(&r, 0, 1) == 53.0); /* mean of 52 and 54 */
	assert_true(vtc_results_pair_median(&r, 3, 1) == 9.0);
	vtc_results_free(&r);
}

/* core-to-core-latency --csv: lower triangle, upper cells empty. */
static const char c2c_csv[] =
	",,,\n"
	"6.25,,,\n"
	"24.2,24.4,,\n"
	"24.5,24.1,6.0,\n";

static void test_csv(void **state)
{
	struct vtc_results r;
	char err[160];
	(void)state;
	assert_int_equal(import_text(c2c_csv, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n, 4);
	assert_true(vtc_results_pair_median(&r, 0, 1) == 6.25);
	assert_true(vtc_results_pair_median(&r, 2, 3) == 6.0);
	assert_true(vtc_results_pair_median(&r, 1, 3) == 24.1);
	vtc_results_free(&r);
}

static void test_stalled_and_missing(void **state)
{
	struct vtc_results r;
	char err[160];
	(void)state;
	assert_int_equal(import_text(" CPU 0 1 2\n 0 0 S 40\n 1 S 0 -\n 2 40 - 0\n", &r, err,
				     sizeof(err)), 0);
	assert_true(vtc_results_pair(&r, 0, 1)->pass[0].stalled);
	assert_false(vtc_results_pair(&r, 1, 2)->pass[0].measured);
	assert_true(vtc_results_pair_median(&r, 0, 2) == 40.0);
	vtc_results_free(&r);
}

/* What vtopocheck --matrix writes, it reads back to the same medians. */
static void test_own_output_roundtrip(void **state)
{
	struct vtc_results r, back;
	vtc_cpuset s;
	char *buf = NULL, err[160];
	size_t len = 0;
	(void)state;
	for (int fmt = 0; fmt < 2; fmt++) {
		vtc_cpulist_parse("0-4", &s);
		assert_int_equal(vtc_results_init(&r, &s, 2), 0);
		for (int i = 0; i < r.n_pairs; i++)
			for (int p = 0; p < 2; p++) {
				r.pairs[i].pass[p].measured = true;
				r.pairs[i].pass[p].samples = 10;
				r.pairs[i].pass[p].median_ns = 10.0 * (i + 1);
			}
		r.pairs[3].pass[0].stalled = r.pairs[3].pass[1].stalled = true;
		FILE *f = open_memstream(&buf, &len);
		assert_int_equal(vtc_matrix_print(f, &r, (enum vtc_matrix_format)fmt), 0);
		fclose(f);
		assert_int_equal(import_text(buf, &back, err, sizeof(err)), 0);
		for (int i = 0; i < r.n_pairs; i++) {
			int a = r.pairs[i].a, b = r.pairs[i].b;
			assert_true(fabs(vtc_results_pair_median(&r, a, b) -
					 vtc_results_pair_median(&back, a, b)) < 0.51);
		}
		assert_true(vtc_results_pair(&back, r.pairs[3].a, r.pairs[3].b)->pass[0].stalled);
		free(buf);
		buf = NULL;
		vtc_results_free(&r);
		vtc_results_free(&back);
	}
}

static void test_garbage(void **state)
{
	static const char *bad[] = {
		"",
		"\n\n",
		"nan,,\n1,,\n",
		",,\n-5,,\n1,2,\n",
		",,\n5,,\n",             /* 2 lines, 3 columns */
		",\n5\n",                /* short row */
		" CPU 0 1\n 0 0 5\n",     /* missing row */
		" CPU 0 1\n 0 0 5\n 1 5 0\n 2 1 1\n",
		" CPU 0 0\n 0 0 5\n 0 5 0\n", /* duplicate CPU */
		" CPU 0 x\n 0 0 5\n 1 5 0\n",
		" CPU 0 1\n 1 0 5\n 0 5 0\n", /* row order differs from header */
		" CPU 0 1\n 0 0 1e999\n 1 5 0\n",
		" CPU 0 99999\n 0 0 5\n 99999 5 0\n",
		"5\n",
		"hello world\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vtc_results r;
		char err[160] = "";
		int rc = import_text(bad[i], &r, err, sizeof(err));
		if (rc == 0)
			fail_msg("accepted garbage case %zu", i);
		assert_true(rc == -EINVAL || rc == -ERANGE);
		assert_true(strlen(err) > 0);
	}
}

/* --matrix=csv of CPUs 0,4,8,12 comes back as 0,4,8,12, not 0-3. */
static void test_csv_ids_roundtrip(void **state)
{
	struct vtc_results r, back;
	vtc_cpuset s;
	char *buf = NULL, err[160], ids[64];
	size_t len = 0;
	(void)state;
	vtc_cpulist_parse("0,4,8,12", &s);
	assert_int_equal(vtc_results_init(&r, &s, 1), 0);
	for (int i = 0; i < r.n_pairs; i++) {
		r.pairs[i].pass[0].measured = true;
		r.pairs[i].pass[0].samples = 1;
		r.pairs[i].pass[0].median_ns = 10.0 + i;
	}
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(vtc_matrix_print(f, &r, VTC_MATRIX_CSV), 0);
	fclose(f);
	assert_int_equal(import_text(buf, &back, err, sizeof(err)), 0);
	vtc_cpulist_format(&back.probed, ids, sizeof(ids));
	assert_string_equal(ids, "0,4,8,12");
	assert_true(fabs(vtc_results_pair_median(&back, 4, 12) -
			 vtc_results_pair_median(&r, 4, 12)) < 0.01);
	free(buf);
	vtc_results_free(&r);
	vtc_results_free(&back);
}

/* CPUs outside the machine are refused before the grid is sized; a line
 * without end (/dev/zero) is refused at VTC_MATRIX_LINE_MAX. */
static void test_bounds(void **state)
{
	static const char big[] = " CPU 0 1 2 3 4 5 6 7\n";
	struct vtc_results r;
	vtc_cpuset online;
	char err[300] = "";
	size_t n = VTC_MATRIX_LINE_MAX + 10;
	char *zeros = calloc(1, n);
	FILE *f;
	(void)state;
	vtc_cpulist_parse("0-1", &online);
	f = fmemopen((void *)big, strlen(big), "r");
	assert_int_equal(vtc_matrix_import_within(f, &online, &r, err, sizeof(err)), -ENXIO);
	fclose(f);
	assert_non_null(strstr(err, "0-7"));
	assert_non_null(zeros);
	memset(zeros, '1', n - 1);
	f = fmemopen(zeros, n - 1, "r");
	assert_int_equal(vtc_matrix_import(f, &r, err, sizeof(err)), -E2BIG);
	fclose(f);
	free(zeros);
}

/* Import @text expecting -EINVAL with @want in the message. */
static void refused(const char *text, const char *want)
{
	struct vtc_results r;
	char err[300] = "";
	int rc = import_text(text, &r, err, sizeof(err));

	if (rc != -EINVAL || !strstr(err, want))
		fail_msg("'%s': want -EINVAL with '%s', got %d '%s'", text, want, rc, err);
}

/* Cells that are no latency: 1.7e308 (two averaged to +inf, judged OK
 * with perfdata "infus" and a JSON its own --analyze refused), what
 * strtod rounds towards 0 (4e-320 was called "not a finite number >= 0"),
 * and the largest accepted cells, whose mean stays finite. */
static void test_cell_range(void **state)
{
	struct vtc_results r;
	char err[300] = "";
	(void)state;
	refused(" CPU 0 1\n 0 0 1.7e308\n 1 1.7e308 0\n",
		"line 2, column 3: 1.7e308 ns is out of range (a latency is from 1e-30 to 1e12 ns");
	refused(" CPU 0 1\n 0 0 4e-320\n 1 5 0\n", "line 2, column 3: 4e-320 ns is out of range");
	refused(" CPU 0 1\n 0 0 1e999\n 1 5 0\n", "1e999 ns is out of range");
	refused(",\n1e12,\n", "line 2, column 1: 1e12 ns is out of range");
	refused(" CPU 0 1\n 0 0 infinity\n 1 5 0\n", "'infinity' is not a latency");
	assert_int_equal(import_text(" CPU 0 1\n 0 0 9.9e11\n 1 9.9e11 0\n", &r, err,
				     sizeof(err)), 0);
	assert_true(isfinite(r.pairs[0].pass[0].median_ns));
	vtc_results_free(&r);
}

/* A pair read 1000x apart one way and the other was averaged without a
 * word. Refused, naming both cells and what to do; up to 100x (a floating
 * guest measured each direction at another moment) is averaged. */
static void test_asymmetric_pair(void **state)
{
	struct vtc_results r;
	char err[300] = "";
	(void)state;
	refused(" CPU 0 1 2\n 0 0 20 40\n 1 20 0 41\n 2 40 20000 0\n",
		"CPUs 1 and 2 read 41 ns one way (line 3, column 4) and 20000 ns the other "
		"(line 4, column 3), 488x apart; mark the wrong cell S (stalled) or - (not "
		"measured), or measure again");
	refused("0,20\n20000,0\n", "CPUs 0 and 1 read 20 ns one way (line 1, column 2) and "
		"20000 ns the other (line 2, column 1), 1000x apart");
	assert_int_equal(import_text(" CPU 0 1 2\n 0 0 20 40\n 1 20 0 41\n 2 40 S 0\n", &r, err,
				     sizeof(err)), 0);
	vtc_results_free(&r);
	assert_int_equal(import_text(" CPU 0 1 2\n 0 0 20 40\n 1 20 0 41\n 2 40 4100 0\n", &r,
				     err, sizeof(err)), 0);
	assert_true(r.pairs[2].pass[0].median_ns == (41 + 4100) / 2.0);
	vtc_results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c2clat),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_stalled_and_missing),
		cmocka_unit_test(test_own_output_roundtrip),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_csv_ids_roundtrip),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_cell_range),
		cmocka_unit_test(test_asymmetric_pair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
