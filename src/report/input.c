/* input.c - bounded reads of regular input files, see input.h.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/report/input.h"
#include "src/stop.h"

int vtc_input_open(const char *path, size_t max, FILE **f)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer forever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), rc = 0;
	struct stat st;

	*f = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0)
		rc = -errno;
	else if (!S_ISREG(st.st_mode))
		rc = -EINVAL;
	else if ((unsigned long long)st.st_size > max)
		rc = -EFBIG;
	else if (fcntl(fd, F_SETFL, 0) != 0)
		rc = -errno;
	else if (!(*f = fdopen(fd, "r")))
		rc = -errno;
	if (rc)
		close(fd);
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

const char *vtc_input_strerror(int rc)
{
	switch (rc) {
	case -EINVAL:
		return "not a regular file";
	case -EFBIG:
		return "larger than any report or matrix vtopocheck writes";
	case -EINTR:
		return "interrupted";
	default:
		return strerror(-rc);
	}
}
