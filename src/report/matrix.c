/* matrix.c - latency matrix output.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>

#include "src/report/matrix.h"

enum { CELL_NONE = 0, CELL_OK = 1, CELL_STALLED = 2 };

int vtc_matrix_cell(const struct vtc_results *r, int a, int b, double *ns)
{
	const struct vtc_pair_result *p = vtc_results_pair(r, a, b);
	double m = vtc_results_pair_median(r, a, b);

	*ns = m;
	if (!p)
		return CELL_NONE;
	if (m >= 0)
		return CELL_OK;
	for (int i = 0; i < r->n_passes && i < VTC_MAX_PASSES; i++)
		if (p->pass[i].measured && p->pass[i].stalled)
			return CELL_STALLED;
	return CELL_NONE;
}

static void print_text(FILE *f, const struct vtc_results *r)
{
	fprintf(f, "%4s", "CPU");
	for (int j = 0; j < r->n; j++)
		fprintf(f, " %4d", r->cpu[j]);
	fputc('\n', f);
	for (int i = 0; i < r->n; i++) {
		fprintf(f, "%4d", r->cpu[i]);
		for (int j = 0; j < r->n; j++) {
			double ns;
			if (i == j) {
				fprintf(f, " %4d", 0);
				continue;
			}
			switch (vtc_matrix_cell(r, r->cpu[i], r->cpu[j], &ns)) {
			case CELL_OK:
				fprintf(f, " %4.0f", ns);
				break;
			case CELL_STALLED:
				fprintf(f, " %4s", "S");
				break;
			default:
				fprintf(f, " %4s", "-");
			}
		}
		fputc('\n', f);
	}
}

/* core-to-core-latency's layout has no CPU ids: rows are CPUs 0..n-1. Any
 * other set gets a header row and column of ids (matrix_import.h), or
 * 0,4,8,12 would come back as 0-3. */
static bool ids_implicit(const struct vtc_results *r)
{
	for (int i = 0; i < r->n; i++)
		if (r->cpu[i] != i)
			return false;
	return true;
}

static void print_csv(FILE *f, const struct vtc_results *r)
{
	bool ids = !ids_implicit(r);

	if (ids) {
		fputs("CPU", f);
		for (int j = 0; j < r->n; j++)
			fprintf(f, ",%d", r->cpu[j]);
		fputc('\n', f);
	}
	for (int i = 0; i < r->n; i++) {
		if (ids)
			fprintf(f, "%d,", r->cpu[i]);
		for (int j = 0; j < r->n; j++) {
			double ns;
			if (j > 0)
				fputc(',', f);
			if (j >= i)
				continue;
			int c = vtc_matrix_cell(r, r->cpu[i], r->cpu[j], &ns);
			if (c == CELL_OK)
				fprintf(f, "%.3f", ns);
			else if (c == CELL_STALLED)
				fputs("inf", f);
		}
		fputc('\n', f);
	}
}

int vtc_matrix_print(FILE *f, const struct vtc_results *r, enum vtc_matrix_format fmt)
{
	if (!f || !r || r->n < 1 || !r->cpu)
		return -EINVAL;
	if (fmt == VTC_MATRIX_TEXT)
		print_text(f, r);
	else if (fmt == VTC_MATRIX_CSV)
		print_csv(f, r);
	else
		return -EINVAL;
	return ferror(f) ? -EIO : 0;
}
