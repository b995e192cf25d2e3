/* levels.c - cache and socket groups from the tiers above SMT, built on
 * SMT/stacked units, and their evidence.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/vtc.h"
#include "src/analysis/infer/work.h"

static int count_labels(const struct infer_work *w, const int *lab)
{
	int c = 0;
	for (int i = 0; i < w->ncpu; i++)
		c += lab[i] == i;
	return c;
}

/* Fill @g from labels (label = lowest rank of the group) with evidence. */
static int level_groups(struct infer_work *w, struct vtc_igroups *g, const int *lab,
			bool homogeneous, double *buf)
{
	int *qof = malloc((size_t)w->ncpu * sizeof(*qof)), count = 0;
	double *outb = malloc(((size_t)w->ncpu + 1) * sizeof(*outb));
	struct infer_part p = {0};

	for (int i = 0; qof && i < w->ncpu; i++)
		if (lab[i] == i)
			qof[i] = count++;
	if (!qof || !outb || infer_part_alloc(w, &p, count)) {
		free(qof);
		free(outb);
		return -ENOMEM;
	}
	for (int i = 0; i < w->ncpu; i++)
		p.lab[i] = qof[lab[i]];
	infer_part_index(w, &p);
	free(qof);
	if (infer_part_medians(w, &p, buf, outb)) {
		free(outb);
		infer_part_free(&p);
		return -ENOMEM;
	}
	g->count = 0;
	for (int q = 0; q < p.count; q++) {
		struct vtc_igroup *gr = &g->g[g->count++];
		char list[64];
		double in = buf[q], outm = outb[q];

		memset(gr, 0, sizeof(*gr));
		for (int x = p.start[q]; x < p.start[q + 1]; x++)
			vtc_cpuset_set(&gr->cpus, w->res->cpu[p.mem[x]]);
		vtc_cpulist_format(&gr->cpus, list, sizeof(list));
		if (homogeneous) {
			gr->confidence = 0.5;
			snprintf(gr->evidence, sizeof(gr->evidence),
				 "v%s: all pairs in one tier, median %.1f ns", list, in);
		} else {
			gr->confidence = isnan(in) ? 0.5 :
				fmax(0.3, fmin(1.0, log(outm / in) / log(2.0)));
			snprintf(gr->evidence, sizeof(gr->evidence),
				 "v%s: %.1f ns one-way inside, %.1f ns to the other groups",
				 list, in, outm);
		}
	}
	free(outb);
	infer_part_free(&p);
	return 0;
}

/* vCPUs that share no group of the level @lev with a vCPU outside their
 * own unit (SMT or stacked group). */
static int lone_vcpus(const struct infer_work *w, const int *lev, const int *unit)
{
	int lone = 0;

	for (int i = 0; i < w->ncpu; i++) {
		bool shared = false;
		for (int j = 0; j < w->ncpu && !shared; j++)
			shared = lev[j] == lev[i] && unit[j] != unit[i];
		lone += !shared;
	}
	return lone;
}

/* A cache/socket partition that leaves most vCPUs alone is no structure a
 * guest could be told: it is a few fast pairs scattered over the guest.
 * Seen on the 16-vCPU cloud VM (unpinned vCPUs, Intel host): in a 0.8 s
 * run in which the vCPUs happened not to move, v4-v15 and v12-v13 read
 * 31 ns against 69-117 ns for every other pair, co-ran like separate
 * cores, and were taken for two caches and twelve lone sockets. A real
 * split (CCXs, sockets) puts most vCPUs beside another. */
static bool scattered(struct infer_work *w, struct vtc_inferred *out, int start, const int *lev,
		      const int *unit)
{
	int lone = lone_vcpus(w, lev, unit);

	if (w->ncpu < 4 || 2 * lone <= w->ncpu)
		return false;
	snprintf(out->reason, sizeof(out->reason),
		 "the fast pairs (%.0f-%.0f ns) are not confirmed SMT siblings and form no "
		 "cache or socket groups (%d of %d vCPUs have no fast partner): unpinned "
		 "vCPUs look like this; rerun, or pin the vCPUs",
		 out->tier[start].lo_ns, out->tier[start].hi_ns, lone, w->ncpu);
	out->unknown = true;
	return true;
}

/* Cache and socket groups from the tiers above SMT, on SMT/stacked units. */
int infer_levels(struct infer_work *w, struct vtc_inferred *out, int start, double *buf)
{
	int *lab = calloc((size_t)w->ncpu, sizeof(*lab)), nlev = 0, units, prev, rc = 0;
	int *lev = calloc((size_t)w->ncpu * VTC_INFER_MAX_TIERS, sizeof(*lev));
	int *unit = calloc((size_t)w->ncpu, sizeof(*unit));

	if (!lab || !lev || !unit) {
		free(lab);
		free(lev);
		free(unit);
		return -ENOMEM;
	}
	infer_uf_reset(w);
	/* units: SMT and stacked groups move together at every level (the
	 * root, hence the label, of a union is its lowest rank whatever the
	 * order of unions) */
	static const enum vtc_gkind unit_kinds[] = {VTC_GROUP_SMT, VTC_GROUP_STACKED};
	for (size_t u = 0; u < VTC_ARRAY_SIZE(unit_kinds); u++) {
		enum vtc_gkind kind = unit_kinds[u];
		const struct vtc_igroups *g = &out->groups[kind];
		for (int q = 0; q < g->count && out->known[kind]; q++) {
			int c, first = -1;
			vtc_cpuset_foreach(c, &g->g[q].cpus) {
				int i = vtc_results_rank(w->res, c);
				if (i >= 0 && first >= 0)
					vtc_uf_union(w->uf_parent, first, i);
				else if (i >= 0)
					first = i;
			}
		}
	}
	for (int i = 0; i < w->ncpu; i++)
		lab[i] = vtc_uf_find(w->uf_parent, i);
	units = prev = count_labels(w, lab);
	memcpy(unit, lab, (size_t)w->ncpu * sizeof(*lab));
	for (int t = start; rc == 0 && t + 1 < out->n_tiers; t++) {
		rc = infer_merge_level(w, lab, w->tier_bound[t]);
		int c = count_labels(w, lab);
		/* A level that merges everything is not a split: skip it. */
		if (c < prev && c > 1)
			memcpy(&lev[w->ncpu * nlev++], lab, (size_t)w->ncpu * sizeof(*lab));
		prev = c;
	}
	if (rc) {
		/* out of memory: no level */
	} else if (nlev > 0 && scattered(w, out, start, lev, unit)) {
		/* out->unknown, with the reason */
	} else if (nlev > 0) {
		rc = level_groups(w, &out->groups[VTC_GROUP_LLC], lev, false, buf);
		if (rc == 0)
			rc = level_groups(w, &out->groups[VTC_GROUP_SOCKET], &lev[w->ncpu * (nlev - 1)],
					  false, buf);
		out->llc_socket_ambiguous = nlev == 1;
		out->known[VTC_GROUP_LLC] = out->known[VTC_GROUP_SOCKET] = true;
	} else if (units >= 3 || prev == 1) {
		/* Too few units to tell "all alike" from "all apart" otherwise. */
		for (int i = 0; i < w->ncpu; i++)
			lab[i] = 0;
		rc = level_groups(w, &out->groups[VTC_GROUP_LLC], lab, true, buf);
		if (rc == 0)
			rc = level_groups(w, &out->groups[VTC_GROUP_SOCKET], lab, true, buf);
		out->homogeneous = true;
		out->known[VTC_GROUP_LLC] = out->known[VTC_GROUP_SOCKET] = true;
	}
	free(lab);
	free(lev);
	free(unit);
	return rc;
}

/* First tier above SMT: 1 when every fast-tier pair is inside an SMT group. */
int infer_level_start(const struct infer_work *w, const struct vtc_inferred *out, int *start)
{
	struct infer_part p;

	*start = 0;
	if (!out->known[VTC_GROUP_SMT] || out->n_tiers < 2)
		return 0;
	if (infer_part_from_groups(w, &out->groups[VTC_GROUP_SMT], &p))
		return -ENOMEM;
	*start = 1;
	for (int i = 0, k = 0; i < w->ncpu && *start; i++)
		for (int j = i + 1; j < w->ncpu; j++, k++)
			if (w->pair_tier[k] == 0 && p.lab[i] != p.lab[j]) {
				*start = 0;
				break;
			}
	infer_part_free(&p);
	return 0;
}
