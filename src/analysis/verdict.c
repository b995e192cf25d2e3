/* verdict.c - exit status and the report's first sentence.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/analysis/verdict.h"

/* The finding the sentence names: highest severity, first of those. */
static const struct vtc_finding *headline(const struct vtc_findings *fs)
{
	const struct vtc_finding *best = NULL;

	for (int i = 0; fs && i < fs->count; i++)
		if (!best || fs->item[i].severity > best->severity)
			best = &fs->item[i];
	return best;
}

/* " over a 9.9 s window", and what shortened it: a signal, or time in
 * which nothing was watched (the process stopped). */
static void window_words(const struct vtc_series *s, char *out, size_t len)
{
	int k = snprintf(out, len, " over a %.1f s window", s->window_s);

	if (k > 0 && (size_t)k < len && s->unwatched_s >= 0.05)
		k += snprintf(out + k, len - (size_t)k, " (%.1f s more not watched: the process "
			      "was stopped or the guest paused)", s->unwatched_s);
	if (k > 0 && (size_t)k < len && s->cut_short)
		snprintf(out + k, len - (size_t)k, ", cut short by a signal");
}

/* OK means tested and consistent: pairs nearer than anything found
 * explains, or nothing the guest is told tested, are UNKNOWN; relations
 * left untested are named. */
static enum vtc_exit ok_or_untested(const struct vtc_inferred *inf, char *reason, size_t len)
{
	char window[160] = "";

	if (inf && inf->unexplained_near > 0) {
		snprintf(reason, len, "UNKNOWN: v%d,v%d read %.1fx nearer than the rest of their "
			 "relation (%d such pair%s), which no advertised or measured group "
			 "explains: a float that sat still, or one pair's accident; rerun, or pin "
			 "the vCPUs", inf->unexplained_a, inf->unexplained_b,
			 inf->unexplained_ratio, inf->unexplained_near,
			 inf->unexplained_near > 1 ? "s" : "");
		return VTC_EXIT_UNKNOWN;
	}
	if (inf && inf->n_told > 0 && inf->n_untested == inf->n_told) {
		snprintf(reason, len, "UNKNOWN: nothing the guest is told could be tested: %s",
			 inf->untested);
		return VTC_EXIT_UNKNOWN;
	}
	/* An OK rules out only what the window could have seen. */
	if (inf && inf->series.window_s > 0)
		window_words(&inf->series, window, sizeof(window));
	snprintf(reason, len, "OK: the advertised topology matches what was measured%s%s%s",
		 window, inf && inf->n_untested ? "; not tested: " : "",
		 inf && inf->n_untested ? inf->untested : "");
	return VTC_EXIT_OK;
}

/* Longest group list a headline names; longer ones are counted. */
#define VTC_HEADLINE_GROUPS_MAX 64

enum vtc_exit vtc_verdict(const struct vtc_inferred *inf, const struct vtc_findings *fs,
			  char *reason, size_t len)
{
	const struct vtc_finding *f = headline(fs);
	int sev = fs ? vtc_findings_max_severity(fs) : -1;
	char cpus[96], extra[48] = "";
	char dummy[1];

	if (!reason || len == 0) {
		reason = dummy;
		len = sizeof(dummy);
	}
	/* Without a reliable measurement only findings that need none (e.g.
	 * CPUID and sysfs disagreeing) can decide; compare adds nothing then. */
	if ((!inf || inf->unknown) && sev < VTC_SEV_WARNING) {
		snprintf(reason, len, "UNKNOWN: could not measure reliably: %s",
			 inf ? inf->reason : "nothing was measured");
		return VTC_EXIT_UNKNOWN;
	}
	if (!f || sev < VTC_SEV_WARNING)
		return ok_or_untested(inf, reason, len);
	vtc_cpulist_format(&f->cpus, cpus, sizeof(cpus));
	if (!cpus[0])
		snprintf(cpus, sizeof(cpus), "(all)");
	if (fs->count > 1)
		snprintf(extra, sizeof(extra), " (+%d more finding%s)", fs->count - 1,
			 fs->count > 2 ? "s" : "");
	/* Several groups: each is what the finding says, not all of them
	 * together ("vCPUs {0,2}{1,3} ... each shares a physical core"). A
	 * list longer than a headline can hold is counted instead. */
	bool groups = f->n_groups > 1 && vtc_fkind_group_meaning(f->kind);
	if (groups && f->groups[0] && strlen(f->groups) <= VTC_HEADLINE_GROUPS_MAX)
		snprintf(cpus, sizeof(cpus), "%s", f->groups);
	else if (groups)
		vtc_finding_catf(cpus, sizeof(cpus), " (%d groups)", f->n_groups);
	snprintf(reason, len, "%s: vCPUs %s %s (%s)%s",
		 sev == VTC_SEV_CRITICAL ? "CRITICAL" : "WARNING", cpus,
		 groups ? vtc_fkind_group_meaning(f->kind) : vtc_fkind_meaning(f->kind),
		 vtc_fkind_name(f->kind), extra);
	return sev == VTC_SEV_CRITICAL ? VTC_EXIT_CRITICAL : VTC_EXIT_WARNING;
}

int vtc_verdict_parse_fail_on(const char *text, enum vtc_fail_on *out)
{
	static const char *const names[] = {"never", "warning", "critical"};

	for (int i = 0; text && i < (int)VTC_ARRAY_SIZE(names); i++)
		if (strcmp(text, names[i]) == 0) {
			*out = (enum vtc_fail_on)i;
			return 0;
		}
	return -EINVAL;
}

bool vtc_verdict_fails(enum vtc_exit status, enum vtc_fail_on policy)
{
	switch (policy) {
	case VTC_FAIL_WARNING:
		return status == VTC_EXIT_WARNING || status == VTC_EXIT_CRITICAL;
	case VTC_FAIL_CRITICAL:
		return status == VTC_EXIT_CRITICAL;
	case VTC_FAIL_NEVER:
		break;
	}
	return false;
}
