/* input.c - the one bounded reader of input files, see input.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/input.h"
#include "src/stop.h"

static int check_type(const struct stat *st, size_t max)
{
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -VTC_INPUT_ENOTREG;
	/* sysfs says 4096 and procfs 0 whatever they hold: the read is
	 * bounded too, this only refuses a big file without reading it. */
	if ((unsigned long long)st->st_size > max)
		return -EFBIG;
	return 0;
}

/* A descriptor of the regular file @path, or -errno. */
static int open_regular(const char *path, size_t max)
{
	struct stat st;
	int fd, rc;

	/* stat() first: a device is refused without being opened (opening
	 * one can have effects: a tape rewinds, a watchdog arms). */
	if (stat(path, &st) != 0)
		return -errno;
	if ((rc = check_type(&st, max)))
		return rc;
	/* O_NONBLOCK: should @path become a FIFO after the stat(), opening it
	 * must not wait for a writer; fstat() then refuses it. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0)
		rc = -errno;
	else if ((rc = check_type(&st, max)) == 0 && fcntl(fd, F_SETFL, 0) != 0)
		rc = -errno;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int vtc_input_open(const char *path, size_t max, FILE **f)
{
	int fd = open_regular(path, max), rc = 0;

	*f = NULL;
	if (fd < 0)
		return fd;
	if (!(*f = fdopen(fd, "r"))) {
		rc = -errno;
		close(fd);
	}
	return rc;
}

int vtc_input_read_all(FILE *f, size_t max, char **buf, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *b = NULL;

	for (;;) {
		char *nb = realloc(b, cap + 1);
		if (!nb) {
			free(b);
			return -ENOMEM;
		}
		b = nb;
		n += fread(b + n, 1, cap - n, f);
		if (vtc_stop_requested() || ferror(f) || n > max) {
			int rc = vtc_stop_requested() ? -EINTR : n > max ? -EFBIG : -EIO;
			free(b);
			return rc;
		}
		if (n < cap)
			break;
		/* The file grew past its size at open: still bounded by @max. */
		cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int vtc_input_read(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *f;
	int rc = vtc_input_open(path, max, &f);

	*buf = NULL;
	*len = 0;
	if (rc)
		return rc;
	rc = vtc_input_read_all(f, max, buf, len);
	fclose(f);
	return rc;
}

int vtc_input_read_buf(const char *path, char *buf, size_t size, size_t *len)
{
	size_t n = 0;
	int fd;

	if (size == 0)
		return -EINVAL;
	buf[0] = '\0';
	*len = 0;
	if ((fd = open_regular(path, VTC_INPUT_ATTR_MAX > size ? VTC_INPUT_ATTR_MAX : size)) < 0)
		return fd;
	/* sysfs answers in one read, procfs and recorded files may not: read
	 * until the end, and one byte more than fits tells it is longer. */
	for (;;) {
		char extra;
		ssize_t got = n < size - 1 ? read(fd, buf + n, size - 1 - n) : read(fd, &extra, 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || n == size - 1) {
			int rc = got < 0 ? -errno : got > 0 ? -EFBIG : 0;
			close(fd);
			buf[rc ? 0 : n] = '\0';
			*len = rc ? 0 : n;
			return rc;
		}
		n += (size_t)got;
	}
}

const char *vtc_input_strerror(int rc)
{
	switch (rc) {
	case -VTC_INPUT_ENOTREG:
		return "not a regular file";
	case -EISDIR:
		return "a directory, not a regular file";
	case -EFBIG:
		return "larger than any report or matrix vtopocheck writes";
	case -EINTR:
		return "interrupted";
	default:
		return strerror(-rc);
	}
}
