/* testutil.h - helpers shared by the cmocka tests: where the sources and
 * the corpus are, whole files, recorded machines unpacked.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_TESTUTIL_H
#define VTC_TESTUTIL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The source tree ($VTC_SRCDIR, else "."). */
const char *vtc_test_srcdir(void);
/* The shared corpus ($VTC_CORPUS when it is a directory), else NULL: the
 * caller skips. */
const char *vtc_test_corpus(void);
/* A scratch directory for temporary files: $TMPDIR, /dev/shm, /tmp. */
const char *vtc_test_scratch_dir(void);

/* Output captured in memory: the stream of vtc_test_mem_open(), and the
 * text written to it from vtc_test_mem_close() (free it); either fails the
 * test when the stream cannot be opened or closed. */
struct vtc_test_mem {
	char *text;
	size_t size;
	FILE *f;
};
FILE *vtc_test_mem_open(struct vtc_test_mem *m);
char *vtc_test_mem_close(struct vtc_test_mem *m);

/* The whole file @path, NUL-terminated, its length in *@len (may be NULL);
 * fails the test when it cannot be read. Free it. */
char *vtc_test_slurp(const char *path, size_t *len);

/* An unpacked archive: @dir is the mkdtemp directory, @root the single
 * directory the archive holds (its name need not be the case name:
 * 20s390-2g6s4c.tar.bz2 holds 20s390-2g2g2s4co/). */
struct vtc_test_unpacked {
	char dir[256], root[PATH_MAX];
};

/* Unpack @archive into a fresh directory under vtc_test_scratch_dir().
 * @strict: tar must succeed (else, as for recordings with device files,
 * its complaints are printed and ignored). Returns 0, or -errno, -EIO
 * (strict and tar failed), -EINVAL (not exactly one top directory). */
int vtc_test_unpack(const char *archive, bool strict, struct vtc_test_unpacked *u);
/* Remove what vtc_test_unpack made (also read-only trees). */
void vtc_test_unpacked_free(struct vtc_test_unpacked *u);

#endif
