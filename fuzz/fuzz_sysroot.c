/* fuzz_sysroot.c - the sysfs topology source (src/advertised/topo_sysfs.h) and the
 * platform facts from procfs (src/advertised/platform_sysfs.h), on a tiny sysroot that
 * the fuzz input builds: records [slot][len16][bytes] (fuzz/util.h), slot =
 * a file of the table below. The table order is fixed: fuzz/make-seeds
 * writes the seeds with the same list. The text report of what was read
 * (vtopocheck --advertised --sysroot) is rendered too.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/advertised/platform_sysfs.h"
#include "src/report/report_text.h"
#include "src/advertised/topo_sysfs.h"
#include "src/vtc.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CPU "sys/devices/system/cpu/"
#define NODE "sys/devices/system/node/"

static const char *const global[] = {
	CPU "online", CPU "possible", CPU "present",
	NODE "node0/cpulist", NODE "node1/cpulist", NODE "node0/cpumap", NODE "node1/cpumap",
	/* directories alone: more CPUs or nodes, ids at and past the limit */
	CPU "cpu4/", CPU "cpu63/", CPU "cpu4095/", CPU "cpu4096/", NODE "node4096/",
	CPU "cpu0/cache/index9/",
	"proc/cpuinfo", "sys/hypervisor/type", "sys/class/dmi/id/sys_vendor",
	"sys/class/dmi/id/product_name", "proc/sys/kernel/osrelease",
};
static const char *const per_cpu[] = {
	"online", "topology/core_id", "topology/cluster_id", "topology/die_id",
	"topology/physical_package_id", "topology/thread_siblings_list",
	"topology/core_cpus_list", "topology/thread_siblings", "topology/core_cpus",
	"topology/cluster_cpus_list", "topology/cluster_cpus", "topology/die_cpus_list",
	"topology/die_cpus", "topology/package_cpus_list", "topology/core_siblings_list",
	"topology/package_cpus", "topology/core_siblings",
};
static const char *const per_index[] = {
	"level", "type", "size", "shared_cpu_list", "shared_cpu_map",
};
#define NCPU 4
#define NINDEX 4
#define NPER (VTC_ARRAY_SIZE(per_cpu) + NINDEX * VTC_ARRAY_SIZE(per_index))
#define NSLOTS (VTC_ARRAY_SIZE(global) + NCPU * NPER)

static char *slots[NSLOTS];

static void make_slots(void)
{
	size_t n = 0;
	char buf[128];

	for (size_t i = 0; i < VTC_ARRAY_SIZE(global); i++)
		slots[n++] = strdup(global[i]);
	for (int cpu = 0; cpu < NCPU; cpu++) {
		for (size_t i = 0; i < VTC_ARRAY_SIZE(per_cpu); i++) {
			snprintf(buf, sizeof(buf), CPU "cpu%d/%s", cpu, per_cpu[i]);
			slots[n++] = strdup(buf);
		}
		for (int k = 0; k < NINDEX; k++)
			for (size_t i = 0; i < VTC_ARRAY_SIZE(per_index); i++) {
				snprintf(buf, sizeof(buf), CPU "cpu%d/cache/index%d/%s", cpu, k,
					 per_index[i]);
				slots[n++] = strdup(buf);
			}
	}
	for (size_t i = 0; i < n; i++)
		if (!slots[i])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct vtc_sysfs fs;
	struct vtc_platform p;
	struct vtc_topo t;

	if (!null) {
		make_slots();
		if (!(null = fopen("/dev/null", "w")))
			abort();
	}
	fuzz_build_tree(fuzz_scratch(), (const char *const *)slots, NSLOTS, data, size);
	if (vtc_sysfs_init(&fs, fuzz_scratch()) != 0)
		abort();
	if (vtc_topo_read_sysfs(&fs, &t) == 0) {
		vtc_text_topo(null, &t);
		vtc_topo_free(&t);
	}
	memset(&p, 0, sizeof(p));
	if (vtc_platform_read_sysfs(&fs, &p) == 0) {
		vtc_platform_identify(&p);
		vtc_text_platform(null, &p);
	}
	return 0;
}
