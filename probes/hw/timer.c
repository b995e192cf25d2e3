/* timer.c - choose and calibrate the probes' clock.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/hw/cpuid_live.h"
#include "src/advertised/platform_sysfs.h"
#include "src/advertised/sysfs.h"
#include "src/input.h"
#include "probes/hw/timer.h"
#include "src/advertised/topo_cpuid.h"

/* 20 ms: 0.1% at a 20 us clock jitter */
#define CALIBRATE_NS ((uint64_t)(VTC_TIMER_CALIBRATE_S * 1e9))
#define CPUID_AGREE 0.01         /* trust a CPUID frequency within 1% of calibration */

/* CPUID facts of the CPU we run on, through the one decoder the report
 * uses (src/advertised/topo_cpuid.c). Absent CPUID leaves them zero. */
struct cpu_facts {
	bool rdtscp;
	uint64_t tsc_hz; /* 0: CPUID names none */
	const char *tsc_source;
	struct vtc_platform plat; /* invariance: CPUID bit and cpuinfo flags */
};

/* /proc/cpuinfo's flags, parsed like the report's (platform_sysfs.c). */
static void read_cpuinfo_flags(struct vtc_platform *p)
{
	struct vtc_sysfs fs;
	char *text;
	size_t len;

	if (vtc_sysfs_init(&fs, "/") < 0 ||
	    vtc_sysfs_read_all(&fs, VTC_INPUT_PROC_MAX, &text, &len, "proc/cpuinfo") < 0)
		return;
	vtc_platform_parse_cpuinfo(text, len, p);
	free(text);
}

static void read_facts(struct cpu_facts *fx)
{
	struct vtc_cpuid_src *src;
	struct vtc_cpuid_regs r;
	int cpu;

	memset(fx, 0, sizeof(*fx));
	fx->tsc_source = "";
	if (vtc_cpuid_live_here(&src, &cpu) == 0) {
		/* RDTSCP is CPUID 0x80000001 EDX[27]; without it the
		 * instruction faults. */
		vtc_cpuid_query(src, cpu, 0x80000001u, 0, &r);
		fx->rdtscp = (r.edx >> 27) & 1;
		fx->plat.cpuid_invariant_tsc = vtc_cpuid_invariant_tsc(src, cpu);
		fx->tsc_hz = vtc_cpuid_tsc_hz(src, cpu, &fx->tsc_source);
		vtc_cpuid_close(src);
	}
	/* cpuinfo can be long (one block per CPU): only when CPUID did not
	 * already say the TSC is invariant. */
	if (!fx->plat.cpuid_invariant_tsc)
		read_cpuinfo_flags(&fx->plat);
}

/* Ticks per ns measured against CLOCK_MONOTONIC_RAW over ~20 ms. */
static double calibrate(const struct vtc_timer *t)
{
	uint64_t n0 = vtc_timer_mono_ns(), c0 = vtc_timer_ticks(t), n1, c1;

	do {
		n1 = vtc_timer_mono_ns();
		c1 = vtc_timer_ticks(t);
	} while (n1 - n0 < CALIBRATE_NS);
	return c1 > c0 ? (double)(c1 - c0) / (double)(n1 - n0) : 0.0;
}

static void set_str(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s);
}

int vtc_timer_init(struct vtc_timer *t)
{
	const char *src = "calibrated";
	struct cpu_facts fx;

	memset(t, 0, sizeof(*t));
	t->cycles = vtc_arch_has_cycles();
	if (!t->cycles) {
		set_str(t->info.name, sizeof(t->info.name), "monotonic-raw");
		set_str(t->info.freq_source, sizeof(t->info.freq_source), "clock");
		t->info.ticks_per_ns = 1.0;
		t->info.invariant = true;
		t->ns_per_tick = 1.0;
		return 0;
	}
	bool x86 = vtc_arch_has_cpuid();
	read_facts(&fx);
	t->cpu_in_aux = x86 && fx.rdtscp;
	set_str(t->info.name, sizeof(t->info.name),
		!x86 ? "cntvct" : t->cpu_in_aux ? "rdtscp" : "lfence-rdtsc");
	/* The generic timer runs at a fixed rate by architecture. */
	t->info.invariant = !x86 || vtc_platform_tsc_invariant(&fx.plat);
	double cal = calibrate(t) * 1e9;
	if (!(cal > 0))
		return -EIO;
	t->calibrated_hz = cal;
	double hz = cal, id = (double)fx.tsc_hz;
	if (id > 0 && fabs(id - cal) <= CPUID_AGREE * cal) {
		hz = id;
		src = fx.tsc_source;
	}
	set_str(t->info.freq_source, sizeof(t->info.freq_source), src);
	t->info.ticks_per_ns = hz / 1e9;
	t->ns_per_tick = 1e9 / hz;
	return 0;
}

double vtc_timer_calibrate_hz(const struct vtc_timer *t)
{
	return t->cycles ? calibrate(t) * 1e9 : 0.0;
}
