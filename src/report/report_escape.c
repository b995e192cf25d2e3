/* report_escape.c - escaping for the XML and Prometheus reports.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "src/report/report_escape.h"

size_t vtc_utf8_seq_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	if (u[0] == 0)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2, cp = u[0] & 0x1f;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		n = 3, cp = u[0] & 0x0f;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		n = 4, cp = u[0] & 0x07;
	else
		return 0;
	/* Continuation bytes are 10xxxxxx; a NUL stops the loop, so a
	 * truncated sequence never reads past the terminator. */
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* XML 1.0 allows tab, LF, CR among the C0 controls; DEL is legal but
 * useless in a label, so it is replaced too. */
static const char *xml_entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&apos;";
	case '\t': case '\n': case '\r': return NULL;
	default: return c < 0x20 || c == 0x7f ? "?" : NULL;
	}
}

int vtc_xml_escape(FILE *f, const char *s)
{
	while (s && *s) {
		size_t n = vtc_utf8_seq_len(s);
		const char *e = n == 1 ? xml_entity((unsigned char)*s) : NULL;

		if (n == 0) {
			fputc('?', f);
			s++;
			continue;
		}
		if (e)
			fputs(e, f);
		else
			fwrite(s, 1, n, f);
		s += n;
	}
	return ferror(f) ? -EIO : 0;
}

int vtc_prom_escape_label(FILE *f, const char *s)
{
	while (s && *s) {
		size_t n = vtc_utf8_seq_len(s);
		unsigned char c = (unsigned char)*s;

		if (n == 0 || (n == 1 && c != '\n' && (c < 0x20 || c == 0x7f)))
			fputc('?', f), n = n ? n : 1;
		else if (c == '\\' || c == '"')
			fputc('\\', f), fputc(c, f);
		else if (c == '\n')
			fputs("\\n", f);
		else
			fwrite(s, 1, n, f);
		s += n;
	}
	return ferror(f) ? -EIO : 0;
}
