/* fuzz_sysfs_value.c - the sysfs/procfs value readers (src/advertised/sysfs.h) on one
 * file whose bytes are the fuzz input: string, integer, cpulist and mask.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "src/advertised/sysfs.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vtc_sysfs fs;
	static char big[70 * 1024];
	char small[16];
	vtc_cpuset set;
	int v;

	if (!fs.root[0] && vtc_sysfs_init(&fs, fuzz_scratch()) != 0)
		abort();
	if (fuzz_write_file(fuzz_scratch(), "v", data, size) != 0)
		abort();
	/* A result must be a NUL-terminated string that fits its buffer. */
	if (vtc_sysfs_read_str(&fs, small, sizeof(small), "v") == 0 &&
	    strlen(small) >= sizeof(small))
		abort();
	if (vtc_sysfs_read_str(&fs, big, sizeof(big), "v") == 0 && strlen(big) >= sizeof(big))
		abort();
	vtc_sysfs_read_int(&fs, &v, "v");
	vtc_sysfs_read_cpulist(&fs, &set, "v");
	vtc_sysfs_read_cpumask(&fs, &set, "v");
	return 0;
}
