/* usage.h - the --help text of the vtopocheck command line (main.c parses
 * the options it describes; keep the two in step).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_USAGE_H
#define VTC_USAGE_H

#include <stdio.h>

/* Print the usage and option summary to @out. */
void vtc_usage_print(FILE *out);

#endif
