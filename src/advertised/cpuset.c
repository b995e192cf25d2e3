/* cpuset.c - CPU bit sets and the kernel's cpulist/mask text forms.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/advertised/cpuset.h"

void vtc_cpuset_clear(vtc_cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

static bool in_range(int cpu)
{
	return cpu >= 0 && cpu < VTC_CPUSET_MAX;
}

void vtc_cpuset_set(vtc_cpuset *s, int cpu)
{
	if (in_range(cpu))
		s->w[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

void vtc_cpuset_unset(vtc_cpuset *s, int cpu)
{
	if (in_range(cpu))
		s->w[cpu / 64] &= ~(UINT64_C(1) << (cpu % 64));
}

bool vtc_cpuset_test(const vtc_cpuset *s, int cpu)
{
	return in_range(cpu) && (s->w[cpu / 64] >> (cpu % 64)) & 1;
}

int vtc_cpuset_count(const vtc_cpuset *s)
{
	int n = 0;
	for (int i = 0; i < VTC_CPUSET_WORDS; i++)
		n += __builtin_popcountll(s->w[i]);
	return n;
}

bool vtc_cpuset_empty(const vtc_cpuset *s)
{
	for (int i = 0; i < VTC_CPUSET_WORDS; i++)
		if (s->w[i])
			return false;
	return true;
}

bool vtc_cpuset_equal(const vtc_cpuset *a, const vtc_cpuset *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

bool vtc_cpuset_subset(const vtc_cpuset *sub, const vtc_cpuset *super)
{
	for (int i = 0; i < VTC_CPUSET_WORDS; i++)
		if (sub->w[i] & ~super->w[i])
			return false;
	return true;
}

bool vtc_cpuset_intersects(const vtc_cpuset *a, const vtc_cpuset *b)
{
	for (int i = 0; i < VTC_CPUSET_WORDS; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

void vtc_cpuset_and(vtc_cpuset *dst, const vtc_cpuset *a, const vtc_cpuset *b)
{
	for (int i = 0; i < VTC_CPUSET_WORDS; i++)
		dst->w[i] = a->w[i] & b->w[i];
}

void vtc_cpuset_or(vtc_cpuset *dst, const vtc_cpuset *a, const vtc_cpuset *b)
{
	for (int i = 0; i < VTC_CPUSET_WORDS; i++)
		dst->w[i] = a->w[i] | b->w[i];
}

int vtc_cpuset_next(const vtc_cpuset *s, int cpu)
{
	int start = cpu + 1;
	if (start < 0)
		start = 0;
	for (int i = start / 64; i < VTC_CPUSET_WORDS; i++) {
		uint64_t w = s->w[i];
		if (i == start / 64)
			w &= ~UINT64_C(0) << (start % 64);
		if (w)
			return i * 64 + __builtin_ctzll(w);
	}
	return -1;
}

int vtc_cpuset_first(const vtc_cpuset *s)
{
	return vtc_cpuset_next(s, -1);
}

int vtc_cpuset_last(const vtc_cpuset *s)
{
	for (int i = VTC_CPUSET_WORDS - 1; i >= 0; i--)
		if (s->w[i])
			return i * 64 + 63 - __builtin_clzll(s->w[i]);
	return -1;
}

/* Parse one decimal CPU id; rejects signs, overflow and ids beyond the set. */
static int parse_id(const char **p, int *out)
{
	const char *s = *p;
	long v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s - '0');
		if (v >= VTC_CPUSET_MAX)
			return -ERANGE;
		s++;
	}
	*p = s;
	*out = (int)v;
	return 0;
}

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* One element: "N", "N-M" or "N-M:S" (stride, as the kernel accepts). */
static int parse_range(const char **p, vtc_cpuset *out)
{
	int lo, hi, stride = 1, rc;

	if ((rc = parse_id(p, &lo)))
		return rc;
	hi = lo;
	if (**p == '-') {
		(*p)++;
		if ((rc = parse_id(p, &hi)))
			return rc;
		if (hi < lo)
			return -EINVAL;
		if (**p == ':') {
			(*p)++;
			if ((rc = parse_id(p, &stride)))
				return rc;
			if (stride == 0)
				return -EINVAL;
		}
	}
	for (int c = lo; c <= hi; c += stride)
		vtc_cpuset_set(out, c);
	return 0;
}

int vtc_cpulist_parse(const char *text, vtc_cpuset *out)
{
	const char *p;
	int rc;

	vtc_cpuset_clear(out);
	if (!text)
		return -EINVAL;
	p = skip_space(text);
	if (*p == '\0')
		return 0;
	for (;;) {
		if ((rc = parse_range(&p, out)))
			return rc;
		if (*p != ',')
			break;
		p++;
	}
	return *skip_space(p) == '\0' ? 0 : -EINVAL;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Masks are written most significant word first; walk from the end. */
int vtc_cpumask_parse(const char *text, vtc_cpuset *out)
{
	const char *start, *end;
	int bit = 0, digits = 0;

	vtc_cpuset_clear(out);
	if (!text)
		return -EINVAL;
	start = skip_space(text);
	if (start[0] == '0' && (start[1] == 'x' || start[1] == 'X'))
		start += 2;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	for (const char *q = end; q > start; q--) {
		int v;
		if (q[-1] == ',')
			continue;
		v = hex_value(q[-1]);
		if (v < 0)
			return -EINVAL;
		for (int b = 0; b < 4; b++, bit++) {
			if (!(v >> b & 1))
				continue;
			if (bit >= VTC_CPUSET_MAX)
				return -ERANGE;
			vtc_cpuset_set(out, bit);
		}
		digits++;
	}
	return digits ? 0 : -EINVAL;
}

size_t vtc_cpulist_format(const vtc_cpuset *s, char *buf, size_t size)
{
	size_t len = 0;
	int c = vtc_cpuset_first(s);

	if (size)
		buf[0] = '\0';
	while (c >= 0) {
		int end = c, n;
		while (vtc_cpuset_test(s, end + 1))
			end++;
		char piece[32];
		if (end == c)
			n = snprintf(piece, sizeof(piece), "%s%d", len ? "," : "", c);
		else
			n = snprintf(piece, sizeof(piece), "%s%d-%d", len ? "," : "", c, end);
		if (len + (size_t)n < size)
			memcpy(buf + len, piece, (size_t)n + 1);
		else if (size && len < size)
			buf[len] = '\0';
		len += (size_t)n;
		c = vtc_cpuset_next(s, end);
	}
	return len;
}
