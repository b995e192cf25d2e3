/* sysfs.h - every sysfs/procfs read goes through a root prefix (lscpu --sysroot).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Paths are given relative to the root, printf-style, without a leading '/'
 * ("sys/devices/system/cpu/cpu%d/topology/core_id"). A root other than "/"
 * means the data is a recording, not this machine: callers must not run
 * CPUID or probes against it. */
#ifndef VTC_SYSFS_H
#define VTC_SYSFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "src/advertised/cpuset.h"

struct vtc_sysfs {
	char root[PATH_MAX]; /* "/" or "<dir>/" (always ends in '/') */
	bool live;           /* root is "/" */
};

#define VTC_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Set the root: NULL, "" or "/" mean the running system. The directory must
 * exist. Returns 0, -ENAMETOOLONG, or the -errno of stat() (-ENOENT,
 * -ENOTDIR, ...). */
int vtc_sysfs_init(struct vtc_sysfs *fs, const char *root);

/* Compose root + relative path into @buf. Returns 0 or -ENAMETOOLONG. */
int vtc_sysfs_path(const struct vtc_sysfs *fs, char *buf, size_t size,
		   const char *fmt, ...) VTC_PRINTF(4, 5);

/* True when the path exists (file, directory, or a link that resolves). */
bool vtc_sysfs_exists(const struct vtc_sysfs *fs, const char *fmt, ...) VTC_PRINTF(2, 3);

/* Read a whole file into @buf with leading/trailing whitespace trimmed.
 * Returns 0, -ENOENT (missing), -EOVERFLOW (longer than @size - 1),
 * -EINVAL (text after a NUL byte, or @size is 0; trailing NUL padding, as
 * some recorded trees have, is dropped), -EISDIR, -VTC_INPUT_ENOTREG (a
 * FIFO, device or socket: src/input.h's reader opens regular files only),
 * or another -errno from open/read (-EACCES, -EIO ...). */
int vtc_sysfs_read_str(const struct vtc_sysfs *fs, char *buf, size_t size,
		       const char *fmt, ...) VTC_PRINTF(4, 5);

/* Read one decimal integer (may be negative, e.g. physical_package_id -1).
 * Returns 0, -EINVAL for empty or non-numeric text, -ERANGE beyond int,
 * or the errors of vtc_sysfs_read_str(). */
int vtc_sysfs_read_int(const struct vtc_sysfs *fs, int *out, const char *fmt, ...)
	VTC_PRINTF(3, 4);

/* Read a cpulist ("0-3,8") or, for the older mask files ("thread_siblings"),
 * a hex cpumask. Returns 0, -EINVAL (malformed), -ERANGE (id too large), or
 * the errors of vtc_sysfs_read_str(). An empty file gives an empty set. */
int vtc_sysfs_read_cpulist(const struct vtc_sysfs *fs, vtc_cpuset *out,
			   const char *fmt, ...) VTC_PRINTF(3, 4);
int vtc_sysfs_read_cpumask(const struct vtc_sysfs *fs, vtc_cpuset *out,
			   const char *fmt, ...) VTC_PRINTF(3, 4);

/* Read a size as sysfs writes cache sizes ("32K", "1024K"; "8M", "1G" and
 * plain bytes are accepted too) in KiB. Returns 0, -EINVAL, -ERANGE, or the
 * errors of vtc_sysfs_read_str(). */
int vtc_sysfs_read_kib(const struct vtc_sysfs *fs, long *kib, const char *fmt, ...)
	VTC_PRINTF(3, 4);

/* Collect the numbers N of the directory entries named "<prefix>N" (exact
 * decimal, e.g. "cpu12" but not "cpufreq") in a directory into @out.
 * Returns 0, -ERANGE (N >= VTC_CPUSET_MAX), or the -errno of opendir. */
int vtc_sysfs_scan_ids(const struct vtc_sysfs *fs, vtc_cpuset *out, const char *prefix,
		       const char *fmt, ...) VTC_PRINTF(4, 5);

/* Read a whole file under the root (for long files such as /proc/cpuinfo)
 * of at most @max bytes (src/input.h's VTC_INPUT_*_MAX) into a
 * NUL-terminated *@buf of *@len bytes (free it). Returns 0, -EFBIG (longer
 * than @max), -EISDIR, -VTC_INPUT_ENOTREG (a FIFO, device or socket),
 * -ENOMEM, -EINTR (stop flag), or another -errno (-ENOENT ...). */
int vtc_sysfs_read_all(const struct vtc_sysfs *fs, size_t max, char **buf, size_t *len,
		       const char *fmt, ...) VTC_PRINTF(5, 6);

/* The full path of the file behind this thread's last failed read or parse
 * (any error but -ENOENT, which optional files give routinely), or "" if
 * none failed yet. For messages: "malformed: <path>". */
const char *vtc_sysfs_last_error(void);

/* Record @fmt (relative to the root) as the failed file for a failure the
 * caller decided on (a value that parses but makes no sense, a required
 * file that is absent); returns @rc. */
int vtc_sysfs_fail(const struct vtc_sysfs *fs, int rc, const char *fmt, ...) VTC_PRINTF(3, 4);

#endif
