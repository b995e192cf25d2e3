/* timer.h - the probes' clock: the CPU's cycle counter where there is one
 * (RDTSCP / LFENCE;RDTSC on x86-64, CNTVCT_EL0 on aarch64), else
 * CLOCK_MONOTONIC_RAW. Round trips are always timed by one thread on one
 * vCPU, so counters that are not synchronised across vCPUs do no harm.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_TIMER_H
#define VTC_TIMER_H

#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "probes/hw/arch/arch.h"
#include "src/analysis/results.h"
#include "probes/watchdog.h"

struct vtc_timer {
	struct vtc_timer_info info;
	bool cycles;      /* read the arch cycle counter, else monotonic-raw ns */
	bool cpu_in_aux;  /* vtc_arch_cycles_cpu returns the CPU number (RDTSCP) */
	double ns_per_tick;
	double calibrated_hz; /* the counter against CLOCK_MONOTONIC_RAW at init;
			       * 0 without a cycle counter */
};

/* Pick the counter, detect invariance (vtc_platform_tsc_invariant over the
 * CPU's CPUID and /proc/cpuinfo) and its frequency (vtc_cpuid_tsc_hz: the
 * hypervisor's timing leaf at 0x40000010 or 0x40000110, 0x15, 0x16,
 * cross-checked against a ~20 ms calibration against CLOCK_MONOTONIC_RAW,
 * else the calibration). Returns 0 or -errno. */
int vtc_timer_init(struct vtc_timer *t);

/* How long one calibration takes (seconds). */
#define VTC_TIMER_CALIBRATE_S 0.02

/* Measure the counter's frequency again (VTC_TIMER_CALIBRATE_S against
 * CLOCK_MONOTONIC_RAW), Hz; 0 without a cycle counter. A live migration to
 * a host whose TSC runs at another rate (and no TSC scaling) shows here:
 * the guest's monotonic clock follows the host's correction, the raw
 * counter does not. */
double vtc_timer_calibrate_hz(const struct vtc_timer *t);

static inline uint64_t vtc_timer_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Current tick; ordered after earlier loads (see vtc_arch_cycles). */
static inline uint64_t vtc_timer_ticks(const struct vtc_timer *t)
{
	return t->cycles ? vtc_arch_cycles() : vtc_timer_mono_ns();
}

/* Current tick and, when the counter reports it, the CPU it was read on
 * (*cpu = ~0u otherwise: the caller asks sched_getcpu). */
static inline uint64_t vtc_timer_ticks_cpu(const struct vtc_timer *t, unsigned *cpu)
{
	if (t->cycles && t->cpu_in_aux)
		return vtc_arch_cycles_cpu(cpu);
	*cpu = ~0u;
	return vtc_timer_ticks(t);
}

static inline double vtc_timer_ns(const struct vtc_timer *t, uint64_t ticks)
{
	return (double)ticks * t->ns_per_tick;
}

#endif
