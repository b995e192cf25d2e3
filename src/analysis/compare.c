/* compare.c - findings from advertised vs inferred topology.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/compare.h"
#include "src/analysis/dedicated.h"
#include "src/analysis/evidence.h"
#include "src/analysis/fixes.h"
#include "src/analysis/judge.h"
#include "src/vtc.h"
#include "src/stop.h"

/* Group index of every CPU, as vtc_groups_find() / vtc_inferred_find()
 * give it (the first group holding it, -1 none), filled once so that loops
 * over all pairs look groups up in O(1) instead of searching every group
 * per pair (cubic at 1024 vCPUs). */
struct cpu_index {
	int at[VTC_CPUSET_MAX];
};

static void index_add(struct cpu_index *x, const vtc_cpuset *s, int q)
{
	int c;

	vtc_cpuset_foreach(c, s)
		if (x->at[c] < 0)
			x->at[c] = q;
}

static void index_adv(struct cpu_index *x, const struct vtc_groups *g)
{
	for (int i = 0; i < VTC_CPUSET_MAX; i++)
		x->at[i] = -1;
	for (int q = 0; q < g->count; q++)
		index_add(x, &g->set[q], q);
}

static void index_inf(struct cpu_index *x, const struct vtc_inferred *inf, enum vtc_gkind k)
{
	for (int i = 0; i < VTC_CPUSET_MAX; i++)
		x->at[i] = -1;
	for (int q = 0; q < inf->groups[k].count; q++)
		index_add(x, &inf->groups[k].g[q].cpus, q);
}

/* vtc_results_pair_median() of every pair, computed once per comparison:
 * several findings each walk all pairs, and the per-call lookup and sort
 * dominated comparison at 1024 vCPUs. */
struct ns_cache {
	int rank[VTC_CPUSET_MAX];
	int n;
	double *pm; /* [triangular index of the ranks] */
};

static int ns_cache_init(struct ns_cache *c, const struct vtc_results *r)
{
	for (int i = 0; i < VTC_CPUSET_MAX; i++)
		c->rank[i] = -1;
	for (int i = r->n - 1; i >= 0; i--)
		if (r->cpu[i] >= 0 && r->cpu[i] < VTC_CPUSET_MAX)
			c->rank[r->cpu[i]] = vtc_results_rank(r, r->cpu[i]);
	c->n = r->n;
	c->pm = malloc(((size_t)r->n_pairs + 1) * sizeof(*c->pm));
	if (!c->pm)
		return -ENOMEM;
	for (int k = 0; k < r->n_pairs; k++)
		c->pm[k] = vtc_results_pair_median(r, r->pairs[k].a, r->pairs[k].b);
	return 0;
}

/* vtc_results_pair_median(r, a, b) from the cache. */
static double pair_ns(const struct ns_cache *c, int a, int b)
{
	int i = c->rank[a], j = c->rank[b];

	if (i < 0 || j < 0 || i == j)
		return -1;
	return c->pm[vtc_pair_index(c->n, i, j)];
}

/* A topology to suggest: the probed vCPUs with their cores and sockets
 * (NULL: not known, one per vCPU / one socket). */
struct layout {
	const vtc_cpuset *cpus;
	const struct vtc_igroups *smt, *sock;
};

static void index_igroups(struct cpu_index *x, const struct vtc_igroups *g)
{
	for (int i = 0; i < VTC_CPUSET_MAX; i++)
		x->at[i] = -1;
	for (int q = 0; g && q < g->count; q++)
		index_add(x, &g->g[q].cpus, q);
}

/* vCPUs of @within in slot order: each core's threads together. */
static void order_append(const struct layout *lay, const struct cpu_index *smt_of,
			 const vtc_cpuset *within, int *order, int *n)
{
	vtc_cpuset done;
	int c, d;

	vtc_cpuset_clear(&done);
	vtc_cpuset_foreach(c, within) {
		int at = lay->smt ? smt_of->at[c] : -1;
		if (vtc_cpuset_test(&done, c))
			continue;
		if (at < 0) {
			order[(*n)++] = c;
			vtc_cpuset_set(&done, c);
			continue;
		}
		vtc_cpuset_foreach(d, &lay->smt->g[at].cpus)
			if (vtc_cpuset_test(within, d) && !vtc_cpuset_test(&done, d)) {
				order[(*n)++] = d;
				vtc_cpuset_set(&done, d);
			}
	}
}

static size_t suggest(const struct layout *lay, char *buf, size_t len)
{
	int n = vtc_cpuset_count(lay->cpus), threads = 1, sockets = 1, no = 0;
	int *order = calloc((size_t)n + 1, sizeof(*order));
	struct cpu_index *smt_of = malloc(sizeof(*smt_of));
	bool identity = true;
	char text[1024] = "";

	for (int q = 0; lay->smt && q < lay->smt->count; q++) {
		int c = vtc_cpuset_count(&lay->smt->g[q].cpus);
		threads = c > threads ? c : threads;
	}
	if (lay->sock && lay->sock->count > 0)
		sockets = lay->sock->count;
	if (n % (sockets * threads))
		sockets = 1;
	if (n % threads)
		threads = 1;
	vtc_finding_catf(text, sizeof(text), "sockets=%d cores=%d threads=%d", sockets,
	    n / (sockets * threads), threads);
	if (smt_of)
		index_igroups(smt_of, lay->smt);
	for (int s = 0; order && smt_of && s < sockets; s++)
		order_append(lay, smt_of, sockets > 1 ? &lay->sock->g[s].cpus : lay->cpus,
			     order, &no);
	for (int i = 1; i < no; i++)
		identity &= order[i] > order[i - 1];
	if (!identity) {
		vtc_finding_catf(text, sizeof(text), " with vCPU order ");
		for (int i = 0; i < no; i++)
			vtc_finding_catf(text, sizeof(text), "%s%d", i ? "," : "", order[i]);
	}
	free(order);
	free(smt_of);
	return (size_t)snprintf(buf, len, "%s", text);
}

size_t vtc_compare_suggest(const struct vtc_inferred *inf, char *buf, size_t len)
{
	struct layout lay = {
		&inf->cpus, inf->known[VTC_GROUP_SMT] ? &inf->groups[VTC_GROUP_SMT] : NULL,
		inf->known[VTC_GROUP_SOCKET] ? &inf->groups[VTC_GROUP_SOCKET] : NULL};

	return suggest(&lay, buf, len);
}

/* Advertised groups of @level restricted to @cpus, as igroups. */
static int adv_igroups(const struct vtc_topo *adv, enum vtc_level level, const vtc_cpuset *cpus,
		       struct vtc_igroups *out)
{
	const struct vtc_groups *g = &adv->groups[level];

	out->count = 0;
	out->g = calloc((size_t)g->count + 1, sizeof(*out->g));
	if (!out->g)
		return -ENOMEM;
	for (int q = 0; q < g->count; q++) {
		vtc_cpuset_and(&out->g[out->count].cpus, &g->set[q], cpus);
		out->count += !vtc_cpuset_empty(&out->g[out->count].cpus);
	}
	return 0;
}

/* The suggestion for what is advertised now: a fix that would advertise the
 * same thing changes nothing and is not offered. */
static void suggest_advertised(const struct vtc_topo *adv, const vtc_cpuset *cpus, char *buf,
			       size_t len)
{
	struct vtc_igroups smt = {0}, sock = {0};
	struct layout lay = {cpus, NULL, NULL};

	*buf = '\0';
	if (adv->level_known[VTC_LEVEL_SMT] && adv_igroups(adv, VTC_LEVEL_SMT, cpus, &smt) == 0)
		lay.smt = &smt;
	if (adv->level_known[VTC_LEVEL_PACKAGE] &&
	    adv_igroups(adv, VTC_LEVEL_PACKAGE, cpus, &sock) == 0)
		lay.sock = &sock;
	suggest(&lay, buf, len);
	free(smt.g);
	free(sock.g);
}

static void set_fix(struct vtc_finding *f, const struct vtc_inferred *inf,
		    const struct vtc_platform *plat, const struct vtc_topo *adv)
{
	char sug[512], now[512];

	vtc_compare_suggest(inf, sug, sizeof(sug));
	suggest_advertised(adv, &inf->cpus, now, sizeof(now));
	if (strcmp(sug, now) == 0) {
		char groups[256] = "";
		enum vtc_gkind gk = f->kind == VTC_FK_LLC_MISMATCH ? VTC_GROUP_LLC : VTC_GROUP_SOCKET;
		for (int q = 0; inf->known[gk] && q < inf->groups[gk].count; q++) {
			char l[64];
			vtc_cpulist_format(&inf->groups[gk].g[q].cpus, l, sizeof(l));
			vtc_finding_catf(groups, sizeof(groups), q < 6 ? "%s{%s}" : "%s...", q ? " " : "", l);
			if (q >= 6)
				break;
		}
		snprintf(f->fix, sizeof(f->fix), "%s; %s%s%s", vtc_fix_platform_text(f->kind, plat),
			 f->kind == VTC_FK_LLC_MISMATCH
				 ? "describe one last-level cache per measured group: "
			 : f->kind == VTC_FK_NUMA_MISMATCH
				 ? "advertise one NUMA node per measured socket: "
				 : "the advertised layout is right once the placement matches it",
			 f->kind == VTC_FK_LLC_MISMATCH || f->kind == VTC_FK_NUMA_MISMATCH ? groups : "",
			 "");
		return;
	}
	snprintf(f->fix, sizeof(f->fix), "%s; %s: %s", vtc_fix_platform_text(f->kind, plat),
		 inf->floating ? "while unpinned, advertise a flat topology"
			       : "advertise what was measured",
		 sug);
}

/* Median ratio over the contention kinds for a pair, or NAN. */
static double corun(const struct vtc_results *r, int a, int b)
{
	const struct vtc_contention_result *c = vtc_results_contention(r, a, b);
	double s = 0;
	int n = 0;

	for (int k = 0; c && c->measured && k < VTC_CONT_KINDS; k++)
		if (c->ratio[k] > 0) {
			s += c->ratio[k];
			n++;
		}
	return n ? s / n : NAN;
}

/* Mean one-way ns between members of the inferred real SMT groups. */
static double real_sibling_ns(const struct vtc_inferred *inf, const struct vtc_results *r)
{
	double v[64];
	int n = 0, a, b;

	for (int q = 0; q < inf->groups[VTC_GROUP_SMT].count && n < 64; q++)
		vtc_cpuset_foreach(a, &inf->groups[VTC_GROUP_SMT].g[q].cpus)
			vtc_cpuset_foreach(b, &inf->groups[VTC_GROUP_SMT].g[q].cpus)
				if (a < b && n < 64 && vtc_results_pair_median(r, a, b) > 0)
					v[n++] = vtc_results_pair_median(r, a, b);
	if (n == 0)
		return NAN;
	double s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s / n;
}

/* Mean one-way ns over pairs of different advertised groups of @level. */
static double cross_group_ns(const struct vtc_topo *adv, enum vtc_level level,
			     const struct ns_cache *ns, const vtc_cpuset *cpus)
{
	struct cpu_index adv_of;
	double s = 0;
	int n = 0, a, b;

	index_adv(&adv_of, &adv->groups[level]);
	vtc_cpuset_foreach(a, cpus)
		vtc_cpuset_foreach(b, cpus) {
			double v = a < b ? pair_ns(ns, a, b) : -1;
			if (v > 0 && adv_of.at[a] != adv_of.at[b]) {
				s += v;
				n++;
			}
		}
	return n ? s / n : NAN;
}

/* The groups a finding is made of, for its headline: measured ones (@ig)
 * or advertised ones (@ag). */
static void groups_of(struct vtc_finding *f, const struct vtc_igroups *ig,
		      const struct vtc_groups *ag)
{
	int n = ig ? ig->count : ag->count;
	const vtc_cpuset **sets = calloc((size_t)n + 1, sizeof(*sets));

	if (!sets)
		return; /* the headline then names the vCPUs together */
	for (int i = 0; i < n; i++)
		sets[i] = ig ? &ig->g[i].cpus : &ag->set[i];
	vtc_finding_set_groups(f, sets, n);
	free(sets);
}

static int find_phantom(const struct vtc_inferred *inf, const struct vtc_results *r,
			const struct vtc_topo *adv, const struct vtc_platform *plat,
			struct vtc_findings *out)
{
	const struct vtc_groups *ag = &adv->groups[VTC_LEVEL_SMT];
	struct cpu_index smt_of;
	char ev[640] = "";
	vtc_cpuset cpus;
	double worst = 0, sib = real_sibling_ns(inf, r);
	int a, b, shown = 0;

	index_inf(&smt_of, inf, VTC_GROUP_SMT);
	vtc_cpuset_clear(&cpus);
	for (int q = 0; q < ag->count; q++)
		vtc_cpuset_foreach(a, &ag->set[q])
			vtc_cpuset_foreach(b, &ag->set[q]) {
				double ns = a < b ? vtc_results_pair_median(r, a, b) : -1;
				if (a >= b || !vtc_cpuset_test(&inf->cpus, a) ||
				    !vtc_cpuset_test(&inf->cpus, b) ||
				    smt_of.at[a] == smt_of.at[b])
					continue;
				vtc_cpuset_set(&cpus, a);
				vtc_cpuset_set(&cpus, b);
				worst = fmax(worst, ns);
				if (shown++ < 3)
					vtc_finding_catf(ev, sizeof(ev), "%sv%d,v%d advertised SMT siblings: %.1f ns "
					    "one-way", shown > 1 ? "; " : "", a, b, ns);
				if (shown <= 3 && !isnan(corun(r, a, b)))
					vtc_finding_catf(ev, sizeof(ev), ", co-run %.2f", corun(r, a, b));
			}
	if (shown == 0)
		return 0;
	if (!isnan(sib))
		vtc_finding_catf(ev, sizeof(ev), "; siblings on this host measure %.1f ns", sib);
	else
		vtc_finding_catf(ev, sizeof(ev), "; no pair co-runs like siblings (same-vCPU control %.2f)",
		    inf->ctl_same);
	struct vtc_finding *f = vtc_findings_add(out, VTC_FK_PHANTOM_SMT, VTC_SEV_CRITICAL, &cpus,
						 "%s: %s", adv->source, ev);
	if (!f)
		return -ENOMEM;
	groups_of(f, NULL, &adv->groups[VTC_LEVEL_SMT]);
	if (isnan(sib))
		snprintf(f->cost, sizeof(f->cost),
			 "the guest packs communicating threads on 'siblings' expecting a shared "
			 "core (siblings measure 7-13 ns on x86 hosts) but pays %.1f ns per handoff",
			 worst);
	else
		snprintf(f->cost, sizeof(f->cost),
			 "the guest packs communicating threads on 'siblings' expecting a shared "
			 "core (%.1f ns here) but pays %.1f ns per handoff (%.1fx)", sib, worst,
			 worst / sib);
	set_fix(f, inf, plat, adv);
	return 0;
}

/* No hypervisor: CPU numbers are physical CPUs, and nothing floats. */
static bool bare_metal(const struct vtc_platform *plat)
{
	return plat && strcmp(plat->hypervisor, "none") == 0;
}

/* An observation window at least this long that saw no pair move shows
 * that the vCPUs stay where the full look found them. */
#define STABLE_WINDOW_S 1.0

/* Whether the run showed that the vCPUs stay where they were measured:
 * bare metal (CPU numbers are physical CPUs), or a window of re-measurements
 * in which no pair moved. Without either, shared cores seen in one look may
 * be a float that did not move during it (KVM's default: vCPUs float over
 * the host's threads), and "advertise threads=2" would be wrong advice. */
static bool placement_shown_stable(const struct vtc_inferred *inf, const struct vtc_results *r,
				   const struct vtc_platform *plat)
{
	struct vtc_dedicated_ev ev;

	if (bare_metal(plat))
		return true;
	/* KVM promised each vCPU a host CPU of its own (the guest kernel acts
	 * on that promise too), and nothing measured contradicts it. Without
	 * the promise only a window shows a placement held, not that it is
	 * pinned. */
	if (plat && plat->kvm_hint_dedicated == VTC_HINT_YES && !vtc_dedicated_evidence(inf, r, &ev))
		return true;
	return r->n_watch > 0 && r->watch_to_s - r->watch_from_s >= STABLE_WINDOW_S &&
	       inf->series.n_float == 0;
}

/* Whether the window saw a vCPU of @cpus move (in a pair read nearer than
 * usual): shared cores of the full look are then a moment of a float,
 * which the floating finding reports. */
static bool moved_in_window(const struct vtc_inferred *inf, const vtc_cpuset *cpus)
{
	for (int i = 0; i < inf->series.n_float; i++)
		if (vtc_cpuset_test(cpus, inf->series.f[i].a) ||
		    vtc_cpuset_test(cpus, inf->series.f[i].b))
			return true;
	return false;
}

/* Hidden SMT on a placement a window showed still, on a KVM host that says
 * it does not pin (the dedicated-vCPU hint off): the verdict stands on the
 * window, but the advice to advertise threads holds only while the
 * placement does, and nothing promises that. */
static void window_not_promise(struct vtc_finding *f, const struct vtc_platform *plat)
{
	if (!plat || plat->kvm_hint_dedicated != VTC_HINT_NO)
		return;
	vtc_finding_catf(f->fix, sizeof(f->fix),
	    "; KVM's dedicated-vCPU hint is off, so the window showed this placement held, "
	    "not that it is pinned: advertise threads only with each vCPU pinned");
}

/* Hidden SMT on a placement not shown stable: a warning whose fix is to
 * pin first, never a topology to advertise. */
static void hidden_unsettled(struct vtc_finding *f)
{
	f->severity = VTC_SEV_WARNING;
	vtc_finding_catf(f->evidence, sizeof(f->evidence),
	    "; seen in one look only: no observation window and no bare metal show that "
	    "this placement is stable");
	snprintf(f->fix, sizeof(f->fix),
		 "pin each vCPU to its own host CPU (libvirt <vcpupin>, KubeVirt "
		 "dedicatedCpuPlacement) and rerun with the observation window (no "
		 "--snapshot); advertise threads only for a placement shown stable");
}

static int find_hidden(const struct vtc_inferred *inf, const struct vtc_results *r,
		       const struct ns_cache *ns, const struct vtc_topo *adv,
		       const struct vtc_platform *plat, struct vtc_findings *out)
{
	const struct vtc_igroups *ig = &inf->groups[VTC_GROUP_SMT];
	char ev[640] = "";
	vtc_cpuset cpus, all = inf->cpus;
	double ratio = NAN;
	int shown = 0;

	vtc_cpuset_clear(&cpus);
	for (int q = 0; q < ig->count; q++) {
		bool inside = false;
		int a = vtc_cpuset_first(&ig->g[q].cpus), b = vtc_cpuset_next(&ig->g[q].cpus, a);
		/* only a group holding a can hold them all */
		for (int i = 0; a >= 0 && i < adv->groups[VTC_LEVEL_SMT].count; i++)
			inside |= vtc_cpuset_test(&adv->groups[VTC_LEVEL_SMT].set[i], a) &&
				  vtc_cpuset_subset(&ig->g[q].cpus, &adv->groups[VTC_LEVEL_SMT].set[i]);
		if (b < 0 || inside)
			continue;
		vtc_cpuset_or(&cpus, &cpus, &ig->g[q].cpus);
		ratio = corun(r, a, b);
		if (shown++ < 2)
			vtc_finding_catf(ev, sizeof(ev), "%s%s", shown > 1 ? "; " : "", ig->g[q].evidence);
	}
	if (shown == 0 || moved_in_window(inf, &cpus))
		return 0;
	double far = cross_group_ns(adv, VTC_LEVEL_SMT, ns, &all);
	struct vtc_finding *f = vtc_findings_add(
		out, VTC_FK_HIDDEN_SMT, inf->smt_latency_only ? VTC_SEV_WARNING : VTC_SEV_CRITICAL,
		&cpus,
		"%s: advertised as separate cores but share one: %s", adv->source, ev);
	if (!f)
		return -ENOMEM;
	groups_of(f, ig, NULL);
	snprintf(f->cost, sizeof(f->cost),
		 "threads the guest spreads over 'separate cores' share one core's units "
		 "(co-run ratio %.2f of solo); other advertised cores are %.1f ns apart",
		 ratio, far);
	set_fix(f, inf, plat, adv);
	if (!placement_shown_stable(inf, r, plat))
		hidden_unsettled(f);
	else
		window_not_promise(f, plat);
	return 0;
}

static int find_stacked(const struct vtc_inferred *inf, const struct vtc_platform *plat,
			const struct vtc_topo *adv, struct vtc_findings *out)
{
	const struct vtc_igroups *g = &inf->groups[VTC_GROUP_STACKED];

	for (int q = 0; q < g->count; q++) {
		struct vtc_finding *f;
		if (vtc_cpuset_count(&g->g[q].cpus) < 2)
			continue;
		f = vtc_findings_add(out, VTC_FK_STACKED, VTC_SEV_CRITICAL, &g->g[q].cpus,
				     "vCPUs share one host CPU: %s", g->g[q].evidence);
		if (!f)
			return -ENOMEM;
		snprintf(f->cost, sizeof(f->cost),
			 "each vCPU runs about half the time when both are busy, and every "
			 "handoff between them waits for the host scheduler (ms, not ns)");
		set_fix(f, inf, plat, adv);
	}
	return 0;
}

/* "v0-v1 28 ns (usually 57 ns) in 2.1% of 9400 samples, 3 episodes at
 * 2.1 s, 5.3 s, 8.8 s" for each pair of the window seen nearer. */
static void series_evidence(const struct vtc_series *ser, vtc_cpuset *cpus, char *ev, size_t len)
{
	for (int i = 0; i < ser->n_float; i++) {
		const struct vtc_series_float *f = &ser->f[i];
		vtc_cpuset_set(cpus, f->a);
		vtc_cpuset_set(cpus, f->b);
		if (i >= 4)
			continue;
		vtc_finding_catf(ev, len, "%sv%d-v%d %.0f ns (usually %.0f ns) in %.1f%% of %d samples, "
		    "%d episode%s at", i ? "; " : "", f->a, f->b, f->near_ns, f->usual_ns,
		    100.0 * f->near / f->samples, f->samples, f->episodes,
		    f->episodes > 1 ? "s" : "");
		for (int e = 0; e < f->episodes && e < VTC_SERIES_SHOWN_EPISODES; e++)
			vtc_finding_catf(ev, len, "%s %.1f s", e ? "," : "", f->episode_s[e]);
		if (f->episodes > VTC_SERIES_SHOWN_EPISODES)
			vtc_finding_catf(ev, len, ", ...");
	}
	if (ser->n_float > 4)
		vtc_finding_catf(ev, len, "; %d more pairs", ser->n_float - 4);
}

static int find_floating(const struct vtc_inferred *inf, const struct vtc_platform *plat,
			 const struct vtc_topo *adv, struct vtc_findings *out)
{
	const struct vtc_series *ser = &inf->series;
	char ev[640] = "", passes[400] = "";
	vtc_cpuset cpus;
	int last = -1;
	struct vtc_finding *f;

	vtc_cpuset_clear(&cpus);
	for (int i = 0; i < inf->n_fast; i++) {
		const struct vtc_fast_pair *p = &inf->fast[i];
		vtc_cpuset_set(&cpus, p->a);
		vtc_cpuset_set(&cpus, p->b);
		if (i < 16 && p->pass != last)
			vtc_finding_catf(passes, sizeof(passes), "%spass %d:", last < 0 ? "" : "; ", p->pass + 1);
		if (i < 16)
			vtc_finding_catf(passes, sizeof(passes), "%s v%d-v%d %.0f ns", p->pass == last ? "," : "",
			    p->a, p->b, p->ns);
		last = p->pass;
	}
	if (ser->n_float > 0) {
		vtc_finding_catf(ev, sizeof(ev), "vCPU placement moved during the %.1f s window: ",
		    ser->window_s);
		series_evidence(ser, &cpus, ev, sizeof(ev));
		vtc_finding_catf(ev, sizeof(ev), "; not a static topology");
	} else {
		vtc_finding_catf(ev, sizeof(ev), "vCPU placement moved during the run: the fast pairs changed "
		    "between passes or were not transitive (%s); not a static topology", passes);
	}
	f = vtc_findings_add(out, VTC_FK_FLOATING, VTC_SEV_WARNING, &cpus, "%s", ev);
	if (!f)
		return -ENOMEM;
	if (ser->n_float > 0)
		snprintf(f->cost, sizeof(f->cost),
			 "the host moves these vCPUs: threads that share data pay %.0f ns per "
			 "handoff most of the time and %.0f ns at other times, so the guest's "
			 "topology cannot be right for both", ser->f[0].usual_ns, ser->f[0].near_ns);
	else
		snprintf(f->cost, sizeof(f->cost),
			 "the guest's topology is right only by chance: pairs that are fast now "
			 "(%.0f ns) are %.0fx slower after the host moves a vCPU",
			 inf->tier[0].median_ns, inf->n_tiers > 1 ? inf->tier[1].median_ns /
			 inf->tier[0].median_ns : 1.0);
	set_fix(f, inf, plat, adv);
	return 0;
}

static void format_groups(const struct vtc_groups *g, char *buf, size_t len)
{
	for (int i = 0; i < g->count; i++) {
		char l[48];
		vtc_cpulist_format(&g->set[i], l, sizeof(l));
		vtc_finding_catf(buf, len, "%s{%s}", i ? " " : "", l);
	}
}

/* A level finding from the judgement of one advertised level. */
static int level_finding(const struct vtc_judgement *j, enum vtc_jlevel jl,
			 const struct vtc_inferred *inf, const struct vtc_topo *adv,
			 const struct vtc_platform *plat, struct vtc_findings *out)
{
	static const enum vtc_fkind kind[VTC_JL_COUNT] = {
		VTC_FK_LLC_MISMATCH, VTC_FK_SOCKET_MISMATCH, VTC_FK_NUMA_MISMATCH};
	const struct vtc_jlevel_result *res = &j->lvl[jl];
	bool split = !vtc_cpuset_empty(&res->split);
	char adv_s[128] = "";
	struct vtc_finding *f;

	if (!split && vtc_cpuset_empty(&res->merged))
		return 0;
	format_groups(&adv->groups[res->level], adv_s, sizeof(adv_s));
	f = vtc_findings_add(out, kind[jl],
			     split && jl == VTC_JL_SOCKET ? VTC_SEV_CRITICAL : VTC_SEV_WARNING,
			     split ? &res->split : &res->merged,
			     "%s advertises %s groups %s; measured: %s", adv->source,
			     vtc_level_name(res->level), adv_s, res->evidence);
	if (!f)
		return -ENOMEM;
	if (split && jl == VTC_JL_NUMA)
		snprintf(f->cost, sizeof(f->cost),
			 "memory the guest allocates 'node-local' may sit a socket away, and the "
			 "scheduler balances tasks over vCPUs %.0f ns apart as if they were near",
			 res->across_ns);
	else if (split)
		snprintf(f->cost, sizeof(f->cost),
			 "the guest treats vCPUs %.0f ns apart as close (%.1fx the %.0f ns inside "
			 "a measured group) and co-locates communicating threads there",
			 res->across_ns, res->across_ns / res->in_ns, res->in_ns);
	else
		snprintf(f->cost, sizeof(f->cost),
			 "the guest keeps apart threads that share a %s (advertised-apart pairs "
			 "measure %.0f ns, as near as pairs inside a group)",
			 jl == VTC_JL_LLC ? "cache" : jl == VTC_JL_SOCKET ? "socket" : "node",
			 res->across_ns);
	set_fix(f, inf, plat, adv);
	return 0;
}

/* Phantom SMT refuted by latency alone: advertised siblings that read like
 * the bulk of their rows. */
static int latency_phantom(const struct vtc_judgement *j, const struct vtc_inferred *inf,
			   const struct vtc_topo *adv, const struct vtc_platform *plat,
			   struct vtc_findings *out)
{
	struct vtc_finding *f;

	if (vtc_cpuset_empty(&j->phantom))
		return 0;
	f = vtc_findings_add(out, VTC_FK_PHANTOM_SMT, VTC_SEV_CRITICAL, &j->phantom,
			     "%s: %d of %d advertised sibling pairs read like other pairs, not "
			     "like a shared L1: %s", adv->source, j->smt_refuted, j->smt_tested,
			     j->phantom_evidence);
	if (!f)
		return -ENOMEM;
	groups_of(f, NULL, &adv->groups[VTC_LEVEL_SMT]);
	snprintf(f->cost, sizeof(f->cost),
		 "the guest packs communicating threads on 'siblings' expecting a shared core "
		 "but pays %.1f ns per handoff, as between any other vCPUs", j->phantom_ns);
	set_fix(f, inf, plat, adv);
	return 0;
}

static int latency_hidden(const struct vtc_judgement *j, const struct vtc_inferred *inf,
			  const struct vtc_results *r, const struct vtc_topo *adv,
			  const struct vtc_platform *plat, struct vtc_findings *out)
{
	struct vtc_finding *f;

	if (vtc_cpuset_empty(&j->hidden) || moved_in_window(inf, &j->hidden))
		return 0;
	f = vtc_findings_add(out, VTC_FK_HIDDEN_SMT,
			     j->hidden_is_smt ? VTC_SEV_CRITICAL : VTC_SEV_WARNING, &j->hidden,
			     "%s: advertised as separate cores but %s: %s", adv->source,
			     j->hidden_is_smt ? "share one core (on this x86 CPU only SMT "
						"siblings read this near)"
					      : "share a core or an L2 (latency alone cannot "
						"tell which here)",
			     j->hidden_evidence);
	if (!f)
		return -ENOMEM;
	groups_of(f, &inf->groups[VTC_GROUP_SMT], NULL);
	snprintf(f->cost, sizeof(f->cost),
		 "threads the guest spreads over 'separate cores' share one core's units "
		 "(or its L2), and the guest scheduler does not know it");
	set_fix(f, inf, plat, adv);
	if (!placement_shown_stable(inf, r, plat))
		hidden_unsettled(f);
	else
		window_not_promise(f, plat);
	return 0;
}

static void take_groups(struct vtc_inferred *inf, enum vtc_gkind k, struct vtc_igroups *g)
{
	free(inf->groups[k].g);
	inf->groups[k] = *g;
	inf->known[k] = true;
	memset(g, 0, sizeof(*g));
}

/* The measured columns of every report show the judged topology: the
 * advertised one, corrected where the evidence contradicts it. */
static void adopt_judgement(struct vtc_inferred *inf, struct vtc_judgement *j, bool latency_smt,
			    const struct vtc_evidence *e)
{
	if (latency_smt && j->smt_measured.count && (j->smt_judged || e->n_units > 0))
		take_groups(inf, VTC_GROUP_SMT, &j->smt_measured);
	if (j->lvl[VTC_JL_LLC].judged && j->lvl[VTC_JL_LLC].measured.count)
		take_groups(inf, VTC_GROUP_LLC, &j->lvl[VTC_JL_LLC].measured);
	if (j->lvl[VTC_JL_SOCKET].judged && j->lvl[VTC_JL_SOCKET].measured.count)
		take_groups(inf, VTC_GROUP_SOCKET, &j->lvl[VTC_JL_SOCKET].measured);
	inf->llc_socket_ambiguous = false;
}

/* A pair in the nearest tier while most pairs of its relation read
 * farther: nearer than anything the judged groups explain (one fast pair,
 * a float that sat still for the look). Noise only slows pairs, so far
 * strays are not counted here. */
static void note_unexplained_near(struct vtc_inferred *inf, const struct vtc_evidence *e, int i,
				  int j, int t, int usual)
{
	if (t != 0 || usual <= 0)
		return;
	if (inf->unexplained_near++ == 0) {
		inf->unexplained_a = e->cpu[i];
		inf->unexplained_b = e->cpu[j];
		inf->unexplained_ratio = inf->tier[usual].median_ns /
					 vtc_evidence_ns(e, e->cpu[i], e->cpu[j]);
	}
}

/* Relation of ranks @i, @j: the finest of the judged groups in @of
 * (smt, llc, socket; -1 unknown) they share, 3 none. */
static int relation(const int *of, int n, int i, int j)
{
	for (int l = 0; l < 3; l++)
		if (of[l * n + i] >= 0 && of[l * n + i] == of[l * n + j])
			return l;
	return 3;
}

/* How many pairs read in another tier than most pairs of their relation
 * (same core, cache, socket, or nothing): the pairs the groups found do not
 * explain. Returns 0 or -ENOMEM. */
static int count_disagreeing(struct vtc_inferred *inf, const struct vtc_evidence *e)
{
	static const enum vtc_gkind lv[3] = {VTC_GROUP_SMT, VTC_GROUP_LLC, VTC_GROUP_SOCKET};
	int hist[4][VTC_INFER_MAX_TIERS] = {{0}}, top[4] = {0}, n = e->n;
	int *of = malloc(sizeof(*of) * 3 * ((size_t)n + 1));

	if (!of)
		return -ENOMEM;
	for (int l = 0; l < 3; l++)
		for (int i = 0; i < n; i++)
			of[l * n + i] = inf->known[lv[l]] ? vtc_inferred_find(inf, lv[l], e->cpu[i]) : -1;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				int t = vtc_evidence_tier(e, e->cpu[i], e->cpu[j]), r;
				if (t < 0 || t >= VTC_INFER_MAX_TIERS)
					continue;
				r = relation(of, n, i, j);
				if (pass == 0) {
					hist[r][t]++;
					top[r] = hist[r][t] > hist[r][top[r]] ? t : top[r];
					inf->pairs_related++;
				} else if (t != top[r]) {
					inf->pairs_disagreeing++;
					note_unexplained_near(inf, e, i, j, t, top[r]);
				}
			}
	free(of);
	return 0;
}

/* Whether @g holds @s whole in one group. */
static bool inside_one(const struct vtc_groups *g, const vtc_cpuset *s)
{
	int at = vtc_groups_find(g, vtc_cpuset_first(s));

	return at >= 0 && vtc_cpuset_subset(s, &g->set[at]);
}

/* Whether @level is advertised with a group of two or more probed vCPUs
 * that is more than one group of the finer level @finer (-1 none): a
 * relation the guest is told about that the run can test (a socket that is
 * one L3 says nothing the L3 did not). */
static bool told(const struct vtc_topo *adv, enum vtc_level level, int finer,
		 const vtc_cpuset *cpus)
{
	if (!adv->level_known[level])
		return false;
	for (int q = 0; q < adv->groups[level].count; q++) {
		vtc_cpuset in;
		vtc_cpuset_and(&in, &adv->groups[level].set[q], cpus);
		if (vtc_cpuset_count(&in) > 1 &&
		    (finer < 0 || !adv->level_known[finer] || !inside_one(&adv->groups[finer], &in)))
			return true;
	}
	return false;
}

/* Whether the guest is told that some probed vCPUs are separate cores (in
 * different advertised SMT groups): the claim hidden SMT breaks. */
static bool told_apart(const struct vtc_topo *adv, const vtc_cpuset *cpus)
{
	int groups = 0;

	for (int q = 0; adv->level_known[VTC_LEVEL_SMT] && q < adv->groups[VTC_LEVEL_SMT].count; q++)
		groups += vtc_cpuset_intersects(&adv->groups[VTC_LEVEL_SMT].set[q], cpus);
	return groups > 1;
}

/* The relations the guest is told about that the run could not test, for
 * the verdict: an OK covers only what was tested. */
static void note_untested(struct vtc_inferred *inf, const struct vtc_judgement *j,
			  bool latency_smt, const struct vtc_topo *adv)
{
	static const struct {
		enum vtc_level level, finer;
		enum vtc_jlevel jl;
		const char *name;
	} lv[] = {{VTC_LEVEL_L3, VTC_LEVEL_L2, VTC_JL_LLC, "last-level caches"},
		  {VTC_LEVEL_PACKAGE, VTC_LEVEL_L3, VTC_JL_SOCKET, "sockets"},
		  {VTC_LEVEL_NUMA, VTC_LEVEL_PACKAGE, VTC_JL_NUMA, "NUMA nodes"}};

	inf->untested[0] = 0;
	inf->n_told = inf->n_untested = 0;
	if (told(adv, VTC_LEVEL_SMT, -1, &inf->cpus)) {
		inf->n_told++;
		if (latency_smt ? !j->smt_judged : !inf->known[VTC_GROUP_SMT]) {
			inf->n_untested++;
			vtc_finding_catf(inf->untested, sizeof(inf->untested),
			    "SMT siblings (%s)", latency_smt ? "too few of their pairs measured, "
			    "or too few other partners per vCPU to refute them" : "no co-run result");
		}
	}
	/* Separate cores are tested by co-runs, or by latency where a pair can
	 * read nearer than the others: with one pair there are no others. */
	if (told_apart(adv, &inf->cpus)) {
		inf->n_told++;
		if (latency_smt ? vtc_cpuset_count(&inf->cpus) < 3 : !inf->known[VTC_GROUP_SMT]) {
			inf->n_untested++;
			vtc_finding_catf(inf->untested, sizeof(inf->untested),
			    "%sseparate cores (%s)", *inf->untested ? ", " : "", latency_smt ?
			    "no co-run result, and one pair's latency has no other to compare with"
			    : "no co-run result");
		}
	}
	for (size_t l = 0; l < VTC_ARRAY_SIZE(lv); l++) {
		if (!told(adv, lv[l].level, (int)lv[l].finer, &inf->cpus))
			continue;
		inf->n_told++;
		if (j->lvl[lv[l].jl].judged)
			continue;
		inf->n_untested++;
		vtc_finding_catf(inf->untested, sizeof(inf->untested), "%s%s (none of their "
		    "pairs beyond the finer level measured)", *inf->untested ? ", " : "",
		    lv[l].name);
	}
}


static int judge_findings(struct vtc_inferred *inf, const struct vtc_results *r,
			  const struct vtc_topo *adv, const struct vtc_platform *plat,
			  struct vtc_findings *out)
{
	bool latency_smt = !inf->have_contention;
	enum vtc_vendor vendor = vtc_platform_vendor(plat);
	struct vtc_evidence e;
	struct vtc_judgement j;
	int rc = vtc_evidence_init(&e, r, inf);

	if (rc == 0)
		rc = vtc_judge(&e, adv, &inf->cpus, latency_smt, vtc_vendor_x86(vendor),
			       vendor == VTC_VENDOR_INTEL, &j);
	/* fixes suggest the judged topology: adopt it first */
	if (rc == 0)
		adopt_judgement(inf, &j, latency_smt, &e);
	if (rc == 0)
		rc = count_disagreeing(inf, &e);
	if (rc == 0)
		note_untested(inf, &j, latency_smt, adv);
	if (rc == 0 && latency_smt)
		rc = latency_phantom(&j, inf, adv, plat, out);
	if (rc == 0 && latency_smt)
		rc = latency_hidden(&j, inf, r, adv, plat, out);
	for (int l = 0; rc == 0 && l < VTC_JL_COUNT; l++)
		rc = level_finding(&j, (enum vtc_jlevel)l, inf, adv, plat, out);
	vtc_judgement_free(&j);
	vtc_evidence_free(&e);
	return rc;
}

static int compare_topology(struct vtc_inferred *inf, const struct vtc_results *r,
			    const struct vtc_topo *adv, const struct vtc_platform *plat,
			    struct vtc_findings *out)
{
	struct ns_cache *ns;
	int rc;

	/* A full look too noisy to judge says nothing of the topology, but a
	 * pair the window saw nearer than usual was moved all the same. */
	if (inf->unknown)
		return inf->series.n_float > 0 ? find_floating(inf, plat, adv, out) : 0;
	/* Placement that "moved" on bare metal is noise: a fast tier broken by
	 * hiccups, passes that disagree. Nothing to judge then. */
	if (inf->floating && bare_metal(plat)) {
		snprintf(inf->reason, sizeof(inf->reason),
			 "the fast pairs are not consistent (not transitive, or passes disagree), "
			 "and on bare metal nothing moves CPUs: too noisy to judge; rerun on a quiet "
			 "machine");
		inf->unknown = true;
		return 0;
	}
	rc = find_stacked(inf, plat, adv, out);
	if (rc == 0 && inf->floating)
		return find_floating(inf, plat, adv, out);
	/* Moves seen in the window do not hide what the usual placement is. */
	if (rc == 0 && inf->series.n_float > 0)
		rc = find_floating(inf, plat, adv, out);
	if (rc)
		return rc;
	ns = malloc(sizeof(*ns));
	if (!ns || ns_cache_init(ns, r)) {
		if (ns)
			free(ns->pm);
		free(ns);
		return -ENOMEM;
	}
	/* With contention data SMT is the inference's, confirmed by co-runs. */
	if (inf->have_contention && inf->known[VTC_GROUP_SMT] && adv->level_known[VTC_LEVEL_SMT])
		rc = find_phantom(inf, r, adv, plat, out);
	if (rc == 0 && inf->have_contention && inf->known[VTC_GROUP_SMT] &&
	    adv->level_known[VTC_LEVEL_SMT])
		rc = find_hidden(inf, r, ns, adv, plat, out);
	if (rc == 0)
		rc = vtc_stop_requested() ? -EINTR : judge_findings(inf, r, adv, plat, out);
	free(ns->pm);
	free(ns);
	return rc;
}

int vtc_compare(struct vtc_inferred *inf, const struct vtc_results *r,
		const struct vtc_topo *adv, const struct vtc_platform *plat,
		struct vtc_findings *out)
{
	int rc;

	if (!inf || !r || !adv || !out)
		return -EINVAL;
	rc = compare_topology(inf, r, adv, plat, out);
	/* The hint is judged on what the run measured, whatever the topology
	 * findings were (a run made UNKNOWN here still measured steal). */
	if (rc == 0)
		rc = vtc_dedicated_judge(inf, r, plat, VTC_DEDICATED_INFO_WINDOW_S, out);
	return rc;
}
