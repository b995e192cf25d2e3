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

struct vtc_timer {
	struct vtc_timer_info info;
	bool cycles;      /* read the arch cycle counter, else monotonic-raw ns */
	bool cpu_in_aux;  /* vtc_arch_cycles_cpu returns the CPU number (RDTSCP) */
	double ns_per_tick;
};

/* Pick the counter, detect invariance (vtc_platform_tsc_invariant over the
 * CPU's CPUID and /proc/cpuinfo) and its frequency (vtc_cpuid_tsc_hz: the
 * hypervisor's timing leaf at 0x40000010 or 0x40000110, 0x15, 0x16,
 * cross-checked against a ~20 ms calibration against CLOCK_MONOTONIC_RAW,
 * else the calibration). Returns 0 or -errno. */
int vtc_timer_init(struct vtc_timer *t);

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

/* ---- the wall-clock watchdog ----------------------------------------------
 * Pair bounds are counted in cycle-counter ticks, and a counter can stop,
 * jump or run slow (qemu user-mode emulation, a broken TSC after
 * migration). A thread on CLOCK_MONOTONIC raises one flag when the run's
 * wall-clock limit passes or the stop flag rises; every probe loop that
 * waits on the counter also checks it, so no run outlives its budget or a
 * signal by more than the flag's poll period and one sample. */

/* Raised by the watchdog; read by the probe loops. */
extern int vtc_timer_abort_flag;

static inline bool vtc_timer_aborted(void)
{
	return __atomic_load_n(&vtc_timer_abort_flag, __ATOMIC_RELAXED) != 0;
}

struct vtc_watchdog {
	pthread_t thread;
	double end_s;          /* CLOCK_MONOTONIC seconds */
	volatile int *stop;    /* SIGINT/SIGTERM flag, may be NULL */
	int quit;              /* set by vtc_watchdog_stop */
	int fired;             /* 1: the wall-clock limit passed */
	bool running;
};

/* Clear the abort flag and watch: after @limit_s seconds of wall clock, or
 * as soon as *@stop is set, raise it. Returns 0 or -errno. */
int vtc_watchdog_start(struct vtc_watchdog *w, double limit_s, volatile int *stop);
/* Stop watching; true when the wall-clock limit had passed (the counter-
 * timed bounds did not end the run in time). The abort flag stays as it
 * is until the next start. */
bool vtc_watchdog_stop(struct vtc_watchdog *w);

static inline double vtc_timer_ns(const struct vtc_timer *t, uint64_t ticks)
{
	return (double)ticks * t->ns_per_tick;
}

#endif
