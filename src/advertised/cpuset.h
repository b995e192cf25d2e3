/* cpuset.h - fixed-capacity CPU bit sets and the kernel's cpulist/mask text forms.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_CPUSET_H
#define VTC_CPUSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Highest CPU count we model. Linux's NR_CPUS default on x86-64 is 8192, but
 * guests beyond 4096 vCPUs do not exist in practice; ids above are rejected
 * with -ERANGE rather than truncated. */
#define VTC_CPUSET_MAX 4096
#define VTC_CPUSET_WORDS (VTC_CPUSET_MAX / 64)

typedef struct vtc_cpuset {
	uint64_t w[VTC_CPUSET_WORDS];
} vtc_cpuset;

void vtc_cpuset_clear(vtc_cpuset *s);
/* Set/test bit @cpu; out-of-range ids are ignored by set and false for test. */
void vtc_cpuset_set(vtc_cpuset *s, int cpu);
void vtc_cpuset_unset(vtc_cpuset *s, int cpu);
bool vtc_cpuset_test(const vtc_cpuset *s, int cpu);
int vtc_cpuset_count(const vtc_cpuset *s);
bool vtc_cpuset_empty(const vtc_cpuset *s);
bool vtc_cpuset_equal(const vtc_cpuset *a, const vtc_cpuset *b);
bool vtc_cpuset_subset(const vtc_cpuset *sub, const vtc_cpuset *super);
bool vtc_cpuset_intersects(const vtc_cpuset *a, const vtc_cpuset *b);
void vtc_cpuset_and(vtc_cpuset *dst, const vtc_cpuset *a, const vtc_cpuset *b);
void vtc_cpuset_or(vtc_cpuset *dst, const vtc_cpuset *a, const vtc_cpuset *b);
/* Lowest set bit, or -1 when empty. */
int vtc_cpuset_first(const vtc_cpuset *s);
/* Next set bit after @cpu, or -1. Iterate: for (c = first; c >= 0; c = next(s, c)). */
int vtc_cpuset_next(const vtc_cpuset *s, int cpu);
/* Highest set bit, or -1. */
int vtc_cpuset_last(const vtc_cpuset *s);

#define vtc_cpuset_foreach(cpu, set) \
	for ((cpu) = vtc_cpuset_first(set); (cpu) >= 0; (cpu) = vtc_cpuset_next((set), (cpu)))

/* Parse a kernel cpulist ("0-3,8,10-11", "0-15:2" stride form, "" = empty).
 * Leading/trailing whitespace is ignored.
 * Returns 0, -EINVAL on malformed text, -ERANGE on an id >= VTC_CPUSET_MAX. */
int vtc_cpulist_parse(const char *text, vtc_cpuset *out);

/* Parse a kernel hex mask ("ff", "00000000,0000000f", optional 0x).
 * Returns 0, -EINVAL, -ERANGE as above. */
int vtc_cpumask_parse(const char *text, vtc_cpuset *out);

/* Format as a compact cpulist ("0-3,8"); "" for the empty set.
 * Returns the length that the full text needs (like snprintf); the output is
 * always NUL-terminated when @size > 0. */
size_t vtc_cpulist_format(const vtc_cpuset *s, char *buf, size_t size);

#endif
