/* cpuid.c - CPUID values held per CPU, read from an hwloc dump directory or
 * recorded live by probes/hw/cpuid_live.c.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/advertised/cpuid.h"
#include "src/grow.h"
#include "src/input.h"


struct rec {
	uint32_t mask;
	struct vtc_cpuid_regs in, out;
};

struct cpu_recs {
	int n, cap;
	struct rec *r;
};

struct vtc_cpuid_src {
	bool live;
	int ncpus; /* entries in cpu[]: highest CPU + 1 */
	vtc_cpuset cpus;
	struct cpu_recs *cpu;
};

static int recs_add(struct cpu_recs *c, uint32_t mask, const struct vtc_cpuid_regs *in,
		    const struct vtc_cpuid_regs *out)
{
	struct rec *n = vtc_grow(c->r, &c->cap, c->n, sizeof(*n), 64);

	if (!n)
		return -ENOMEM;
	c->r = n;
	c->r[c->n++] = (struct rec){ .mask = mask, .in = *in, .out = *out };
	return 0;
}

int vtc_cpuid_new(const vtc_cpuset *cpus, bool live, struct vtc_cpuid_src **out)
{
	struct vtc_cpuid_src *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->live = live;
	s->cpus = *cpus;
	s->ncpus = vtc_cpuset_last(cpus) + 1;
	s->cpu = calloc((size_t)(s->ncpus > 0 ? s->ncpus : 1), sizeof(*s->cpu));
	if (!s->cpu) {
		free(s);
		return -ENOMEM;
	}
	*out = s;
	return 0;
}

void vtc_cpuid_close(struct vtc_cpuid_src *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->ncpus; i++)
		free(s->cpu[i].r);
	free(s->cpu);
	free(s);
}

int vtc_cpuid_add(struct vtc_cpuid_src *s, int cpu, uint32_t mask,
		  const struct vtc_cpuid_regs *in, const struct vtc_cpuid_regs *out)
{
	if (!vtc_cpuset_test(&s->cpus, cpu) || cpu >= s->ncpus)
		return -ENODEV;
	return recs_add(&s->cpu[cpu], mask, in, out);
}

bool vtc_cpuid_is_live(const struct vtc_cpuid_src *s)
{
	return s->live;
}

const vtc_cpuset *vtc_cpuid_cpus(const struct vtc_cpuid_src *s)
{
	return &s->cpus;
}

/* ---- lookup --------------------------------------------------------------- */

static const struct rec *lookup(const struct cpu_recs *c, uint32_t leaf, uint32_t subleaf)
{
	for (int i = 0; i < c->n; i++) {
		const struct rec *r = &c->r[i];
		if (r->in.eax != leaf)
			continue;
		if ((r->mask & VTC_CPUID_MASK_ECX) && r->in.ecx != subleaf)
			continue;
		return r;
	}
	return NULL;
}

/* First leaf of @leaf's range. Hypervisor leaves come in blocks of 0x100
 * (KVM with Hyper-V enlightenments answers at 0x40000000 as Hyper-V and at
 * 0x40000100 as KVM), each with its own maximum. */
static uint32_t range_base(uint32_t leaf)
{
	return (leaf & 0xf0000000u) == 0x40000000u ? leaf & 0xffffff00u : leaf & 0xffff0000u;
}

/* Each range has its maximum in its first leaf; a recording may hold lines
 * beyond it (dumpers probe blindly), and a real CPU would not honour those. */
static uint32_t range_max(const struct cpu_recs *c, uint32_t leaf)
{
	const struct rec *r = lookup(c, range_base(leaf), 0);
	return r ? r->out.eax : 0;
}

int vtc_cpuid_query(const struct vtc_cpuid_src *s, int cpu, uint32_t leaf,
		    uint32_t subleaf, struct vtc_cpuid_regs *r)
{
	const struct cpu_recs *c;
	const struct rec *hit;

	memset(r, 0, sizeof(*r));
	if (!vtc_cpuset_test(&s->cpus, cpu) || cpu >= s->ncpus)
		return -ENODEV;
	c = &s->cpu[cpu];
	if (leaf != range_base(leaf) && leaf > range_max(c, leaf))
		return 0;
	hit = lookup(c, leaf, subleaf);
	if (hit)
		*r = hit->out;
	return 0;
}

/* ---- dump format -------------------------------------------------------- */

static int parse_hex(const char **p, uint32_t *v)
{
	char *end;
	unsigned long x;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (!isxdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	x = strtoul(*p, &end, 16);
	if (errno || x > UINT32_MAX)
		return -EINVAL;
	*p = end;
	*v = (uint32_t)x;
	return 0;
}

static int parse_regs(const char **p, struct vtc_cpuid_regs *r)
{
	uint32_t *v[4] = { &r->eax, &r->ebx, &r->ecx, &r->edx };

	for (int i = 0; i < 4; i++)
		if (parse_hex(p, v[i]) < 0)
			return -EINVAL;
	return 0;
}

int vtc_cpuid_parse_line(const char *line, uint32_t *mask, struct vtc_cpuid_regs *in,
			 struct vtc_cpuid_regs *outr)
{
	const char *p = line;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (parse_hex(&p, mask) < 0 || parse_regs(&p, in) < 0)
		return -EINVAL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "=>", 2) != 0)
		return -EINVAL;
	p += 2;
	if (parse_regs(&p, outr) < 0)
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	return *p == '\0' ? 1 : -EINVAL;
}

/* Where the last dump failed to load, for messages: the pu<N> file and,
 * for a bad line, its number and what was wrong. Thread-local like
 * sysfs.c's, so that threads never mix them. */
static _Thread_local char err_where[PATH_MAX + 96];

const char *vtc_cpuid_last_error(void)
{
	return err_where;
}

static int fail_at(int rc, const char *path, unsigned line, const char *what)
{
	if (line)
		snprintf(err_where, sizeof(err_where), "%s:%u: %s", path, line, what);
	else if (!what)
		snprintf(err_where, sizeof(err_where), "%s", path);
	else
		snprintf(err_where, sizeof(err_where), "%s: %s", path, what);
	return rc;
}

/* A dump line holds fewer characters than this (hwloc's are ~60). */
#define DUMP_LINE_MAX 511

static int load_line(const char *path, unsigned n, char *line, struct cpu_recs *c)
{
	struct vtc_cpuid_regs in, out;
	uint32_t mask;
	int k = vtc_cpuid_parse_line(line, &mask, &in, &out);

	if (k < 0)
		return fail_at(k, path, n, "not 'mask eax ebx ecx edx => eax ebx ecx edx' in hex");
	return k == 1 ? recs_add(c, mask, &in, &out) : 0;
}

/* The file through the one bounded reader (src/input.h): a FIFO, a device
 * or a directory named pu<N> is refused, never waited on or read without
 * end. */
static int load_file(const char *path, struct cpu_recs *c)
{
	char *text, *line, *end;
	unsigned n = 0;
	size_t len;
	int rc = vtc_input_read(path, VTC_INPUT_DUMP_MAX, &text, &len);

	if (rc) /* the reader's code says why (vtc_input_strerror) */
		return fail_at(rc, path, 0, NULL);
	for (line = text, end = text + len; rc == 0 && line < end; ) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t ll = (size_t)((nl ? nl : end) - line);

		n++;
		if (nl)
			*nl = '\0';
		/* A line longer than ours, or with a NUL byte, is not one of ours. */
		if (ll >= DUMP_LINE_MAX)
			rc = fail_at(-EINVAL, path, n, "line too long");
		else if (strlen(line) != ll)
			rc = fail_at(-EINVAL, path, n, "a NUL byte: not a text file");
		else
			rc = load_line(path, n, line, c);
		line = nl ? nl + 1 : end;
	}
	free(text);
	/* Without leaf 0 nothing else can be trusted (no vendor, no maximum):
	 * an empty or foreign file, not a CPU that answers zeros. */
	if (rc == 0 && !lookup(c, 0, 0))
		rc = fail_at(-EINVAL, path, 0, "no leaf 0 record");
	return rc;
}

/* "pu<decimal>" -> CPU number, -1 for any other name, -ERANGE too large. */
static int pu_number(const char *name)
{
	long v = 0;

	if (strncmp(name, "pu", 2) != 0 || !isdigit((unsigned char)name[2]))
		return -1;
	for (const char *p = name + 2; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
		if (v >= VTC_CPUSET_MAX)
			return -ERANGE;
	}
	return (int)v;
}

static int scan_dir(const char *dir, vtc_cpuset *cpus)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return -errno;
	vtc_cpuset_clear(cpus);
	while ((e = readdir(d)) != NULL) {
		int n = pu_number(e->d_name);
		if (n == -ERANGE)
			rc = -ERANGE;
		else if (n >= 0)
			vtc_cpuset_set(cpus, n);
	}
	closedir(d);
	if (rc == 0 && vtc_cpuset_empty(cpus))
		rc = -ENOENT;
	return rc;
}

static int open_dump(const char *dir, struct vtc_cpuid_src **out)
{
	struct vtc_cpuid_src *s;
	vtc_cpuset cpus;
	char path[PATH_MAX];
	int cpu, rc = scan_dir(dir, &cpus);

	if (rc < 0)
		return rc;
	rc = vtc_cpuid_new(&cpus, false, &s);
	if (rc < 0)
		return rc;
	vtc_cpuset_foreach(cpu, &cpus) {
		if (snprintf(path, sizeof(path), "%s/pu%d", dir, cpu) >= (int)sizeof(path))
			rc = fail_at(-ENAMETOOLONG, dir, 0, "path too long");
		else
			rc = load_file(path, &s->cpu[cpu]);
		if (rc < 0) {
			vtc_cpuid_close(s);
			return rc;
		}
	}
	*out = s;
	return 0;
}

int vtc_cpuid_write_dump(const struct vtc_cpuid_src *s, int cpu, FILE *f)
{
	const struct cpu_recs *c;

	if (!vtc_cpuset_test(&s->cpus, cpu) || cpu >= s->ncpus)
		return -ENODEV;
	c = &s->cpu[cpu];
	fprintf(f, "# mask e[abcd]x => e[abcd]x\n");
	for (int i = 0; i < c->n; i++) {
		const struct rec *r = &c->r[i];
		fprintf(f, "%x %x %x %x %x => %x %x %x %x\n", r->mask, r->in.eax, r->in.ebx,
			r->in.ecx, r->in.edx, r->out.eax, r->out.ebx, r->out.ecx, r->out.edx);
	}
	return ferror(f) ? -EIO : 0;
}

/* A recording only: the live instruction is probes/hw/cpuid_live.c's, and
 * the caller (src/cli/app.c) chooses between the two. */
int vtc_cpuid_open(const char *dump_dir, struct vtc_cpuid_src **out)
{
	*out = NULL;
	err_where[0] = '\0';
	if (!dump_dir || !*dump_dir)
		return -EINVAL;
	return open_dump(dump_dir, out);
}
