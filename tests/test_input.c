/* test_input.c - the one bounded reader of input files (src/input.h):
 * regular files only, each kind with its bound, allocation failure and
 * the stop flag as errors, never as the end of the file.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/testutil.h"
#include "src/advertised/platform_sysfs.h"
#include "src/input.h"
#include "src/stop.h"

/* ---- failure injection for allocation (linked with --wrap) --------------- */

void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

/* Non-zero: a request of this many bytes or more fails. By size, not by
 * count: a sanitizer runtime's own calls pass through the wrap too. Both
 * functions: clang turns realloc(NULL, n) into malloc(n). */
static size_t alloc_fail_from;

void *__wrap_malloc(size_t n)
{
	if (alloc_fail_from && n >= alloc_fail_from)
		return NULL;
	return __real_malloc(n);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (alloc_fail_from && n >= alloc_fail_from)
		return NULL;
	return __real_realloc(p, n);
}

/* ---- helpers ------------------------------------------------------------- */

struct tmp { char dir[256]; };

static int tmp_setup(void **state)
{
	static struct tmp tmp;

	if ((size_t)snprintf(tmp.dir, sizeof(tmp.dir), "%s/vtc-input-XXXXXX",
			     vtc_test_scratch_dir()) >= sizeof(tmp.dir) || !mkdtemp(tmp.dir))
		return -1;
	*state = &tmp;
	/* a reader that waits on a FIFO fails here instead of hanging */
	alarm(30);
	return 0;
}

static int tmp_teardown(void **state)
{
	char cmd[300];

	alarm(0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ((struct tmp *)*state)->dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *in(const struct tmp *t, const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	return path;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every entry point on @path gives @want. */
static void assert_all_refuse(const char *path, int want)
{
	char *buf = (char *)"untouched", small[64];
	size_t len = 7;
	FILE *f = (FILE *)small;

	assert_int_equal(vtc_input_read(path, VTC_INPUT_PROC_MAX, &buf, &len), want);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_int_equal(vtc_input_read_buf(path, small, sizeof(small), &len), want);
	assert_string_equal(small, "");
	assert_int_equal(vtc_input_open(path, VTC_INPUT_REPORT_MAX, &f), want);
	assert_null(f);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_regular(void **state)
{
	struct tmp *t = *state;
	char *buf, small[8];
	size_t len;
	FILE *f;

	write_text(in(t, "a"), "0-3\n");
	assert_int_equal(vtc_input_read(in(t, "a"), VTC_INPUT_ATTR_MAX, &buf, &len), 0);
	assert_int_equal(len, 4);
	assert_string_equal(buf, "0-3\n");
	free(buf);
	assert_int_equal(vtc_input_read_buf(in(t, "a"), small, sizeof(small), &len), 0);
	assert_int_equal(len, 4);
	assert_string_equal(small, "0-3\n");
	assert_int_equal(vtc_input_open(in(t, "a"), 4, &f), 0);
	assert_int_equal(fgetc(f), '0');
	fclose(f);
	/* exactly the bound is read; one byte more is refused, not cut short */
	write_text(in(t, "b"), "0123456");
	assert_int_equal(vtc_input_read_buf(in(t, "b"), small, sizeof(small), &len), 0);
	assert_int_equal(vtc_input_read(in(t, "b"), 7, &buf, &len), 0);
	free(buf);
	write_text(in(t, "b"), "01234567");
	assert_int_equal(vtc_input_read_buf(in(t, "b"), small, sizeof(small), &len), -EFBIG);
	assert_string_equal(small, "");
	assert_int_equal(vtc_input_read(in(t, "b"), 7, &buf, &len), -EFBIG);
	assert_null(buf);
	/* a link to a regular file is that file; an empty file is empty */
	assert_int_equal(symlink("a", in(t, "link")), 0);
	assert_int_equal(vtc_input_read_buf(in(t, "link"), small, sizeof(small), &len), 0);
	assert_string_equal(small, "0-3\n");
	write_text(in(t, "empty"), "");
	assert_int_equal(vtc_input_read(in(t, "empty"), 4, &buf, &len), 0);
	assert_int_equal(len, 0);
	free(buf);
	assert_all_refuse(in(t, "missing"), -ENOENT);
	assert_int_equal(vtc_input_read_buf(in(t, "a"), small, 0, &len), -EINVAL);
}

/* A FIFO used to block open() forever (no writer) or be read without end
 * (a writer that never stops): refused at once, as not a regular file. */
static void test_fifo(void **state)
{
	struct tmp *t = *state;
	double t0 = now_s();

	assert_int_equal(mkfifo(in(t, "fifo"), 0600), 0);
	assert_all_refuse(in(t, "fifo"), -VTC_INPUT_ENOTREG);
	assert_true(now_s() - t0 < 1.0);
}

/* /dev/zero (24 GB read before the OOM killer came), /dev/urandom (spun
 * forever), /dev/null (read as empty), directly or through a link:
 * character devices are refused before they are read. */
static void test_devices(void **state)
{
	static const char *const devs[] = { "/dev/zero", "/dev/urandom", "/dev/null" };
	struct tmp *t = *state;
	double t0 = now_s();

	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "link%zu", i);
		assert_int_equal(symlink(devs[i], in(t, name)), 0);
		assert_all_refuse(devs[i], -VTC_INPUT_ENOTREG);
		assert_all_refuse(in(t, name), -VTC_INPUT_ENOTREG);
	}
	assert_true(now_s() - t0 < 1.0);
}

/* A directory where a file is expected ("pu1" read as Input/output error). */
static void test_directory(void **state)
{
	struct tmp *t = *state;

	assert_int_equal(mkdir(in(t, "pu1"), 0700), 0);
	assert_all_refuse(in(t, "pu1"), -EISDIR);
	assert_string_equal(vtc_input_strerror(-EISDIR), "a directory, not a regular file");
	assert_string_equal(vtc_input_strerror(-VTC_INPUT_ENOTREG), "not a regular file");
}

/* Over the bound: a regular file is refused by its size without being
 * read (sparse, so the test writes nothing); a procfs file says size 0
 * and is refused while it is read. */
static void test_oversize(void **state)
{
	struct tmp *t = *state;
	char *buf, small[16];
	size_t len;
	double t0 = now_s();
	FILE *f = fopen(in(t, "huge"), "w");

	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)1 << 40), 0); /* 1 TiB, sparse */
	fclose(f);
	assert_int_equal(vtc_input_read(in(t, "huge"), VTC_INPUT_PROC_MAX, &buf, &len), -EFBIG);
	assert_int_equal(vtc_input_open(in(t, "huge"), VTC_INPUT_REPORT_MAX, &f), -EFBIG);
	assert_int_equal(vtc_input_read_buf(in(t, "huge"), small, sizeof(small), &len), -EFBIG);
	assert_true(now_s() - t0 < 1.0);
	assert_int_equal(vtc_input_read("/proc/self/status", 16, &buf, &len), -EFBIG);
	assert_int_equal(vtc_input_read_buf("/proc/self/status", small, sizeof(small), &len),
			 -EFBIG);
	assert_int_equal(vtc_input_read("/proc/self/status", VTC_INPUT_PROC_MAX, &buf, &len), 0);
	assert_true(len > 16 && strncmp(buf, "Name:", 5) == 0);
	free(buf);
}

/* Allocation failure is -ENOMEM, first buffer or growth: cpuinfo's reader
 * took it for the end of the file (prlimit --as=2G with /dev/zero: OK). */
static void test_no_memory(void **state)
{
	struct tmp *t = *state;
	char *buf, *big = malloc(200001);
	struct vtc_platform p;
	struct vtc_sysfs fs;
	size_t len;

	assert_non_null(big);
	memset(big, 'x', 200000);
	big[200000] = '\0';
	write_text(in(t, "big"), big);
	free(big);
	/* the first buffer (64 KiB + its NUL), then each growth */
	for (size_t from = (64u << 10) + 1; from <= (256u << 10) + 1; from = 2 * from - 1) {
		alloc_fail_from = from;
		assert_int_equal(vtc_input_read(in(t, "big"), VTC_INPUT_PROC_MAX, &buf, &len),
				 -ENOMEM);
		assert_null(buf);
	}
	alloc_fail_from = 0;
	assert_int_equal(vtc_input_read(in(t, "big"), VTC_INPUT_PROC_MAX, &buf, &len), 0);
	assert_int_equal(len, 200000);
	free(buf);
	/* through the sysroot reader: the platform facts fail, not "no cpuinfo" */
	assert_int_equal(mkdir(in(t, "proc"), 0700), 0);
	write_text(in(t, "proc/cpuinfo"), "vendor_id : GenuineIntel\n");
	assert_int_equal(vtc_sysfs_init(&fs, t->dir), 0);
	memset(&p, 0, sizeof(p));
	alloc_fail_from = (64u << 10) + 1;
	assert_int_equal(vtc_platform_read_sysfs(&fs, &p), -ENOMEM);
	alloc_fail_from = 0;
	assert_int_equal(vtc_platform_read_sysfs(&fs, &p), 0);
	assert_string_equal(p.cpu_vendor, "GenuineIntel");
}

/* SIGINT/SIGTERM (the stop flag) ends a read with -EINTR. */
static void test_stop(void **state)
{
	struct tmp *t = *state;
	static volatile int flag;
	char *buf;
	size_t len;

	write_text(in(t, "a"), "0-3\n");
	vtc_stop_set(&flag);
	flag = 1;
	assert_int_equal(vtc_input_read(in(t, "a"), 16, &buf, &len), -EINTR);
	assert_null(buf);
	flag = 0;
	assert_int_equal(vtc_input_read(in(t, "a"), 16, &buf, &len), 0);
	free(buf);
	vtc_stop_set(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_regular, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_fifo, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_devices, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_directory, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_oversize, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_no_memory, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_stop, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
