/* textflow.h - the text report's layout engine: how wide the output is,
 * and text flowed into that width.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every line fits the width of the stream it goes to (vtc_text_width): a
 * terminal's columns, or 80 when the output is a file or a pipe, so that
 * mail, logs and CI pages keep the report readable. Long texts wrap at
 * spaces; cpulists and group lists, which have none, break after a comma or
 * a closing brace. */
#ifndef VTC_TEXTFLOW_H
#define VTC_TEXTFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Width of a report written to a pipe or a file. */
#define VTC_TEXT_WIDTH_DEFAULT 80

/* Columns the text written to @out must fit: a terminal's width
 * (TIOCGWINSZ, else $COLUMNS, else 80; at least 64), or 80 when @out is not
 * a terminal. */
int vtc_text_width(FILE *out);

/* Text flowing into @width columns; continuation lines start at @indent. */
struct vtc_flow {
	FILE *out;
	int width, indent, col;
	int lines;  /* newlines written */
	bool begun; /* a token on this line: the next one needs its gap */
};

/* Where a token without spaces may break: after a comma, brace or ';'. */
bool vtc_flow_breaks_after(char c);
/* Start a continuation line (at f->indent). */
void vtc_flow_newline(struct vtc_flow *f);
/* One token without spaces, @gap spaces after what came before on the
 * line; a token longer than a line breaks after a comma, brace or ';'. */
void vtc_flow_token(struct vtc_flow *f, const char *tok, size_t len, int gap);
/* Words of @text (split at spaces and newlines) into the flow. */
void vtc_flow_words(struct vtc_flow *f, const char *text);

/* @label then @text in @width columns, continuation lines at @indent; a
 * paragraph that fits is written as it is. */
void vtc_text_para(FILE *out, int width, int indent, const char *label, const char *text);
/* vtc_text_para of a formatted text, no label. */
void vtc_text_paraf(FILE *out, int width, int indent, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Wrap @text after @label, continuation lines under the text. */
void vtc_text_wrapped(FILE *out, const char *label, const char *text, int width);

#endif
