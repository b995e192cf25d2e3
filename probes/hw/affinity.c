/* affinity.c - pinning and placement checks.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "probes/hw/affinity.h"

static int parse_id(const char *p, char **end)
{
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(p, end, 10);
	if (errno || v >= VTC_CPUSET_MAX)
		return -ERANGE;
	return (int)v;
}

int vtc_pin_map_parse(const char *text, struct vtc_pin_map *map)
{
	const char *p = text;
	char *e;

	memset(map, 0, sizeof(*map));
	if (!text || !*text)
		return 0;
	for (;;) {
		int from = parse_id(p, &e), to;
		if (from < 0)
			return from;
		if (*e != ':')
			return -EINVAL;
		to = parse_id(e + 1, &e);
		if (to < 0)
			return to;
		if (map->n == VTC_PIN_MAP_MAX)
			return -ERANGE;
		map->from[map->n] = from;
		map->to[map->n++] = to;
		if (*e == '\0')
			return 0;
		if (*e != ',')
			return -EINVAL;
		p = e + 1;
	}
}

int vtc_pin_map_apply(const struct vtc_pin_map *map, int cpu)
{
	if (map)
		for (int i = 0; i < map->n; i++)
			if (map->from[i] == cpu)
				return map->to[i];
	return cpu;
}

/* One sched_getaffinity with a mask of @bits CPUs. */
static int get_mask(int bits, vtc_cpuset *out)
{
	cpu_set_t *set = CPU_ALLOC(bits);
	size_t size = CPU_ALLOC_SIZE(bits);
	int rc = 0;

	vtc_cpuset_clear(out);
	if (!set)
		return -ENOMEM;
	CPU_ZERO_S(size, set);
	if (sched_getaffinity(0, size, set) != 0) {
		rc = -errno;
	} else {
		for (int c = 0; c < bits; c++)
			if (CPU_ISSET_S(c, size, set))
				vtc_cpuset_set(out, c);
	}
	CPU_FREE(set);
	return rc;
}

int vtc_affinity_allowed(vtc_cpuset *out)
{
	/* The kernel refuses (EINVAL) a mask shorter than its possible CPUs
	 * (nr_cpu_ids), whatever the process may use: a fixed 1024-CPU
	 * cpu_set_t fails on larger machines. Start there and double. */
	for (int bits = CPU_SETSIZE; bits <= VTC_CPUSET_MAX; bits *= 2) {
		int rc = get_mask(bits, out);
		if (rc != -EINVAL)
			return rc;
	}
	return -ERANGE;
}

int vtc_affinity_set(const vtc_cpuset *cpus)
{
	cpu_set_t *set = CPU_ALLOC(VTC_CPUSET_MAX);
	size_t size = CPU_ALLOC_SIZE(VTC_CPUSET_MAX);
	int cpu, rc = 0;

	if (!set)
		return -ENOMEM;
	CPU_ZERO_S(size, set);
	vtc_cpuset_foreach(cpu, cpus)
		CPU_SET_S((size_t)cpu, size, set);
	/* pid 0 = the calling thread, not the whole process. */
	if (sched_setaffinity(0, size, set) != 0)
		rc = -errno;
	CPU_FREE(set);
	return rc;
}

int vtc_affinity_pin_self(int cpu)
{
	vtc_cpuset one;
	int rc;

	if (cpu < 0 || cpu >= VTC_CPUSET_MAX)
		return -EINVAL;
	vtc_cpuset_clear(&one);
	vtc_cpuset_set(&one, cpu);
	rc = vtc_affinity_set(&one);
	if (rc == 0 && sched_getcpu() != cpu)
		rc = -EAGAIN;
	return rc;
}

int vtc_affinity_current(void)
{
	int c = sched_getcpu();
	return c < 0 ? -errno : c;
}
