/* topo_sysfs.c - read the advertised topology from sysfs (cpu, cache, node).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "src/stop.h"
#include "src/advertised/topo_sysfs.h"

#define CPU_DIR "sys/devices/system/cpu"
#define NODE_DIR "sys/devices/system/node"

/* Sibling files, newest name first. Names ending in "list" hold cpulists,
 * the others hex masks (kernels before 2.6.2x had only the masks). */
static const char *const smt_files[] = {
	"thread_siblings_list", "core_cpus_list", "thread_siblings", "core_cpus", NULL
};
static const char *const cluster_files[] = { "cluster_cpus_list", "cluster_cpus", NULL };
static const char *const die_files[] = { "die_cpus_list", "die_cpus", NULL };
static const char *const package_files[] = {
	"package_cpus_list", "core_siblings_list", "package_cpus", "core_siblings", NULL
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* An optional integer: missing gives -1 and success. */
static int read_opt_int(const struct vtc_sysfs *fs, int *out, const char *path)
{
	int rc = vtc_sysfs_read_int(fs, out, "%s", path);

	if (rc == -ENOENT) {
		*out = -1;
		return 0;
	}
	return rc;
}

/* The first sibling file of @names that exists, into @out; none leaves @out
 * empty (level unknown) and succeeds. */
static int read_first_set(const struct vtc_sysfs *fs, const char *dir,
			  const char *const *names, vtc_cpuset *out)
{
	vtc_cpuset_clear(out);
	for (; *names; names++) {
		int rc = ends_with(*names, "list")
			? vtc_sysfs_read_cpulist(fs, out, "%s/%s", dir, *names)
			: vtc_sysfs_read_cpumask(fs, out, "%s/%s", dir, *names);
		if (rc != -ENOENT)
			return rc;
	}
	return 0;
}

/* Old kernels have no online file: a CPU is online unless its own
 * cpuN/online says 0 (cpu0 often has no such file: it cannot go offline). */
static int online_from_dirs(const struct vtc_sysfs *fs, const vtc_cpuset *dirs,
			    vtc_cpuset *online)
{
	int cpu;

	vtc_cpuset_clear(online);
	vtc_cpuset_foreach(cpu, dirs) {
		int on, rc = vtc_sysfs_read_int(fs, &on, CPU_DIR "/cpu%d/online", cpu);
		if (rc == -ENOENT)
			on = 1;
		else if (rc < 0)
			return rc;
		if (on)
			vtc_cpuset_set(online, cpu);
	}
	return 0;
}

/* A whole-system cpulist, or @fallback when the file does not exist. */
static int read_sys_list(const struct vtc_sysfs *fs, const char *name,
			 const vtc_cpuset *fallback, vtc_cpuset *out)
{
	int rc = vtc_sysfs_read_cpulist(fs, out, CPU_DIR "/%s", name);

	if (rc == -ENOENT) {
		*out = *fallback;
		return 0;
	}
	return rc;
}

struct cpu_sets {
	vtc_cpuset dirs, possible, present, online;
};

static int read_cpu_sets(const struct vtc_sysfs *fs, struct cpu_sets *s)
{
	vtc_cpuset any;
	int rc = vtc_sysfs_scan_ids(fs, &s->dirs, "cpu", CPU_DIR);

	if (rc < 0)
		return vtc_sysfs_fail(fs, rc, CPU_DIR);
	rc = vtc_sysfs_read_cpulist(fs, &s->online, CPU_DIR "/online");
	if (rc == -ENOENT)
		rc = online_from_dirs(fs, &s->dirs, &s->online);
	if (rc < 0)
		return rc;
	if (vtc_cpuset_empty(&s->online)) /* we run on one, so one is online */
		return vtc_sysfs_fail(fs, -EINVAL, CPU_DIR "/online");
	vtc_cpuset_or(&any, &s->dirs, &s->online);
	if ((rc = read_sys_list(fs, "present", &any, &s->present)) < 0)
		return rc;
	vtc_cpuset_or(&any, &any, &s->present);
	if ((rc = read_sys_list(fs, "possible", &any, &s->possible)) < 0)
		return rc;
	/* Recordings are sometimes inconsistent; never lose an online CPU. */
	vtc_cpuset_or(&s->present, &s->present, &s->online);
	vtc_cpuset_or(&s->possible, &s->possible, &s->present);
	return 0;
}

/* Rank of @cpu among its SMT siblings: the thread id Linux does not export. */
static int rank_in(const vtc_cpuset *set, int cpu)
{
	int c, rank = 0;

	if (!vtc_cpuset_test(set, cpu))
		return -1;
	vtc_cpuset_foreach(c, set) {
		if (c == cpu)
			break;
		rank++;
	}
	return rank;
}

static int read_cpu_topology(const struct vtc_sysfs *fs, struct vtc_topo_cpu *c, int cpu)
{
	struct { const char *name; int *id; } ids[] = {
		{ "core_id", &c->core_id }, { "cluster_id", &c->cluster_id },
		{ "die_id", &c->die_id }, { "physical_package_id", &c->package_id },
	};
	char dir[64];
	int rc;

	snprintf(dir, sizeof(dir), CPU_DIR "/cpu%d/topology", cpu);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char path[96];
		snprintf(path, sizeof(path), "%s/%s", dir, ids[i].name);
		if ((rc = read_opt_int(fs, ids[i].id, path)) < 0)
			return rc;
	}
	if ((rc = read_first_set(fs, dir, smt_files, &c->siblings[VTC_LEVEL_SMT])) < 0 ||
	    (rc = read_first_set(fs, dir, cluster_files, &c->siblings[VTC_LEVEL_CLUSTER])) < 0 ||
	    (rc = read_first_set(fs, dir, die_files, &c->siblings[VTC_LEVEL_DIE])) < 0 ||
	    (rc = read_first_set(fs, dir, package_files, &c->siblings[VTC_LEVEL_PACKAGE])) < 0)
		return rc;
	c->thread_id = rank_in(&c->siblings[VTC_LEVEL_SMT], cpu);
	return 0;
}

/* Which of our levels a cache index describes, or -1 (instruction caches,
 * L4 and beyond: our "l3" is the level-3 cache even when an L4 exists). */
static int cache_level(int level, const char *type)
{
	if (strcmp(type, "Instruction") == 0)
		return -1;
	switch (level) {
	case 1: return VTC_LEVEL_L1D;
	case 2: return VTC_LEVEL_L2;
	case 3: return VTC_LEVEL_L3;
	default: return -1;
	}
}

static int read_cache_index(const struct vtc_sysfs *fs, struct vtc_topo *t, int cpu, int k)
{
	char dir[80], type[32];
	static const char *const shared[] = { "shared_cpu_list", "shared_cpu_map", NULL };
	int level, l, rc;
	long kib = 0;

	snprintf(dir, sizeof(dir), CPU_DIR "/cpu%d/cache/index%d", cpu, k);
	rc = vtc_sysfs_read_int(fs, &level, "%s/level", dir);
	if (rc == 0)
		rc = vtc_sysfs_read_str(fs, type, sizeof(type), "%s/type", dir);
	if (rc == -ENOENT)
		return 0; /* an index we cannot place is not an error */
	if (rc < 0)
		return rc;
	if ((l = cache_level(level, type)) < 0)
		return 0;
	if ((rc = read_first_set(fs, dir, shared, &t->cpu[cpu].siblings[l])) < 0)
		return rc;
	rc = vtc_sysfs_read_kib(fs, &kib, "%s/size", dir);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if (t->cache_kib[l] == 0)
		t->cache_kib[l] = kib; /* per-instance size of the lowest CPU's cache */
	return 0;
}

static int read_cpu_caches(const struct vtc_sysfs *fs, struct vtc_topo *t, int cpu)
{
	vtc_cpuset idx;
	int k, rc = vtc_sysfs_scan_ids(fs, &idx, "index", CPU_DIR "/cpu%d/cache", cpu);

	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc < 0)
		return rc;
	vtc_cpuset_foreach(k, &idx)
		if ((rc = read_cache_index(fs, t, cpu, k)) < 0)
			return rc;
	return 0;
}

/* NUMA nodes list their CPUs; a kernel without NUMA has no node directory
 * and the level stays unknown. Memory-only nodes list no CPU. */
static int read_numa(const struct vtc_sysfs *fs, struct vtc_topo *t)
{
	static const char *const files[] = { "cpulist", "cpumap", NULL };
	vtc_cpuset nodes, cpus;
	int node, cpu, rc = vtc_sysfs_scan_ids(fs, &nodes, "node", NODE_DIR);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	vtc_cpuset_foreach(node, &nodes) {
		char dir[64];
		snprintf(dir, sizeof(dir), NODE_DIR "/node%d", node);
		if ((rc = read_first_set(fs, dir, files, &cpus)) < 0)
			return rc;
		vtc_cpuset_and(&cpus, &cpus, &t->online);
		vtc_cpuset_foreach(cpu, &cpus) {
			if (cpu >= t->ncpus)
				break;
			t->cpu[cpu].numa_node = node;
			t->cpu[cpu].siblings[VTC_LEVEL_NUMA] = cpus;
		}
	}
	return 0;
}

static int read_online_cpus(const struct vtc_sysfs *fs, struct vtc_topo *t)
{
	int cpu, rc;

	vtc_cpuset_foreach(cpu, &t->online) {
		/* thousands of files on a big recorded machine: a signal ends it */
		if (vtc_stop_requested())
			return -EINTR;
		if ((rc = vtc_sysfs_exists(fs, CPU_DIR "/cpu%d/topology", cpu)
			  ? read_cpu_topology(fs, &t->cpu[cpu], cpu) : 0) < 0)
			return rc;
		if ((rc = read_cpu_caches(fs, t, cpu)) < 0)
			return rc;
	}
	return read_numa(fs, t);
}

int vtc_topo_read_sysfs(const struct vtc_sysfs *fs, struct vtc_topo *t)
{
	struct cpu_sets s;
	int cpu, rc;

	memset(t, 0, sizeof(*t));
	if ((rc = read_cpu_sets(fs, &s)) < 0)
		return rc;
	if ((rc = vtc_topo_init(t, "sysfs", vtc_cpuset_last(&s.possible) + 1)) < 0)
		return rc;
	t->possible = s.possible;
	t->present = s.present;
	t->online = t->allowed = s.online;
	vtc_cpuset_foreach(cpu, &s.possible) {
		t->cpu[cpu].possible = true;
		t->cpu[cpu].present = vtc_cpuset_test(&s.present, cpu);
		t->cpu[cpu].online = vtc_cpuset_test(&s.online, cpu);
	}
	rc = read_online_cpus(fs, t);
	if (rc == 0)
		rc = vtc_topo_build_groups(t);
	if (rc < 0)
		vtc_topo_free(t);
	return rc;
}
