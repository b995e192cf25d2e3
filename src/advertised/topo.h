/* topo.h - the advertised topology model, one instance per source (sysfs, CPUID).
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Every *possible* CPU has an entry; only online ones carry ids and sibling
 * sets. Unknown ids are -1, unknown sibling sets are empty. Groups are the
 * partition of online CPUs at each level, derived from the sibling sets by
 * vtc_topo_build_groups() so every source is compared the same way. */
#ifndef VTC_TOPO_H
#define VTC_TOPO_H

#include <stdbool.h>
#include <stdint.h>
#include "src/advertised/cpuset.h"

enum vtc_level {
	VTC_LEVEL_SMT,     /* hardware threads of one core */
	VTC_LEVEL_CLUSTER, /* cores sharing an L2/cluster (ARM, Intel E-core modules) */
	VTC_LEVEL_DIE,
	VTC_LEVEL_PACKAGE, /* socket */
	VTC_LEVEL_L1D,
	VTC_LEVEL_L2,
	VTC_LEVEL_L3,      /* last-level cache */
	VTC_LEVEL_NUMA,
	VTC_LEVEL_COUNT
};

/* Short stable name ("smt", "cluster", "die", "package", "l1d", "l2", "l3",
 * "numa") used in text and JSON. */
const char *vtc_level_name(enum vtc_level level);

struct vtc_topo_cpu {
	bool possible, present, online;
	int thread_id;  /* SMT id within the core */
	int core_id;
	int cluster_id;
	int die_id;
	int package_id;
	int numa_node;
	int64_t x2apic_id;
	vtc_cpuset siblings[VTC_LEVEL_COUNT]; /* includes the CPU itself */
};

struct vtc_groups {
	int count;
	vtc_cpuset *set; /* sorted by lowest member */
};

struct vtc_topo {
	char source[16];   /* "sysfs", "cpuid", "sim", ... */
	int ncpus;         /* entries in cpu[]: highest possible id + 1 */
	struct vtc_topo_cpu *cpu;
	vtc_cpuset possible, present, online;
	vtc_cpuset allowed; /* sched_getaffinity of the process; = online offline */
	bool level_known[VTC_LEVEL_COUNT];
	struct vtc_groups groups[VTC_LEVEL_COUNT];
	long cache_kib[VTC_LEVEL_COUNT]; /* per-instance size, 0 unknown (cache levels only) */
	/* CPUID only (0 elsewhere): how many logical-processor ids one instance
	 * spans as advertised -- caches: the raw leaf 4/0x8000001D "max ids
	 * sharing" count (largest over CPUs); smt/die/package: 1 << APIC-id
	 * shift. Lets consist spot a cache claimed wider than its package. */
	int ids_sharing[VTC_LEVEL_COUNT];
};

/* Allocate @ncpus entries (1..VTC_CPUSET_MAX), all ids -1, nothing possible.
 * Returns 0, -EINVAL, -ENOMEM. */
int vtc_topo_init(struct vtc_topo *t, const char *source, int ncpus);
void vtc_topo_free(struct vtc_topo *t);

/* Derive groups[] from the online CPUs' sibling sets (restricted to online
 * CPUs). A level is known when every online CPU has a non-empty sibling set
 * containing itself and the sets form a partition. Returns 0, -ENOMEM. */
int vtc_topo_build_groups(struct vtc_topo *t);

/* Fill siblings[level] of online CPUs from an id: CPUs whose key() is equal
 * (and >= 0) are siblings. Used by sources that know ids, not lists. */
void vtc_topo_siblings_from_key(struct vtc_topo *t, enum vtc_level level,
				int64_t (*key)(const struct vtc_topo_cpu *c));

/* Index of the group holding @cpu, or -1. */
int vtc_groups_find(const struct vtc_groups *g, int cpu);

/* True when the groups of @level are equal in both models (same partition). */
bool vtc_topo_level_equal(const struct vtc_topo *a, const struct vtc_topo *b,
			  enum vtc_level level);

#endif
