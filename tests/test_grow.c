/* test_grow.c - the one growth rule of dynamic arrays (src/grow.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/grow.h"

static void test_grow_doubles(void **state)
{
	int *v = NULL, cap = 0, n;

	(void)state;
	for (n = 0; n < 100; n++) {
		int *g = vtc_grow(v, &cap, n, sizeof(*v), 4);
		assert_non_null(g);
		v = g;
		v[n] = n;
		assert_true(cap >= n + 1);
	}
	assert_int_equal(cap, 128); /* 4, 8, ..., 128 */
	for (n = 0; n < 100; n++)
		assert_int_equal(v[n], n);
	/* Not full: the same array, the same capacity. */
	assert_ptr_equal(vtc_grow(v, &cap, 100, sizeof(*v), 4), v);
	assert_int_equal(cap, 128);
	free(v);
}

static void test_grow_overflow(void **state)
{
	char dummy;
	int cap = INT_MAX / 2 + 1;

	(void)state;
	assert_null(vtc_grow(&dummy, &cap, cap, 1, 1));
	assert_int_equal(cap, INT_MAX / 2 + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles),
		cmocka_unit_test(test_grow_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
