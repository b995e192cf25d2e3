/* test_report_prom.c - Prometheus textfile output, read back by the
 * reference parser (python3-prometheus-client) through tests/prom_parse.py;
 * escaping and atomic writes.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/report/run.h"
#include "src/report/output.h"
#include "src/analysis/compare.h"
#include "src/report/matrix.h"
#include "src/report/report_escape.h"
#include "src/report/report_prom.h"
#include "tests/sim.h"
#include "src/analysis/verdict.h"

static const char *python; /* an interpreter that has prometheus_client */

/* ---- running the parser ------------------------------------------------ */

static char *slurp_cmd(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);

	assert_non_null(p);
	assert_non_null(buf);
	while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[len] = 0;
	*status = pclose(p);
	*status = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
	return buf;
}

static const char *find_python(void)
{
	static const char *const cand[] = {"/usr/bin/python3", "python3"};
	char cmd[256];

	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s -c 'import prometheus_client.parser' 2>/dev/null",
			 cand[i]);
		if (system(cmd) == 0)
			return cand[i];
	}
	return NULL;
}

/* Parse @path; the parser's sample lines, or fail the test. */
static char *parse_file(const char *path)
{
	const char *src = getenv("VTC_SRCDIR");
	char cmd[1024];
	char *out;
	int st;

	snprintf(cmd, sizeof(cmd), "%s '%s/tests/prom_parse.py' '%s'", python, src ? src : ".",
		 path);
	out = slurp_cmd(cmd, &st);
	if (st != 0)
		fail_msg("prom_parse.py exit %d on %s; output:\n%s", st, path, out);
	return out;
}

/* Value of the sample "name<TAB>labels<TAB>", NAN when absent. */
static double sample(const char *out, const char *name, const char *labels)
{
	char key[512];
	const char *p;
	size_t n;

	n = (size_t)snprintf(key, sizeof(key), "%s\t%s\t", name, labels);
	for (p = out; (p = strstr(p, key)); p += n)
		if (p == out || p[-1] == '\n')
			return strtod(p + n, NULL);
	return NAN;
}

static int count_lines(const char *out, const char *name)
{
	size_t n = strlen(name);
	int count = 0;

	for (const char *p = out; *p; p = strchr(p, '\n') + 1) {
		if (strncmp(p, name, n) == 0 && p[n] == '\t')
			count++;
		if (!strchr(p, '\n'))
			break;
	}
	return count;
}

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vtc-prom-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd);
}

/* ---- hand-built inputs ------------------------------------------------- */

/* CPUs 0-3, two passes: (0,1) stalled in both, (2,3) never measured, the
 * other four pairs measured at 40 + pair index ns. */
static void make_results(struct vtc_results *r)
{
	vtc_cpuset s;

	vtc_cpulist_parse("0-3", &s);
	assert_int_equal(vtc_results_init(r, &s, 2), 0);
	snprintf(r->backend, sizeof(r->backend), "sim");
	snprintf(r->timer.name, sizeof(r->timer.name), "rdtscp");
	for (int i = 0; i < r->n_pairs; i++) {
		struct vtc_pair_result *p = &r->pairs[i];

		if (p->a == 2 && p->b == 3)
			continue;
		for (int k = 0; k < 2; k++) {
			p->pass[k].measured = true;
			p->pass[k].samples = 40;
			p->pass[k].median_ns = 40.0 + i;
			if (p->a == 0 && p->b == 1) {
				p->pass[k].stalled = true;
				p->pass[k].handoff_ns = 1.5e6;
			}
		}
	}
}

static void make_findings(struct vtc_findings *fs)
{
	vtc_cpuset s;

	vtc_cpulist_parse("0-1", &s);
	assert_non_null(vtc_findings_add(fs, VTC_FK_STACKED, VTC_SEV_CRITICAL, &s, "x"));
	assert_non_null(vtc_findings_add(fs, VTC_FK_LLC_MISMATCH, VTC_SEV_WARNING, &s, "x"));
	assert_non_null(vtc_findings_add(fs, VTC_FK_LLC_MISMATCH, VTC_SEV_WARNING, &s, "y"));
	assert_non_null(vtc_findings_add(fs, VTC_FK_LLC_MISMATCH, VTC_SEV_INFO, &s, "z"));
	/* Kinds are an enum whose names need no escaping (test_finding); label
	 * escaping is checked on cpu_model below. */
	assert_non_null(vtc_findings_add(fs, VTC_FK_FLOATING, VTC_SEV_INFO, &s, "w"));
}

static void write_to(const char *path, const struct vtc_prom_run *run,
		     const struct vtc_results *r, const struct vtc_inferred *inf,
		     const struct vtc_findings *fs)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(vtc_prom_write(f, run, r, inf, fs), 0);
	assert_int_equal(fclose(f), 0);
}

static void test_metrics_parse_back(void **state)
{
	struct vtc_results r;
	struct vtc_findings fs = {0};
	struct vtc_inferred inf;
	struct vtc_prom_run run = {
		.status = VTC_EXIT_CRITICAL, .duration_s = 12.25, .end_unix_s = 1795000000.125,
		.version = "0.1", .hypervisor = "kvm",
		/* quote, backslash, newline, a control byte, malformed UTF-8, and
		 * well-formed multibyte text that must survive unchanged */
		.cpu_model = "AMD \"EPYC\" 7B13\\64-Core\nx\x01\xff\xc3(\xc3\xa9",
	};
	char path[128], *out;
	(void)state;

	memset(&inf, 0, sizeof(inf));
	inf.n_tiers = 2;
	inf.tier[0] = (struct vtc_tier){.lo_ns = 40, .hi_ns = 44, .median_ns = 42.5, .n = 6};
	inf.tier[1] = (struct vtc_tier){.lo_ns = 120, .hi_ns = 140, .median_ns = 130, .n = 2};
	inf.coverage = 0.8;
	make_results(&r);
	make_findings(&fs);
	snprintf(path, sizeof(path), "%s/vtopocheck.prom", tmpdir);
	write_to(path, &run, &r, &inf, &fs);
	out = parse_file(path);

	assert_true(sample(out, "vtopocheck_verdict", "{\"status\": \"critical\"}") == 1);
	assert_true(sample(out, "vtopocheck_verdict", "{\"status\": \"ok\"}") == 0);
	assert_true(sample(out, "vtopocheck_verdict", "{\"status\": \"warning\"}") == 0);
	assert_true(sample(out, "vtopocheck_verdict", "{\"status\": \"unknown\"}") == 0);
	assert_true(sample(out, "vtopocheck_exit_code", "{}") == 2);
	assert_true(sample(out, "vtopocheck_findings",
			   "{\"kind\": \"stacked\", \"severity\": \"critical\"}") == 1);
	assert_true(sample(out, "vtopocheck_findings",
			   "{\"kind\": \"llc-mismatch\", \"severity\": \"warning\"}") == 2);
	assert_true(sample(out, "vtopocheck_findings",
			   "{\"kind\": \"llc-mismatch\", \"severity\": \"info\"}") == 1);
	assert_true(sample(out, "vtopocheck_findings",
			   "{\"kind\": \"floating\", \"severity\": \"info\"}") == 1);
	assert_int_equal(count_lines(out, "vtopocheck_findings"), 4);
	assert_true(sample(out, "vtopocheck_findings_by_severity", "{\"severity\": \"info\"}") == 2);
	assert_true(sample(out, "vtopocheck_findings_by_severity",
			   "{\"severity\": \"critical\"}") == 1);
	/* Base units: seconds. */
	assert_true(fabs(sample(out, "vtopocheck_tier_latency_seconds", "{\"tier\": \"a\"}") -
			 42.5e-9) < 1e-20);
	assert_true(fabs(sample(out, "vtopocheck_tier_latency_seconds", "{\"tier\": \"b\"}") -
			 130e-9) < 1e-20);
	assert_true(sample(out, "vtopocheck_tier_measurements", "{\"tier\": \"a\"}") == 6);
	assert_true(sample(out, "vtopocheck_measurement_coverage_ratio", "{}") == 0.8);
	assert_true(sample(out, "vtopocheck_run_duration_seconds", "{}") == 12.25);
	assert_true(sample(out, "vtopocheck_last_run_timestamp_seconds", "{}") == 1795000000.125);
	assert_true(sample(out, "vtopocheck_vcpus_probed", "{}") == 4);
	assert_true(sample(out, "vtopocheck_pairs", "{\"state\": \"stalled\"}") == 1);
	assert_true(sample(out, "vtopocheck_pairs", "{\"state\": \"unmeasured\"}") == 1);
	assert_true(sample(out, "vtopocheck_pairs", "{\"state\": \"measured\"}") == 4);
	/* No observation window: 0 s, no samples, no pairs. */
	assert_true(sample(out, "vtopocheck_window_seconds", "{}") == 0);
	assert_true(sample(out, "vtopocheck_watch_samples", "{}") == 0);
	assert_int_equal(count_lines(out, "vtopocheck_shared_core_ratio"), 0);
	/* The info labels came back exactly, bad bytes as '?', é intact. */
	assert_non_null(strstr(out, "vtopocheck_info\t{\"backend\": \"sim\", \"cpu_model\": "
				    "\"AMD \\\"EPYC\\\" 7B13\\\\64-Core\\nx???" "(\\u00e9\", "
				    "\"hypervisor\": \"kvm\", \"timer\": \"rdtscp\", "
				    "\"version\": \"0.1\"}\t1.0"));
	free(out);
	vtc_findings_free(&fs);
	vtc_results_free(&r);
}

/* Nothing measured (--advertised, or a run that could not start probing):
 * the identity, verdict and findings are still there, the rest left out. */
static void test_metrics_without_measurements(void **state)
{
	struct vtc_prom_run run = {.status = VTC_EXIT_UNKNOWN, .end_unix_s = 1};
	char path[128], *out;
	(void)state;

	snprintf(path, sizeof(path), "%s/none.prom", tmpdir);
	write_to(path, &run, NULL, NULL, NULL);
	out = parse_file(path);
	assert_true(sample(out, "vtopocheck_verdict", "{\"status\": \"unknown\"}") == 1);
	assert_true(sample(out, "vtopocheck_exit_code", "{}") == 3);
	assert_true(sample(out, "vtopocheck_vcpus_probed", "{}") == 0);
	assert_int_equal(count_lines(out, "vtopocheck_findings"), 0);
	assert_int_equal(count_lines(out, "vtopocheck_findings_by_severity"), 3);
	assert_int_equal(count_lines(out, "vtopocheck_tier_latency_seconds"), 0);
	assert_int_equal(count_lines(out, "vtopocheck_pairs"), 0);
	assert_int_equal(count_lines(out, "vtopocheck_window_seconds"), 0);
	assert_int_equal(count_lines(out, "vtopocheck_topology_info"), 0);
	assert_int_equal(count_lines(out, "vtopocheck_host_info"), 0);
	free(out);
}

/* A window of 1.5-9.5 s with two pairs seen nearer (a hand-built series,
 * as src/analysis/series.c would fill it). */
static void test_window_metrics(void **state)
{
	struct vtc_results r;
	struct vtc_inferred inf;
	struct vtc_series_float fl[2] = {
		{.a = 0, .b = 2, .samples = 200, .near = 50, .usual_ns = 60, .near_ns = 20},
		{.a = 1, .b = 3, .samples = 100, .near = 5, .usual_ns = 60, .near_ns = 25},
	};
	struct vtc_prom_run run = {.status = VTC_EXIT_WARNING, .end_unix_s = 1};
	char path[128], *out;
	(void)state;

	make_results(&r);
	r.watch_from_s = 1.5;
	r.watch_to_s = 9.5;
	for (int i = 0; i < 300; i++)
		assert_int_equal(vtc_results_add_watch(&r, 1.5 + i * 0.02, i % r.n_pairs, 60), 0);
	memset(&inf, 0, sizeof(inf));
	inf.series = (struct vtc_series){.window_s = 8, .n_samples = 300, .n_float = 2, .f = fl};
	snprintf(path, sizeof(path), "%s/window.prom", tmpdir);
	write_to(path, &run, &r, &inf, NULL);
	out = parse_file(path);
	assert_true(sample(out, "vtopocheck_window_seconds", "{}") == 8);
	assert_true(sample(out, "vtopocheck_watch_samples", "{}") == 300);
	assert_true(sample(out, "vtopocheck_shared_core_ratio", "{\"a\": \"0\", \"b\": \"2\"}") ==
		    0.25);
	assert_true(sample(out, "vtopocheck_shared_core_ratio", "{\"a\": \"1\", \"b\": \"3\"}") ==
		    0.05);
	assert_int_equal(count_lines(out, "vtopocheck_shared_core_ratio"), 2);
	free(out);
	vtc_results_free(&r);
}

static void test_bad_arguments(void **state)
{
	struct vtc_prom_run run = {.status = (enum vtc_exit)7};
	struct vtc_inferred inf;
	FILE *f = tmpfile();
	(void)state;

	assert_non_null(f);
	assert_int_equal(vtc_prom_write(f, &run, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(vtc_prom_write(f, NULL, NULL, NULL, NULL), -EINVAL);
	run.status = VTC_EXIT_OK;
	assert_int_equal(vtc_prom_write(NULL, &run, NULL, NULL, NULL), -EINVAL);
	memset(&inf, 0, sizeof(inf));
	inf.n_tiers = VTC_INFER_MAX_TIERS + 1;
	assert_int_equal(vtc_prom_write(f, &run, NULL, &inf, NULL), -EINVAL);
	assert_int_equal(vtc_prom_write_app(NULL, "x.prom"), -EINVAL);
	fclose(f);
}

/* ---- a whole run through the app wrapper ------------------------------- */

/* A simulated 4-vCPU guest whose vCPUs 0 and 1 are stacked on one host
 * CPU, judged by the real chain; the file must say what the structures say. */
static void test_app_run_written_atomically(void **state)
{
	static char *argv[] = {"vtopocheck", NULL};
	const int pin[4] = {1, 1, 3, 5};
	struct vtc_run app;
	struct vtc_sim sim;
	char path[128], labels[160], *out;
	int stalled = 0, crit = 0;
	double ns;
	(void)state;

	vtc_run_init(&app, 1, argv);
	assert_int_equal(vtc_sim_init_pinned(&sim, &vtc_sim_xeon4208, 4, pin, VTC_SIM_IDLE, 7), 0);
	assert_int_equal(vtc_sim_topo(&app.sysfs, 1, 4, 1, 1), 0);
	app.have_sysfs = true;
	assert_int_equal(vtc_sim_measure(&sim, 2, true, NULL, 0, &app.res), 0);
	app.have_results = true;
	assert_int_equal(vtc_infer(&app.res, &app.sysfs, &app.inf), 0);
	app.have_inf = true;
	assert_int_equal(vtc_compare(&app.inf, &app.res, &app.sysfs, NULL, &app.findings), 0);
	app.status = vtc_verdict(&app.inf, &app.findings, app.reason, sizeof(app.reason));
	app.wall_s = 3.5;
	snprintf(app.plat.hypervisor, sizeof(app.plat.hypervisor), "kvm");

	snprintf(path, sizeof(path), "%s/run.prom", tmpdir);
	assert_int_equal(vtc_prom_write_app(&app, path), 0);
	out = parse_file(path);
	for (int i = 0; i < app.res.n_pairs; i++)
		stalled += vtc_matrix_cell(&app.res, app.res.pairs[i].a, app.res.pairs[i].b,
					   &ns) == 2;
	for (int i = 0; i < app.findings.count; i++)
		crit += app.findings.item[i].severity == VTC_SEV_CRITICAL;
	print_message("verdict %d, %d stalled pairs, %d findings: %s\n", app.status, stalled,
		      app.findings.count, app.reason);
	/* The simulated stacked pair stalls; the metrics count it. */
	assert_true(stalled >= 1);
	assert_true(sample(out, "vtopocheck_pairs", "{\"state\": \"stalled\"}") == stalled);
	assert_true(sample(out, "vtopocheck_exit_code", "{}") == app.status);
	snprintf(labels, sizeof(labels), "{\"status\": \"%s\"}",
		 (const char *[]){"ok", "warning", "critical", "unknown"}[app.status]);
	assert_true(sample(out, "vtopocheck_verdict", labels) == 1);
	assert_true(sample(out, "vtopocheck_findings_by_severity",
			   "{\"severity\": \"critical\"}") == crit);
	assert_int_equal(count_lines(out, "vtopocheck_tier_latency_seconds"), app.inf.n_tiers);
	assert_true(sample(out, "vtopocheck_run_duration_seconds", "{}") == 3.5);
	/* Written at most a minute ago, in seconds (not ms) since the epoch. */
	assert_true(fabs(sample(out, "vtopocheck_last_run_timestamp_seconds", "{}") -
			 (double)time(NULL)) < 60);
	/* The fingerprints as info metrics: the topology's of the judged
	 * groups; no host signals were read by the simulator, so no host. */
	char topo[VTC_FINGERPRINT_LEN + 1], host[VTC_FINGERPRINT_LEN + 1];
	vtc_run_fingerprints(&app, topo, host);
	assert_int_equal(strlen(topo), VTC_FINGERPRINT_LEN);
	assert_string_equal(host, "");
	snprintf(labels, sizeof(labels), "{\"fingerprint\": \"%s\"}", topo);
	assert_true(sample(out, "vtopocheck_topology_info", labels) == 1);
	assert_int_equal(count_lines(out, "vtopocheck_topology_info"), 1);
	assert_int_equal(count_lines(out, "vtopocheck_host_info"), 0);
	free(out);
	/* Host signals read: one host_info sample with the signals, the TSC
	 * rounded to 10 MHz. */
	snprintf(app.plat.model_name, sizeof(app.plat.model_name), "Xeon \"Gold\"");
	snprintf(app.plat.microcode, sizeof(app.plat.microcode), "0x5003604");
	vtc_host_signals_from(&app.plat, 2095123.4, &app.res.host_start);
	vtc_run_fingerprints(&app, topo, host);
	assert_int_equal(vtc_prom_write_app(&app, path), 0);
	out = parse_file(path);
	snprintf(labels, sizeof(labels), "{\"cpu_model\": \"Xeon \\\"Gold\\\"\", \"fingerprint\": "
		 "\"%s\", \"microcode\": \"0x5003604\", \"tsc_khz\": \"2100000\"}", host);
	assert_true(sample(out, "vtopocheck_host_info", labels) == 1);
	free(out);
	vtc_run_free(&app);
}

/* ---- atomic writes ------------------------------------------------------ */

static int write_text(FILE *f, void *arg)
{
	return fputs((const char *)arg, f) < 0 ? -EIO : 0;
}

/* Writes half a file, then fails as a full disk would. */
static int write_then_fail(FILE *f, void *arg)
{
	(void)arg;
	fputs("vtopocheck_exit_code 0\n", f);
	return -ENOSPC;
}

static int dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_atomic_write(void **state)
{
	char dir[128], path[160], buf[64] = "";
	struct stat st;
	FILE *f;
	(void)state;

	snprintf(dir, sizeof(dir), "%s/atomic", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/v.prom", dir);
	assert_int_equal(vtc_output_write_atomic(path, write_text, "old\n"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644); /* node_exporter must read it */
	/* A failing writer leaves the old file and no temporary behind. */
	assert_int_equal(vtc_output_write_atomic(path, write_then_fail, NULL), -ENOSPC);
	assert_int_equal(dir_entries(dir), 1);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "old\n");
	/* Replaced whole on success. */
	assert_int_equal(vtc_output_write_atomic(path, write_text, "new\n"), 0);
	assert_int_equal(dir_entries(dir), 1);
	snprintf(path, sizeof(path), "%s/missing/v.prom", dir);
	assert_int_equal(vtc_output_write_atomic(path, write_text, "x"), -ENOENT);
	assert_int_equal(vtc_output_write_atomic(dir, write_text, "x"), -EISDIR);
	assert_int_equal(vtc_output_write_atomic(NULL, write_text, "x"), -EINVAL);
}

/* ---- escaping ----------------------------------------------------------- */

static void test_utf8_seq_len(void **state)
{
	static const struct { const char *s; size_t n; } cases[] = {
		{"a", 1}, {"\xc3\xa9", 2}, {"\xe2\x82\xac", 3}, {"\xf0\x9f\x98\x80", 4},
		{"", 0}, {"\x80", 0}, {"\xc0\xaf", 0} /* overlong '/' */,
		{"\xe0\x80\xaf", 0} /* overlong */, {"\xed\xa0\x80", 0} /* surrogate */,
		{"\xf4\x90\x80\x80", 0} /* > U+10FFFF */, {"\xf5\x80\x80\x80", 0},
		{"\xe2\x82", 0} /* truncated at NUL */, {"\xc3(", 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(vtc_utf8_seq_len(cases[i].s), cases[i].n);
}

static void escaped(int (*esc)(FILE *, const char *), const char *in, const char *want)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	assert_non_null(f);
	assert_int_equal(esc(f, in), 0);
	fclose(f);
	assert_string_equal(buf, want);
}

static void test_escapes(void **state)
{
	(void)state;
	escaped(vtc_xml_escape, "<a & 'b'>\"\t\x01\x7f\xff\xc3\xa9",
		"&lt;a &amp; &apos;b&apos;&gt;&quot;\t???\xc3\xa9");
	escaped(vtc_prom_escape_label, "a\"b\\c\nd\te\xff", "a\\\"b\\\\c\\nd?e?");
	escaped(vtc_xml_escape, NULL, "");
}

int main(void)
{
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(test_utf8_seq_len),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test_setup_teardown(test_atomic_write, setup, teardown),
		cmocka_unit_test(test_bad_arguments),
	};
	const struct CMUnitTest parsed[] = {
		cmocka_unit_test(test_metrics_parse_back),
		cmocka_unit_test(test_metrics_without_measurements),
		cmocka_unit_test(test_window_metrics),
		cmocka_unit_test(test_app_run_written_atomically),
	};
	int rc = cmocka_run_group_tests_name("report_prom", plain, NULL, NULL);

	python = find_python();
	if (!python) {
		fputs("test_report_prom: no python3 with prometheus_client (Debian: "
		      "python3-prometheus-client); parse-back tests skipped\n", stderr);
		return rc ? rc : 77;
	}
	return rc + cmocka_run_group_tests_name("report_prom_parsed", parsed, setup, teardown);
}
