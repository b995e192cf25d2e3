/* output.c - output paths: what each kind of path means, checked up front;
 * regular files written by temp file + fsync + rename.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/report/output.h"
#include "src/stop.h"

/* Raised before the write began: an interrupted run still writes its
 * (complete, UNKNOWN) report, unless that takes past VTC_STOP_WRITE_GRACE_S
 * after the signal. Raised during it: the write is abandoned. Either way an
 * abandoned output is left untouched. */
static bool g_stop_at_start;

static bool stopped(void)
{
	return vtc_stop_requested() &&
	       (!g_stop_at_start || vtc_stop_age_s() > VTC_STOP_WRITE_GRACE_S);
}

bool vtc_output_is_stdout(const char *path)
{
	struct stat a, b;

	if (!path)
		return false;
	if (strcmp(path, "-") == 0)
		return true;
	/* /dev/stdout, /dev/fd/1, or the file a shell redirected stdout to. */
	return stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* @dir/@base with @dir made absolute and free of links; NULL on error
 * (errno set). */
static char *join_real(const char *dir, const char *base)
{
	char *rdir = realpath(dir, NULL), *out;
	size_t n;

	if (!rdir)
		return NULL;
	n = strlen(rdir) + strlen(base) + 2;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, base);
	free(rdir);
	return out;
}

/* True for a path in /dev (resolved) that is not /dev/shm's tmpfs. A name
 * missing there is a typo or a device that is not there (--json /dev/sdz);
 * a regular file created in its place fills devtmpfs (RAM) and hides the
 * mistake. */
static bool in_dev(const char *real)
{
	return strncmp(real, "/dev/", 5) == 0 && strncmp(real, "/dev/shm/", 9) != 0;
}

/* The resolved path of a file that does not exist yet: its directory
 * resolved, its own name kept. */
static int resolve_new(const char *path, struct vtc_output_target *t)
{
	char *c1 = strdup(path), *c2 = strdup(path);
	int rc = 0;

	if (!c1 || !c2) {
		rc = -ENOMEM;
	} else {
		const char *dir = dirname(c1), *base = basename(c2);
		struct stat st;
		if (stat(dir, &st) != 0)
			rc = -errno;
		else if (!S_ISDIR(st.st_mode))
			rc = -ENOTDIR;
		else if (!(t->real = join_real(dir, base)))
			rc = -errno;
	}
	if (!rc && in_dev(t->real)) {
		free(t->real);
		t->real = NULL;
		rc = -ENODEV;
	}
	free(c1);
	free(c2);
	return rc;
}

int vtc_output_resolve(const char *path, struct vtc_output_target *t)
{
	struct stat st, lst;

	memset(t, 0, sizeof(*t));
	if (!path || !*path)
		return -EINVAL;
	if (vtc_output_is_stdout(path)) {
		t->kind = VTC_OUT_STDOUT;
		return 0;
	}
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return -errno;
		/* A dangling link: "> path" would create a file somewhere the
		 * link points, which is rarely what was meant. */
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			return -ENOLINK;
		t->kind = VTC_OUT_FILE;
		return resolve_new(path, t);
	}
	t->exists = true;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->mode = st.st_mode & 07777;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
		t->kind = VTC_OUT_STREAM;
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return -ENOTSUP; /* block device, socket: never overwrite */
	t->kind = VTC_OUT_FILE;
	/* A link to a regular file is refused: replacing it destroys the link,
	 * writing through it lets whoever planted it (a run as root, a shared
	 * directory) choose which file is overwritten. */
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
		return -ELOOP;
	if (!(t->real = realpath(path, NULL)))
		return -errno;
	return 0;
}

void vtc_output_target_free(struct vtc_output_target *t)
{
	free(t->real);
	t->real = NULL;
}

int vtc_output_path_check(const char *path)
{
	struct vtc_output_target t;
	char *copy;
	int rc;

	if ((rc = vtc_output_resolve(path, &t)))
		return rc;
	if (t.kind == VTC_OUT_FILE && (copy = strdup(t.real))) {
		if (access(dirname(copy), W_OK | X_OK) != 0)
			rc = -errno;
		free(copy);
	} else if (t.kind == VTC_OUT_FILE) {
		rc = -ENOMEM;
	} else if (t.kind == VTC_OUT_STREAM && access(path, W_OK) != 0) {
		rc = -errno;
	}
	vtc_output_target_free(&t);
	return rc;
}

/* Two targets are the same file by inode when both exist, else by path. */
static bool same_target(const struct vtc_output_target *a, const struct vtc_output_target *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == VTC_OUT_STDOUT)
		return true;
	if (a->exists && b->exists)
		return a->dev == b->dev && a->ino == b->ino;
	return a->real && b->real && strcmp(a->real, b->real) == 0;
}

int vtc_output_check_distinct(const char *const *outs, size_t nout, const char *const *ins,
			      size_t nin, size_t *bad, size_t *other)
{
	struct vtc_output_target t[8];
	size_t n = nout + nin, i, j;
	int rc = 0;

	if (n > 8)
		return -E2BIG;
	for (i = 0; i < n; i++) {
		const char *p = i < nout ? outs[i] : ins[i - nout];
		struct stat st;
		memset(&t[i], 0, sizeof(t[i]));
		if (!p)
			continue;
		if (i >= nout) { /* an input: only its inode matters */
			if (stat(p, &st) == 0) {
				t[i].kind = S_ISREG(st.st_mode) ? VTC_OUT_FILE : VTC_OUT_STREAM;
				t[i].exists = true;
				t[i].dev = st.st_dev;
				t[i].ino = st.st_ino;
			}
			continue;
		}
		vtc_output_resolve(p, &t[i]);
	}
	for (i = 0; i < nout && !rc; i++)
		for (j = i + 1; j < n && !rc; j++) {
			bool need = outs[i] && (j < nout ? outs[j] : ins[j - nout]);
			/* /dev/null may take several outputs; stdout may not. */
			bool shared_dev = j < nout && t[i].kind == VTC_OUT_STREAM;
			if (need && !shared_dev && same_target(&t[i], &t[j])) {
				*bad = i;
				*other = j;
				rc = -EEXIST;
			}
		}
	for (i = 0; i < n; i++)
		vtc_output_target_free(&t[i]);
	return rc;
}

/* ---- writing ------------------------------------------------------------ */

/* stdio forgets why a buffered write failed (a full disk became EIO): the
 * stream writes through this cookie, which keeps the first errno. */
struct sink {
	int fd;
	int err;
};

static ssize_t sink_write(void *c, const char *buf, size_t len)
{
	struct sink *s = c;
	size_t done = 0;

	/* A regular file's write() is rarely interrupted (EINTR comes only
	 * while it blocks): poll the flag before each chunk too, so a stop
	 * during a long report abandons it within one stdio buffer. */
	if (stopped() && !s->err)
		s->err = EINTR;
	if (s->err)
		return -1;
	while (done < len) {
		ssize_t w = write(s->fd, buf + done, len - done);
		if (w < 0 && errno == EINTR && !stopped())
			continue;
		if (w <= 0) {
			if (!s->err)
				s->err = w < 0 ? errno : ENOSPC;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)len;
}

/* The writer into @fd, flushed; the sink's errno when a write failed. */
static int write_fd(int fd, vtc_writer_fn writer, void *arg)
{
	static const cookie_io_functions_t io = {.write = sink_write};
	struct sink s = {fd, 0};
	FILE *f = fopencookie(&s, "w", io);
	int rc;

	if (!f)
		return -errno;
	rc = writer(f, arg);
	/* a writer that saw the stream fail says EIO; the sink knows why */
	if (rc == -EIO && s.err)
		rc = -s.err;
	errno = 0;
	if (fflush(f) != 0 || ferror(f))
		rc = rc ? rc : s.err ? -s.err : errno ? -errno : -EIO;
	fclose(f);
	/* The writer sees a stop as a stream error (-EIO): say what it was. */
	if (s.err == EINTR)
		rc = -EINTR;
	if (!rc && s.err)
		rc = -s.err;
	if (!rc && stopped())
		rc = -EINTR;
	return rc;
}

/* Temporary names carry our pid, so a later run can tell the leftovers of a
 * killed run (pid gone) from those of one still writing. */
static char *temp_name(const char *real, const char *dir, const char *base, pid_t pid)
{
	size_t n = strlen(real) + 48;
	char *tmp = malloc(n);

	if (tmp)
		snprintf(tmp, n, "%s/.%s.%ld.vtctmp", strcmp(dir, "/") ? dir : "", base,
			 (long)pid);
	return tmp;
}

/* Remove ".<base>.<pid>.vtctmp" files in @dir whose process is gone: what
 * a SIGKILL during an earlier write left behind. */
static void clean_stale(const char *dir, const char *base)
{
	size_t blen = strlen(base);
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		char *end, path[PATH_MAX];
		long pid;
		if (n[0] != '.' || strncmp(n + 1, base, blen) || n[1 + blen] != '.')
			continue;
		pid = strtol(n + 2 + blen, &end, 10);
		if (pid <= 0 || strcmp(end, ".vtctmp") != 0)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, n) < (int)sizeof(path))
			unlink(path);
	}
	closedir(d);
}

/* Mode of a new file: 0666 less the umask, as "> path" would make it; an
 * existing file keeps its mode. */
static mode_t new_mode(const struct vtc_output_target *t)
{
	mode_t um;

	if (t->exists)
		return t->mode;
	um = umask(0);
	umask(um);
	return 0666 & ~um;
}

/* Write, flush, fsync, rename: a collector reading right after the rename,
 * or a crash after it, sees the whole file or the old one. */
static int write_file(const struct vtc_output_target *t, vtc_writer_fn writer, void *arg)
{
	char *c1 = strdup(t->real), *c2 = strdup(t->real), *tmp = NULL;
	int fd = -1, rc = -ENOMEM;

	if (!c1 || !c2)
		goto out;
	const char *dir = dirname(c1), *base = basename(c2);
	clean_stale(dir, base);
	if (!(tmp = temp_name(t->real, dir, base, getpid())))
		goto out;
	unlink(tmp); /* ours from a pid recycled: stale by definition */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		rc = -errno;
		goto out;
	}
	rc = write_fd(fd, writer, arg);
	if (!rc && fchmod(fd, new_mode(t)) != 0)
		rc = -errno;
	if (!rc && fsync(fd) != 0)
		rc = -errno;
	if (close(fd) != 0 && !rc)
		rc = -errno;
	if (!rc && stopped())
		rc = -EINTR;
	if (!rc && rename(tmp, t->real) != 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
out:
	free(tmp);
	free(c1);
	free(c2);
	return rc;
}

/* A terminal, /dev/null or a pipe: written in place, like "> path". */
static int write_stream(const char *path, vtc_writer_fn writer, void *arg)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = write_fd(fd, writer, arg);
	if (close(fd) != 0 && !rc)
		rc = -errno;
	return rc;
}

int vtc_output_write_atomic(const char *path, vtc_writer_fn writer, void *arg)
{
	struct vtc_output_target t;
	int rc;

	if (!path || !writer)
		return -EINVAL;
	if ((rc = vtc_output_resolve(path, &t)))
		return rc;
	g_stop_at_start = vtc_stop_requested();
	if (t.kind == VTC_OUT_STDOUT) {
		if (fflush(stdout) != 0)
			rc = -errno;
		else
			rc = write_fd(STDOUT_FILENO, writer, arg);
	} else if (t.kind == VTC_OUT_STREAM) {
		rc = write_stream(path, writer, arg);
	} else {
		rc = write_file(&t, writer, arg);
	}
	vtc_output_target_free(&t);
	return rc;
}

const char *vtc_output_strerror(int rc)
{
	switch (rc) {
	case -ENOLINK:
		return "a symbolic link to nothing";
	case -ELOOP:
		return "a symbolic link to a file; give the file itself";
	case -ENOTSUP:
		return "not a regular file, terminal, pipe or character device";
	case -EEXIST:
		return "the same file as another input or output";
	case -ENODEV:
		return "no such device; a new regular file is never created in /dev";
	default:
		return strerror(-rc);
	}
}
