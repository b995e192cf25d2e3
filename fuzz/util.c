/* util.c - scratch files and the record format for the fuzz targets.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/util.h"

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char scratch[4096];

static void remove_scratch(void)
{
	fuzz_clear_dir(scratch);
	rmdir(scratch);
}

/* tmpfs when there is one: ext4 creates and deletes files 50x slower, and
 * the tree targets do thousands per second. */
const char *fuzz_scratch(void)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;

	if (scratch[0])
		return scratch;
	if (!tmp || !*tmp)
		tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
	snprintf(scratch, sizeof(scratch), "%s/vtc-fuzz.XXXXXX", tmp);
	if (!mkdtemp(scratch))
		abort();
	atexit(remove_scratch);
	return scratch;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

void fuzz_clear_dir(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int fuzz_mkdirs(const char *dir, const char *rel)
{
	char path[4096];
	size_t i, base;

	base = (size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (base >= sizeof(path))
		return -ENAMETOOLONG;
	for (i = strlen(dir) + 1; i <= base; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return -errno;
		path[i] = c;
	}
	return 0;
}

int fuzz_write_file(const char *dir, const char *rel, const uint8_t *data, size_t len)
{
	char parent[4096], path[4096];
	const char *slash = strrchr(rel, '/');
	FILE *f;
	int rc = 0;

	if (slash) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rel), rel);
		if ((rc = fuzz_mkdirs(dir, parent)) < 0)
			return rc;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (!(f = fopen(path, "w")))
		return -errno;
	if (len && fwrite(data, 1, len, f) != len)
		rc = -EIO;
	if (fclose(f) != 0 && !rc)
		rc = -EIO;
	return rc;
}

void fuzz_records(const uint8_t *data, size_t size, size_t nslots,
		  void (*fn)(size_t slot, const uint8_t *d, size_t len, void *arg), void *arg)
{
	size_t pos = 0;

	while (pos < size) {
		size_t slot = data[pos++] % nslots, len = 0;
		if (pos + 2 <= size)
			len = (size_t)data[pos] | (size_t)data[pos + 1] << 8;
		pos += 2;
		if (pos > size)
			pos = size;
		if (len > size - pos)
			len = size - pos;
		fn(slot, data + pos, len, arg);
		pos += len;
	}
}

struct tree {
	const char *dir;
	const char *const *names;
};

static void put_record(size_t slot, const uint8_t *d, size_t len, void *arg)
{
	const struct tree *t = arg;
	const char *name = t->names[slot];
	size_t n = strlen(name);

	if (n && name[n - 1] == '/')
		fuzz_mkdirs(t->dir, name);
	else
		fuzz_write_file(t->dir, name, d, len);
}

void fuzz_build_tree(const char *dir, const char *const *names, size_t nnames,
		     const uint8_t *data, size_t size)
{
	struct tree t = { dir, names };

	fuzz_clear_dir(dir);
	fuzz_records(data, size, nnames, put_record, &t);
}
