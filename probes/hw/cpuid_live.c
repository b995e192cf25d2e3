/* cpuid_live.c - record CPUID answers of this machine's CPUs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <sched.h>

#include "probes/hw/affinity.h"
#include "probes/hw/arch/arch.h"
#include "probes/hw/cpuid_live.h"

/* Leaves whose subleaves we decode, and how their enumeration ends (a zero
 * type/level field, or a count in subleaf 0): 1 = record the next subleaf,
 * 0 = this was the last, -1 = ECX is not an input (other leaves with
 * subleaves, which we never decode, are kept at subleaf 0 only). */
static int subleaf_more(uint32_t leaf, const struct vtc_cpuid_regs *r, uint32_t sub,
			uint32_t sub0_eax)
{
	switch (leaf) {
	case 0x4:
	case 0x8000001d:
		return (r->eax & 0x1f) != 0; /* cache type 0: no more caches */
	case 0xb:
	case 0x1f:
	case 0x80000026:
		return ((r->ecx >> 8) & 0xff) != 0 || sub == 0; /* level type 0 ends */
	case 0x7:
		return sub < sub0_eax && sub < 3; /* subleaf 0 EAX: max subleaf */
	default:
		return -1; /* ECX does not matter */
	}
}

#define MAX_SUBLEAVES 64

static int record_leaf(struct vtc_cpuid_src *s, int cpu, uint32_t leaf)
{
	struct vtc_cpuid_regs in = { .eax = leaf }, out;
	uint32_t sub0_eax = 0;
	int rc;

	for (uint32_t sub = 0; sub < MAX_SUBLEAVES; sub++) {
		int more;

		in.ecx = sub;
		vtc_arch_cpuid(leaf, sub, &out);
		if (sub == 0)
			sub0_eax = out.eax;
		more = subleaf_more(leaf, &out, sub, sub0_eax);
		if (more < 0) {
			in.ecx = 0;
			return vtc_cpuid_add(s, cpu, VTC_CPUID_MASK_EAX, &in, &out);
		}
		rc = vtc_cpuid_add(s, cpu, VTC_CPUID_MASK_EAX | VTC_CPUID_MASK_ECX, &in, &out);
		if (rc < 0 || !more)
			return rc;
	}
	return 0;
}

/* One range: its first leaf gives the maximum; record up to @cap leaves so a
 * bogus maximum cannot make us loop for long. Returns the maximum the CPU
 * named in *max. */
static int record_range(struct vtc_cpuid_src *s, int cpu, uint32_t base, uint32_t cap,
			uint32_t *named)
{
	struct vtc_cpuid_regs r;
	uint32_t max;
	int rc = 0;

	vtc_arch_cpuid(base, 0, &r);
	max = *named = r.eax;
	if (max < base || max - base > cap)
		max = base + (max < base ? 0 : cap);
	for (uint32_t leaf = base; rc == 0 && leaf <= max; leaf++)
		rc = record_leaf(s, cpu, leaf);
	return rc;
}

static int record_here(struct vtc_cpuid_src *s, int cpu)
{
	struct vtc_cpuid_regs r;
	uint32_t max;
	int rc = record_range(s, cpu, 0, 0x3f, &max);

	/* Leaf 0x40000000 means something only when the hypervisor bit
	 * (leaf 1 ECX[31]) is set; bare-metal Intel answers it with the data
	 * of its highest basic leaf. KVM offering Hyper-V enlightenments
	 * answers as Hyper-V there and as itself in a second block at
	 * 0x40000100, beyond the first block's maximum. */
	vtc_arch_cpuid(1, 0, &r);
	if (rc == 0 && (r.ecx >> 31)) {
		rc = record_range(s, cpu, 0x40000000u, 0x1ff, &max);
		if (rc == 0 && max < 0x40000100u)
			rc = record_range(s, cpu, 0x40000100u, 0xff, &max);
	}
	if (rc == 0)
		rc = record_range(s, cpu, 0x80000000u, 0x3f, &max);
	return rc;
}

/* CPUID answers for the CPU it executes on (APIC ids, cache sharing differ
 * per CPU), so the calling thread is pinned to each CPU in turn; its
 * original mask is restored even when a pin fails. */
int vtc_cpuid_live_open(struct vtc_cpuid_src **out)
{
	struct vtc_cpuid_src *s;
	vtc_cpuset orig, one;
	int cpu, rc, rc2;

	*out = NULL;
	if (!vtc_arch_has_cpuid())
		return -ENOTSUP;
	rc = vtc_affinity_allowed(&orig);
	if (rc < 0)
		return rc;
	rc = vtc_cpuid_new(&orig, true, &s);
	if (rc < 0)
		return rc;
	vtc_cpuset_foreach(cpu, &orig) {
		vtc_cpuset_clear(&one);
		vtc_cpuset_set(&one, cpu);
		rc = vtc_affinity_set(&one);
		if (rc == 0)
			rc = record_here(s, cpu);
		if (rc < 0)
			break;
	}
	rc2 = vtc_affinity_set(&orig);
	if (rc == 0)
		rc = rc2;
	if (rc < 0) {
		vtc_cpuid_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int vtc_cpuid_live_here(struct vtc_cpuid_src **out, int *cpu)
{
	struct vtc_cpuid_src *s;
	vtc_cpuset one;
	int rc;

	*out = NULL;
	if (!vtc_arch_has_cpuid())
		return -ENOTSUP;
	*cpu = sched_getcpu();
	if (*cpu < 0 || *cpu >= VTC_CPUSET_MAX)
		*cpu = 0;
	vtc_cpuset_clear(&one);
	vtc_cpuset_set(&one, *cpu);
	rc = vtc_cpuid_new(&one, true, &s);
	if (rc < 0)
		return rc;
	rc = record_here(s, *cpu);
	if (rc < 0) {
		vtc_cpuid_close(s);
		return rc;
	}
	*out = s;
	return 0;
}
