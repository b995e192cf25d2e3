/* fuzz_procstat.c - the /proc/stat parser (src/advertised/procstat.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>

#include "src/advertised/procstat.h"
#include "fuzz/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A few CPUs fewer than the ids the text may name, and exactly sized
	 * arrays, so ASan sees any write past ncpus. */
	enum { NCPUS = 8 };
	uint64_t *steal = malloc(NCPUS * sizeof(*steal));
	uint64_t *total = malloc(NCPUS * sizeof(*total));
	char *text = fuzz_cstr(data, size);

	if (!steal || !total)
		abort();
	if (vtc_procstat_parse(text, NCPUS, steal, total) == 0)
		for (int i = 0; i < NCPUS; i++)
			(void)vtc_procstat_steal_pct(0, 0, steal[i], total[i]);
	free(text);
	free(steal);
	free(total);
	return 0;
}
