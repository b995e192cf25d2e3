/* rounds.h - round-robin tournament (circle method): all n(n-1)/2 pairs of
 * n players in rounds of disjoint pairs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_ROUNDS_H
#define VTC_ROUNDS_H

/* Number of rounds: n-1 for even n, n for odd n (one player sits out each
 * round); 0 for n < 2. */
int vtc_rounds_count(int n);

/* Pairs of round @r (0 <= r < vtc_rounds_count(n)) as player indices
 * 0..n-1 into @a[i], @b[i] (arrays of at least n/2 entries), a[i] != b[i].
 * Every pair appears in exactly one round; no player twice in a round.
 * Returns the number of pairs (n/2), or -EINVAL. */
int vtc_rounds_get(int n, int r, int *a, int *b);

/* Which round runs at position @i of pass @pass: passes use different
 * orders (forward, reversed, rotated by half) so that a pair's passes are
 * separated in time. Returns a permutation of 0..rounds-1 over i. */
int vtc_rounds_order(int rounds, int pass, int i);

#endif
