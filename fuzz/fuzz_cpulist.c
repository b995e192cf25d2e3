/* fuzz_cpulist.c - cpulist and hex mask parsers (src/advertised/cpuset.h).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Besides "no crash", checks the property the rest of the code relies on:
 * whatever parses, formats back to a cpulist that parses to the same set. */
#include <stdlib.h>

#include "src/advertised/cpuset.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const vtc_cpuset *s)
{
	static char buf[64 * 1024];
	vtc_cpuset back;
	size_t need = vtc_cpulist_format(s, buf, sizeof(buf));

	if (need >= sizeof(buf))
		abort(); /* 4096 ids fit in 20 KB; anything longer is a bug */
	if (vtc_cpulist_parse(buf, &back) != 0 || !vtc_cpuset_equal(s, &back))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	vtc_cpuset s;

	if (vtc_cpulist_parse(text, &s) == 0)
		roundtrip(&s);
	if (vtc_cpumask_parse(text, &s) == 0)
		roundtrip(&s);
	free(text);
	return 0;
}
