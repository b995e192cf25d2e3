/* report_json.c - JSON report build and load (jansson).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report_json.h"

/* ---- building ---------------------------------------------------------- */

static json_t *cpulist_json(const vtc_cpuset *s)
{
	size_t n = vtc_cpulist_format(s, NULL, 0) + 1;
	char *buf = malloc(n);
	json_t *j;

	if (!buf)
		return NULL;
	vtc_cpulist_format(s, buf, n);
	j = json_string(buf);
	free(buf);
	return j;
}

/* A non-finite double (unknown) is stored as null. */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *cpu_json(const struct vtc_topo_cpu *c, int id)
{
	return json_pack("{s:i, s:b, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:I}",
			 "cpu", id, "present", c->present, "online", c->online,
			 "thread_id", c->thread_id, "core_id", c->core_id,
			 "cluster_id", c->cluster_id, "die_id", c->die_id,
			 "package_id", c->package_id, "numa_node", c->numa_node,
			 "x2apic_id", (json_int_t)c->x2apic_id);
}

static json_t *levels_json(const struct vtc_topo *t)
{
	json_t *levels = json_object();

	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		json_t *groups = json_array();
		for (int g = 0; g < t->groups[l].count; g++)
			json_array_append_new(groups, cpulist_json(&t->groups[l].set[g]));
		json_object_set_new(levels, vtc_level_name((enum vtc_level)l),
				    json_pack("{s:b, s:o, s:I}", "known", t->level_known[l],
					      "groups", groups, "cache_kib",
					      (json_int_t)t->cache_kib[l]));
	}
	return levels;
}

json_t *vtc_json_from_topo(const struct vtc_topo *t)
{
	json_t *cpus = json_array();

	for (int i = 0; i < t->ncpus; i++)
		if (t->cpu[i].possible || vtc_cpuset_test(&t->possible, i))
			json_array_append_new(cpus, cpu_json(&t->cpu[i], i));
	return json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "source", t->source,
			 "ncpus", t->ncpus, "possible", cpulist_json(&t->possible),
			 "present", cpulist_json(&t->present), "online",
			 cpulist_json(&t->online), "allowed", cpulist_json(&t->allowed),
			 "cpus", cpus, "levels", levels_json(t));
}

json_t *vtc_json_from_platform(const struct vtc_platform *p)
{
	return json_pack("{s:s, s:s, s:{s:b, s:b, s:b, s:b}, s:b, s:s, s:s, s:b, s:I, s:s,"
			 " s:s, s:s, s:s, s:s, s:s, s:s}",
			 "cpu_vendor", p->cpu_vendor, "model_name", p->model_name,
			 "cpuinfo_flags", "constant_tsc", p->flag_constant_tsc,
			 "nonstop_tsc", p->flag_nonstop_tsc, "hypervisor", p->flag_hypervisor,
			 "ht", p->flag_ht, "cpuid_available", p->cpuid_available,
			 "cpuid_vendor", p->cpuid_vendor, "hv_cpuid_vendor", p->hv_cpuid_vendor,
			 "cpuid_invariant_tsc", p->cpuid_invariant_tsc,
			 "tsc_khz", (json_int_t)p->tsc_khz, "tsc_khz_source", p->tsc_khz_source,
			 "sys_hypervisor_type", p->sys_hypervisor_type,
			 "dmi_sys_vendor", p->dmi_sys_vendor, "dmi_product_name",
			 p->dmi_product_name, "kernel_release", p->kernel_release,
			 "hypervisor", p->hypervisor, "hypervisor_evidence",
			 p->hypervisor_evidence);
}

static json_t *lat_json(const struct vtc_lat_stats *s)
{
	return json_pack("{s:b, s:b, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "measured", s->measured, "stalled", s->stalled,
			 "samples", (int)s->samples, "discarded", (int)s->discarded,
			 "stalls", (int)s->stalls, "round_trips", (int)s->round_trips,
			 "min_ns", num(s->min_ns), "p10_ns", num(s->p10_ns),
			 "median_ns", num(s->median_ns), "p90_ns", num(s->p90_ns),
			 "handoff_ns", num(s->handoff_ns), "t_start_s", num(s->t_start_s));
}

static json_t *params_json(const struct vtc_probe_params *p)
{
	return json_pack("{s:i, s:f, s:f, s:i, s:f, s:f, s:i, s:i, s:b, s:b}", "passes",
			 p->passes, "budget_s", p->budget_s, "pair_max_ms", p->pair_max_ms,
			 "max_samples", p->max_samples, "sample_target_us",
			 p->sample_target_us, "stall_ns", p->stall_ns, "stall_limit",
			 p->stall_limit, "lines", p->lines, "serial", p->serial, "contention",
			 p->contention);
}

static json_t *contention_json(const struct vtc_contention_result *c)
{
	json_t *ratio = json_object();

	for (int k = 0; k < VTC_CONT_KINDS; k++)
		json_object_set_new(ratio, vtc_cont_kind_name((enum vtc_cont_kind)k),
				    num(c->ratio[k]));
	return json_pack("{s:i, s:i, s:b, s:o, s:o}", "a", c->a, "b", c->b, "measured",
			 c->measured, "ratio", ratio, "steal_pct", num(c->steal_pct));
}

/* Per-CPU values as an object keyed by CPU number, for probed CPUs only. */
static json_t *per_cpu_json(const struct vtc_results *r, const double *v)
{
	json_t *o = json_object();
	char key[16];

	for (int i = 0; i < r->n; i++) {
		snprintf(key, sizeof(key), "%d", r->cpu[i]);
		json_object_set_new(o, key, num(v[r->cpu[i]]));
	}
	return o;
}

static bool pair_measured(const struct vtc_pair_result *p, int passes)
{
	for (int i = 0; i < passes; i++)
		if (p->pass[i].measured)
			return true;
	return false;
}

static json_t *pair_json(const struct vtc_results *r, int i)
{
	json_t *passes = json_array();

	for (int p = 0; p < r->n_passes; p++)
		json_array_append_new(passes, lat_json(&r->pairs[i].pass[p]));
	return json_pack("{s:i, s:i, s:o}", "a", r->pairs[i].a, "b", r->pairs[i].b, "passes",
			 passes);
}

/* Pairs never measured (budget, interruption) are left out: on big guests
 * they are most of the matrix. Absent means unmeasured. */
static json_t *results_json(const struct vtc_results *r, bool with_pairs)
{
	json_t *pairs = json_array(), *cont = json_array(), *solo = json_object();

	for (int i = 0; with_pairs && i < r->n_pairs; i++)
		if (pair_measured(&r->pairs[i], r->n_passes))
			json_array_append_new(pairs, pair_json(r, i));
	for (int i = 0; i < r->n_contention; i++)
		json_array_append_new(cont, contention_json(&r->contention[i]));
	for (int k = 0; k < VTC_CONT_KINDS; k++)
		json_object_set_new(solo, vtc_cont_kind_name((enum vtc_cont_kind)k),
				    per_cpu_json(r, r->solo_rate[k]));
	return json_pack("{s:s, s:o, s:o, s:{s:s, s:f, s:s, s:b}, s:o, s:i, s:o, s:o, s:o,"
			 " s:o, s:o, s:f, s:b, s:b}",
			 "backend", r->backend, "probed", cpulist_json(&r->probed),
			 "not_probed", cpulist_json(&r->not_probed), "timer", "name",
			 r->timer.name, "ticks_per_ns", r->timer.ticks_per_ns, "freq_source",
			 r->timer.freq_source, "invariant", r->timer.invariant, "params",
			 params_json(&r->params), "n_passes", r->n_passes, "pairs", pairs,
			 "contention", cont, "solo_rate_ops_per_ns", solo, "steal_pct",
			 per_cpu_json(r, r->steal_pct), "foreign_runnable",
			 num(r->foreign_runnable < 0 ? NAN : r->foreign_runnable), "duration_s",
			 r->duration_s,
			 "interrupted", r->interrupted, "budget_exhausted", r->budget_exhausted);
}

json_t *vtc_json_from_results(const struct vtc_results *r)
{
	return results_json(r, true);
}

json_t *vtc_json_from_results_meta(const struct vtc_results *r)
{
	return results_json(r, false);
}

json_t *vtc_json_from_findings(const struct vtc_findings *fs)
{
	json_t *a = json_array();

	for (int i = 0; i < fs->count; i++) {
		const struct vtc_finding *f = &fs->item[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "kind",
						   f->kind, "severity",
						   vtc_severity_name(f->severity), "cpus",
						   cpulist_json(&f->cpus), "evidence", f->evidence,
						   "cost", f->cost, "fix", f->fix));
	}
	return a;
}

/* ---- loading ----------------------------------------------------------- */

/* Loading reports written by other versions or edited by hand: every access
 * checks the type, and the first problem is described in err. */
struct loader {
	char *err;
	size_t errlen;
	int rc;
};

static int fail(struct loader *ld, const char *what, const char *field)
{
	if (ld->rc == 0) {
		snprintf(ld->err, ld->errlen, "%s '%s'", what, field);
		ld->rc = -EINVAL;
	}
	return ld->rc;
}

static const json_t *member(struct loader *ld, const json_t *o, const char *key, int type)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	if (!v) {
		fail(ld, "missing field", key);
		return NULL;
	}
	if (type >= 0 && (int)json_typeof(v) != type &&
	    !(type == JSON_REAL && (json_is_integer(v) || json_is_null(v))) &&
	    !(type == JSON_TRUE && json_is_boolean(v))) {
		fail(ld, "wrong type for field", key);
		return NULL;
	}
	return v;
}

static double get_num(struct loader *ld, const json_t *o, const char *key)
{
	const json_t *v = member(ld, o, key, JSON_REAL);
	return v && !json_is_null(v) ? json_number_value(v) : NAN;
}

static long long get_int(struct loader *ld, const json_t *o, const char *key,
			 long long lo, long long hi)
{
	const json_t *v = member(ld, o, key, JSON_INTEGER);
	long long x;

	if (!v)
		return lo;
	x = json_integer_value(v);
	if (x < lo || x > hi) {
		fail(ld, "value out of range in field", key);
		return lo;
	}
	return x;
}

static bool get_bool(struct loader *ld, const json_t *o, const char *key)
{
	const json_t *v = member(ld, o, key, JSON_TRUE);
	return v && json_is_true(v);
}

static void get_str(struct loader *ld, const json_t *o, const char *key, char *dst, size_t n)
{
	const json_t *v = member(ld, o, key, JSON_STRING);
	snprintf(dst, n, "%s", v ? json_string_value(v) : "");
}

static void get_cpulist(struct loader *ld, const json_t *o, const char *key, vtc_cpuset *s)
{
	const json_t *v = member(ld, o, key, JSON_STRING);

	vtc_cpuset_clear(s);
	if (v && vtc_cpulist_parse(json_string_value(v), s))
		fail(ld, "malformed cpu list in field", key);
}

static void load_cpu(struct loader *ld, const json_t *c, struct vtc_topo *t)
{
	int id = (int)get_int(ld, c, "cpu", 0, t->ncpus - 1);
	struct vtc_topo_cpu *p = &t->cpu[id];

	if (ld->rc)
		return;
	p->possible = true;
	p->present = get_bool(ld, c, "present");
	p->online = get_bool(ld, c, "online");
	p->thread_id = (int)get_int(ld, c, "thread_id", -1, INT32_MAX);
	p->core_id = (int)get_int(ld, c, "core_id", -1, INT32_MAX);
	p->cluster_id = (int)get_int(ld, c, "cluster_id", -1, INT32_MAX);
	p->die_id = (int)get_int(ld, c, "die_id", -1, INT32_MAX);
	p->package_id = (int)get_int(ld, c, "package_id", -1, INT32_MAX);
	p->numa_node = (int)get_int(ld, c, "numa_node", -1, INT32_MAX);
	p->x2apic_id = get_int(ld, c, "x2apic_id", -1, UINT32_MAX);
}

/* Groups become sibling sets again; vtc_topo_build_groups re-derives and
 * re-validates the partition. */
static void load_level(struct loader *ld, const json_t *lv, struct vtc_topo *t, int l)
{
	const json_t *groups = member(ld, lv, "groups", JSON_ARRAY);
	size_t i;
	const json_t *g;

	t->cache_kib[l] = (long)get_int(ld, lv, "cache_kib", 0, 1LL << 40);
	if (!groups || !get_bool(ld, lv, "known"))
		return;
	json_array_foreach(groups, i, g) {
		vtc_cpuset s;
		int cpu;
		if (!json_is_string(g) || vtc_cpulist_parse(json_string_value(g), &s)) {
			fail(ld, "malformed group in level", vtc_level_name((enum vtc_level)l));
			return;
		}
		vtc_cpuset_foreach(cpu, &s) {
			if (cpu < t->ncpus)
				t->cpu[cpu].siblings[l] = s;
		}
	}
}

int vtc_json_to_topo(const json_t *j, struct vtc_topo *t, char *err, size_t errlen)
{
	struct loader ld = {err, errlen, 0};
	char source[16];
	const json_t *cpus, *levels, *c;
	size_t i;
	int ncpus, rc;

	get_str(&ld, j, "source", source, sizeof(source));
	ncpus = (int)get_int(&ld, j, "ncpus", 1, VTC_CPUSET_MAX);
	cpus = member(&ld, j, "cpus", JSON_ARRAY);
	levels = member(&ld, j, "levels", JSON_OBJECT);
	if (ld.rc)
		return ld.rc;
	if ((rc = vtc_topo_init(t, source, ncpus)))
		return rc;
	get_cpulist(&ld, j, "possible", &t->possible);
	get_cpulist(&ld, j, "present", &t->present);
	get_cpulist(&ld, j, "online", &t->online);
	get_cpulist(&ld, j, "allowed", &t->allowed);
	if (!ld.rc && vtc_cpuset_last(&t->possible) >= ncpus)
		fail(&ld, "cpu beyond ncpus in field", "possible");
	json_array_foreach(cpus, i, c) {
		if (!ld.rc)
			load_cpu(&ld, c, t);
	}
	for (int l = 0; l < VTC_LEVEL_COUNT && !ld.rc; l++) {
		const json_t *lv = member(&ld, levels, vtc_level_name((enum vtc_level)l),
					  JSON_OBJECT);
		if (lv)
			load_level(&ld, lv, t, l);
	}
	if (!ld.rc && (rc = vtc_topo_build_groups(t)))
		ld.rc = rc;
	if (ld.rc)
		vtc_topo_free(t);
	return ld.rc;
}

int vtc_json_to_platform(const json_t *j, struct vtc_platform *p, char *err, size_t errlen)
{
	struct loader ld = {err, errlen, 0};
	const json_t *flags = member(&ld, j, "cpuinfo_flags", JSON_OBJECT);

	memset(p, 0, sizeof(*p));
	get_str(&ld, j, "cpu_vendor", p->cpu_vendor, sizeof(p->cpu_vendor));
	get_str(&ld, j, "model_name", p->model_name, sizeof(p->model_name));
	if (flags) {
		p->flag_constant_tsc = get_bool(&ld, flags, "constant_tsc");
		p->flag_nonstop_tsc = get_bool(&ld, flags, "nonstop_tsc");
		p->flag_hypervisor = get_bool(&ld, flags, "hypervisor");
		p->flag_ht = get_bool(&ld, flags, "ht");
	}
	p->cpuid_available = get_bool(&ld, j, "cpuid_available");
	get_str(&ld, j, "cpuid_vendor", p->cpuid_vendor, sizeof(p->cpuid_vendor));
	get_str(&ld, j, "hv_cpuid_vendor", p->hv_cpuid_vendor, sizeof(p->hv_cpuid_vendor));
	p->cpuid_invariant_tsc = get_bool(&ld, j, "cpuid_invariant_tsc");
	p->tsc_khz = (uint64_t)get_int(&ld, j, "tsc_khz", 0, INT64_MAX);
	get_str(&ld, j, "tsc_khz_source", p->tsc_khz_source, sizeof(p->tsc_khz_source));
	get_str(&ld, j, "sys_hypervisor_type", p->sys_hypervisor_type,
		sizeof(p->sys_hypervisor_type));
	get_str(&ld, j, "dmi_sys_vendor", p->dmi_sys_vendor, sizeof(p->dmi_sys_vendor));
	get_str(&ld, j, "dmi_product_name", p->dmi_product_name, sizeof(p->dmi_product_name));
	get_str(&ld, j, "kernel_release", p->kernel_release, sizeof(p->kernel_release));
	get_str(&ld, j, "hypervisor", p->hypervisor, sizeof(p->hypervisor));
	get_str(&ld, j, "hypervisor_evidence", p->hypervisor_evidence,
		sizeof(p->hypervisor_evidence));
	return ld.rc;
}

static void load_lat(struct loader *ld, const json_t *o, struct vtc_lat_stats *s)
{
	s->measured = get_bool(ld, o, "measured");
	s->stalled = get_bool(ld, o, "stalled");
	s->samples = (uint32_t)get_int(ld, o, "samples", 0, UINT32_MAX);
	s->discarded = (uint32_t)get_int(ld, o, "discarded", 0, UINT32_MAX);
	s->stalls = (uint32_t)get_int(ld, o, "stalls", 0, UINT32_MAX);
	s->round_trips = (uint32_t)get_int(ld, o, "round_trips", 0, UINT32_MAX);
	s->min_ns = get_num(ld, o, "min_ns");
	s->p10_ns = get_num(ld, o, "p10_ns");
	s->median_ns = get_num(ld, o, "median_ns");
	s->p90_ns = get_num(ld, o, "p90_ns");
	s->handoff_ns = get_num(ld, o, "handoff_ns");
	s->t_start_s = get_num(ld, o, "t_start_s");
	if (s->measured && s->samples > 0 && !(s->median_ns > 0))
		fail(ld, "measured pair without a positive median in field", "median_ns");
}

/* One pair object, parsed before the results it belongs to exist (the
 * streaming reader meets the pairs before the rest of the document). */
static void parse_pair(struct loader *ld, const json_t *o, struct vtc_stashed_pair *sp)
{
	const json_t *passes = member(ld, o, "passes", JSON_ARRAY);

	sp->p.a = (int)get_int(ld, o, "a", 0, VTC_CPUSET_MAX - 1);
	sp->p.b = (int)get_int(ld, o, "b", 0, VTC_CPUSET_MAX - 1);
	if (ld->rc)
		return;
	sp->npass = (int)json_array_size(passes);
	if (sp->npass < 1 || sp->npass > VTC_MAX_PASSES) {
		fail(ld, "wrong pass count in", "pairs");
		return;
	}
	for (int i = 0; i < sp->npass && !ld->rc; i++)
		load_lat(ld, json_array_get(passes, (size_t)i), &sp->p.pass[i]);
}

static void place_pair(struct loader *ld, const struct vtc_stashed_pair *sp,
		       struct vtc_results *r)
{
	struct vtc_pair_result *p = vtc_results_pair(r, sp->p.a, sp->p.b);

	if (!p || sp->npass != r->n_passes) {
		fail(ld, "pair not among probed cpus or wrong pass count in", "pairs");
		return;
	}
	memcpy(p->pass, sp->p.pass, sizeof(p->pass));
}

static void load_pair(struct loader *ld, const json_t *o, struct vtc_results *r)
{
	struct vtc_stashed_pair sp;

	memset(&sp, 0, sizeof(sp));
	parse_pair(ld, o, &sp);
	if (!ld->rc)
		place_pair(ld, &sp, r);
}

static void load_contention(struct loader *ld, const json_t *o, struct vtc_results *r)
{
	struct vtc_contention_result c = {0};
	const json_t *ratio = member(ld, o, "ratio", JSON_OBJECT);

	c.a = (int)get_int(ld, o, "a", 0, VTC_CPUSET_MAX - 1);
	c.b = (int)get_int(ld, o, "b", 0, VTC_CPUSET_MAX - 1);
	c.measured = get_bool(ld, o, "measured");
	c.steal_pct = get_num(ld, o, "steal_pct");
	for (int k = 0; k < VTC_CONT_KINDS && ratio; k++)
		c.ratio[k] = get_num(ld, ratio, vtc_cont_kind_name((enum vtc_cont_kind)k));
	if (!ld->rc && (!vtc_cpuset_test(&r->probed, c.a) || !vtc_cpuset_test(&r->probed, c.b)))
		fail(ld, "contention pair not among probed cpus in", "contention");
	if (!ld->rc && vtc_results_add_contention(r, &c))
		ld->rc = -ENOMEM;
}

static void load_per_cpu(struct loader *ld, const json_t *o, const char *key,
			 const struct vtc_results *r, double *dst)
{
	const json_t *m = member(ld, o, key, JSON_OBJECT);
	char name[16];

	for (int i = 0; m && i < r->n && !ld->rc; i++) {
		snprintf(name, sizeof(name), "%d", r->cpu[i]);
		if (json_object_get(m, name))
			dst[r->cpu[i]] = get_num(ld, m, name);
	}
}

static void load_params(struct loader *ld, const json_t *o, struct vtc_probe_params *p)
{
	p->passes = (int)get_int(ld, o, "passes", 1, VTC_MAX_PASSES);
	p->budget_s = get_num(ld, o, "budget_s");
	p->pair_max_ms = get_num(ld, o, "pair_max_ms");
	p->max_samples = (int)get_int(ld, o, "max_samples", 0, INT32_MAX);
	p->sample_target_us = get_num(ld, o, "sample_target_us");
	p->stall_ns = get_num(ld, o, "stall_ns");
	p->stall_limit = (int)get_int(ld, o, "stall_limit", 0, INT32_MAX);
	/* Absent in reports of versions that used one line per pair. */
	p->lines = json_object_get(o, "lines") ? (int)get_int(ld, o, "lines", 1, 4096) : 1;
	p->serial = get_bool(ld, o, "serial");
	p->contention = get_bool(ld, o, "contention");
}

static void load_results_body(struct loader *ld, const json_t *j,
			      const struct vtc_pair_stash *stash, struct vtc_results *r)
{
	const json_t *pairs = member(ld, j, "pairs", JSON_ARRAY);
	const json_t *cont = member(ld, j, "contention", JSON_ARRAY);
	const json_t *timer = member(ld, j, "timer", JSON_OBJECT);
	const json_t *params = member(ld, j, "params", JSON_OBJECT);
	const json_t *solo = member(ld, j, "solo_rate_ops_per_ns", JSON_OBJECT);
	const json_t *v;
	size_t i;

	if (ld->rc)
		return;
	get_str(ld, j, "backend", r->backend, sizeof(r->backend));
	get_cpulist(ld, j, "not_probed", &r->not_probed);
	get_str(ld, timer, "name", r->timer.name, sizeof(r->timer.name));
	r->timer.ticks_per_ns = get_num(ld, timer, "ticks_per_ns");
	get_str(ld, timer, "freq_source", r->timer.freq_source, sizeof(r->timer.freq_source));
	r->timer.invariant = get_bool(ld, timer, "invariant");
	load_params(ld, params, &r->params);
	json_array_foreach(pairs, i, v) {
		if (!ld->rc)
			load_pair(ld, v, r);
	}
	for (int k = 0; stash && k < stash->n && !ld->rc; k++)
		place_pair(ld, &stash->p[k], r);
	json_array_foreach(cont, i, v) {
		if (!ld->rc)
			load_contention(ld, v, r);
	}
	for (int k = 0; k < VTC_CONT_KINDS; k++)
		load_per_cpu(ld, solo, vtc_cont_kind_name((enum vtc_cont_kind)k), r,
			     r->solo_rate[k]);
	load_per_cpu(ld, j, "steal_pct", r, r->steal_pct);
	/* Optional: reports written before it existed load as "unknown". */
	r->foreign_runnable = json_object_get(j, "foreign_runnable") ?
				      get_num(ld, j, "foreign_runnable") : NAN;
	if (isnan(r->foreign_runnable))
		r->foreign_runnable = -1;
	r->duration_s = get_num(ld, j, "duration_s");
	r->interrupted = get_bool(ld, j, "interrupted");
	r->budget_exhausted = get_bool(ld, j, "budget_exhausted");
}

int vtc_json_to_results_stash(const json_t *j, const struct vtc_pair_stash *stash,
			      struct vtc_results *r, char *err, size_t errlen)
{
	struct loader ld = {err, errlen, 0};
	vtc_cpuset probed;
	int passes, rc;

	get_cpulist(&ld, j, "probed", &probed);
	passes = (int)get_int(&ld, j, "n_passes", 1, VTC_MAX_PASSES);
	if (ld.rc)
		return ld.rc;
	if ((rc = vtc_results_init(r, &probed, passes)))
		return rc;
	load_results_body(&ld, j, stash, r);
	if (ld.rc)
		vtc_results_free(r);
	return ld.rc;
}

int vtc_json_to_results(const json_t *j, struct vtc_results *r, char *err, size_t errlen)
{
	return vtc_json_to_results_stash(j, NULL, r, err, errlen);
}

/* ---- writing ----------------------------------------------------------- */

static int dump_json(FILE *f, void *doc)
{
	if (json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		return -EIO;
	return fputc('\n', f) == EOF ? -EIO : 0;
}

/* A reader (a support script, a collector) never sees a half-written
 * report, and a full disk leaves the old file in place. */
int vtc_json_write_atomic(const json_t *doc, const char *path)
{
	if (strcmp(path, "-") == 0) {
		int rc = dump_json(stdout, (void *)doc);
		return rc ? rc : (fflush(stdout) ? -errno : 0);
	}
	return vtc_output_write_atomic(path, dump_json, (void *)doc);
}

/* ---- inferred (derived; --analyze recomputes it) ----------------------- */

static json_t *igroups_json(const struct vtc_igroups *gs)
{
	json_t *a = json_array();

	for (int i = 0; i < gs->count; i++)
		json_array_append_new(a, json_pack("{s:o, s:f, s:s}", "cpus",
						   cpulist_json(&gs->g[i].cpus), "confidence",
						   gs->g[i].confidence, "evidence",
						   gs->g[i].evidence));
	return a;
}

json_t *vtc_json_from_inferred(const struct vtc_inferred *inf)
{
	json_t *tiers = json_array(), *groups = json_object(), *fast = json_array();

	for (int i = 0; i < inf->n_tiers; i++)
		json_array_append_new(tiers, json_pack("{s:o, s:o, s:o, s:i}", "lo_ns",
						       num(inf->tier[i].lo_ns), "hi_ns",
						       num(inf->tier[i].hi_ns), "median_ns",
						       num(inf->tier[i].median_ns), "pairs",
						       inf->tier[i].n));
	for (int k = 0; k < VTC_GROUP_KINDS; k++)
		json_object_set_new(groups, vtc_gkind_name((enum vtc_gkind)k),
				    inf->known[k] ? igroups_json(&inf->groups[k]) : json_null());
	for (int i = 0; i < inf->n_fast; i++)
		json_array_append_new(fast, json_pack("{s:i, s:i, s:i, s:o}", "pass",
						      inf->fast[i].pass, "a", inf->fast[i].a,
						      "b", inf->fast[i].b, "ns",
						      num(inf->fast[i].ns)));
	return json_pack("{s:b, s:s, s:o, s:o, s:o, s:b, s:o, s:b, s:o, s:o, s:o, s:o}",
			 "unknown", inf->unknown, "reason", inf->reason, "coverage",
			 num(inf->coverage), "pass_disagreement", num(inf->pass_disagree),
			 "tiers", tiers, "have_contention", inf->have_contention,
			 "contention_controls", json_pack("{s:o, s:o}", "same_vcpu",
							  num(inf->ctl_same), "far_pair",
							  num(inf->ctl_far)),
			 "floating", inf->floating, "floating_fast_pairs", fast, "groups",
			 groups, "probed", cpulist_json(&inf->cpus), "flags",
			 json_pack("{s:b, s:b, s:b}", "smt_latency_only",
				   inf->smt_latency_only, "llc_socket_ambiguous",
				   inf->llc_socket_ambiguous, "homogeneous", inf->homogeneous));
}

/* ---- reports of any size: pairs streamed ------------------------------ */

struct splice {
	const char *text;           /* the document, measurements.pairs empty */
	size_t cut;                 /* just after the '[' of "pairs": [] */
	const struct vtc_results *r;
};

/* A real as JSON: 7 significant digits (0.1 ps at 1 us, far below timer
 * resolution), null when not finite. */
static void print_real(FILE *f, const char *key, double v, const char *sep)
{
	if (isfinite(v))
		fprintf(f, "\"%s\":%.7g%s", key, v, sep);
	else
		fprintf(f, "\"%s\":null%s", key, sep);
}

/* One pair on one line, written directly: half a million pairs through
 * jansson objects take seconds; these fields are numbers and booleans only.
 * Same fields and order as pair_json (the streamed test reads it back). */
static void print_pair(FILE *f, const struct vtc_results *r, int i)
{
	fprintf(f, "{\"a\":%d,\"b\":%d,\"passes\":[", r->pairs[i].a, r->pairs[i].b);
	for (int p = 0; p < r->n_passes; p++) {
		const struct vtc_lat_stats *s = &r->pairs[i].pass[p];
		fprintf(f, "%s{\"measured\":%s,\"stalled\":%s,\"samples\":%u,\"discarded\":%u,"
			"\"stalls\":%u,\"round_trips\":%u,", p ? "," : "",
			s->measured ? "true" : "false", s->stalled ? "true" : "false", s->samples,
			s->discarded, s->stalls, s->round_trips);
		print_real(f, "min_ns", s->min_ns, ",");
		print_real(f, "p10_ns", s->p10_ns, ",");
		print_real(f, "median_ns", s->median_ns, ",");
		print_real(f, "p90_ns", s->p90_ns, ",");
		print_real(f, "handoff_ns", s->handoff_ns, ",");
		print_real(f, "t_start_s", s->t_start_s, "}");
	}
	fputs("]}", f);
}

static int write_spliced(FILE *f, void *arg)
{
	const struct splice *sp = arg;
	bool first = true;

	if (fwrite(sp->text, 1, sp->cut, f) != sp->cut)
		return -EIO;
	for (int i = 0; i < sp->r->n_pairs; i++) {
		if (!pair_measured(&sp->r->pairs[i], sp->r->n_passes))
			continue;
		fputs(first ? "\n      " : ",\n      ", f);
		first = false;
		print_pair(f, sp->r, i);
	}
	if (!first)
		fputs("\n    ", f);
	fputs(sp->text + sp->cut, f);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

int vtc_report_write(const json_t *doc, const struct vtc_results *r, const char *path)
{
	static const char key[] = "\"pairs\": []";
	struct splice sp = {NULL, 0, r};
	char *text, *at;
	int rc;

	if (!r)
		return vtc_json_write_atomic(doc, path);
	if (!(text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		return -ENOMEM;
	/* A quote inside a JSON string is always escaped, so this text can
	 * only be the key itself; the document has one "pairs" key. */
	at = strstr(text, key);
	if (!at) {
		free(text);
		return -EINVAL;
	}
	sp.text = text;
	sp.cut = (size_t)(at - text) + sizeof(key) - 2;
	if (strcmp(path, "-") == 0)
		rc = write_spliced(stdout, &sp) ? -EIO : (fflush(stdout) ? -errno : 0);
	else
		rc = vtc_output_write_atomic(path, write_spliced, &sp);
	free(text);
	return rc;
}

void vtc_pair_stash_free(struct vtc_pair_stash *s)
{
	free(s->p);
	memset(s, 0, sizeof(*s));
}

static int read_whole(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *b = NULL;

	if (!f)
		return -errno;
	for (;;) {
		char *nb = realloc(b, cap + 1);
		if (!nb) {
			free(b);
			fclose(f);
			return -ENOMEM;
		}
		b = nb;
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		cap *= 2;
	}
	if (ferror(f)) {
		free(b);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static size_t skip_ws(const char *b, size_t len, size_t p)
{
	while (p < len && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t'))
		p++;
	return p;
}

/* Offset of the '[' opening the "pairs" array, or 0 when there is none. */
static size_t find_pairs(const char *b, size_t len)
{
	static const char key[] = "\"pairs\"";
	const char *at = b;

	while ((at = memmem(at, len - (size_t)(at - b), key, sizeof(key) - 1))) {
		size_t p = skip_ws(b, len, (size_t)(at - b) + sizeof(key) - 1);
		if (p < len && b[p] == ':') {
			p = skip_ws(b, len, p + 1);
			if (p < len && b[p] == '[')
				return p;
		}
		at += sizeof(key) - 1;
	}
	return 0;
}

static int stash_push(struct vtc_pair_stash *s, const struct vtc_stashed_pair *sp)
{
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 256;
		void *np = realloc(s->p, (size_t)cap * sizeof(*s->p));
		if (!np)
			return -ENOMEM;
		s->p = np;
		s->cap = cap;
	}
	s->p[s->n++] = *sp;
	return 0;
}

/* Parse the pairs array at @open one element at a time into @stash, then
 * blank it to "[ ... ]" of spaces so the rest parses as a small document. */
static int stash_pairs(char *b, size_t len, size_t open, struct vtc_pair_stash *stash,
		       struct loader *ld)
{
	size_t p = skip_ws(b, len, open + 1);
	json_error_t jerr;

	while (p < len && b[p] != ']' && !ld->rc) {
		struct vtc_stashed_pair sp;
		json_t *e = json_loadb(b + p, len - p,
				       JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
		if (!e)
			return fail(ld, jerr.text, "pairs");
		p += (size_t)jerr.position;
		memset(&sp, 0, sizeof(sp));
		parse_pair(ld, e, &sp);
		json_decref(e);
		if (!ld->rc && stash_push(stash, &sp))
			return ld->rc = -ENOMEM;
		p = skip_ws(b, len, p);
		if (p < len && b[p] == ',')
			p = skip_ws(b, len, p + 1);
		else if (p >= len || b[p] != ']')
			return fail(ld, "expected ',' or ']' in array", "pairs");
	}
	if (ld->rc)
		return ld->rc;
	if (p >= len)
		return fail(ld, "unterminated array", "pairs");
	memset(b + open + 1, ' ', p - open - 1);
	return 0;
}

int vtc_report_read(const char *path, json_t **doc, struct vtc_pair_stash *stash, char *err,
		    size_t errlen)
{
	struct loader ld = {err, errlen, 0};
	json_error_t jerr;
	size_t len = 0, open;
	char *b = NULL;
	int rc;

	memset(stash, 0, sizeof(*stash));
	*doc = NULL;
	if ((rc = read_whole(path, &b, &len)))
		return rc;
	open = find_pairs(b, len);
	if (open && (rc = stash_pairs(b, len, open, stash, &ld))) {
		free(b);
		vtc_pair_stash_free(stash);
		return rc;
	}
	*doc = json_loadb(b, len, JSON_REJECT_DUPLICATES, &jerr);
	free(b);
	if (!*doc) {
		snprintf(err, errlen, "line %d: %s", jerr.line, jerr.text);
		vtc_pair_stash_free(stash);
		return -EINVAL;
	}
	return 0;
}
