/* output.h - the files a run writes (JSON report, SVG heatmap, Prometheus
 * metrics): checked before the run, written after it.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * What an output path means, by what it names:
 *  - "-", or the file standard output already is (/dev/stdout, /dev/fd/1):
 *    written to standard output;
 *  - a regular file, or nothing yet: replaced atomically (temporary file in
 *    the same directory, fsync, rename). A new file gets 0666 less the
 *    umask, an existing one keeps its mode;
 *  - a character device or FIFO (/dev/null, a terminal, a named pipe):
 *    opened and written in place, as "> path" does;
 *    A symbolic link to one of these is written in place too;
 *  - a symbolic link to a regular file: refused (-ELOOP). Replacing it
 *    would destroy the link; writing through it would let whoever planted
 *    it choose what a run as root overwrites;
 *  - a directory, a block device, a socket, a link to nothing: refused;
 *  - a name that does not exist in /dev (not /dev/shm): refused (-ENODEV),
 *    it is a typo or a missing device, not a place for a report. */
#ifndef VTC_OUTPUT_H
#define VTC_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

enum vtc_output_kind { VTC_OUT_FILE, VTC_OUT_STDOUT, VTC_OUT_STREAM };

struct vtc_output_target {
	enum vtc_output_kind kind;
	char *real;    /* VTC_OUT_FILE: the absolute path replaced, links resolved */
	bool exists;
	dev_t dev;     /* when it exists */
	ino_t ino;
	mode_t mode;
};

/* Classify @path as above. Returns 0 (free @t with vtc_output_target_free),
 * -EISDIR, -ENOTSUP (block device, socket), -ENOLINK (dangling link),
 * -ELOOP (link to a regular file), -ENODEV (a new file in /dev),
 * -EINVAL (empty), or -errno of stat/realpath (-ENOENT: no such directory). */
int vtc_output_resolve(const char *path, struct vtc_output_target *t);
void vtc_output_target_free(struct vtc_output_target *t);

/* True when @path is "-" or the file standard output is open on. */
bool vtc_output_is_stdout(const char *path);

/* Check that @path can be written, before a long run starts: resolvable as
 * above, and its directory (a regular file) or itself (a device) writable.
 * Returns 0 or -errno. */
int vtc_output_path_check(const char *path);

/* No output may be another output or an input (by inode when both exist,
 * by resolved path otherwise); character devices other than stdout may
 * take several outputs. NULL entries are skipped. Returns 0, or -EEXIST
 * with *@bad the output and *@other the index (outputs first, then inputs)
 * it collides with. */
int vtc_output_check_distinct(const char *const *outs, size_t nout, const char *const *ins,
			      size_t nin, size_t *bad, size_t *other);

/* Writes the whole content to @f; returns 0 or -errno. */
typedef int (*vtc_writer_fn)(FILE *f, void *arg);

/* Write @path through @writer, by the kind of @path (see above). Leftover
 * temporaries of killed runs (".<name>.<pid>.vtctmp", pid gone) are removed
 * first. On any failure the temporary file is removed and an existing
 * regular file is left untouched. When the stop flag (stop.h)
 * rises during the write, nothing is renamed into place: -EINTR (raised
 * before it began, the write goes ahead: an interrupted run's report). Returns 0, the writer's
 * -errno, or the -errno of the failed write itself (-ENOSPC for a full
 * disk), or one of vtc_output_resolve's. */
int vtc_output_write_atomic(const char *path, vtc_writer_fn writer, void *arg);

/* strerror for the codes above, naming the path kinds refused. */
const char *vtc_output_strerror(int rc);

#endif
