/* cli.h - the command line: options, their checks, and the one error line.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_CLI_H
#define VTC_CLI_H

#include <stdbool.h>

#include "src/advertised/cpuset.h"
#include "src/analysis/results.h"
#include "src/analysis/verdict.h"

enum vtc_cli_mode { VTC_MODE_RUN, VTC_MODE_ADVERTISED, VTC_MODE_ANALYZE };
enum vtc_cli_matrix { VTC_CLI_MATRIX_NONE, VTC_CLI_MATRIX_TEXT, VTC_CLI_MATRIX_CSV };

struct vtc_cli_opts {
	enum vtc_cli_mode mode;
	const char *sysroot, *cpuid_dump, *json_path, *analyze_path, *matrix_in;
	const char *analyze_new; /* --analyze OLD NEW: the second report */
	const char *svg_path, *prom_path;
	enum vtc_cli_matrix matrix;
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

/* Parse @argv into @o, check that the options go together, and print
 * --help/--version (then exit 0). Returns 0, or VTC_EXIT_UNKNOWN after
 * printing the reason (vtc_cli_error). */
int vtc_cli_parse(int argc, char **argv, struct vtc_cli_opts *o);

/* Every error: "vtopocheck: <msg>" on stderr for a person, and the
 * monitoring-plugin line "UNKNOWN - <msg>" on stdout for a monitoring
 * system, which reads only stdout. @plugin_line is false when stdout
 * carries data (--json -). */
void vtc_cli_error(bool plugin_line, const char *msg);

#endif
