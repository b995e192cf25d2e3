/* textflow.c - the text report's layout engine (textflow.h): the width of
 * the output, and text flowed into it.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "src/report/textflow.h"

/* Below this the per-vCPU table (63 columns) and the side-by-side groups
 * cannot be laid out; a narrower terminal gets lines this long. */
#define MIN_WIDTH 64
#define MAX_WIDTH 1000

static int parse_columns(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v > 0 && v <= MAX_WIDTH ? (int)v : 0;
}

int vtc_text_width(FILE *out)
{
	struct winsize ws;
	int fd = out ? fileno(out) : -1, w = 0;

	if (fd < 0 || !isatty(fd))
		return VTC_TEXT_WIDTH_DEFAULT;
	/* A pseudo-terminal nobody sized reports 0 columns: then $COLUMNS. */
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		w = ws.ws_col;
	if (w == 0)
		w = parse_columns(getenv("COLUMNS"));
	if (w == 0)
		w = VTC_TEXT_WIDTH_DEFAULT;
	return w < MIN_WIDTH ? MIN_WIDTH : w > MAX_WIDTH ? MAX_WIDTH : w;
}

/* ---- wrapping ------------------------------------------------------------ */

void vtc_flow_newline(struct vtc_flow *f)
{
	fprintf(f->out, "\n%*s", f->indent, "");
	f->col = f->indent;
	f->lines++;
	f->begun = false;
}

bool vtc_flow_breaks_after(char c)
{
	return c == ',' || c == '}' || c == ';';
}

/* One token without spaces, @gap spaces after what came before on the line.
 * A token that fits on a fresh line moves there whole; a longer one (a vCPU
 * order, a cpulist, a list of groups) fills the lines, broken after a comma
 * or a brace so that no number is split. */
void vtc_flow_token(struct vtc_flow *f, const char *tok, size_t len, int gap)
{
	size_t line = (size_t)(f->width - f->indent);

	if (!f->begun)
		gap = 0;
	if (len <= line && f->col + gap + (int)len > f->width) {
		vtc_flow_newline(f);
		gap = 0;
	} else if (len > line && f->col + gap + 8 > f->width) {
		vtc_flow_newline(f);
		gap = 0;
	}
	f->col += fprintf(f->out, "%*s", gap, "");
	while (f->col + (int)len > f->width) {
		size_t room = f->col < f->width ? (size_t)(f->width - f->col) : 1, cut = room;
		while (cut > 0 && !vtc_flow_breaks_after(tok[cut - 1]))
			cut--;
		if (cut == 0)
			cut = room;
		fwrite(tok, 1, cut, f->out);
		tok += cut;
		len -= cut;
		vtc_flow_newline(f);
	}
	fwrite(tok, 1, len, f->out);
	f->col += (int)len;
	f->begun = true;
}

/* Words of @text (split at spaces and newlines) into the flow. */
void vtc_flow_words(struct vtc_flow *f, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t word;
		while (*p == ' ' || *p == '\n')
			p++;
		word = strcspn(p, " \n");
		if (word)
			vtc_flow_token(f, p, word, 1);
		p += word;
	}
}

/* @label then @text, continuation lines at @indent. A paragraph that fits is
 * written as it is (its spacing kept); one that does not is wrapped. */
void vtc_text_para(FILE *out, int width, int indent, const char *label, const char *text)
{
	struct vtc_flow f = {.out = out, .width = width, .indent = indent};

	if ((int)(strlen(label) + strlen(text)) <= width && !strchr(text, '\n')) {
		fprintf(out, "%s%s\n", label, text);
		return;
	}
	/* The text's own leading spaces start its first line, as when it fits:
	 * the words alone would lose them. */
	f.col = fprintf(out, "%s%.*s", label, (int)strspn(text, " "), text);
	vtc_flow_words(&f, text + strspn(text, " "));
	fputc('\n', out);
}

void vtc_text_paraf(FILE *out, int width, int indent, const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	vtc_text_para(out, width, indent, "", text);
	free(text);
}

/* Wrap @text after @label, continuation lines under the text (findings). */
void vtc_text_wrapped(FILE *out, const char *label, const char *text, int width)
{
	struct vtc_flow f = {.out = out, .width = width, .indent = (int)strlen(label)};

	f.col = fprintf(out, "%s", label);
	vtc_flow_words(&f, text);
	fputc('\n', out);
}
