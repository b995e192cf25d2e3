/* consist.c - findings where sysfs and CPUID tell the guest different things.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The kernel builds sysfs from CPUID plus ACPI/firmware and its own rules,
 * so on a sane guest both agree. When they do not, something the guest's
 * scheduler or runtimes read is wrong, whichever it is. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/advertised/consist.h"

/* Group of @cpu at @l restricted to @common (empty if unknown). */
static vtc_cpuset group_of(const struct vtc_topo *t, enum vtc_level l, int cpu,
			   const vtc_cpuset *common)
{
	vtc_cpuset g;
	int at = vtc_groups_find(&t->groups[l], cpu);

	vtc_cpuset_clear(&g);
	if (at >= 0)
		vtc_cpuset_and(&g, &t->groups[l].set[at], common);
	return g;
}

/* Append "[a-b] [c]" for the groups of @t that hold a CPU of @involved;
 * "..." once @buf is full. */
static void format_groups(const struct vtc_topo *t, enum vtc_level l,
			  const vtc_cpuset *involved, const vtc_cpuset *common,
			  char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < t->groups[l].count; i++) {
		vtc_cpuset g;
		char list[64];
		size_t need;

		vtc_cpuset_and(&g, &t->groups[l].set[i], common);
		if (!vtc_cpuset_intersects(&g, involved))
			continue;
		need = vtc_cpulist_format(&g, list, sizeof(list));
		if (need >= sizeof(list) || len + need + 8 >= size) {
			snprintf(buf + len, size - len, "%s...", len ? " " : "");
			return;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s[%s]", len ? " " : "", list);
	}
}

static int largest_group(const struct vtc_topo *t, enum vtc_level l, const vtc_cpuset *common)
{
	int max = 0;

	for (int i = 0; i < t->groups[l].count; i++) {
		vtc_cpuset g;
		vtc_cpuset_and(&g, &t->groups[l].set[i], common);
		if (vtc_cpuset_count(&g) > max)
			max = vtc_cpuset_count(&g);
	}
	return max;
}

static const char *hv_note(const struct vtc_platform *p)
{
	static const char *const none[] = { "", "none", "unknown" };

	if (!p)
		return "";
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (strcmp(p->hypervisor, none[i]) == 0)
			return "";
	return p->hypervisor;
}

static bool same_partition(const struct vtc_topo *t, enum vtc_level x, enum vtc_level y)
{
	if (!t->level_known[x] || !t->level_known[y] || t->groups[x].count != t->groups[y].count)
		return false;
	for (int i = 0; i < t->groups[x].count; i++)
		if (!vtc_cpuset_equal(&t->groups[x].set[i], &t->groups[y].set[i]))
			return false;
	return true;
}

/* Kernels before 6.9 do not model AMD CCDs (0x80000026) and report die =
 * package: that is the kernel's coarser view, not a second truth. */
static bool kernel_ignores_dies(const struct vtc_topo *sysfs, const struct vtc_topo *cpuid)
{
	return same_partition(sysfs, VTC_LEVEL_DIE, VTC_LEVEL_PACKAGE) &&
	       !same_partition(cpuid, VTC_LEVEL_DIE, VTC_LEVEL_PACKAGE);
}

static int check_level(const struct vtc_topo *a, const struct vtc_topo *b, enum vtc_level l,
		       const vtc_cpuset *common, const struct vtc_platform *p,
		       struct vtc_findings *out)
{
	char ga[256], gb[256], who[64];
	vtc_cpuset bad;
	struct vtc_finding *f;
	int cpu;

	if (!a->level_known[l] || !b->level_known[l])
		return 0;
	if (l == VTC_LEVEL_DIE && kernel_ignores_dies(a, b))
		return 0;
	vtc_cpuset_clear(&bad);
	vtc_cpuset_foreach(cpu, common) {
		vtc_cpuset x = group_of(a, l, cpu, common), y = group_of(b, l, cpu, common);
		if (!vtc_cpuset_equal(&x, &y))
			vtc_cpuset_set(&bad, cpu);
	}
	if (vtc_cpuset_empty(&bad))
		return 0;
	format_groups(a, l, &bad, common, ga, sizeof(ga));
	format_groups(b, l, &bad, common, gb, sizeof(gb));
	vtc_cpulist_format(&bad, who, sizeof(who));
	f = vtc_findings_add(out, VTC_FK_CPUID_SYSFS_DISAGREE, VTC_SEV_WARNING, &bad,
			     "%s groups differ on vCPUs %s: sysfs %s, CPUID %s "
			     "(CPUID says up to %d %s, sysfs %d)%s%s",
			     vtc_level_name(l), who, ga, gb, largest_group(b, l, common),
			     l == VTC_LEVEL_SMT ? "threads per core" : "CPUs per group",
			     largest_group(a, l, common), *hv_note(p) ? "; hypervisor " : "",
			     hv_note(p));
	if (!f)
		return -ENOMEM;
	snprintf(f->cost, sizeof(f->cost),
		 "software that reads CPUID (runtimes, licensing, MPI, JITs) and the "
		 "kernel scheduler see different %s topologies",
		 vtc_level_name(l));
	snprintf(f->fix, sizeof(f->fix),
		 "make the hypervisor's CPUID topology leaves (1, 4, 0xB/0x1F, "
		 "0x8000001E) describe the same vCPU layout as the ACPI tables it gives "
		 "the guest (QEMU: one consistent -smp sockets/dies/cores/threads)");
	return 0;
}

/* A cache that CPUID says is shared by more logical ids than one package
 * has: hardware never does that, hypervisors that copy the host's leaf 4
 * (seen with cloud-hypervisor and Firecracker) do. Compare with the
 * package's APIC-id span, not its CPU count: real CPUs round "max ids
 * sharing" up to a power of two and leave ids unused (SMT off). */
static int check_cache_leak(const struct vtc_topo *c, const struct vtc_platform *p,
			    struct vtc_findings *out)
{
	int pkg = c->ids_sharing[VTC_LEVEL_PACKAGE];
	bool amd = vtc_vendor_amd_like(vtc_platform_vendor(p));

	for (int l = VTC_LEVEL_L1D; l <= VTC_LEVEL_L3; l++) {
		int n = c->ids_sharing[l], cpus = 0, first = vtc_cpuset_first(&c->online);
		struct vtc_finding *f;

		if (pkg <= 0 || n <= pkg)
			continue;
		if (first >= 0 && c->level_known[VTC_LEVEL_PACKAGE])
			cpus = vtc_cpuset_count(&c->cpu[first].siblings[VTC_LEVEL_PACKAGE]);
		f = vtc_findings_add(out, VTC_FK_CPUID_SYSFS_DISAGREE, VTC_SEV_WARNING, &c->online,
				     "CPUID leaf %s says one %s is shared by up to %d logical "
				     "CPUs, but a package spans only %d APIC ids (%d vCPUs in "
				     "vCPU %d's package): host cache topology leaks into the "
				     "guest%s%s",
				     amd ? "0x8000001D" : "4", vtc_level_name((enum vtc_level)l), n,
				     pkg, cpus, first, *hv_note(p) ? "; hypervisor " : "",
				     hv_note(p));
		if (!f)
			return -ENOMEM;
		snprintf(f->cost, sizeof(f->cost),
			 "runtimes that size caches and thread pools from CPUID (glibc "
			 "memcpy thresholds, JVM, BLAS) assume a cache far larger than "
			 "this guest's share");
		snprintf(f->fix, sizeof(f->fix),
			 "have the hypervisor rewrite leaf 4 / 0x8000001D EAX[25:14] to the "
			 "guest's own topology (QEMU: host-cache-info=off; Firecracker/"
			 "cloud-hypervisor: update to a release that normalises cache leaves)");
	}
	return 0;
}

int vtc_consist_check(const struct vtc_topo *sysfs, const struct vtc_topo *cpuid,
		      const struct vtc_platform *p, struct vtc_findings *out)
{
	vtc_cpuset common;
	int rc = 0;

	if (!sysfs || !cpuid || !out)
		return -EINVAL;
	vtc_cpuset_and(&common, &sysfs->online, &cpuid->online);
	for (int l = 0; rc == 0 && l < VTC_LEVEL_COUNT; l++)
		if (!vtc_cpuset_empty(&common))
			rc = check_level(sysfs, cpuid, (enum vtc_level)l, &common, p, out);
	if (rc == 0)
		rc = check_cache_leak(cpuid, p, out);
	return rc;
}
