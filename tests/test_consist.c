/* test_consist.c - sysfs vs CPUID consistency findings on small hand-built
 * topologies and on CPUID fixtures.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
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
#include "src/advertised/platform_sysfs.h"
#include "src/advertised/sysfs.h"
#include "src/advertised/topo_cpuid.h"
#include "src/advertised/topo_sysfs.h"

#define KIND VTC_FK_CPUID_SYSFS_DISAGREE

/* A topology of @n online CPUs; @lists[level] gives each level's groups as
 * "0-1|2-3" (NULL = level unknown). */
static void build(struct vtc_topo *t, const char *source, int n,
		  const char *const lists[VTC_LEVEL_COUNT])
{
	assert_int_equal(vtc_topo_init(t, source, n), 0);
	for (int c = 0; c < n; c++) {
		vtc_cpuset_set(&t->online, c);
		t->cpu[c].online = true;
	}
	t->possible = t->present = t->allowed = t->online;
	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		char buf[256], *save = NULL;

		if (!lists[l])
			continue;
		snprintf(buf, sizeof(buf), "%s", lists[l]);
		for (char *g = strtok_r(buf, "|", &save); g; g = strtok_r(NULL, "|", &save)) {
			vtc_cpuset set;
			int c;

			assert_int_equal(vtc_cpulist_parse(g, &set), 0);
			vtc_cpuset_foreach(c, &set)
				if (c < n)
					t->cpu[c].siblings[l] = set;
		}
	}
	assert_int_equal(vtc_topo_build_groups(t), 0);
}

static const char *const four_cores[VTC_LEVEL_COUNT] = {
	[VTC_LEVEL_SMT] = "0|1|2|3",
	[VTC_LEVEL_PACKAGE] = "0-3",
	[VTC_LEVEL_L3] = "0-3",
};

static void test_agree(void **state)
{
	struct vtc_topo a, b;
	struct vtc_findings fs = { 0 };

	(void)state;
	build(&a, "sysfs", 4, four_cores);
	build(&b, "cpuid", 4, four_cores);
	assert_int_equal(vtc_consist_check(&a, &b, NULL, &fs), 0);
	assert_int_equal(fs.count, 0);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
}

/* CPUID says two threads per core, sysfs shows no siblings. */
static void test_smt_disagree(void **state)
{
	static const char *const cpuid_smt[VTC_LEVEL_COUNT] = {
		[VTC_LEVEL_SMT] = "0,2|1,3",
		[VTC_LEVEL_PACKAGE] = "0-3",
		[VTC_LEVEL_L3] = "0-3",
	};
	struct vtc_topo a, b;
	struct vtc_findings fs = { 0 };
	struct vtc_platform p;
	char who[32];

	(void)state;
	memset(&p, 0, sizeof(p));
	snprintf(p.hypervisor, sizeof(p.hypervisor), "kvm");
	build(&a, "sysfs", 4, four_cores);
	build(&b, "cpuid", 4, cpuid_smt);
	assert_int_equal(vtc_consist_check(&a, &b, &p, &fs), 0);
	assert_int_equal(fs.count, 1);
	assert_int_equal(fs.item[0].kind, KIND);
	assert_int_equal(fs.item[0].severity, VTC_SEV_WARNING);
	vtc_cpulist_format(&fs.item[0].cpus, who, sizeof(who));
	assert_string_equal(who, "0-3");
	print_message("%s\n", fs.item[0].evidence);
	assert_non_null(strstr(fs.item[0].evidence, "smt groups differ on vCPUs 0-3"));
	assert_non_null(strstr(fs.item[0].evidence, "sysfs [0] [1] [2] [3]"));
	assert_non_null(strstr(fs.item[0].evidence, "CPUID [0,2] [1,3]"));
	assert_non_null(strstr(fs.item[0].evidence, "CPUID says up to 2 threads per core, sysfs 1"));
	assert_non_null(strstr(fs.item[0].evidence, "hypervisor kvm"));
	assert_true(fs.item[0].fix[0] != '\0');
	vtc_findings_free(&fs);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
}

/* Only the vCPUs whose groups differ are named; unknown levels are skipped. */
static void test_package_split_partial(void **state)
{
	static const char *const sysfs[VTC_LEVEL_COUNT] = {
		[VTC_LEVEL_SMT] = "0|1|2|3|4|5",
		[VTC_LEVEL_PACKAGE] = "0-5",
		[VTC_LEVEL_NUMA] = "0-2|3-5",
	};
	static const char *const cpuid[VTC_LEVEL_COUNT] = {
		[VTC_LEVEL_SMT] = "0|1|2|3|4|5",
		[VTC_LEVEL_PACKAGE] = "0-3|4-5",
		[VTC_LEVEL_L3] = "0-5",
	};
	struct vtc_topo a, b;
	struct vtc_findings fs = { 0 };
	char who[32];

	(void)state;
	build(&a, "sysfs", 6, sysfs);
	build(&b, "cpuid", 6, cpuid);
	assert_int_equal(vtc_consist_check(&a, &b, NULL, &fs), 0);
	assert_int_equal(fs.count, 1);
	assert_int_equal(fs.item[0].kind, KIND);
	assert_int_equal(fs.item[0].severity, VTC_SEV_WARNING);
	vtc_cpulist_format(&fs.item[0].cpus, who, sizeof(who));
	assert_string_equal(who, "0-5");
	assert_non_null(strstr(fs.item[0].evidence, "package groups differ"));
	assert_non_null(strstr(fs.item[0].evidence, "CPUID [0-3] [4-5]"));
	vtc_findings_free(&fs);

	/* Restricted to the CPUs both know: with 4 and 5 offline in sysfs the
	 * remaining CPUs 0-3 are one package in both. */
	vtc_cpuset_unset(&a.online, 4);
	vtc_cpuset_unset(&a.online, 5);
	a.cpu[4].online = a.cpu[5].online = false;
	assert_int_equal(vtc_topo_build_groups(&a), 0);
	assert_int_equal(vtc_consist_check(&a, &b, NULL, &fs), 0);
	assert_int_equal(fs.count, 0);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
}

/* A kernel that reports die = package (no die support, e.g. AMD CCDs before
 * Linux 6.9) is coarser, not contradicting; two different die splits are. */
static void test_dies(void **state)
{
	static const char *const kernel_no_dies[VTC_LEVEL_COUNT] = {
		[VTC_LEVEL_SMT] = "0|1|2|3", [VTC_LEVEL_DIE] = "0-3", [VTC_LEVEL_PACKAGE] = "0-3",
	};
	static const char *const kernel_dies[VTC_LEVEL_COUNT] = {
		[VTC_LEVEL_SMT] = "0|1|2|3", [VTC_LEVEL_DIE] = "0,2|1,3", [VTC_LEVEL_PACKAGE] = "0-3",
	};
	static const char *const cpuid_dies[VTC_LEVEL_COUNT] = {
		[VTC_LEVEL_SMT] = "0|1|2|3", [VTC_LEVEL_DIE] = "0-1|2-3", [VTC_LEVEL_PACKAGE] = "0-3",
	};
	struct vtc_topo a, b, c;
	struct vtc_findings fs = { 0 };

	(void)state;
	build(&a, "sysfs", 4, kernel_no_dies);
	build(&b, "sysfs", 4, kernel_dies);
	build(&c, "cpuid", 4, cpuid_dies);
	assert_int_equal(vtc_consist_check(&a, &c, NULL, &fs), 0);
	assert_int_equal(fs.count, 0);
	assert_int_equal(vtc_consist_check(&b, &c, NULL, &fs), 0);
	assert_int_equal(fs.count, 1);
	assert_int_equal(fs.item[0].kind, KIND);
	assert_int_equal(fs.item[0].severity, VTC_SEV_WARNING);
	assert_non_null(strstr(fs.item[0].evidence, "die groups differ on vCPUs 0-3"));
	vtc_findings_free(&fs);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
	vtc_topo_free(&c);
}

static void test_bad_args(void **state)
{
	struct vtc_topo a;
	struct vtc_findings fs = { 0 };

	(void)state;
	build(&a, "sysfs", 4, four_cores);
	assert_int_equal(vtc_consist_check(NULL, &a, NULL, &fs), -EINVAL);
	assert_int_equal(vtc_consist_check(&a, NULL, NULL, &fs), -EINVAL);
	assert_int_equal(vtc_consist_check(&a, &a, NULL, NULL), -EINVAL);
	vtc_topo_free(&a);
}

/* A hand-built pair where CPUID's L3 sharing count exceeds the package. */
static void test_l3_leak_counts(void **state)
{
	struct vtc_topo a, b;
	struct vtc_findings fs = { 0 };

	(void)state;
	build(&a, "sysfs", 4, four_cores);
	build(&b, "cpuid", 4, four_cores);
	b.ids_sharing[VTC_LEVEL_PACKAGE] = 4;
	b.ids_sharing[VTC_LEVEL_L3] = 4; /* as wide as the package: fine */
	assert_int_equal(vtc_consist_check(&a, &b, NULL, &fs), 0);
	assert_int_equal(fs.count, 0);
	b.ids_sharing[VTC_LEVEL_L3] = 64;
	assert_int_equal(vtc_consist_check(&a, &b, NULL, &fs), 0);
	assert_int_equal(fs.count, 1);
	assert_int_equal(fs.item[0].kind, KIND);
	assert_int_equal(fs.item[0].severity, VTC_SEV_WARNING);
	assert_non_null(strstr(fs.item[0].evidence, "l3 is shared by up to 64"));
	assert_non_null(strstr(fs.item[0].evidence, "only 4 APIC ids"));
	vtc_findings_free(&fs);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
}

/* The leak as a CPUID dump shows it: 2-vCPU KVM guest, L3 for 128 ids. */
static void test_l3_leak_fixture(void **state)
{
	static const char *const sysfs[VTC_LEVEL_COUNT] = {
		[VTC_LEVEL_SMT] = "0|1",
		[VTC_LEVEL_PACKAGE] = "0-1",
		[VTC_LEVEL_L3] = "0-1",
	};
	const char *src = getenv("VTC_SRCDIR");
	char dir[PATH_MAX];
	struct vtc_cpuid_src *s;
	struct vtc_topo a, b;
	struct vtc_platform p;
	struct vtc_findings fs = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data/cpuid-l3-leak", src && *src ? src : ".");
	assert_int_equal(vtc_cpuid_open(dir, &s), 0);
	assert_int_equal(vtc_topo_cpuid_read(s, &b), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_read_cpuid(s, &p), 0);
	vtc_cpuid_close(s);
	vtc_platform_identify(&p);
	build(&a, "sysfs", 2, sysfs);
	assert_int_equal(vtc_consist_check(&a, &b, &p, &fs), 0);
	assert_int_equal(fs.count, 1);
	assert_int_equal(fs.item[0].kind, KIND);
	assert_int_equal(fs.item[0].severity, VTC_SEV_WARNING);
	print_message("%s\n", fs.item[0].evidence);
	assert_non_null(strstr(fs.item[0].evidence, "leaf 4 says one l3 is shared by up to 128"));
	assert_non_null(strstr(fs.item[0].evidence, "only 2 APIC ids (2 vCPUs"));
	assert_non_null(strstr(fs.item[0].evidence, "hypervisor kvm"));
	vtc_findings_free(&fs);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
}

/* Unpack @archive (from the corpus) into the mkdtemp directory @dir. */
static void unpack(const char *archive, char dir[32])
{
	char cmd[PATH_MAX + 96];

	snprintf(dir, 32, "/tmp/vtc-consist-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "tar -xf '%s/%s' -C '%s' --no-same-owner", vtc_test_corpus(), archive,
		 dir);
	assert_int_equal(system(cmd), 0);
}

static void remove_dir(const char *dir)
{
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwX '%s'; rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* The Firecracker guest: its sysfs and its CPUID dump agree (16 cores, one
 * package, one L3), and the KVM signature is the only hypervisor hint. */
static void test_cloud_fc16_agrees(void **state)
{
	char sdir[32], cdir[32], path[PATH_MAX];
	struct vtc_sysfs fs;
	struct vtc_cpuid_src *s;
	struct vtc_topo a, b;
	struct vtc_platform p;
	struct vtc_findings out = { 0 };

	(void)state;
	if (!vtc_test_corpus())
		skip();
	unpack("cloud-vm/fc16-emr.sysroot.tar.gz", sdir);
	unpack("cloud-vm/fc16-emr.cpuid.tar.gz", cdir);
	snprintf(path, sizeof(path), "%s/root", sdir);
	assert_int_equal(vtc_sysfs_init(&fs, path), 0);
	assert_int_equal(vtc_topo_read_sysfs(&fs, &a), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_read_sysfs(&fs, &p), 0);
	snprintf(path, sizeof(path), "%s/cpuid", cdir);
	assert_int_equal(vtc_cpuid_open(path, &s), 0);
	assert_int_equal(vtc_topo_cpuid_read(s, &b), 0);
	assert_int_equal(vtc_platform_read_cpuid(s, &p), 0);
	vtc_cpuid_close(s);
	vtc_platform_identify(&p);
	assert_string_equal(p.hypervisor, "kvm");
	assert_true(p.flag_hypervisor);
	assert_string_equal(p.dmi_sys_vendor, "");
	/* the levels both know really were compared */
	assert_true(vtc_topo_level_equal(&a, &b, VTC_LEVEL_SMT));
	assert_true(vtc_topo_level_equal(&a, &b, VTC_LEVEL_PACKAGE));
	assert_true(vtc_topo_level_equal(&a, &b, VTC_LEVEL_L3));
	assert_int_equal(vtc_consist_check(&a, &b, &p, &out), 0);
	for (int i = 0; i < out.count; i++)
		print_message("unexpected: %s\n", out.item[i].evidence);
	assert_int_equal(out.count, 0);
	vtc_topo_free(&a);
	vtc_topo_free(&b);
	remove_dir(sdir);
	remove_dir(cdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),
		cmocka_unit_test(test_smt_disagree),
		cmocka_unit_test(test_package_split_partial),
		cmocka_unit_test(test_dies),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_l3_leak_counts),
		cmocka_unit_test(test_l3_leak_fixture),
		cmocka_unit_test(test_cloud_fc16_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
