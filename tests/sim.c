/* sim.c - host simulator behind the probe backend seam.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Noise model (what host load does to a guest's measurements): with a share
 * L of host CPUs busy, a pair's median is inflated by up to 15% * L, the
 * sample tail (p90) grows with L, a pass occasionally stalls (preemption),
 * co-run ratios get noisier (other tenants on sibling threads) and the
 * vCPUs see steal. Noise only ever slows things down, as on real hosts.
 *
 * Interference model (what the disjoint pairs of one concurrent round do to
 * each other; only when the scheduler passes more than one job to one
 * pingpong call, so serial mode never sees it). Stacking is always on:
 *  - Stacked: a vCPU of another job on the same pCPU stalls the pair
 *    (crowded(); time-sharing costs ms per handoff).
 * The rest only when vtc_sim.interference is set. Modelled assumptions:
 *  - Busy SMT sibling: when the other hardware thread of a pCPU of this
 *    pair runs a vCPU of another job, that thread spins in a bare load loop
 *    (probes/hw/pingpong.c: no PAUSE in the timed spin) and competes for the
 *    core's load ports, fill buffers and pipeline. Each such side multiplies
 *    the median by 1.15-1.40 (both sides compound: up to 1.96x) and widens
 *    the tail (p90) by a further 0-25% per side. Deliberately on the
 *    pessimistic side of what a spinning sibling costs, so that the
 *    experiment stresses the classification. A pair on the two threads of
 *    one core is never slowed this way: its sibling is its own partner.
 *  - Fabric load: every handoff between cores crosses the LLC (Intel mesh
 *    or ring; a Zen CCX) and, between CCXs or sockets, the socket fabric
 *    (Zen IO die, Intel mesh) and a socket link (UPI / Infinity Fabric).
 *    Each other concurrent pair that uses one of the same on-die domains
 *    adds 0.5-2% to the median (capped at +25%); each other pair crossing
 *    the same socket link adds 1-4% more (capped at a further +30%).
 *    Handoffs between the threads of one core stay in its L1/L2 and neither
 *    suffer nor cause fabric load.
 * Contention (throughput) probes run one pair at a time (probes/schedule.c:
 * solo_phase and corun), so they need no interference model. Interference
 * draws come from their own stream (rng_int), so the base noise of a
 * concurrent run is the same with the model on or off: a difference
 * between the two is the model's doing (until contention partners, chosen
 * by latency, differ and the streams drift apart).
 *
 * Time model (only with vtc_sim.clocked): a modelled clock that each call
 * advances by what the hw backend would take. A pingpong call costs
 * CALL_START_S (waking and pinning the threads of each pair, warm-up) plus
 * its slowest pair: samples x sample_target_us, or a stalled pair's
 * handoffs up to pair_max_ms. A full-look call (200 samples of 20 us) is
 * ~5 ms; a watch call (8 samples) ~1 ms. A throughput call costs
 * THROUGHPUT_CALL_S (4 x 1.5 ms loops and their start, as probes/hw/hw.c).
 *
 * Dwell model (vtc_sim_init_dwell): vCPUs stay on their home pCPUs except
 * for dwells, when the host puts one pair on the two threads of one core
 * (near latency, SMT co-run ratios) and later moves it back. Dwell starts
 * are a renewal process on the modelled clock, with their own random
 * stream (rng_move) so the noise of a run does not shift with them. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/schedule.h"
#include "tests/sim.h"

const struct vtc_sim_host vtc_sim_xeon4208 = {
	"xeon-silver-4208", "GenuineIntel", 2, 1, 8, 2, 7.5, 48.0, 48.0, 140.0,
	{0.62, 0.70, 0.55}};
const struct vtc_sim_host vtc_sim_cascade2s = {
	"cascade-lake-2s", "GenuineIntel", 2, 1, 24, 2, 8.0, 52.0, 52.0, 190.0,
	{0.60, 0.68, 0.55}};
const struct vtc_sim_host vtc_sim_epyc = {
	"epyc-ccx8", "AuthenticAMD", 1, 8, 8, 2, 10.0, 27.0, 130.0, 130.0,
	{0.66, 0.75, 0.60}};
const struct vtc_sim_host vtc_sim_xeon4s = {
	"xeon-4s2c2t", "GenuineIntel", 4, 1, 2, 2, 8.0, 50.0, 50.0, 200.0,
	{0.62, 0.70, 0.55}};
const struct vtc_sim_host vtc_sim_graviton = {
	"graviton-like", "ARM", 1, 1, 64, 1, 0, 42.0, 42.0, 42.0, {1, 1, 1}};
const struct vtc_sim_host vtc_sim_nosmt_l3x8 = {
	"nosmt-l3x8", "AuthenticAMD", 1, 4, 8, 1, 0, 20.0, 95.0, 95.0, {1, 1, 1}};

/* splitmix64: small, seedable, good enough for noise. */
static uint64_t next_u64(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uni_from(uint64_t *st)
{
	return (double)(next_u64(st) >> 11) / 9007199254740992.0;
}

static double uni(struct vtc_sim *s)
{
	return uni_from(&s->rng);
}

static double gauss(struct vtc_sim *s)
{
	double u = uni(s), v = uni(s);
	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

static double lognoise(struct vtc_sim *s, double sigma)
{
	return exp(sigma * gauss(s));
}

int vtc_sim_pcpu(const struct vtc_sim_host *h, int socket, int core_in_socket, int thread)
{
	int per_socket = h->llc_per_socket * h->cores_per_llc;
	return thread * h->sockets * per_socket + socket * per_socket + core_in_socket;
}

void vtc_sim_place_cores(const struct vtc_sim_host *h, int nv, int *pin)
{
	int per = h->llc_per_socket * h->cores_per_llc;
	for (int i = 0; i < nv; i++)
		pin[i] = vtc_sim_pcpu(h, i / per, i % per, 0);
}

void vtc_sim_place_smt(const struct vtc_sim_host *h, int nv, int *pin)
{
	for (int i = 0; i < nv; i++)
		pin[i] = vtc_sim_pcpu(h, 0, i / 2, i % 2);
}

void vtc_sim_place_smt_split(const struct vtc_sim_host *h, int nv, int *pin)
{
	int half = nv / 2;
	for (int i = 0; i < nv; i++) {
		int core = (i % half) / 2, sock = i / half;
		pin[i] = vtc_sim_pcpu(h, h->sockets > 1 ? sock : 0,
				      h->sockets > 1 ? core : (i / 2), i % 2);
	}
}

void vtc_sim_place_threads(const struct vtc_sim_host *h, int nv, int *pin)
{
	int half = nv / 2 > 0 ? nv / 2 : 1;
	for (int i = 0; i < nv; i++)
		pin[i] = vtc_sim_pcpu(h, 0, i % half, i / half);
}

static int host_cpus(const struct vtc_sim_host *h)
{
	return h->sockets * h->llc_per_socket * h->cores_per_llc * h->threads;
}

static int host_cores(const struct vtc_sim_host *h)
{
	return h->sockets * h->llc_per_socket * h->cores_per_llc;
}

static int llc_of(const struct vtc_sim_host *h, int p)
{
	return p % host_cores(h) / h->cores_per_llc;
}

static int socket_of(const struct vtc_sim_host *h, int p)
{
	return llc_of(h, p) / h->llc_per_socket;
}

/* Base one-way ns between two distinct pCPUs, by the level they share. */
static double base_ns(const struct vtc_sim_host *h, int x, int y)
{
	if (x % host_cores(h) == y % host_cores(h))
		return h->smt_ns;
	if (llc_of(h, x) == llc_of(h, y))
		return h->llc_ns;
	if (socket_of(h, x) == socket_of(h, y))
		return h->socket_ns;
	return h->remote_ns;
}

static bool siblings(const struct vtc_sim_host *h, int x, int y)
{
	return x != y && x % host_cores(h) == y % host_cores(h);
}

/* Fixed per-pCPU-pair factor (mesh distance, ring stops): sigma 5%. */
static double pair_factor(const struct vtc_sim *s, int x, int y)
{
	uint64_t st = s->seed * 1000003u + (uint64_t)(x < y ? x : y) * 4099u + (uint64_t)(x < y ? y : x);
	double u = (double)(next_u64(&st) >> 11) / 9007199254740992.0;
	return exp(0.05 * (2 * u - 1) * 1.7);
}

#define CALL_START_S 0.0008      /* wake and pin the threads of one call */
#define THROUGHPUT_CALL_S 0.007  /* hw: 4 x 1.5 ms loops + start */

/* Exponential draw with mean @mean from the dwell model's stream. */
static double expo(struct vtc_sim *s, double mean)
{
	return -mean * log(1 - uni_from(&s->rng_move));
}

/* Start a dwell: dwell_b onto the SMT sibling of dwell_a's pCPU; a vCPU
 * at home there takes dwell_b's home pCPU meanwhile. */
static void share_core(struct vtc_sim *s)
{
	int sib = (s->pin[s->dwell_a] + host_cores(s->host)) % host_cpus(s->host);

	for (int v = 0; v < s->nv; v++)
		if (s->map[v] == sib)
			s->map[v] = s->pin[s->dwell_b];
	s->map[s->dwell_b] = sib;
}

/* Bring the dwell model up to the modelled clock: a long call may see a
 * dwell both begin and end. Start to start, dwells are share * mean +
 * Exp((1 - share) * mean) apart: mean move_every_s, and the pair shares
 * a core for the fraction @share of the time. */
static void dwell_step(struct vtc_sim *s)
{
	for (;;) {
		if (s->dwell_end_s >= 0) {
			if (s->clock_s < s->dwell_end_s)
				return;
			memcpy(s->map, s->pin, sizeof(int) * (size_t)s->nv);
			s->next_move_s = s->dwell_end_s + expo(s, (1 - s->share) * s->move_every_s);
			s->dwell_end_s = -1;
		} else {
			if (s->clock_s < s->next_move_s)
				return;
			if (s->first_dwell_s < 0)
				s->first_dwell_s = s->next_move_s;
			s->dwells++;
			s->dwell_end_s = s->next_move_s + s->share * s->move_every_s;
			share_core(s);
		}
	}
}

static void redraw(struct vtc_sim *s)
{
	int tmp[VTC_SIM_MAX_VCPUS];

	memcpy(tmp, s->pool, sizeof(int) * (size_t)s->npool);
	for (int i = 0; i < s->nv; i++) {
		int j = i + (int)(uni(s) * (s->npool - i));
		int t = tmp[i];
		tmp[i] = tmp[j];
		tmp[j] = t;
		s->map[i] = tmp[i];
	}
}

static int common_init(struct vtc_sim *s, const struct vtc_sim_host *h, int nv, double load,
		       uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	if (!h || nv < 1 || nv > VTC_SIM_MAX_VCPUS)
		return -EINVAL;
	s->host = h;
	s->nv = nv;
	s->load = load;
	s->seed = seed;
	s->rng = seed * 0x2545f4914f6cdd1dULL + 1;
	s->rng_int = seed * 0x9e3779b97f4a7c15ULL + 0x5bd1e995u;
	s->last_pass = -1;
	return 0;
}

int vtc_sim_init_pinned(struct vtc_sim *s, const struct vtc_sim_host *h, int nv,
			const int *pin, double load, uint64_t seed)
{
	int rc = common_init(s, h, nv, load, seed);

	for (int i = 0; rc == 0 && i < nv; i++) {
		if (pin[i] < 0 || pin[i] >= host_cpus(h))
			return -EINVAL;
		s->pin[i] = s->map[i] = pin[i];
	}
	return rc;
}

int vtc_sim_init_floating(struct vtc_sim *s, const struct vtc_sim_host *h, int nv,
			  const int *pool, int npool, double load, uint64_t seed)
{
	int rc = common_init(s, h, nv, load, seed);

	if (rc || npool < nv || npool > VTC_SIM_MAX_VCPUS)
		return rc ? rc : -EINVAL;
	s->floating = true;
	s->npool = npool;
	memcpy(s->pool, pool, sizeof(int) * (size_t)npool);
	redraw(s);
	return 0;
}

int vtc_sim_init_dwell(struct vtc_sim *s, const struct vtc_sim_host *h, int nv,
		       const int *pin, double load, uint64_t seed, double move_every_s,
		       double share)
{
	int rc = vtc_sim_init_pinned(s, h, nv, pin, load, seed);

	if (rc)
		return rc;
	if (nv < 2 || h->threads < 2 || !(move_every_s > 0) || !(share > 0 && share < 1))
		return -EINVAL;
	for (int i = 0; i < nv; i++)
		for (int j = i + 1; j < nv; j++)
			if (pin[i] == pin[j])
				return -EINVAL;
	s->clocked = true;
	s->move_every_s = move_every_s;
	s->share = share;
	s->rng_move = seed * 0xd1342543de82ef95ULL + 0x632be59bu;
	s->dwell_a = (int)(uni_from(&s->rng_move) * nv);
	s->dwell_b = (s->dwell_a + 1 + (int)(uni_from(&s->rng_move) * (nv - 1))) % nv;
	s->dwell_end_s = -1;
	s->first_dwell_s = -1;
	s->next_move_s = expo(s, move_every_s);
	return 0;
}

/* Unpinned vCPUs move: at every new pass, and now and then within one;
 * dwell floats by the modelled clock instead. */
static void maybe_move(struct vtc_sim *s, int pass)
{
	if (s->move_every_s > 0) {
		dwell_step(s);
		return;
	}
	if (!s->floating)
		return;
	if (pass != s->last_pass || uni(s) < 0.12)
		redraw(s);
	s->last_pass = pass;
}

static bool stacked_cpu(const struct vtc_sim *s, int v)
{
	for (int i = 0; i < s->nv; i++)
		if (i != v && s->map[i] == s->map[v])
			return true;
	return false;
}

/* Another job's vCPU on the same pCPU steals the CPU for ms at a time. */
static bool crowded(const struct vtc_sim *s, const struct vtc_pingpong_job *jobs, int n, int me)
{
	for (int j = 0; j < n; j++)
		for (int x = 0; j != me && x < 2; x++) {
			int v = x ? jobs[j].b : jobs[j].a;
			if (s->map[v] == s->map[jobs[me].a] || s->map[v] == s->map[jobs[me].b])
				return true;
		}
	return false;
}

/* Whether the SMT sibling of pCPU @x runs a vCPU of a job other than @me. */
static bool sibling_busy(const struct vtc_sim *s, const struct vtc_pingpong_job *jobs, int n,
			 int me, int x)
{
	for (int j = 0; j < n; j++)
		if (j != me && (siblings(s->host, x, s->map[jobs[j].a]) ||
				siblings(s->host, x, s->map[jobs[j].b])))
			return true;
	return false;
}

/* Fabric domains a job's handoffs cross (ids: LLC index, then nllc +
 * socket); 0 when they stay in one core (same pCPU or SMT siblings). */
static int domains(const struct vtc_sim_host *h, int x, int y, int *d)
{
	int nllc = h->sockets * h->llc_per_socket;

	if (x == y || siblings(h, x, y))
		return 0;
	if (llc_of(h, x) == llc_of(h, y)) {
		d[0] = llc_of(h, x);
		return 1;
	}
	d[0] = llc_of(h, x);
	d[1] = llc_of(h, y);
	d[2] = nllc + socket_of(h, x);
	d[3] = nllc + socket_of(h, y);
	return 4;
}

static bool share_domain(const int *d1, int n1, const int *d2, int n2)
{
	for (int i = 0; i < n1; i++)
		for (int j = 0; j < n2; j++)
			if (d1[i] == d2[j])
				return true;
	return false;
}

/* Whether two jobs cross the same socket link (unordered socket pair). */
static bool same_link(const struct vtc_sim_host *h, int x, int y, int xj, int yj)
{
	int sx = socket_of(h, x), sy = socket_of(h, y), tx = socket_of(h, xj), ty = socket_of(h, yj);

	return sx != sy && ((sx == tx && sy == ty) || (sx == ty && sy == tx));
}

/* Median factor (>= 1) of fabric load on job @me from the other jobs. */
static double fabric_load(struct vtc_sim *s, const struct vtc_pingpong_job *jobs, int n, int me)
{
	const struct vtc_sim_host *h = s->host;
	int x = s->map[jobs[me].a], y = s->map[jobs[me].b], d[4], dj[4], nd, n_die = 0, n_link = 0;

	nd = domains(h, x, y, d);
	if (!nd)
		return 1;
	for (int j = 0; j < n; j++) {
		int xj = s->map[jobs[j].a], yj = s->map[jobs[j].b], ndj;
		if (j == me || !(ndj = domains(h, xj, yj, dj)))
			continue;
		n_die += share_domain(d, nd, dj, ndj);
		n_link += same_link(h, x, y, xj, yj);
	}
	return 1 + fmin(0.25, n_die * (0.005 + 0.015 * uni_from(&s->rng_int))) +
	       fmin(0.30, n_link * (0.01 + 0.03 * uni_from(&s->rng_int)));
}

/* What the other jobs of one concurrent call do to job @me: the median
 * factor (>= 1) and, in *@tail, an extra factor (>= 1) on the p90. */
static double interference(struct vtc_sim *s, const struct vtc_pingpong_job *jobs, int n,
			   int me, double *tail)
{
	double f = 1;

	*tail = 1;
	if (n < 2 || !s->interference)
		return 1;
	for (int side = 0; side < 2; side++)
		if (sibling_busy(s, jobs, n, me, s->map[side ? jobs[me].b : jobs[me].a])) {
			f *= 1.15 + 0.25 * uni_from(&s->rng_int);
			*tail *= 1 + 0.25 * uni_from(&s->rng_int);
		}
	return f * fabric_load(s, jobs, n, me);
}

static void fill_stalled(struct vtc_sim *s, struct vtc_lat_stats *o,
			 const struct vtc_probe_params *p)
{
	o->stalled = true;
	o->stalls = (uint32_t)(p->stall_limit > 0 ? p->stall_limit : 1);
	o->samples = 0;
	o->handoff_ns = 1e6 * (1 + uni(s));
	o->median_ns = o->min_ns = o->p10_ns = o->p90_ns = o->handoff_ns;
}

/* @slow, @tail: interference factors (1 when measured alone). */
static void fill_normal(struct vtc_sim *s, int a, int b, double slow, double tail,
			struct vtc_lat_stats *o, const struct vtc_probe_params *p)
{
	int x = s->map[a], y = s->map[b];
	double noisy0 = (a == 0 || b == 0) ? 1 + 0.05 * uni(s) : 1; /* cpu0 takes IRQs */
	double med = base_ns(s->host, x, y) * pair_factor(s, x, y) * lognoise(s, 0.03) *
		     (1 + s->load * 0.15 * uni(s)) * noisy0 * slow;

	o->median_ns = med;
	o->min_ns = med * 0.88;
	o->p10_ns = med * 0.93;
	o->p90_ns = med * (1.08 + s->load * 1.5 * uni(s) + (noisy0 > 1 ? 0.3 : 0)) * tail;
	o->samples = (uint32_t)(p->max_samples * (1 - 0.3 * s->load * uni(s)));
	if (o->samples < 1)
		o->samples = 1;
	o->discarded = (uint32_t)(20 * s->load * uni(s));
	o->round_trips = (uint32_t)fmax(1, p->sample_target_us * 1000 / (2 * med));
	o->stalls = uni(s) < 0.05 * s->load;
}

/* Steal accounting: every backend call is one tick of host time. */
static void advance(struct vtc_sim *s)
{
	for (int v = 0; v < s->nv; v++) {
		double f = 0.04 * s->load * uni(s) + (stacked_cpu(s, v) ? 0.3 + 0.1 * uni(s) : 0) +
			   (s->floating ? 0.08 * s->load * uni(s) : 0);
		s->total[v] += 1000;
		s->steal[v] += (uint64_t)(1000 * f);
	}
}

/* Modelled seconds of one pingpong call (see the time model above). */
static double pingpong_s(const struct vtc_pingpong_job *jobs, int n,
			 const struct vtc_probe_params *p)
{
	double longest = 0;

	for (int i = 0; i < n; i++) {
		const struct vtc_lat_stats *o = jobs[i].out;
		double t = o->stalled ? fmin(p->pair_max_ms * 1e-3, o->stalls * o->handoff_ns * 1e-9)
				      : (o->samples + o->discarded) * p->sample_target_us * 1e-6;
		longest = fmax(longest, t);
	}
	return CALL_START_S + longest;
}

static int sim_pingpong(void *ctx, struct vtc_pingpong_job *jobs, int n,
			const struct vtc_probe_params *p)
{
	struct vtc_sim *s = ctx;

	for (int i = 0; i < n; i++)
		if (jobs[i].a < 0 || jobs[i].b < 0 || jobs[i].a >= s->nv || jobs[i].b >= s->nv ||
		    jobs[i].a == jobs[i].b)
			return -EINVAL;
	s->calls_pingpong++;
	s->jobs_pingpong += (unsigned long)n;
	for (int i = 0; i < n; i++) {
		struct vtc_lat_stats *o = jobs[i].out;
		int a = jobs[i].a, b = jobs[i].b;
		double slow, tail;

		maybe_move(s, jobs[i].pass);
		s->dwell_measured += s->dwells > 0 && s->dwell_end_s >= 0 &&
				     ((a == s->dwell_a && b == s->dwell_b) ||
				      (a == s->dwell_b && b == s->dwell_a));
		memset(o, 0, sizeof(*o));
		o->measured = true;
		/* Same pCPU, a vCPU sharing one with another job, or (rarely,
		 * under load) a preemption long enough to stall the pass. */
		if (s->map[a] == s->map[b] || crowded(s, jobs, n, i) || uni(s) < 0.02 * s->load) {
			fill_stalled(s, o, p);
			continue;
		}
		slow = interference(s, jobs, n, i, &tail);
		fill_normal(s, a, b, slow, tail, o, p);
	}
	advance(s);
	if (s->clocked)
		s->clock_s += pingpong_s(jobs, n, p);
	return 0;
}

static int sim_throughput(void *ctx, enum vtc_cont_kind kind, int a, int b, double *ra,
			  double *rb)
{
	struct vtc_sim *s = ctx;
	double sigma = 0.015 + 0.03 * s->load, ratio;

	if (a < 0 || a >= s->nv || b >= s->nv || (unsigned)kind >= VTC_CONT_KINDS)
		return -EINVAL;
	s->calls_throughput++;
	maybe_move(s, s->last_pass);
	if (s->clocked)
		s->clock_s += THROUGHPUT_CALL_S;
	if (b < 0) {
		*ra = lognoise(s, 0.01 + 0.02 * s->load);
		*rb = 0;
		return 0;
	}
	if (a == b || s->map[a] == s->map[b])
		ratio = 0.5;
	else if (siblings(s->host, s->map[a], s->map[b]))
		ratio = s->host->smt_ratio[kind];
	else
		ratio = 0.98;
	*ra = ratio * lognoise(s, sigma);
	*rb = ratio * lognoise(s, sigma);
	advance(s);
	return 0;
}

/* What a thread on pCPU @x loses to the other jobs of a concurrent
 * contention round: 0.5 sharing the pCPU (stacking, always on, as for
 * pingpong), the host's SMT ratio next to a busy sibling thread (with
 * s->interference), else nothing (the loops stay in the core). */
static double round_share(const struct vtc_sim *s, enum vtc_cont_kind kind,
			  const int (*pairs)[2], int n, int me, int x)
{
	double f = 1;

	for (int j = 0; j < n; j++)
		for (int k = 0; k < 2 && j != me; k++) {
			int w = pairs[j][k];
			if (w < 0)
				continue;
			if (s->map[w] == x)
				f = f < 0.5 ? f : 0.5;
			else if (s->interference && siblings(s->host, s->map[w], x) &&
				 s->host->smt_ratio[kind] < f)
				f = s->host->smt_ratio[kind];
		}
	return f;
}

/* Jobs of one contention round at once, one backend call: the host moves
 * and accrues steal once per call, as for pingpong. Each job draws its
 * noise from a stream of its own (seed, kind, vCPUs), so what it reads
 * does not depend on which round the scheduler packed it into. Ratios as
 * sim_throughput, then slowed by what the other jobs of the round share
 * with each side (round_share). */
static int sim_throughput_many(void *ctx, enum vtc_cont_kind kind, const int (*pairs)[2], int n,
			       double *rates)
{
	struct vtc_sim *s = ctx;
	unsigned char used[VTC_SIM_MAX_VCPUS] = {0};
	uint64_t main_rng = s->rng;

	for (int i = 0; i < n; i++)
		for (int k = 0; k < 2; k++) {
			int v = pairs[i][k];
			if (v >= s->nv || (v < 0 && k == 0) || (unsigned)kind >= VTC_CONT_KINDS ||
			    (v >= 0 && used[v] && !(k == 1 && v == pairs[i][0])))
				return -EINVAL; /* a vCPU in two jobs of one call */
			if (v >= 0)
				used[v] = 1;
		}
	s->calls_throughput++;
	maybe_move(s, s->last_pass);
	main_rng = s->rng;
	for (int i = 0; i < n; i++) {
		int a = pairs[i][0], b = pairs[i][1];
		double ratio = 0.98;
		s->rng = s->seed * 0x2545f4914f6cdd1dULL + 0x632be59bd9b4e019ULL * (uint64_t)(kind + 1) +
			 (uint64_t)(a + 1) * 1000003u + (uint64_t)(b + 2);
		if (b < 0) {
			rates[2 * i] = lognoise(s, 0.01 + 0.02 * s->load);
			rates[2 * i + 1] = 0;
			continue;
		}
		if (a == b || s->map[a] == s->map[b])
			ratio = 0.5;
		else if (siblings(s->host, s->map[a], s->map[b]))
			ratio = s->host->smt_ratio[kind];
		rates[2 * i] = ratio * lognoise(s, 0.015 + 0.03 * s->load);
		rates[2 * i + 1] = ratio * lognoise(s, 0.015 + 0.03 * s->load);
	}
	s->rng = main_rng;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 2; k++)
			if (pairs[i][k] >= 0)
				rates[2 * i + k] *= round_share(s, kind, pairs, n, i,
								s->map[pairs[i][k]]);
	advance(s);
	return 0;
}

static int sim_cpu_times(void *ctx, int ncpus, uint64_t *steal, uint64_t *total)
{
	struct vtc_sim *s = ctx;

	for (int c = 0; c < ncpus; c++) {
		steal[c] = c < s->nv ? s->steal[c] : 0;
		total[c] = c < s->nv ? s->total[c] : 0;
	}
	return 0;
}

static double sim_now(void *ctx)
{
	return ((const struct vtc_sim *)ctx)->clock_s;
}

static void sim_rest(void *ctx, double s)
{
	((struct vtc_sim *)ctx)->clock_s += s;
}

void vtc_sim_backend(struct vtc_sim *s, struct vtc_backend *be)
{
	memset(be, 0, sizeof(*be));
	be->name = "sim";
	be->ctx = s;
	be->pingpong = sim_pingpong;
	be->throughput = sim_throughput;
	be->throughput_many = sim_throughput_many;
	be->cpu_times = sim_cpu_times;
	if (s->clocked) {
		be->now = sim_now;
		be->rest = sim_rest;
	}
}

int vtc_sim_measure(struct vtc_sim *s, int passes, bool cont, const int (*extra)[2],
		    int n_extra, struct vtc_results *out)
{
	struct vtc_backend be;
	struct vtc_probe_params p;
	vtc_cpuset cpus;

	s->clocked |= s->window_s > 0; /* a window is timed on the modelled clock */
	vtc_sim_backend(s, &be);
	vtc_cpuset_clear(&cpus);
	for (int v = 0; v < s->nv; v++)
		vtc_cpuset_set(&cpus, v);
	vtc_probe_params_default(&p);
	p.passes = passes;
	p.contention = cont;
	p.serial = s->serial;
	if (s->window_s > 0) {
		p.watch = true;
		p.budget_s = s->window_s;
	}
	/* The real scheduler: rounds of disjoint pairs, re-measure of doubtful
	 * pairs, contention partners and controls, steal over the run. */
	return vtc_probe_run_with(&be, &cpus, &p, extra, n_extra, NULL, NULL, out);
}

/* Fill siblings of @level from a key per vCPU. */
static void sib_from(struct vtc_topo *t, enum vtc_level level, const int *key)
{
	for (int a = 0; a < t->ncpus; a++) {
		vtc_cpuset_clear(&t->cpu[a].siblings[level]);
		for (int b = 0; b < t->ncpus; b++)
			if (key[a] == key[b])
				vtc_cpuset_set(&t->cpu[a].siblings[level], b);
	}
}

int vtc_sim_topo(struct vtc_topo *t, int sockets, int cores, int threads, int l3_per_socket)
{
	int n = sockets * cores * threads, rc;
	int core_key[VTC_SIM_MAX_VCPUS], pkg[VTC_SIM_MAX_VCPUS], l3[VTC_SIM_MAX_VCPUS];

	if (sockets < 1 || cores < 1 || threads < 1 || n > VTC_SIM_MAX_VCPUS ||
	    (l3_per_socket > 0 && cores % l3_per_socket))
		return -EINVAL;
	rc = vtc_topo_init(t, "sim", n);
	if (rc)
		return rc;
	for (int v = 0; v < n; v++) {
		struct vtc_topo_cpu *c = &t->cpu[v];
		c->possible = c->present = c->online = true;
		c->thread_id = v % threads;
		c->core_id = (v / threads) % cores;
		c->package_id = c->die_id = c->numa_node = v / (threads * cores);
		core_key[v] = v / threads;
		pkg[v] = c->package_id;
		l3[v] = l3_per_socket > 0 ?
			pkg[v] * l3_per_socket + c->core_id / (cores / l3_per_socket) : -1;
		vtc_cpuset_set(&t->possible, v);
	}
	t->present = t->online = t->allowed = t->possible;
	sib_from(t, VTC_LEVEL_SMT, core_key);
	sib_from(t, VTC_LEVEL_L1D, core_key);
	sib_from(t, VTC_LEVEL_L2, core_key);
	sib_from(t, VTC_LEVEL_PACKAGE, pkg);
	sib_from(t, VTC_LEVEL_DIE, pkg);
	sib_from(t, VTC_LEVEL_NUMA, pkg);
	if (l3_per_socket > 0)
		sib_from(t, VTC_LEVEL_L3, l3);
	rc = vtc_topo_build_groups(t);
	if (rc)
		vtc_topo_free(t);
	return rc;
}

void vtc_sim_platform(const struct vtc_sim_host *h, const char *product, struct vtc_platform *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->cpu_vendor, sizeof(p->cpu_vendor), "%s", h->vendor);
	snprintf(p->cpuid_vendor, sizeof(p->cpuid_vendor), "%s", h->vendor);
	snprintf(p->hypervisor, sizeof(p->hypervisor), "kvm");
	snprintf(p->dmi_product_name, sizeof(p->dmi_product_name), "%s",
		 product ? product : "Standard PC (Q35 + ICH9, 2009)");
}

int vtc_sim_smt_pairs(const struct vtc_topo *t, int (*pairs)[2], int max)
{
	int n = 0, a, b;

	for (int q = 0; t->level_known[VTC_LEVEL_SMT] && q < t->groups[VTC_LEVEL_SMT].count; q++)
		vtc_cpuset_foreach(a, &t->groups[VTC_LEVEL_SMT].set[q])
			vtc_cpuset_foreach(b, &t->groups[VTC_LEVEL_SMT].set[q])
				if (a < b && n < max) {
					pairs[n][0] = a;
					pairs[n][1] = b;
					n++;
				}
	return n;
}
