/* matrix_import.c - c2clat text and core-to-core-latency CSV matrices.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "src/report/matrix_import.h"
#include "src/stop.h"

/* A cell above this (1000 s) is no latency; below it, the mean of two
 * cells stays finite (1.7e308 twice averaged to +inf). */
#define CELL_NS_MAX 1e12
/* The two directions of a pair further apart than this are not two
 * readings of one placement: no machine's levels differ so much (an SMT
 * sibling at ~5 ns, a remote socket at ~500 ns), a stall or an edit does. */
#define CELL_ASYMMETRY_MAX 100.0

/* Cells as read, before they become pair statistics. */
enum cell { CELL_NONE, CELL_VALUE, CELL_STALLED };

struct grid {
	int n;             /* rows (= columns) */
	int cpu[VTC_CPUSET_MAX];
	enum cell *state;  /* n*n */
	double *ns;        /* n*n */
	const vtc_cpuset *allowed; /* NULL: any CPU */
	int line0, col0;   /* line and column of row 0's first cell */
	char *err;
	size_t errlen;
};

static int grid_error(struct grid *g, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int grid_error(struct grid *g, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err, g->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

static int grid_alloc(struct grid *g, int n)
{
	if (n < 2)
		return grid_error(g, -EINVAL, "a matrix needs at least 2 CPUs, found %d", n);
	if (n > VTC_CPUSET_MAX)
		return grid_error(g, -ERANGE, "more than %d CPUs", VTC_CPUSET_MAX);
	g->n = n;
	g->state = calloc((size_t)n * (size_t)n, sizeof(*g->state));
	g->ns = calloc((size_t)n * (size_t)n, sizeof(*g->ns));
	return g->state && g->ns ? 0 : -ENOMEM;
}

/* The CPUs named, checked before anything is sized by their count: each
 * at most once and, when the machine is known, among its online CPUs. */
static int check_ids(struct grid *g, int n)
{
	vtc_cpuset seen;

	vtc_cpuset_clear(&seen);
	for (int i = 0; i < n; i++) {
		if (vtc_cpuset_test(&seen, g->cpu[i]))
			return grid_error(g, -EINVAL, "CPU %d appears twice", g->cpu[i]);
		vtc_cpuset_set(&seen, g->cpu[i]);
	}
	if (g->allowed && !vtc_cpuset_subset(&seen, g->allowed)) {
		char want[128], have[128];
		vtc_cpulist_format(&seen, want, sizeof(want));
		vtc_cpulist_format(g->allowed, have, sizeof(have));
		return grid_error(g, -ENXIO, "the matrix has CPUs %s but the advertised "
				  "topology has only %s online", want, have);
	}
	return 0;
}

/* One cell's text: a positive finite number, a stall mark, or nothing. */
static int parse_cell(struct grid *g, const char *tok, int line, int col, int at)
{
	char *end;
	double v;

	while (isspace((unsigned char)*tok))
		tok++;
	if (*tok == '\0' || strcmp(tok, "-") == 0)
		return 0;
	if (strcmp(tok, "S") == 0 || strcasecmp(tok, "inf") == 0) {
		g->state[at] = CELL_STALLED;
		return 0;
	}
	errno = 0;
	v = strtod(tok, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == tok || *end || isnan(v) || v < 0 || (isinf(v) && errno != ERANGE))
		return grid_error(g, -EINVAL, "line %d, column %d: '%s' is not a latency in ns "
				  "(a finite number >= 0)", line, col, tok);
	/* strtod's ERANGE: 1e999 (inf) or 4e-320 (rounds towards 0) */
	if (errno == ERANGE || v >= CELL_NS_MAX || (v > 0 && v < 1e-30))
		return grid_error(g, -EINVAL, "line %d, column %d: %s ns is out of range (a "
				  "latency is from 1e-30 to 1e12 ns; 0 or - for none, S for a "
				  "stall)", line, col, tok);
	if (v > 0) { /* 0 is a diagonal placeholder */
		g->state[at] = CELL_VALUE;
		g->ns[at] = v;
	}
	return 0;
}

/* Split on commas (CSV) or whitespace (text); fills at most @max tokens. */
static int split(char *s, bool csv, char **tok, int max)
{
	int n = 0;

	if (csv) {
		for (char *p = s;; p++) {
			if (n == max)
				return -1;
			tok[n++] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p = '\0';
		}
		return n;
	}
	for (char *p = strtok(s, " \t"); p; p = strtok(NULL, " \t")) {
		if (n == max)
			return -1;
		tok[n++] = p;
	}
	return n;
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

static int parse_cpu_number(struct grid *g, const char *tok, int line, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(tok, &end, 10);
	if (errno || end == tok || *end || v < 0)
		return grid_error(g, -EINVAL, "line %d: '%s' is not a CPU number", line, tok);
	if (v >= VTC_CPUSET_MAX)
		return grid_error(g, -ERANGE, "line %d: CPU %ld beyond %d", line, v,
				  VTC_CPUSET_MAX - 1);
	*out = (int)v;
	return 0;
}

/* c2clat's text, and vtopocheck's CSV with CPU ids ("CPU,0,4,..." then
 * "<cpu>,<cells>"): a header of CPU numbers, each row led by its CPU. */
static int parse_headed(struct grid *g, char **lines, int nlines, bool csv)
{
	char **tok = malloc(sizeof(char *) * (VTC_CPUSET_MAX + 2));
	int n, rc = 0;

	if (!tok)
		return -ENOMEM;
	n = split(lines[0], csv, tok, VTC_CPUSET_MAX + 2);
	if (n < 0 || n - 1 > VTC_CPUSET_MAX)
		rc = grid_error(g, -ERANGE, "line 1: more than %d CPUs", VTC_CPUSET_MAX);
	else if (n - 1 < 2)
		rc = grid_error(g, -EINVAL, "a matrix needs at least 2 CPUs, found %d", n - 1);
	for (int i = 0; !rc && i < n - 1; i++)
		rc = parse_cpu_number(g, tok[i + 1], 1, &g->cpu[i]);
	if (!rc)
		rc = check_ids(g, n - 1);
	if (!rc && nlines - 1 != n - 1)
		rc = grid_error(g, -EINVAL, "header names %d CPUs but %d rows follow", n - 1,
				nlines - 1);
	if (!rc)
		rc = grid_alloc(g, n - 1);
	g->line0 = g->col0 = 2;
	for (int i = 0; !rc && i < g->n; i++) {
		int row_cpu, m = split(lines[i + 1], csv, tok, VTC_CPUSET_MAX + 2);
		if (m != g->n + 1) {
			rc = grid_error(g, -EINVAL, "line %d: %d cells, expected %d", i + 2,
					m - 1, g->n);
			break;
		}
		if (!(rc = parse_cpu_number(g, tok[0], i + 2, &row_cpu)) && row_cpu != g->cpu[i])
			rc = grid_error(g, -EINVAL, "line %d: row for CPU %d where the header "
					"says CPU %d", i + 2, row_cpu, g->cpu[i]);
		for (int j = 0; !rc && j < g->n; j++)
			rc = parse_cell(g, tok[j + 1], i + 2, j + 2, i * g->n + j);
	}
	free(tok);
	return rc;
}

static int parse_csv(struct grid *g, char **lines, int nlines)
{
	char **tok = malloc(sizeof(char *) * (VTC_CPUSET_MAX + 1));
	int rc;

	if (!tok)
		return -ENOMEM;
	/* grid_alloc names a count out of range before the ids are checked. */
	rc = nlines < 2 || nlines > VTC_CPUSET_MAX ? grid_alloc(g, nlines) : 0;
	for (int i = 0; !rc && i < nlines; i++)
		g->cpu[i] = i;
	if (!rc && !(rc = check_ids(g, nlines)))
		rc = grid_alloc(g, nlines);
	g->line0 = g->col0 = 1;
	for (int i = 0; !rc && i < g->n; i++) {
		int m = split(lines[i], true, tok, VTC_CPUSET_MAX + 1);
		if (m != g->n) {
			rc = grid_error(g, -EINVAL, "line %d: %d cells, expected %d (an n x n "
					"lower-triangle CSV)", i + 1, m, g->n);
			break;
		}
		for (int j = 0; !rc && j < g->n; j++)
			rc = parse_cell(g, tok[j], i + 1, j + 1, i * g->n + j);
	}
	free(tok);
	return rc;
}

/* Both directions of a pair become one statistic: the mean of the values
 * present; stalled only when no direction has a value. Two values more
 * than CELL_ASYMMETRY_MAX apart are refused, naming both cells: their mean
 * would be a latency neither direction read. */
static int fill_pair(struct grid *g, int i, int j, struct vtc_lat_stats *s)
{
	int ij = i * g->n + j, ji = j * g->n + i, k = 0;
	double sum = 0;

	if (g->state[ij] == CELL_VALUE && g->state[ji] == CELL_VALUE) {
		double lo = fmin(g->ns[ij], g->ns[ji]), hi = fmax(g->ns[ij], g->ns[ji]);
		if (hi > CELL_ASYMMETRY_MAX * lo)
			return grid_error(g, -EINVAL, "CPUs %d and %d read %g ns one way (line %d, "
					  "column %d) and %g ns the other (line %d, column %d), "
					  "%.0fx apart; mark the wrong cell S (stalled) or - (not "
					  "measured), or measure again", g->cpu[i], g->cpu[j],
					  g->ns[ij], g->line0 + i, g->col0 + j, g->ns[ji],
					  g->line0 + j, g->col0 + i, hi / lo);
	}

	if (g->state[ij] == CELL_VALUE)
		sum += g->ns[ij], k++;
	if (g->state[ji] == CELL_VALUE)
		sum += g->ns[ji], k++;
	if (k) {
		s->measured = true;
		s->samples = 1;
		s->round_trips = 1;
		s->min_ns = s->p10_ns = s->median_ns = s->p90_ns = sum / k;
	} else if (g->state[ij] == CELL_STALLED || g->state[ji] == CELL_STALLED) {
		s->measured = true;
		s->stalled = true;
		s->min_ns = s->p10_ns = s->median_ns = s->p90_ns = NAN;
	}
	return 0;
}

static int grid_to_results(struct grid *g, struct vtc_results *out)
{
	vtc_cpuset cpus;
	int rc;

	vtc_cpuset_clear(&cpus);
	for (int i = 0; i < g->n; i++) {
		if (vtc_cpuset_test(&cpus, g->cpu[i]))
			return grid_error(g, -EINVAL, "CPU %d appears twice", g->cpu[i]);
		vtc_cpuset_set(&cpus, g->cpu[i]);
	}
	if ((rc = vtc_results_init(out, &cpus, 1)))
		return rc;
	snprintf(out->backend, sizeof(out->backend), "import");
	out->params.contention = false;
	for (int i = 0; i < g->n; i++)
		for (int j = i + 1; j < g->n; j++)
			if ((rc = fill_pair(g, i, j,
					    &vtc_results_pair(out, g->cpu[i], g->cpu[j])->pass[0]))) {
				vtc_results_free(out);
				return rc;
			}
	return 0;
}

/* One line into @buf (at most @cap bytes, newline dropped): 1, 0 at end of
 * file, -E2BIG for a longer line (/dev/zero-like input has no newline). */
static int read_line(FILE *f, char *buf, size_t cap)
{
	size_t n;

	if (!fgets(buf, (int)cap, f))
		return 0;
	n = strlen(buf);
	if (n == cap - 1 && buf[n - 1] != '\n' && !feof(f))
		return -E2BIG;
	chomp(buf);
	return 1;
}

/* All non-empty lines; a matrix has at most VTC_CPUSET_MAX + 1 of them, of
 * at most VTC_MATRIX_LINE_MAX bytes: what is read is bounded before it is
 * held. */
static int read_lines(FILE *f, char ***out, int *n, struct grid *g)
{
	char *line = malloc(VTC_MATRIX_LINE_MAX + 1), **v = NULL;
	int count = 0, rc = 0, got;

	if (!line)
		return -ENOMEM;
	while ((got = read_line(f, line, VTC_MATRIX_LINE_MAX + 1)) != 0) {
		if (got < 0) {
			rc = grid_error(g, -E2BIG, "line %d: longer than %d bytes", count + 1,
					VTC_MATRIX_LINE_MAX);
			break;
		}
		if (vtc_stop_requested()) {
			rc = grid_error(g, -EINTR, "interrupted");
			break;
		}
		if (line[0] == '\0' && count == 0)
			continue;
		if (count == VTC_CPUSET_MAX + 1) {
			rc = grid_error(g, -ERANGE, "more than %d rows", VTC_CPUSET_MAX);
			break;
		}
		char **nv = realloc(v, sizeof(*v) * (size_t)(count + 1));
		if (!nv || !(nv[count] = strdup(line))) {
			v = nv ? nv : v;
			rc = -ENOMEM;
			break;
		}
		v = nv;
		count++;
	}
	free(line);
	while (count > 0 && v[count - 1][0] == '\0') /* trailing blank lines */
		free(v[--count]);
	*out = v;
	*n = count;
	return rc;
}

int vtc_matrix_import(FILE *f, struct vtc_results *out, char *err, size_t errlen)
{
	return vtc_matrix_import_within(f, NULL, out, err, errlen);
}

int vtc_matrix_import_within(FILE *f, const vtc_cpuset *allowed, struct vtc_results *out,
			     char *err, size_t errlen)
{
	struct grid *g = calloc(1, sizeof(*g));
	char **lines = NULL;
	int n = 0, rc;

	memset(out, 0, sizeof(*out));
	if (!g)
		return -ENOMEM;
	g->allowed = allowed;
	g->err = err;
	g->errlen = errlen;
	rc = read_lines(f, &lines, &n, g);
	if (!rc && n == 0)
		rc = grid_error(g, -EINVAL, "empty file");
	if (!rc) {
		const char *first = lines[0] + strspn(lines[0], " \t");
		if (strncmp(first, "CPU", 3) == 0)
			rc = parse_headed(g, lines, n, strchr(first, ',') != NULL);
		else
			rc = parse_csv(g, lines, n);
	}
	if (!rc)
		rc = grid_to_results(g, out);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(g->state);
	free(g->ns);
	free(g);
	return rc;
}
