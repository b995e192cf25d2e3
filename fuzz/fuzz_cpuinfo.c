/* fuzz_cpuinfo.c - the /proc/cpuinfo parser (src/advertised/platform_sysfs.h) and the
 * hypervisor identification that reads its results.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/advertised/platform_sysfs.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t cap)
{
	if (strnlen(s, cap) >= cap)
		abort(); /* every field must stay NUL-terminated */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vtc_platform p;
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&p, 0, sizeof(p));
	vtc_platform_parse_cpuinfo(text, size, &p); /* never fails on content */
	free(text);
	check_str(p.cpu_vendor, sizeof(p.cpu_vendor));
	check_str(p.model_name, sizeof(p.model_name));
	vtc_platform_identify(&p);
	check_str(p.hypervisor, sizeof(p.hypervisor));
	check_str(p.hypervisor_evidence, sizeof(p.hypervisor_evidence));
	return 0;
}
