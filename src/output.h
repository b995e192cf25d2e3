/* output.h - the files a run writes (JSON report, SVG heatmap, Prometheus
 * metrics): checked before the run, replaced atomically after it.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_OUTPUT_H
#define VTC_OUTPUT_H

#include <stdio.h>

/* Check that @path can be written (its directory exists and is writable,
 * and it is not a directory), before a long run starts. "-" (stdout) is
 * always fine. Returns 0 or -errno. */
int vtc_output_path_check(const char *path);

/* Writes the whole content to @f; returns 0 or -errno. */
typedef int (*vtc_writer_fn)(FILE *f, void *arg);

/* Write @path through @writer: a temporary file "<path>.XXXXXX" in the
 * same directory (so rename is atomic, and node_exporter's textfile
 * collector, which reads only *.prom, ignores it), mode 0644, fsync,
 * rename over @path. "-" writes to stdout instead. On any failure the
 * temporary file is removed and an existing @path is left untouched.
 * Returns 0, the writer's -errno, or -errno from the file operations
 * (-EIO when a buffered write failed without errno). */
int vtc_output_write_atomic(const char *path, vtc_writer_fn writer, void *arg);

#endif
