/* aarch64.h - generic timer and YIELD; no CPUID. Included only through arch.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_ARCH_AARCH64_H
#define VTC_ARCH_AARCH64_H

#define VTC_ARCH_NAME "aarch64"

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
	return true;
}

/* ISB keeps the counter read from being hoisted above earlier instructions. */
static inline uint64_t vtc_arch_cycles(void)
{
	uint64_t v;
	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

static inline uint64_t vtc_arch_cycles_cpu(unsigned *cpu)
{
	*cpu = ~0u;
	return vtc_arch_cycles();
}

#endif
