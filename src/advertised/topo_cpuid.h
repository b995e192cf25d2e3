/* topo_cpuid.h - the topology CPUID advertises, decoded without the kernel.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_TOPO_CPUID_H
#define VTC_TOPO_CPUID_H

#include "src/advertised/cpuid.h"
#include "src/advertised/platform.h"
#include "src/advertised/topo.h"

/* Decode the CPUs of @src into @t (initialised here, source "cpuid"; free
 * with vtc_topo_free even on error):
 *  - x2APIC id from leaf 0x1F/0xB, else AMD 0x8000001E EAX, else leaf 1
 *    EBX[31:24];
 *  - SMT/module/die/package shifts from 0x1F (preferred) or 0xB; AMD/Hygon
 *    without them: 0x8000001E threads per core and 0x80000008 ECX
 *    (ApicIdCoreIdSize/NC); otherwise leaf 1 logical count + leaf 4 cores;
 *  - L1d/L2/L3 sharing and size from leaf 4 (AMD/Hygon: 0x8000001D),
 *    "max ids sharing" rounded up to a power of two as an APIC-id shift;
 *  - NUMA only from the AMD node id when a package has several nodes.
 * Die is known where the x2APIC leaves enumerate one, and equals the package
 * on Intel-style CPUs without a die level (as Linux reports it); cluster is
 * known only from a 0x1F module level. Online = present = possible = the
 * source's CPUs. Also raw ids_sharing[] for consist.
 * Returns 0, -ENOMEM, -EINVAL (no CPUs). */
int vtc_topo_cpuid_read(const struct vtc_cpuid_src *src, struct vtc_topo *t);

/* Fill the CPUID facts of @p from the lowest CPU of @src: cpuid_available,
 * cpuid_vendor, cpuid_hypervisor, hv_cpuid_vendor (0x40000000 signature,
 * only when the hypervisor bit is set; "KVMKVMKVM" when KVM poses as Hyper-V
 * there and names itself at 0x40000100), cpuid_invariant_tsc, tsc_khz and
 * tsc_khz_source ("cpuid-0x40000010", "cpuid-0x15", "cpuid-0x16") and
 * kvm_hint_dedicated (vtc_cpuid_kvm_hints). Other fields are not touched. Returns 0, -EINVAL (no CPUs). */
int vtc_platform_read_cpuid(const struct vtc_cpuid_src *src, struct vtc_platform *p);

/* The TSC frequency CPUID advertises on @cpu of @s, in Hz (0 none), the
 * one decoder for the report and the probes' timer: the hypervisor's
 * timing leaf (KVM or VMware block + 0x10, kHz; the KVM block may sit at
 * 0x40000100 behind Hyper-V's), else leaf 0x15 (crystal * ratio), else
 * 0x16 (base MHz). *source names the leaf ("cpuid-0x40000010" for either
 * block, "cpuid-0x15", "cpuid-0x16", "" none). */
uint64_t vtc_cpuid_tsc_hz(const struct vtc_cpuid_src *s, int cpu, const char **source);

/* The base of KVM's leaf block on @cpu of @s, found as Linux's
 * kvm_cpuid_base() finds it: only with the hypervisor bit (leaf 1 ECX[31]),
 * the first block of 0x100 leaves from 0x40000000 to 0x4000ff00 whose
 * signature is "KVMKVMKVM\0\0\0" (0x40000100 when KVM offers Hyper-V
 * enlightenments at 0x40000000). Returns the base, or 0 without one. */
uint32_t vtc_cpuid_kvm_base(const struct vtc_cpuid_src *s, int cpu);

/* KVM's hints word, EDX of the features leaf (KVM base + 1), into *hints;
 * bit 0 (VTC_KVM_HINTS_REALTIME) is the promise that vCPUs are dedicated:
 * never preempted, never sharing a host CPU (QEMU kvm-hint-dedicated=on).
 * Returns 0, or -ENOENT when @cpu has no KVM leaf block (*hints 0). */
#define VTC_KVM_HINTS_REALTIME 0x1u
int vtc_cpuid_kvm_hints(const struct vtc_cpuid_src *s, int cpu, uint32_t *hints);

/* CPUID 0x80000007 EDX[8]: the TSC runs at a constant rate in all P-, C-
 * and T-states. */
bool vtc_cpuid_invariant_tsc(const struct vtc_cpuid_src *s, int cpu);

#endif
