/* fuzz_cpuid_dump.c - the CPUID dump loader (src/advertised/cpuid.h), the topology
 * decoder and the platform facts that read it (src/advertised/topo_cpuid.h), and the
 * dump writer, on a dump directory the fuzz input builds: records
 * [slot][len16][bytes] (fuzz/util.h), slot = a file of the table below.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/report/report_text.h"
#include "src/advertised/topo_cpuid.h"
#include "src/vtc.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fixed order: fuzz/make-seeds writes the seeds with the same list. */
static const char *const files[] = {
	"pu0", "pu1", "pu2", "pu3", "pu7", "pu63", "pu4095", "pu4096",
	"pu00", "notes", "pu5/",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct vtc_cpuid_src *src;
	struct vtc_platform p;
	struct vtc_topo t;
	int cpu;

	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	fuzz_build_tree(fuzz_scratch(), files, VTC_ARRAY_SIZE(files), data, size);
	if (vtc_cpuid_open(fuzz_scratch(), &src) != 0)
		return 0;
	if (vtc_topo_cpuid_read(src, &t) == 0)
		vtc_text_topo(null, &t);
	vtc_topo_free(&t);
	memset(&p, 0, sizeof(p));
	if (vtc_platform_read_cpuid(src, &p) == 0)
		vtc_platform_identify(&p);
	vtc_cpuset_foreach(cpu, vtc_cpuid_cpus(src))
		if (vtc_cpuid_write_dump(src, cpu, null) != 0)
			abort();
	vtc_cpuid_close(src);
	return 0;
}
