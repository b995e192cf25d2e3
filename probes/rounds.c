/* rounds.c - round-robin tournament schedule (circle method).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>

#include "probes/rounds.h"

int vtc_rounds_count(int n)
{
	if (n < 2)
		return 0;
	return n % 2 ? n : n - 1;
}

/* Player m-1 stays put, the others rotate around a circle of m-1 seats;
 * for odd n, m-1 is a dummy and its partner sits the round out. */
int vtc_rounds_get(int n, int r, int *a, int *b)
{
	int m = n + (n & 1), seats = m - 1, k = 0;

	if (n < 2 || r < 0 || r >= vtc_rounds_count(n))
		return -EINVAL;
	if (m - 1 < n) {
		a[k] = r;
		b[k++] = m - 1;
	}
	for (int i = 1; i < m / 2; i++) {
		a[k] = (r + i) % seats;
		b[k++] = (r - i + seats) % seats;
	}
	return k;
}

int vtc_rounds_order(int rounds, int pass, int i)
{
	int pos = pass % 2 ? rounds - 1 - i : i;
	return (pos + (pass / 2) * (rounds / 2)) % rounds;
}
