/* x86.h - x86 CPUID, TSC and PAUSE. Included only through arch.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_ARCH_X86_H
#define VTC_ARCH_X86_H

#define VTC_ARCH_NAME "x86-64"

static inline bool vtc_arch_has_cpuid(void)
{
	return true;
}

/* Inline asm, not <cpuid.h>: probes/README.md, "Architecture code". */
static inline void vtc_arch_cpuid(uint32_t leaf, uint32_t subleaf, struct vtc_cpuid_regs *r)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			     : "a"(leaf), "c"(subleaf));
}

static inline bool vtc_arch_has_cycles(void)
{
	return true;
}

/* LFENCE before RDTSC: RDTSC is not ordered, and without the fence it can
 * execute before the load that observed the partner's flag, shortening the
 * measured round trip. (LFENCE is dispatch-serializing on Intel, and on AMD
 * when the kernel sets MSR DE_CFG[1], which Linux does since Spectre.) */
static inline uint64_t vtc_arch_cycles(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

/* RDTSCP waits for earlier instructions and returns TSC_AUX, which Linux sets
 * to the CPU number (low 12 bits): a cheap check that we did not migrate. */
static inline uint64_t vtc_arch_cycles_cpu(unsigned *cpu)
{
	uint32_t lo, hi, aux;
	__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
	*cpu = aux & 0xfff;
	return ((uint64_t)hi << 32) | lo;
}

#endif
