/* platform.h - what the guest knows about the machine beyond topology:
 * CPU model, TSC flags, hypervisor identity.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_PLATFORM_H
#define VTC_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/* A yes/no fact that may be unknown; zero (a cleared struct) is unknown. */
enum vtc_hint {
	VTC_HINT_UNKNOWN = 0, /* no CPUID, or no KVM leaf block */
	VTC_HINT_NO,
	VTC_HINT_YES,
};

struct vtc_platform {
	/* /proc/cpuinfo */
	char cpu_vendor[16];    /* vendor_id: GenuineIntel, AuthenticAMD, ... */
	char model_name[128];
	bool flag_constant_tsc, flag_nonstop_tsc, flag_hypervisor, flag_ht;
	/* x86 "cpu family", "model", "stepping" (decimal) and "microcode"
	 * (hex revision) of the first CPU listed; "" where cpuinfo has none.
	 * A live migration onto another host may change them. */
	char cpu_family[12], cpu_model_num[12], cpu_stepping[12];
	char microcode[24];
	/* CPUID (live or dump); empty/false/0 when unavailable */
	bool cpuid_available;
	char cpuid_vendor[16];     /* leaf 0 */
	bool cpuid_hypervisor;     /* leaf 1 ECX[31]: "running under a hypervisor" */
	char hv_cpuid_vendor[16];  /* leaf 0x40000000 signature, e.g. "KVMKVMKVM" */
	bool cpuid_invariant_tsc;  /* 0x80000007 EDX[8] */
	uint64_t tsc_khz;          /* 0x40000010 or 0x15/0x16; 0 unknown */
	char tsc_khz_source[24];   /* "cpuid-0x40000010", "cpuid-0x15", ... */
	enum vtc_hint kvm_hint_dedicated; /* KVM_HINTS_REALTIME, 0x40000001 EDX[0] */
	/* sysfs */
	char sys_hypervisor_type[32]; /* /sys/hypervisor/type */
	char dmi_sys_vendor[128];     /* /sys/class/dmi/id/sys_vendor */
	char dmi_product_name[128];
	char kernel_release[64];      /* /proc/sys/kernel/osrelease */
	/* derived by vtc_platform_identify() */
	char hypervisor[24];  /* "kvm", "vmware", "hyperv", "xen", "qemu-tcg",
				 "bhyve", "none", "unknown", ... */
	char hypervisor_evidence[96]; /* which source said so */
};

/* The CPU vendor, the one place its strings are compared. Arm and every
 * other vendor are VTC_VENDOR_OTHER: no rule tells them apart yet. */
enum vtc_vendor {
	VTC_VENDOR_OTHER = 0,
	VTC_VENDOR_INTEL, /* GenuineIntel */
	VTC_VENDOR_AMD,   /* AuthenticAMD */
	VTC_VENDOR_HYGON, /* HygonGenuine: AMD's Zen topology leaves */
};

/* The vendor a CPUID leaf 0 signature (or cpuinfo's vendor_id, the same
 * string) names; NULL or unknown is VTC_VENDOR_OTHER. */
enum vtc_vendor vtc_vendor_from_signature(const char *sig);
/* The platform's vendor: CPUID's leaf 0 where it names a known one, else
 * /proc/cpuinfo's vendor_id; VTC_VENDOR_OTHER for @p NULL. */
enum vtc_vendor vtc_platform_vendor(const struct vtc_platform *p);

/* AMD's topology and cache leaves (0x8000001E, AMD leaf 4 numbering). */
static inline bool vtc_vendor_amd_like(enum vtc_vendor v)
{
	return v == VTC_VENDOR_AMD || v == VTC_VENDOR_HYGON;
}

/* An x86 vendor (SMT siblings share a core's L1/L2 the known way). */
static inline bool vtc_vendor_x86(enum vtc_vendor v)
{
	return v == VTC_VENDOR_INTEL || vtc_vendor_amd_like(v);
}

/* Decide the hypervisor from CPUID signature, /sys/hypervisor, DMI and the
 * cpuinfo hypervisor flag, in that order of trust. */
void vtc_platform_identify(struct vtc_platform *p);

/* Make every string valid UTF-8 without control characters, in place:
 * malformed bytes and C0/C1 controls become '?', a character cut by a
 * field's size is dropped. Called once where strings come in (by
 * vtc_platform_identify after the machine is read, and by the report
 * loader), so no report or terminal sees raw bytes. */
void vtc_platform_sanitize(struct vtc_platform *p);

/* The TSC ticks at a constant rate whatever the CPU's power state: CPUID
 * says so (0x80000007 EDX[8]), or the kernel's cpuinfo flags constant_tsc
 * and nonstop_tsc both do (it sets them from CPUID and from its CPU model
 * tables, so they also cover parts without the CPUID bit). */
bool vtc_platform_tsc_invariant(const struct vtc_platform *p);

#endif
