/* report_prom.c - Prometheus textfile-collector output.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "src/report/run.h"
#include "src/report/output.h"
#include "src/report/matrix.h"
#include "src/report/report_escape.h"
#include "src/report/report_prom.h"

/* Label values the verdict takes: lower case, like the severities in
 * vtopocheck_findings, so one vocabulary serves every alert rule. */
static const char *const status_label[] = {"ok", "warning", "critical", "unknown"};

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* Go's ParseFloat reads these spellings; 15 significant digits keep a Unix
 * time to the millisecond and print latencies such as 4.2e-08 cleanly. */
static void value(FILE *f, double v)
{
	if (isnan(v))
		fputs(" NaN\n", f);
	else if (isinf(v))
		fputs(v > 0 ? " +Inf\n" : " -Inf\n", f);
	else
		fprintf(f, " %.15g\n", v);
}

/* name{label="value"} v */
static void sample1(FILE *f, const char *name, const char *label, const char *lv, double v)
{
	fprintf(f, "%s{%s=\"", name, label);
	vtc_prom_escape_label(f, lv);
	fputs("\"}", f);
	value(f, v);
}

static void write_info(FILE *f, const struct vtc_prom_run *run, const struct vtc_results *r)
{
	const char *names[] = {"version", "hypervisor", "cpu_model", "backend", "timer"};
	const char *vals[] = {run->version, run->hypervisor, run->cpu_model,
			      r ? r->backend : "", r ? r->timer.name : ""};

	family(f, "vtopocheck_info", "Build and machine identity of the last vtopocheck run.");
	fputs("vtopocheck_info{", f);
	for (size_t i = 0; i < VTC_ARRAY_SIZE(names); i++) {
		fprintf(f, "%s%s=\"", i ? "," : "", names[i]);
		vtc_prom_escape_label(f, vals[i]);
		fputc('"', f);
	}
	fputs("} 1\n", f);
}

/* name{k1="v1",...} 1 */
static void info_sample(FILE *f, const char *name, const char *const *keys,
			const char *const *vals, size_t n)
{
	fprintf(f, "%s{", name);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "", keys[i]);
		vtc_prom_escape_label(f, vals[i]);
		fputc('"', f);
	}
	fputs("} 1\n", f);
}

/* The fingerprints as info metrics (Prometheus' convention: a gauge
 * named *_info, value 1, the facts in labels). A change of label between
 * two runs is what the rules' "changed" alerts look for. */
static void write_fingerprints(FILE *f, const struct vtc_prom_run *run)
{
	static const char *const host_keys[] = {"fingerprint", "cpu_model", "microcode",
						"tsc_khz"};
	char tsc[32] = "";

	family(f, "vtopocheck_topology_info",
	       "Fingerprint of the judged vCPU groups of the last judged run (changes when the "
	       "measured topology does).");
	if (run->topology_fp && run->topology_fp[0])
		info_sample(f, "vtopocheck_topology_info", host_keys, &run->topology_fp, 1);
	family(f, "vtopocheck_host_info",
	       "Fingerprint of the host signals a live migration changes (CPU model, microcode, "
	       "TSC kHz to three significant digits) of the last run.");
	if (!run->host_fp || !run->host_fp[0] || !run->host)
		return;
	if (vtc_fingerprint_tsc_khz(run->host->tsc_khz) > 0)
		snprintf(tsc, sizeof(tsc), "%lld", vtc_fingerprint_tsc_khz(run->host->tsc_khz));
	const char *vals[] = {run->host_fp, run->host->cpu_model, run->host->microcode, tsc};
	info_sample(f, "vtopocheck_host_info", host_keys, vals, VTC_ARRAY_SIZE(vals));
}

static void write_verdict(FILE *f, const struct vtc_prom_run *run)
{
	family(f, "vtopocheck_verdict",
	       "1 for the verdict of the last run (ok, warning, critical, unknown), else 0.");
	for (int s = 0; s < (int)VTC_ARRAY_SIZE(status_label); s++)
		sample1(f, "vtopocheck_verdict", "status", status_label[s], s == (int)run->status);
	family(f, "vtopocheck_exit_code",
	       "Exit status of the verdict: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
	fputs("vtopocheck_exit_code", f);
	value(f, run->status);
}

/* Whether (kind, severity) of item @i already appeared before it: each
 * label set may be written only once. */
static bool seen_before(const struct vtc_findings *fs, int i)
{
	for (int j = 0; j < i; j++)
		if (fs->item[j].severity == fs->item[i].severity &&
		    fs->item[j].kind == fs->item[i].kind)
			return true;
	return false;
}

static void write_findings(FILE *f, const struct vtc_findings *fs)
{
	int n = fs ? fs->count : 0;

	family(f, "vtopocheck_findings", "Findings of the last run by kind and severity.");
	for (int i = 0; i < n; i++) {
		const struct vtc_finding *it = &fs->item[i];
		int count = 0;

		if (seen_before(fs, i))
			continue;
		for (int j = i; j < n; j++)
			count += fs->item[j].severity == it->severity &&
				 fs->item[j].kind == it->kind;
		fputs("vtopocheck_findings{kind=\"", f);
		vtc_prom_escape_label(f, vtc_fkind_name(it->kind));
		fprintf(f, "\",severity=\"%s\"}", vtc_severity_name(it->severity));
		value(f, count);
	}
	family(f, "vtopocheck_findings_by_severity",
	       "Findings of the last run by severity (every severity present, 0 included).");
	for (int s = VTC_SEV_INFO; s <= VTC_SEV_CRITICAL; s++) {
		int count = 0;

		for (int i = 0; i < n; i++)
			count += fs->item[i].severity == (enum vtc_severity)s;
		sample1(f, "vtopocheck_findings_by_severity", "severity",
			vtc_severity_name((enum vtc_severity)s), count);
	}
}

static void write_run(FILE *f, const struct vtc_prom_run *run, const struct vtc_results *r)
{
	family(f, "vtopocheck_run_duration_seconds", "Wall-clock duration of the last run.");
	fputs("vtopocheck_run_duration_seconds", f);
	value(f, run->duration_s);
	family(f, "vtopocheck_last_run_timestamp_seconds",
	       "Unix time when the last run ended.");
	fputs("vtopocheck_last_run_timestamp_seconds", f);
	value(f, run->end_unix_s);
	family(f, "vtopocheck_vcpus_probed", "vCPUs the last run measured (0: none).");
	fputs("vtopocheck_vcpus_probed", f);
	value(f, r ? r->n : 0);
}

/* Stalled pairs are the stacked-vCPU evidence a fleet alerts on; they have
 * no latency, so they are counted here rather than hidden in the tiers. */
static void write_pairs(FILE *f, const struct vtc_results *r)
{
	/* Indexed by vtc_matrix_cell(): 0 unmeasured, 1 measured, 2 stalled. */
	static const char *const state[] = {"unmeasured", "measured", "stalled"};
	static const int order[] = {1, 2, 0};
	int count[3] = {0, 0, 0};
	double ns;

	for (int i = 0; i < r->n_pairs; i++) {
		int c = vtc_matrix_cell(r, r->pairs[i].a, r->pairs[i].b, &ns);

		count[c >= 0 && c <= 2 ? c : 0]++;
	}
	family(f, "vtopocheck_pairs", "vCPU pairs of the last run by measurement state.");
	for (int i = 0; i < 3; i++)
		sample1(f, "vtopocheck_pairs", "state", state[order[i]], count[order[i]]);
}

/* Tiers are named by letter, a the fastest, as in the text report and the
 * SVG (at most VTC_INFER_MAX_TIERS, checked by vtc_prom_write). */
static void write_tiers(FILE *f, const struct vtc_inferred *inf)
{
	char tier[16];

	family(f, "vtopocheck_tier_latency_seconds",
	       "Median one-way latency of each inferred latency tier, a the fastest.");
	for (int t = 0; t < inf->n_tiers; t++) {
		snprintf(tier, sizeof(tier), "%c", vtc_tier_letter(t));
		sample1(f, "vtopocheck_tier_latency_seconds", "tier", tier,
			inf->tier[t].median_ns * 1e-9);
	}
	family(f, "vtopocheck_tier_measurements",
	       "Pair measurements (one per pair per pass) in each inferred latency tier.");
	for (int t = 0; t < inf->n_tiers; t++) {
		snprintf(tier, sizeof(tier), "%c", vtc_tier_letter(t));
		sample1(f, "vtopocheck_tier_measurements", "tier", tier, inf->tier[t].n);
	}
	family(f, "vtopocheck_measurement_coverage_ratio",
	       "Share of vCPU pairs with usable latency data in the last run.");
	fputs("vtopocheck_measurement_coverage_ratio", f);
	value(f, inf->coverage);
}

/* Floating pairs written at most (most near samples first): a fleet's
 * label cardinality stays bounded on a 256-vCPU guest. */
#define PROM_MAX_PAIRS 32

/* The observation window: how long it watched, its samples, and for each
 * pair seen nearer than usual the share of its samples that read near (the
 * time its vCPUs shared a core or cache). Families are always written, so
 * rules and dashboards may query them; no window reads 0 and no pairs. */
static void write_window(FILE *f, const struct vtc_results *r, const struct vtc_inferred *inf)
{
	const struct vtc_series *ser = inf ? &inf->series : NULL;
	double len = r->watch_to_s > r->watch_from_s ? r->watch_to_s - r->watch_from_s : 0;

	family(f, "vtopocheck_window_seconds",
	       "How long the last run watched pair latency after its full look (0: no window).");
	fputs("vtopocheck_window_seconds", f);
	value(f, len);
	family(f, "vtopocheck_watch_samples",
	       "Pair re-measurements taken during the observation window of the last run.");
	fputs("vtopocheck_watch_samples", f);
	value(f, r->n_watch);
	family(f, "vtopocheck_shared_core_ratio",
	       "Share of its window samples in which the vCPU pair a, b (labels: vCPU numbers) "
	       "read nearer than usual, the time the host had them on one core or cache; only "
	       "pairs seen so.");
	for (int i = 0; ser && i < ser->n_float && i < PROM_MAX_PAIRS; i++) {
		const struct vtc_series_float *fl = &ser->f[i];
		fprintf(f, "vtopocheck_shared_core_ratio{a=\"%d\",b=\"%d\"}", fl->a, fl->b);
		value(f, fl->samples > 0 ? (double)fl->near / fl->samples : 0);
	}
}

int vtc_prom_write(FILE *f, const struct vtc_prom_run *run, const struct vtc_results *r,
		   const struct vtc_inferred *inf, const struct vtc_findings *fs)
{
	if (!f || !run || (unsigned)run->status > VTC_EXIT_UNKNOWN)
		return -EINVAL;
	if (inf && inf->n_tiers > VTC_INFER_MAX_TIERS)
		return -EINVAL;
	write_info(f, run, r);
	write_fingerprints(f, run);
	write_verdict(f, run);
	write_findings(f, fs);
	write_run(f, run, r);
	if (r)
		write_pairs(f, r);
	if (inf)
		write_tiers(f, inf);
	if (r)
		write_window(f, r, inf);
	return ferror(f) ? -EIO : 0;
}

struct app_job {
	const struct vtc_run *app;
	struct vtc_prom_run run;
	char topo[VTC_FINGERPRINT_LEN + 1], host[VTC_FINGERPRINT_LEN + 1];
};

static int app_writer(FILE *f, void *arg)
{
	const struct app_job *job = arg;
	const struct vtc_run *app = job->app;

	return vtc_prom_write(f, &job->run, app->have_results ? &app->res : NULL,
			      app->have_inf ? &app->inf : NULL, &app->findings);
}

int vtc_prom_write_app(const struct vtc_run *app, const char *path)
{
	struct app_job job = {.app = app};
	struct timespec now;

	if (!app || !path)
		return -EINVAL;
	clock_gettime(CLOCK_REALTIME, &now);
	job.run = (struct vtc_prom_run){
		.status = app->status,
		.duration_s = app->wall_s,
		.end_unix_s = (double)now.tv_sec + now.tv_nsec * 1e-9,
		.version = PACKAGE_VERSION,
		.hypervisor = app->plat.hypervisor,
		.cpu_model = app->plat.model_name,
		.topology_fp = job.topo,
		.host_fp = job.host,
		.host = &app->res.host_start,
	};
	vtc_run_fingerprints(app, job.topo, job.host);
	return vtc_output_write_atomic(path, app_writer, &job);
}
