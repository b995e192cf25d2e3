/* report_escape.h - text from the machine (CPU model names, hypervisor
 * strings, imported reports) made safe for the XML and Prometheus reports.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_REPORT_ESCAPE_H
#define VTC_REPORT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Length (1..4) of the well-formed UTF-8 sequence at @s, or 0 when the
 * byte at @s does not start one (stray continuation, overlong form,
 * surrogate, above U+10FFFF, truncated) or is the terminating NUL. */
size_t vtc_utf8_seq_len(const char *s);

/* Write @s as XML character data or attribute value: &<>"' as entities,
 * control characters (XML 1.0 forbids most) and malformed UTF-8 as '?'.
 * Returns 0 or -EIO. */
int vtc_xml_escape(FILE *f, const char *s);

/* Write @s as a Prometheus label value (inside the quotes): backslash,
 * double quote and newline escaped as the exposition format requires,
 * other control characters and malformed UTF-8 as '?'. Returns 0 or -EIO. */
int vtc_prom_escape_label(FILE *f, const char *s);

#endif
