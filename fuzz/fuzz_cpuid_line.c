/* fuzz_cpuid_line.c - one line of a recorded CPUID dump (src/advertised/cpuid.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>

#include "src/advertised/cpuid.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstr(data, size);
	struct vtc_cpuid_regs in, out;
	uint32_t mask;
	int rc = vtc_cpuid_parse_line(line, &mask, &in, &out);

	if (rc != 0 && rc != 1 && rc != -22)
		abort(); /* documented: 1 record, 0 blank/comment, -EINVAL */
	free(line);
	return 0;
}
