/* main.c - the vtopocheck command line. Wires modules; decides what the user
 * sees and the exit status.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "matrix.h"
#include "output.h"
#include "report_json.h"
#include "report_plugin.h"
#include "report_prom.h"
#include "report_svg.h"
#include "report_text.h"
#include "stop.h"
#include "usage.h"
#include "verdict.h"
#include "vtc.h"

enum mode { MODE_RUN, MODE_ADVERTISED, MODE_ANALYZE };
enum matrix_out { MATRIX_NONE, MATRIX_TEXT, MATRIX_CSV };

struct opts {
	enum mode mode;
	const char *sysroot, *cpuid_dump, *json_path, *analyze_path, *matrix_in;
	const char *svg_path, *prom_path;
	enum matrix_out matrix;
	bool quiet;
	bool full;
	bool color; /* on a terminal, unless NO_COLOR (no-color.org) or TERM=dumb */
	bool have_cpus;
	vtc_cpuset cpus;
	enum vtc_fail_on fail_on;
	bool have_fail_on;
	bool seen[128]; /* options given, by short code: for check_conflicts */
	struct vtc_probe_params params;
};

/* Set from the signal handler, polled by the probe scheduler between samples. */
static volatile int g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* Every error: "vtopocheck: <what>" on stderr for a person, and the
 * monitoring-plugin line "UNKNOWN - <what>" on stdout for a monitoring
 * system, which reads only stdout. @plugin_line is false when stdout
 * carries data (--json -). */
static void report_error(bool plugin_line, const char *msg)
{
	fprintf(stderr, "vtopocheck: %s\n", msg);
	if (plugin_line)
		vtc_plugin_unknown(stdout, msg);
	fflush(stdout);
}

__attribute__((format(printf, 1, 2)))
static int bad_usage(const char *fmt, ...)
{
	char msg[512];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	snprintf(msg + len, sizeof(msg) - len, "; try 'vtopocheck --help'");
	report_error(true, msg);
	return VTC_EXIT_UNKNOWN;
}

/* getopt's own messages, on our one line: it would print them itself
 * (opterr) but prefixed with argv[0] and on a line of their own. */
static int getopt_error(int argc, char **argv, const char *shortopts)
{
	const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	if (strncmp(word, "--", 2) == 0) {
		if (optopt == 0)
			return bad_usage("unrecognized or ambiguous option '%s'", word);
		if (strchr(word, '='))
			return bad_usage("option '%.*s' doesn't allow an argument",
					 (int)strcspn(word, "="), word);
		return bad_usage("option '%s' requires an argument", word);
	}
	if (optopt && strchr(shortopts, optopt))
		return bad_usage("option requires an argument -- '%c'", optopt);
	return bad_usage("invalid option -- '%c'", optopt ? optopt : '?');
}

/* Optional arguments given as a separate word ("--json FILE"): take the next
 * word when it is not an option. */
static const char *optional_word(int argc, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < argc && (argv[optind][0] != '-' || strcmp(argv[optind], "-") == 0))
		return argv[optind++];
	return NULL;
}

static int parse_number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi))
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_option(int c, int argc, char **argv, struct opts *o)
{
	double v;

	switch (c) {
	case 'a': o->mode = MODE_ADVERTISED; break;
	case 'A': o->mode = MODE_ANALYZE; o->analyze_path = optional_word(argc, argv); break;
	case 'S': o->sysroot = optarg; break;
	case 'D': o->cpuid_dump = optarg; break;
	case 'c':
		if (vtc_cpulist_parse(optarg, &o->cpus) || vtc_cpuset_empty(&o->cpus))
			return bad_usage("--cpus '%s' is not a CPU list like 0-3,8", optarg);
		o->have_cpus = true;
		break;
	case 'b':
		if (parse_number(optarg, 0.1, 86400, &v))
			return bad_usage("--budget '%s' must be seconds between 0.1 and 86400", optarg);
		o->params.budget_s = v;
		break;
	case 'P':
		if (parse_number(optarg, 1, VTC_MAX_PASSES, &v) || v != (int)v)
			return bad_usage("--passes '%s' must be an integer from 1 to 4", optarg);
		o->params.passes = (int)v;
		break;
	case 's': o->params.serial = true; break;
	case 'n': o->params.contention = false; break;
	case 'j': o->json_path = optional_word(argc, argv); if (!o->json_path) o->json_path = "-"; break;
	case 'm': {
		const char *w = optional_word(argc, argv);
		if (!w || strcmp(w, "text") == 0)
			o->matrix = MATRIX_TEXT;
		else if (strcmp(w, "csv") == 0)
			o->matrix = MATRIX_CSV;
		else
			o->matrix_in = w; /* with --analyze: a matrix to import */
		break;
	}
	case 'q': o->quiet = true; break;
	case 'f': o->full = true; break;
	case 'G': o->svg_path = optarg; break;
	case 'M': o->prom_path = optarg; break;
	case 'F':
		if (vtc_verdict_parse_fail_on(optarg, &o->fail_on))
			return bad_usage("--fail-on '%s': use never, warning or critical", optarg);
		o->have_fail_on = true;
		break;
	case 'h': vtc_usage_print(stdout); exit(VTC_EXIT_OK);
	case 'V': printf("vtopocheck %s\n", PACKAGE_VERSION); exit(VTC_EXIT_OK);
	default:
		return bad_usage("unexpected option code %d", c);
	}
	return 0;
}

/* Options that mean nothing together are refused, not silently dropped. */
static int check_conflicts(const struct opts *o)
{
	static const struct { int c; const char *name; } probe_opts[] = {
		{'c', "--cpus"}, {'b', "--budget"}, {'P', "--passes"}, {'s', "--serial"},
		{'n', "--no-contention"},
	};

	if (o->seen['a'] && o->seen['A'])
		return bad_usage("%s", "--advertised and --analyze are different modes; give one");
	if ((o->seen['D'] && !o->cpuid_dump[0]) || (o->seen['S'] && !o->sysroot[0]))
		return bad_usage("%s", "--cpuid-dump and --sysroot need a directory, not ''");
	for (size_t i = 0; o->mode != MODE_RUN && i < VTC_ARRAY_SIZE(probe_opts); i++)
		if (o->seen[probe_opts[i].c])
			return bad_usage("%s only applies when probing; nothing is probed with "
					 "--advertised or --analyze", probe_opts[i].name);
	if (o->analyze_path && (o->seen['S'] || o->seen['D']))
		return bad_usage("%s", "--sysroot and --cpuid-dump do not apply to --analyze "
				 "REPORT.json: the report holds its own advertised topology");
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"advertised", no_argument, NULL, 'a'},
		{"analyze", optional_argument, NULL, 'A'},
		{"sysroot", required_argument, NULL, 'S'},
		{"cpuid-dump", required_argument, NULL, 'D'},
		{"cpus", required_argument, NULL, 'c'},
		{"budget", required_argument, NULL, 'b'},
		{"passes", required_argument, NULL, 'P'},
		{"serial", no_argument, NULL, 's'},
		{"no-contention", no_argument, NULL, 'n'},
		{"json", optional_argument, NULL, 'j'},
		{"matrix", optional_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{"full", no_argument, NULL, 'f'},
		{"svg", required_argument, NULL, 'G'},
		{"prometheus", required_argument, NULL, 'M'},
		{"fail-on", required_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	static const char shortopts[] = "ac:b:j::m::qhV";
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->sysroot = "/";
	o->fail_on = VTC_FAIL_WARNING;
	vtc_probe_params_default(&o->params);
	opterr = 0; /* getopt_error() prints its messages */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if ((rc = c == '?' ? getopt_error(argc, argv, shortopts)
				   : parse_option(c, argc, argv, o)))
			return rc;
		if (c > 0 && c < 128)
			o->seen[c] = true;
	}
	if (optind < argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	o->color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
		   !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	if (o->matrix_in && o->mode != MODE_ANALYZE)
		return bad_usage("--matrix '%s': a matrix file is read only with --analyze; "
				 "to print the matrix use --matrix or --matrix=csv", o->matrix_in);
	if (o->mode == MODE_ANALYZE && !o->analyze_path == !o->matrix_in)
		return bad_usage("%s", "--analyze needs either a REPORT.json or --matrix FILE");
	return check_conflicts(o);
}

/* A bar on stderr, only for a person watching a terminal. */
static void progress_bar(void *arg, double done)
{
	int width = 40, filled = (int)(done * width + 0.5);
	(void)arg;
	fprintf(stderr, "\rprobing [%.*s%*s] %3d%%", filled,
		"########################################", width - filled, "",
		(int)(done * 100 + 0.5));
	if (done >= 1.0)
		fputs("\r\033[K", stderr);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool json_on_stdout(const struct opts *o)
{
	return vtc_output_is_stdout(o->json_path);
}

/* One message for every output that cannot be written; returns @rc. The
 * plugin line goes with it only before the verdict line was printed. */
static int cannot_write(const char *what, const char *path, int rc, const char *hint,
			bool plugin_line)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "cannot write the %s to %s (%s)%s", what, path,
		 vtc_output_strerror(rc), hint);
	report_error(plugin_line, msg);
	return rc;
}

/* Checked before probing: a run must not spend its budget and then fail to
 * deliver what was asked for. */
static int check_output_paths(const struct opts *o)
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
		report_error(!json_on_stdout(o), msg);
		return -EEXIST;
	}
	return 0;
}

static int write_files(struct vtc_app *app, const struct opts *o)
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
	if (o->prom_path && (bad || fflush(stdout) != 0 || ferror(stdout))) {
		app->status = VTC_EXIT_UNKNOWN;
		snprintf(app->reason, sizeof(app->reason), "UNKNOWN: an output could not be "
			 "written");
	}
	if (o->prom_path && (rc = vtc_prom_write_app(app, o->prom_path)))
		bad = cannot_write("Prometheus metrics", o->prom_path, rc, hint, false);
	return bad != 0;
}

/* -q: the files first, so that the one line can say whether they failed. */
static int emit_plugin(struct vtc_app *app, const struct opts *o)
{
	if (write_files(app, o)) {
		vtc_plugin_unknown(stdout, "judged, but an output file could not be written "
				   "(see standard error)");
		return VTC_EXIT_UNKNOWN;
	}
	vtc_plugin_line(stdout, app);
	return 0;
}

static int emit(struct vtc_app *app, const struct opts *o)
{
	bool to_stdout = json_on_stdout(o);

	if (o->quiet && !to_stdout && (o->matrix == MATRIX_NONE || !app->have_results))
		return emit_plugin(app, o);
	if (o->matrix != MATRIX_NONE && app->have_results)
		vtc_matrix_print(stdout, &app->res,
				 o->matrix == MATRIX_CSV ? VTC_MATRIX_CSV : VTC_MATRIX_TEXT);
	else if (!to_stdout && o->mode == MODE_ADVERTISED)
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
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static int run(struct vtc_app *app, const struct opts *o)
{
	bool bar = !o->quiet && isatty(STDERR_FILENO);
	int rc;

	if (o->mode == MODE_ANALYZE && o->analyze_path)
		return vtc_app_load_report(app, o->analyze_path);
	if ((rc = vtc_app_load_advertised(app, o->sysroot, o->cpuid_dump)))
		return rc;
	if (o->mode == MODE_ANALYZE)
		return vtc_app_import_matrix(app, o->matrix_in);
	if (o->mode == MODE_ADVERTISED)
		return 0;
	return vtc_app_measure(app, o->have_cpus ? &o->cpus : NULL, &o->params, &g_stop,
			       bar ? progress_bar : NULL, NULL);
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

int main(int argc, char **argv)
{
	struct vtc_app app;
	struct opts o;
	double t0 = now_s();
	int rc, status;

	install_signals();
	vtc_stop_set(&g_stop);
	if ((rc = parse_args(argc, argv, &o)))
		return rc;
	if (check_output_paths(&o))
		return VTC_EXIT_UNKNOWN;
	vtc_app_init(&app, argc, argv);
	if ((rc = run(&app, &o)) == 0) {
		rc = o.mode == MODE_ADVERTISED ? vtc_app_judge_advertised(&app)
					       : vtc_app_judge(&app);
	}
	if (rc) {
		report_error(!json_on_stdout(&o), app.err);
		/* A fleet must see that this run failed, not the last good one. */
		if (o.prom_path) {
			app.status = VTC_EXIT_UNKNOWN;
			snprintf(app.reason, sizeof(app.reason), "UNKNOWN: %.300s", app.err);
			vtc_prom_write_app(&app, o.prom_path);
		}
		vtc_app_free(&app);
		return VTC_EXIT_UNKNOWN;
	}
	app.wall_s = now_s() - t0;
	if (g_stop && app.status != VTC_EXIT_UNKNOWN) {
		/* A signal after the measurements, or during --analyze's
		 * judgement: the report is written, as UNKNOWN. */
		app.status = VTC_EXIT_UNKNOWN;
		snprintf(app.reason, sizeof(app.reason), "UNKNOWN: interrupted by a signal "
			 "before the run finished");
	}
	status = (int)app.status;
	if (emit(&app, &o) || finish_output())
		status = VTC_EXIT_UNKNOWN;
	else if (o.have_fail_on && status != VTC_EXIT_UNKNOWN &&
		 !vtc_verdict_fails(app.status, o.fail_on))
		status = VTC_EXIT_OK;
	vtc_app_free(&app);
	return status;
}
