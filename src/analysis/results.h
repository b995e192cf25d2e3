/* results.h - everything the probes measured, as plain data.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Filled by probes/ (or the test simulator), read by infer/compare and the
 * reports. It holds raw statistics and the run parameters so a run can be
 * re-judged offline from its JSON report without probing again. */
#ifndef VTC_RESULTS_H
#define VTC_RESULTS_H

#include <stdbool.h>
#include <stdint.h>
#include "src/advertised/cpuset.h"

#define VTC_MAX_PASSES 4

/* Contention probe kinds: throughput loops co-run on two vCPUs. */
enum vtc_cont_kind {
	VTC_CONT_L1,  /* L1-resident load/store loop */
	VTC_CONT_L2,  /* L2-resident loop */
	VTC_CONT_ALU, /* integer ALU dependency chains */
	VTC_CONT_KINDS
};
const char *vtc_cont_kind_name(enum vtc_cont_kind k); /* "l1", "l2", "alu" */

struct vtc_timer_info {
	char name[24];        /* "rdtscp", "lfence-rdtsc", "cntvct", "monotonic-raw" */
	double ticks_per_ns;  /* 1.0 for monotonic-raw */
	char freq_source[32]; /* "cpuid-0x15", "cpuid-0x40000010", "calibrated", ... */
	bool invariant;       /* invariant/constant TSC (or not a TSC at all) */
};

struct vtc_probe_params {
	int passes;            /* >= 2: each pair measured in separate passes */
	double budget_s;       /* bound on the whole run */
	double pair_max_ms;    /* bound per pair per pass */
	int max_samples;       /* per pair per pass */
	double sample_target_us; /* adapt round trips per sample to this */
	double stall_ns;       /* a round trip slower than this is a stall */
	int stall_limit;       /* stop a pair after this many stalls */
	int lines;             /* cache lines a pair rotates through, one per sample */
	bool serial;           /* one pair at a time */
	bool contention;       /* run the contention probes */
	/* After one full look, keep re-measuring rounds of pairs until the
	 * budget ends (the observation window) or the answer is settled. */
	bool watch;
	int watch_samples;     /* samples per pair per watch measurement */
};

/* One pair in one pass. One-way ns = round-trip / 2. */
struct vtc_lat_stats {
	bool measured;
	bool stalled;           /* stopped early: round trips stalled repeatedly */
	uint32_t samples;       /* kept samples */
	uint32_t discarded;     /* taken off-CPU (migration) or otherwise invalid */
	uint32_t stalls;
	uint32_t round_trips;   /* per sample (adaptive K) */
	double min_ns, p10_ns, median_ns, p90_ns;
	double handoff_ns;      /* median per-handoff time when stalled, else 0 */
	double t_start_s;       /* when the pass measured it, since run start */
};

struct vtc_pair_result {
	int a, b; /* a < b, Linux CPU numbers */
	struct vtc_lat_stats pass[VTC_MAX_PASSES];
};

/* Co-run/solo throughput ratio for a pair; a == b is the same-vCPU control
 * (two threads on one vCPU, ~0.5 by construction). */
struct vtc_contention_result {
	int a, b;
	bool measured;
	double ratio[VTC_CONT_KINDS]; /* mean of both sides' co-run/solo */
	double steal_pct;             /* max steal of a, b during the co-run */
};

/* What changes when a live migration moves the guest to another host,
 * read at the start and again at the end of a live run (fingerprint.h). */
struct vtc_host_signals {
	bool known;          /* read at all (false: not recorded) */
	char cpu_model[128]; /* /proc/cpuinfo "model name" */
	char fms[40];        /* x86 family/model/stepping, "6/85/7"; "" unknown */
	char microcode[24];  /* /proc/cpuinfo "microcode", "0x5003604"; "" unknown */
	double tsc_khz;      /* the cycle counter against CLOCK_MONOTONIC_RAW over
			      * ~20 ms, kHz; 0 unknown (no cycle counter) */
};

/* One short re-measurement of a pair in the observation window. */
struct vtc_watch_sample {
	float t_s;     /* since the run started */
	float ns;      /* median one-way ns; < 0 stalled or not measured */
	int32_t pair;  /* index into pairs[] */
};

/* At most this many watch samples are kept (~48 MB); the window ends there. */
#define VTC_WATCH_MAX_SAMPLES (4 * 1024 * 1024)

struct vtc_results {
	int n;               /* number of probed CPUs */
	int *cpu;            /* probed CPU numbers, ascending, n entries */
	int ncpus_model;     /* size of per-CPU arrays: highest CPU id + 1 */
	vtc_cpuset probed;
	vtc_cpuset not_probed; /* online but outside the allowed cpuset / --cpus */
	struct vtc_timer_info timer;
	struct vtc_probe_params params;
	int n_passes;
	int n_pairs;         /* n(n-1)/2, triangular order over cpu[] ranks */
	struct vtc_pair_result *pairs;
	int n_contention, cap_contention;
	struct vtc_contention_result *contention;
	double *solo_rate[VTC_CONT_KINDS]; /* per CPU id, ops/ns, 0 unknown */
	double *steal_pct;   /* per CPU id over the whole run, -1 unknown */
	/* Mean number of runnable guest tasks other than vtopocheck, sampled
	 * around probing (/proc/loadavg), -1 unknown. Busy guest tasks stall
	 * ping-pong like stacked vCPUs do; this tells the two apart where the
	 * hypervisor accounts no steal (TCG, some clouds). */
	double foreign_runnable;
	/* Seconds the scheduler waited for a quiet guest before the full look,
	 * and the mean runnable foreign tasks while it waited (-1 unknown). */
	double quiet_wait_s, busy_runnable;
	double duration_s;
	bool interrupted;    /* SIGINT/SIGTERM: partial data */
	bool budget_exhausted;
	bool watchdog;       /* the wall-clock watchdog ended probing (timer.h) */
	/* The observation window: when watching started and ended (s since
	 * the run started; both 0 when the run did not watch), why it ended
	 * early ("" when it ran to the end of the budget), and the samples. */
	double watch_from_s, watch_to_s;
	char watch_end_reason[64];
	int n_watch, cap_watch;
	struct vtc_watch_sample *watch;
	/* Host signals at the start and the end of probing (end.known false
	 * when not re-read: simulator, import, a report without them). */
	struct vtc_host_signals host_start, host_end;
	char backend[16];    /* "hw", "sim", "import" */
};

/* Slot of the unordered pair of ranks (@i, @j), i != j, both below @n, in
 * the row-major upper triangle: (0,1) (0,2) .. (0,n-1) (1,2) ... The one
 * definition of the pair order of results.pairs and every per-pair array. */
static inline long vtc_pair_index(int n, int i, int j)
{
	if (i > j) {
		int t = i;
		i = j;
		j = t;
	}
	return (long)i * n - (long)i * (i + 1) / 2 + (j - i - 1);
}

/* Rank of the nearest partner of rank @i among @n ranks, by the per-pair
 * values @ns (vtc_pair_index order; a value <= 0 is unknown), leaving out
 * rank @skip (-1: none); -1 when there is none. The first of equals wins. */
int vtc_pairs_nearest(const double *ns, int n, int i, int skip);

/* Whether @runnable other guest tasks leave the guest quiet for @n probed
 * vCPUs: fewer than a quarter of them busy. Busy guest tasks stall the
 * ping-pong and halve co-runs just like stacked vCPUs; the scheduler waits
 * for such a moment and inference trusts stalls only then. -1 (unknown) is
 * neither quiet nor busy. */
static inline bool vtc_results_guest_quiet(double runnable, int n)
{
	return runnable >= 0 && runnable < 0.25 * n;
}

/* Allocate results for the CPUs in @probed, @passes passes (1..VTC_MAX_PASSES).
 * Pairs are pre-filled with a,b and measured=false. Returns 0, -EINVAL, -ENOMEM. */
int vtc_results_init(struct vtc_results *r, const vtc_cpuset *probed, int passes);
void vtc_results_free(struct vtc_results *r);
/* Default probe parameters (documented in README). */
void vtc_probe_params_default(struct vtc_probe_params *p);
/* Rank of @cpu among probed CPUs, or -1. */
int vtc_results_rank(const struct vtc_results *r, int cpu);
/* The pair (a,b) in either order, or NULL when either is not probed or a==b. */
struct vtc_pair_result *vtc_results_pair(const struct vtc_results *r, int a, int b);
/* Append a watch sample. Returns 0, -ENOSPC past VTC_WATCH_MAX_SAMPLES,
 * -EINVAL for a pair index out of range, -ENOMEM. */
int vtc_results_add_watch(struct vtc_results *r, double t_s, int pair, double ns);

/* Append a contention result (copied). Returns 0 or -ENOMEM. */
int vtc_results_add_contention(struct vtc_results *r, const struct vtc_contention_result *c);
/* The contention result for (a,b) in either order, or NULL. */
const struct vtc_contention_result *vtc_results_contention(const struct vtc_results *r, int a, int b);
/* Median over measured, non-stalled passes of the pair's median one-way ns;
 * -1 when no pass measured it without stalling. */
double vtc_results_pair_median(const struct vtc_results *r, int a, int b);
/* Whether any of the pair's @passes measured it (stalled or not). */
bool vtc_pair_measured(const struct vtc_pair_result *p, int passes);
/* The fastest of those passes' medians (the pair's level in the full look);
 * -1 as above. */
double vtc_pair_fastest_ns(const struct vtc_pair_result *p, int passes);

#endif
