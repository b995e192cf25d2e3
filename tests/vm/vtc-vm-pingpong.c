/* vtc-vm-pingpong.c - placement cross-check for the VM tests: the one-way
 * cache-line handoff time between every pair of online CPUs of the guest.
 *
 * Deliberately independent of vtopocheck's own probes: when a scenario
 * fails, this tells a harness fault (vCPUs not placed as asked) from a
 * vtopocheck fault. Runs in the guest before vtopocheck (tests/vm/init).
 *
 * Usage: vtc-vm-pingpong [MS_PER_PAIR]   (default 200)
 * Prints "VTC-PINGPONG a-b samples=N median_ns=X" per pair; exit 0, or 1
 * with a message on stderr.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <urcu/arch.h>

#include "probes/hw/arch/arch.h"

#define MAX_SAMPLES 4000

/* The line the two threads bounce; alone on its cache line so that only
 * the handoff itself is timed. */
static struct {
	_Alignas(64) atomic_int turn; /* 1: pong's move, 0: ping's move */
	atomic_int stop;
} line;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *pong(void *arg)
{
	if (pin(*(int *)arg) != 0)
		return (void *)1;
	for (;;) {
		while (atomic_load_explicit(&line.turn, memory_order_acquire) != 1) {
			if (atomic_load_explicit(&line.stop, memory_order_relaxed))
				return NULL;
			caa_cpu_relax();
		}
		atomic_store_explicit(&line.turn, 0, memory_order_release);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median one-way time for CPUs a, b over at most @ms milliseconds. */
static int measure(int a, int b, double ms, double *rtt, int *n, double *median)
{
	pthread_t t;
	double end;
	int err;

	atomic_store(&line.turn, 0);
	atomic_store(&line.stop, 0);
	if ((err = pin(a)) != 0 || (err = pthread_create(&t, NULL, pong, &b)) != 0)
		return -err;
	*n = 0;
	end = now_ns() + ms * 1e6;
	while (*n < MAX_SAMPLES && now_ns() < end) {
		double t0 = now_ns();

		atomic_store_explicit(&line.turn, 1, memory_order_release);
		while (atomic_load_explicit(&line.turn, memory_order_acquire) != 0)
			caa_cpu_relax();
		rtt[(*n)++] = now_ns() - t0;
	}
	atomic_store(&line.stop, 1);
	pthread_join(t, NULL);
	qsort(rtt, *n, sizeof(*rtt), cmp_double);
	*median = *n ? rtt[*n / 2] / 2 : 0;
	return 0;
}

int main(int argc, char **argv)
{
	double ms = argc > 1 ? atof(argv[1]) : 200, median;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	static double rtt[MAX_SAMPLES];
	int n, err;

	if (ms <= 0 || ncpu < 1) {
		fprintf(stderr, "usage: vtc-vm-pingpong [MS_PER_PAIR]\n");
		return 1;
	}
	for (int a = 0; a < ncpu; a++)
		for (int b = a + 1; b < ncpu; b++) {
			err = measure(a, b, ms, rtt, &n, &median);
			if (err) {
				fprintf(stderr, "vtc-vm-pingpong: CPUs %d-%d: %s\n", a, b,
					strerror(-err));
				return 1;
			}
			printf("VTC-PINGPONG %d-%d samples=%d median_ns=%.0f\n", a, b, n, median);
		}
	return fflush(stdout) == 0 ? 0 : 1;
}
