/* report_svg.h - the latency matrix as an SVG heatmap (--svg FILE).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What users otherwise plot by hand from the CSV matrix: one cell per vCPU
 * pair, coloured on a log scale of the median one-way latency (viridis,
 * legend in ns, inferred latency tiers bracketed beside it), CPU numbers on
 * both axes, the verdict line as title. Marked and explained in the legend:
 *   - pairs that only stalled (their handoffs took scheduler time slices:
 *     the vCPUs time-share one physical CPU): red hatching;
 *   - pairs not measured: grey;  the diagonal (same vCPU): white;
 *   - advertised SMT groups: solid white-on-black outline; advertised
 *     packages: dashed black outline;
 *   - findings: one numbered track per finding beside the matrix, rows of
 *     the vCPUs involved filled in the severity colour, and a numbered list
 *     under the matrix.
 * Up to 64 vCPUs every CPU is labelled and every cell has a hover tooltip.
 * Above VTC_SVG_MAX_ROWS vCPUs, cells are blocks of consecutive probed vCPUs
 * (median of the block; stalled when any pair in it stalled) so the file
 * stays bounded (about 1 MB at most) however many vCPUs there are.
 */
#ifndef VTC_REPORT_SVG_H
#define VTC_REPORT_SVG_H

#include <stdio.h>

#include "src/analysis/finding.h"
#include "src/analysis/infer.h"
#include "src/analysis/results.h"
#include "src/advertised/topo.h"
#include "src/vtc.h"

#define VTC_SVG_MAX_ROWS 128   /* displayed rows/columns at most */
#define VTC_SVG_MAX_TRACKS 16  /* findings drawn as tracks and listed */

struct vtc_run;

struct vtc_svg_input {
	const struct vtc_results *res;   /* required, at least one probed CPU */
	const struct vtc_topo *adv;      /* advertised model to outline; may be NULL */
	const struct vtc_inferred *inf;  /* tiers for the legend; may be NULL */
	const struct vtc_findings *fs;   /* may be NULL */
	enum vtc_exit status;            /* colours the verdict badge */
	const char *verdict;             /* title text (app->reason); may be NULL */
};

/* Write the heatmap of @in as a standalone SVG 1.1 document to @f.
 * Returns 0, -EINVAL (NULL, no probed CPUs, status out of range), -ENOMEM
 * or -EIO. */
int vtc_svg_write(FILE *f, const struct vtc_svg_input *in);

/* The heatmap of a judged run, written atomically to @path ("-" = stdout),
 * outlining the sysfs model (CPUID when sysfs is absent).
 * Returns 0, -ENODATA when the run measured nothing (--advertised), or
 * -errno from vtc_svg_write and the file operations. */
int vtc_svg_write_app(const struct vtc_run *app, const char *path);

#endif
