/* output.c - output paths: checked up front, written by temp file + fsync + rename.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

int vtc_output_path_check(const char *path)
{
	struct stat st;
	char *copy, *dir;
	int rc = 0;

	if (strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return -EISDIR;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	dir = dirname(copy);
	if (stat(dir, &st) != 0)
		rc = -errno;
	else if (!S_ISDIR(st.st_mode))
		rc = -ENOTDIR;
	else if (access(dir, W_OK | X_OK) != 0)
		rc = -errno;
	free(copy);
	return rc;
}

/* Flush stdio and report a write error that stdio only recorded. */
static int flush_checked(FILE *f)
{
	errno = 0;
	if (fflush(f) != 0 || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

/* The writer, then flush, mode and fsync: a collector reading right after
 * the rename, or a crash after it, must see the whole file. */
static int fill(FILE *f, vtc_writer_fn writer, void *arg)
{
	int rc = writer(f, arg);

	if (!rc)
		rc = flush_checked(f);
	if (!rc && fchmod(fileno(f), 0644) != 0)
		rc = -errno;
	if (!rc && fsync(fileno(f)) != 0)
		rc = -errno;
	return rc;
}

int vtc_output_write_atomic(const char *path, vtc_writer_fn writer, void *arg)
{
	size_t n;
	char *tmp;
	FILE *f;
	int fd, rc;

	if (!path || !writer)
		return -EINVAL;
	if (strcmp(path, "-") == 0) {
		rc = writer(stdout, arg);
		return rc ? rc : flush_checked(stdout);
	}
	n = strlen(path) + 8;
	if (!(tmp = malloc(n)))
		return -ENOMEM;
	snprintf(tmp, n, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = -errno;
		free(tmp);
		return rc;
	}
	if (!(f = fdopen(fd, "w"))) {
		rc = -errno;
		close(fd);
	} else {
		rc = fill(f, writer, arg);
		errno = 0;
		if (fclose(f) != 0 && !rc)
			rc = errno ? -errno : -EIO;
	}
	if (!rc && rename(tmp, path) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
