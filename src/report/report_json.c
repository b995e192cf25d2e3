/* report_json.c - the JSON report: its sections built with jansson, the
 * document written member by member, the measured pairs streamed.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "src/report/run.h"
#include "src/report/output.h"
#include "src/report/report_json.h"

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

/* Unknown is null everywhere in the report: ids (kept as -1 in memory),
 * sizes and frequencies (0 in memory) and strings ("" in memory). */
static json_t *id_or_null(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *size_or_null(long long v)
{
	return v <= 0 ? json_null() : json_integer(v);
}

static json_t *str_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *cpu_json(const struct vtc_topo_cpu *c, int id)
{
	return json_pack("{s:i, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "cpu", id, "present", c->present, "online", c->online,
			 "thread_id", id_or_null(c->thread_id), "core_id", id_or_null(c->core_id),
			 "cluster_id", id_or_null(c->cluster_id), "die_id", id_or_null(c->die_id),
			 "package_id", id_or_null(c->package_id),
			 "numa_node", id_or_null(c->numa_node),
			 "x2apic_id", id_or_null(c->x2apic_id));
}

static json_t *levels_json(const struct vtc_topo *t)
{
	json_t *levels = json_object();

	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		json_t *groups = json_array();
		for (int g = 0; g < t->groups[l].count; g++)
			json_array_append_new(groups, cpulist_json(&t->groups[l].set[g]));
		json_object_set_new(levels, vtc_level_name((enum vtc_level)l),
				    json_pack("{s:b, s:o, s:o}", "known", t->level_known[l],
					      "groups", groups, "cache_kib",
					      size_or_null(t->cache_kib[l])));
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
	/* What the machine did not provide (no /sys/hypervisor/type outside
	 * Xen, no DMI, no CPUID) is null, as every unknown value. */
	return json_pack("{s:o, s:o, s:{s:b, s:b, s:b, s:b}, s:b, s:o, s:o, s:b, s:o, s:o,"
			 " s:o, s:o, s:o, s:o, s:s, s:s}",
			 "cpu_vendor", str_or_null(p->cpu_vendor), "model_name",
			 str_or_null(p->model_name), "cpuinfo_flags", "constant_tsc",
			 p->flag_constant_tsc, "nonstop_tsc", p->flag_nonstop_tsc, "hypervisor",
			 p->flag_hypervisor, "ht", p->flag_ht, "cpuid_available", p->cpuid_available,
			 "cpuid_vendor", str_or_null(p->cpuid_vendor), "hv_cpuid_vendor",
			 str_or_null(p->hv_cpuid_vendor), "cpuid_invariant_tsc", p->cpuid_invariant_tsc,
			 "tsc_khz", size_or_null((long long)p->tsc_khz),
			 "tsc_khz_source", str_or_null(p->tsc_khz_source),
			 "sys_hypervisor_type", str_or_null(p->sys_hypervisor_type),
			 "dmi_sys_vendor", str_or_null(p->dmi_sys_vendor), "dmi_product_name",
			 str_or_null(p->dmi_product_name), "kernel_release", str_or_null(p->kernel_release),
			 "hypervisor", p->hypervisor, "hypervisor_evidence",
			 p->hypervisor_evidence);
}

/* true, false, or null where the source had no such fact. */
static json_t *hint_json(enum vtc_hint h)
{
	return h == VTC_HINT_UNKNOWN ? json_null() : json_boolean(h == VTC_HINT_YES);
}

static json_t *params_json(const struct vtc_probe_params *p)
{
	return json_pack("{s:i, s:f, s:f, s:i, s:f, s:f, s:i, s:i, s:b, s:b, s:b, s:i}", "passes",
			 p->passes, "budget_s", p->budget_s, "pair_max_ms", p->pair_max_ms,
			 "max_samples", p->max_samples, "sample_target_us",
			 p->sample_target_us, "stall_ns", p->stall_ns, "stall_limit",
			 p->stall_limit, "lines", p->lines, "serial", p->serial, "contention",
			 p->contention, "watch", p->watch, "watch_samples", p->watch_samples);
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

/* Host signals (results.h); null when not read. */
static json_t *host_signals_json(const struct vtc_host_signals *h)
{
	if (!h->known)
		return json_null();
	return json_pack("{s:s, s:o, s:o, s:o}", "cpu_model", h->cpu_model,
			 "family_model_stepping", str_or_null(h->fms), "microcode",
			 str_or_null(h->microcode), "tsc_khz", num(h->tsc_khz > 0 ? h->tsc_khz : NAN));
}

/* The measurements around their pairs, which are streamed (write_results). */
static json_t *results_head_json(const struct vtc_results *r)
{
	return json_pack("{s:s, s:o, s:o, s:{s:s, s:f, s:s, s:b}, s:o, s:i}",
			 "backend", r->backend, "probed", cpulist_json(&r->probed),
			 "not_probed", cpulist_json(&r->not_probed), "timer", "name",
			 r->timer.name, "ticks_per_ns", r->timer.ticks_per_ns, "freq_source",
			 r->timer.freq_source, "invariant", r->timer.invariant, "params",
			 params_json(&r->params), "n_passes", r->n_passes);
}

static json_t *results_tail_json(const struct vtc_results *r)
{
	json_t *cont = json_array(), *solo = json_object();

	for (int i = 0; i < r->n_contention; i++)
		json_array_append_new(cont, contention_json(&r->contention[i]));
	for (int k = 0; k < VTC_CONT_KINDS; k++)
		json_object_set_new(solo, vtc_cont_kind_name((enum vtc_cont_kind)k),
				    per_cpu_json(r, r->solo_rate[k]));
	return json_pack("{s:o, s:o, s:o, s:o, s:f, s:b, s:b, s:{s:f, s:f, s:s, s:i, s:f, s:o},"
			 " s:{s:o, s:o}}",
			 "contention", cont, "solo_rate_ops_per_ns", solo, "steal_pct",
			 per_cpu_json(r, r->steal_pct), "foreign_runnable",
			 num(r->foreign_runnable < 0 ? NAN : r->foreign_runnable), "duration_s",
			 r->duration_s,
			 "interrupted", r->interrupted, "budget_exhausted", r->budget_exhausted,
			 "watch", "from_s", r->watch_from_s, "to_s", r->watch_to_s, "settled",
			 r->watch_end_reason, "samples", r->n_watch, "quiet_wait_s", r->quiet_wait_s,
			 "busy_runnable", num(r->busy_runnable < 0 ? NAN : r->busy_runnable),
			 "host_signals", "start", host_signals_json(&r->host_start), "end",
			 host_signals_json(&r->host_end));
}

json_t *vtc_json_from_findings(const struct vtc_findings *fs)
{
	json_t *a = json_array();

	for (int i = 0; i < fs->count; i++) {
		const struct vtc_finding *f = &fs->item[i];
		json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:s}", "kind",
				      vtc_fkind_name(f->kind), "severity",
				      vtc_severity_name(f->severity), "cpus", cpulist_json(&f->cpus),
				      "evidence", f->evidence, "cost", f->cost, "fix", f->fix);
		if (o && f->groups[0])
			json_object_set_new(o, "groups", json_string(f->groups));
		json_array_append_new(a, o);
	}
	return a;
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

/* How clear the structure was: the noise the twins show and what was
 * taken out as noise (busy vCPUs' rows, pairs' hiccups). */
static json_t *noise_json(const struct vtc_inferred *inf)
{
	json_t *busy = json_array();
	int c, rank = 0;

	vtc_cpuset_foreach(c, &inf->cpus) {
		if (inf->row_scale && inf->row_scale[rank] != 1)
			json_array_append_new(busy, json_pack("{s:i, s:o}", "cpu", c, "factor",
							      num(inf->row_scale[rank])));
		rank++;
	}
	return json_pack("{s:o, s:i, s:o, s:i, s:i, s:i}", "twin_sd",
			 num(inf->twin_noise >= 0 && inf->twins > 0 ? inf->twin_noise : NAN),
			 "twins", inf->twins, "busy_vcpus", busy, "pairs_outvoted",
			 inf->pairs_outvoted, "pairs_related", inf->pairs_related,
			 "pairs_disagreeing", inf->pairs_disagreeing);
}

json_t *vtc_json_from_inferred(const struct vtc_inferred *inf)
{
	json_t *tiers = json_array(), *groups = json_object(), *fast = json_array();

	/* "name": the letter the text report, the SVG and the metrics use
	 * (n_tiers <= VTC_INFER_MAX_TIERS, far below 26). */
	for (int i = 0; i < inf->n_tiers; i++)
		json_array_append_new(tiers, json_pack("{s:s, s:o, s:o, s:o, s:i}", "name",
						       (char[]){vtc_tier_letter(i), '\0'}, "lo_ns",
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
	return json_pack("{s:b, s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:b, s:o, s:o, s:o, s:o}",
			 "unknown", inf->unknown, "reason", inf->reason, "coverage",
			 num(inf->coverage), "pass_disagreement", num(inf->pass_disagree),
			 "tiers", tiers, "noise", noise_json(inf), "have_contention",
			 inf->have_contention,
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

/* A latency in a pair's pass: 4 significant digits (0.1% of the value,
 * far below the run-to-run spread of any pair), null when not finite. */
static void print_ns(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.4g", v);
	else
		fputs(",null", f);
}

/* One pair on one line, written directly: half a million pairs through
 * jansson take seconds. Positional, [a, b, pass...], each pass what
 * re-judging reads (VTC_REPORT_PASS_FIELDS) or null when not measured: a
 * pair of two passes takes ~90 bytes where named fields took ~430, so a
 * 1024-vCPU report is a fifth of the size. The only writer of a pair:
 * report_load.c parses its output. */
static void print_pair(FILE *f, const struct vtc_results *r, int i)
{
	fprintf(f, "[%d,%d", r->pairs[i].a, r->pairs[i].b);
	for (int p = 0; p < r->n_passes; p++) {
		const struct vtc_lat_stats *s = &r->pairs[i].pass[p];
		if (!s->measured) {
			fputs(",null", f);
			continue;
		}
		fprintf(f, ",[%d,%u,%u", s->stalled, s->samples, s->stalls);
		print_ns(f, s->median_ns);
		print_ns(f, s->p10_ns);
		print_ns(f, s->p90_ns);
		print_ns(f, s->handoff_ns);
		if (isfinite(s->t_start_s))
			fprintf(f, ",%.3f]", s->t_start_s);
		else
			fputs(",null]", f);
	}
	fputc(']', f);
}

/* The writer's place in the document. jansson dumps every value but the
 * pairs; the layout around them is its JSON_INDENT(2) layout, by hand. */
struct jw {
	FILE *f;
	int depth; /* of the object being written: 0 = the document */
	bool first; /* no member written in it yet */
	int rc;
};

#define JW_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

/* jansson indents a value dumped alone from column 0: every line of it
 * moves to the member's column. Its strings hold no raw newline (jansson
 * escapes them), so every '\n' is layout. */
static int indent_cb(const char *buf, size_t size, void *arg)
{
	struct jw *w = arg;
	const char *nl;

	while (size && (nl = memchr(buf, '\n', size))) {
		size_t n = (size_t)(nl - buf);
		fwrite(buf, 1, n, w->f);
		fprintf(w->f, "\n%*s", 2 * (w->depth + 1), "");
		buf += n + 1;
		size -= n + 1;
	}
	fwrite(buf, 1, size, w->f);
	return 0;
}

/* Keys are the schema's own names: nothing to escape. */
static void jw_key(struct jw *w, const char *key)
{
	fprintf(w->f, "%s\n%*s\"%s\": ", w->first ? "" : ",", 2 * (w->depth + 1), "", key);
	w->first = false;
}

static void jw_begin(struct jw *w)
{
	fputc('{', w->f);
	w->depth++;
	w->first = true;
}

static void jw_end(struct jw *w)
{
	w->depth--;
	if (!w->first)
		fprintf(w->f, "\n%*s", 2 * (w->depth + 1), "");
	fputc('}', w->f);
	w->first = false;
}

/* The members of @o, in order, as members of the object being written. */
static void jw_members(struct jw *w, const json_t *o)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v) {
		jw_key(w, key);
		if (json_dump_callback(v, indent_cb, w, JW_FLAGS) != 0 && !w->rc)
			w->rc = -ENOMEM;
	}
}

/* Pairs never measured (budget, interruption) are left out: on big guests
 * they are most of the matrix. Absent means unmeasured. */
static void jw_pairs(struct jw *w, const struct vtc_results *r)
{
	bool first = true;

	jw_key(w, "pairs");
	fputc('[', w->f);
	for (int i = 0; i < r->n_pairs && !ferror(w->f); i++) {
		if (!vtc_pair_measured(&r->pairs[i], r->n_passes))
			continue;
		fprintf(w->f, "%s\n%*s", first ? "" : ",", 2 * (w->depth + 2), "");
		first = false;
		print_pair(w->f, r, i);
	}
	if (!first)
		fprintf(w->f, "\n%*s", 2 * (w->depth + 1), "");
	fputc(']', w->f);
}

/* The observation window's samples, one per line as [t_s, a, b, ns] (ns
 * null: stalled or not measured), streamed like the pairs. */
static void jw_watch_samples(struct jw *w, const struct vtc_results *r)
{
	jw_key(w, "watch_samples");
	fputc('[', w->f);
	for (int i = 0; i < r->n_watch && !ferror(w->f); i++) {
		const struct vtc_watch_sample *s = &r->watch[i];
		const struct vtc_pair_result *p = &r->pairs[s->pair];
		fprintf(w->f, "%s\n%*s[%.4f,%d,%d,", i ? "," : "", 2 * (w->depth + 2), "",
			(double)s->t_s, p->a, p->b);
		if (s->ns > 0)
			fprintf(w->f, "%.2f]", (double)s->ns);
		else
			fputs("null]", w->f);
	}
	if (r->n_watch)
		fprintf(w->f, "\n%*s", 2 * (w->depth + 1), "");
	fputc(']', w->f);
}

/* The measurements object: @head, the pairs of @r, the window's samples,
 * @tail. */
static void write_results(struct jw *w, const struct vtc_results *r, const json_t *head,
			  const json_t *tail)
{
	jw_begin(w);
	jw_members(w, head);
	jw_pairs(w, r);
	jw_watch_samples(w, r);
	jw_members(w, tail);
	jw_end(w);
}

static int finish(struct jw *w)
{
	if (w->rc)
		return w->rc;
	return ferror(w->f) ? -EIO : 0;
}

json_t *vtc_json_from_results(const struct vtc_results *r)
{
	json_t *head = results_head_json(r), *tail = results_tail_json(r), *j = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = head && tail ? open_memstream(&buf, &len) : NULL;
	struct jw w = {f, -1, true, 0};
	int rc;

	if (f) {
		write_results(&w, r, head, tail);
		rc = finish(&w);
		if (fclose(f) == 0 && rc == 0)
			j = json_loadb(buf, len, 0, NULL);
		free(buf);
	}
	json_decref(head);
	json_decref(tail);
	return j;
}

/* ---- fingerprints (derived; --analyze recomputes them) ---------------- */

/* The platform's host signals (cpuinfo's family, model, stepping and
 * microcode) added to its object @j. Returns 0 or -ENOMEM. */
static int platform_host_fields(json_t *j, const struct vtc_platform *p)
{
	if (!j || json_object_set_new(j, "cpu_family", str_or_null(p->cpu_family)) ||
	    json_object_set_new(j, "cpu_model_number", str_or_null(p->cpu_model_num)) ||
	    json_object_set_new(j, "cpu_stepping", str_or_null(p->cpu_stepping)) ||
	    json_object_set_new(j, "microcode", str_or_null(p->microcode)))
		return -ENOMEM;
	return 0;
}

json_t *vtc_json_from_fingerprints(const struct vtc_run *app)
{
	char topo[VTC_FINGERPRINT_LEN + 1], host[VTC_FINGERPRINT_LEN + 1];
	char htext[400] = "";
	size_t size = (VTC_GROUP_KINDS + 1) * VTC_CPUSET_MAX * 5 + 64;
	char *ttext = NULL;
	json_t *j;

	vtc_run_fingerprints(app, topo, host);
	if (topo[0] && (ttext = malloc(size)) &&
	    vtc_fingerprint_topology_text(&app->inf, ttext, size) != 0)
		ttext[0] = '\0';
	if (host[0])
		vtc_fingerprint_host_text(&app->res.host_start, htext, sizeof(htext));
	j = json_pack("{s:o, s:o, s:o, s:o}", "topology", str_or_null(topo),
		      "topology_groups", str_or_null(ttext ? ttext : ""), "host",
		      str_or_null(host), "host_signals", str_or_null(htext));
	free(ttext);
	return j;
}

/* ---- the report: one run, written in order ----------------------------- */

static const char *status_name(enum vtc_exit s)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
	return (unsigned)s <= VTC_EXIT_UNKNOWN ? names[s] : "UNKNOWN";
}

static json_t *tool_json(void)
{
	struct utsname u;

	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
	return json_pack("{s:s, s:s, s:s, s:s}", "name", PACKAGE_NAME, "version",
			 PACKAGE_VERSION, "build", VTC_BUILD_DATE[0] ? VTC_BUILD_DATE " " VTC_BUILD_ARCH : VTC_BUILD_ARCH,
			 "host_machine", u.machine);
}

/* Every member but the pairs, built before a byte is written: a failure
 * (out of memory, a string that is not UTF-8) leaves no half report. */
struct doc {
	const struct vtc_run *app;
	json_t *head;                  /* schema .. advertised */
	json_t *meas_head, *meas_tail; /* around the pairs; NULL: not measured */
	json_t *tail;                  /* inferred .. verdict */
};

static void doc_free(struct doc *d)
{
	json_decref(d->head);
	json_decref(d->meas_head);
	json_decref(d->meas_tail);
	json_decref(d->tail);
}

static int doc_build(struct doc *d, const struct vtc_run *app)
{
	memset(d, 0, sizeof(*d));
	d->app = app;
	d->head = json_pack("{s:s, s:o, s:s, s:s, s:f, s:o, s:{s:o, s:o, s:o}}", "schema",
			    VTC_REPORT_SCHEMA, "tool", tool_json(), "timestamp", app->started,
			    "command", app->args, "duration_s", app->wall_s, "platform",
			    vtc_json_from_platform(&app->plat), "advertised", "sysfs",
			    app->have_sysfs ? vtc_json_from_topo(&app->sysfs) : json_null(),
			    "cpuid", app->have_cpuid ? vtc_json_from_topo(&app->cpuid) : json_null(),
			    "kvm_hint_dedicated", hint_json(app->plat.kvm_hint_dedicated));
	if (app->have_results) {
		d->meas_head = results_head_json(&app->res);
		d->meas_tail = results_tail_json(&app->res);
	}
	d->tail = json_pack("{s:o, s:o, s:o, s:{s:s, s:i, s:s}}", "inferred",
			    app->have_inf ? vtc_json_from_inferred(&app->inf) : json_null(),
			    "fingerprints", vtc_json_from_fingerprints(app),
			    "findings", vtc_json_from_findings(&app->findings), "verdict",
			    "status", status_name(app->status), "exit_code", (int)app->status,
			    "reason", app->reason);
	if (!d->head || !d->tail || (app->have_results && (!d->meas_head || !d->meas_tail))) {
		doc_free(d);
		return -ENOMEM;
	}
	if (platform_host_fields(json_object_get(d->head, "platform"), &app->plat)) {
		doc_free(d);
		return -ENOMEM;
	}
	return 0;
}

static int doc_write(FILE *f, void *arg)
{
	const struct doc *d = arg;
	struct jw w = {f, -1, true, 0};

	jw_begin(&w);
	jw_members(&w, d->head);
	jw_key(&w, "measurements");
	if (d->meas_head)
		write_results(&w, &d->app->res, d->meas_head, d->meas_tail);
	else
		fputs("null", f);
	jw_members(&w, d->tail);
	jw_end(&w);
	fputc('\n', f);
	return finish(&w);
}

int vtc_json_dump_app(FILE *f, const struct vtc_run *app)
{
	struct doc d;
	int rc;

	if ((rc = doc_build(&d, app)))
		return rc;
	rc = doc_write(f, &d);
	doc_free(&d);
	return rc;
}

int vtc_json_write_app(const struct vtc_run *app, const char *path)
{
	struct doc d;
	int rc;

	if ((rc = doc_build(&d, app)))
		return rc;
	rc = vtc_output_write_atomic(path, doc_write, &d);
	doc_free(&d);
	return rc;
}
