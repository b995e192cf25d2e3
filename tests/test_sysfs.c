/* test_sysfs.c - the prefixed reader, the sysfs topology source and the
 * platform facts, on hand-written fixtures, recorded machines and this one.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "tests/testutil.h"
#include "src/advertised/platform_sysfs.h"
#include "src/advertised/sysfs.h"
#include "src/advertised/topo_sysfs.h"
#include "src/input.h"
#include "src/vtc.h"

/* ---- helpers ------------------------------------------------------------ */

static void fixture_root(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/tests/data/%s", vtc_test_srcdir(), name);
}

/* Read a fixture; returns the reader's status and leaves @t to free. */
static int read_fixture(const char *name, struct vtc_topo *t)
{
	struct vtc_sysfs fs;
	char root[PATH_MAX];

	fixture_root(root, sizeof(root), name);
	assert_int_equal(vtc_sysfs_init(&fs, root), 0);
	assert_false(fs.live);
	return vtc_topo_read_sysfs(&fs, t);
}

/* Groups of one level as "a,b c,d": every member spelled out, groups in
 * the order build_groups gives (ascending lowest member). */
static void groups_text(const struct vtc_topo *t, enum vtc_level l, char *buf, size_t size)
{
	size_t len = 0;
	int cpu;

	buf[0] = '\0';
	if (!t->level_known[l]) {
		snprintf(buf, size, "(unknown)");
		return;
	}
	for (int g = 0; g < t->groups[l].count; g++) {
		const char *sep = g ? " " : "";
		vtc_cpuset_foreach(cpu, &t->groups[l].set[g]) {
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%d", sep, cpu);
			sep = ",";
		}
	}
}

static void assert_groups(const struct vtc_topo *t, enum vtc_level l, const char *want)
{
	char got[1 << 14];

	groups_text(t, l, got, sizeof(got));
	assert_string_equal(got, want);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

/* ---- the prefixed reader ------------------------------------------------ */

struct tmp { char dir[256]; struct vtc_sysfs fs; };

static int tmp_setup(void **state)
{
	static struct tmp tmp;

	if ((size_t)snprintf(tmp.dir, sizeof(tmp.dir), "%s/vtc-sysfs-XXXXXX", vtc_test_scratch_dir()) >=
	    sizeof(tmp.dir) || !mkdtemp(tmp.dir))
		return -1;
	if (vtc_sysfs_init(&tmp.fs, tmp.dir) < 0)
		return -1;
	*state = &tmp;
	return 0;
}

static int tmp_teardown(void **state)
{
	rm_tree(((struct tmp *)*state)->dir);
	return 0;
}

static void test_init(void **state)
{
	struct tmp *tmp = *state;
	struct vtc_sysfs fs;
	char path[PATH_MAX];

	assert_int_equal(vtc_sysfs_init(&fs, NULL), 0);
	assert_true(fs.live);
	assert_string_equal(fs.root, "/");
	assert_int_equal(vtc_sysfs_init(&fs, "/"), 0);
	assert_true(fs.live);
	assert_int_equal(vtc_sysfs_init(&fs, "/nonexistent-vtc-root"), -ENOENT);
	assert_int_equal(write_file(tmp->dir, "plain", "x"), 0);
	snprintf(path, sizeof(path), "%s/plain", tmp->dir);
	assert_int_equal(vtc_sysfs_init(&fs, path), -ENOTDIR);
	/* no trailing slash given: one is added, leading slashes of paths dropped */
	assert_int_equal(vtc_sysfs_init(&fs, tmp->dir), 0);
	assert_false(fs.live);
	assert_int_equal(vtc_sysfs_path(&fs, path, sizeof(path), "/sys/%s", "x"), 0);
	assert_true(strstr(path, "XXXXXX") == NULL);
	assert_true(strlen(path) > 6 && strcmp(path + strlen(path) - 6, "/sys/x") == 0);
	assert_int_equal(vtc_sysfs_path(&fs, path, 8, "sys/devices"), -ENAMETOOLONG);
}

static void test_read_str(void **state)
{
	struct tmp *tmp = *state;
	char buf[8];

	assert_int_equal(write_file(tmp->dir, "s", "  KVM \n"), 0);
	assert_int_equal(vtc_sysfs_read_str(&tmp->fs, buf, sizeof(buf), "s"), 0);
	assert_string_equal(buf, "KVM");
	assert_int_equal(write_file(tmp->dir, "long", "0123456789"), 0);
	assert_int_equal(vtc_sysfs_read_str(&tmp->fs, buf, sizeof(buf), "long"), -EOVERFLOW);
	assert_string_equal(buf, "");
	assert_int_equal(write_file(tmp->dir, "exact", "0123456"), 0);
	assert_int_equal(vtc_sysfs_read_str(&tmp->fs, buf, sizeof(buf), "exact"), 0);
	assert_string_equal(buf, "0123456");
	assert_int_equal(vtc_sysfs_read_str(&tmp->fs, buf, sizeof(buf), "missing"), -ENOENT);
	assert_int_equal(vtc_sysfs_read_str(&tmp->fs, buf, sizeof(buf), "."), -EISDIR);
	assert_int_equal(vtc_sysfs_read_str(&tmp->fs, buf, 0, "s"), -EINVAL);
	assert_true(vtc_sysfs_exists(&tmp->fs, "s"));
	assert_false(vtc_sysfs_exists(&tmp->fs, "missing"));
}

static void test_read_int(void **state)
{
	static const struct { const char *text; int rc, value; } cases[] = {
		{ "42\n", 0, 42 }, { "-1", 0, -1 }, { " 7 ", 0, 7 }, { "2560", 0, 2560 },
		{ "", -EINVAL, 0 }, { "abc", -EINVAL, 0 }, { "12abc", -EINVAL, 0 },
		{ "+3", -EINVAL, 0 }, { "1 2", -EINVAL, 0 }, { "-", -EINVAL, 0 },
		{ "99999999999", -ERANGE, 0 },
		{ "1234567890123456789012345678901234567890123456789012345678901234567890",
		  -EINVAL, 0 },
	};
	struct tmp *tmp = *state;

	for (size_t i = 0; i < VTC_ARRAY_SIZE(cases); i++) {
		int v = -12345;
		assert_int_equal(write_file(tmp->dir, "i", cases[i].text), 0);
		assert_int_equal(vtc_sysfs_read_int(&tmp->fs, &v, "i"), cases[i].rc);
		assert_int_equal(v, cases[i].rc ? -12345 : cases[i].value);
	}
	assert_int_equal(vtc_sysfs_read_int(&tmp->fs, &(int){ 0 }, "missing"), -ENOENT);
}

static void test_read_sets(void **state)
{
	struct tmp *tmp = *state;
	vtc_cpuset s;
	char buf[64];

	assert_int_equal(write_file(tmp->dir, "l", "0-3,8\n"), 0);
	assert_int_equal(vtc_sysfs_read_cpulist(&tmp->fs, &s, "l"), 0);
	vtc_cpulist_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0-3,8");
	assert_int_equal(write_file(tmp->dir, "l", "\n"), 0);
	assert_int_equal(vtc_sysfs_read_cpulist(&tmp->fs, &s, "l"), 0);
	assert_true(vtc_cpuset_empty(&s));
	assert_int_equal(write_file(tmp->dir, "l", "0-3,x"), 0);
	assert_int_equal(vtc_sysfs_read_cpulist(&tmp->fs, &s, "l"), -EINVAL);
	assert_true(vtc_cpuset_empty(&s));
	assert_int_equal(write_file(tmp->dir, "l", "5000"), 0);
	assert_int_equal(vtc_sysfs_read_cpulist(&tmp->fs, &s, "l"), -ERANGE);
	assert_int_equal(vtc_sysfs_read_cpulist(&tmp->fs, &s, "nope"), -ENOENT);
	assert_int_equal(write_file(tmp->dir, "m", "00000000,0000000f,00000001\n"), 0);
	assert_int_equal(vtc_sysfs_read_cpumask(&tmp->fs, &s, "m"), 0);
	vtc_cpulist_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0,32-35");
	assert_int_equal(write_file(tmp->dir, "m", "0g"), 0);
	assert_int_equal(vtc_sysfs_read_cpumask(&tmp->fs, &s, "m"), -EINVAL);
}

static void test_read_kib(void **state)
{
	static const struct { const char *text; int rc; long kib; } cases[] = {
		{ "32K\n", 0, 32 }, { "8M", 0, 8192 }, { "1G", 0, 1048576 }, { "2048", 0, 2 },
		{ "", -EINVAL, 0 }, { "big", -EINVAL, 0 }, { "32KB", -EINVAL, 0 },
		{ "-4K", -EINVAL, 0 }, { "99999999999999K", -ERANGE, 0 },
	};
	struct tmp *tmp = *state;

	for (size_t i = 0; i < VTC_ARRAY_SIZE(cases); i++) {
		long kib = -7;
		assert_int_equal(write_file(tmp->dir, "size", cases[i].text), 0);
		assert_int_equal(vtc_sysfs_read_kib(&tmp->fs, &kib, "size"), cases[i].rc);
		assert_int_equal(kib, cases[i].rc ? -7 : cases[i].kib);
	}
}

/* The failing file is named for main.c's message; absence is no failure. */
static void test_last_error(void **state)
{
	struct tmp *tmp = *state;
	const char *e;
	int v;

	assert_int_equal(write_file(tmp->dir, "bad", "zz"), 0);
	assert_int_equal(write_file(tmp->dir, "good", "1"), 0);
	assert_int_equal(vtc_sysfs_read_int(&tmp->fs, &v, "bad"), -EINVAL);
	assert_int_equal(vtc_sysfs_read_int(&tmp->fs, &v, "good"), 0);
	assert_int_equal(vtc_sysfs_read_int(&tmp->fs, &v, "missing"), -ENOENT);
	e = vtc_sysfs_last_error();
	assert_true(strncmp(e, tmp->dir, strlen(tmp->dir)) == 0);
	assert_string_equal(e + strlen(tmp->dir), "/bad");
	assert_int_equal(vtc_sysfs_fail(&tmp->fs, -EINVAL, "x/%d", 3), -EINVAL);
	assert_string_equal(vtc_sysfs_last_error() + strlen(tmp->dir), "/x/3");
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static void test_scan_ids(void **state)
{
	static const char *const names[] = { "cpu0", "cpu12", "cpufreq", "cpu01", "cpu", "cpu3x" };
	struct tmp *tmp = *state;
	char path[PATH_MAX], buf[32];
	vtc_cpuset s;

	snprintf(path, sizeof(path), "%s/scan", tmp->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < VTC_ARRAY_SIZE(names); i++)
		assert_int_equal(write_file(path, names[i], ""), 0);
	assert_int_equal(vtc_sysfs_scan_ids(&tmp->fs, &s, "cpu", "scan"), 0);
	vtc_cpulist_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "0,12");
	assert_int_equal(write_file(path, "cpu4096", ""), 0);
	assert_int_equal(vtc_sysfs_scan_ids(&tmp->fs, &s, "cpu", "scan"), -ERANGE);
	assert_int_equal(vtc_sysfs_scan_ids(&tmp->fs, &s, "cpu", "nodir"), -ENOENT);
}

/* ---- hand-written fixtures ---------------------------------------------- */

static void test_fixture_offline_cpu(void **state)
{
	struct vtc_topo t;
	char buf[64];
	(void)state;

	assert_int_equal(read_fixture("sysfs-offline-cpu", &t), 0);
	assert_string_equal(t.source, "sysfs");
	assert_int_equal(t.ncpus, 4);
	vtc_cpulist_format(&t.online, buf, sizeof(buf));
	assert_string_equal(buf, "0,2-3");
	assert_true(vtc_cpuset_equal(&t.allowed, &t.online));
	assert_true(t.cpu[1].present);
	assert_false(t.cpu[1].online);
	assert_int_equal(t.cpu[1].core_id, -1);
	assert_groups(&t, VTC_LEVEL_SMT, "0 2,3");
	assert_groups(&t, VTC_LEVEL_CLUSTER, "0 2,3");
	assert_groups(&t, VTC_LEVEL_DIE, "0,2,3");
	assert_groups(&t, VTC_LEVEL_PACKAGE, "0,2,3");
	assert_groups(&t, VTC_LEVEL_L3, "0,2,3");
	assert_groups(&t, VTC_LEVEL_NUMA, "0,2,3");
	assert_groups(&t, VTC_LEVEL_L1D, "(unknown)");
	assert_int_equal(t.cache_kib[VTC_LEVEL_L3], 16384);
	assert_int_equal(t.cpu[3].thread_id, 1);
	assert_int_equal(t.cpu[2].thread_id, 0);
	assert_int_equal(t.cpu[0].thread_id, 0);
	assert_int_equal(t.cpu[3].core_id, 1);
	assert_int_equal(t.cpu[3].numa_node, 0);
	vtc_topo_free(&t);
}

/* No possible/present/online files, masks instead of lists, no die, cluster
 * or core_cpus files, no NUMA: what 2.6-era kernels export. */
static void test_fixture_old_kernel(void **state)
{
	struct vtc_topo t;
	char buf[64];
	(void)state;

	assert_int_equal(read_fixture("sysfs-old-kernel", &t), 0);
	assert_int_equal(t.ncpus, 4);
	vtc_cpulist_format(&t.online, buf, sizeof(buf));
	assert_string_equal(buf, "0-3");
	vtc_cpulist_format(&t.possible, buf, sizeof(buf));
	assert_string_equal(buf, "0-3");
	assert_groups(&t, VTC_LEVEL_SMT, "0 1 2 3");
	assert_groups(&t, VTC_LEVEL_PACKAGE, "0,1 2,3");
	assert_groups(&t, VTC_LEVEL_L1D, "0 1 2 3");
	assert_groups(&t, VTC_LEVEL_L2, "0,1 2,3");
	assert_groups(&t, VTC_LEVEL_DIE, "(unknown)");
	assert_groups(&t, VTC_LEVEL_CLUSTER, "(unknown)");
	assert_groups(&t, VTC_LEVEL_L3, "(unknown)");
	assert_groups(&t, VTC_LEVEL_NUMA, "(unknown)");
	assert_int_equal(t.cache_kib[VTC_LEVEL_L1D], 32);
	assert_int_equal(t.cache_kib[VTC_LEVEL_L2], 4096);
	assert_int_equal(t.cache_kib[VTC_LEVEL_L3], 0);
	assert_int_equal(t.cpu[3].package_id, 1);
	assert_int_equal(t.cpu[3].core_id, 1);
	assert_int_equal(t.cpu[3].die_id, -1);
	assert_int_equal(t.cpu[3].numa_node, -1);
	vtc_topo_free(&t);
}

/* An online CPU without a topology directory: its levels become unknown,
 * the read itself succeeds. */
static void test_fixture_no_topology(void **state)
{
	struct vtc_topo t;
	(void)state;

	assert_int_equal(read_fixture("sysfs-no-topology", &t), 0);
	assert_int_equal(vtc_cpuset_count(&t.online), 2);
	assert_int_equal(t.cpu[1].core_id, -1);
	assert_true(vtc_cpuset_empty(&t.cpu[1].siblings[VTC_LEVEL_SMT]));
	assert_false(t.level_known[VTC_LEVEL_SMT]);
	assert_false(t.level_known[VTC_LEVEL_PACKAGE]);
	vtc_topo_free(&t);
}

static void test_fixture_bad_input(void **state)
{
	static const struct { const char *name; int rc; const char *file; } cases[] = {
		{ "sysfs-online-empty", -EINVAL, "/cpu/online" },
		{ "sysfs-online-garbage", -EINVAL, "/cpu/online" },
		{ "sysfs-online-truncated", -EINVAL, "/cpu/online" },
		{ "sysfs-bad-siblings", -EINVAL, "/cpu1/topology/thread_siblings_list" },
		{ ".", -ENOENT, "/sys/devices/system/cpu" }, /* tests/data has none */
	};
	(void)state;

	for (size_t i = 0; i < VTC_ARRAY_SIZE(cases); i++) {
		struct vtc_topo t;
		int rc = read_fixture(cases[i].name, &t);
		if (rc != cases[i].rc)
			fail_msg("%s: got %d, want %d", cases[i].name, rc, cases[i].rc);
		assert_null(t.cpu); /* released on error */
		if (cases[i].file && !ends_with(vtc_sysfs_last_error(), cases[i].file))
			fail_msg("%s: failed file \"%s\"", cases[i].name, vtc_sysfs_last_error());
	}
}

/* Garbage in an id file or a cache attribute of a recorded tree is an error,
 * not a silently wrong model. Built at test time from the good fixture. */
static void test_bad_ids(void **state)
{
	static const struct { const char *file, *text; } cases[] = {
		{ "cpu/cpu2/topology/core_id", "x1" },
		{ "cpu/cpu2/topology/physical_package_id", "" },
		{ "cpu/cpu2/cache/index3/size", "big" },
		{ "cpu/cpu2/cache/index3/level", "three" },
		{ "node/node0/cpulist", "0-" },
	};
	struct tmp *tmp = *state;
	char cmd[3 * PATH_MAX], dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/sys/devices/system", tmp->dir);
	for (size_t i = 0; i < VTC_ARRAY_SIZE(cases); i++) {
		struct vtc_topo t;
		snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys' && cp -r '%s/tests/data/sysfs-offline-cpu/sys' '%s/'"
			 " && chmod -R u+w '%s/sys'", tmp->dir, vtc_test_srcdir(), tmp->dir, tmp->dir);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(vtc_topo_read_sysfs(&tmp->fs, &t), 0);
		vtc_topo_free(&t);
		assert_int_equal(write_file(dir, cases[i].file, cases[i].text), 0);
		if (vtc_topo_read_sysfs(&tmp->fs, &t) != -EINVAL)
			fail_msg("%s = \"%s\" was accepted", cases[i].file, cases[i].text);
		assert_true(ends_with(vtc_sysfs_last_error(), cases[i].file));
	}
}

/* ---- what is not a file --------------------------------------------------- */

enum special { FIFO, DEV_ZERO, DEV_URANDOM, DIRECTORY, SPECIAL_COUNT };
static const char *const special_name[] = { "a FIFO", "a link to /dev/zero",
					    "a link to /dev/urandom", "a directory" };

/* Put @kind where the file @path is. */
static void make_special(const char *path, enum special kind)
{
	assert_true(unlink(path) == 0 || errno == ENOENT);
	switch (kind) {
	case FIFO: assert_int_equal(mkfifo(path, 0600), 0); break;
	case DEV_ZERO: assert_int_equal(symlink("/dev/zero", path), 0); break;
	case DEV_URANDOM: assert_int_equal(symlink("/dev/urandom", path), 0); break;
	default: assert_int_equal(mkdir(path, 0700), 0); break;
	}
}

/* A FIFO blocked open() forever, /dev/zero was read until the OOM killer
 * came: each is refused at once as not a regular file, and the failed
 * file is named. (The alarm turns a hang into a failure.) */
static void test_not_files(void **state)
{
	static const char *const files[] = {
		"sys/devices/system/cpu/online",
		"sys/devices/system/cpu/cpu2/topology/core_id",
		"sys/devices/system/cpu/cpu2/topology/thread_siblings_list",
		"sys/devices/system/cpu/cpu3/cache/index3/shared_cpu_list",
		"sys/devices/system/node/node0/cpulist",
		"proc/cpuinfo",
	};
	struct tmp *tmp = *state;
	char cmd[3 * PATH_MAX], path[PATH_MAX];

	alarm(20);
	for (size_t i = 0; i < VTC_ARRAY_SIZE(files); i++)
		for (enum special k = FIFO; k < SPECIAL_COUNT; k++) {
			struct vtc_platform p;
			struct vtc_topo t;
			int rc;
			snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys' '%s/proc' && cp -r "
				 "'%s/tests/data/sysfs-offline-cpu/sys' '%s/' && chmod -R u+w '%s/sys'"
				 " && mkdir '%s/proc' && echo 'vendor_id : X' > '%s/proc/cpuinfo'",
				 tmp->dir, tmp->dir, vtc_test_srcdir(), tmp->dir, tmp->dir,
				 tmp->dir, tmp->dir);
			assert_int_equal(system(cmd), 0);
			snprintf(path, sizeof(path), "%s/%s", tmp->dir, files[i]);
			make_special(path, k);
			print_message("%s as %s\n", files[i], special_name[k]);
			memset(&p, 0, sizeof(p));
			if (strcmp(files[i], "proc/cpuinfo") == 0) {
				rc = vtc_platform_read_sysfs(&tmp->fs, &p);
			} else {
				rc = vtc_topo_read_sysfs(&tmp->fs, &t);
				if (rc == 0)
					vtc_topo_free(&t);
			}
			assert_int_equal(rc, k == DIRECTORY ? -EISDIR : -VTC_INPUT_ENOTREG);
			assert_true(ends_with(vtc_sysfs_last_error(), files[i]));
		}
	alarm(0);
}

/* Files longer than any of their kind: an error, never cut short. A
 * sparse 65 MiB cpuinfo is refused by its size, without reading it. */
static void test_oversize(void **state)
{
	struct tmp *tmp = *state;
	char path[PATH_MAX], *text, *list = malloc(VTC_INPUT_ATTR_MAX + 2);
	struct vtc_platform p;
	vtc_cpuset set;
	size_t len;
	FILE *f;

	assert_non_null(list);
	memset(list, ' ', VTC_INPUT_ATTR_MAX + 1);
	list[0] = '0';
	list[VTC_INPUT_ATTR_MAX + 1] = '\0';
	assert_int_equal(write_file(tmp->dir, "list", list), 0);
	assert_int_equal(vtc_sysfs_read_cpulist(&tmp->fs, &set, "list"), -EOVERFLOW);
	list[VTC_INPUT_ATTR_MAX - 1] = '\0'; /* what fits is read */
	assert_int_equal(write_file(tmp->dir, "list", list), 0);
	assert_int_equal(vtc_sysfs_read_cpulist(&tmp->fs, &set, "list"), 0);
	free(list);

	assert_int_equal(mkdir(strcat(strcpy(path, tmp->dir), "/proc"), 0700), 0);
	assert_non_null(f = fopen(strcat(path, "/cpuinfo"), "w"));
	fputs("vendor_id : X\n", f);
	assert_int_equal(ftruncate(fileno(f), (off_t)VTC_INPUT_PROC_MAX + 1), 0);
	fclose(f);
	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_read_sysfs(&tmp->fs, &p), -EFBIG);
	assert_true(ends_with(vtc_sysfs_last_error(), "proc/cpuinfo"));
	assert_int_equal(vtc_sysfs_read_all(&tmp->fs, 8, &text, &len, "proc/cpuinfo"), -EFBIG);
	assert_null(text);
	assert_int_equal(truncate(path, 14), 0);
	assert_int_equal(vtc_platform_read_sysfs(&tmp->fs, &p), 0);
	assert_string_equal(p.cpu_vendor, "X");
}

/* ---- recorded machines -------------------------------------------------- */

static int cmp_lowest(const void *a, const void *b)
{
	return vtc_cpuset_first(a) - vtc_cpuset_first(b);
}

/* Expected groups ("0,8 1,9" or "-") into the text form of groups_text(),
 * sorted the same way; "-" (no such level) becomes "(unknown)". */
static int normalize(const char *want, char *out, size_t size)
{
	char *copy = strdup(want), *save = NULL;
	vtc_cpuset *sets = calloc(VTC_CPUSET_MAX, sizeof(*sets));
	int n = 0, rc = 0, cpu;
	size_t len = 0;

	out[0] = '\0';
	if (!copy || !sets) {
		rc = -ENOMEM;
		goto out;
	}
	if (strcmp(want, "-") == 0) {
		snprintf(out, size, "(unknown)");
		goto out;
	}
	for (char *g = strtok_r(copy, " ", &save); g && n < VTC_CPUSET_MAX;
	     g = strtok_r(NULL, " ", &save))
		if ((rc = vtc_cpulist_parse(g, &sets[n++])) < 0)
			goto out;
	qsort(sets, (size_t)n, sizeof(*sets), cmp_lowest);
	for (int i = 0; i < n; i++) {
		const char *sep = i ? " " : "";
		vtc_cpuset_foreach(cpu, &sets[i]) {
			len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%d", sep, cpu);
			sep = ",";
		}
	}
out:
	free(copy);
	free(sets);
	return rc;
}

enum column { COL_CORES, COL_PACKAGES, COL_NUMA, COL_COUNT };
static const enum vtc_level column_level[COL_COUNT] = {
	VTC_LEVEL_SMT, VTC_LEVEL_PACKAGE, VTC_LEVEL_NUMA
};
static const char *const column_name[COL_COUNT] = { "cores", "packages", "numa" };

/* Where our reading differs from the recording tool's answer, and why. The
 * test checks that we still read exactly @ours, so a change in either the
 * reader or the corpus shows up instead of hiding behind the entry. */
struct known_diff {
	const char *corpus, *name;
	enum column column;
	const char *ours, *why;
};

static const struct known_diff known_diffs[] = {
	{ "hwloc-linux", "20s390-2g6s4c", COL_NUMA, "(unknown)",
	  "kernel without NUMA (no sys/devices/system/node): hwloc invents one node"
	  " for the machine, we leave the level unknown" },
	{ "hwloc-linux", "2arm-2c", COL_NUMA, "(unknown)",
	  "kernel without NUMA, as 20s390-2g6s4c" },
	{ "hwloc-linux", "offline-cpu0-node0", COL_NUMA, "(unknown)",
	  "node0 was taken offline by hand in this recording: the online even CPUs"
	  " belong to no node, so NUMA is no partition; hwloc lists node1 only" },
	{ "hwloc-linux", "40intel64-4n10c+pci-conflicts", COL_PACKAGES,
	  "0,4,8,12,16,20,24,28,32,36 1,5,9,13,17,21,25,29,33,37"
	  " 2,6,10,14,18,22,26,30,34,38 3,7,11,15,19,23,27,31,35,39",
	  "hwloc's test checks its insertion of conflicting cpusets ('4th socket"
	  " conflicts, ignored' in its .test) and drops package 3; the kernel's"
	  " files give 4 packages, consistent with L3, NUMA node 3 and cpuinfo" },
	{ "hwloc-linux", "64amd64-4s2n4ca2co", COL_CORES,
	  "0,1 2,3 4,5 6,7 8,9 10,11 12,13 14,15 16,17 18,19 20,21 22,23 24,25 26,27"
	  " 28,29 30,31 32,33 34,35 36,37 38,39 40,41 42,43 44,45 46,47 48,49 50,51"
	  " 52,53 54,55 56,57 58,59 60,61 62,63",
	  "AMD Bulldozer (family 21): this kernel exports the two cores of a compute"
	  " unit as thread siblings; hwloc's x86 fix-up calls them cores. What the"
	  " guest is told is SMT pairs, which is what we must compare" },
	{ "util-linux-lscpu", "arm-A510-A710-A715-X3", COL_CORES, "0 1 2 3 4 5 6 7",
	  "lscpu numbers cores per CPU type (A510/A710/A715/X3) from 0 again, so its"
	  " Core column collides across types; the kernel gives 8 single-thread cores" },
	{ "util-linux-lscpu", "arm-A510-A710-A715-X3", COL_PACKAGES, "0,1,2 3,4,5,6 7",
	  "lscpu's Socket column restarts per CPU type too; this Android kernel"
	  " exports each cluster (0-2, 3-6, 7) as a package in package_cpus_list" },
};

static const struct known_diff *find_known(const char *corpus_name, const char *name,
					   enum column col)
{
	for (size_t i = 0; i < VTC_ARRAY_SIZE(known_diffs); i++) {
		const struct known_diff *k = &known_diffs[i];
		if (k->corpus && !strcmp(k->corpus, corpus_name) && !strcmp(k->name, name) &&
		    k->column == col)
			return k;
	}
	return NULL;
}

/* Compare one column; returns 1 on an unexplained difference. */
static int check_column(const char *corpus_name, const char *name, enum column col,
			const char *want_raw, const struct vtc_topo *t)
{
	static char want[1 << 15], got[1 << 15];
	const struct known_diff *k = find_known(corpus_name, name, col);

	if (normalize(want_raw, want, sizeof(want)) < 0) {
		print_error("%s/%s: bad expected %s \"%s\"\n", corpus_name, name,
			    column_name[col], want_raw);
		return 1;
	}
	groups_text(t, column_level[col], got, sizeof(got));
	if (k) {
		if (strcmp(got, k->ours) == 0 && strcmp(got, want) != 0) {
			print_message("%s/%s %s: known difference: %s\n", corpus_name, name,
				      column_name[col], k->why);
			return 0;
		}
		print_error("%s/%s %s: known difference changed: read \"%s\", noted \"%s\","
			    " expected \"%s\"\n", corpus_name, name, column_name[col], got,
			    k->ours, want);
		return 1;
	}
	if (strcmp(got, want) == 0)
		return 0;
	print_error("%s/%s %s:\n   read     %s\n   expected %s\n", corpus_name, name,
		    column_name[col], got, want);
	return 1;
}

/* Every recorded cpuinfo (x86, ia64, POWER, s390, ARM, LoongArch) names
 * its CPU somehow and never makes the reader fail. */
static int check_platform(const char *corpus_name, const char *name, const struct vtc_sysfs *fs)
{
	struct vtc_platform p;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = vtc_platform_read_sysfs(fs, &p);
	if (rc == 0 && (p.cpu_vendor[0] || p.model_name[0]))
		return 0;
	print_error("%s/%s: platform: rc %d, vendor \"%s\", model \"%s\"\n", corpus_name,
		    name, rc, p.cpu_vendor, p.model_name);
	return 1;
}

/* What must hold whatever the machine: the threads of a core are numbered
 * 0..n-1 and share the package id, a package's CPUs share its id, and a
 * NUMA group is one node. Not core_id: vmware_fpe and the Bulldozer dump
 * give thread siblings different core_ids, as the kernel exported them.
 * Returns 1 on a violation. */
static int check_invariants(const char *corpus_name, const char *name, const struct vtc_topo *t)
{
	static const struct { enum vtc_level level; size_t off; } same[] = {
		{ VTC_LEVEL_SMT, offsetof(struct vtc_topo_cpu, package_id) },
		{ VTC_LEVEL_PACKAGE, offsetof(struct vtc_topo_cpu, package_id) },
		{ VTC_LEVEL_NUMA, offsetof(struct vtc_topo_cpu, numa_node) },
	};
	const struct vtc_groups *smt = &t->groups[VTC_LEVEL_SMT];
	int cpu;

	for (int g = 0; g < smt->count; g++) {
		int rank = 0;
		vtc_cpuset_foreach(cpu, &smt->set[g])
			if (t->cpu[cpu].thread_id != rank++)
				return print_error("%s/%s: cpu%d thread_id %d\n", corpus_name, name,
						   cpu, t->cpu[cpu].thread_id), 1;
	}
	for (size_t i = 0; i < VTC_ARRAY_SIZE(same); i++) {
		const struct vtc_groups *gr = &t->groups[same[i].level];
		for (int g = 0; g < gr->count; g++) {
			int first = vtc_cpuset_first(&gr->set[g]);
			int want = *(const int *)((const char *)&t->cpu[first] + same[i].off);
			vtc_cpuset_foreach(cpu, &gr->set[g]) {
				int id = *(const int *)((const char *)&t->cpu[cpu] + same[i].off);
				if (id != want)
					return print_error("%s/%s: cpu%d and cpu%d share a %s group but"
							   " not the id at offset %zu\n", corpus_name,
							   name, first, cpu,
							   vtc_level_name(same[i].level), same[i].off), 1;
			}
		}
	}
	return 0;
}

/* One manifest line: case, online count, cores, packages, numa. */
static int check_case(const char *dir, const char *corpus_name, char *line)
{
	char *f[5], *save = NULL, archive[PATH_MAX + 64];
	struct vtc_test_unpacked u = { .dir = "" };
	struct vtc_sysfs fs;
	struct vtc_topo t;
	int n = 0, bad = 0, rc;

	for (char *p = strtok_r(line, "\t\n", &save); p && n < 5; p = strtok_r(NULL, "\t\n", &save))
		f[n++] = p;
	if (n != 5)
		return print_error("%s: short manifest line\n", corpus_name), 1;
	snprintf(archive, sizeof(archive), "%s/%s.tar.bz2", dir, f[0]);
	if (access(archive, R_OK) != 0)
		snprintf(archive, sizeof(archive), "%s/%s.tar.gz", dir, f[0]);
	if ((rc = vtc_test_unpack(archive, false, &u)) < 0 || (rc = vtc_sysfs_init(&fs, u.root)) < 0 ||
	    (rc = vtc_topo_read_sysfs(&fs, &t)) < 0) {
		print_error("%s/%s: %s\n", corpus_name, f[0], strerror(-rc));
		vtc_test_unpacked_free(&u);
		return 1;
	}
	if (vtc_cpuset_count(&t.online) != atoi(f[1])) {
		print_error("%s/%s: %d online CPUs, expected %s\n", corpus_name, f[0],
			    vtc_cpuset_count(&t.online), f[1]);
		bad++;
	}
	for (int c = 0; c < COL_COUNT; c++)
		bad += check_column(corpus_name, f[0], (enum column)c, f[2 + c], &t);
	bad += check_invariants(corpus_name, f[0], &t);
	vtc_topo_free(&t);
	bad += check_platform(corpus_name, f[0], &fs);
	vtc_test_unpacked_free(&u);
	return bad ? 1 : 0;
}

static void check_manifest(const char *sub)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *line = NULL;
	size_t cap = 0;
	int cases = 0, failed = 0;
	FILE *f;

	if (!vtc_test_corpus())
		skip();
	snprintf(dir, sizeof(dir), "%s/%s", vtc_test_corpus(), sub);
	snprintf(path, sizeof(path), "%s/expected.tsv", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(getline(&line, &cap, f) > 0); /* header */
	while (getline(&line, &cap, f) > 0) {
		if (line[0] == '\n' || line[0] == '#')
			continue;
		cases++;
		failed += check_case(dir, sub, line);
	}
	free(line);
	fclose(f);
	print_message("%s: %d cases, %d with unexplained differences\n", sub, cases, failed);
	assert_true(cases > 0);
	assert_int_equal(failed, 0);
}

static void test_corpus_hwloc(void **state)
{
	(void)state;
	check_manifest("hwloc-linux");
}

static void test_corpus_lscpu(void **state)
{
	(void)state;
	check_manifest("util-linux-lscpu");
}

/* The Firecracker guest recorded for this project: 16 single-thread cores,
 * one package, one node, one L3; KVM visible only in CPUID, not in sysfs. */
static int cloud_setup(void **state)
{
	static struct vtc_test_unpacked u;
	char archive[PATH_MAX];

	u.dir[0] = '\0';
	*state = &u;
	if (!vtc_test_corpus())
		return 0;
	snprintf(archive, sizeof(archive), "%s/cloud-vm/fc16-emr.sysroot.tar.gz", vtc_test_corpus());
	return vtc_test_unpack(archive, false, &u) == 0 ? 0 : -1;
}

/* Runs even when the test fails an assertion, so nothing is left behind. */
static int cloud_teardown(void **state)
{
	vtc_test_unpacked_free(*state);
	return 0;
}

static void test_cloud_vm(void **state)
{
	struct vtc_test_unpacked *u = *state;
	struct vtc_sysfs fs;
	struct vtc_platform p;
	struct vtc_topo t;

	if (!vtc_test_corpus())
		skip();
	assert_int_equal(vtc_sysfs_init(&fs, u->root), 0);
	assert_false(fs.live);
	assert_int_equal(vtc_topo_read_sysfs(&fs, &t), 0);
	assert_int_equal(t.ncpus, 16);
	assert_int_equal(vtc_cpuset_count(&t.online), 16);
	assert_groups(&t, VTC_LEVEL_SMT, "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
	assert_groups(&t, VTC_LEVEL_PACKAGE, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15");
	assert_groups(&t, VTC_LEVEL_DIE, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15");
	assert_groups(&t, VTC_LEVEL_NUMA, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15");
	assert_groups(&t, VTC_LEVEL_L3, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15");
	assert_groups(&t, VTC_LEVEL_L2, "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
	assert_groups(&t, VTC_LEVEL_L1D, "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
	assert_true(t.cache_kib[VTC_LEVEL_L3] > t.cache_kib[VTC_LEVEL_L2]);
	assert_true(t.cache_kib[VTC_LEVEL_L2] > t.cache_kib[VTC_LEVEL_L1D]);
	assert_true(t.cache_kib[VTC_LEVEL_L1D] > 0);
	for (int c = 0; c < 16; c++) {
		assert_int_equal(t.cpu[c].thread_id, 0);
		assert_int_equal(t.cpu[c].package_id, 0);
		assert_int_equal(t.cpu[c].numa_node, 0);
	}
	vtc_topo_free(&t);

	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_read_sysfs(&fs, &p), 0);
	assert_string_equal(p.cpu_vendor, "GenuineIntel");
	assert_string_equal(p.model_name, "Intel(R) Xeon(R) Processor");
	assert_true(p.flag_constant_tsc && p.flag_nonstop_tsc && p.flag_hypervisor && p.flag_ht);
	assert_string_equal(p.sys_hypervisor_type, "");
	assert_string_equal(p.dmi_sys_vendor, "");
	assert_string_equal(p.dmi_product_name, "");
	assert_string_equal(p.kernel_release, "");
}

/* This machine: a 2-vCPU guest (cpu0 and cpu1, separate cores). */
static void test_live(void **state)
{
	struct vtc_sysfs fs;
	struct vtc_platform p;
	struct vtc_topo t;
	(void)state;

	assert_int_equal(vtc_sysfs_init(&fs, "/"), 0);
	assert_true(fs.live);
	assert_int_equal(vtc_topo_read_sysfs(&fs, &t), 0);
	assert_true(vtc_cpuset_test(&t.online, 0));
	assert_true(vtc_cpuset_test(&t.online, 1));
	assert_true(vtc_cpuset_subset(&t.online, &t.possible));
	assert_true(t.level_known[VTC_LEVEL_SMT]);
	assert_true(t.level_known[VTC_LEVEL_PACKAGE]);
	assert_true(t.cpu[0].online && t.cpu[1].online);
	assert_true(vtc_cpuset_test(&t.cpu[0].siblings[VTC_LEVEL_SMT], 0));
	vtc_topo_free(&t);

	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_read_sysfs(&fs, &p), 0);
	assert_true(p.model_name[0] != '\0' || p.cpu_vendor[0] != '\0');
	assert_true(p.kernel_release[0] != '\0'); /* procfs is always there */
}

/* ---- /proc/cpuinfo layouts ---------------------------------------------- */

struct cpuinfo_case {
	const char *arch, *text, *vendor, *model;
	bool constant_tsc, nonstop_tsc, hypervisor, ht;
};

static const struct cpuinfo_case cpuinfo_cases[] = {
	{ "x86", "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n"
	  "model name\t: AMD EPYC 7B13\nflags\t\t: fpu tsc ht constant_tsc nonstop_tsc"
	  " hypervisor\n\nprocessor\t: 1\nvendor_id\t: Other\nmodel name\t: Other\n"
	  "flags\t\t: fpu\n", "AuthenticAMD", "AMD EPYC 7B13", true, true, true, true },
	{ "x86-bare", "vendor_id : GenuineIntel\nflags : fpu tsc htt constant_tsc_x\n",
	  "GenuineIntel", "", false, false, false, false },
	{ "ia64", "processor  : 0\nvendor     : GenuineIntel\narch       : IA-64\n"
	  "model name : Madison up to 9M cache\nfeatures   : branchlong\n",
	  "GenuineIntel", "Madison up to 9M cache", false, false, false, false },
	{ "power", "processor\t: 0\ncpu\t\t: POWER7 (architected), altivec supported\n"
	  "clock\t\t: 3550.000000MHz\n\ntimebase\t: 512000000\nplatform\t: pSeries\n",
	  "", "POWER7 (architected), altivec supported", false, false, false, false },
	{ "s390", "vendor_id       : IBM/S390\n# processors    : 2\nfeatures\t: esan3 zarch\n"
	  "processor 0: version = FF,  identification = 1633E8,  machine = 2964\n"
	  "\ncpu number      : 0\n", "IBM/S390", "", false, false, false, false },
	{ "arm32", "Processor\t: ARMv7 Processor rev 1 (v7l)\nprocessor\t: 0\n"
	  "BogoMIPS\t: 1595.80\n\nFeatures\t: swp half thumb\nCPU implementer\t: 0x41\n",
	  "ARM", "ARMv7 Processor rev 1 (v7l)", false, false, false, false },
	{ "arm64", "processor\t: 0\nBogoMIPS\t: 200.00\nFeatures\t: fp asimd\n"
	  "CPU implementer\t: 0x48\nCPU architecture: 8\n", "HiSilicon", "", false, false, false, false },
	{ "arm64-unknown", "processor\t: 0\nCPU implementer\t: 0x99\n", "0x99", "",
	  false, false, false, false },
	{ "loongarch", "system type\t\t: generic-loongson-machine\n\nprocessor\t\t: 0\n"
	  "package\t\t\t: 0\nCPU Family\t\t: Loongson-64bit\nModel Name\t\t: Loongson-3A5000\n"
	  "Features\t\t: cpucfg lam ual\n", "", "Loongson-3A5000", false, false, false, false },
	{ "garbage", "no colon here\n:\n::::\n\x01\x02 : \xff\n\n", "", "", false, false, false, false },
	{ "empty", "", "", "", false, false, false, false },
	{ "long", "model name : "
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456789\n",
	  "", "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "012345678901234567890123456789012345678901234567890123456", /* 127 */
	  false, false, false, false },
};

static void test_cpuinfo_layouts(void **state)
{
	(void)state;
	for (size_t i = 0; i < VTC_ARRAY_SIZE(cpuinfo_cases); i++) {
		const struct cpuinfo_case *c = &cpuinfo_cases[i];
		struct vtc_platform p;
		char *text = strdup(c->text);

		assert_non_null(text);
		memset(&p, 0x55, sizeof(p)); /* the parser must set every field it owns */
		print_message("cpuinfo layout %s\n", c->arch);
		vtc_platform_parse_cpuinfo(text, strlen(text), &p);
		free(text);
		assert_string_equal(p.cpu_vendor, c->vendor);
		assert_string_equal(p.model_name, c->model);
		assert_int_equal(p.flag_constant_tsc, c->constant_tsc);
		assert_int_equal(p.flag_nonstop_tsc, c->nonstop_tsc);
		assert_int_equal(p.flag_hypervisor, c->hypervisor);
		assert_int_equal(p.flag_ht, c->ht);
	}
}

/* What a live migration may change: the first CPU's family, model,
 * stepping and microcode revision; "" where cpuinfo has none (POWER's
 * "model" is a name, ARM has no microcode line). */
static void test_cpuinfo_host_fields(void **state)
{
	char x86[] = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
		     "model\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Gold 6248\n"
		     "stepping\t: 7\nmicrocode\t: 0x5003604\n\nprocessor\t: 1\n"
		     "cpu family\t: 25\nmodel\t\t: 1\nstepping\t: 1\nmicrocode\t: 0xa0011d1\n";
	char arm[] = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n";
	struct vtc_platform p;

	(void)state;
	memset(&p, 0x55, sizeof(p));
	vtc_platform_parse_cpuinfo(x86, strlen(x86), &p);
	assert_string_equal(p.cpu_family, "6");
	assert_string_equal(p.cpu_model_num, "85");
	assert_string_equal(p.cpu_stepping, "7");
	assert_string_equal(p.microcode, "0x5003604");
	assert_string_equal(p.model_name, "Intel(R) Xeon(R) Gold 6248");
	memset(&p, 0x55, sizeof(p));
	vtc_platform_parse_cpuinfo(arm, strlen(arm), &p);
	assert_string_equal(p.cpu_family, "");
	assert_string_equal(p.microcode, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_read_str, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_read_int, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_read_sets, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_read_kib, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_last_error, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_scan_ids, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_fixture_offline_cpu),
		cmocka_unit_test(test_fixture_old_kernel),
		cmocka_unit_test(test_fixture_no_topology),
		cmocka_unit_test(test_fixture_bad_input),
		cmocka_unit_test_setup_teardown(test_bad_ids, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_not_files, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_oversize, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_corpus_hwloc),
		cmocka_unit_test(test_corpus_lscpu),
		cmocka_unit_test_setup_teardown(test_cloud_vm, cloud_setup, cloud_teardown),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_cpuinfo_layouts),
		cmocka_unit_test(test_cpuinfo_host_fields),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (failed == 0 && !vtc_test_corpus()) {
		fprintf(stderr, "VTC_CORPUS is not set or not a directory: recorded machines "
			"not checked\n");
		return 77;
	}
	return failed;
}
