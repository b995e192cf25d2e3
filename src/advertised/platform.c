/* platform.c - which hypervisor the guest runs under, and how we know; whether
 * its TSC is invariant.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "src/advertised/platform.h"
#include "src/report/report_escape.h"
#include "src/vtc.h"

struct name_map {
	const char *match;
	const char *name;
};

/* CPUID 0x40000000 signatures (EBX ECX EDX), compared without trailing
 * blanks/NULs. KVM pads with NULs, bhyve with a space. */
static const struct name_map cpuid_sigs[] = {
	{ "KVMKVMKVM", "kvm" },          { "VMwareVMware", "vmware" },
	{ "Microsoft Hv", "hyperv" },    { "XenVMMXenVMM", "xen" },
	{ "bhyve bhyve", "bhyve" },      { "TCGTCGTCGTCG", "qemu-tcg" },
	{ "ACRNACRNACRN", "acrn" },      { "VBoxVBoxVBox", "virtualbox" },
	{ " lrpepyh  vr", "parallels" }, { "QNXQVMBSQG", "qnx" },
	{ "Linux KVM Hv", "kvm" },       { "EVMMEVMMEVMM", "evmm" },
};

/* DMI sys_vendor prefixes (case-insensitive). Clouds built on KVM (Nitro,
 * GCE, OpenStack) name themselves, not the hypervisor. */
static const struct name_map dmi_vendors[] = {
	{ "QEMU", "qemu" },          { "VMware", "vmware" },
	{ "Xen", "xen" },            { "innotek", "virtualbox" },
	{ "Parallels", "parallels" }, { "Amazon EC2", "kvm" },
	{ "Google", "kvm" },         { "OpenStack", "kvm" },
	{ "Red Hat", "kvm" },        { "DigitalOcean", "kvm" },
	{ "Hetzner", "kvm" },        { "Alibaba Cloud", "kvm" },
	{ "Bochs", "kvm" },          { "Nutanix", "kvm" },
};

/* DMI product names that identify a hypervisor on their own. */
static const struct name_map dmi_products[] = {
	{ "KVM", "kvm" },            { "VMware", "vmware" },
	{ "VirtualBox", "virtualbox" }, { "HVM domU", "xen" },
	{ "BHYVE", "bhyve" },        { "Standard PC", "qemu" },
};

static void set(struct vtc_platform *p, const char *name, const char *evidence_fmt,
		const char *value)
{
	snprintf(p->hypervisor, sizeof(p->hypervisor), "%.23s", name);
	snprintf(p->hypervisor_evidence, sizeof(p->hypervisor_evidence), evidence_fmt, value);
}

static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	return n;
}

static const char *lookup_exact(const struct name_map *m, size_t n, const char *s)
{
	size_t len = trimmed_len(s);

	for (size_t i = 0; i < n; i++)
		if (trimmed_len(m[i].match) == len && strncmp(m[i].match, s, len) == 0)
			return m[i].name;
	return NULL;
}

static const char *lookup_prefix(const struct name_map *m, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strncasecmp(s, m[i].match, strlen(m[i].match)) == 0)
			return m[i].name;
	return NULL;
}

static bool identify_dmi(struct vtc_platform *p)
{
	const char *name;

	/* Hyper-V and Azure both say "Microsoft Corporation"; only the
	 * product tells a VM from Microsoft's own hardware (Surface). */
	if (strncasecmp(p->dmi_sys_vendor, "Microsoft", 9) == 0 &&
	    strstr(p->dmi_product_name, "Virtual Machine")) {
		set(p, "hyperv", "DMI sys_vendor '%.60s'", p->dmi_sys_vendor);
		return true;
	}
	name = lookup_prefix(dmi_vendors, VTC_ARRAY_SIZE(dmi_vendors), p->dmi_sys_vendor);
	if (name) {
		set(p, name, "DMI sys_vendor '%.60s'", p->dmi_sys_vendor);
		return true;
	}
	name = lookup_prefix(dmi_products, VTC_ARRAY_SIZE(dmi_products), p->dmi_product_name);
	if (name) {
		set(p, name, "DMI product_name '%.60s'", p->dmi_product_name);
		return true;
	}
	return false;
}

/* A lead byte whose sequence the end of the string cut short: what a
 * fixed-size field leaves when it truncates mid-character. */
static bool cut_tail(const unsigned char *u)
{
	size_t need = u[0] >= 0xf0 && u[0] <= 0xf4 ? 4 : u[0] >= 0xe0 && u[0] <= 0xef ? 3 :
		      u[0] >= 0xc2 && u[0] <= 0xdf ? 2 : 0, i;

	for (i = 1; i < need && u[i]; i++)
		if ((u[i] & 0xc0) != 0x80)
			return false;
	return need && i < need && !u[i];
}

/* In place: malformed UTF-8 and C0/C1 control characters (a terminal's
 * escape sequences) become '?', a character cut by truncation is dropped. */
static void sanitize(char *s)
{
	const char *r = s;
	char *w = s;

	while (*r) {
		const unsigned char *u = (const unsigned char *)r;
		size_t n = vtc_utf8_seq_len(r);
		if (n == 0 && cut_tail(u))
			break;
		if (n == 0 || (n == 1 && (u[0] < 0x20 || u[0] == 0x7f)) ||
		    (n == 2 && u[0] == 0xc2 && u[1] < 0xa0)) {
			*w++ = '?';
			r += n ? n : 1;
			continue;
		}
		memmove(w, r, n);
		w += n;
		r += n;
	}
	*w = '\0';
}

void vtc_platform_sanitize(struct vtc_platform *p)
{
	char *fields[] = {p->cpu_vendor, p->model_name, p->cpuid_vendor, p->hv_cpuid_vendor,
			  p->tsc_khz_source, p->sys_hypervisor_type, p->dmi_sys_vendor,
			  p->dmi_product_name, p->kernel_release, p->hypervisor,
			  p->hypervisor_evidence, p->cpu_family, p->cpu_model_num,
			  p->cpu_stepping, p->microcode};

	for (size_t i = 0; i < VTC_ARRAY_SIZE(fields); i++)
		sanitize(fields[i]);
}

static void identify(struct vtc_platform *p)
{
	const char *name;

	if (p->hv_cpuid_vendor[0]) {
		name = lookup_exact(cpuid_sigs, VTC_ARRAY_SIZE(cpuid_sigs), p->hv_cpuid_vendor);
		set(p, name ? name : "unknown", "CPUID hypervisor signature '%s'",
		    p->hv_cpuid_vendor);
		return;
	}
	if (p->sys_hypervisor_type[0]) {
		name = strcmp(p->sys_hypervisor_type, "xen") == 0 ? "xen" : p->sys_hypervisor_type;
		set(p, name, "/sys/hypervisor/type '%.31s'", p->sys_hypervisor_type);
		return;
	}
	if (identify_dmi(p))
		return;
	if (p->flag_hypervisor || p->cpuid_hypervisor) {
		set(p, "unknown", "%s", p->flag_hypervisor ? "cpuinfo 'hypervisor' flag"
							   : "CPUID leaf 1 hypervisor bit");
		return;
	}
	if (p->cpuid_available || p->cpu_vendor[0] || p->dmi_sys_vendor[0]) {
		set(p, "none", "%s", "no hypervisor bit, signature or DMI hint");
		return;
	}
	set(p, "unknown", "%s", "no CPUID, cpuinfo or DMI to tell");
}

void vtc_platform_identify(struct vtc_platform *p)
{
	vtc_platform_sanitize(p); /* every source has been read by now */
	identify(p);
	sanitize(p->hypervisor_evidence); /* quotes may cut a character */
}

bool vtc_platform_tsc_invariant(const struct vtc_platform *p)
{
	return p->cpuid_invariant_tsc || (p->flag_constant_tsc && p->flag_nonstop_tsc);
}

enum vtc_vendor vtc_vendor_from_signature(const char *sig)
{
	static const struct { const char *sig; enum vtc_vendor v; } known[] = {
		{ "GenuineIntel", VTC_VENDOR_INTEL },
		{ "AuthenticAMD", VTC_VENDOR_AMD },
		{ "HygonGenuine", VTC_VENDOR_HYGON },
	};

	for (size_t i = 0; sig && i < VTC_ARRAY_SIZE(known); i++)
		if (strcmp(sig, known[i].sig) == 0)
			return known[i].v;
	return VTC_VENDOR_OTHER;
}

enum vtc_vendor vtc_platform_vendor(const struct vtc_platform *p)
{
	enum vtc_vendor v;

	if (!p)
		return VTC_VENDOR_OTHER;
	v = vtc_vendor_from_signature(p->cpuid_vendor);
	return v != VTC_VENDOR_OTHER ? v : vtc_vendor_from_signature(p->cpu_vendor);
}
