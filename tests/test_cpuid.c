/* test_cpuid.c - the CPUID source (dump and live), its topology decoder and
 * hypervisor identity, checked against hwloc's answers for recorded CPUs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/testutil.h"
#include "src/advertised/consist.h"
#include "src/advertised/cpuid.h"
#include "probes/hw/arch/arch.h"
#include "probes/hw/cpuid_live.h"
#include "src/advertised/platform.h"
#include "src/advertised/platform_sysfs.h"
#include "src/advertised/sysfs.h"
#include "src/advertised/topo_sysfs.h"
#include "src/advertised/topo_cpuid.h"
#include "src/input.h"

/* ---- failure injection for pinning (linked with --wrap) ----------------- */

int __real_sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask);
int __wrap_sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask);

static int pin_fail_errno; /* non-zero: the next pin fails with it, once */

int __wrap_sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask)
{
	if (pin_fail_errno) {
		errno = pin_fail_errno;
		pin_fail_errno = 0;
		return -1;
	}
	return __real_sched_setaffinity(pid, size, mask);
}

/* ---- helpers ------------------------------------------------------------- */

static void fixture(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/tests/data/%s", vtc_test_srcdir(), name);
}

static void fmt(const vtc_cpuset *s, char *buf, size_t size)
{
	vtc_cpulist_format(s, buf, size);
}

/* The groups of @level as "a-b|c-d|..." for readable assertions. */
static const char *groups_str(const struct vtc_topo *t, enum vtc_level l)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < t->groups[l].count && len < sizeof(buf) - 1; i++) {
		char one[512];
		fmt(&t->groups[l].set[i], one, sizeof(one));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "|" : "", one);
	}
	return buf;
}

static void decode_dir(const char *dir, struct vtc_topo *t, struct vtc_platform *p)
{
	struct vtc_cpuid_src *s;

	assert_int_equal(vtc_cpuid_open(dir, &s), 0);
	assert_int_equal(vtc_topo_cpuid_read(s, t), 0);
	if (p) {
		memset(p, 0, sizeof(*p));
		assert_int_equal(vtc_platform_read_cpuid(s, p), 0);
	}
	vtc_cpuid_close(s);
}

/* ---- dump parsing --------------------------------------------------------- */

static void test_parse_line(void **state)
{
	static const struct {
		const char *line;
		int rc;
	} cases[] = {
		{ "1 0 0 0 0 => d 68747541 444d4163 69746e65\n", 1 },
		{ "5 b 0 1 0 => 8 c0 201 0", 1 },
		{ "  5\tb 0 1 0 =>8 c0 201 0  \n", 1 },
		{ "# mask e[abcd]x => e[abcd]x\n", 0 },
		{ "\n", 0 },
		{ "", 0 },
		{ "1 0 0 0 0 -> 1 2 3 4", -EINVAL },
		{ "1 0 0 0 0 => 1 2 3", -EINVAL },
		{ "1 0 0 0 0 => 1 2 3 4 5", -EINVAL },
		{ "1 0 0 0 => 1 2 3 4", -EINVAL },
		{ "1 0 0 0 0 => 1 2 3 g", -EINVAL },
		{ "1 0 0 0 0 => 100000000 2 3 4", -EINVAL },
		{ "1 0 0 0 0 => -1 2 3 4", -EINVAL },
		{ "Architecture: x86", -EINVAL },
		{ "1 0 0 0 0", -EINVAL },
	};
	struct vtc_cpuid_regs in, out;
	uint32_t mask;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = vtc_cpuid_parse_line(cases[i].line, &mask, &in, &out);
		if (rc != cases[i].rc)
			fail_msg("\"%s\": got %d, want %d", cases[i].line, rc, cases[i].rc);
	}
	assert_int_equal(vtc_cpuid_parse_line("5 b 0 1 0 => 8 c0 201 7", &mask, &in, &out), 1);
	assert_int_equal(mask, 5);
	assert_int_equal(in.eax, 0xb);
	assert_int_equal(in.ecx, 1);
	assert_int_equal(out.ebx, 0xc0);
	assert_int_equal(out.edx, 7);
}

static void test_malformed_dumps(void **state)
{
	static const struct {
		const char *name;
		int rc;
	} cases[] = {
		{ "cpuid-bad-line", -EINVAL },   { "cpuid-bad-arrow", -EINVAL },
		{ "cpuid-truncated", -EINVAL },  { "cpuid-huge-value", -EINVAL },
		{ "cpuid-empty-dir", -ENOENT },  { "no-such-fixture", -ENOENT },
		{ "cpuid-no-leaf0", -EINVAL },
	};
	char dir[PATH_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtc_cpuid_src *s = (void *)1;
		int rc;

		fixture(dir, sizeof(dir), cases[i].name);
		rc = vtc_cpuid_open(dir, &s);
		if (rc != cases[i].rc)
			fail_msg("%s: got %d, want %d", cases[i].name, rc, cases[i].rc);
		assert_null(s);
	}
}

/* A failed dump names its pu<N> file and, for a bad line, the line. */
static void test_dump_error_location(void **state)
{
	static const struct {
		const char *name, *where;
	} cases[] = {
		{ "cpuid-bad-line", "/pu0:3: " },   { "cpuid-bad-arrow", "/pu0:1: " },
		{ "cpuid-truncated", "/pu0:1: " },  { "cpuid-huge-value", "/pu0:1: " },
		{ "cpuid-no-leaf0", "/pu0: no leaf 0" }, { "cpuid-empty-dir", NULL },
	};
	struct vtc_cpuid_src *ok;
	char dir[PATH_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtc_cpuid_src *s;
		const char *err;

		fixture(dir, sizeof(dir), cases[i].name);
		assert_true(vtc_cpuid_open(dir, &s) < 0);
		err = vtc_cpuid_last_error();
		if (!cases[i].where) {
			assert_string_equal(err, "");
			continue;
		}
		if (strncmp(err, dir, strlen(dir)) != 0 || !strstr(err, cases[i].where))
			fail_msg("%s: '%s' does not name '%s%s'", cases[i].name, err, dir,
				 cases[i].where);
	}
	/* A good dump clears the last error. */
	fixture(dir, sizeof(dir), "cpuid-legacy-ht");
	assert_int_equal(vtc_cpuid_open(dir, &ok), 0);
	assert_string_equal(vtc_cpuid_last_error(), "");
	vtc_cpuid_close(ok);
}

/* A pu file name beyond VTC_CPUSET_MAX and an overlong line. */
static void test_dump_limits(void **state)
{
	char dir[] = "/tmp/vtc-cpuid-XXXXXX", path[128];
	struct vtc_cpuid_src *s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pu99999", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("1 0 0 0 0 => 1 0 0 0\n", f);
	fclose(f);
	assert_int_equal(vtc_cpuid_open(dir, &s), -ERANGE);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/pu0", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("1 0 0 0 0 => 1 0 0 0", f);
	for (int i = 0; i < 1000; i++)
		fputs("        ", f);
	fputs("\n", f);
	fclose(f);
	assert_int_equal(vtc_cpuid_open(dir, &s), -EINVAL);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* pu1 of a good dump replaced by what is not a dump file: a FIFO blocked
 * open() forever, a directory read as "Input/output error", /dev/zero had
 * no end. Each is refused at once, naming pu1; a file over 1 MiB too. */
static void test_dump_not_files(void **state)
{
	static const char *const kinds[] = { "fifo", "dir", "/dev/zero", "/dev/urandom", "big" };
	char cmd[3 * PATH_MAX], dir[] = "/tmp/vtc-cpuid-XXXXXX", path[128], want[160];
	struct vtc_cpuid_src *s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/pu1", dir);
	alarm(20);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *k = kinds[i];
		int rc, want_rc = -VTC_INPUT_ENOTREG;
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'/* && cp '%s/tests/data/cpuid-legacy-ht'/pu* '%s'",
			 dir, vtc_test_srcdir(), dir);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(unlink(path), 0);
		if (strcmp(k, "fifo") == 0) {
			assert_int_equal(mkfifo(path, 0600), 0);
		} else if (strcmp(k, "dir") == 0) {
			assert_int_equal(mkdir(path, 0700), 0);
			want_rc = -EISDIR;
		} else if (strcmp(k, "big") == 0) {
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			assert_int_equal(ftruncate(fileno(f), (off_t)VTC_INPUT_DUMP_MAX + 1), 0);
			fclose(f);
			want_rc = -EFBIG;
		} else {
			assert_int_equal(symlink(k, path), 0);
		}
		print_message("pu1 as %s\n", k);
		rc = vtc_cpuid_open(dir, &s);
		if (rc == 0)
			vtc_cpuid_close(s);
		assert_int_equal(rc, want_rc);
		snprintf(want, sizeof(want), "%s/pu1", dir);
		assert_string_equal(vtc_cpuid_last_error(), want);
	}
	alarm(0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Missing leaves and leaves beyond the maximum read as zeros. */
static void test_query_ranges(void **state)
{
	char dir[PATH_MAX];
	struct vtc_cpuid_src *s;
	struct vtc_cpuid_regs r;

	(void)state;
	fixture(dir, sizeof(dir), "cpuid-legacy-ht");
	assert_int_equal(vtc_cpuid_open(dir, &s), 0);
	assert_false(vtc_cpuid_is_live(s));
	assert_int_equal(vtc_cpuid_query(s, 2, 1, 0, &r), 0);
	assert_int_equal(r.ebx, 0x01040800);
	/* the file has a 0xB line, but leaf 0 says the maximum is 4 */
	assert_int_equal(vtc_cpuid_query(s, 0, 0xb, 0, &r), 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(vtc_cpuid_query(s, 0, 2, 0, &r), 0); /* in range, not recorded */
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(vtc_cpuid_query(s, 0, 0x40000000, 0, &r), 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(vtc_cpuid_query(s, 0, 0x80000007, 0, &r), 0);
	assert_int_equal(r.edx, 0x100);
	assert_int_equal(vtc_cpuid_query(s, 0, 0x80000009, 0, &r), 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(vtc_cpuid_query(s, 0, 4, 1, &r), 0); /* subleaf matters */
	assert_int_equal(r.eax, 0x4004043);
	assert_int_equal(vtc_cpuid_query(s, 4, 0, 0, &r), -ENODEV);
	assert_int_equal(vtc_cpuid_query(s, -1, 0, 0, &r), -ENODEV);
	vtc_cpuid_close(s);
}

/* Pre-0xB Intel with HTT: leaf 1 logical count and leaf 4 cores. */
static void test_legacy_ht(void **state)
{
	char dir[PATH_MAX];
	struct vtc_topo t;
	struct vtc_platform p;

	(void)state;
	fixture(dir, sizeof(dir), "cpuid-legacy-ht");
	decode_dir(dir, &t, &p);
	assert_string_equal(t.source, "cpuid");
	assert_int_equal(vtc_cpuset_count(&t.online), 4);
	assert_string_equal(groups_str(&t, VTC_LEVEL_SMT), "0,2|1,3");
	assert_string_equal(groups_str(&t, VTC_LEVEL_PACKAGE), "0-3");
	assert_string_equal(groups_str(&t, VTC_LEVEL_DIE), "0-3");
	assert_string_equal(groups_str(&t, VTC_LEVEL_L1D), "0,2|1,3");
	assert_string_equal(groups_str(&t, VTC_LEVEL_L2), "0,2|1,3");
	assert_string_equal(groups_str(&t, VTC_LEVEL_L3), "0-3");
	assert_false(t.level_known[VTC_LEVEL_NUMA]);
	assert_false(t.level_known[VTC_LEVEL_CLUSTER]);
	assert_int_equal(t.cache_kib[VTC_LEVEL_L1D], 32);
	assert_int_equal(t.cache_kib[VTC_LEVEL_L2], 1024);
	assert_int_equal(t.cache_kib[VTC_LEVEL_L3], 4096);
	assert_int_equal(t.cpu[2].x2apic_id, 1);
	assert_int_equal(t.cpu[2].thread_id, 1);
	assert_int_equal(t.cpu[2].core_id, 0);
	assert_int_equal(t.cpu[1].core_id, 1);
	assert_int_equal(t.cpu[3].package_id, 0);
	assert_int_equal(t.ids_sharing[VTC_LEVEL_PACKAGE], 4);
	assert_int_equal(t.ids_sharing[VTC_LEVEL_L3], 4);
	assert_string_equal(p.cpuid_vendor, "GenuineIntel");
	assert_false(p.cpuid_hypervisor);
	assert_string_equal(p.hv_cpuid_vendor, "");
	assert_true(p.cpuid_invariant_tsc);
	assert_int_equal(p.tsc_khz, 0);
	vtc_platform_identify(&p);
	assert_string_equal(p.hypervisor, "none");
	vtc_topo_free(&t);
}

/* Random register values in every leaf the decoder reads must never crash
 * it or produce an inconsistent model (run under ASan/UBSan in CI). */
static void test_random_dumps(void **state)
{
	static const uint32_t leaves[] = { 1, 4, 0xb, 0x1f, 0x15, 0x16, 0x40000000, 0x40000010,
					   0x40000100, 0x40000110, 0x80000000, 0x80000001,
					   0x80000007, 0x80000008, 0x8000001d, 0x8000001e,
					   0x80000026 };
	static const char *const vendors[] = { "756e6547 6c65746e 49656e69",
					       "68747541 444d4163 69746e65",
					       "6f677948 656e6975 6e65476e", "0 0 0" };
	char dir[] = "/tmp/vtc-cpuid-XXXXXX", path[64];
	unsigned seed = 12345;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int iter = 0; iter < 300; iter++) {
		struct vtc_cpuid_src *s;
		struct vtc_topo t;
		struct vtc_platform p;

		for (int cpu = 0; cpu < 4; cpu++) {
			FILE *f;
			snprintf(path, sizeof(path), "%s/pu%d", dir, cpu);
			f = fopen(path, "w");
			assert_non_null(f);
			fprintf(f, "1 0 0 0 0 => %x %s\n", (unsigned)rand_r(&seed) % 0x22,
				vendors[iter % 4]);
			for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
				for (unsigned sub = 0; sub < 5; sub++)
					fprintf(f, "5 %x 0 %x 0 => %x %x %x %x\n", leaves[i], sub,
						(unsigned)rand_r(&seed) ^ ((unsigned)rand_r(&seed) << 16),
						(unsigned)rand_r(&seed) ^ ((unsigned)rand_r(&seed) << 16),
						(unsigned)rand_r(&seed) ^ ((unsigned)rand_r(&seed) << 16),
						(unsigned)rand_r(&seed) ^ ((unsigned)rand_r(&seed) << 16));
			assert_int_equal(fclose(f), 0);
		}
		assert_int_equal(vtc_cpuid_open(dir, &s), 0);
		assert_int_equal(vtc_topo_cpuid_read(s, &t), 0);
		memset(&p, 0, sizeof(p));
		assert_int_equal(vtc_platform_read_cpuid(s, &p), 0);
		vtc_platform_identify(&p);
		vtc_cpuid_close(s);
		assert_int_equal(vtc_cpuset_count(&t.online), 4);
		for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
			int n = 0;
			for (int g = 0; g < t.groups[l].count; g++)
				n += vtc_cpuset_count(&t.groups[l].set[g]);
			assert_int_equal(n, t.level_known[l] ? 4 : 0);
		}
		vtc_topo_free(&t);
	}
	for (int cpu = 0; cpu < 4; cpu++) {
		snprintf(path, sizeof(path), "%s/pu%d", dir, cpu);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* ---- hwloc's recorded CPUs -------------------------------------------------- */

/* hwloc object types we compare, and our level for each. */
static const struct {
	const char *type;
	enum vtc_level level;
	bool required; /* we must know this level whenever hwloc has it */
} xml_types[] = {
	{ "Core", VTC_LEVEL_SMT, true },      { "Package", VTC_LEVEL_PACKAGE, true },
	{ "Die", VTC_LEVEL_DIE, false },      { "L3Cache", VTC_LEVEL_L3, true },
	{ "L2Cache", VTC_LEVEL_L2, true },    { "L1Cache", VTC_LEVEL_L1D, true },
};
#define NTYPES (sizeof(xml_types) / sizeof(xml_types[0]))

/* Where hwloc and we legitimately see a level differently. */
/* Where hwloc and we legitimately see a level differently: none today.
 * Add { case, hwloc type, why } with the reason when one is understood. */
static const struct {
	const char *xml_case;
	const char *type;
	const char *why;
} known_differences[] = {
	{ "", "", "" },
};

static const char *known_difference(const char *xml_case, const char *type)
{
	for (size_t i = 0; i < sizeof(known_differences) / sizeof(known_differences[0]); i++)
		if (strcmp(known_differences[i].xml_case, xml_case) == 0 &&
		    strcmp(known_differences[i].type, type) == 0)
			return known_differences[i].why;
	return NULL;
}

struct xml_topo {
	vtc_cpuset pus;
	bool has[NTYPES];
	int *id[NTYPES]; /* per CPU: index of its enclosing object, -1 none */
	int ncpus;
};

static char *attr(const char *tag, const char *name, char *buf, size_t size)
{
	char key[32];
	const char *p, *e;

	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(tag, key);
	if (!p)
		return NULL;
	p += strlen(key);
	e = strchr(p, '"');
	if (!e || (size_t)(e - p) >= size)
		return NULL;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return buf;
}

/* Minimal hwloc XML reader: a stack of open <object>s; each PU records, per
 * compared type, the serial number of the innermost enclosing object. */
static void xml_read(const char *path, struct xml_topo *x)
{
	char *text = vtc_test_slurp(path, NULL), *p = text;
	int stack[64], depth = 0, serial = 0;
	int type_of[4096]; /* serial -> xml_types index, -1 other */

	memset(x, 0, sizeof(*x));
	x->ncpus = VTC_CPUSET_MAX;
	for (size_t k = 0; k < NTYPES; k++) {
		x->id[k] = malloc(VTC_CPUSET_MAX * sizeof(int));
		assert_non_null(x->id[k]);
		for (int c = 0; c < VTC_CPUSET_MAX; c++)
			x->id[k][c] = -1;
	}
	while ((p = strstr(p, "<")) != NULL) {
		char *end = strchr(p, '>'), type[32], idx[16];
		bool self;

		assert_non_null(end);
		*end = '\0';
		if (strncmp(p, "</object", 8) == 0) {
			assert_true(depth > 0);
			depth--;
		} else if (strncmp(p, "<object ", 8) == 0) {
			assert_non_null(attr(p, "type", type, sizeof(type)));
			self = end[-1] == '/';
			if (strcmp(type, "PU") == 0) {
				int cpu;
				assert_non_null(attr(p, "os_index", idx, sizeof(idx)));
				cpu = atoi(idx);
				assert_in_range(cpu, 0, VTC_CPUSET_MAX - 1);
				vtc_cpuset_set(&x->pus, cpu);
				for (int d = 0; d < depth; d++)
					if (type_of[stack[d]] >= 0)
						x->id[type_of[stack[d]]][cpu] = stack[d];
			}
			assert_in_range(serial, 0, 4095);
			type_of[serial] = -1;
			for (size_t k = 0; k < NTYPES; k++)
				if (strcmp(type, xml_types[k].type) == 0) {
					type_of[serial] = (int)k;
					x->has[k] = true;
				}
			if (!self) {
				assert_in_range(depth, 0, 63);
				stack[depth++] = serial;
			}
			serial++;
		}
		p = end + 1;
	}
	assert_int_equal(depth, 0);
	free(text);
}

static void xml_free(struct xml_topo *x)
{
	for (size_t k = 0; k < NTYPES; k++)
		free(x->id[k]);
}

/* Compare one level; returns the number of CPUs whose group differs. */
static int compare_level(const char *name, const struct xml_topo *x, size_t k,
			 const struct vtc_topo *t)
{
	enum vtc_level l = xml_types[k].level;
	int cpu, bad = 0;

	if (!t->level_known[l]) {
		print_message("%s: %s: hwloc has it, decoder does not know it\n", name,
			      xml_types[k].type);
		return 1;
	}
	vtc_cpuset_foreach(cpu, &x->pus) {
		vtc_cpuset want;
		int other, at = vtc_groups_find(&t->groups[l], cpu);

		vtc_cpuset_clear(&want);
		vtc_cpuset_foreach(other, &x->pus)
			if (x->id[k][other] == x->id[k][cpu])
				vtc_cpuset_set(&want, other);
		if (x->id[k][cpu] < 0) /* not inside such an object: alone */
			vtc_cpuset_clear(&want), vtc_cpuset_set(&want, cpu);
		if (at < 0 || !vtc_cpuset_equal(&want, &t->groups[l].set[at])) {
			char a[512] = "?", b[512];
			if (at >= 0)
				fmt(&t->groups[l].set[at], a, sizeof(a));
			fmt(&want, b, sizeof(b));
			if (bad++ == 0)
				print_message("%s: %s of cpu %d: decoded %s, hwloc %s\n", name,
					      xml_types[k].type, cpu, a, b);
		}
	}
	return bad;
}

static int check_hwloc_case(const char *dir, const char *name)
{
	char path[PATH_MAX + 300];
	struct vtc_test_unpacked u;
	struct xml_topo x;
	struct vtc_topo t;
	int failed = 0;

	snprintf(path, sizeof(path), "%s/%s.tar.bz2", dir, name);
	assert_int_equal(vtc_test_unpack(path, true, &u), 0);
	decode_dir(u.root, &t, NULL);
	snprintf(path, sizeof(path), "%s/%s.xml", dir, name);
	xml_read(path, &x);
	if (!vtc_cpuset_equal(&x.pus, &t.online)) {
		print_message("%s: PU set differs\n", name);
		failed++;
	}
	for (size_t k = 0; k < NTYPES; k++) {
		const char *why = known_difference(name, xml_types[k].type);
		int bad;

		if (!x.has[k])
			continue;
		if (!xml_types[k].required && !t.level_known[xml_types[k].level] && !why)
			continue;
		bad = compare_level(name, &x, k, &t);
		if (why && bad == 0) {
			print_message("%s: %s matches now; drop it from known_differences\n", name,
				      xml_types[k].type);
			failed++;
		} else if (!why) {
			failed += bad != 0;
		}
	}
	/* Real hardware: no cache wider than its package (no leak false
	 * positive from rounded-up "max ids sharing", e.g. Nehalem's 16 ids for
	 * 8 CPUs), and a model agrees with itself. */
	{
		struct vtc_findings fs = { 0 };
		assert_int_equal(vtc_consist_check(&t, &t, NULL, &fs), 0);
		for (int i = 0; i < fs.count; i++)
			print_message("%s: unexpected finding: %s\n", name, fs.item[i].evidence);
		failed += fs.count != 0;
		vtc_findings_free(&fs);
	}
	print_message("%s: %d PUs, %d cores, %d packages, %d L3%s\n", name,
		      vtc_cpuset_count(&t.online), t.groups[VTC_LEVEL_SMT].count,
		      t.groups[VTC_LEVEL_PACKAGE].count, t.groups[VTC_LEVEL_L3].count,
		      failed ? " FAILED" : "");
	xml_free(&x);
	vtc_topo_free(&t);
	vtc_test_unpacked_free(&u);
	return failed;
}

static void test_corpus_hwloc_x86(void **state)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int cases = 0, failed = 0;

	(void)state;
	if (!vtc_test_corpus())
		skip();
	snprintf(dir, sizeof(dir), "%s/hwloc-x86-cpuid", vtc_test_corpus());
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		char name[256];

		if (n <= 4 || strcmp(de->d_name + n - 4, ".xml") != 0 || n - 4 >= sizeof(name))
			continue;
		memcpy(name, de->d_name, n - 4);
		name[n - 4] = '\0';
		cases++;
		failed += check_hwloc_case(dir, name) != 0;
	}
	closedir(d);
	assert_true(cases >= 13); /* Intel Nehalem..SPR, Raptor Lake, QEMU 0x1F, Zen 1-5, Hygon */
	assert_int_equal(failed, 0);
}

/* Details hwloc's XML does not pin down: dies of the QEMU 0x1F guest, AMD
 * node ids, hybrid L2, ids. */
static void test_corpus_details(void **state)
{
	char path[PATH_MAX];
	struct vtc_test_unpacked u;
	struct vtc_topo t;
	struct vtc_platform p;

	(void)state;
	if (!vtc_test_corpus())
		skip();
	snprintf(path, sizeof(path), "%s/hwloc-x86-cpuid/Intel-CPUID.1F-Qemu-2p3d3c2t.tar.bz2",
		 vtc_test_corpus());
	assert_int_equal(vtc_test_unpack(path, true, &u), 0);
	decode_dir(u.root, &t, &p);
	assert_int_equal(t.groups[VTC_LEVEL_DIE].count, 6);
	assert_int_equal(t.groups[VTC_LEVEL_SMT].count, 18);
	assert_int_equal(t.cpu[7].die_id, 1);
	assert_int_equal(t.cpu[7].package_id, 0);
	assert_int_equal(t.cpu[35].package_id, 1);
	assert_string_equal(p.cpuid_vendor, "GenuineIntel");
	vtc_topo_free(&t);
	vtc_test_unpacked_free(&u);

	/* Zen 4: twelve CCDs per package from 0x80000026. */
	snprintf(path, sizeof(path), "%s/hwloc-x86-cpuid/AMD-19h-Zen4-2xEpyc-9654.tar.bz2",
		 vtc_test_corpus());
	assert_int_equal(vtc_test_unpack(path, true, &u), 0);
	decode_dir(u.root, &t, &p);
	assert_int_equal(t.groups[VTC_LEVEL_DIE].count, 24);
	assert_false(t.level_known[VTC_LEVEL_NUMA]);
	assert_int_equal(t.ids_sharing[VTC_LEVEL_PACKAGE], 256);
	vtc_topo_free(&t);
	vtc_test_unpacked_free(&u);

	/* Zen 1: four dies per package, each its own node in 0x8000001E. */
	snprintf(path, sizeof(path), "%s/hwloc-x86-cpuid/AMD-17h-Zen-2xEpyc-7451.tar.bz2",
		 vtc_test_corpus());
	assert_int_equal(vtc_test_unpack(path, true, &u), 0);
	decode_dir(u.root, &t, &p);
	assert_true(t.level_known[VTC_LEVEL_NUMA]);
	assert_int_equal(t.groups[VTC_LEVEL_NUMA].count, 8);
	assert_false(t.level_known[VTC_LEVEL_DIE]);
	assert_int_equal(t.cache_kib[VTC_LEVEL_L3], 8192);
	assert_string_equal(p.cpuid_vendor, "AuthenticAMD");
	assert_false(p.cpuid_hypervisor);
	vtc_topo_free(&t);
	vtc_test_unpacked_free(&u);

	/* Raptor Lake: P-core L2 per core, E-core L2 per module of four. */
	snprintf(path, sizeof(path), "%s/hwloc-x86-cpuid/Intel-RaptorLake-Corei7-1370P.tar.bz2",
		 vtc_test_corpus());
	assert_int_equal(vtc_test_unpack(path, true, &u), 0);
	decode_dir(u.root, &t, &p);
	assert_int_equal(t.groups[VTC_LEVEL_L2].count, 8);
	assert_int_equal(t.groups[VTC_LEVEL_SMT].count, 14);
	assert_int_equal(vtc_cpuset_count(&t.cpu[19].siblings[VTC_LEVEL_L2]), 4);
	assert_int_equal(t.ids_sharing[VTC_LEVEL_L2], 8);
	assert_int_equal(t.ids_sharing[VTC_LEVEL_PACKAGE], 128);
	vtc_topo_free(&t);
	vtc_test_unpacked_free(&u);
}

/* A Firecracker/KVM guest: 16 single-thread cores, KVM only in CPUID. */
static void test_cloud_fc16(void **state)
{
	char path[PATH_MAX];
	struct vtc_test_unpacked u;
	struct vtc_topo t;
	struct vtc_platform p;

	(void)state;
	if (!vtc_test_corpus())
		skip();
	snprintf(path, sizeof(path), "%s/cloud-vm/fc16-emr.cpuid.tar.gz", vtc_test_corpus());
	assert_int_equal(vtc_test_unpack(path, true, &u), 0);
	decode_dir(u.root, &t, &p);
	assert_int_equal(vtc_cpuset_count(&t.online), 16);
	assert_int_equal(t.groups[VTC_LEVEL_SMT].count, 16);
	assert_string_equal(groups_str(&t, VTC_LEVEL_PACKAGE), "0-15");
	assert_string_equal(groups_str(&t, VTC_LEVEL_L3), "0-15");
	assert_int_equal(t.ids_sharing[VTC_LEVEL_L3], 16);
	assert_int_equal(t.ids_sharing[VTC_LEVEL_PACKAGE], 32);
	assert_true(p.cpuid_hypervisor);
	assert_string_equal(p.hv_cpuid_vendor, "KVMKVMKVM");
	/* no DMI, no /sys/hypervisor: only CPUID can tell */
	vtc_platform_identify(&p);
	assert_string_equal(p.hypervisor, "kvm");
	assert_non_null(strstr(p.hypervisor_evidence, "CPUID hypervisor signature"));
	/* an unpinned guest, honestly without the dedicated-vCPU hint */
	assert_int_equal(p.kvm_hint_dedicated, VTC_HINT_NO);
	vtc_topo_free(&t);
	vtc_test_unpacked_free(&u);
}

/* ---- hypervisor identity ------------------------------------------------------ */

static void test_identify(void **state)
{
	static const struct {
		const char *sig, *hvtype, *vendor, *product;
		bool flag, cpuid_hv, cpuid;
		const char *want, *evidence;
	} cases[] = {
		{ "KVMKVMKVM", "", "QEMU", "Standard PC", true, true, true, "kvm", "CPUID" },
		{ "TCGTCGTCGTCG", "", "QEMU", "", true, true, true, "qemu-tcg", "CPUID" },
		{ "Microsoft Hv", "", "Microsoft Corporation", "Virtual Machine", true, true, true,
		  "hyperv", "CPUID" },
		{ "VMwareVMware", "", "", "", true, true, true, "vmware", "CPUID" },
		{ "XenVMMXenVMM", "xen", "Xen", "HVM domU", true, true, true, "xen", "CPUID" },
		{ "bhyve bhyve ", "", "", "", true, true, true, "bhyve", "CPUID" },
		{ "ACRNACRNACRN", "", "", "", true, true, true, "acrn", "CPUID" },
		{ "NoSuchHyperv", "", "QEMU", "", true, true, true, "unknown", "'NoSuchHyperv'" },
		{ "", "xen", "Xen", "", true, false, false, "xen", "/sys/hypervisor" },
		{ "", "", "Microsoft Corporation", "Virtual Machine", true, false, false, "hyperv",
		  "DMI" },
		{ "", "", "Microsoft Corporation", "Surface Laptop", false, false, true, "none", "" },
		{ "", "", "Amazon EC2", "m5.large", true, false, false, "kvm", "Amazon" },
		{ "", "", "Google", "Google Compute Engine", true, false, false, "kvm", "DMI" },
		{ "", "", "VMware, Inc.", "VMware Virtual Platform", false, false, false, "vmware",
		  "DMI" },
		{ "", "", "QEMU", "", false, false, false, "qemu", "DMI" },
		{ "", "", "Dell Inc.", "PowerEdge R640", true, false, false, "unknown",
		  "cpuinfo" },
		{ "", "", "", "", false, true, true, "unknown", "leaf 1" },
		{ "", "", "Dell Inc.", "PowerEdge R640", false, false, true, "none", "" },
		{ "", "", "", "", false, false, false, "unknown", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtc_platform p;

		memset(&p, 0, sizeof(p));
		snprintf(p.hv_cpuid_vendor, sizeof(p.hv_cpuid_vendor), "%s", cases[i].sig);
		snprintf(p.sys_hypervisor_type, sizeof(p.sys_hypervisor_type), "%s", cases[i].hvtype);
		snprintf(p.dmi_sys_vendor, sizeof(p.dmi_sys_vendor), "%s", cases[i].vendor);
		snprintf(p.dmi_product_name, sizeof(p.dmi_product_name), "%s", cases[i].product);
		p.flag_hypervisor = cases[i].flag;
		p.cpuid_hypervisor = cases[i].cpuid_hv;
		p.cpuid_available = cases[i].cpuid;
		vtc_platform_identify(&p);
		if (strcmp(p.hypervisor, cases[i].want) != 0 ||
		    !strstr(p.hypervisor_evidence, cases[i].evidence))
			fail_msg("case %zu: got %s (%s), want %s (%s)", i, p.hypervisor,
				 p.hypervisor_evidence, cases[i].want, cases[i].evidence);
	}
}

static void test_tsc_from_hv_leaf(void **state)
{
	char dir[PATH_MAX];
	struct vtc_topo t;
	struct vtc_platform p;

	(void)state;
	fixture(dir, sizeof(dir), "cpuid-l3-leak");
	decode_dir(dir, &t, &p);
	assert_string_equal(p.hv_cpuid_vendor, "KVMKVMKVM");
	assert_int_equal(p.tsc_khz, 3000000);
	assert_string_equal(p.tsc_khz_source, "cpuid-0x40000010");
	assert_false(p.cpuid_invariant_tsc);
	vtc_topo_free(&t);
}

/* KVM posing as Hyper-V at 0x40000000 names itself at 0x40000100; the TSC
 * leaf is KVM's (0x40000110), not whatever sits at 0x40000010. */
static void test_kvm_with_hyperv_leaves(void **state)
{
	char dir[PATH_MAX];
	struct vtc_topo t;
	struct vtc_platform p;

	(void)state;
	fixture(dir, sizeof(dir), "cpuid-kvm-hyperv");
	decode_dir(dir, &t, &p);
	assert_string_equal(p.hv_cpuid_vendor, "KVMKVMKVM");
	assert_int_equal(p.tsc_khz, 2100000);
	assert_string_equal(p.tsc_khz_source, "cpuid-0x40000010");
	assert_true(p.cpuid_invariant_tsc);
	vtc_platform_identify(&p);
	assert_string_equal(p.hypervisor, "kvm");
	assert_string_equal(groups_str(&t, VTC_LEVEL_PACKAGE), "0-1");
	vtc_topo_free(&t);
}

/* KVM's dedicated-vCPU hint (0x40000001 EDX[0]) from dumps: set, clear at
 * a KVM block behind Hyper-V's, a block without the features leaf, and a
 * dump with no hypervisor leaves at all (unknown, not "no"). */
static void test_kvm_hint_dumps(void **state)
{
	static const struct {
		const char *fixture;
		enum vtc_hint want;
	} cases[] = {
		{ "cpuid-kvm-dedicated", VTC_HINT_YES },
		{ "cpuid-kvm-hyperv", VTC_HINT_NO },
		{ "cpuid-l3-leak", VTC_HINT_NO },
		{ "cpuid-legacy-ht", VTC_HINT_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char dir[PATH_MAX];
		struct vtc_topo t;
		struct vtc_platform p;

		fixture(dir, sizeof(dir), cases[i].fixture);
		decode_dir(dir, &t, &p);
		if (p.kvm_hint_dedicated != cases[i].want)
			fail_msg("%s: hint %d, want %d", cases[i].fixture, p.kvm_hint_dedicated,
				 cases[i].want);
		vtc_topo_free(&t);
	}
}

/* ---- TSC facts over a fake source --------------------------------------------- */

struct fake_leaf {
	uint32_t leaf, eax, ebx, ecx, edx;
};

/* A one-CPU source answering @n leaves (subleaf 0), built like a recorder. */
static struct vtc_cpuid_src *fake_src(const struct fake_leaf *l, size_t n)
{
	struct vtc_cpuid_src *s;
	vtc_cpuset one;

	vtc_cpuset_clear(&one);
	vtc_cpuset_set(&one, 0);
	assert_int_equal(vtc_cpuid_new(&one, false, &s), 0);
	for (size_t i = 0; i < n; i++) {
		struct vtc_cpuid_regs in = { .eax = l[i].leaf };
		struct vtc_cpuid_regs out = { l[i].eax, l[i].ebx, l[i].ecx, l[i].edx };
		assert_int_equal(vtc_cpuid_add(s, 0, VTC_CPUID_MASK_EAX, &in, &out), 0);
	}
	return s;
}

/* Signatures as CPUID returns them in EBX, ECX, EDX. */
#define SIG_HV 0x7263694d, 0x666f736f, 0x76482074 /* "Microsoft Hv" */
#define SIG_KVM 0x4b4d564b, 0x564b4d56, 0x4d      /* "KVMKVMKVM" */
#define SIG_XEN 0x566e6558, 0x65584d4d, 0x4d4d566e /* "XenVMMXenVMM" */

/* One decoder for the report and the timer: which hypervisor block gives
 * the TSC frequency, 0x15's ratio in whole Hz, 0x16's MHz. */
static void test_tsc_decoder(void **state)
{
	/* KVM with Hyper-V enlightenments: KVM's leaf is 0x40000110, not the
	 * Hyper-V block's 0x40000010 (here a decoy). */
	static const struct fake_leaf kvm_hv[] = {
		{ 0, 0x16, 0, 0, 0 }, { 1, 0, 0, 0x80000000u, 0 }, { 0x15, 2, 176, 24000000, 0 },
		{ 0x40000000, 0x40000010, SIG_HV }, { 0x40000010, 999, 0, 0, 0 },
		{ 0x40000100, 0x40000110, SIG_KVM }, { 0x40000110, 2100000, 0, 0, 0 },
		{ 0x80000000, 0x80000007, 0, 0, 0 }, { 0x80000007, 0, 0, 0, 0x100 },
	};
	/* Behind Hyper-V's block something else (Xen with viridian): no
	 * hypervisor timing leaf at all; 0x15 then. */
	static const struct fake_leaf xen_hv[] = {
		{ 0, 0x16, 0, 0, 0 }, { 1, 0, 0, 0x80000000u, 0 }, { 0x15, 2, 176, 24000000, 0 },
		{ 0x40000000, 0x40000010, SIG_HV }, { 0x40000010, 999, 0, 0, 0 },
		{ 0x40000100, 0x40000110, SIG_XEN }, { 0x40000110, 2100000, 0, 0, 0 },
	};
	/* Hypervisor leaves without the hypervisor bit are not believed;
	 * 0x15 without a crystal frequency falls to 0x16. */
	static const struct fake_leaf bare[] = {
		{ 0, 0x16, 0, 0, 0 }, { 1, 0, 0, 0, 0 }, { 0x15, 2, 176, 0, 0 }, { 0x16, 2900, 0, 0, 0 },
		{ 0x40000000, 0x40000010, SIG_KVM }, { 0x40000010, 2100000, 0, 0, 0 },
	};
	/* 0x15 gives a ratio: 25000000 * 7 / 3 Hz truncates to whole Hz. */
	static const struct fake_leaf ratio[] = {
		{ 0, 0x15, 0, 0, 0 }, { 1, 0, 0, 0, 0 }, { 0x15, 3, 7, 25000000, 0 },
	};
	static const struct {
		const struct fake_leaf *l;
		size_t n;
		uint64_t hz;
		const char *source, *sig;
		bool invariant;
	} cases[] = {
		{ kvm_hv, 9, 2100000000ull, "cpuid-0x40000010", "KVMKVMKVM", true },
		{ xen_hv, 7, 2112000000ull, "cpuid-0x15", "Microsoft Hv", false },
		{ bare, 6, 2900000000ull, "cpuid-0x16", "", false },
		{ ratio, 3, 58333333ull, "cpuid-0x15", "", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtc_cpuid_src *s = fake_src(cases[i].l, cases[i].n);
		struct vtc_platform p;
		const char *source = NULL;

		assert_int_equal(vtc_cpuid_tsc_hz(s, 0, &source), cases[i].hz);
		assert_string_equal(source, cases[i].source);
		assert_int_equal(vtc_cpuid_invariant_tsc(s, 0), cases[i].invariant);
		/* the report's facts come from the same decoder */
		memset(&p, 0, sizeof(p));
		assert_int_equal(vtc_platform_read_cpuid(s, &p), 0);
		assert_int_equal(p.tsc_khz, cases[i].hz / 1000);
		assert_string_equal(p.tsc_khz_source, cases[i].source);
		assert_string_equal(p.hv_cpuid_vendor, cases[i].sig);
		assert_int_equal(vtc_platform_tsc_invariant(&p), cases[i].invariant);
		vtc_cpuid_close(s);
	}
}

/* The KVM block is found as Linux's kvm_cpuid_base() finds it: by its full
 * signature in any block of 0x100 up to 0x4000ff00, and only with the
 * hypervisor bit; the hints are that block's, never another's. */
static void test_kvm_hint_search(void **state)
{
	/* Hyper-V's 0x40000001 (a decoy with bit 0 set) is not KVM's. */
	static const struct fake_leaf kvm_hv[] = {
		{ 0, 0xd, 0, 0, 0 }, { 1, 0, 0, 0x80000000u, 0 },
		{ 0x40000000, 0x40000010, SIG_HV }, { 0x40000001, 0x31237648, 0, 0, 1 },
		{ 0x40000100, 0x40000110, SIG_KVM }, { 0x40000101, 0x1007efb, 0, 0, 1 },
	};
	static const struct fake_leaf hv_decoy[] = {
		{ 0, 0xd, 0, 0, 0 }, { 1, 0, 0, 0x80000000u, 0 },
		{ 0x40000000, 0x40000010, SIG_HV }, { 0x40000001, 0x31237648, 0, 0, 1 },
		{ 0x40000100, 0x40000110, SIG_KVM }, { 0x40000101, 0x1007efb, 0, 0, 0 },
	};
	/* A block further up (a third hypervisor layer) still counts. */
	static const struct fake_leaf far[] = {
		{ 0, 0xd, 0, 0, 0 }, { 1, 0, 0, 0x80000000u, 0 },
		{ 0x40000200, 0x40000201, SIG_KVM }, { 0x40000201, 0, 0, 0, 1 },
	};
	/* Other hints (PV unhalt...) without bit 0 are no promise. */
	static const struct fake_leaf other_bits[] = {
		{ 0, 0xd, 0, 0, 0 }, { 1, 0, 0, 0x80000000u, 0 },
		{ 0x40000000, 0x40000001, SIG_KVM }, { 0x40000001, 0x1007efb, 0, 0, 0x6 },
	};
	/* Without the hypervisor bit KVM's leaves are not believed. */
	static const struct fake_leaf bare[] = {
		{ 0, 0xd, 0, 0, 0 }, { 1, 0, 0, 0, 0 },
		{ 0x40000000, 0x40000001, SIG_KVM }, { 0x40000001, 0, 0, 0, 1 },
	};
	static const struct fake_leaf xen[] = {
		{ 0, 0xd, 0, 0, 0 }, { 1, 0, 0, 0x80000000u, 0 },
		{ 0x40000000, 0x40000001, SIG_XEN }, { 0x40000001, 0, 0, 0, 1 },
	};
	static const struct {
		const struct fake_leaf *l;
		size_t n;
		uint32_t base;
		enum vtc_hint want;
	} cases[] = {
		{ kvm_hv, 6, 0x40000100, VTC_HINT_YES },
		{ hv_decoy, 6, 0x40000100, VTC_HINT_NO },
		{ far, 4, 0x40000200, VTC_HINT_YES },
		{ other_bits, 4, 0x40000000, VTC_HINT_NO },
		{ bare, 4, 0, VTC_HINT_UNKNOWN },
		{ xen, 4, 0, VTC_HINT_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vtc_cpuid_src *s = fake_src(cases[i].l, cases[i].n);
		struct vtc_platform p;
		uint32_t hints = 0xdead;

		assert_int_equal(vtc_cpuid_kvm_base(s, 0), cases[i].base);
		assert_int_equal(vtc_cpuid_kvm_hints(s, 0, &hints), cases[i].base ? 0 : -ENOENT);
		if (!cases[i].base)
			assert_int_equal(hints, 0);
		memset(&p, 0, sizeof(p));
		assert_int_equal(vtc_platform_read_cpuid(s, &p), 0);
		if (p.kvm_hint_dedicated != cases[i].want)
			fail_msg("case %zu: hint %d, want %d", i, p.kvm_hint_dedicated, cases[i].want);
		vtc_cpuid_close(s);
	}
}

/* The invariance rule: CPUID's bit, or both cpuinfo flags. */
static void test_tsc_invariant_rule(void **state)
{
	struct vtc_platform p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_false(vtc_platform_tsc_invariant(&p));
	p.flag_constant_tsc = true;
	assert_false(vtc_platform_tsc_invariant(&p));
	p.flag_nonstop_tsc = true;
	assert_true(vtc_platform_tsc_invariant(&p));
	memset(&p, 0, sizeof(p));
	p.cpuid_invariant_tsc = true;
	assert_true(vtc_platform_tsc_invariant(&p));
}

/* ---- live -------------------------------------------------------------------- */

static int get_mask(vtc_cpuset *out)
{
	cpu_set_t m;
	CPU_ZERO(&m);
	if (sched_getaffinity(0, sizeof(m), &m) != 0)
		return -errno;
	vtc_cpuset_clear(out);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &m))
			vtc_cpuset_set(out, c);
	return 0;
}

/* The kernel's own view of one CPU's group, for cross-checking. */
static bool kernel_group(int cpu, const char *file, vtc_cpuset *out)
{
	char path[128], buf[4096];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, file);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, sizeof(buf), f) && vtc_cpulist_parse(buf, out) == 0;
	fclose(f);
	return ok;
}

static void test_live(void **state)
{
	struct vtc_cpuid_src *s;
	struct vtc_topo t;
	struct vtc_platform p;
	vtc_cpuset before, after;
	int cpu;

	(void)state;
	if (!vtc_arch_has_cpuid()) {
		assert_int_equal(vtc_cpuid_live_open(&s), -ENOTSUP);
		skip();
	}
	assert_int_equal(get_mask(&before), 0);
	assert_int_equal(vtc_cpuid_live_open(&s), 0);
	assert_int_equal(get_mask(&after), 0);
	assert_true(vtc_cpuset_equal(&before, &after)); /* mask restored */
	assert_true(vtc_cpuid_is_live(s));
	assert_true(vtc_cpuset_equal(vtc_cpuid_cpus(s), &before));
	assert_int_equal(vtc_topo_cpuid_read(s, &t), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_read_cpuid(s, &p), 0);
	assert_true(p.cpuid_available);
	assert_true(p.cpuid_vendor[0] != '\0');
	assert_true(t.level_known[VTC_LEVEL_SMT]);
	assert_true(t.level_known[VTC_LEVEL_PACKAGE]);
	vtc_cpuset_foreach(cpu, &t.online) {
		vtc_cpuset k, mine;
		int other;

		/* every CPU answered with its own APIC id */
		vtc_cpuset_foreach(other, &t.online)
			if (other != cpu)
				assert_true(t.cpu[other].x2apic_id != t.cpu[cpu].x2apic_id);
		/* and the kernel, which read the same CPUID at boot, agrees */
		if (kernel_group(cpu, "thread_siblings_list", &k)) {
			vtc_cpuset_and(&k, &k, &t.online);
			vtc_cpuset_and(&mine, &t.cpu[cpu].siblings[VTC_LEVEL_SMT], &t.online);
			assert_true(vtc_cpuset_equal(&k, &mine));
		}
		if (kernel_group(cpu, "core_siblings_list", &k) ||
		    kernel_group(cpu, "package_cpus_list", &k)) {
			vtc_cpuset_and(&k, &k, &t.online);
			vtc_cpuset_and(&mine, &t.cpu[cpu].siblings[VTC_LEVEL_PACKAGE], &t.online);
			assert_true(vtc_cpuset_equal(&k, &mine));
		}
	}
	print_message("live: %d CPUs, %d cores, %d packages, vendor %s, hypervisor sig '%s'\n",
		      vtc_cpuset_count(&t.online), t.groups[VTC_LEVEL_SMT].count,
		      t.groups[VTC_LEVEL_PACKAGE].count, p.cpuid_vendor, p.hv_cpuid_vendor);
	vtc_topo_free(&t);
	vtc_cpuid_close(s);
}

/* The development VM: cpu0 and cpu1 are separate single-thread cores. */
static void test_live_this_machine(void **state)
{
	struct vtc_cpuid_src *s;
	struct vtc_topo t;
	vtc_cpuset mask, k;

	(void)state;
	assert_int_equal(get_mask(&mask), 0);
	if (!vtc_arch_has_cpuid() || vtc_cpuset_count(&mask) != 2 || !vtc_cpuset_test(&mask, 0) ||
	    !vtc_cpuset_test(&mask, 1) || !kernel_group(0, "thread_siblings_list", &k) ||
	    vtc_cpuset_count(&k) != 1)
		skip(); /* only meaningful on a 2-vCPU guest without SMT */
	assert_int_equal(vtc_cpuid_live_open(&s), 0);
	assert_int_equal(vtc_topo_cpuid_read(s, &t), 0);
	assert_string_equal(groups_str(&t, VTC_LEVEL_SMT), "0|1");
	assert_int_equal(t.groups[VTC_LEVEL_SMT].count, 2);
	vtc_topo_free(&t);
	vtc_cpuid_close(s);
}

/* Pinning errors come back as they are, and the mask is restored. */
static void test_live_pin_errors(void **state)
{
	static const int errs[] = { EPERM, EINVAL };
	vtc_cpuset before, after;

	(void)state;
	if (!vtc_arch_has_cpuid())
		skip();
	assert_int_equal(get_mask(&before), 0);
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		struct vtc_cpuid_src *s = (void *)1;

		pin_fail_errno = errs[i];
		assert_int_equal(vtc_cpuid_live_open(&s), -errs[i]);
		assert_null(s);
		assert_int_equal(get_mask(&after), 0);
		assert_true(vtc_cpuset_equal(&before, &after));
	}
}

/* The timer's one-CPU recording answers the uniform facts like the full
 * live source. */
static void test_live_here(void **state)
{
	struct vtc_cpuid_src *all, *here;
	const char *s1, *s2;
	int cpu;

	(void)state;
	if (!vtc_arch_has_cpuid()) {
		assert_int_equal(vtc_cpuid_live_here(&here, &cpu), -ENOTSUP);
		skip();
	}
	assert_int_equal(vtc_cpuid_live_here(&here, &cpu), 0);
	assert_true(vtc_cpuid_is_live(here));
	assert_int_equal(vtc_cpuset_count(vtc_cpuid_cpus(here)), 1);
	assert_true(vtc_cpuset_test(vtc_cpuid_cpus(here), cpu));
	assert_int_equal(vtc_cpuid_live_open(&all), 0);
	int first = vtc_cpuset_first(vtc_cpuid_cpus(all));
	assert_int_equal(vtc_cpuid_tsc_hz(here, cpu, &s1), vtc_cpuid_tsc_hz(all, first, &s2));
	assert_string_equal(s1, s2);
	assert_int_equal(vtc_cpuid_invariant_tsc(here, cpu), vtc_cpuid_invariant_tsc(all, first));
	vtc_cpuid_close(all);
	vtc_cpuid_close(here);
}

/* A live recording written as a dump decodes to the same topology. */
static void test_live_roundtrip(void **state)
{
	char dir[] = "/tmp/vtc-cpuid-XXXXXX", path[128], cmd[160];
	struct vtc_cpuid_src *s;
	struct vtc_topo live, dumped;
	int cpu;

	(void)state;
	if (!vtc_arch_has_cpuid())
		skip();
	assert_non_null(mkdtemp(dir));
	assert_int_equal(vtc_cpuid_live_open(&s), 0);
	assert_int_equal(vtc_topo_cpuid_read(s, &live), 0);
	vtc_cpuset_foreach(cpu, vtc_cpuid_cpus(s)) {
		FILE *f;
		snprintf(path, sizeof(path), "%s/pu%d", dir, cpu);
		f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(vtc_cpuid_write_dump(s, cpu, f), 0);
		assert_int_equal(fclose(f), 0);
	}
	vtc_cpuid_close(s);
	decode_dir(dir, &dumped, NULL);
	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		assert_int_equal(live.level_known[l], dumped.level_known[l]);
		if (live.level_known[l])
			assert_true(vtc_topo_level_equal(&live, &dumped, (enum vtc_level)l));
	}
	vtc_topo_free(&live);
	vtc_topo_free(&dumped);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* This machine: the kernel read the same CPUID at boot, so its SMT and
 * package groups must match the live decode. */
/* The decoder opens recordings only; the live source is cpuid_live's. */
static void test_open_needs_a_dump(void **state)
{
	struct vtc_cpuid_src *s = (struct vtc_cpuid_src *)1;

	(void)state;
	assert_int_equal(vtc_cpuid_open(NULL, &s), -EINVAL);
	assert_null(s);
	assert_int_equal(vtc_cpuid_open("", &s), -EINVAL);
}

static void test_live_agrees_with_sysfs(void **state)
{
	struct vtc_sysfs fs;
	struct vtc_cpuid_src *s;
	struct vtc_topo a, b;
	struct vtc_platform p;
	struct vtc_findings out = { 0 };

	(void)state;
	if (vtc_cpuid_live_open(&s) == -ENOTSUP)
		skip(); /* no CPUID on this architecture */
	assert_non_null(s);
	assert_int_equal(vtc_topo_cpuid_read(s, &b), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_read_cpuid(s, &p), 0);
	vtc_cpuid_close(s);
	assert_int_equal(vtc_sysfs_init(&fs, "/"), 0);
	assert_int_equal(vtc_topo_read_sysfs(&fs, &a), 0);
	assert_int_equal(vtc_platform_read_sysfs(&fs, &p), 0);
	vtc_platform_identify(&p);
	assert_int_equal(vtc_consist_check(&a, &b, &p, &out), 0);
	for (int i = 0; i < out.count; i++) {
		print_message("%s\n", out.item[i].evidence);
		assert_null(strstr(out.item[i].evidence, "smt groups"));
		assert_null(strstr(out.item[i].evidence, "package groups"));
	}
	print_message("live: hypervisor %s (%s), %d finding(s)\n", p.hypervisor,
		      p.hypervisor_evidence, out.count);
	vtc_findings_free(&out);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_needs_a_dump),
		cmocka_unit_test(test_live_agrees_with_sysfs),
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_malformed_dumps),
		cmocka_unit_test(test_dump_error_location),
		cmocka_unit_test(test_dump_limits),
		cmocka_unit_test(test_dump_not_files),
		cmocka_unit_test(test_query_ranges),
		cmocka_unit_test(test_legacy_ht),
		cmocka_unit_test(test_random_dumps),
		cmocka_unit_test(test_corpus_hwloc_x86),
		cmocka_unit_test(test_corpus_details),
		cmocka_unit_test(test_cloud_fc16),
		cmocka_unit_test(test_identify),
		cmocka_unit_test(test_tsc_from_hv_leaf),
		cmocka_unit_test(test_kvm_with_hyperv_leaves),
		cmocka_unit_test(test_kvm_hint_dumps),
		cmocka_unit_test(test_tsc_decoder),
		cmocka_unit_test(test_kvm_hint_search),
		cmocka_unit_test(test_tsc_invariant_rule),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_live_this_machine),
		cmocka_unit_test(test_live_pin_errors),
		cmocka_unit_test(test_live_here),
		cmocka_unit_test(test_live_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
