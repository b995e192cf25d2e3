/* generic.h - no CPUID, no cycle counter: callers fall back to
 * clock_gettime(CLOCK_MONOTONIC_RAW). Included only through arch.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_ARCH_GENERIC_H
#define VTC_ARCH_GENERIC_H

#define VTC_ARCH_NAME "generic"

static inline bool vtc_arch_has_cpuid(void)
{
	return false;
}

static inline void vtc_arch_cpuid(uint32_t leaf, uint32_t subleaf, struct vtc_cpuid_regs *r)
{
	(void)leaf;
	(void)subleaf;
	r->eax = r->ebx = r->ecx = r->edx = 0;
}

static inline bool vtc_arch_has_cycles(void)
{
	return false;
}

static inline uint64_t vtc_arch_cycles(void)
{
	return 0;
}

static inline uint64_t vtc_arch_cycles_cpu(unsigned *cpu)
{
	*cpu = ~0u;
	return 0;
}

#endif
