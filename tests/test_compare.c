/* test_compare.c - findings, fixes per platform, suggested topology (the
 * verdict they lead to: test_verdict.c).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/analysis/compare.h"
#include "src/analysis/infer.h"
#include "tests/sim.h"
#include "src/advertised/sysfs.h"
#include "src/advertised/topo_sysfs.h"
#include "src/analysis/verdict.h"

struct run {
	struct vtc_sim sim;
	struct vtc_results r;
	struct vtc_topo adv;
	struct vtc_inferred inf;
	struct vtc_findings fs;
	struct vtc_platform plat;
	enum vtc_exit st;
	char why[256];
};

/* Measure @nv vCPUs pinned on @pin of @h (idle host, seed 1) with a 2 s
 * observation window (@window_s; 0: one look, --snapshot), advertise
 * sockets x cores x threads, and judge on platform @product/@vendor. */
static void judge_hint(struct run *x, const struct vtc_sim_host *h, int nv, const int *pin,
		       int sockets, int cores, int threads, const char *product,
		       const char *hv, double window_s, enum vtc_hint hint)
{
	int extra[VTC_SIM_MAX_VCPUS][2], ne;

	memset(x, 0, sizeof(*x));
	x->plat.kvm_hint_dedicated = hint;
	snprintf(x->plat.hypervisor, sizeof(x->plat.hypervisor), "%s", hv);
	snprintf(x->plat.dmi_product_name, sizeof(x->plat.dmi_product_name), "%s", product);
	snprintf(x->plat.cpuid_vendor, sizeof(x->plat.cpuid_vendor), "%s", h->vendor);
	assert_int_equal(vtc_sim_init_pinned(&x->sim, h, nv, pin, VTC_SIM_IDLE, 1), 0);
	x->sim.window_s = window_s;
	assert_int_equal(vtc_sim_topo(&x->adv, sockets, cores, threads, 1), 0);
	ne = vtc_sim_smt_pairs(&x->adv, extra, VTC_SIM_MAX_VCPUS);
	assert_int_equal(vtc_sim_measure(&x->sim, 2, true, extra, ne, &x->r), 0);
	assert_int_equal(vtc_infer(&x->r, &x->adv, &x->inf), 0);
	assert_int_equal(vtc_compare(&x->inf, &x->r, &x->adv, &x->plat, &x->fs), 0);
	x->st = vtc_verdict(&x->inf, &x->fs, x->why, sizeof(x->why));
}

/* ... on a platform without KVM's dedicated-vCPU hint (no CPUID). */
static void judge_window(struct run *x, const struct vtc_sim_host *h, int nv, const int *pin,
			 int sockets, int cores, int threads, const char *product,
			 const char *hv, double window_s)
{
	judge_hint(x, h, nv, pin, sockets, cores, threads, product, hv, window_s,
		   VTC_HINT_UNKNOWN);
}

static void judge(struct run *x, const struct vtc_sim_host *h, int nv, const int *pin,
		  int sockets, int cores, int threads, const char *product, const char *hv)
{
	judge_window(x, h, nv, pin, sockets, cores, threads, product, hv, 2);
}

static void done(struct run *x)
{
	vtc_findings_free(&x->fs);
	vtc_inferred_free(&x->inf);
	vtc_topo_free(&x->adv);
	vtc_results_free(&x->r);
}

static const struct vtc_finding *find(const struct run *x, enum vtc_fkind kind)
{
	for (int i = 0; i < x->fs.count; i++)
		if (x->fs.item[i].kind == kind)
			return &x->fs.item[i];
	return NULL;
}

/* KubeVirt threads: 2 pinned onto separate cores p0,p2 / p1,p3. */
static void test_phantom_kubevirt(void **state)
{
	static const int pin[] = {0, 2, 1, 3};
	struct run x;
	const struct vtc_finding *f;
	char cpus[32];
	(void)state;
	judge(&x, &vtc_sim_xeon4208, 4, pin, 1, 2, 2, "KubeVirt", "kvm");
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	f = find(&x, VTC_FK_PHANTOM_SMT);
	assert_non_null(f);
	assert_int_equal(f->severity, VTC_SEV_CRITICAL);
	vtc_cpulist_format(&f->cpus, cpus, sizeof(cpus));
	assert_string_equal(cpus, "0-3");
	assert_non_null(strstr(f->evidence, "v0,v1 advertised SMT siblings"));
	assert_non_null(strstr(f->evidence, "co-run 0.9"));
	assert_non_null(strstr(f->fix, "full-pcpus-only"));
	assert_non_null(strstr(f->fix, "threads: 1"));
	assert_non_null(strstr(f->fix, "isolateEmulatorThread"));
	assert_non_null(strstr(f->fix, "sockets=1 cores=4 threads=1"));
	assert_true(f->cost[0] != 0);
	assert_non_null(strstr(x.why, "CRITICAL: vCPUs {0-1}{2-3} are each advertised as SMT siblings"));
	done(&x);
}

/* libvirt cores=4 pinned on host sibling pairs (1,17), (2,18) in the order
 * v0=1 v1=2 v2=17 v3=18: the matching topology interleaves the vCPUs. */
static void test_hidden_libvirt_order(void **state)
{
	static const int pin[] = {1, 2, 17, 18};
	struct run x;
	const struct vtc_finding *f;
	(void)state;
	judge(&x, &vtc_sim_xeon4208, 4, pin, 1, 4, 1, "Standard PC (Q35 + ICH9, 2009)", "kvm");
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	f = find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "<vcpupin>"));
	assert_non_null(strstr(f->fix, "<emulatorpin>"));
	assert_non_null(strstr(f->fix, "sockets=1 cores=2 threads=2 with vCPU order 0,2,1,3"));
	assert_non_null(strstr(f->cost, "co-run ratio 0."));
	assert_null(find(&x, VTC_FK_PHANTOM_SMT));
	done(&x);
}

/* The same guest in one look (--snapshot): nothing shows that the shared
 * cores are a placement and not a float that sat still, so the finding is
 * a warning whose fix is to pin, not a topology to advertise. */
static void test_hidden_one_look_is_warning(void **state)
{
	static const int pin[] = {1, 2, 17, 18};
	struct run x;
	const struct vtc_finding *f;
	(void)state;
	judge_window(&x, &vtc_sim_xeon4208, 4, pin, 1, 4, 1, "Standard PC (Q35 + ICH9, 2009)",
		     "kvm", 0);
	assert_int_equal(x.st, VTC_EXIT_WARNING);
	f = find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_int_equal(f->severity, VTC_SEV_WARNING);
	assert_non_null(strstr(f->fix, "pin each vCPU"));
	assert_null(strstr(f->fix, "threads=2"));
	assert_non_null(strstr(f->evidence, "seen in one look only"));
	done(&x);
	/* bare metal: CPU numbers are physical CPUs, nothing floats */
	judge_window(&x, &vtc_sim_xeon4208, 4, pin, 1, 4, 1, "", "none", 0);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	done(&x);
}

/* KVM's dedicated-vCPU hint is the promise of pinning: with it, and nothing
 * measured against it, one look is enough for CRITICAL and a topology to
 * advertise. Without it (known off), the window's CRITICAL stands but its
 * advice says the placement was seen held, not promised. */
static void test_hidden_and_the_hint(void **state)
{
	static const int pin[] = {1, 2, 17, 18};
	struct run x;
	const struct vtc_finding *f;
	(void)state;
	judge_hint(&x, &vtc_sim_xeon4208, 4, pin, 1, 4, 1, "Standard PC (Q35 + ICH9, 2009)",
		   "kvm", 0, VTC_HINT_YES);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	f = find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_null(strstr(f->evidence, "seen in one look only"));
	assert_non_null(strstr(f->fix, "threads=2"));
	assert_null(find(&x, VTC_FK_DEDICATED_MISMATCH));
	done(&x);

	judge_hint(&x, &vtc_sim_xeon4208, 4, pin, 1, 4, 1, "Standard PC (Q35 + ICH9, 2009)",
		   "kvm", 2, VTC_HINT_NO);
	assert_int_equal(x.st, VTC_EXIT_CRITICAL);
	f = find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "threads=2"));
	assert_non_null(strstr(f->fix, "showed this placement held, not that it is pinned"));
	done(&x);

	/* no CPUID: the advice as it always was */
	judge_window(&x, &vtc_sim_xeon4208, 4, pin, 1, 4, 1, "Standard PC (Q35 + ICH9, 2009)",
		     "kvm", 2);
	f = find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_null(strstr(f->fix, "pinned"));
	done(&x);
}

static void test_hidden_openstack(void **state)
{
	static const int pin[] = {1, 17, 2, 18};
	struct run x;
	const struct vtc_finding *f;
	(void)state;
	judge(&x, &vtc_sim_xeon4208, 4, pin, 4, 1, 1, "OpenStack Nova", "kvm");
	f = find(&x, VTC_FK_HIDDEN_SMT);
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "hw:cpu_thread_policy"));
	assert_non_null(strstr(f->fix, "sockets=1 cores=2 threads=2"));
	assert_null(strstr(f->fix, "vCPU order"));
	done(&x);
}

/* Honest 2-socket guest whose NUMA description lumps both sockets. */
static void test_numa_mismatch(void **state)
{
	int pin[16];
	struct run x;
	const struct vtc_finding *f;
	(void)state;
	for (int i = 0; i < 16; i++)
		pin[i] = vtc_sim_pcpu(&vtc_sim_xeon4208, i / 8, i % 8, 0);
	judge(&x, &vtc_sim_xeon4208, 16, pin, 2, 8, 1, "Standard PC", "kvm");
	assert_int_equal(x.st, VTC_EXIT_OK);
	vtc_findings_free(&x.fs);
	for (int c = 0; c < 16; c++)
		vtc_cpulist_parse("0-15", &x.adv.cpu[c].siblings[VTC_LEVEL_NUMA]);
	assert_int_equal(vtc_topo_build_groups(&x.adv), 0);
	assert_int_equal(vtc_compare(&x.inf, &x.r, &x.adv, &x.plat, &x.fs), 0);
	f = find(&x, VTC_FK_NUMA_MISMATCH);
	assert_non_null(f);
	assert_int_equal(f->severity, VTC_SEV_WARNING);
	assert_int_equal(vtc_verdict(&x.inf, &x.fs, NULL, 0), VTC_EXIT_WARNING);
	done(&x);
}

/* Same measurement, AMD: one split level is a CCX (LLC), not a socket. */
static void test_amd_split_is_llc(void **state)
{
	int pin[16];
	struct run x;
	(void)state;
	for (int i = 0; i < 16; i++)
		pin[i] = i; /* CCX 0 and 1, first threads */
	judge(&x, &vtc_sim_epyc, 16, pin, 1, 16, 1, "Standard PC", "kvm");
	assert_int_equal(x.st, VTC_EXIT_WARNING);
	assert_non_null(find(&x, VTC_FK_LLC_MISMATCH));
	assert_null(find(&x, VTC_FK_SOCKET_MISMATCH));
	/* told Intel instead, the same split is a socket split */
	vtc_findings_free(&x.fs);
	snprintf(x.plat.cpuid_vendor, sizeof(x.plat.cpuid_vendor), "GenuineIntel");
	assert_int_equal(vtc_compare(&x.inf, &x.r, &x.adv, &x.plat, &x.fs), 0);
	assert_non_null(find(&x, VTC_FK_SOCKET_MISMATCH));
	assert_int_equal(vtc_verdict(&x.inf, &x.fs, NULL, 0), VTC_EXIT_CRITICAL);
	done(&x);
}

static void test_unknown_and_invalid(void **state)
{
	struct vtc_inferred inf;
	struct vtc_results r;
	struct vtc_topo adv;
	struct vtc_findings fs = {0};
	char why[128];
	(void)state;
	memset(&inf, 0, sizeof(inf));
	memset(&r, 0, sizeof(r));
	assert_int_equal(vtc_sim_topo(&adv, 1, 2, 1, 1), 0);
	inf.unknown = true;
	snprintf(inf.reason, sizeof(inf.reason), "only 1 of 6 vCPU pairs could be measured");
	assert_int_equal(vtc_compare(&inf, &r, &adv, NULL, &fs), 0);
	assert_int_equal(fs.count, 0);
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_UNKNOWN);
	assert_string_equal(why, "UNKNOWN: could not measure reliably: only 1 of 6 vCPU pairs "
				 "could be measured");
	assert_int_equal(vtc_verdict(NULL, NULL, why, sizeof(why)), VTC_EXIT_UNKNOWN);
	/* a finding that needs no measurement still decides */
	vtc_findings_add(&fs, VTC_FK_CPUID_SYSFS_DISAGREE, VTC_SEV_CRITICAL, NULL, "x");
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_CRITICAL);
	assert_string_equal(why, "CRITICAL: vCPUs (all) are described differently by CPUID and "
				 "sysfs (cpuid-sysfs-disagree)");
	vtc_findings_free(&fs);
	assert_int_equal(vtc_compare(NULL, &r, &adv, NULL, &fs), -EINVAL);
	assert_int_equal(vtc_compare(&inf, &r, NULL, NULL, &fs), -EINVAL);
	assert_int_equal(vtc_compare(&inf, &r, &adv, NULL, NULL), -EINVAL);
	vtc_topo_free(&adv);
}

/* Unpack a corpus archive into a fresh mkdtemp directory; @root gets the
 * single directory it holds. Returns 0, or -1 when the corpus is missing. */
static int unpack(const char *archive, char *dir, size_t dlen, char *root, size_t rlen)
{
	const char *corpus = getenv("VTC_CORPUS");
	char path[PATH_MAX], cmd[2 * PATH_MAX + 64];
	struct dirent *de;
	DIR *d;

	if (!corpus || !*corpus)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", corpus, archive);
	if (access(path, R_OK) != 0)
		return -1;
	snprintf(dir, dlen, "/tmp/vtc-compare-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "tar -xf '%s' -C '%s' --no-same-owner 2>/dev/null", path, dir);
	assert_int_equal(system(cmd), 0);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(root, rlen, "%s/%s", dir, de->d_name);
	closedir(d);
	return 0;
}

static void rmtree(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwX '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* Host core slot of each Linux CPU in the advertised topology @t: package
 * index, core index inside it, thread index inside the core. */
static void honest_pins(const struct vtc_topo *t, const struct vtc_sim_host *h, int *pin)
{
	const struct vtc_groups *pk = &t->groups[VTC_LEVEL_PACKAGE], *smt = &t->groups[VTC_LEVEL_SMT];
	int c;

	vtc_cpuset_foreach(c, &t->online) {
		int p = vtc_groups_find(pk, c), s = vtc_groups_find(smt, c), core = 0, th = 0, d;
		for (int q = 0; q < s; q++)
			core += vtc_cpuset_subset(&smt->set[q], &pk->set[p]);
		vtc_cpuset_foreach(d, &smt->set[s])
			th += d < c;
		pin[c] = vtc_sim_pcpu(h, p, core, th);
	}
}

/* A real machine's sysfs (hwloc's 16em64t-4s2c2t: 4 sockets, siblings
 * numbered c and c+8, sockets interleaved) as the advertised topology:
 * vCPUs placed as it says are OK; placed in plain QEMU order they are not. */
static void test_recorded_interleaved_sysfs(void **state)
{
	char dir[64], root[PATH_MAX];
	struct vtc_sysfs fs;
	struct vtc_topo adv;
	int pin[16], extra[16][2], ne;
	(void)state;
	if (unpack("hwloc-linux/16em64t-4s2c2t.tar.bz2", dir, sizeof(dir), root, sizeof(root)))
		skip();
	assert_int_equal(vtc_sysfs_init(&fs, root), 0);
	assert_int_equal(vtc_topo_read_sysfs(&fs, &adv), 0);
	assert_int_equal(vtc_cpuset_count(&adv.online), 16);
	assert_true(adv.level_known[VTC_LEVEL_SMT] && adv.level_known[VTC_LEVEL_PACKAGE]);
	ne = vtc_sim_smt_pairs(&adv, extra, 16);
	for (int misplaced = 0; misplaced < 2; misplaced++) {
		struct vtc_sim sim;
		struct vtc_results r;
		struct vtc_inferred inf;
		struct vtc_findings f = {0};
		char why[256];

		honest_pins(&adv, &vtc_sim_xeon4s, pin);
		for (int c = 0; misplaced && c < 16; c++)
			pin[c] = vtc_sim_pcpu(&vtc_sim_xeon4s, c / 4, (c / 2) % 2, c % 2);
		assert_int_equal(vtc_sim_init_pinned(&sim, &vtc_sim_xeon4s, 16, pin, VTC_SIM_IDLE, 3), 0);
		assert_int_equal(vtc_sim_measure(&sim, 2, true, extra, ne, &r), 0);
		assert_int_equal(vtc_infer(&r, &adv, &inf), 0);
		assert_int_equal(vtc_compare(&inf, &r, &adv, NULL, &f), 0);
		if (!misplaced) {
			/* This front-side-bus host has one memory node for its 4
			 * sockets: right for memory, but a guest told so about
			 * vCPUs on 4 measured sockets gets numa-mismatch, and
			 * nothing else. */
			assert_int_equal(vtc_verdict(&inf, &f, why, sizeof(why)), VTC_EXIT_WARNING);
			assert_int_equal(f.count, 1);
			assert_int_equal(f.item[0].kind, VTC_FK_NUMA_MISMATCH);
		} else {
			assert_int_equal(vtc_verdict(&inf, &f, why, sizeof(why)), VTC_EXIT_CRITICAL);
			assert_true(vtc_findings_count_kind(&f, VTC_FK_HIDDEN_SMT) == 1);
			assert_true(vtc_findings_count_kind(&f, VTC_FK_PHANTOM_SMT) == 1);
			assert_true(vtc_findings_count_kind(&f, VTC_FK_SOCKET_MISMATCH) == 1);
		}
		vtc_findings_free(&f);
		vtc_inferred_free(&inf);
		vtc_results_free(&r);
	}
	vtc_topo_free(&adv);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phantom_kubevirt),
		cmocka_unit_test(test_hidden_libvirt_order),
		cmocka_unit_test(test_hidden_one_look_is_warning),
		cmocka_unit_test(test_hidden_and_the_hint),
		cmocka_unit_test(test_hidden_openstack),
		cmocka_unit_test(test_numa_mismatch),
		cmocka_unit_test(test_amd_split_is_llc),
		cmocka_unit_test(test_unknown_and_invalid),
		cmocka_unit_test(test_recorded_interleaved_sysfs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
