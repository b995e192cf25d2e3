/* sim.h - host simulator: a probe backend synthesising what a guest would
 * measure on a modelled physical host, and advertised-topology builders.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Test-only code. It produces what a 2-vCPU no-SMT test VM cannot: SMT
 * siblings, CCX and socket tiers, stacked and floating vCPUs under host load.
 * Latencies follow published one-way numbers (SMT 7-13 ns, same socket
 * 43-55 ns Intel, same CCX 22-32 ns Zen, cross-CCX 108-159 ns, cross-socket
 * 97-267 ns, stacked 1-2 ms per handoff). */
#ifndef VTC_TEST_SIM_H
#define VTC_TEST_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include "probes/backend.h"
#include "src/advertised/platform.h"
#include "src/analysis/results.h"
#include "src/advertised/topo.h"

#define VTC_SIM_MAX_VCPUS 128

struct vtc_sim_host {
	const char *name;
	const char *vendor; /* "GenuineIntel", "AuthenticAMD", "ARM" */
	int sockets, llc_per_socket, cores_per_llc, threads;
	double smt_ns, llc_ns, socket_ns, remote_ns; /* one-way medians */
	double smt_ratio[VTC_CONT_KINDS]; /* co-run/solo of SMT siblings */
};

extern const struct vtc_sim_host vtc_sim_xeon4208;   /* 2S x 8c x 2t Xeon Silver 4208 */
extern const struct vtc_sim_host vtc_sim_cascade2s;  /* 2S x 24c x 2t Cascade Lake */
extern const struct vtc_sim_host vtc_sim_epyc;       /* 1S, 8 CCX x 8c x 2t (Zen 3) */
extern const struct vtc_sim_host vtc_sim_xeon4s;     /* 4S x 2c x 2t (hwloc 16em64t-4s2c2t) */
extern const struct vtc_sim_host vtc_sim_graviton;   /* 1S x 64c, no SMT, one mesh */
extern const struct vtc_sim_host vtc_sim_nosmt_l3x8; /* 1S, 4 L3 x 8c, no SMT */

/* Host load: share of host CPUs busy with other work. */
#define VTC_SIM_IDLE 0.0
#define VTC_SIM_LOADED 0.45
#define VTC_SIM_BUSY 0.9

struct vtc_sim {
	const struct vtc_sim_host *host;
	int nv;                         /* vCPUs */
	int pin[VTC_SIM_MAX_VCPUS];     /* pinned pCPU per vCPU (equal = stacked) */
	bool floating;                  /* vCPUs float over pool[] instead */
	int pool[VTC_SIM_MAX_VCPUS];
	int npool;
	double load;
	bool serial;                    /* ask the scheduler for one pair at a time */
	/* Model what the pairs of one concurrent call do to each other (busy
	 * SMT siblings, fabric load; see sim.c). Off after init, so other
	 * tests keep their numbers: with it on, test_sim_scenarios'
	 * socket_cascade2s_32 at load 0.9 is wrong in 4 of 20 seeds (see
	 * test_sim_concurrency.c) and its overcommit test sees one false
	 * "floating" (a seed shift; serial mode has two there). Stacking on
	 * one pCPU (another job's vCPU on this pair's pCPU) stalls either way. */
	bool interference;
	uint64_t rng, seed;
	uint64_t rng_int;               /* draws of the interference model only */
	unsigned long calls_pingpong;   /* backend calls, for cost comparisons */
	unsigned long jobs_pingpong;    /* pairs measured over those calls */
	unsigned long calls_throughput;
	/* Modelled clock: with @clocked the backend has a `now` (seconds of
	 * clock_s) and every call advances it by what it would take on
	 * hardware (sim.c: pingpong_s, THROUGHPUT_CALL_S), so a 10 s window
	 * runs in milliseconds. Off after vtc_sim_init_pinned/_floating, so
	 * their runs keep the wall clock and their numbers; on after
	 * vtc_sim_init_dwell. */
	bool clocked;
	/* > 0: vtc_sim_measure() also runs the observation window, on the
	 * modelled clock, for a budget of this many seconds (as a default run
	 * does after its full look). */
	double window_s;
	double clock_s;
	/* Floating with dwell times (vtc_sim_init_dwell; move_every_s 0: off).
	 * Dwells begin at exponential intervals (mean move_every_s, start to
	 * start); each puts dwell_b on the SMT sibling of dwell_a's pCPU for
	 * share * move_every_s, then both go home (pin[]). */
	double move_every_s, share;
	int dwell_a, dwell_b;
	double next_move_s;             /* when the next dwell begins */
	double dwell_end_s;             /* end of the current dwell, < 0: none */
	int dwells;                     /* dwells begun so far */
	int dwell_measured;             /* pingpong jobs on the dwelling pair
					 * while it dwelt: what a run could see */
	double first_dwell_s;           /* when the first began, < 0: none yet */
	uint64_t rng_move;              /* draws of the dwell model only */
	int map[VTC_SIM_MAX_VCPUS];     /* current placement */
	int last_pass;
	uint64_t steal[VTC_SIM_MAX_VCPUS], total[VTC_SIM_MAX_VCPUS];
};

/* Host pCPU number in Linux order: all first threads of every core, then
 * the second threads, ... (so 1 and 17 are siblings on the 4208). */
int vtc_sim_pcpu(const struct vtc_sim_host *h, int socket, int core_in_socket, int thread);

/* Placements: fill @pin (nv entries) with pCPUs of @h.
 * cores: vCPU i on core i, socket by socket (first threads only).
 * smt: vCPUs 2k, 2k+1 on the two threads of core k of socket 0.
 * smt_split: as smt, but half the guest on each socket when h has several.
 * threads: vCPUs i and i + nv/2 on the two threads of core i of socket 0
 *   (siblings far apart in vCPU order, as Linux numbers host threads). */
void vtc_sim_place_cores(const struct vtc_sim_host *h, int nv, int *pin);
void vtc_sim_place_smt(const struct vtc_sim_host *h, int nv, int *pin);
void vtc_sim_place_smt_split(const struct vtc_sim_host *h, int nv, int *pin);
void vtc_sim_place_threads(const struct vtc_sim_host *h, int nv, int *pin);

/* @nv vCPUs pinned on @pin (pin[i] = pCPU of vCPU i; a repeated pCPU makes
 * those vCPUs stacked). Returns 0 or -EINVAL. */
int vtc_sim_init_pinned(struct vtc_sim *s, const struct vtc_sim_host *h, int nv,
			const int *pin, double load, uint64_t seed);
/* @nv vCPUs floating over the @npool pCPUs of @pool (npool >= nv): the
 * placement is re-drawn every pass and, at random, during passes. */
int vtc_sim_init_floating(struct vtc_sim *s, const struct vtc_sim_host *h, int nv,
			  const int *pool, int npool, double load, uint64_t seed);

/* @nv vCPUs at home on @pin (distinct pCPUs of an SMT host), floating
 * with dwell times: from time 0 of the modelled clock, at exponential
 * intervals with mean @move_every_s (> 0), the host puts one pair (drawn
 * from @seed, the same pair all run) on the two threads of one core for a
 * dwell of @share * @move_every_s (0 < share < 1: the share of time the
 * pair shares a core), then moves it back. Turns the modelled clock on.
 * Returns 0 or -EINVAL (nv < 2, no SMT, repeated or bad pCPUs). */
int vtc_sim_init_dwell(struct vtc_sim *s, const struct vtc_sim_host *h, int nv,
		       const int *pin, double load, uint64_t seed, double move_every_s,
		       double share);

/* A probe backend (name "sim") over @s; with s->clocked it has `now`. */
void vtc_sim_backend(struct vtc_sim *s, struct vtc_backend *be);

/* Measure vCPUs 0..nv-1 through the real scheduler (vtc_probe_run_with)
 * over this backend: @passes passes, contention probes when @contention;
 * @extra (n_extra pairs, may be NULL) are co-run too, as the app does for
 * advertised SMT pairs. Returns what the scheduler returns. */
int vtc_sim_measure(struct vtc_sim *s, int passes, bool contention, const int (*extra)[2],
		    int n_extra, struct vtc_results *out);

/* Advertised topology (source "sim") of sockets x cores x threads vCPUs in
 * QEMU order (vCPU = (socket * cores + core) * threads + thread), with
 * @l3_per_socket L3 groups per socket (0: none known), one NUMA node per
 * socket, L2 per core. Returns 0, -EINVAL, -ENOMEM. */
int vtc_sim_topo(struct vtc_topo *t, int sockets, int cores, int threads, int l3_per_socket);

/* What a KVM guest on host @h would identify: the host's CPU vendor, KVM,
 * and DMI product @product (NULL: QEMU's Q35 machine). */
void vtc_sim_platform(const struct vtc_sim_host *h, const char *product, struct vtc_platform *p);

/* SMT pairs of @t (up to @max), for vtc_sim_measure's @extra. */
int vtc_sim_smt_pairs(const struct vtc_topo *t, int (*pairs)[2], int max);

#endif
