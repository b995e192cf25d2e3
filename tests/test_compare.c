/* test_compare.c - findings, fixes per platform, suggested topology, verdict.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "compare.h"
#include "infer.h"
#include "sim.h"
#include "verdict.h"

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

/* Measure @nv vCPUs pinned on @pin of @h (idle host, seed 1), advertise
 * sockets x cores x threads, and judge on platform @product/@vendor. */
static void judge(struct run *x, const struct vtc_sim_host *h, int nv, const int *pin,
		  int sockets, int cores, int threads, const char *product, const char *hv)
{
	int extra[VTC_SIM_MAX_VCPUS][2], ne;

	memset(x, 0, sizeof(*x));
	snprintf(x->plat.hypervisor, sizeof(x->plat.hypervisor), "%s", hv);
	snprintf(x->plat.dmi_product_name, sizeof(x->plat.dmi_product_name), "%s", product);
	snprintf(x->plat.cpuid_vendor, sizeof(x->plat.cpuid_vendor), "%s", h->vendor);
	assert_int_equal(vtc_sim_init_pinned(&x->sim, h, nv, pin, VTC_SIM_IDLE, 1), 0);
	assert_int_equal(vtc_sim_topo(&x->adv, sockets, cores, threads, 1), 0);
	ne = vtc_sim_smt_pairs(&x->adv, extra, VTC_SIM_MAX_VCPUS);
	assert_int_equal(vtc_sim_measure(&x->sim, 2, true, extra, ne, &x->r), 0);
	assert_int_equal(vtc_infer(&x->r, &x->adv, &x->inf), 0);
	assert_int_equal(vtc_compare(&x->inf, &x->r, &x->adv, &x->plat, &x->fs), 0);
	x->st = vtc_verdict(&x->inf, &x->fs, x->why, sizeof(x->why));
}

static void done(struct run *x)
{
	vtc_findings_free(&x->fs);
	vtc_inferred_free(&x->inf);
	vtc_topo_free(&x->adv);
	vtc_results_free(&x->r);
}

static const struct vtc_finding *find(const struct run *x, const char *kind)
{
	for (int i = 0; i < x->fs.count; i++)
		if (strcmp(x->fs.item[i].kind, kind) == 0)
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
	f = find(&x, "phantom-smt");
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
	assert_non_null(strstr(x.why, "CRITICAL: vCPUs 0-3 are advertised as SMT siblings"));
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
	f = find(&x, "hidden-smt");
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "<vcpupin>"));
	assert_non_null(strstr(f->fix, "<emulatorpin>"));
	assert_non_null(strstr(f->fix, "sockets=1 cores=2 threads=2 with vCPU order 0,2,1,3"));
	assert_non_null(strstr(f->cost, "co-run ratio 0."));
	assert_null(find(&x, "phantom-smt"));
	done(&x);
}

static void test_hidden_openstack(void **state)
{
	static const int pin[] = {1, 17, 2, 18};
	struct run x;
	const struct vtc_finding *f;
	(void)state;
	judge(&x, &vtc_sim_xeon4208, 4, pin, 4, 1, 1, "OpenStack Nova", "kvm");
	f = find(&x, "hidden-smt");
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
	f = find(&x, "numa-mismatch");
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
	assert_non_null(find(&x, "llc-mismatch"));
	assert_null(find(&x, "socket-mismatch"));
	/* told Intel instead, the same split is a socket split */
	vtc_findings_free(&x.fs);
	snprintf(x.plat.cpuid_vendor, sizeof(x.plat.cpuid_vendor), "GenuineIntel");
	assert_int_equal(vtc_compare(&x.inf, &x.r, &x.adv, &x.plat, &x.fs), 0);
	assert_non_null(find(&x, "socket-mismatch"));
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
	assert_int_equal(vtc_compare(NULL, &r, &adv, NULL, &fs), -EINVAL);
	assert_int_equal(vtc_compare(&inf, &r, NULL, NULL, &fs), -EINVAL);
	assert_int_equal(vtc_compare(&inf, &r, &adv, NULL, NULL), -EINVAL);
	vtc_topo_free(&adv);
}

static void test_verdict_levels(void **state)
{
	struct vtc_inferred inf;
	struct vtc_findings fs = {0};
	vtc_cpuset c;
	char why[200];
	(void)state;
	memset(&inf, 0, sizeof(inf));
	vtc_cpulist_parse("0-1", &c);
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_OK);
	assert_non_null(strstr(why, "OK"));
	vtc_findings_add(&fs, "info-only", VTC_SEV_INFO, &c, "x");
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_OK);
	vtc_findings_add(&fs, "floating", VTC_SEV_WARNING, &c, "x");
	assert_int_equal(vtc_verdict(&inf, &fs, why, sizeof(why)), VTC_EXIT_WARNING);
	assert_string_equal(why, "WARNING: vCPUs 0-1 are not pinned: the host moved them during "
				 "the run (floating) (+1 more finding)");
	vtc_findings_add(&fs, "stacked", VTC_SEV_CRITICAL, &c, "x");
	assert_int_equal(vtc_verdict(&inf, &fs, why, 9), VTC_EXIT_CRITICAL);
	assert_string_equal(why, "CRITICAL");
	vtc_findings_free(&fs);
}

static void test_fail_on(void **state)
{
	enum vtc_fail_on p;
	(void)state;
	assert_int_equal(vtc_verdict_parse_fail_on("warning", &p), 0);
	assert_int_equal(p, VTC_FAIL_WARNING);
	assert_true(vtc_verdict_fails(VTC_EXIT_WARNING, p));
	assert_true(vtc_verdict_fails(VTC_EXIT_CRITICAL, p));
	assert_false(vtc_verdict_fails(VTC_EXIT_OK, p));
	assert_false(vtc_verdict_fails(VTC_EXIT_UNKNOWN, p));
	assert_int_equal(vtc_verdict_parse_fail_on("critical", &p), 0);
	assert_false(vtc_verdict_fails(VTC_EXIT_WARNING, p));
	assert_true(vtc_verdict_fails(VTC_EXIT_CRITICAL, p));
	assert_int_equal(vtc_verdict_parse_fail_on("never", &p), 0);
	assert_false(vtc_verdict_fails(VTC_EXIT_CRITICAL, p));
	assert_int_equal(vtc_verdict_parse_fail_on("Critical", &p), -EINVAL);
	assert_int_equal(vtc_verdict_parse_fail_on(NULL, &p), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phantom_kubevirt),
		cmocka_unit_test(test_hidden_libvirt_order),
		cmocka_unit_test(test_hidden_openstack),
		cmocka_unit_test(test_numa_mismatch),
		cmocka_unit_test(test_amd_split_is_llc),
		cmocka_unit_test(test_unknown_and_invalid),
		cmocka_unit_test(test_verdict_levels),
		cmocka_unit_test(test_fail_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
