/* main.c - the vtopocheck command line. Wires modules; decides what the user sees.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "vtc.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: vtopocheck [OPTIONS]\n"
		"Check that the CPU topology this guest is told matches what its vCPUs run on.\n"
		"\n"
		"  -h, --help       show this help and exit\n"
		"  -V, --version    show the version and exit\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return VTC_EXIT_OK;
		case 'V':
			printf("vtopocheck %s\n", PACKAGE_VERSION);
			return VTC_EXIT_OK;
		default:
			fprintf(stderr, "vtopocheck: try 'vtopocheck --help'\n");
			return VTC_EXIT_UNKNOWN;
		}
	}
	return VTC_EXIT_OK;
}
