/* sysfs.c - the prefixed path reader for sysfs and procfs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/advertised/sysfs.h"
#include "src/input.h"

static int vpath(const struct vtc_sysfs *fs, char *buf, size_t size,
		 const char *fmt, va_list ap);

/* The file each thread read last, and the one behind its last failure
 * other than absence: library code does not print, so main.c can name the
 * malformed file this way. Thread-local so that threads never mix them. */
static _Thread_local char cur_path[PATH_MAX];
static _Thread_local char err_path[PATH_MAX];

/* Remember the current file as failed unless @rc is 0 or plain absence. */
static int note(int rc)
{
	if (rc < 0 && rc != -ENOENT)
		memcpy(err_path, cur_path, sizeof(err_path));
	return rc;
}

const char *vtc_sysfs_last_error(void)
{
	return err_path;
}

int vtc_sysfs_fail(const struct vtc_sysfs *fs, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vpath(fs, err_path, sizeof(err_path), fmt, ap) < 0)
		err_path[0] = '\0';
	va_end(ap);
	return rc;
}

/* Longest cpulist or mask we accept: a sysfs attribute (src/input.h). */
#define LIST_MAX VTC_INPUT_ATTR_MAX

int vtc_sysfs_init(struct vtc_sysfs *fs, const char *root)
{
	struct stat st;
	size_t len;

	memset(fs, 0, sizeof(*fs));
	if (!root || !*root)
		root = "/";
	len = strlen(root);
	if (len + 2 > sizeof(fs->root))
		return -ENAMETOOLONG;
	memcpy(fs->root, root, len + 1);
	if (fs->root[len - 1] != '/')
		memcpy(fs->root + len, "/", 2);
	if (stat(fs->root, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	/* "/." or "//" would also be live, but nobody spells it that way; a
	 * wrong "not live" only disables probing, it never misreads. */
	fs->live = strcmp(fs->root, "/") == 0;
	return 0;
}

static int vpath(const struct vtc_sysfs *fs, char *buf, size_t size,
		 const char *fmt, va_list ap)
{
	size_t rlen = strlen(fs->root);
	int n;

	if (size)
		buf[0] = '\0';
	if (rlen >= size)
		return -ENAMETOOLONG;
	memcpy(buf, fs->root, rlen);
	while (*fmt == '/') /* the root already ends in '/' */
		fmt++;
	n = vsnprintf(buf + rlen, size - rlen, fmt, ap);
	if (n < 0 || (size_t)n >= size - rlen)
		return -ENAMETOOLONG;
	return 0;
}

int vtc_sysfs_path(const struct vtc_sysfs *fs, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(fs, buf, size, fmt, ap);
	va_end(ap);
	return rc;
}

bool vtc_sysfs_exists(const struct vtc_sysfs *fs, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(fs, path, sizeof(path), fmt, ap);
	va_end(ap);
	return rc == 0 && access(path, F_OK) == 0;
}

/* Some recorders (hwloc's dumps of ARM and POWER machines) pad files with
 * NUL bytes after the text; the kernel never writes NULs into these files,
 * so a NUL followed by anything else means a corrupt file. */
static bool nul_padding_only(const char *buf, size_t len)
{
	for (size_t i = strlen(buf); i < len; i++)
		if (buf[i] != '\0' && !isspace((unsigned char)buf[i]))
			return false;
	return true;
}

/* Through the one bounded reader (src/input.h): a FIFO, a device or a
 * directory is refused, never waited on or read without end. */
static int read_file(const char *path, char *buf, size_t size)
{
	size_t len;
	int rc = vtc_input_read_buf(path, buf, size, &len);

	if (rc == -EFBIG)
		return -EOVERFLOW;
	if (rc < 0)
		return rc;
	return nul_padding_only(buf, len) ? 0 : -EINVAL;
}

static void trim(char *s)
{
	size_t start = 0, end = strlen(s);

	while (start < end && isspace((unsigned char)s[start]))
		start++;
	while (end > start && isspace((unsigned char)s[end - 1]))
		end--;
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
}

static int vread_str(const struct vtc_sysfs *fs, char *buf, size_t size,
		     const char *fmt, va_list ap)
{
	char path[PATH_MAX];
	int rc;

	if (size == 0)
		return -EINVAL;
	buf[0] = '\0';
	rc = vpath(fs, path, sizeof(path), fmt, ap);
	memcpy(cur_path, path, sizeof(cur_path));
	if (rc == 0)
		rc = read_file(path, buf, size);
	if (rc < 0) {
		buf[0] = '\0';
		return note(rc);
	}
	trim(buf);
	return 0;
}

int vtc_sysfs_read_str(const struct vtc_sysfs *fs, char *buf, size_t size,
		       const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vread_str(fs, buf, size, fmt, ap);
	va_end(ap);
	return rc;
}

int vtc_sysfs_read_int(const struct vtc_sysfs *fs, int *out, const char *fmt, ...)
{
	char buf[64], *end;
	va_list ap;
	long v;
	int rc;

	va_start(ap, fmt);
	rc = vread_str(fs, buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (rc == -EOVERFLOW)
		return -EINVAL; /* no integer needs 63 characters */
	if (rc < 0)
		return rc;
	if (!buf[0] || !(isdigit((unsigned char)buf[0]) || buf[0] == '-'))
		return note(-EINVAL);
	errno = 0;
	v = strtol(buf, &end, 10);
	if (*end != '\0' || end == buf)
		return note(-EINVAL);
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return note(-ERANGE);
	*out = (int)v;
	return 0;
}

int vtc_sysfs_read_kib(const struct vtc_sysfs *fs, long *kib, const char *fmt, ...)
{
	char buf[64], *end;
	va_list ap;
	long v;
	int rc;

	va_start(ap, fmt);
	rc = vread_str(fs, buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc == -EOVERFLOW ? -EINVAL : rc;
	if (!isdigit((unsigned char)buf[0]))
		return note(-EINVAL);
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || v > (1L << 30))
		return note(-ERANGE);
	switch (*end) {
	case 'K': case 'k': end++; break;
	case 'M': v *= 1024; end++; break;
	case 'G': v *= 1024 * 1024; end++; break;
	case '\0': v /= 1024; break; /* plain bytes */
	}
	if (*end != '\0')
		return note(-EINVAL);
	*kib = v;
	return 0;
}

static int vread_set(const struct vtc_sysfs *fs, vtc_cpuset *out, bool mask,
		     const char *fmt, va_list ap)
{
	char *buf = malloc(LIST_MAX);
	int rc;

	vtc_cpuset_clear(out);
	if (!buf)
		return -ENOMEM;
	rc = vread_str(fs, buf, LIST_MAX, fmt, ap);
	if (rc == 0)
		rc = note(mask ? vtc_cpumask_parse(buf, out) : vtc_cpulist_parse(buf, out));
	free(buf);
	if (rc < 0)
		vtc_cpuset_clear(out);
	return rc;
}

int vtc_sysfs_read_cpulist(const struct vtc_sysfs *fs, vtc_cpuset *out, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vread_set(fs, out, false, fmt, ap);
	va_end(ap);
	return rc;
}

int vtc_sysfs_read_cpumask(const struct vtc_sysfs *fs, vtc_cpuset *out, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vread_set(fs, out, true, fmt, ap);
	va_end(ap);
	return rc;
}

/* "cpu12" -> 12 for prefix "cpu"; -1 for anything else ("cpufreq", "cpu01"). */
static long entry_id(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *p = name + plen;
	long v = 0;

	if (strncmp(name, prefix, plen) != 0 || !isdigit((unsigned char)*p))
		return -1;
	if (p[0] == '0' && p[1] != '\0')
		return -1;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return LONG_MAX;
	}
	return v;
}

int vtc_sysfs_scan_ids(const struct vtc_sysfs *fs, vtc_cpuset *out, const char *prefix,
		       const char *fmt, ...)
{
	char path[PATH_MAX];
	struct dirent *de;
	va_list ap;
	DIR *dir;
	int rc;

	vtc_cpuset_clear(out);
	va_start(ap, fmt);
	rc = vpath(fs, path, sizeof(path), fmt, ap);
	va_end(ap);
	memcpy(cur_path, path, sizeof(cur_path));
	if (rc < 0)
		return note(rc);
	dir = opendir(path);
	if (!dir)
		return note(-errno);
	while ((de = readdir(dir))) {
		long id = entry_id(de->d_name, prefix);
		if (id < 0)
			continue;
		if (id >= VTC_CPUSET_MAX) {
			rc = note(-ERANGE);
			break;
		}
		vtc_cpuset_set(out, (int)id);
	}
	closedir(dir);
	return rc;
}

int vtc_sysfs_read_all(const struct vtc_sysfs *fs, size_t max, char **buf, size_t *len,
		       const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int rc;

	*buf = NULL;
	*len = 0;
	va_start(ap, fmt);
	rc = vpath(fs, path, sizeof(path), fmt, ap);
	va_end(ap);
	memcpy(cur_path, path, sizeof(cur_path));
	if (rc == 0)
		rc = vtc_input_read(path, max, buf, len);
	return note(rc);
}
