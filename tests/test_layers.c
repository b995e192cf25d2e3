/* test_layers.c - the layer boundary, checked by the linker: this program
 * is linked with every object of libvtc_pure.a (--whole-archive) and
 * nothing of probes/hw/ or src/cli/, so a pure module that calls into the
 * hardware backend or the application makes the build fail here.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

int main(void)
{
	return 0;
}
