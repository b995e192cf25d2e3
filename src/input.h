/* input.h - the one reader of input files: sysfs and procfs files (live or
 * under --sysroot), CPUID dump files, --analyze reports and matrices.
 * Regular files only, each kind with its largest size.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Why: a FIFO in a recorded tree blocked open() forever, and /proc/cpuinfo
 * linked to /dev/zero was read until the OOM killer came. Every input is
 * opened without blocking, refused unless it is a regular file, and read
 * only up to the bound of its kind; a longer file is an error, never cut
 * short. Real sysfs and procfs files are regular files that report a size
 * of 4096 or 0, so the bound is checked while reading, not only at open. */
#ifndef VTC_INPUT_H
#define VTC_INPUT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The largest file of each kind. */
/* A sysfs or procfs attribute: a cpulist of 4096 CPUs written one by one
 * ("0,2,4,...") needs about 20 KB, a mask of an NR_CPUS=8192 kernel 2.3 KB. */
#define VTC_INPUT_ATTR_MAX (64ul << 10)
/* /proc/cpuinfo (x86: ~1.6 KB per CPU, 13 MB for 8192 CPUs) and /proc/stat
 * (~150 bytes per CPU plus the interrupt counts). */
#define VTC_INPUT_PROC_MAX (64ul << 20)
/* A pu<N> CPUID dump file: hwloc writes a few hundred lines of ~60 bytes. */
#define VTC_INPUT_DUMP_MAX (1ul << 20)
/* The largest report read: the largest vtopocheck writes, every pair of
 * VTC_CPUSET_MAX CPUs in VTC_MAX_PASSES passes and a full window, 8.8 GiB
 * (tests/test_report_json measures it on the writer; a fully measured
 * 1024-vCPU run writes ~276 MB, a 4096-CPU matrix imported and written
 * with --json 1.63 GiB). Inputs are regular files of a known size, so
 * the bound only refuses what no run wrote; where size_t has 32 bits,
 * whatever it can hold. */
#if SIZE_MAX > 0xffffffffu
#define VTC_INPUT_REPORT_MAX ((size_t)12 << 30)
#else
#define VTC_INPUT_REPORT_MAX (SIZE_MAX / 2)
#endif
/* The largest matrix: 4096 x 4096 cells of up to 15 bytes each. */
#define VTC_INPUT_MATRIX_MAX (256ul << 20)

/* The code for a FIFO, socket or device where a regular file is expected
 * (Linux has no EFTYPE); vtc_input_strerror() words it. A directory gives
 * -EISDIR. */
#define VTC_INPUT_ENOTREG EMEDIUMTYPE

/* Open @path for reading, refusing anything but a regular file: -EISDIR,
 * -VTC_INPUT_ENOTREG (/dev/zero, a FIFO, a socket; never opened in a way
 * that blocks), or -EFBIG when its size is already larger than @max.
 * Returns 0 with *@f open, or -errno of stat/open. Stream it with a bound
 * of your own, or read it with vtc_input_read_all(). */
int vtc_input_open(const char *path, size_t max, FILE **f);

/* Read all of @f (at most @max bytes, else -EFBIG) into a NUL-terminated
 * buffer *@buf of *@len bytes (free it). -ENOMEM when the buffer cannot
 * grow (never taken for the end of the file), -EIO on a read error,
 * -EINTR when the stop flag (src/stop.h) rises. */
int vtc_input_read_all(FILE *f, size_t max, char **buf, size_t *len);

/* vtc_input_open() and vtc_input_read_all() in one: the whole of @path. */
int vtc_input_read(const char *path, size_t max, char **buf, size_t *len);

/* Read @path (a regular file, as vtc_input_open() checks) into @buf of
 * @size > 0 bytes, NUL-terminated, *@len bytes read (may hold NULs).
 * Returns 0, -EFBIG when it holds more than @size - 1 bytes, or the
 * errors of vtc_input_open(). No allocation: for the thousands of small
 * sysfs files of a big machine. */
int vtc_input_read_buf(const char *path, char *buf, size_t size, size_t *len);

/* Words for the codes above ("not a regular file", ...); strerror() for
 * the others. -EFBIG is worded for reports and matrices: callers reading
 * other kinds say their own bound. */
const char *vtc_input_strerror(int rc);

#endif
