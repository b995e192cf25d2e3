/* run.c - one run's record (run.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "src/report/run.h"

void vtc_run_init(struct vtc_run *run, int argc, char **argv)
{
	time_t now = time(NULL);
	struct tm tm;
	size_t len = 0;

	memset(run, 0, sizeof(*run));
	run->status = VTC_EXIT_UNKNOWN;
	gmtime_r(&now, &tm);
	strftime(run->started, sizeof(run->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (int i = 0; i < argc && len < sizeof(run->args); i++)
		len += (size_t)snprintf(run->args + len, sizeof(run->args) - len, "%s%s",
					i ? " " : "", argv[i]);
}

void vtc_run_free(struct vtc_run *run)
{
	if (run->have_sysfs)
		vtc_topo_free(&run->sysfs);
	if (run->have_cpuid)
		vtc_topo_free(&run->cpuid);
	vtc_findings_free(&run->consist);
	vtc_findings_free(&run->findings);
	vtc_results_free(&run->res);
	if (run->have_inf)
		vtc_inferred_free(&run->inf);
	memset(run, 0, sizeof(*run));
}

int vtc_run_fail(struct vtc_run *run, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(run->err, sizeof(run->err), fmt, ap);
	va_end(ap);
	return rc;
}

void vtc_run_fingerprints(const struct vtc_run *run, char topo[VTC_FINGERPRINT_LEN + 1],
			  char host[VTC_FINGERPRINT_LEN + 1])
{
	topo[0] = host[0] = '\0';
	if (run->have_inf && run->status != VTC_EXIT_UNKNOWN)
		vtc_fingerprint_topology(&run->inf, topo);
	if (run->have_results)
		vtc_fingerprint_host(&run->res.host_start, host);
}
