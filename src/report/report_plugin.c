/* report_plugin.c - the monitoring-plugin status line.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "src/report/run.h"
#include "src/report/report_plugin.h"

static const char *const status_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

const char *vtc_plugin_status_name(enum vtc_exit status)
{
	return (unsigned)status < VTC_ARRAY_SIZE(status_names) ? status_names[status]
								: "UNKNOWN";
}

/* The verdict text without its "STATUS: " prefix: the plugin line puts the
 * status name itself, from the exit status, so the two always agree. */
static const char *reason_text(const char *reason)
{
	const char *p = strstr(reason, ": ");

	if (p && strspn(reason, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == (size_t)(p - reason))
		return p + 2;
	return reason;
}

/* '|' separates perfdata: it must not appear in the text. */
static void put_text(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '|' || *s == '\n' ? ' ' : *s, out);
}

/* Labels and units follow the guidelines: 'label'=value[UOM];warn;crit;min;max. */
static void perfdata(FILE *out, const struct vtc_run *app)
{
	static const char *const sev[] = {"info", "warning", "critical"};

	for (int s = VTC_SEV_CRITICAL; s >= VTC_SEV_INFO; s--) {
		int n = 0;
		for (int i = 0; i < app->findings.count; i++)
			n += app->findings.item[i].severity == (enum vtc_severity)s;
		fprintf(out, " findings_%s=%d;;;0", sev[s - VTC_SEV_INFO], n);
	}
	fprintf(out, " vcpus=%d;;;0", app->have_results ? app->res.n : 0);
	if (!app->have_inf)
		return;
	fprintf(out, " coverage=%.1f%%;;;0;100", app->inf.coverage * 100);
	/* Tiers by their letter, as the text report, the SVG, the JSON and
	 * the metrics name them: tier_a_latency is the fastest. */
	for (int t = 0; t < app->inf.n_tiers; t++)
		fprintf(out, " tier_%c_latency=%.3fus;;;0", vtc_tier_letter(t),
			app->inf.tier[t].median_ns / 1e3);
}

void vtc_plugin_line(FILE *out, const struct vtc_run *app)
{
	fprintf(out, "%s - ", vtc_plugin_status_name(app->status));
	put_text(out, reason_text(app->reason));
	fputs(" |", out);
	perfdata(out, app);
	fputc('\n', out);
}

void vtc_plugin_unknown(FILE *out, const char *why)
{
	fputs("UNKNOWN - ", out);
	put_text(out, why);
	fputc('\n', out);
}
