/* arch.h - the one place that picks architecture code: CPUID, the cycle
 * counter. Everything else includes this and stays portable.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_ARCH_H
#define VTC_ARCH_H

#include <stdbool.h>
#include <stdint.h>

/* struct vtc_cpuid_regs: the decoder's register set, filled here. */
#include "src/advertised/cpuid.h"

#if defined(__x86_64__) || defined(__i386__)
#include "probes/hw/arch/x86.h"
#elif defined(__aarch64__)
#include "probes/hw/arch/aarch64.h"
#else
#include "probes/hw/arch/generic.h"
#endif

/* Each arch header provides:
 *   VTC_ARCH_NAME                       "x86-64", "aarch64", "generic"
 *   bool vtc_arch_has_cpuid(void);
 *   void vtc_arch_cpuid(uint32_t leaf, uint32_t subleaf, struct vtc_cpuid_regs *r);
 *   bool vtc_arch_has_cycles(void);      a per-CPU cycle counter exists
 *   uint64_t vtc_arch_cycles(void);      ordered read (no earlier load passes it)
 *   uint64_t vtc_arch_cycles_cpu(unsigned *cpu);  rdtscp: counter + CPU number
 *                                                  (cpu = ~0u if unsupported)
 * The spin-wait hint is liburcu's caa_cpu_relax() (<urcu/arch.h>), the one
 * used everywhere.
 */

#endif
