/* test_output.c - what each kind of output path means (src/report/output.c):
 * regular file, link, device, stdout, collisions, leftovers, errors.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/report/output.h"
#include "src/stop.h"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vtc-out-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int write_text(FILE *f, void *arg)
{
	fputs(arg, f);
	return 0;
}

static char *at(const char *name)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

static void slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	buf[fread(buf, 1, n - 1, f)] = '\0';
	fclose(f);
}

/* A new file respects the umask; an existing one keeps its mode. */
static void test_mode(void **state)
{
	struct stat st;
	mode_t old = umask(027);
	(void)state;

	assert_int_equal(vtc_output_write_atomic(at("m.json"), write_text, "x"), 0);
	assert_int_equal(stat(at("m.json"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(chmod(at("m.json"), 0604), 0);
	assert_int_equal(vtc_output_write_atomic(at("m.json"), write_text, "y"), 0);
	assert_int_equal(stat(at("m.json"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0604);
	umask(old);
}

/* A link to a file is refused and both stay as they were; so is a
 * dangling link, a directory, an empty path. */
static void test_link(void **state)
{
	char buf[16];
	struct stat st;
	(void)state;

	assert_int_equal(vtc_output_write_atomic(at("target"), write_text, "old"), 0);
	assert_int_equal(symlink("target", at("link")), 0);
	assert_int_equal(vtc_output_path_check(at("link")), -ELOOP);
	assert_int_equal(vtc_output_write_atomic(at("link"), write_text, "new"), -ELOOP);
	assert_int_equal(lstat(at("link"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	slurp(at("target"), buf, sizeof(buf));
	assert_string_equal(buf, "old");
	assert_int_equal(symlink("nowhere", at("dangling")), 0);
	assert_int_equal(vtc_output_path_check(at("dangling")), -ENOLINK);
	assert_int_equal(vtc_output_write_atomic(at("dangling"), write_text, "x"), -ENOLINK);
	assert_int_equal(vtc_output_path_check(tmpdir), -EISDIR);
	assert_int_equal(vtc_output_path_check(""), -EINVAL);
	/* A link to a device is written in place. */
	assert_int_equal(symlink("/dev/null", at("null")), 0);
	assert_int_equal(vtc_output_write_atomic(at("null"), write_text, "x"), 0);
	assert_int_equal(lstat(at("null"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

/* Devices are written in place and stay devices; a full one says so. */
static void test_devices(void **state)
{
	struct stat st;
	(void)state;

	if (stat("/dev/null", &st) != 0 || !S_ISCHR(st.st_mode))
		skip();
	assert_int_equal(vtc_output_path_check("/dev/null"), 0);
	assert_int_equal(vtc_output_write_atomic("/dev/null", write_text, "x"), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	if (access("/dev/full", W_OK) == 0)
		assert_int_equal(vtc_output_write_atomic("/dev/full", write_text, "x"), -ENOSPC);
}

/* A FIFO is opened and written, not replaced by a file. */
static void test_fifo(void **state)
{
	char buf[16] = "";
	struct stat st;
	int fd;
	(void)state;

	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	fd = open(at("fifo"), O_RDONLY | O_NONBLOCK); /* a reader, so open() won't block */
	assert_true(fd >= 0);
	assert_int_equal(vtc_output_write_atomic(at("fifo"), write_text, "piped"), 0);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 5);
	close(fd);
	assert_string_equal(buf, "piped");
	assert_int_equal(stat(at("fifo"), &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
}

/* Outputs may not share a file, nor be an input; /dev/null may be shared. */
static void test_distinct(void **state)
{
	const char *outs[3], *ins[2] = {NULL, NULL};
	size_t bad = 9, other = 9;
	char rel[256];
	(void)state;

	assert_int_equal(vtc_output_write_atomic(at("in.json"), write_text, "{}"), 0);
	outs[0] = at("a.json");
	snprintf(rel, sizeof(rel), "%s/./a.json", tmpdir);
	outs[1] = rel;
	outs[2] = NULL;
	assert_int_equal(vtc_output_check_distinct(outs, 3, ins, 2, &bad, &other), -EEXIST);
	assert_int_equal(bad, 0);
	assert_int_equal(other, 1);
	outs[1] = at("b.svg");
	assert_int_equal(vtc_output_check_distinct(outs, 3, ins, 2, &bad, &other), 0);
	ins[0] = at("in.json");
	outs[2] = at("in.json");
	assert_int_equal(vtc_output_check_distinct(outs, 3, ins, 2, &bad, &other), -EEXIST);
	assert_int_equal(bad, 2);
	assert_int_equal(other, 3);
	assert_int_equal(link(at("in.json"), at("hard.json")), 0);
	outs[2] = at("hard.json");
	assert_int_equal(vtc_output_check_distinct(outs, 3, ins, 2, &bad, &other), -EEXIST);
	outs[0] = outs[1] = "/dev/null";
	outs[2] = NULL;
	assert_int_equal(vtc_output_check_distinct(outs, 3, ins, 2, &bad, &other), 0);
	outs[0] = outs[1] = "-";
	assert_int_equal(vtc_output_check_distinct(outs, 3, ins, 2, &bad, &other), -EEXIST);
}

/* A SIGKILLed run's temporary is removed by the next write there; one of
 * a live process is not. */
static void test_stale_temp(void **state)
{
	char dead[256], live[256];
	pid_t pid = fork();
	int st;
	(void)state;

	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	snprintf(dead, sizeof(dead), "%s/.s.prom.%ld.vtctmp", tmpdir, (long)pid);
	snprintf(live, sizeof(live), "%s/.s.prom.%ld.vtctmp", tmpdir, (long)getppid());
	fclose(fopen(dead, "w"));
	fclose(fopen(live, "w"));
	assert_int_equal(vtc_output_write_atomic(at("s.prom"), write_text, "m 1\n"), 0);
	assert_int_equal(access(dead, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
}

static volatile int g_flag;

static int write_then_stop(FILE *f, void *arg)
{
	fputs(arg, f);
	g_flag = 1; /* SIGTERM arrives mid-write */
	return 0;
}

/* A stop flag raised during a write puts nothing in place; one raised
 * before it (an interrupted run writing its report) does not stop it. */
static void test_stop(void **state)
{
	char buf[16];
	(void)state;

	assert_int_equal(vtc_output_write_atomic(at("k.json"), write_text, "old"), 0);
	vtc_stop_set(&g_flag);
	g_flag = 0;
	assert_int_equal(vtc_output_write_atomic(at("k.json"), write_then_stop, "new"), -EINTR);
	slurp(at("k.json"), buf, sizeof(buf));
	assert_string_equal(buf, "old");
	assert_int_equal(vtc_output_write_atomic(at("k.json"), write_text, "late"), 0);
	slurp(at("k.json"), buf, sizeof(buf));
	assert_string_equal(buf, "late");
	vtc_stop_set(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_distinct),
		cmocka_unit_test(test_stale_temp),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests_name("output", tests, setup, teardown);
}
