/* fixes.c - the platform-specific part of a finding's fix (fixes.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "src/analysis/fixes.h"

/* Which fix vocabulary the platform speaks: DMI names KubeVirt and
 * OpenStack, the hypervisor libvirt's KVM/QEMU and VMware. */
enum plat_kind { PLAT_GENERIC, PLAT_KUBEVIRT, PLAT_OPENSTACK, PLAT_LIBVIRT, PLAT_VMWARE };

static enum plat_kind plat_kind(const struct vtc_platform *p)
{
	if (!p)
		return PLAT_GENERIC;
	if (strcasestr(p->dmi_product_name, "kubevirt") || strcasestr(p->dmi_sys_vendor, "kubevirt"))
		return PLAT_KUBEVIRT;
	if (strcasestr(p->dmi_product_name, "openstack"))
		return PLAT_OPENSTACK;
	if (strcmp(p->hypervisor, "kvm") == 0 || strncmp(p->hypervisor, "qemu", 4) == 0)
		return PLAT_LIBVIRT;
	if (strcmp(p->hypervisor, "vmware") == 0)
		return PLAT_VMWARE;
	return PLAT_GENERIC;
}

/* KVM's dedicated-vCPU hint broken: isolate the vCPUs' host CPUs, or stop
 * promising (the guest then goes back to paravirtual spinlocks). */
static const char *dedicated_text(enum plat_kind pk)
{
	switch (pk) {
	case PLAT_KUBEVIRT:
		return "KubeVirt: keep dedicatedCpuPlacement: true (it sets the hint) and add "
		       "isolateEmulatorThread: true, with kubelet cpuManagerPolicy: static and "
		       "Guaranteed QoS; or drop dedicatedCpuPlacement, and the hint with it";
	case PLAT_OPENSTACK:
		return "OpenStack: flavor hw:cpu_policy=dedicated with "
		       "hw:emulator_threads_policy=isolate; or drop the hint from the image";
	case PLAT_LIBVIRT:
		return "libvirt: one <vcpupin> per vCPU onto distinct host CPUs nothing else "
		       "runs on, <emulatorpin> onto other host CPUs; or drop the hint: "
		       "<hint-dedicated state='off'/> (QEMU -cpu ...,kvm-hint-dedicated=off)";
	default:
		break;
	}
	return "ask the provider to pin each vCPU with the emulator thread elsewhere, or to "
	       "stop advertising dedicated vCPUs (QEMU kvm-hint-dedicated=off)";
}

/* The platform-specific part of a fix, by finding kind. */
static const char *fix_text(enum vtc_fkind kind, enum plat_kind pk)
{
	if (kind == VTC_FK_DEDICATED_MISMATCH)
		return dedicated_text(pk);

	bool smt = vtc_fkind_flags(kind) & VTC_FKF_SMT;
	bool placement = vtc_fkind_flags(kind) & VTC_FKF_PLACEMENT;

	switch (pk) {
	case PLAT_KUBEVIRT:
		if (kind == VTC_FK_PHANTOM_SMT)
			return "KubeVirt: set spec.domain.cpu.threads: 1 unless the vCPUs are pinned "
			       "on host sibling pairs; to keep threads: 2, use dedicatedCpuPlacement: "
			       "true with an even vCPU count, kubelet cpuManagerPolicy: static and "
			       "cpuManagerPolicyOptions: full-pcpus-only: \"true\", and the AlignCPUs "
			       "feature gate with isolateEmulatorThread: true";
		if (smt)
			return "KubeVirt: advertise threads: 2 with dedicatedCpuPlacement: true and "
			       "kubelet cpuManagerPolicyOptions: full-pcpus-only: \"true\" (whole "
			       "cores, even vCPU count), AlignCPUs with isolateEmulatorThread: true";
		if (placement)
			return "KubeVirt: dedicatedCpuPlacement: true (kubelet cpuManagerPolicy: "
			       "static, Guaranteed QoS) with isolateEmulatorThread: true";
		return "KubeVirt: set spec.domain.cpu sockets/cores/threads as below and "
		       "numa: guestMappingPassthrough: {} with dedicatedCpuPlacement";
	case PLAT_OPENSTACK:
		if (smt)
			return "OpenStack: flavor hw:cpu_policy=dedicated with "
			       "hw:cpu_thread_policy=require (real siblings) or isolate, and "
			       "hw:cpu_threads matching";
		if (placement)
			return "OpenStack: flavor hw:cpu_policy=dedicated, "
			       "hw:emulator_threads_policy=isolate";
		return "OpenStack: flavor hw:cpu_sockets/hw:cpu_cores/hw:cpu_threads and "
		       "hw:numa_nodes as below";
	case PLAT_LIBVIRT:
		if (smt)
			return "libvirt: <vcpupin> vCPU 2k and 2k+1 onto the two threads of one host "
			       "core (host lscpu -e) with <cpu><topology threads='2'/>, and "
			       "<emulatorpin> onto other host CPUs; or advertise threads='1'";
		if (placement)
			return "libvirt: one <vcpupin> per vCPU onto distinct host CPUs, "
			       "<emulatorpin> elsewhere, and no host overcommit of those CPUs";
		return "libvirt: <cpu><topology> and <numa> cells as below, with <vcpupin> "
		       "keeping each guest socket/cache on one host socket/cache";
	case PLAT_VMWARE:
		return "VMware: set Cores per Socket and vNUMA (numa.vcpu.maxPerVirtualNode) to "
		       "match, and CPU affinity or Latency Sensitivity High for fixed placement";
	case PLAT_GENERIC:
		break;
	}
	return "ask the provider to pin vCPUs and advertise the host's real layout";
}

const char *vtc_fix_platform_text(enum vtc_fkind kind, const struct vtc_platform *plat)
{
	return fix_text(kind, plat_kind(plat));
}
