/* cli.c - the command line: getopt_long, option values, conflicts.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/cli/cli.h"
#include "src/report/report_plugin.h"
#include "src/cli/usage.h"
#include "src/vtc.h"

/* Whether stdout and stderr are one terminal: a person reading it would
 * see every error twice. */
static bool one_terminal(void)
{
	struct stat o, e;

	return isatty(STDOUT_FILENO) && isatty(STDERR_FILENO) && fstat(STDOUT_FILENO, &o) == 0 &&
	       fstat(STDERR_FILENO, &e) == 0 && o.st_rdev == e.st_rdev;
}

void vtc_cli_error(bool plugin_line, const char *msg)
{
	fprintf(stderr, "vtopocheck: %s\n", msg);
	/* The UNKNOWN line is for a script reading stdout */
	if (plugin_line && !one_terminal())
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
	vtc_cli_error(true, msg);
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

static int parse_option(int c, int argc, char **argv, struct vtc_cli_opts *o)
{
	double v;

	switch (c) {
	case 'a': o->mode = VTC_MODE_ADVERTISED; break;
	case 'A':
		o->mode = VTC_MODE_ANALYZE;
		o->analyze_path = optional_word(argc, argv);
		/* --analyze OLD NEW: a second word compares two reports */
		if (o->analyze_path && optind < argc && argv[optind][0] != '-')
			o->analyze_new = argv[optind++];
		break;
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
		/* Two passes at least: passes separated in time are how a
		 * placement that moved is told from one that did not. */
		if (parse_number(optarg, 2, VTC_MAX_PASSES, &v) || v != (int)v)
			return bad_usage("--passes '%s' must be an integer from 2 to 4", optarg);
		o->params.passes = (int)v;
		break;
	case 's': o->params.serial = true; break;
	case 'n': o->params.contention = false; break;
	case 'W': o->params.watch = false; break;
	case 'j': o->json_path = optional_word(argc, argv); if (!o->json_path) o->json_path = "-"; break;
	case 'm': {
		const char *w = optional_word(argc, argv);
		if (!w || strcmp(w, "text") == 0)
			o->matrix = VTC_CLI_MATRIX_TEXT;
		else if (strcmp(w, "csv") == 0)
			o->matrix = VTC_CLI_MATRIX_CSV;
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

/* Outputs that cannot both be had: two on standard output, or one that
 * needs measurements where nothing is measured. */
static int check_output_clashes(const struct vtc_cli_opts *o)
{
	bool printing_matrix = o->matrix != VTC_CLI_MATRIX_NONE;

	if (printing_matrix && o->json_path && strcmp(o->json_path, "-") == 0)
		return bad_usage("%s", "--matrix and --json without a file both print to standard "
				 "output; give --json a file");
	if (printing_matrix && o->quiet)
		return bad_usage("%s", "--quiet prints one monitoring-plugin line and --matrix the "
				 "matrix; give one");
	if (o->mode == VTC_MODE_ADVERTISED && (printing_matrix || o->svg_path))
		return bad_usage("%s needs measurements and --advertised measures nothing; drop "
				 "it, or run without --advertised", o->svg_path ? "--svg" : "--matrix");
	return 0;
}

/* Options that mean nothing together are refused, not silently dropped. */
static int check_conflicts(const struct vtc_cli_opts *o)
{
	static const struct { int c; const char *name; } probe_opts[] = {
		{'c', "--cpus"}, {'b', "--budget"}, {'P', "--passes"}, {'s', "--serial"},
		{'n', "--no-contention"}, {'W', "--snapshot"},
	};

	if (o->seen['a'] && o->seen['A'])
		return bad_usage("%s", "--advertised and --analyze are different modes; give one");
	if ((o->seen['D'] && !o->cpuid_dump[0]) || (o->seen['S'] && !o->sysroot[0]))
		return bad_usage("%s", "--cpuid-dump and --sysroot need a directory, not ''");
	for (size_t i = 0; o->mode != VTC_MODE_RUN && i < VTC_ARRAY_SIZE(probe_opts); i++)
		if (o->seen[probe_opts[i].c])
			return bad_usage("%s only applies when probing; nothing is probed with "
					 "--advertised or --analyze", probe_opts[i].name);
	if (o->analyze_new && (o->json_path || o->svg_path || o->prom_path ||
			       o->matrix != VTC_CLI_MATRIX_NONE || o->matrix_in || o->have_fail_on))
		return bad_usage("%s", "--analyze OLD NEW compares two reports and prints what "
				 "changed; it writes no report, matrix or metrics and has its own "
				 "exit status: drop --json, --svg, --prometheus, --matrix and "
				 "--fail-on, or analyze one report");
	if (o->analyze_path && (o->seen['S'] || o->seen['D']))
		return bad_usage("%s", "--sysroot and --cpuid-dump do not apply to --analyze "
				 "REPORT.json: the report holds its own advertised topology");
	return check_output_clashes(o);
}

int vtc_cli_parse(int argc, char **argv, struct vtc_cli_opts *o)
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
		{"snapshot", no_argument, NULL, 'W'},
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
	static const char shortopts[] = "ac:b:j::J::m::qhV";
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->sysroot = "/";
	o->fail_on = VTC_FAIL_WARNING;
	vtc_probe_params_default(&o->params);
	/* A health check watches its whole budget: hosts move vCPUs on a
	 * scale of seconds, and a snapshot misses it (README "Observation
	 * window"). */
	o->params.watch = true;
	opterr = 0; /* getopt_error() prints its messages */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		c = c == 'J' ? 'j' : c; /* -J: lscpu's spelling of --json */
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
	if (o->matrix_in && o->mode != VTC_MODE_ANALYZE)
		return bad_usage("--matrix '%s': a matrix file is read only with --analyze; "
				 "to print the matrix use --matrix or --matrix=csv", o->matrix_in);
	if (o->mode == VTC_MODE_ANALYZE && !o->analyze_path == !o->matrix_in)
		return bad_usage("%s", "--analyze needs either a REPORT.json or --matrix FILE");
	return check_conflicts(o);
}

