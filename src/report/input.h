/* input.h - files a run reads whole (--analyze REPORT, --matrix FILE):
 * regular files only, of bounded size.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_INPUT_H
#define VTC_INPUT_H

#include <stddef.h>
#include <stdio.h>

/* The largest report read: a fully measured 1024-vCPU run writes ~276 MB;
 * four times that leaves room for 2048 vCPUs and bounds what /dev/zero-like
 * or edited inputs can make us hold. */
#define VTC_INPUT_REPORT_MAX (1024ul << 20)
/* The largest matrix: 4096 x 4096 cells of up to 15 bytes each. */
#define VTC_INPUT_MATRIX_MAX (256ul << 20)

/* Open @path for reading without blocking on a FIFO and refuse anything
 * but a regular file (-EINVAL: /dev/zero, a pipe, a directory, a device)
 * or one larger than @max (-EFBIG). Returns 0 with *@f open, or -errno. */
int vtc_input_open(const char *path, size_t max, FILE **f);

/* Read all of @f (at most @max bytes, else -EFBIG) into a NUL-terminated
 * buffer *@buf of *@len bytes (free it). -EINTR when the stop flag rises. */
int vtc_input_read_all(FILE *f, size_t max, char **buf, size_t *len);

/* A message for vtc_input_open/read_all's codes, naming what is refused. */
const char *vtc_input_strerror(int rc);

#endif
