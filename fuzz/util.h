/* util.h - helpers shared by the libFuzzer targets: scratch files, and the
 * record format that turns one fuzz input into a small directory tree.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Record format (fuzz/README.md): repeated [slot u8][len u16 LE][len bytes].
 * The slot picks a file name from the target's table (slot % table size);
 * a record cut short by the end of the input takes what is left. */
#ifndef VTC_FUZZ_UTIL_H
#define VTC_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A copy of @data with a NUL appended (the parsers take C strings); an
 * embedded NUL simply ends the string early, as it would in a file read
 * with fgets/strtol. Aborts on ENOMEM (a fuzz harness may). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* This process's scratch directory (created once, under $TMPDIR, else
 * /dev/shm, else /tmp; removed at exit),
 * e.g. "/tmp/vtc-fuzz.XXXXXX". Aborts when it cannot be created. */
const char *fuzz_scratch(void);

/* Remove everything below @dir (not @dir itself). */
void fuzz_clear_dir(const char *dir);

/* Write @len bytes to @dir/@rel, creating the parent directories; an
 * existing file is replaced. Returns 0 or -errno (the harness ignores
 * failures such as a name made a directory by an earlier record). */
int fuzz_write_file(const char *dir, const char *rel, const uint8_t *data, size_t len);

/* Create @dir/@rel and its parents as directories. Returns 0 or -errno. */
int fuzz_mkdirs(const char *dir, const char *rel);

/* Split @data into records; call @fn(slot % nslots, bytes, len, arg) for each. */
void fuzz_records(const uint8_t *data, size_t size, size_t nslots,
		  void (*fn)(size_t slot, const uint8_t *d, size_t len, void *arg), void *arg);

/* Make @dir hold only the records of @data, each written to
 * @dir/@names[slot]; a name ending in '/' makes a directory. */
void fuzz_build_tree(const char *dir, const char *const *names, size_t nnames,
		     const uint8_t *data, size_t size);

#endif
