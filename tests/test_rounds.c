/* test_rounds.c - the round-robin tournament: every pair once, in rounds
 * of disjoint pairs, and the per-pass round order.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "probes/rounds.h"

static void check_rounds(int n)
{
	int R = vtc_rounds_count(n), *a = calloc((size_t)n, sizeof(int)),
	    *b = calloc((size_t)n, sizeof(int));
	unsigned char *seen = calloc((size_t)n * (size_t)n, 1), *busy = calloc((size_t)n, 1);
	int total = 0;

	assert_non_null(a);
	assert_non_null(seen);
	assert_int_equal(R, n % 2 ? n : n - 1);
	for (int r = 0; r < R; r++) {
		int k = vtc_rounds_get(n, r, a, b);
		assert_int_equal(k, n / 2);
		memset(busy, 0, (size_t)n);
		for (int i = 0; i < k; i++) {
			assert_true(a[i] >= 0 && a[i] < n && b[i] >= 0 && b[i] < n);
			assert_int_not_equal(a[i], b[i]);
			assert_false(busy[a[i]]); /* no player twice in a round */
			assert_false(busy[b[i]]);
			busy[a[i]] = busy[b[i]] = 1;
			int lo = a[i] < b[i] ? a[i] : b[i], hi = a[i] ^ b[i] ^ lo;
			assert_int_equal(seen[lo * n + hi], 0); /* each pair once */
			seen[lo * n + hi] = 1;
			total++;
		}
	}
	assert_int_equal(total, n * (n - 1) / 2);
	assert_int_equal(vtc_rounds_get(n, R, a, b), -EINVAL);
	assert_int_equal(vtc_rounds_get(n, -1, a, b), -EINVAL);
	free(a);
	free(b);
	free(seen);
	free(busy);
}

static void test_rounds_cover_all_pairs(void **state)
{
	(void)state;
	for (int n = 2; n <= 257; n++)
		check_rounds(n);
	assert_int_equal(vtc_rounds_count(1), 0);
	assert_int_equal(vtc_rounds_count(0), 0);
}

static void test_rounds_order_permutes(void **state)
{
	(void)state;
	for (int R = 1; R <= 255; R += 2)
		for (int pass = 0; pass < 4; pass++) {
			unsigned char seen[256] = {0};
			for (int i = 0; i < R; i++) {
				int r = vtc_rounds_order(R, pass, i);
				assert_true(r >= 0 && r < R);
				assert_false(seen[r]);
				seen[r] = 1;
			}
		}
	/* Pass 1 differs from pass 0 (reversed). */
	assert_int_equal(vtc_rounds_order(63, 0, 0), 0);
	assert_int_equal(vtc_rounds_order(63, 1, 0), 62);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounds_cover_all_pairs),
		cmocka_unit_test(test_rounds_order_permutes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
