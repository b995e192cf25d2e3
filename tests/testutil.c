/* testutil.c - helpers shared by the cmocka tests (testutil.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/testutil.h"

const char *vtc_test_srcdir(void)
{
	const char *s = getenv("VTC_SRCDIR");
	return s && *s ? s : ".";
}

const char *vtc_test_corpus(void)
{
	const char *c = getenv("VTC_CORPUS");
	struct stat st;

	if (!c || !*c || stat(c, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return c;
}

const char *vtc_test_scratch_dir(void)
{
	const char *t = getenv("TMPDIR");

	if (t && *t)
		return t;
	return access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
}

char *vtc_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

int vtc_test_unpack(const char *archive, bool strict, struct vtc_test_unpacked *u)
{
	char cmd[2 * PATH_MAX];
	struct dirent *de;
	DIR *d;
	int found = 0;

	u->root[0] = '\0';
	if ((size_t)snprintf(u->dir, sizeof(u->dir), "%s/vtc-test-XXXXXX",
			     vtc_test_scratch_dir()) >= sizeof(u->dir))
		return -ENAMETOOLONG;
	if (!mkdtemp(u->dir))
		return -errno;
	/* device files and ownership of the recording are irrelevant here */
	snprintf(cmd, sizeof(cmd), "tar -xf '%s' -C '%s' --no-same-owner 2>/dev/null",
		 archive, u->dir);
	if (system(cmd) != 0) {
		if (strict)
			return -EIO;
		print_message("tar reported problems unpacking %s (continuing)\n", archive);
	}
	if (!(d = opendir(u->dir)))
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(u->root, sizeof(u->root), "%s/%s", u->dir, de->d_name);
		found++;
	}
	closedir(d);
	return found == 1 ? 0 : -EINVAL;
}

void vtc_test_unpacked_free(struct vtc_test_unpacked *u)
{
	char cmd[2 * PATH_MAX + 64];

	if (!u->dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwX '%s' 2>/dev/null; rm -rf '%s'", u->dir, u->dir);
	if (system(cmd) != 0)
		print_message("could not remove %s\n", u->dir);
	u->dir[0] = '\0';
}

FILE *vtc_test_mem_open(struct vtc_test_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->f = open_memstream(&m->text, &m->size);
	assert_non_null(m->f);
	return m->f;
}

char *vtc_test_mem_close(struct vtc_test_mem *m)
{
	assert_int_equal(fclose(m->f), 0);
	return m->text;
}
