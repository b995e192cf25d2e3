/* report_svg.c - SVG latency heatmap.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Layout, top to bottom: verdict badge and title, subtitle, column labels,
 * the matrix with row labels on its left, finding tracks and the legend on
 * its right, the observation window's time strip (when the run watched),
 * the findings list below. Sizes are estimated from character
 * counts (0.6 em per glyph is generous for the sans-serif fonts renderers
 * pick), since an SVG writer cannot measure text. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/report/run.h"
#include "src/report/output.h"
#include "src/report/matrix.h"
#include "src/report/report_escape.h"
#include "src/report/report_svg.h"
#include "src/analysis/stats.h"

enum cell { CELL_NONE = 0, CELL_OK = 1, CELL_STALLED = 2, CELL_SELF = 3 };

#define TITLE_FONT 15.0
#define TITLE_LINES 4
#define SMALL_FONT 11.0
#define LEGEND_W 280.0
#define TRACK_W 10.0
#define TRACK_GAP 3.0
#define GLYPH 0.6 /* glyph width in em, an overestimate for sans-serif */
#define STRIP_PAIRS 6     /* floating pairs drawn in the time strip */
#define STRIP_BAND 12.0   /* band height, px */
#define STRIP_GAP 4.0
#define STRIP_PLOT_H 40.0 /* the nearest-reading plot above the bands, px */
#define STRIP_PLOT_LO 0.25 /* its y range: reading / the look's, log scale */
#define STRIP_PLOT_HI 1.25

struct svg {
	FILE *f;
	const struct vtc_svg_input *in;
	const struct vtc_results *r;
	int n, bin, m;          /* probed CPUs, CPUs per displayed row, rows */
	double cs;              /* cell size, px */
	double label_font, label_w; /* CPU number labels: size, longest width */
	int label_step;         /* label every label_step-th row/column */
	double mx, my;          /* matrix origin */
	double tx, lx;          /* finding tracks and legend x */
	double list_y;          /* findings list y */
	double strip_y;         /* time strip y (strip_pairs >= 0: drawn) */
	int strip_pairs;        /* bands in the strip; -1: no window, no strip */
	double strip_x0;        /* the bands' left edge: room for "v1023-v1022" */
	double width, height;
	int ntracks;
	double lo, hi;          /* colour scale, ns */
	char title[TITLE_LINES][128];
	int title_lines;
	double *scratch;        /* bin * bin values of one block */
};

/* ---- colour ------------------------------------------------------------- */

/* Viridis at 9 evenly spaced points: perceptually uniform, readable in
 * greyscale and by colour-blind readers, and free of red and grey, which
 * are kept for the stalled and unmeasured marks. */
static const uint8_t viridis[9][3] = {
	{0x44, 0x01, 0x54}, {0x47, 0x2c, 0x7a}, {0x3b, 0x51, 0x8b},
	{0x2c, 0x71, 0x8e}, {0x21, 0x90, 0x8d}, {0x27, 0xad, 0x81},
	{0x5c, 0xc8, 0x63}, {0xaa, 0xdc, 0x32}, {0xfd, 0xe7, 0x25},
};

static void colour_at(double t, char out[8])
{
	double x = (t > 0 ? (t < 1 ? t : 1) : 0) * 8; /* NaN -> 0 */
	int i = x >= 8 ? 7 : (int)x;
	double u = x - i;
	int c[3];

	for (int k = 0; k < 3; k++)
		c[k] = (int)lround(viridis[i][k] + u * (viridis[i + 1][k] - viridis[i][k]));
	snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* Position of @ns on the log scale, 0 (fastest) .. 1 (slowest). */
static double scale_t(const struct svg *s, double ns)
{
	return (log(ns) - log(s->lo)) / (log(s->hi) - log(s->lo));
}

/* Colour of a latency; quantised to 64 steps in block mode so neighbouring
 * cells merge into runs (the file stays small), exact otherwise. */
static void cell_colour(const struct svg *s, double ns, char out[8])
{
	double t = scale_t(s, ns);

	if (s->m > 64)
		t = round(t * 63) / 63;
	colour_at(t, out);
}

static const char *severity_colour(enum vtc_severity sev)
{
	return sev == VTC_SEV_CRITICAL ? "#d62728" : sev == VTC_SEV_WARNING ? "#ff9800" : "#1f77b4";
}

static const char *status_colour(enum vtc_exit st)
{
	static const char *const c[] = {"#2e7d32", "#ff9800", "#d62728", "#757575"};
	return c[st];
}

/* ---- cell values -------------------------------------------------------- */

/* Probed-CPU ranks shown in displayed row @I: [*first, *end). */
static void block_range(const struct svg *s, int I, int *first, int *end)
{
	*first = I * s->bin;
	*end = *first + s->bin < s->n ? *first + s->bin : s->n;
}

/* State of displayed cell (I, J), *ns its latency when CELL_OK. A block is
 * stalled when any pair in it stalled: stacking is the finding that must
 * not be averaged away. */
static enum cell block_cell(const struct svg *s, int I, int J, double *ns)
{
	int i0, i1, j0, j1, k = 0;
	bool stalled = false;
	double v;

	if (s->bin == 1) {
		if (I == J)
			return CELL_SELF;
		return (enum cell)vtc_matrix_cell(s->r, s->r->cpu[I], s->r->cpu[J], ns);
	}
	block_range(s, I, &i0, &i1);
	block_range(s, J, &j0, &j1);
	for (int i = i0; i < i1; i++)
		for (int j = j0; j < j1; j++) {
			if (i == j)
				continue;
			switch (vtc_matrix_cell(s->r, s->r->cpu[i], s->r->cpu[j], &v)) {
			case CELL_OK: s->scratch[k++] = v; break;
			case CELL_STALLED: stalled = true; break;
			default: break;
			}
		}
	if (stalled)
		return CELL_STALLED;
	if (k == 0)
		return I == J && i1 - i0 == 1 ? CELL_SELF : CELL_NONE;
	*ns = vtc_stats_median_inplace(s->scratch, (size_t)k);
	return CELL_OK;
}

/* Colour scale over every measured pair; a flat or empty run still gets a
 * range so the legend has something to show. */
static void find_scale(struct svg *s)
{
	double v;

	s->lo = INFINITY;
	s->hi = 0;
	for (int i = 0; i < s->r->n_pairs; i++)
		if (vtc_matrix_cell(s->r, s->r->pairs[i].a, s->r->pairs[i].b, &v) == CELL_OK &&
		    v > 0) {
			s->lo = v < s->lo ? v : s->lo;
			s->hi = v > s->hi ? v : s->hi;
		}
	if (s->hi == 0)
		s->lo = 10, s->hi = 100;
	if (s->hi / s->lo < 1.5) {
		double mid = sqrt(s->lo * s->hi);

		s->lo = mid / 1.25;
		s->hi = mid * 1.25;
	}
}

/* ---- layout ------------------------------------------------------------- */

/* Where the first line of @p ends: all of it when it fits in @maxc bytes,
 * else at a space in the line's second half, else (a word longer than a
 * line) at a UTF-8 boundary. */
static size_t line_cut(const char *p, size_t maxc)
{
	size_t cut = strlen(p);

	if (cut <= maxc)
		return cut;
	for (cut = maxc; cut > maxc / 2 && p[cut] != ' ';)
		cut--;
	if (p[cut] != ' ')
		for (cut = maxc; cut > 0 && ((unsigned char)p[cut] & 0xc0) == 0x80;)
			cut--;
	return cut;
}

/* Split the verdict into lines of at most @maxc bytes (line_cut); an
 * ellipsis marks text beyond TITLE_LINES lines. */
static void wrap_title(struct svg *s, const char *text, size_t maxc)
{
	const char *p = text ? text : "";

	if (maxc >= sizeof(s->title[0]) - 4)
		maxc = sizeof(s->title[0]) - 4;
	for (s->title_lines = 0; *p && s->title_lines < TITLE_LINES; s->title_lines++) {
		size_t len = strlen(p), cut = line_cut(p, maxc);

		snprintf(s->title[s->title_lines], sizeof(s->title[0]), "%.*s%s", (int)cut, p,
			 s->title_lines == TITLE_LINES - 1 && cut < len ? "..." : "");
		p += cut;
		while (*p == ' ')
			p++;
	}
	if (s->title_lines == 0)
		snprintf(s->title[s->title_lines++], sizeof(s->title[0]), "vtopocheck");
}

static int digits(int v)
{
	int d = 1;

	while (v >= 10)
		v /= 10, d++;
	return d;
}

static int list_lines(const struct svg *s);

static void layout(struct svg *s)
{
	int lastcpu = s->r->cpu[s->n - 1];
	double lw, top, mw, list_h;
	int nf = s->in->fs ? s->in->fs->count : 0;

	s->bin = (s->n + VTC_SVG_MAX_ROWS - 1) / VTC_SVG_MAX_ROWS;
	s->m = (s->n + s->bin - 1) / s->bin;
	s->cs = floor(768.0 / s->m);
	s->cs = s->cs > 28 ? 28 : s->cs < 4 ? 4 : s->cs;
	s->label_font = s->cs * 0.8 < 11 ? s->cs * 0.8 : 11;
	s->label_font = s->label_font < 8 ? 8 : s->label_font;
	/* Rows closer than a line of text get labels every few rows only. */
	s->label_step = 1;
	while (s->label_step * s->cs < s->label_font + 1)
		s->label_step++;
	s->ntracks = nf < VTC_SVG_MAX_TRACKS ? nf : VTC_SVG_MAX_TRACKS;
	lw = s->label_w = (digits(lastcpu) + 1) * GLYPH * s->label_font;
	mw = s->m * s->cs;
	s->mx = ceil(30 + lw); /* whole pixels: crisp cells, shorter numbers */
	s->tx = s->mx + mw + 12;
	s->lx = s->tx + s->ntracks * (TRACK_W + TRACK_GAP) + (s->ntracks ? 16 : 0);
	s->width = s->lx + LEGEND_W;
	s->width = s->width < 720 ? 720 : s->width;
	wrap_title(s, s->in->verdict, (size_t)((s->width - 40) / (GLYPH * TITLE_FONT)));
	top = 14 + s->title_lines * (TITLE_FONT + 4) + SMALL_FONT + 10;
	/* Column labels are written vertically: their height is their length. */
	s->my = ceil(top + lw + 18);
	list_h = nf ? list_lines(s) * (SMALL_FONT + 5) : 0;
	s->list_y = s->my + (mw > 330 ? mw : 330) + 24;
	s->strip_pairs = -1;
	if (s->r->n_watch > 0 && s->r->watch_to_s > s->r->watch_from_s) {
		int nfl = s->in->inf ? s->in->inf->series.n_float : 0;
		s->strip_pairs = nfl < STRIP_PAIRS ? nfl : STRIP_PAIRS;
		s->strip_y = s->list_y;
		s->strip_x0 = fmax(s->mx, ceil(20 + 12 * GLYPH * SMALL_FONT));
		/* caption, bands, time axis, a line for the pairs left out */
		s->list_y += 2 * (SMALL_FONT + 5) + STRIP_PLOT_H + 8 +
			     s->strip_pairs * (STRIP_BAND + STRIP_GAP) +
			     (SMALL_FONT + 5) * (1 + (nfl > s->strip_pairs)) + 10;
	}
	s->height = s->list_y + list_h + 10;
}

/* ---- header, title, labels ---------------------------------------------- */

static void write_defs(const struct svg *s)
{
	FILE *f = s->f;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		   "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		   "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
		s->width, s->height, s->width, s->height);
	fputs("<defs>\n<pattern id=\"stall\" width=\"6\" height=\"6\" "
	      "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	      "<rect width=\"6\" height=\"6\" fill=\"#fde0dc\"/>"
	      "<line x1=\"1.5\" y1=\"0\" x2=\"1.5\" y2=\"6\" stroke=\"#c62828\" "
	      "stroke-width=\"3\"/></pattern>\n"
	      "<linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n", f);
	for (int i = 0; i < 9; i++)
		fprintf(f, "<stop offset=\"%.4g\" stop-color=\"#%02x%02x%02x\"/>\n", i / 8.0,
			viridis[i][0], viridis[i][1], viridis[i][2]);
	fputs("</linearGradient>\n</defs>\n", f);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
}

static void write_title(const struct svg *s)
{
	const struct vtc_results *r = s->r;
	FILE *f = s->f;
	double y = 14 + TITLE_FONT;

	fprintf(f, "<rect x=\"14\" y=\"16\" width=\"10\" height=\"%.0f\" rx=\"2\" fill=\"%s\"/>\n",
		TITLE_FONT - 2, status_colour(s->in->status));
	for (int i = 0; i < s->title_lines; i++, y += TITLE_FONT + 4) {
		fprintf(f, "<text x=\"32\" y=\"%.1f\" font-size=\"%.0f\" font-weight=\"bold\">", y,
			TITLE_FONT);
		vtc_xml_escape(f, s->title[i]);
		fputs("</text>\n", f);
	}
	fprintf(f, "<text x=\"32\" y=\"%.1f\" font-size=\"%.0f\" fill=\"#444444\">"
		   "Median one-way latency between vCPUs over %d pass%s; %d vCPUs probed (",
		y + 2, SMALL_FONT, r->n_passes, r->n_passes == 1 ? "" : "es", r->n);
	if (strcmp(r->backend, "import") == 0) {
		fputs("imported matrix: no timer or passes recorded", f);
	} else {
		vtc_xml_escape(f, r->backend[0] ? r->backend : "?");
		fputs(" backend, timer ", f);
		vtc_xml_escape(f, r->timer.name[0] ? r->timer.name : "?");
	}
	fputc(')', f);
	if (s->bin > 1)
		fprintf(f, "; each cell a block of %d vCPUs (median; stalled if any pair stalled)",
			s->bin);
	fputs("</text>\n", f);
}

/* CPU numbers: rows on the left, columns vertical on top. A block is
 * labelled with its first CPU. */
static void write_labels(const struct svg *s)
{
	FILE *f = s->f;
	double fs = s->label_font, mw = s->m * s->cs;

	fprintf(f, "<g font-size=\"%.1f\" fill=\"#222222\">\n", fs);
	for (int I = 0; I < s->m; I += s->label_step) {
		int cpu = s->r->cpu[I * s->bin];
		double c = (I + 0.5) * s->cs + fs * 0.35;

		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>", s->mx - 4,
			s->my + c, cpu);
		fprintf(f, "<text transform=\"translate(%.1f,%.1f) rotate(-90)\">%d</text>\n",
			s->mx + c, s->my - 4, cpu);
	}
	fprintf(f, "</g>\n<g font-size=\"%.0f\" fill=\"#444444\" text-anchor=\"middle\">"
		   "<text transform=\"translate(16,%.1f) rotate(-90)\">vCPU</text>"
		   "<text x=\"%.1f\" y=\"%.1f\">vCPU</text></g>\n",
		SMALL_FONT, s->my + mw / 2, s->mx + mw / 2, s->my - s->label_w - 8);
}

/* ---- the matrix --------------------------------------------------------- */

static void fill_of(const struct svg *s, enum cell c, double ns, char out[16])
{
	switch (c) {
	case CELL_OK: cell_colour(s, ns, out); break;
	case CELL_STALLED: snprintf(out, 16, "url(#stall)"); break;
	case CELL_SELF: snprintf(out, 16, "#ffffff"); break;
	default: snprintf(out, 16, "#d9d9d9"); break;
	}
}

static void tooltip(const struct svg *s, int I, int J, enum cell c, double ns)
{
	int a = s->r->cpu[I], b = s->r->cpu[J];

	if (c == CELL_OK)
		fprintf(s->f, "<title>vCPU %d - %d: %.1f ns</title>", a, b, ns);
	else if (c == CELL_STALLED)
		fprintf(s->f, "<title>vCPU %d - %d: stalled (scheduler time slices)</title>", a, b);
	else if (c == CELL_NONE)
		fprintf(s->f, "<title>vCPU %d - %d: not measured</title>", a, b);
}

static void rect(const struct svg *s, int I, int J0, int J1, const char *fill)
{
	fprintf(s->f, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"%s\"",
		s->mx + J0 * s->cs, s->my + I * s->cs, (J1 - J0) * s->cs, s->cs, fill);
}

static void row_with_tips(const struct svg *s, int I)
{
	char fill[16];

	for (int J = 0; J < s->m; J++) {
		double ns = 0;
		enum cell c = block_cell(s, I, J, &ns);

		fill_of(s, c, ns, fill);
		rect(s, I, J, J + 1, fill);
		fputc('>', s->f);
		tooltip(s, I, J, c, ns);
		fputs("</rect>", s->f);
	}
}

/* Runs of equal colour along the row share one rect. */
static void row_merged(const struct svg *s, int I)
{
	char fill[16], run[16] = "";
	int start = 0;

	for (int J = 0; J < s->m; J++) {
		double ns = 0;
		enum cell c = block_cell(s, I, J, &ns);

		fill_of(s, c, ns, fill);
		if (J > 0 && strcmp(fill, run) != 0) {
			rect(s, I, start, J, run);
			fputs("/>", s->f);
			start = J;
		}
		memcpy(run, fill, sizeof(run));
	}
	rect(s, I, start, s->m, run);
	fputs("/>", s->f);
}

/* Every cell with a hover tooltip up to 64 rows; beyond, merged runs keep
 * the file small. */
static void write_cells(const struct svg *s)
{
	fputs("<g shape-rendering=\"crispEdges\">\n", s->f);
	for (int I = 0; I < s->m; I++) {
		if (s->m <= 64)
			row_with_tips(s, I);
		else
			row_merged(s, I);
		fputc('\n', s->f);
	}
	fputs("</g>\n", s->f);
}

/* ---- advertised groups -------------------------------------------------- */

/* Group of each displayed row at @lvl (of the block's first CPU), -1 when
 * not in a group of two or more. */
static void row_groups(const struct svg *s, enum vtc_level lvl, int *gid)
{
	const struct vtc_groups *g = &s->in->adv->groups[lvl];

	for (int I = 0; I < s->m; I++) {
		int k = vtc_groups_find(g, s->r->cpu[I * s->bin]);

		gid[I] = k >= 0 && vtc_cpuset_count(&g->set[k]) > 1 ? k : -1;
	}
}

static bool inside(const struct svg *s, const int *gid, int I, int J)
{
	return I >= 0 && J >= 0 && I < s->m && J < s->m && gid[I] >= 0 && gid[I] == gid[J];
}

/* Path along the border of the cells (I, J) whose rows and columns are in
 * one group: a square per group when its CPUs are consecutive, and still
 * right (several rectangles) when they are not, e.g. siblings 0 and 16. */
static void outline_path(const struct svg *s, const int *gid)
{
	double cs = s->cs;

	for (int e = 0; e <= s->m; e++) {
		for (int k = 0, start = -1; k <= s->m; k++) {
			/* horizontal edge between rows e-1 and e at column k */
			bool h = k < s->m && inside(s, gid, e - 1, k) != inside(s, gid, e, k);

			if (h && start < 0)
				start = k;
			if (!h && start >= 0) {
				fprintf(s->f, "M%.1f %.1fh%.1f", s->mx + start * cs, s->my + e * cs,
					(k - start) * cs);
				start = -1;
			}
		}
		for (int k = 0, start = -1; k <= s->m; k++) {
			/* vertical edge between columns e-1 and e at row k */
			bool v = k < s->m && inside(s, gid, k, e - 1) != inside(s, gid, k, e);

			if (v && start < 0)
				start = k;
			if (!v && start >= 0) {
				fprintf(s->f, "M%.1f %.1fv%.1f", s->mx + e * cs, s->my + start * cs,
					(k - start) * cs);
				start = -1;
			}
		}
	}
}

static int write_outline(const struct svg *s, enum vtc_level lvl, const char *const *strokes,
			 int nstrokes)
{
	int *gid;

	if (!s->in->adv || !s->in->adv->level_known[lvl])
		return 0;
	if (!(gid = calloc((size_t)s->m, sizeof(int))))
		return -ENOMEM;
	row_groups(s, lvl, gid);
	for (int i = 0; i < nstrokes; i++) {
		fprintf(s->f, "<path fill=\"none\" %s d=\"", strokes[i]);
		outline_path(s, gid);
		fputs("\"/>\n", s->f);
	}
	free(gid);
	return 0;
}

/* Packages dashed black; SMT groups white on black, visible on both ends
 * of the colour scale. SMT pairs are too small to see in block mode. */
static int write_outlines(const struct svg *s)
{
	static const char *const pkg[] = {
		"stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6 3\""};
	static const char *const smt[] = {"stroke=\"#000000\" stroke-width=\"3\"",
					  "stroke=\"#ffffff\" stroke-width=\"1.2\""};
	int rc = write_outline(s, VTC_LEVEL_PACKAGE, pkg, 1);

	if (!rc && s->bin == 1)
		rc = write_outline(s, VTC_LEVEL_SMT, smt, 2);
	return rc;
}

/* ---- findings ----------------------------------------------------------- */

static bool row_involved(const struct svg *s, const struct vtc_finding *fi, int I)
{
	int i0, i1;

	block_range(s, I, &i0, &i1);
	for (int i = i0; i < i1; i++)
		if (vtc_cpuset_test(&fi->cpus, s->r->cpu[i]))
			return true;
	return false;
}

/* One narrow column per finding, beside the rows of the vCPUs it names. */
static void write_tracks(const struct svg *s)
{
	FILE *f = s->f;

	fputs("<g shape-rendering=\"crispEdges\">\n", f);
	for (int k = 0; k < s->ntracks; k++) {
		const struct vtc_finding *fi = &s->in->fs->item[k];
		double x = s->tx + k * (TRACK_W + TRACK_GAP);
		int start = -1;

		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"8\" text-anchor=\"middle\">%d</text>"
			   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" fill=\"#eeeeee\"/>",
			x + TRACK_W / 2, s->my - 3, k + 1, x, s->my, TRACK_W, s->m * s->cs);
		for (int I = 0; I <= s->m; I++) {
			bool in = I < s->m && row_involved(s, fi, I);

			if (in && start < 0)
				start = I;
			if (!in && start >= 0) {
				fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.1f\" "
					   "fill=\"%s\"/>", x, s->my + start * s->cs, TRACK_W,
					(I - start) * s->cs, severity_colour(fi->severity));
				start = -1;
			}
		}
		fputc('\n', f);
	}
	fputs("</g>\n", f);
}

static void upper(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 'a' + 'A' : src[i]);
	dst[i] = 0;
}

/* The text of finding @k: "N. SEVERITY kind (vCPUs list): evidence", then
 * its cost and its fix, each a paragraph. */
static void finding_paragraphs(const struct vtc_finding *fi, int k, char para[3][2048])
{
	char cpus[128], sev[16];

	vtc_cpulist_format(&fi->cpus, cpus, sizeof(cpus));
	upper(sev, vtc_severity_name(fi->severity), sizeof(sev));
	snprintf(para[0], sizeof(para[0]), "%d. %s %s (vCPUs %s): %s", k + 1, sev,
		 vtc_fkind_name(fi->kind), cpus, fi->evidence);
	snprintf(para[1], sizeof(para[1]), "%s%s", fi->cost[0] ? "cost: " : "", fi->cost);
	snprintf(para[2], sizeof(para[2]), "%s%s", fi->fix[0] ? "fix: " : "", fi->fix);
}

/* Lines of at most @maxc bytes that @text wraps into at spaces (a longer
 * word is cut at a UTF-8 boundary); each is written at @y onwards when @f
 * is not NULL. Returns the number of lines. */
static int wrap_text(FILE *f, const char *text, size_t maxc, double x, double y)
{
	int n = 0;

	while (*text) {
		size_t cut = line_cut(text, maxc);

		if (f) {
			char line[2048];
			snprintf(line, sizeof(line), "%.*s", (int)cut, text);
			fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">", x,
				y + n * (SMALL_FONT + 3), SMALL_FONT);
			vtc_xml_escape(f, line);
			fputs("</text>\n", f);
		}
		n++;
		text += cut;
		while (*text == ' ')
			text++;
	}
	return n;
}

static size_t list_chars(const struct svg *s)
{
	return (size_t)((s->width - 60) / (GLYPH * SMALL_FONT));
}

/* Lines the findings list takes, heading and overflow line included. */
static int list_lines(const struct svg *s)
{
	const struct vtc_findings *fs = s->in->fs;
	char para[3][2048];
	int n = 2 + (fs && fs->count > s->ntracks);

	for (int k = 0; fs && k < s->ntracks; k++) {
		finding_paragraphs(&fs->item[k], k, para);
		for (int i = 0; i < 3; i++)
			n += wrap_text(NULL, para[i], list_chars(s), 0, 0);
	}
	return n;
}

/* Each finding in full: evidence, cost and fix, wrapped to the width. */
static void write_list(const struct svg *s)
{
	const struct vtc_findings *fs = s->in->fs;
	char para[3][2048];
	double y = s->list_y;

	if (!fs || fs->count == 0)
		return;
	fprintf(s->f, "<text x=\"14\" y=\"%.1f\" font-size=\"%.0f\" font-weight=\"bold\">"
		      "Findings</text>\n", y, SMALL_FONT + 1);
	for (int k = 0; k < s->ntracks; k++) {
		const struct vtc_finding *fi = &fs->item[k];

		y += SMALL_FONT + 5;
		finding_paragraphs(fi, k, para);
		fprintf(s->f, "<rect x=\"14\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"%s\"/>\n",
			y - 8.5, severity_colour(fi->severity));
		for (int i = 0; i < 3; i++) {
			int n = wrap_text(s->f, para[i], list_chars(s), i ? 40 : 28, y);
			y += n * (SMALL_FONT + 3);
		}
		y -= SMALL_FONT + 3;
	}
	if (fs->count > s->ntracks)
		fprintf(s->f, "<text x=\"28\" y=\"%.1f\" font-size=\"%.0f\">... and %d more "
			      "(see the text or JSON report)</text>\n",
			y + SMALL_FONT + 5, SMALL_FONT, fs->count - s->ntracks);
}

/* ---- observation window: time strip ------------------------------------ */

/* x of time @t_s (since the run started) on the strip. */
static double strip_x(const struct svg *s, double t_s)
{
	const struct vtc_results *r = s->r;
	double w = s->width - 30 - s->strip_x0;
	double f = (t_s - r->watch_from_s) / (r->watch_to_s - r->watch_from_s);

	return s->strip_x0 + w * (f > 0 ? (f < 1 ? f : 1) : 0);
}

/* One pair's band: its usual colour over the window, and runs of samples
 * at or below its near mode's upper edge in the near colour, each run
 * reaching to the pair's next sample (when it may have moved back). */
static void strip_band(const struct svg *s, const struct vtc_series_float *fl, double y)
{
	const struct vtc_results *r = s->r;
	const struct vtc_pair_result *pr = vtc_results_pair(r, fl->a, fl->b);
	int pair = pr ? (int)(pr - r->pairs) : -1;
	double run0 = -1, x0 = strip_x(s, r->watch_from_s), x1 = strip_x(s, r->watch_to_s);
	char usual[8], near[8];

	cell_colour(s, fl->usual_ns, usual);
	cell_colour(s, fl->near_ns, near);
	fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">v%d-v%d</text>"
		      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\">"
		      "<title>v%d-v%d usually %.0f ns, %.0f ns in %d of %d samples</title></rect>\n",
		s->strip_x0 - 6, y + STRIP_BAND - 2, fl->a, fl->b, x0, y, x1 - x0, STRIP_BAND, usual,
		fl->a, fl->b, fl->usual_ns, fl->near_ns, fl->near, fl->samples);
	for (int i = 0; i < r->n_watch && pair >= 0; i++) {
		const struct vtc_watch_sample *w = &r->watch[i];
		bool is_near = w->ns > 0 && w->ns <= fl->near_max_ns * (1 + 1e-6);
		if (w->pair != pair || !(w->ns > 0))
			continue;
		if (run0 >= 0 && !is_near) {
			fprintf(s->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
				      "fill=\"%s\"/>\n", strip_x(s, run0), y,
				fmax(strip_x(s, w->t_s) - strip_x(s, run0), 1), STRIP_BAND, near);
			run0 = -1;
		} else if (run0 < 0 && is_near) {
			run0 = w->t_s;
		}
	}
	if (run0 >= 0)
		fprintf(s->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
			      "fill=\"%s\"/>\n", strip_x(s, run0), y,
			fmax(x1 - strip_x(s, run0), 1), STRIP_BAND, near);
}

static double plot_y(double y, double ratio)
{
	double f = log(ratio / STRIP_PLOT_LO) / log(STRIP_PLOT_HI / STRIP_PLOT_LO);

	return y + STRIP_PLOT_H * (1 - (f > 0 ? (f < 1 ? f : 1) : 0));
}

/* The nearest reading of each moment, as a share of its pair's level in
 * the full look (3 px per point): a move shows as a dip below the dashed
 * line a tier ratio down; triangles mark where floating episodes began. */
static void strip_plot(const struct svg *s, double y)
{
	const struct vtc_results *r = s->r;
	const struct vtc_series *ser = &s->in->inf->series;
	double x0 = strip_x(s, r->watch_from_s), x1 = strip_x(s, r->watch_to_s);
	int bins = (int)((x1 - x0) / 3) + 1;
	double *least = calloc((size_t)bins, sizeof(*least));

	if (!least)
		return;
	for (int i = 0; i < r->n_watch; i++) {
		const struct vtc_watch_sample *w = &r->watch[i];
		double ref = w->ns > 0 ? vtc_pair_fastest_ns(&r->pairs[w->pair], r->n_passes) : 0;
		int b = (int)((strip_x(s, w->t_s) - x0) / 3);
		if (ref > 0 && b >= 0 && b < bins && (least[b] == 0 || w->ns / ref < least[b]))
			least[b] = w->ns / ref;
	}
	fprintf(s->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
		      "fill=\"#f4f4f4\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">nearest"
		      "</text>\n<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		      "stroke=\"#999999\" stroke-dasharray=\"3,3\"/>\n<polyline fill=\"none\" "
		      "stroke=\"#1f4e9c\" points=\"", x0, y, x1 - x0, STRIP_PLOT_H, s->strip_x0 - 6,
		y + STRIP_PLOT_H / 2 + 4, x0, x1, plot_y(y, 1 / 1.25), plot_y(y, 1 / 1.25));
	for (int b = 0; b < bins; b++)
		if (least[b] > 0)
			fprintf(s->f, "%.1f,%.1f ", x0 + 3 * b + 1.5, plot_y(y, least[b]));
	fputs("\"/>\n", s->f);
	for (int i = 0; i < ser->n_float; i++)
		for (int e = 0; e < ser->f[i].episodes && e < VTC_SERIES_SHOWN_EPISODES; e++) {
			double x = strip_x(s, ser->f[i].episode_s[e]);
			fprintf(s->f, "<path d=\"M%.1f %.1f l-4 -6 h8 z\" fill=\"#c0392b\">"
				      "<title>v%d-v%d nearer from %.2f s</title></path>\n", x, y,
				ser->f[i].a, ser->f[i].b, ser->f[i].episode_s[e]);
		}
	free(least);
}

/* The window under the heatmap: a caption, a band per floating pair (most
 * near samples first), the time axis. Nothing when the run did not watch. */
static void write_strip(const struct svg *s)
{
	const struct vtc_results *r = s->r;
	const struct vtc_series *ser = s->in->inf ? &s->in->inf->series : NULL;
	int nfl = ser ? ser->n_float : 0;
	double y = s->strip_y, len = r->watch_to_s - r->watch_from_s;

	if (s->strip_pairs < 0)
		return;
	fprintf(s->f, "<g font-size=\"%.0f\" fill=\"#222222\">\n"
		      "<text x=\"14\" y=\"%.1f\" font-size=\"%.0f\" font-weight=\"bold\">"
		      "Observation window: %.1f s, %d samples%s</text>\n",
		SMALL_FONT, y, SMALL_FONT + 1, len, r->n_watch,
		r->watch_end_reason[0] ? " (ended early)" : "");
	fprintf(s->f, "<text x=\"14\" y=\"%.1f\">%s</text>\n", y + SMALL_FONT + 5,
		nfl ? "Pairs seen nearer than usual: their usual latency's colour, "
		      "spells in the near one's (scale at right)"
		    : "No pair read nearer than usual: the placement held still");
	y += 2 * (SMALL_FONT + 5) - SMALL_FONT + 4;
	if (ser)
		strip_plot(s, y);
	y += STRIP_PLOT_H + 8;
	for (int i = 0; i < s->strip_pairs; i++, y += STRIP_BAND + STRIP_GAP)
		strip_band(s, &ser->f[i], y);
	fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\">%.1f s</text>"
		      "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.1f s after start</text>\n",
		s->strip_x0, y + SMALL_FONT, r->watch_from_s, strip_x(s, r->watch_to_s),
		y + SMALL_FONT, r->watch_to_s);
	if (nfl > s->strip_pairs)
		fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\">... and %d more pairs (see the text or "
			      "JSON report)</text>\n", s->strip_x0, y + 2 * SMALL_FONT + 5,
			nfl - s->strip_pairs);
	fputs("</g>\n", s->f);
}

/* ---- legend ------------------------------------------------------------- */

#define BAR_H 200.0
#define BAR_W 16.0

static double bar_y(const struct svg *s, double ns)
{
	double t = scale_t(s, ns);

	t = t > 0 ? (t < 1 ? t : 1) : 0;
	return s->my + 18 + BAR_H * (1 - t);
}

static void fmt_ns(double ns, char *buf, size_t len)
{
	snprintf(buf, len, ns < 10 ? "%.1f ns" : "%.0f ns", ns);
}

/* Ticks at 1-2-5 steps inside the range (only powers of ten when those are
 * too many), and the range ends when fewer than two fall inside, unless a
 * tick is already written there. */
static void write_ticks(const struct svg *s)
{
	static const double steps[] = {1, 2, 5};
	int e0 = (int)floor(log10(s->lo)), e1 = (int)ceil(log10(s->hi)), count = 0;
	int nsteps = e1 - e0 > 3 ? 1 : 3;
	double x = s->lx + BAR_W, tick_y = -100;
	char buf[32];

	for (int e = e0; e <= e1; e++)
		for (int k = 0; k < nsteps; k++) {
			double v = steps[k] * pow(10, e);

			if (v < s->lo || v > s->hi)
				continue;
			fmt_ns(v, buf, sizeof(buf));
			tick_y = bar_y(s, v);
			fprintf(s->f, "<path d=\"M%.1f %.1fh4\" stroke=\"#222222\"/>"
				      "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
				x, tick_y, x + 6, tick_y + 3.5, buf);
			count++;
		}
	if (count >= 2)
		return;
	for (int k = 0; k < 2; k++) {
		double v = k ? s->hi : s->lo, y = bar_y(s, v) + (k ? 8 : 0);

		if (fabs(y - tick_y - 3.5) < 12)
			continue;
		fmt_ns(v, buf, sizeof(buf));
		fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 6, y, buf);
	}
}

/* Inferred tiers bracketed beside the bar: where the judge drew its lines.
 * Named by letter, a the fastest, as in the text report and the metrics. */
static void write_tiers(const struct svg *s)
{
	const struct vtc_inferred *inf = s->in->inf;
	double x = s->lx + BAR_W + 72;
	char buf[32];

	if (!inf)
		return;
	for (int t = 0; t < inf->n_tiers && t < VTC_INFER_MAX_TIERS; t++) {
		const struct vtc_tier *ti = &inf->tier[t];
		double y0 = bar_y(s, ti->hi_ns), y1 = bar_y(s, ti->lo_ns);

		if (!(ti->median_ns > 0))
			continue;
		if (y1 - y0 < 2)
			y0 -= 1, y1 += 1;
		fmt_ns(ti->median_ns, buf, sizeof(buf));
		fprintf(s->f, "<path d=\"M%.1f %.1fh-4V%.1fh4\" fill=\"none\" stroke=\"#444444\"/>"
			      "<text x=\"%.1f\" y=\"%.1f\">tier %c: %s</text>\n",
			x, y0, y1, x + 3, (y0 + y1) / 2 + 3.5, vtc_tier_letter(t), buf);
	}
}

static void swatch_text(FILE *f, double x, double y, const char *text)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 24, y + 9, text);
}

/* The marks that are not colours of the scale, each explained. */
static void write_keys(const struct svg *s)
{
	FILE *f = s->f;
	double x = s->lx, y = s->my + 18 + BAR_H + 18;

	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"12\" fill=\"url(#stall)\"/>",
		x, y);
	swatch_text(f, x, y, "stalled: vCPUs time-share a CPU");
	y += 18;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"12\" fill=\"#d9d9d9\"/>", x, y);
	swatch_text(f, x, y, "not measured");
	y += 18;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"12\" fill=\"#ffffff\" "
		   "stroke=\"#999999\"/>", x, y);
	swatch_text(f, x, y, "same vCPU");
	y += 18;
	fprintf(f, "<path d=\"M%.1f %.1fh16\" stroke=\"#000000\" stroke-width=\"3\"/>"
		   "<path d=\"M%.1f %.1fh16\" stroke=\"#ffffff\" stroke-width=\"1.2\"/>",
		x, y + 6, x, y + 6);
	swatch_text(f, x, y, s->bin == 1 ? "advertised SMT siblings (one core)"
					 : "advertised SMT: not drawn in blocks");
	y += 18;
	fprintf(f, "<path d=\"M%.1f %.1fh16\" stroke=\"#000000\" stroke-width=\"2\" "
		   "stroke-dasharray=\"6 3\"/>", x, y + 6);
	swatch_text(f, x, y, "advertised package (socket)");
	if (!s->ntracks)
		return;
	y += 18;
	for (int k = 0; k < 3; k++)
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"12\" fill=\"%s\"/>",
			x + k * 6, y, severity_colour((enum vtc_severity)(2 - k)));
	swatch_text(f, x, y, "finding N involves the vCPU (row)");
}

static void write_legend(const struct svg *s)
{
	fprintf(s->f, "<g font-size=\"%.0f\" fill=\"#222222\">\n"
		      "<text x=\"%.1f\" y=\"%.1f\">One-way latency (log scale)</text>\n"
		      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" "
		      "fill=\"url(#scale)\" stroke=\"#999999\"/>\n",
		SMALL_FONT, s->lx, s->my + 8, s->lx, s->my + 18, BAR_W, BAR_H);
	write_ticks(s);
	write_tiers(s);
	write_keys(s);
	fputs("</g>\n", s->f);
}

/* ---- entry points ------------------------------------------------------- */

int vtc_svg_write(FILE *f, const struct vtc_svg_input *in)
{
	struct svg s = {.f = f, .in = in};
	int rc;

	if (!f || !in || !in->res || in->res->n < 1 || !in->res->cpu ||
	    (unsigned)in->status > VTC_EXIT_UNKNOWN)
		return -EINVAL;
	s.r = in->res;
	s.n = s.r->n;
	layout(&s);
	if (!(s.scratch = malloc((size_t)s.bin * s.bin * sizeof(double))))
		return -ENOMEM;
	find_scale(&s);
	write_defs(&s);
	write_title(&s);
	write_labels(&s);
	write_cells(&s);
	rc = write_outlines(&s);
	write_tracks(&s);
	write_legend(&s);
	write_strip(&s);
	write_list(&s);
	fputs("</svg>\n", f);
	free(s.scratch);
	if (rc)
		return rc;
	return ferror(f) ? -EIO : 0;
}

static int app_writer(FILE *f, void *arg)
{
	return vtc_svg_write(f, arg);
}

int vtc_svg_write_app(const struct vtc_run *app, const char *path)
{
	struct vtc_svg_input in;

	if (!app || !path)
		return -EINVAL;
	if (!app->have_results)
		return -ENODATA;
	in = (struct vtc_svg_input){
		.res = &app->res,
		.adv = app->have_sysfs ? &app->sysfs : app->have_cpuid ? &app->cpuid : NULL,
		.inf = app->have_inf ? &app->inf : NULL,
		.fs = &app->findings,
		.status = app->status,
		.verdict = app->reason,
	};
	return vtc_output_write_atomic(path, app_writer, &in);
}
