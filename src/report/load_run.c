/* load_run.c - a saved JSON report back into a run (--analyze), see
 * load_run.h. The sections are converted by report_load.c.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "src/advertised/consist.h"
#include "src/report/load_run.h"
#include "src/report/report_load.h"


/* The measurements must be of CPUs the report's own advertised model has
 * online (a live run probes no others; the matrix import checks the same).
 * Checked before loading them, as the loader sizes the results by the
 * probed set: n(n-1)/2 pair slots, 2.7 GB for a "0-4095" edited into a
 * two-CPU report. An unparsable set is left to the loader to report. */
static int check_probed(struct vtc_run *app, const json_t *meas, const char *path)
{
	const char *text = json_string_value(json_object_get(meas, "probed"));
	char online[128];
	vtc_cpuset probed;

	if (!text || vtc_cpulist_parse(text, &probed) != 0 ||
	    vtc_cpuset_subset(&probed, &app->sysfs.online))
		return 0;
	vtc_cpulist_format(&app->sysfs.online, online, sizeof(online));
	return vtc_run_fail(app, -EINVAL, "%s: bad 'measurements' section: probed CPUs %.64s are "
		       "not all online in 'advertised.sysfs' (%s)", path, text, online);
}

/* A section the loader refused (@rc, @err from report_load): data out of
 * range or inconsistent, so edited or damaged, refused rather than
 * guessed; or no memory for it. */
static int bad_section(struct vtc_run *app, int rc, const char *path, const char *section,
		       const char *err)
{
	if (rc == -ENOMEM)
		return vtc_run_fail(app, rc, "%s: cannot load the '%s' section (out of memory)",
				    path, section);
	return vtc_run_fail(app, rc, "%s: bad '%s' section: %s; analyze the report as "
			    "vtopocheck wrote it", path, section, err[0] ? err : "missing");
}

static int load_section(struct vtc_run *app, const json_t *doc,
			const struct vtc_pair_stash *stash, const char *path)
{
	const json_t *adv = json_object_get(doc, "advertised");
	const json_t *sys = json_object_get(adv, "sysfs"), *cpu = json_object_get(adv, "cpuid");
	const json_t *meas = json_object_get(doc, "measurements");
	char err[256] = "";
	int rc;

	if ((rc = vtc_json_to_platform(json_object_get(doc, "platform"), &app->plat, err,
				       sizeof(err))))
		return bad_section(app, rc, path, "platform", err);
	if (!json_is_object(sys) || (rc = vtc_json_to_topo(sys, &app->sysfs, err, sizeof(err))))
		return bad_section(app, json_is_object(sys) ? rc : -EINVAL, path, "advertised.sysfs",
				   err);
	app->have_sysfs = true;
	/* Reports before the hint was read lack it: unknown, as without CPUID. */
	if (json_is_boolean(json_object_get(adv, "kvm_hint_dedicated")))
		app->plat.kvm_hint_dedicated = json_is_true(json_object_get(adv, "kvm_hint_dedicated"))
						       ? VTC_HINT_YES : VTC_HINT_NO;
	if (json_is_object(cpu)) {
		if ((rc = vtc_json_to_topo(cpu, &app->cpuid, err, sizeof(err))))
			return bad_section(app, rc, path, "advertised.cpuid", err);
		app->have_cpuid = true;
	}
	if (!json_is_object(meas))
		return vtc_run_fail(app, -EINVAL, "%s: the report holds no measurements (it was "
			       "made with --advertised); nothing to analyze", path);
	if ((rc = check_probed(app, meas, path)))
		return rc;
	if ((rc = vtc_json_to_results_stash(meas, stash, &app->res, err, sizeof(err))))
		return bad_section(app, rc, path, "measurements", err);
	app->have_results = true;
	/* A report from before host signals were recorded: the start is what
	 * its platform and its cycle counter said (the end stays unknown). */
	if (!app->res.host_start.known) {
		bool cycles = strcmp(app->res.timer.name, "monotonic-raw") != 0 &&
			      strcmp(app->res.backend, "hw") == 0;
		vtc_host_signals_from(&app->plat, cycles ? app->res.timer.ticks_per_ns * 1e6 : 0,
				      &app->res.host_start);
	}
	return 0;
}

int vtc_run_load_report(struct vtc_run *app, const char *path)
{
	struct vtc_pair_stash stash;
	const json_t *schema;
	char err[256] = "";
	json_t *doc;
	int rc;

	if ((rc = vtc_report_read(path, &doc, &stash, err, sizeof(err))))
		return vtc_run_fail(app, rc, "%s: not a readable JSON report (%s)",
			       path, err[0] ? err : strerror(-rc));
	schema = json_object_get(doc, "schema");
	if (!json_is_string(schema) || (strcmp(json_string_value(schema), VTC_REPORT_SCHEMA) &&
					strcmp(json_string_value(schema), VTC_REPORT_SCHEMA_V1))) {
		vtc_run_fail(app, -EPROTO, "%s: unknown report schema '%s'; this vtopocheck reads "
			"'%s' and '%s'", path,
			json_is_string(schema) ? json_string_value(schema) : "(none)",
			VTC_REPORT_SCHEMA, VTC_REPORT_SCHEMA_V1);
		rc = -EPROTO;
	} else {
		rc = load_section(app, doc, &stash, path);
	}
	if (!rc && app->have_cpuid)
		rc = vtc_consist_check(&app->sysfs, &app->cpuid, &app->plat, &app->consist);
	vtc_pair_stash_free(&stash);
	json_decref(doc);
	return rc;
}
