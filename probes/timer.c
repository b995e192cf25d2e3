/* timer.c - choose and calibrate the probes' clock.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "timer.h"

#define CALIBRATE_NS 20000000ull /* 20 ms: 0.1% at a 20 us clock jitter */
#define CPUID_AGREE 0.01         /* trust a CPUID frequency within 1% of calibration */

static uint32_t cpuid_max(uint32_t base)
{
	struct vtc_cpuid_regs r;
	vtc_arch_cpuid(base, 0, &r);
	return r.eax;
}

/* RDTSCP is CPUID 0x80000001 EDX[27]; without it the instruction faults. */
static bool has_rdtscp(void)
{
	struct vtc_cpuid_regs r;
	if (!vtc_arch_has_cpuid() || cpuid_max(0x80000000u) < 0x80000001u)
		return false;
	vtc_arch_cpuid(0x80000001u, 0, &r);
	return (r.edx >> 27) & 1;
}

static bool cpuid_invariant_tsc(void)
{
	struct vtc_cpuid_regs r;
	if (!vtc_arch_has_cpuid() || cpuid_max(0x80000000u) < 0x80000007u)
		return false;
	vtc_arch_cpuid(0x80000007u, 0, &r);
	return (r.edx >> 8) & 1;
}

static bool cpuinfo_has_flags(const char *a, const char *b)
{
	char line[4096];
	bool fa = false, fb = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "flags", 5) == 0) {
			fa = strstr(line, a) != NULL;
			fb = strstr(line, b) != NULL;
			break;
		}
	fclose(f);
	return fa && fb;
}

/* TSC frequency in Hz from CPUID, with the leaf that gave it; 0 if none.
 * The hypervisor leaf comes first: a guest's 0x15/0x16 may be the host's
 * model values, not what the hypervisor scales the guest TSC to. */
static double cpuid_tsc_hz(const char **source)
{
	struct vtc_cpuid_regs r;

	if (!vtc_arch_has_cpuid())
		return 0;
	vtc_arch_cpuid(1, 0, &r);
	if (((r.ecx >> 31) & 1) && cpuid_max(0x40000000u) >= 0x40000010u) {
		vtc_arch_cpuid(0x40000010u, 0, &r);
		if (r.eax) {
			*source = "cpuid-0x40000010";
			return r.eax * 1e3;
		}
	}
	uint32_t max = cpuid_max(0);
	if (max >= 0x15) {
		vtc_arch_cpuid(0x15, 0, &r);
		if (r.eax && r.ebx && r.ecx) {
			*source = "cpuid-0x15";
			return (double)r.ecx * r.ebx / r.eax;
		}
	}
	if (max >= 0x16) {
		vtc_arch_cpuid(0x16, 0, &r);
		if (r.eax & 0xffff) {
			*source = "cpuid-0x16";
			return (r.eax & 0xffff) * 1e6;
		}
	}
	return 0;
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
	t->cpu_in_aux = x86 && has_rdtscp();
	set_str(t->info.name, sizeof(t->info.name),
		!x86 ? "cntvct" : t->cpu_in_aux ? "rdtscp" : "lfence-rdtsc");
	/* The generic timer runs at a fixed rate by architecture. */
	t->info.invariant = !x86 || cpuid_invariant_tsc() ||
			    cpuinfo_has_flags(" constant_tsc", " nonstop_tsc");
	double cal = calibrate(t) * 1e9;
	if (!(cal > 0))
		return -EIO;
	double hz = cal, id = cpuid_tsc_hz(&src);
	if (id > 0 && fabs(id - cal) <= CPUID_AGREE * cal)
		hz = id;
	else
		src = "calibrated";
	set_str(t->info.freq_source, sizeof(t->info.freq_source), src);
	t->info.ticks_per_ns = hz / 1e9;
	t->ns_per_tick = 1e9 / hz;
	return 0;
}
