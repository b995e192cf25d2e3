/* contention.c - L1, L2 and ALU throughput loops, solo or co-running.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Two threads on SMT siblings share the core's load/store units, L1/L2 and
 * ALUs, so each gets ~0.5-0.7 of its solo rate; on separate cores ~1.0;
 * two vCPUs stacked on one physical CPU ~0.5 (with steal). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <urcu/arch.h>
#include <urcu/uatomic.h>

#include "probes/hw/affinity.h"
#include "probes/hw/contention.h"

#define CONT_START_DELAY_NS 100000ull /* both threads warm their buffers first */

/* One barrier and one shared window per repeat. */
struct cont_shared {
	int arrived[VTC_CONT_MAX_REPEATS] __attribute__((aligned(64)));
	uint64_t t_go[VTC_CONT_MAX_REPEATS] __attribute__((aligned(64)));
	uint64_t t_end[VTC_CONT_MAX_REPEATS];
	int nthreads, repeats;
	double window_ns;
};

struct cont_thread {
	struct cont_shared *sh;
	enum vtc_cont_kind kind;
	int cpu;
	double rate[VTC_CONT_MAX_REPEATS];
	bool preempted[VTC_CONT_MAX_REPEATS]; /* by another task of this guest */
	int err;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Loads and stores on an L1-resident buffer: 1 op = one load + one store. */
static uint64_t chunk_l1(uint64_t *buf, uint64_t x)
{
	size_t n = VTC_CONT_L1_BYTES / sizeof(*buf);
	for (size_t i = 0; i < n; i++)
		buf[i] += x;
	cmm_barrier(); /* keep the stores: the buffer is read again next chunk */
	return n;
}

/* One load per 64-byte line of an L2-resident buffer. */
static uint64_t chunk_l2(uint64_t *buf, uint64_t *sink)
{
	size_t n = VTC_CONT_L2_BYTES / sizeof(*buf);
	uint64_t s0 = 0, s1 = 0;
	for (size_t i = 0; i < n; i += 16) {
		s0 += buf[i];
		s1 += buf[i + 8];
	}
	*sink += s0 ^ s1;
	return n / 8;
}

/* Four independent xorshift chains: ILP 4, integer ALUs only. */
static uint64_t chunk_alu(uint64_t *state)
{
	uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
	for (int i = 0; i < 1024; i++) {
		a ^= a << 13; b ^= b << 13; c ^= c << 13; d ^= d << 13;
		a ^= a >> 7;  b ^= b >> 7;  c ^= c >> 7;  d ^= d >> 7;
		a ^= a << 17; b ^= b << 17; c ^= c << 17; d ^= d << 17;
	}
	state[0] = a; state[1] = b; state[2] = c; state[3] = d;
	return 4096;
}

static uint64_t run_chunk(enum vtc_cont_kind kind, uint64_t *buf, uint64_t *st)
{
	switch (kind) {
	case VTC_CONT_L1:
		return chunk_l1(buf, st[0] | 1);
	case VTC_CONT_L2:
		return chunk_l2(buf, &st[0]);
	default:
		return chunk_alu(st);
	}
}

/* Wait for every thread, then agree on window @r. The last to arrive sets
 * it; waiting yields, as the partner may share our CPU. */
static void cont_barrier(struct cont_shared *sh, int r)
{
	if (uatomic_add_return(&sh->arrived[r], 1) == sh->nthreads) {
		uint64_t go = mono_ns() + CONT_START_DELAY_NS;
		sh->t_end[r] = go + (uint64_t)sh->window_ns;
		cmm_smp_wmb(); /* t_end visible before t_go says "ready" */
		uatomic_set(&sh->t_go[r], go);
	}
	while (!uatomic_read(&sh->t_go[r]))
		sched_yield();
	cmm_smp_rmb();
}

/* Operations per ns over window @r. */
static double cont_window(struct cont_thread *ct, int r, uint64_t *buf, uint64_t *st)
{
	struct cont_shared *sh = ct->sh;
	uint64_t ops = 0, now;

	while (mono_ns() < sh->t_go[r])
		run_chunk(ct->kind, buf, st); /* warm up to the start line */
	do {
		ops += run_chunk(ct->kind, buf, st);
		now = mono_ns();
	} while (now < sh->t_end[r]);
	return (double)ops / (double)(now - sh->t_go[r]);
}

/* This thread's involuntary context switches so far: the guest scheduler
 * took its CPU for another task. Time the hypervisor takes (steal) does
 * not show here, so this tells OS-level load apart from stacking. */
static long involuntary_switches(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : -1;
}

static void *cont_thread_fn(void *arg)
{
	struct cont_thread *ct = arg;
	uint64_t st[4] = {0x9e3779b97f4a7c15ull, 2, 3, 4};
	size_t bytes = ct->kind == VTC_CONT_L2 ? VTC_CONT_L2_BYTES : VTC_CONT_L1_BYTES;
	uint64_t *buf;

	ct->err = vtc_affinity_pin_self(ct->cpu);
	buf = ct->err ? NULL : aligned_alloc(64, bytes);
	if (!ct->err && !buf)
		ct->err = -ENOMEM;
	if (buf)
		memset(buf, 1, bytes); /* first touch on this CPU */
	/* Every thread passes every barrier, even after an error, so that
	 * its partner is never left waiting. */
	for (int r = 0; r < ct->sh->repeats; r++) {
		cont_barrier(ct->sh, r);
		if (!ct->err) {
			long ivcsw = involuntary_switches();
			ct->rate[r] = cont_window(ct, r, buf, st);
			ct->preempted[r] = involuntary_switches() != ivcsw;
		}
	}
	if (buf) {
		/* Consume the results so no loop is optimised away. */
		volatile uint64_t sink = st[0] ^ st[1] ^ st[2] ^ st[3] ^ buf[0];
		(void)sink;
	}
	free(buf);
	return NULL;
}

/* Release every barrier (a thread could not be started). */
static void cont_release(struct cont_shared *sh)
{
	for (int r = 0; r < sh->repeats; r++) {
		uatomic_set(&sh->t_end[r], 1);
		uatomic_set(&sh->t_go[r], 1);
	}
}

/* The window to report for one job (@n threads at @ct): the highest sum of
 * rates (both sides count, so a same-CPU co-run stays ~0.5 whichever way
 * the scheduler split a window), among windows where no thread of the job
 * was preempted by another task of this guest when there is one. Two
 * threads on one CPU (@same) preempt each other by design, so every
 * window counts for them. Jobs of one call pick their windows apart: only
 * their own threads decide. */
static int cont_best(const struct cont_thread *ct, int n, int repeats, bool same)
{
	int best = -1;
	bool best_clean = false;

	for (int r = 0; r < repeats; r++) {
		bool clean = same || !(ct[0].preempted[r] || (n == 2 && ct[1].preempted[r]));
		double sum = ct[0].rate[r] + (n == 2 ? ct[1].rate[r] : 0);
		double best_sum = best < 0 ? -1 : ct[0].rate[best] + (n == 2 ? ct[1].rate[best] : 0);
		if (best < 0 || (clean && !best_clean) || (clean == best_clean && sum > best_sum)) {
			best = r;
			best_clean = clean;
		}
	}
	return best;
}

static bool cont_args_ok(enum vtc_cont_kind kind, const int (*pairs)[2], int n, double window_ms,
			 int repeats)
{
	if ((unsigned)kind >= VTC_CONT_KINDS || !pairs || n < 1 || !(window_ms > 0) ||
	    repeats < 1 || repeats > VTC_CONT_MAX_REPEATS)
		return false;
	for (int i = 0; i < n; i++)
		if (pairs[i][0] < 0)
			return false;
	return true;
}

/* Start every thread, wait for all; the first error (a thread that could
 * not start or pin) or 0. */
static int cont_threads(struct cont_shared *sh, struct cont_thread *ct, pthread_t *th)
{
	int started = 0, rc = 0;

	for (; started < sh->nthreads; started++) {
		rc = -pthread_create(&th[started], NULL, cont_thread_fn, &ct[started]);
		if (rc) {
			cont_release(sh);
			break;
		}
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < started && !rc; i++)
		rc = ct[i].err;
	return rc;
}

int vtc_cont_run_many(enum vtc_cont_kind kind, const int (*pairs)[2], int n, double window_ms,
		      int repeats, double *rates)
{
	struct cont_shared sh = {.repeats = repeats, .window_ns = window_ms * 1e6};
	struct cont_thread *ct;
	pthread_t *th;
	int rc, t = 0;

	if (!cont_args_ok(kind, pairs, n, window_ms, repeats) || !rates)
		return -EINVAL;
	ct = calloc(2 * (size_t)n, sizeof(*ct));
	th = calloc(2 * (size_t)n, sizeof(*th));
	if (!ct || !th) {
		free(ct);
		free(th);
		return -ENOMEM;
	}
	/* One barrier for all: every job sees the same windows, so jobs of
	 * one call run at once, as the scheduler meant them to. */
	for (int i = 0; i < n; i++)
		for (int k = 0; k < (pairs[i][1] < 0 ? 1 : 2); k++)
			ct[t++] = (struct cont_thread){.sh = &sh, .kind = kind, .cpu = pairs[i][k]};
	sh.nthreads = t;
	rc = cont_threads(&sh, ct, th);
	for (int i = 0, j = 0; !rc && i < n; i++) {
		int m = pairs[i][1] < 0 ? 1 : 2;
		int best = cont_best(&ct[j], m, repeats, m == 2 && pairs[i][0] == pairs[i][1]);
		rates[2 * i] = ct[j].rate[best];
		rates[2 * i + 1] = m == 2 ? ct[j + 1].rate[best] : 0;
		j += m;
	}
	free(ct);
	free(th);
	return rc;
}

int vtc_cont_run(enum vtc_cont_kind kind, int a, int b, double window_ms, int repeats,
		 double *rate_a, double *rate_b)
{
	const int pair[1][2] = {{a, b < 0 ? -1 : b}};
	double rates[2];
	int rc = vtc_cont_run_many(kind, pair, 1, window_ms, repeats, rates);

	if (rc)
		return rc;
	*rate_a = rates[0];
	if (rate_b)
		*rate_b = rates[1];
	return 0;
}
