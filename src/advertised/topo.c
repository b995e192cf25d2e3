/* topo.c - the advertised topology model and its group partitions.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/advertised/topo.h"
#include "src/vtc.h"

static const char *const level_names[VTC_LEVEL_COUNT] = {
	[VTC_LEVEL_SMT] = "smt",     [VTC_LEVEL_CLUSTER] = "cluster",
	[VTC_LEVEL_DIE] = "die",     [VTC_LEVEL_PACKAGE] = "package",
	[VTC_LEVEL_L1D] = "l1d",     [VTC_LEVEL_L2] = "l2",
	[VTC_LEVEL_L3] = "l3",       [VTC_LEVEL_NUMA] = "numa",
};

const char *vtc_level_name(enum vtc_level level)
{
	return (unsigned)level < VTC_LEVEL_COUNT ? level_names[level] : "?";
}

int vtc_topo_init(struct vtc_topo *t, const char *source, int ncpus)
{
	memset(t, 0, sizeof(*t));
	if (ncpus < 1 || ncpus > VTC_CPUSET_MAX)
		return -EINVAL;
	t->cpu = calloc((size_t)ncpus, sizeof(*t->cpu));
	if (!t->cpu)
		return -ENOMEM;
	t->ncpus = ncpus;
	strncpy(t->source, source ? source : "", sizeof(t->source) - 1);
	for (int i = 0; i < ncpus; i++) {
		struct vtc_topo_cpu *c = &t->cpu[i];
		c->thread_id = c->core_id = c->cluster_id = -1;
		c->die_id = c->package_id = c->numa_node = -1;
		c->x2apic_id = -1;
	}
	return 0;
}

static void groups_free(struct vtc_groups *g)
{
	free(g->set);
	g->set = NULL;
	g->count = 0;
}

void vtc_topo_free(struct vtc_topo *t)
{
	if (!t)
		return;
	for (int l = 0; l < VTC_LEVEL_COUNT; l++)
		groups_free(&t->groups[l]);
	free(t->cpu);
	t->cpu = NULL;
	t->ncpus = 0;
}

int vtc_groups_find(const struct vtc_groups *g, int cpu)
{
	for (int i = 0; i < g->count; i++)
		if (vtc_cpuset_test(&g->set[i], cpu))
			return i;
	return -1;
}

/* Build the partition of one level. Groups come out ordered by their lowest
 * CPU because CPUs are visited in ascending order. Returns 1 when the sibling
 * sets form a partition, 0 when unknown/inconsistent, -ENOMEM. */
static int build_level(struct vtc_topo *t, enum vtc_level l)
{
	struct vtc_groups *g = &t->groups[l];
	int cpu, online = vtc_cpuset_count(&t->online);

	groups_free(g);
	if (online == 0)
		return 0;
	g->set = calloc((size_t)online, sizeof(*g->set));
	if (!g->set)
		return -ENOMEM;
	vtc_cpuset_foreach(cpu, &t->online) {
		vtc_cpuset mine;
		int at;

		if (cpu >= t->ncpus)
			goto inconsistent;
		vtc_cpuset_and(&mine, &t->cpu[cpu].siblings[l], &t->online);
		if (!vtc_cpuset_test(&mine, cpu))
			goto inconsistent;
		at = vtc_groups_find(g, cpu);
		if (at >= 0) {
			if (!vtc_cpuset_equal(&g->set[at], &mine))
				goto inconsistent;
			continue;
		}
		for (int i = 0; i < g->count; i++)
			if (vtc_cpuset_intersects(&g->set[i], &mine))
				goto inconsistent;
		g->set[g->count++] = mine;
	}
	return 1;
inconsistent:
	groups_free(g);
	return 0;
}

int vtc_topo_build_groups(struct vtc_topo *t)
{
	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		int rc = build_level(t, (enum vtc_level)l);
		if (rc < 0)
			return rc;
		t->level_known[l] = rc == 1;
	}
	return 0;
}

void vtc_topo_siblings_from_key(struct vtc_topo *t, enum vtc_level level,
				int64_t (*key)(const struct vtc_topo_cpu *c))
{
	int a, b;

	vtc_cpuset_foreach(a, &t->online) {
		if (a >= t->ncpus)
			break;
		vtc_cpuset *sib = &t->cpu[a].siblings[level];
		int64_t ka = key(&t->cpu[a]);

		vtc_cpuset_clear(sib);
		if (ka < 0)
			continue;
		vtc_cpuset_foreach(b, &t->online) {
			if (b < t->ncpus && key(&t->cpu[b]) == ka)
				vtc_cpuset_set(sib, b);
		}
	}
}

bool vtc_topo_level_equal(const struct vtc_topo *a, const struct vtc_topo *b,
			  enum vtc_level level)
{
	const struct vtc_groups *ga = &a->groups[level], *gb = &b->groups[level];

	if (!a->level_known[level] || !b->level_known[level] || ga->count != gb->count)
		return false;
	for (int i = 0; i < ga->count; i++)
		if (!vtc_cpuset_equal(&ga->set[i], &gb->set[i]))
			return false;
	return true;
}
