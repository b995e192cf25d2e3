/* pingpong.c - cache-line ping-pong between two pinned threads.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Protocol: one 64-byte line holds a counter. The timer thread (A) stores
 * an odd value 2i+1, the echo thread (B) sees it and stores 2i+2, A sees
 * that: one round trip, two cache-line handoffs. A reads its clock only at
 * sample boundaries (K round trips), on its own vCPU, so the clocks of two
 * vCPUs are never compared.
 *
 * Line pool: the handoff time of one line depends on its address (which
 * L3 slice or home agent owns it). Measured on this project's AMD guest:
 * 32 lines of one pair read 161-178 ns, each line within ~3 ns of itself
 * over three sweeps; that, not sampling noise, made the run-to-run spread
 * of a one-line median 8-11%. So A moves to the next of params->lines
 * lines (on different pages, at different offsets) before every sample: A
 * stores 2i+1 | PP_HOP in the old line, B answers 2i+2 in the next one.
 * That round trip is untimed.
 *
 * Spinning: the timed spin is a bare load loop. PAUSE (caa_cpu_relax)
 * inside it inflated the one-way figure from 27 ns to 160 ns on this
 * project's AMD guest, because PAUSE can take ~100+ cycles on Zen 2+. We
 * relax only after VTC_PP_SPIN_FAST loads without progress: by then the
 * partner is probably not running (a stall) and the clock is consulted. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <urcu/arch.h>
#include <urcu/uatomic.h>

#include "probes/hw/pingpong.h"
#include "src/analysis/stats.h"

/* Loads before the slow path: a few microseconds, far more than any
 * cache-line handoff (~20-300 ns), far less than stall_ns (100 us). */
#define VTC_PP_SPIN_FAST 4096u
#define PP_DONE (~0ul)
#define PP_HOP (1ul << (sizeof(unsigned long) * 8 - 2)) /* "go to the next line" */
/* Pool lines sit this far apart: each on its own page, at a different
 * offset within it (4416 = 4096 + 5 * 64). */
#define PP_LINE_STRIDE 4416u
#define PP_WARMUP_RT 64u       /* untimed round trips: caches, TLB, frequency */
#define PP_PROBE_RT 16u        /* round trips timed to choose K */
#define PP_B_CHECK_MASK 63ul   /* B checks its CPU every 64 handoffs */
/* B gives up this long after A's bound. Short, because when A and B share
 * one CPU, A only notices its bound once B yields the CPU: B leaving soon
 * after the bound keeps a stacked pair near its time bound. Not shorter:
 * a B leaving before A's last sample would turn it into a stall. */
#define PP_B_GRACE_NS 2000000ull

struct pp_line {
	unsigned long flag;
} __attribute__((aligned(64)));

/* Line @i of a pool (i < lines). */
static struct pp_line *pool_line(struct pp_line *pool, unsigned i)
{
	return (struct pp_line *)((char *)pool + (size_t)i * PP_LINE_STRIDE);
}

static unsigned pool_lines(const struct vtc_probe_params *p)
{
	return p->lines > 1 ? (unsigned)p->lines : 1u;
}

/* Shared control fields, each on its own line so that B's polling of them
 * never steals the ping-pong line. */
struct pp_ctl {
	struct pp_line *line __attribute__((aligned(64))); /* the pool */
	int ready __attribute__((aligned(64)));  /* B pinned and waiting */
	int done __attribute__((aligned(64)));   /* A finished: B must exit */
	unsigned long b_offcpu __attribute__((aligned(64))); /* B seen off its CPU */
	int b_err __attribute__((aligned(64)));
	/* read-only after start */
	const int *go;  /* set once every thread of the round exists */
	const struct vtc_timer *t;
	const struct vtc_probe_params *params;
	struct vtc_pp_pair *pair;
	uint64_t pair_ticks, stall_ticks;
};

/* A's view of one pair while it runs. */
struct pp_a {
	struct pp_ctl *c;
	struct pp_line *line;  /* current line of the pool */
	unsigned line_i;
	unsigned long seq;     /* last value A stored */
	uint64_t deadline;     /* ticks */
	uint64_t batch_t0;     /* when the current batch of round trips began */
	uint64_t t_start;      /* when A started measuring */
	uint32_t stalls;
	uint32_t run;          /* stalls since the last clean sample */
	double *stall_ns;      /* per-handoff time of each stalled round trip */
	bool stalled_now;      /* current sample saw a stall */
};

/* RT_STOP: the pair's time bound passed or it reached the stall limit. */
enum { RT_OK = 0, RT_STOP = 1 };

/* "Stalls repeatedly": stall_limit stalls with no clean sample between
 * them. A time-shared pair stalls on every round trip; a busy host's
 * occasional preemption (here: 1-2 per 4 ms of samples) does not count. */
static bool a_stall_limit(const struct pp_a *s)
{
	int limit = s->c->params->stall_limit;
	return limit > 0 && (int)s->run >= limit;
}

static void a_count_stall(struct pp_a *s)
{
	s->stalls++;
	s->run++;
}

static void a_record_stall(struct pp_a *s, uint64_t ticks)
{
	size_t room = (size_t)s->c->params->stall_limit + 1;

	/* One round trip = two handoffs. A ring of the latest limit + 1. */
	s->stall_ns[(s->stalls - 1) % room] = vtc_timer_ns(s->c->t, ticks) / 2;
	s->stalled_now = true;
}

/* Slow path of A's wait for @want: relax, watch the clock, count a stall
 * once the round trip exceeds stall_ns (the fast spin before it lasted a
 * few microseconds, negligible next to stall_ns). On a timeout the stall's
 * handoff time is a lower bound. */
static __attribute__((noinline)) int a_wait_slow(struct pp_a *s, unsigned long want)
{
	const struct vtc_timer *t = s->c->t;
	uint64_t t0 = vtc_timer_ticks(t), now = t0;
	bool counted = false;
	int rc = RT_OK;

	while (uatomic_read(&s->line->flag) != want) {
		caa_cpu_relax();
		now = vtc_timer_ticks(t);
		if (!counted && now - t0 > s->c->stall_ticks) {
			counted = true;
			a_count_stall(s);
		}
		if (now > s->deadline || vtc_timer_aborted()) {
			/* The bound ran out with this round trip in flight. If
			 * the batch has lasted longer than stall_ns, A itself
			 * lost its CPU (its vCPU time-shares): a stall too. */
			if (!counted && now - s->batch_t0 > s->c->stall_ticks) {
				counted = true;
				a_count_stall(s);
			}
			rc = RT_STOP;
			break;
		}
	}
	if (counted) {
		a_record_stall(s, now - t0);
		if (a_stall_limit(s))
			rc = RT_STOP;
	}
	return rc;
}

/* K round trips. The stores/loads are volatile (uatomic_set/read), so the
 * compiler keeps them in order; x86 and ARM keep a single location's
 * accesses coherent, so no fence is needed for the flag itself. */
static inline int a_wait(struct pp_a *s, unsigned long want)
{
	unsigned spins = 0;

	while (uatomic_read(&s->line->flag) != want)
		if (caa_unlikely(++spins == VTC_PP_SPIN_FAST))
			return a_wait_slow(s, want);
	return RT_OK;
}

static inline int a_round_trips(struct pp_a *s, uint32_t k)
{
	for (uint32_t i = 0; i < k; i++) {
		unsigned long want = s->seq + 2;
		uatomic_set(&s->line->flag, s->seq + 1);
		s->seq = want;
		if (caa_unlikely(a_wait(s, want) != RT_OK))
			return RT_STOP;
	}
	return RT_OK;
}

/* Untimed round trip that moves both threads to the pool's next line. */
static int a_hop(struct pp_a *s, unsigned lines)
{
	unsigned long want = s->seq + 2;
	struct pp_line *old = s->line;

	if (lines < 2)
		return RT_OK;
	s->line_i = (s->line_i + 1) % lines;
	s->line = pool_line(s->c->line, s->line_i);
	uatomic_set(&old->flag, (s->seq + 1) | PP_HOP);
	s->seq = want;
	return a_wait(s, want);
}

/* A batch of @k round trips that took @ticks: if its round trips averaged
 * more than stall_ns, one of them stalled even though A saw no slow spin
 * (A itself was descheduled mid-spin and the partner answered meanwhile,
 * as when both vCPUs time-share one CPU). True when the batch stalled. */
static bool a_batch_stalled(struct pp_a *s, uint64_t ticks, uint32_t k)
{
	if (s->stalled_now)
		return true;
	if (ticks / k <= s->c->stall_ticks)
		return false;
	a_count_stall(s);
	a_record_stall(s, ticks / k);
	return true;
}

static bool a_on_cpu(const struct pp_ctl *c, unsigned aux)
{
	if (aux != ~0u)
		return (int)aux == c->pair->cpu_a;
	return sched_getcpu() == c->pair->cpu_a;
}

/* One timed sample of @k round trips: one-way ns into *ns. Returns 1 kept,
 * 0 discarded (migration) or stalled, -1 timeout. */
static int a_sample(struct pp_a *s, uint32_t k, double *ns)
{
	const struct vtc_timer *t = s->c->t;
	unsigned c0, c1;
	bool pre = true;
	unsigned long off0 = uatomic_read(&s->c->b_offcpu);

	s->stalled_now = false;
	s->batch_t0 = vtc_timer_ticks(t);
	if (a_hop(s, pool_lines(s->c->params)) != RT_OK)
		return -1;
	if (s->stalled_now)
		return a_stall_limit(s) ? -1 : 0;
	if (!t->cpu_in_aux)
		pre = sched_getcpu() == s->c->pair->cpu_a;
	uint64_t t0 = vtc_timer_ticks_cpu(t, &c0);
	s->batch_t0 = t0;
	int rc = a_round_trips(s, k);
	uint64_t t1 = vtc_timer_ticks_cpu(t, &c1);
	if (rc != RT_OK)
		return -1;
	if (a_batch_stalled(s, t1 - t0, k))
		return a_stall_limit(s) ? -1 : 0;
	if (!pre || !a_on_cpu(s->c, c0) || !a_on_cpu(s->c, c1) ||
	    uatomic_read(&s->c->b_offcpu) != off0) {
		s->c->pair->out->discarded++;
		return 0;
	}
	*ns = vtc_timer_ns(t, t1 - t0) / k / 2;
	s->run = 0;
	return 1;
}

/* Warm up, then choose K so one sample lasts ~sample_target_us. */
static int a_choose_k(struct pp_a *s, uint32_t *k)
{
	const struct vtc_timer *t = s->c->t;
	uint64_t t0 = vtc_timer_ticks(t), t1;

	s->batch_t0 = t0;
	s->stalled_now = false;
	if (a_round_trips(s, PP_WARMUP_RT) != RT_OK)
		return RT_STOP;
	t1 = vtc_timer_ticks(t);
	a_batch_stalled(s, t1 - t0, PP_WARMUP_RT);
	s->batch_t0 = t0 = t1;
	s->stalled_now = false;
	if (a_round_trips(s, PP_PROBE_RT) != RT_OK)
		return RT_STOP;
	t1 = vtc_timer_ticks(t);
	if (a_batch_stalled(s, t1 - t0, PP_PROBE_RT) && a_stall_limit(s))
		return RT_STOP;
	double rt = vtc_timer_ns(t, t1 - t0) / PP_PROBE_RT;
	*k = vtc_stats_adapt_k(rt, s->c->params->sample_target_us * 1000.0,
			       VTC_PP_K_MIN, VTC_PP_K_MAX);
	return RT_OK;
}

/* Whether a clean sample of one-way @ns says K should be 4x larger or more;
 * *k gets the new K then. */
static bool k_too_small(const struct vtc_probe_params *p, uint32_t k, double ns, uint32_t *knew)
{
	uint32_t k2 = vtc_stats_adapt_k(2 * ns, p->sample_target_us * 1000.0, VTC_PP_K_MIN,
					VTC_PP_K_MAX);

	if (k2 <= 4 * k)
		return false;
	*knew = k2;
	return true;
}

/* Samples until max_samples, the pair's time bound or the stall limit. */
static void a_measure(struct pp_a *s, double *v)
{
	const struct vtc_probe_params *p = s->c->params;
	struct vtc_lat_stats *out = s->c->pair->out;
	uint32_t k = VTC_PP_K_MIN, kept = 0;
	int tries = 0;

	if (a_choose_k(s, &k) == RT_OK)
		while (tries++ < p->max_samples) {
			int rc = a_sample(s, k, &v[kept]);
			if (rc < 0)
				break;
			if (rc == 1 && k_too_small(p, k, v[kept], &k)) {
				/* The warm-up caught a slow start (TCG translating
				 * the loop, a cold line): samples of a few round
				 * trips are mostly clock overhead. Start over. */
				kept = 0;
				continue;
			}
			kept += (uint32_t)rc;
			if (vtc_timer_ticks(s->c->t) > s->deadline || vtc_timer_aborted())
				break;
		}
	out->round_trips = k;
	out->stalls = s->stalls;
	if (kept)
		vtc_stats_summarize(v, kept, out);
	if (kept == 0 && out->discarded == 0 && s->stalls == 0) {
		/* The bound ran out before one clean sample, with every
		 * round trip slow but none caught in the slow path (A was
		 * descheduled mid-spin each time): as stalled as it gets. */
		uint64_t rts = s->seq / 2 ? s->seq / 2 : 1;
		s->stalls = out->stalls = 1;
		s->stall_ns[0] = vtc_timer_ns(s->c->t, vtc_timer_ticks(s->c->t) - s->t_start) / rts / 2;
	}
	/* Stalled: the stall limit was reached, or the time bound ran out with
	 * more stalled round trips than clean samples (a time-shared pair
	 * whose handoffs take whole scheduler slices may fit only 1-3 stalls
	 * into the bound). */
	if (a_stall_limit(s) || (s->stalls > 0 && kept < s->stalls)) {
		size_t room = (size_t)p->stall_limit + 1;
		size_t n = s->stalls < room ? s->stalls : room;
		out->stalled = true;
		out->handoff_ns = vtc_stats_median(s->stall_ns, n);
	}
}

/* A waits (bounded) for B to be pinned and waiting. */
static bool a_wait_ready(struct pp_a *s)
{
	while (!uatomic_read(&s->c->ready)) {
		if (vtc_timer_ticks(s->c->t) > s->deadline || vtc_timer_aborted())
			return false;
		caa_cpu_relax();
	}
	return uatomic_read(&s->c->b_err) == 0;
}

static void a_finish(struct pp_ctl *c)
{
	uatomic_set(&c->done, 1);
	for (unsigned i = 0; c->line && i < pool_lines(c->params); i++)
		uatomic_set(&pool_line(c->line, i)->flag, PP_DONE);
}

static void *a_thread(void *arg)
{
	struct pp_ctl *c = arg;
	const struct vtc_probe_params *p = c->params;
	struct pp_a s = {.c = c};
	double *v = NULL;

	c->pair->err = vtc_affinity_pin_self(c->pair->cpu_a);
	if (c->pair->err)
		goto out;
	/* Start only when the whole round exists: the thread creating the
	 * others needs a CPU too, and would preempt a pair already timing.
	 * Yield meanwhile, as that thread may be waiting for this CPU. */
	while (!uatomic_read(c->go) && !vtc_timer_aborted())
		sched_yield();
	s.t_start = vtc_timer_ticks(c->t);
	s.deadline = s.t_start + c->pair_ticks;
	/* Allocated and first touched here, on A's vCPU: its home is a
	 * CPU of the pair, not whoever set the run up. */
	size_t pool_size = (size_t)(pool_lines(p) - 1) * PP_LINE_STRIDE + sizeof(*s.line);
	s.line = aligned_alloc(64, (pool_size + 63) & ~(size_t)63);
	v = calloc((size_t)p->max_samples + 1, sizeof(*v));
	s.stall_ns = calloc((size_t)p->stall_limit + 1, sizeof(double));
	if (!s.line || !v || !s.stall_ns) {
		free(s.line);
		c->pair->err = -ENOMEM;
		goto out;
	}
	memset(s.line, 0, pool_size);
	/* Publish the initialised line before its address. */
	cmm_smp_wmb();
	uatomic_set(&c->line, s.line);
	c->pair->out->measured = true;
	if (!a_wait_ready(&s)) {
		/* B never got to run within the bound: as good as a stall,
		 * with the whole wait as a lower bound of one handoff. */
		c->pair->out->stalls = 1;
		c->pair->out->stalled = uatomic_read(&c->b_err) == 0;
		c->pair->out->measured = c->pair->out->stalled;
		c->pair->out->handoff_ns = vtc_timer_ns(c->t, vtc_timer_ticks(c->t) - s.t_start);
		goto out;
	}
	a_measure(&s, v);
out:
	a_finish(c);
	free(v);
	free(s.stall_ns);
	return NULL;
}

/* B's wait for @want (or @want | PP_HOP) with bounded slow path. Returns
 * the value seen, or 0 when B must exit. */
static unsigned long b_wait(struct pp_ctl *c, struct pp_line *l, unsigned long want,
			    uint64_t deadline)
{
	unsigned spins = 0;
	unsigned long v;

	while ((v = uatomic_read(&l->flag)) != want) {
		if (v == PP_DONE)
			return 0;
		if (v == (want | PP_HOP))
			return v;
		if (++spins >= VTC_PP_SPIN_FAST) {
			caa_cpu_relax();
			if (uatomic_read(&c->done) || vtc_timer_ticks(c->t) > deadline ||
			    vtc_timer_aborted())
				return 0;
		}
	}
	return v;
}

static void *b_thread(void *arg)
{
	struct pp_ctl *c = arg;
	struct pp_line *l;
	unsigned line_i = 0, lines = pool_lines(c->params);
	uint64_t deadline;
	int err = vtc_affinity_pin_self(c->pair->cpu_b);

	if (err) {
		uatomic_set(&c->b_err, err);
		uatomic_set(&c->ready, 1);
		return NULL;
	}
	/* A publishes the line once the round starts (or sets done). */
	while (!(l = uatomic_read(&c->line))) {
		if (uatomic_read(&c->done))
			return NULL;
		sched_yield();
	}
	deadline = vtc_timer_ticks(c->t) + c->pair_ticks +
		   (uint64_t)(PP_B_GRACE_NS * c->t->info.ticks_per_ns);
	/* Pairs with A's wmb: see the zeroed line, not stale memory. */
	cmm_smp_rmb();
	uatomic_set(&c->ready, 1);
	struct pp_line *pool = l;
	for (unsigned long want = 1;; want += 2) {
		unsigned long v = b_wait(c, l, want, deadline);
		if (!v)
			return NULL;
		if (v & PP_HOP) {
			line_i = (line_i + 1) % lines;
			l = pool_line(pool, line_i);
		}
		uatomic_set(&l->flag, want + 1);
		if ((want & (PP_B_CHECK_MASK << 1)) == 0 && sched_getcpu() != c->pair->cpu_b)
			uatomic_inc(&c->b_offcpu);
	}
}

/* The threads pin themselves first thing, then verify where they run. */
static int start_thread(pthread_t *th, void *(*fn)(void *), void *arg)
{
	return -pthread_create(th, NULL, fn, arg);
}

static void ctl_init(struct pp_ctl *c, const struct vtc_timer *t, struct vtc_pp_pair *pair,
		     const struct vtc_probe_params *p, const int *go)
{
	memset(c, 0, sizeof(*c));
	c->go = go;
	c->t = t;
	c->params = p;
	c->pair = pair;
	c->pair_ticks = (uint64_t)(p->pair_max_ms * 1e6 * t->info.ticks_per_ns);
	c->stall_ticks = (uint64_t)(p->stall_ns * t->info.ticks_per_ns);
	pair->err = 0;
}

int vtc_pp_run(const struct vtc_timer *t, struct vtc_pp_pair *pairs, int n,
	       const struct vtc_probe_params *params)
{
	struct pp_ctl *ctl;
	pthread_t *th;
	bool *started;
	int rc = 0, go __attribute__((aligned(64))) = 0;

	if (n < 1 || params->max_samples < 1 || params->pair_max_ms <= 0 ||
	    params->stall_limit < 0)
		return -EINVAL;
	ctl = aligned_alloc(64, sizeof(*ctl) * (size_t)n);
	th = calloc((size_t)n * 2, sizeof(*th));
	started = calloc((size_t)n * 2, sizeof(*started));
	if (!ctl || !th || !started) {
		rc = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++)
		ctl_init(&ctl[i], t, &pairs[i], params, &go);
	for (int i = 0; i < n && !rc; i++) {
		rc = start_thread(&th[2 * i + 1], b_thread, &ctl[i]);
		started[2 * i + 1] = !rc;
		if (!rc)
			rc = start_thread(&th[2 * i], a_thread, &ctl[i]);
		started[2 * i] = !rc;
		if (rc)
			a_finish(&ctl[i]); /* B (if started) sees done and exits */
	}
	uatomic_set(&go, 1); /* also after an error: started pairs must finish */
	for (int i = 0; i < 2 * n; i++)
		if (started[i])
			pthread_join(th[i], NULL);
	for (int i = 0; i < n; i++) {
		free(ctl[i].line);
		if (!rc && pairs[i].err)
			rc = pairs[i].err;
		if (!rc && ctl[i].b_err)
			rc = pairs[i].err = ctl[i].b_err;
	}
out:
	free(ctl);
	free(th);
	free(started);
	return rc;
}
