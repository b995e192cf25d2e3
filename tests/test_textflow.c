/* test_textflow.c - the text report's layout engine (src/report/textflow.c):
 * the width of the output (80 on a file or pipe; a terminal's columns,
 * else $COLUMNS, clamped to 64..1000), tokens flowed into it and broken
 * only after a comma, brace or ';', and paragraphs that fit kept as they
 * are.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cmocka.h>

#include "src/report/textflow.h"
#include "tests/testutil.h"

/* ---- the width ----------------------------------------------------------- */

static void test_width_not_a_terminal(void **state)
{
	struct vtc_test_mem m;
	int fd[2];
	FILE *p;
	(void)state;

	assert_int_equal(VTC_TEXT_WIDTH_DEFAULT, 80);
	/* $COLUMNS is for terminals only */
	setenv("COLUMNS", "132", 1);
	assert_int_equal(vtc_text_width(vtc_test_mem_open(&m)), 80);
	free(vtc_test_mem_close(&m));
	assert_int_equal(pipe(fd), 0);
	p = fdopen(fd[1], "w");
	assert_non_null(p);
	assert_int_equal(vtc_text_width(p), 80);
	fclose(p);
	close(fd[0]);
	assert_int_equal(vtc_text_width(NULL), 80);
	unsetenv("COLUMNS");
}

/* The width a terminal of @cols columns gets, with $COLUMNS @env (NULL:
 * unset); -1 when no pseudo-terminal can be had here. */
static int pty_width(int cols, const char *env)
{
	struct winsize ws = {.ws_row = 24, .ws_col = (unsigned short)cols};
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave, w;
	FILE *f;

	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		if (master >= 0)
			close(master);
		return -1;
	}
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0) {
		close(master);
		return -1;
	}
	assert_int_equal(ioctl(slave, TIOCSWINSZ, &ws), 0);
	if (env)
		setenv("COLUMNS", env, 1);
	else
		unsetenv("COLUMNS");
	f = fdopen(slave, "w");
	assert_non_null(f);
	w = vtc_text_width(f);
	fclose(f);
	close(master);
	unsetenv("COLUMNS");
	return w;
}

static void test_width_terminal(void **state)
{
	(void)state;
	if (pty_width(100, NULL) < 0)
		skip(); /* no /dev/ptmx in this sandbox */
	assert_int_equal(pty_width(100, NULL), 100);
	assert_int_equal(pty_width(100, "132"), 100); /* the terminal's own size first */
	assert_int_equal(pty_width(40, NULL), 64);    /* at least 64 */
	assert_int_equal(pty_width(64, NULL), 64);
	assert_int_equal(pty_width(5000, NULL), 1000); /* at most 1000 */
	/* a pseudo-terminal nobody sized: $COLUMNS, when it is a number */
	assert_int_equal(pty_width(0, "132"), 132);
	assert_int_equal(pty_width(0, "20"), 64);
	assert_int_equal(pty_width(0, NULL), 80);
	assert_int_equal(pty_width(0, ""), 80);
	assert_int_equal(pty_width(0, "12x"), 80);
	assert_int_equal(pty_width(0, "-90"), 80);
	assert_int_equal(pty_width(0, "1001"), 80);
	assert_int_equal(pty_width(0, "1000"), 1000);
}

/* ---- tokens ---------------------------------------------------------------- */

static void test_breaks_after(void **state)
{
	(void)state;
	assert_true(vtc_flow_breaks_after(','));
	assert_true(vtc_flow_breaks_after('}'));
	assert_true(vtc_flow_breaks_after(';'));
	assert_false(vtc_flow_breaks_after('{'));
	assert_false(vtc_flow_breaks_after('-'));
	assert_false(vtc_flow_breaks_after('7'));
	assert_false(vtc_flow_breaks_after(' '));
}

/* Tokens with their gap while they fit; the one that does not moves whole
 * to a continuation line at the indent, without its gap. */
static void test_token_moves_whole(void **state)
{
	struct vtc_test_mem m;
	struct vtc_flow f = {.width = 20, .indent = 4};
	char *out;
	(void)state;

	f.out = vtc_test_mem_open(&m);
	f.col = fprintf(f.out, "ab:");
	vtc_flow_token(&f, "one", 3, 1);   /* the first token: no gap */
	vtc_flow_token(&f, "two", 3, 2);
	vtc_flow_token(&f, "three", 5, 1); /* col 11 + 1 + 5 = 17 */
	vtc_flow_token(&f, "four", 4, 1);  /* 17 + 1 + 4 = 22 > 20 */
	vtc_flow_token(&f, "fiv", 3, 1);
	assert_int_equal(f.lines, 1);
	assert_int_equal(f.col, 4 + 4 + 1 + 3);
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "ab:one  two three\n    four fiv");
	free(out);
}

/* A token exactly reaching the width stays on the line. */
static void test_token_exact_fit(void **state)
{
	struct vtc_test_mem m;
	struct vtc_flow f = {.width = 10, .indent = 0};
	char *out;
	(void)state;

	f.out = vtc_test_mem_open(&m);
	vtc_flow_token(&f, "12345", 5, 1);
	vtc_flow_token(&f, "6789", 4, 1); /* 5 + 1 + 4 = 10 */
	vtc_flow_token(&f, "x", 1, 1);
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "12345 6789\nx");
	free(out);
}

/* A token longer than a line fills the lines, broken after a comma or a
 * brace so that no number is split; each piece fits the width. */
static void test_token_long_list(void **state)
{
	static const char list[] = "{0,16}{1,17}{2,18}{3,19}{4,20}";
	struct vtc_test_mem m;
	struct vtc_flow f = {.width = 16, .indent = 2};
	char *out;
	(void)state;

	f.out = vtc_test_mem_open(&m);
	f.col = fprintf(f.out, "g:");
	vtc_flow_token(&f, list, strlen(list), 1);
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "g:{0,16}{1,17}\n  {2,18}{3,19}\n  {4,20}");
	free(out);

	/* nowhere to break: cut at the width */
	f = (struct vtc_flow){.width = 10, .indent = 0};
	f.out = vtc_test_mem_open(&m);
	vtc_flow_token(&f, "0123456789abcde", 15, 0);
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "0123456789\nabcde");
	free(out);
}

/* A long token that would start with fewer than 8 columns left starts on a
 * fresh line instead. */
static void test_token_long_starts_fresh(void **state)
{
	static const char list[] = "1,2,3,4,5,6,7,8,9,10";
	struct vtc_test_mem m;
	struct vtc_flow f = {.width = 16, .indent = 0};
	char *out;
	(void)state;

	f.out = vtc_test_mem_open(&m);
	f.col = fprintf(f.out, "label:  ");      /* col 8: 8 + 1 + 8 > 16 */
	f.begun = true;
	vtc_flow_token(&f, list, strlen(list), 1);
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "label:  \n1,2,3,4,5,6,7,8,\n9,10");
	free(out);
}

/* ---- paragraphs ------------------------------------------------------------ */

/* A paragraph that fits is written as it is, spacing kept. */
static void test_para_fits(void **state)
{
	struct vtc_test_mem m;
	char *out;
	(void)state;

	vtc_text_para(vtc_test_mem_open(&m), 20, 2, "L: ", "a  b   c");
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "L: a  b   c\n");
	free(out);
	/* 20 columns exactly still fits: its two spaces are kept */
	vtc_text_para(vtc_test_mem_open(&m), 20, 2, "L: ", "aaaaaaa  bbbbbbbb");
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "L: aaaaaaa  bbbbbbbb\n");
	free(out);
}

/* One that does not is wrapped at spaces, continuation lines at @indent,
 * runs of spaces and newlines collapsed. */
static void test_para_wraps(void **state)
{
	struct vtc_test_mem m;
	char *out;
	(void)state;

	vtc_text_para(vtc_test_mem_open(&m), 20, 3, "Label: ", "alpha beta gamma delta\nepsilon");
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "Label: alpha beta\n   gamma delta\n   epsilon\n");
	free(out);
	/* a newline in the text always reflows, even when it is short */
	vtc_text_para(vtc_test_mem_open(&m), 20, 1, "", "a\nb");
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "a b\n");
	free(out);
	/* the text's leading spaces start its first line, wrapped or not */
	vtc_text_para(vtc_test_mem_open(&m), 20, 3, "", "  (alpha beta gamma delta)");
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "  (alpha beta gamma\n   delta)\n");
	free(out);
}

static void test_paraf(void **state)
{
	struct vtc_test_mem m;
	char *out;
	(void)state;

	vtc_text_paraf(vtc_test_mem_open(&m), 20, 2, "%d vCPUs, %s", 4, "one two three four");
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "4 vCPUs, one two\n  three four\n");
	free(out);
}

/* Continuation lines under the text, after the label. */
static void test_wrapped(void **state)
{
	struct vtc_test_mem m;
	char *out;
	(void)state;

	vtc_text_wrapped(vtc_test_mem_open(&m), "  fix: ", "aa bb cc dd ee", 16);
	out = vtc_test_mem_close(&m);
	assert_string_equal(out, "  fix: aa bb cc\n       dd ee\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_not_a_terminal),
		cmocka_unit_test(test_width_terminal),
		cmocka_unit_test(test_breaks_after),
		cmocka_unit_test(test_token_moves_whole),
		cmocka_unit_test(test_token_exact_fit),
		cmocka_unit_test(test_token_long_list),
		cmocka_unit_test(test_token_long_starts_fresh),
		cmocka_unit_test(test_para_fits),
		cmocka_unit_test(test_para_wraps),
		cmocka_unit_test(test_paraf),
		cmocka_unit_test(test_wrapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
