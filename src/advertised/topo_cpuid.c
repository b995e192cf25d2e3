/* topo_cpuid.c - decode the advertised topology from CPUID, per CPU.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Everything is derived from APIC ids the way the kernel and hwloc do it:
 * a level is a run of low APIC-id bits ("shift"), and CPUs whose ids agree
 * above that shift share the level's instance. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/advertised/topo_cpuid.h"

/* Leaf 0x1F/0xB level types (ECX[15:8]). */
enum { LT_SMT = 1, LT_CORE = 2, LT_MODULE = 3, LT_TILE = 4, LT_DIE = 5 };

/* One CPU decoded from its CPUID records: APIC id, the shifts that cut it
 * into thread / core / die / package ids, and its caches. */
struct dec {
	uint32_t apic;
	int core_shift, pkg_shift; /* APIC id >> core_shift: core; >> pkg_shift: package */
	int cluster_lo, die_lo; /* module / die instance = apic >> this; -1 none */
	bool die_known;
	int node;               /* AMD node id, -1 unknown */
	int cache_shift[VTC_LEVEL_COUNT]; /* -1 unknown */
	int cache_share[VTC_LEVEL_COUNT];
	long cache_kib[VTC_LEVEL_COUNT];
};

/* One CPUID answer for @cpu, as its records give it. */
static struct vtc_cpuid_regs cpuid_q(const struct vtc_cpuid_src *s, int cpu, uint32_t leaf,
				     uint32_t sub)
{
	struct vtc_cpuid_regs r;
	vtc_cpuid_query(s, cpu, leaf, sub, &r); /* cpu comes from the source's set */
	return r;
}

/* Smallest n with (1 << n) >= v: the APIC-id bits that @v ids need. */
static int ceil_log2(uint32_t v)
{
	return v <= 1 ? 0 : 32 - __builtin_clz(v - 1);
}

static void vendor_of(const struct vtc_cpuid_src *s, int cpu, char out[13])
{
	struct vtc_cpuid_regs r = cpuid_q(s, cpu, 0, 0);
	memcpy(out, &r.ebx, 4);
	memcpy(out + 4, &r.edx, 4);
	memcpy(out + 8, &r.ecx, 4);
	out[12] = '\0';
}


static int family_of(uint32_t leaf1_eax)
{
	int fam = (leaf1_eax >> 8) & 0xf;
	return fam == 0xf ? fam + (int)((leaf1_eax >> 20) & 0xff) : fam;
}

/* Leaf 0x1F or 0xB. Subleaf 0 with EBX = 0 means the leaf is not
 * implemented (Zen 1 answers zeros below its max leaf). */
static bool decode_x2apic_leaf(const struct vtc_cpuid_src *s, int cpu, uint32_t leaf,
			       struct dec *d)
{
	struct vtc_cpuid_regs r = cpuid_q(s, cpu, leaf, 0);
	int prev = 0;

	if (r.ebx == 0)
		return false;
	d->apic = r.edx;
	for (uint32_t sub = 0; sub < 16; sub++) {
		int type, shift;

		r = cpuid_q(s, cpu, leaf, sub);
		type = (r.ecx >> 8) & 0xff;
		if (type == 0)
			break;
		shift = (int)(r.eax & 0x1f);
		if (type == LT_SMT)
			d->core_shift = shift;
		else if (type == LT_MODULE)
			d->cluster_lo = prev; /* CPUs of one module agree above the core bits */
		else if (type == LT_DIE)
			d->die_lo = prev;
		prev = shift;
	}
	d->pkg_shift = prev; /* the last level's shift leads to the package id */
	return true;
}

/* AMD leaf 0x80000026 (Zen 4 and later): unlike 0xB, each level's shift
 * yields the id of that level itself; type 3 is the CCD, the die Linux and
 * hwloc report. */
static void decode_amd_die(const struct vtc_cpuid_src *s, int cpu, struct dec *d)
{
	struct vtc_cpuid_regs r = cpuid_q(s, cpu, 0x80000026, 0);

	if (r.ebx == 0)
		return;
	for (uint32_t sub = 0; sub < 8; sub++) {
		int type;

		r = cpuid_q(s, cpu, 0x80000026, sub);
		type = (r.ecx >> 8) & 0xff;
		if (type == 0)
			break;
		if (type == 3)
			d->die_lo = (int)(r.eax & 0x1f);
	}
}

static void decode_amd_node(const struct vtc_cpuid_src *s, int cpu, struct dec *d,
			    bool topoext, int family)
{
	struct vtc_cpuid_regs r = cpuid_q(s, cpu, 0x8000001e, 0);
	int nodes = (int)((r.ecx >> 8) & 7) + 1;

	/* Zen 1 and Hygon have several dies, each its own memory node, per
	 * package; later parts report one node, which says nothing about NPS. */
	if (topoext && family >= 0x17 && nodes > 1)
		d->node = (int)(r.ecx & 0xff);
}

/* AMD/Hygon without x2APIC leaves: extended APIC id and threads per core in
 * 0x8000001E (TopologyExtensions), package id bits in 0x80000008 ECX. */
static void decode_amd(const struct vtc_cpuid_src *s, int cpu, struct dec *d, bool topoext,
		       int family)
{
	struct vtc_cpuid_regs r = cpuid_q(s, cpu, 0x80000008, 0);
	int bits = (int)((r.ecx >> 12) & 0xf);

	d->apic = cpuid_q(s, cpu, 1, 0).ebx >> 24;
	d->pkg_shift = bits ? bits : ceil_log2((r.ecx & 0xff) + 1);
	if (topoext) {
		r = cpuid_q(s, cpu, 0x8000001e, 0);
		d->apic = r.eax;
		/* Before family 17h EBX[15:8] counts cores per compute unit. */
		if (family >= 0x17)
			d->core_shift = ceil_log2(((r.ebx >> 8) & 0xff) + 1);
	}
}

/* Pre-x2APIC Intel (and others): leaf 1 logical count per package (with
 * HTT), leaf 4 cores per package, as Linux's detect_ht() does. */
static void decode_legacy(const struct vtc_cpuid_src *s, int cpu, struct dec *d)
{
	struct vtc_cpuid_regs r1 = cpuid_q(s, cpu, 1, 0), r4 = cpuid_q(s, cpu, 4, 0);
	uint32_t logical = (r1.edx >> 28) & 1 ? (r1.ebx >> 16) & 0xff : 1;
	uint32_t cores = (r4.eax & 0x1f) ? ((r4.eax >> 26) & 0x3f) + 1 : 1;

	if (logical == 0)
		logical = 1;
	d->apic = r1.ebx >> 24;
	d->pkg_shift = ceil_log2(logical);
	d->core_shift = logical > cores ? ceil_log2(logical / cores) : 0;
}

/* Leaf 4 / 0x8000001D: one subleaf per cache, EAX[25:14] = max ids sharing
 * - 1, size = ways * partitions * line * sets. */
static void decode_caches(const struct vtc_cpuid_src *s, int cpu, uint32_t leaf, struct dec *d)
{
	for (uint32_t sub = 0; sub < 32; sub++) {
		struct vtc_cpuid_regs r = cpuid_q(s, cpu, leaf, sub);
		int type = (int)(r.eax & 0x1f), level = (int)((r.eax >> 5) & 7);
		enum vtc_level l;
		uint32_t share;

		if (type == 0)
			break;
		if (type == 2) /* instruction cache */
			continue;
		if (level < 1 || level > 3)
			continue;
		l = level == 1 ? VTC_LEVEL_L1D : level == 2 ? VTC_LEVEL_L2 : VTC_LEVEL_L3;
		share = ((r.eax >> 14) & 0xfff) + 1;
		d->cache_share[l] = (int)share;
		d->cache_shift[l] = ceil_log2(share);
		d->cache_kib[l] = (long)(((uint64_t)(r.ebx >> 22) + 1) * (((r.ebx >> 12) & 0x3ff) + 1) *
					 ((r.ebx & 0xfff) + 1) * ((uint64_t)r.ecx + 1) / 1024);
	}
}

static void decode_cpu(const struct vtc_cpuid_src *s, int cpu, struct dec *d)
{
	char vendor[13];
	uint32_t max = cpuid_q(s, cpu, 0, 0).eax;
	int family = family_of(cpuid_q(s, cpu, 1, 0).eax);
	bool amd, topoext, x2;

	memset(d, 0, sizeof(*d));
	d->cluster_lo = d->die_lo = d->node = -1;
	for (int l = 0; l < VTC_LEVEL_COUNT; l++)
		d->cache_shift[l] = -1;
	vendor_of(s, cpu, vendor);
	amd = vtc_vendor_amd_like(vtc_vendor_from_signature(vendor));
	topoext = amd && ((cpuid_q(s, cpu, 0x80000001, 0).ecx >> 22) & 1);
	x2 = (max >= 0x1f && decode_x2apic_leaf(s, cpu, 0x1f, d)) ||
	     (max >= 0xb && decode_x2apic_leaf(s, cpu, 0xb, d));
	if (!x2 && amd)
		decode_amd(s, cpu, d, topoext, family);
	else if (!x2)
		decode_legacy(s, cpu, d);
	if (amd) {
		decode_amd_die(s, cpu, d);
		decode_amd_node(s, cpu, d, topoext, family);
		if (topoext)
			decode_caches(s, cpu, 0x8000001d, d);
	} else if (max >= 4) {
		decode_caches(s, cpu, 4, d);
	}
	/* Linux reports die = package where CPUID names no die (Intel); AMD
	 * parts before 0x80000026 have no die leaf, so it stays unknown. */
	d->die_known = d->die_lo >= 0 || !amd;
}

/* A key per (shift, id above it): CPUs reporting different shifts for one
 * level (hybrid L2) never collide. -1 = unknown. */
static int64_t shift_key(uint32_t apic, int shift)
{
	return shift < 0 ? -1 : ((int64_t)shift << 40) | (int64_t)(apic >> shift);
}

static int64_t level_key(const struct dec *d, enum vtc_level l)
{
	switch (l) {
	case VTC_LEVEL_SMT:
		return shift_key(d->apic, d->core_shift);
	case VTC_LEVEL_CLUSTER:
		return shift_key(d->apic, d->cluster_lo);
	case VTC_LEVEL_DIE:
		return d->die_known ? shift_key(d->apic, d->die_lo >= 0 ? d->die_lo : d->pkg_shift) : -1;
	case VTC_LEVEL_PACKAGE:
		return shift_key(d->apic, d->pkg_shift);
	case VTC_LEVEL_NUMA:
		return d->node < 0 ? -1 : ((int64_t)(d->apic >> d->pkg_shift) << 16) | d->node;
	default:
		return shift_key(d->apic, d->cache_shift[l]);
	}
}

static void fill_cpu(struct vtc_topo_cpu *c, const struct dec *d)
{
	uint32_t in_pkg = d->pkg_shift >= 32 ? d->apic : d->apic & ((1u << d->pkg_shift) - 1);

	c->possible = c->present = c->online = true;
	c->x2apic_id = d->apic;
	c->thread_id = (int)(d->apic & ((1u << d->core_shift) - 1));
	c->core_id = (int)(in_pkg >> d->core_shift);
	c->package_id = d->pkg_shift >= 32 ? 0 : (int)(d->apic >> d->pkg_shift);
	if (d->cluster_lo >= 0)
		c->cluster_id = (int)(in_pkg >> d->cluster_lo);
	if (d->die_known)
		c->die_id = d->die_lo >= 0 ? (int)(in_pkg >> d->die_lo) : 0;
	c->numa_node = d->node;
}

static void siblings_from_keys(struct vtc_topo *t, enum vtc_level l, const struct dec *d)
{
	int a, b;

	vtc_cpuset_foreach(a, &t->online) {
		int64_t ka = level_key(&d[a], l);

		vtc_cpuset_clear(&t->cpu[a].siblings[l]);
		if (ka < 0)
			continue;
		vtc_cpuset_foreach(b, &t->online)
			if (level_key(&d[b], l) == ka)
				vtc_cpuset_set(&t->cpu[a].siblings[l], b);
	}
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static int span_of(int shift)
{
	return shift >= 31 ? INT_MAX : 1 << shift;
}

/* Raw advertised spans, kept for consist; cache sizes of the lowest CPU. */
static void fill_spans(struct vtc_topo *t, const struct dec *d)
{
	int cpu, first = vtc_cpuset_first(&t->online);

	vtc_cpuset_foreach(cpu, &t->online) {
		const struct dec *x = &d[cpu];
		int *span = t->ids_sharing;

		span[VTC_LEVEL_SMT] = max_int(span[VTC_LEVEL_SMT], span_of(x->core_shift));
		span[VTC_LEVEL_PACKAGE] = max_int(span[VTC_LEVEL_PACKAGE], span_of(x->pkg_shift));
		if (x->die_known)
			span[VTC_LEVEL_DIE] = max_int(span[VTC_LEVEL_DIE],
						      span_of(x->die_lo >= 0 ? x->die_lo : x->pkg_shift));
		for (int l = VTC_LEVEL_L1D; l <= VTC_LEVEL_L3; l++)
			span[l] = max_int(span[l], x->cache_share[l]);
	}
	for (int l = VTC_LEVEL_L1D; l <= VTC_LEVEL_L3; l++)
		t->cache_kib[l] = d[first].cache_kib[l];
}

int vtc_topo_cpuid_read(const struct vtc_cpuid_src *src, struct vtc_topo *t)
{
	const vtc_cpuset *cpus = vtc_cpuid_cpus(src);
	int cpu, n = vtc_cpuset_last(cpus) + 1, rc;
	struct dec *d;

	memset(t, 0, sizeof(*t));
	if (n <= 0)
		return -EINVAL;
	rc = vtc_topo_init(t, "cpuid", n);
	if (rc < 0)
		return rc;
	d = calloc((size_t)n, sizeof(*d));
	if (!d)
		return -ENOMEM;
	t->possible = t->present = t->online = t->allowed = *cpus;
	vtc_cpuset_foreach(cpu, cpus) {
		decode_cpu(src, cpu, &d[cpu]);
		fill_cpu(&t->cpu[cpu], &d[cpu]);
	}
	for (int l = 0; l < VTC_LEVEL_COUNT; l++)
		siblings_from_keys(t, (enum vtc_level)l, d);
	fill_spans(t, d);
	free(d);
	return vtc_topo_build_groups(t);
}

/* ---- platform facts ------------------------------------------------------ */

/* The 12-byte signature of a hypervisor leaf block; its EAX (max leaf). */
static uint32_t hv_signature(const struct vtc_cpuid_src *s, int cpu, uint32_t base,
			     char sig[13])
{
	struct vtc_cpuid_regs r = cpuid_q(s, cpu, base, 0);

	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0'; /* KVM pads "KVMKVMKVM" with NULs */
	return r.eax;
}

/* The hypervisor's name (@sig, "" without the hypervisor bit) and the base
 * of the leaf block holding KVM/VMware's timing leaf (0 none; its maximum
 * in *max). KVM offering Hyper-V enlightenments (for Windows guests) says
 * "Microsoft Hv" at 0x40000000 and names itself at 0x40000100. */
static uint32_t hv_block(const struct vtc_cpuid_src *s, int cpu, char sig[13], uint32_t *max)
{
	char kvm[13];
	uint32_t m;

	sig[0] = '\0';
	*max = 0;
	if (!((cpuid_q(s, cpu, 1, 0).ecx >> 31) & 1))
		return 0;
	m = hv_signature(s, cpu, 0x40000000, sig);
	if (strcmp(sig, "KVMKVMKVM") == 0 || strcmp(sig, "VMwareVMware") == 0) {
		*max = m;
		return 0x40000000;
	}
	if (strcmp(sig, "Microsoft Hv") == 0) {
		m = hv_signature(s, cpu, 0x40000100, kvm);
		if (strcmp(kvm, "KVMKVMKVM") == 0) {
			memcpy(sig, kvm, sizeof(kvm));
			*max = m;
			return 0x40000100;
		}
	}
	return 0;
}

uint64_t vtc_cpuid_tsc_hz(const struct vtc_cpuid_src *s, int cpu, const char **source)
{
	char sig[13];
	uint32_t max, base = hv_block(s, cpu, sig, &max);
	struct vtc_cpuid_regs r;

	/* KVM (with the TSC-frequency feature) and VMware publish kHz at
	 * block + 0x10; Hyper-V's block has no such leaf. It comes first: a
	 * guest's 0x15/0x16 may be the host's model values, not what the
	 * hypervisor scales the guest TSC to. */
	if (base && max >= base + 0x10) {
		r = cpuid_q(s, cpu, base + 0x10, 0);
		if (r.eax) {
			*source = "cpuid-0x40000010";
			return (uint64_t)r.eax * 1000;
		}
	}
	/* Leaf 0x15: TSC = crystal (ECX Hz) * EBX / EAX. Some Intel parts
	 * leave ECX 0; then the base frequency of 0x16 is the better guess. */
	r = cpuid_q(s, cpu, 0x15, 0);
	if (r.eax && r.ebx && r.ecx) {
		*source = "cpuid-0x15";
		return (uint64_t)r.ecx * r.ebx / r.eax;
	}
	r = cpuid_q(s, cpu, 0x16, 0);
	if (r.eax & 0xffff) {
		*source = "cpuid-0x16";
		return (uint64_t)(r.eax & 0xffff) * 1000000;
	}
	*source = "";
	return 0;
}

uint32_t vtc_cpuid_kvm_base(const struct vtc_cpuid_src *s, int cpu)
{
	/* Linux compares all 12 bytes, the NUL padding included, and so does
	 * this; it walks the blocks a hypervisor may stack (Hyper-V first,
	 * then KVM) up to 0x40010000. Blocks never recorded read as zeros. */
	static const char kvm[12] = "KVMKVMKVM\0\0";
	char sig[13];

	if (!((cpuid_q(s, cpu, 1, 0).ecx >> 31) & 1))
		return 0;
	for (uint32_t base = 0x40000000u; base < 0x40010000u; base += 0x100) {
		hv_signature(s, cpu, base, sig);
		if (memcmp(sig, kvm, sizeof(kvm)) == 0)
			return base;
	}
	return 0;
}

int vtc_cpuid_kvm_hints(const struct vtc_cpuid_src *s, int cpu, uint32_t *hints)
{
	uint32_t base = vtc_cpuid_kvm_base(s, cpu);

	*hints = 0;
	if (!base)
		return -ENOENT;
	/* Like Linux's kvm_arch_para_hints(): base | KVM_CPUID_FEATURES. A
	 * block whose maximum stops short of it reads zeros (no hints). */
	*hints = cpuid_q(s, cpu, base | 0x1, 0).edx;
	return 0;
}

bool vtc_cpuid_invariant_tsc(const struct vtc_cpuid_src *s, int cpu)
{
	return (cpuid_q(s, cpu, 0x80000007, 0).edx >> 8) & 1;
}

int vtc_platform_read_cpuid(const struct vtc_cpuid_src *src, struct vtc_platform *p)
{
	int cpu = vtc_cpuset_first(vtc_cpuid_cpus(src));
	char vendor[13], sig[13];
	const char *source;
	uint32_t max, hints;

	if (cpu < 0)
		return -EINVAL;
	p->cpuid_available = true;
	vendor_of(src, cpu, vendor);
	snprintf(p->cpuid_vendor, sizeof(p->cpuid_vendor), "%s", vendor);
	p->cpuid_hypervisor = (cpuid_q(src, cpu, 1, 0).ecx >> 31) & 1;
	hv_block(src, cpu, sig, &max);
	snprintf(p->hv_cpuid_vendor, sizeof(p->hv_cpuid_vendor), "%s", sig);
	p->cpuid_invariant_tsc = vtc_cpuid_invariant_tsc(src, cpu);
	p->tsc_khz = vtc_cpuid_tsc_hz(src, cpu, &source) / 1000;
	snprintf(p->tsc_khz_source, sizeof(p->tsc_khz_source), "%s", source);
	p->kvm_hint_dedicated = VTC_HINT_UNKNOWN;
	if (vtc_cpuid_kvm_hints(src, cpu, &hints) == 0)
		p->kvm_hint_dedicated = hints & VTC_KVM_HINTS_REALTIME ? VTC_HINT_YES : VTC_HINT_NO;
	return 0;
}
