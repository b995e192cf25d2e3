/* procstat.c - pure parsers for /proc/stat's per-CPU lines and /proc/loadavg.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/advertised/procstat.h"

#define PROCSTAT_STEAL_FIELD 7 /* 0-based: user nice system idle iowait irq softirq steal */

/* Parse one "cpuN ..." line body starting after "cpu". Returns 0, -EINVAL or
 * -ENOENT (fewer than 8 fields); *@end is set past the line. */
static int parse_cpu_line(const char *p, const char **end, long *cpu,
			  uint64_t *steal, uint64_t *total)
{
	char *e;
	int field = 0;

	*cpu = strtol(p, &e, 10);
	if (e == p || *cpu < 0 || (*e != ' ' && *e != '\t'))
		return -EINVAL;
	p = e;
	*steal = *total = 0;
	while (*p && *p != '\n') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		errno = 0;
		unsigned long long v = strtoull(p, &e, 10);
		if (errno)
			return -EINVAL;
		p = e;
		if (field < PROCSTAT_STEAL_FIELD + 1)
			*total += v;
		if (field == PROCSTAT_STEAL_FIELD)
			*steal = v;
		field++;
	}
	*end = p;
	return field > PROCSTAT_STEAL_FIELD ? 0 : -ENOENT;
}

int vtc_procstat_parse(const char *text, int ncpus, uint64_t *steal, uint64_t *total)
{
	const char *p = text;
	bool any = false;

	if (!text || ncpus < 0 || (ncpus > 0 && (!steal || !total)))
		return -EINVAL;
	for (int i = 0; i < ncpus; i++)
		steal[i] = total[i] = 0;
	while (*p) {
		const char *end = p;
		if (strncmp(p, "cpu", 3) == 0 && isdigit((unsigned char)p[3])) {
			long cpu;
			uint64_t s, t;
			int rc = parse_cpu_line(p + 3, &end, &cpu, &s, &t);
			if (rc)
				return rc;
			any = true;
			if (cpu < ncpus) {
				steal[cpu] = s;
				total[cpu] = t;
			}
		}
		end = strchr(end, '\n');
		if (!end)
			break;
		p = end + 1;
	}
	return any ? 0 : -ENOENT;
}

double vtc_procstat_steal_pct(uint64_t steal0, uint64_t total0, uint64_t steal1, uint64_t total1)
{
	if (total1 <= total0 || steal1 < steal0)
		return -1.0;
	return 100.0 * (double)(steal1 - steal0) / (double)(total1 - total0);
}

int vtc_procstat_parse_loadavg(const char *text, int *running, int *total)
{
	if (!text || sscanf(text, "%*f %*f %*f %d/%d", running, total) != 2)
		return -EINVAL;
	return 0;
}
