/* main.c - the vtopocheck command line. Wires modules; decides what the user
 * sees and the exit status.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/cli/app.h"
#include "src/cli/cli.h"
#include "src/report/diff.h"
#include "src/report/load_run.h"
#include "src/report/matrix.h"
#include "src/report/output.h"
#include "src/report/report_json.h"
#include "src/report/report_plugin.h"
#include "src/report/report_prom.h"
#include "src/report/report_svg.h"
#include "src/report/report_text.h"
#include "src/stop.h"
#include "src/analysis/verdict.h"
#include "src/vtc.h"

/* Set from the signal handler, polled by the probe scheduler between samples. */
static volatile int g_stop;

static void on_signal(int sig)
{
	(void)sig;
	vtc_stop_note_time();
	g_stop = 1;
}

/* A bar on stderr, only for a person watching a terminal: the phase, and
 * the time left (a run with a window lasts its whole budget). */
static void progress_bar(void *arg, const char *phase, double done, double left_s)
{
	static int last_pct = -1, last_tenths = -1;
	static const char *last_phase;
	int width = 30, filled = (int)(done * width + 0.5);
	int pct = (int)(done * 100 + 0.5), tenths = (int)(left_s * 10 + 0.5);
	(void)arg;
	/* Redraw only when the text changes: rounds come every millisecond. */
	if (pct == last_pct && tenths == last_tenths && phase == last_phase && done < 1.0)
		return;
	last_pct = pct;
	last_tenths = tenths;
	last_phase = phase;
	fprintf(stderr, "\r%-9s [%.*s%*s] %3d%%, %4.1f s left", phase, filled,
		"##############################", width - filled, "",
		(int)(done * 100 + 0.5), left_s);
	if (done >= 1.0)
		fputs("\r\033[K", stderr);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool json_on_stdout(const struct vtc_cli_opts *o)
{
	return vtc_output_is_stdout(o->json_path);
}

/* One message for every output that cannot be written; returns @rc. The
 * plugin line goes with it only before the verdict line was printed. */
static int cannot_write(const char *what, const char *path, int rc, const char *hint,
			bool plugin_line)
{
	char msg[512];

	if (rc == -EINTR)
		snprintf(msg, sizeof(msg), "interrupted by a signal: the %s at %s is left as "
			 "it was", what, path);
	else
		snprintf(msg, sizeof(msg), "cannot write the %s to %s (%s)%s", what, path,
			 vtc_output_strerror(rc), hint);
	vtc_cli_error(plugin_line, msg);
	return rc;
}

/* Checked before probing: a run must not spend its budget and then fail to
 * deliver what was asked for. */
static int check_output_paths(const struct vtc_cli_opts *o)
{
	static const char hint[] = "; choose a writable path";
	const char *paths[] = {o->json_path, o->svg_path, o->prom_path};
	const char *what[] = {"JSON report", "SVG heatmap", "Prometheus metrics"};
	const char *ins[] = {o->analyze_path, o->matrix_in};
	size_t bad, other;
	int rc;

	for (size_t i = 0; i < VTC_ARRAY_SIZE(paths); i++)
		if (paths[i] && (rc = vtc_output_path_check(paths[i])))
			return cannot_write(what[i], paths[i], rc, hint, !json_on_stdout(o));
	/* An output must never replace the report being analyzed, or another. */
	if (vtc_output_check_distinct(paths, VTC_ARRAY_SIZE(paths), ins, VTC_ARRAY_SIZE(ins),
				      &bad, &other)) {
		char msg[512];
		snprintf(msg, sizeof(msg), "the %s and the %s are both %s; give each its own file",
			 what[bad], other < VTC_ARRAY_SIZE(paths) ? what[other] : "input",
			 paths[bad]);
		vtc_cli_error(!json_on_stdout(o), msg);
		return -EEXIST;
	}
	return 0;
}

/* An output failed: the run ends UNKNOWN, and the metrics must say so. */
static void output_failed(struct vtc_run *app)
{
	app->status = VTC_EXIT_UNKNOWN;
	snprintf(app->reason, sizeof(app->reason), "UNKNOWN: an output could not be written");
}

static int write_files(struct vtc_run *app, const struct vtc_cli_opts *o)
{
	static const char hint[] = "; choose a writable path";
	int rc, bad = 0;

	if (o->json_path && (rc = vtc_json_write_app(app, o->json_path)))
		bad = cannot_write("JSON report", o->json_path, rc, "", false);
	if (o->svg_path && (rc = vtc_svg_write_app(app, o->svg_path))) {
		if (rc == -ENODATA)
			fputs("vtopocheck: svg: nothing was measured (--advertised); the heatmap "
			      "needs a measurement run\n", stderr);
		else
			cannot_write("SVG heatmap", o->svg_path, rc, hint, false);
		bad = rc;
	}
	/* The metrics come last and say how the run ends: an output or stdout
	 * that failed before them makes it UNKNOWN (exit 3), for them too. */
	if (o->prom_path && (bad || fflush(stdout) != 0 || ferror(stdout)))
		output_failed(app);
	if (o->prom_path && (rc = vtc_prom_write_app(app, o->prom_path)))
		bad = cannot_write("Prometheus metrics", o->prom_path, rc, hint, false);
	return bad != 0;
}

/* -q: the files first, so that the one line can say whether they failed. */
static int emit_plugin(struct vtc_run *app, const struct vtc_cli_opts *o)
{
	if (write_files(app, o)) {
		vtc_plugin_unknown(stdout, "judged, but an output file could not be written "
				   "(see standard error)");
		return VTC_EXIT_UNKNOWN;
	}
	vtc_plugin_line(stdout, app);
	return 0;
}

static int emit(struct vtc_run *app, const struct vtc_cli_opts *o)
{
	bool to_stdout = json_on_stdout(o);

	if (o->quiet && !to_stdout && (o->matrix == VTC_CLI_MATRIX_NONE || !app->have_results))
		return emit_plugin(app, o);
	if (o->matrix != VTC_CLI_MATRIX_NONE && app->have_results)
		vtc_matrix_print(stdout, &app->res,
				 o->matrix == VTC_CLI_MATRIX_CSV ? VTC_MATRIX_CSV : VTC_MATRIX_TEXT);
	else if (!to_stdout && o->mode == VTC_MODE_ADVERTISED)
		vtc_text_advertised(stdout, app, o->quiet);
	else if (!to_stdout)
		vtc_text_run(stdout, app, o->quiet, o->color, o->full);
	return write_files(app, o) ? VTC_EXIT_UNKNOWN : 0;
}

/* Installed first thing, so an interruption at any phase still ends with a
 * complete report (verdict UNKNOWN, partial data). A parent that blocked the
 * signals (some init systems and test drivers do) must not make us deaf. */
static void install_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed terminal stops the run like SIGTERM: the files are still
	 * written. A reader that went away (`| head -1`) makes writes to
	 * stdout fail (EPIPE) instead of killing us before the files. */
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Kept back from the probes for judging and writing the outputs, so that
 * the process ends within its budget (judging and writing a 2-vCPU run
 * takes ~5 ms here): this, or FINISH_RESERVE_SHARE of a short budget. */
#define FINISH_RESERVE_S 0.1
#define FINISH_RESERVE_SHARE 0.05

/* The probes' share of the budget: what start-up (@t0: process start) left
 * of it, less the finish reserve; never below a tenth of it. The report
 * still records the budget asked for. */
static double probe_budget(double budget_s, double t0)
{
	double reserve = budget_s * FINISH_RESERVE_SHARE < FINISH_RESERVE_S
			 ? budget_s * FINISH_RESERVE_SHARE : FINISH_RESERVE_S;
	double left = budget_s - (now_s() - t0) - reserve;

	return left > 0.1 * budget_s ? left : 0.1 * budget_s;
}

static int run(struct vtc_run *app, const struct vtc_cli_opts *o, double t0)
{
	bool bar = !o->quiet && isatty(STDERR_FILENO);
	struct vtc_probe_params p = o->params;
	int rc;

	if (o->mode == VTC_MODE_ANALYZE && o->analyze_path)
		return vtc_run_load_report(app, o->analyze_path);
	if ((rc = vtc_app_load_advertised(app, o->sysroot, o->cpuid_dump)))
		return rc;
	if (o->mode == VTC_MODE_ANALYZE)
		return vtc_app_import_matrix(app, o->matrix_in);
	if (o->mode == VTC_MODE_ADVERTISED)
		return 0;
	p.budget_s = probe_budget(o->params.budget_s, t0);
	rc = vtc_app_measure(app, o->have_cpus ? &o->cpus : NULL, &p,
			     bar ? progress_bar : NULL, NULL);
	app->res.params.budget_s = o->params.budget_s;
	return rc;
}

/* Metrics written before standard output failed said how the run was
 * judged; the run ends UNKNOWN (exit 3), and so must they. */
static void unknown_metrics(struct vtc_run *app, const struct vtc_cli_opts *o)
{
	if (!o->prom_path || app->status == VTC_EXIT_UNKNOWN)
		return;
	output_failed(app);
	vtc_prom_write_app(app, o->prom_path);
}

static int finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "vtopocheck: error writing to standard output (%s)\n",
			strerror(errno));
		return -EIO;
	}
	return 0;
}

/* Load and judge one report of a comparison; 0, or -errno after the
 * error line. */
static int load_judged(struct vtc_run *app, const char *path, int argc, char **argv)
{
	int rc;

	vtc_run_init(app, argc, argv);
	if ((rc = vtc_run_load_report(app, path)) || (rc = vtc_app_judge(app)))
		vtc_cli_error(true, app->err);
	return rc;
}

/* --analyze OLD NEW: both reports re-judged by this version (so a change
 * of judging between versions is not reported as a change of the VM),
 * then compared. Exit 0 nothing changed, 1 something changed, 3 a report
 * unreadable (or a signal, or stdout failed): a script tests "did it
 * change" as it does with diff(1), and tells "could not say" apart. */
static int run_diff(const struct vtc_cli_opts *o, int argc, char **argv)
{
	struct vtc_run old, new;
	struct vtc_diff d;
	int status = VTC_EXIT_UNKNOWN;

	if (load_judged(&old, o->analyze_path, argc, argv)) {
		vtc_run_free(&old);
		return VTC_EXIT_UNKNOWN;
	}
	if (load_judged(&new, o->analyze_new, argc, argv))
		goto out;
	if (g_stop) {
		vtc_cli_error(true, "interrupted by a signal; rerun to compare the reports");
		goto out;
	}
	if (vtc_diff_runs(&old, &new, &d)) {
		vtc_cli_error(true, "out of memory comparing the reports");
	} else if (vtc_diff_print(stdout, &d, o->analyze_path, o->analyze_new, o->quiet) == 0 &&
		   finish_output() == 0) {
		status = d.n ? 1 : 0;
	}
	vtc_diff_free(&d);
out:
	vtc_run_free(&new);
	vtc_run_free(&old);
	return status;
}

int main(int argc, char **argv)
{
	struct vtc_run app;
	struct vtc_cli_opts o;
	double t0 = now_s();
	int rc, status;

	install_signals();
	vtc_stop_set(&g_stop);
	if ((rc = vtc_cli_parse(argc, argv, &o)))
		return rc;
	if (check_output_paths(&o))
		return VTC_EXIT_UNKNOWN;
	if (o.analyze_new)
		return run_diff(&o, argc, argv);
	vtc_run_init(&app, argc, argv);
	if ((rc = run(&app, &o, t0)) == 0) {
		rc = o.mode == VTC_MODE_ADVERTISED ? vtc_app_judge_advertised(&app)
					       : vtc_app_judge(&app);
	}
	if (rc) {
		vtc_cli_error(!json_on_stdout(&o), app.err);
		/* A fleet must see that this run failed, not the last good one. */
		if (o.prom_path) {
			app.status = VTC_EXIT_UNKNOWN;
			snprintf(app.reason, sizeof(app.reason), "UNKNOWN: %.300s", app.err);
			vtc_prom_write_app(&app, o.prom_path);
		}
		vtc_run_free(&app);
		return VTC_EXIT_UNKNOWN;
	}
	app.wall_s = now_s() - t0;
	/* An interrupted --analyze has nothing to keep (its input is still
	 * there): it ends at once and leaves every output untouched. */
	if (g_stop && o.mode == VTC_MODE_ANALYZE) {
		vtc_cli_error(!json_on_stdout(&o), "interrupted by a signal; --analyze wrote "
			      "nothing (outputs untouched), rerun it to judge the input");
		vtc_run_free(&app);
		return VTC_EXIT_UNKNOWN;
	}
	if (g_stop && app.status != VTC_EXIT_UNKNOWN && !app.res.interrupted) {
		/* A signal after the measurements, or during --analyze's
		 * judgement: the report is written, as UNKNOWN. */
		app.status = VTC_EXIT_UNKNOWN;
		snprintf(app.reason, sizeof(app.reason), "UNKNOWN: interrupted by a signal "
			 "before the run finished");
	}
	status = (int)app.status;
	if (emit(&app, &o) || finish_output()) {
		status = VTC_EXIT_UNKNOWN;
		unknown_metrics(&app, &o);
	}
	else if (o.have_fail_on && status != VTC_EXIT_UNKNOWN &&
		 !vtc_verdict_fails(app.status, o.fail_on))
		status = VTC_EXIT_OK;
	vtc_run_free(&app);
	return status;
}
