/* test_report_json.c - JSON round trips and hostile report input.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/testutil.h"
#include "src/report/run.h"
#include "src/input.h"
#include "src/report/output.h"
#include "src/report/report_json.h"
#include "src/report/report_load.h"

static void make_topo(struct vtc_topo *t)
{
	assert_int_equal(vtc_topo_init(t, "sysfs", 4), 0);
	vtc_cpulist_parse("0-3", &t->possible);
	vtc_cpulist_parse("0-3", &t->present);
	vtc_cpulist_parse("0-2", &t->online);
	vtc_cpulist_parse("0-1", &t->allowed);
	for (int i = 0; i < 4; i++) {
		t->cpu[i].possible = t->cpu[i].present = true;
		t->cpu[i].online = i < 3;
		t->cpu[i].core_id = i / 2;
		t->cpu[i].x2apic_id = i;
	}
	vtc_cpulist_parse("0-1", &t->cpu[0].siblings[VTC_LEVEL_SMT]);
	vtc_cpulist_parse("0-1", &t->cpu[1].siblings[VTC_LEVEL_SMT]);
	vtc_cpulist_parse("2-3", &t->cpu[2].siblings[VTC_LEVEL_SMT]);
	for (int i = 0; i < 3; i++)
		vtc_cpulist_parse("0-3", &t->cpu[i].siblings[VTC_LEVEL_PACKAGE]);
	t->cache_kib[VTC_LEVEL_L3] = 32768;
	assert_int_equal(vtc_topo_build_groups(t), 0);
}

static void test_topo_roundtrip(void **state)
{
	struct vtc_topo t, back;
	char err[128];
	json_t *j;
	(void)state;
	make_topo(&t);
	j = vtc_json_from_topo(&t);
	assert_non_null(j);
	assert_int_equal(vtc_json_to_topo(j, &back, err, sizeof(err)), 0);
	assert_true(vtc_cpuset_equal(&t.online, &back.online));
	assert_true(vtc_cpuset_equal(&t.allowed, &back.allowed));
	for (int l = 0; l < VTC_LEVEL_COUNT; l++) {
		assert_int_equal(t.level_known[l], back.level_known[l]);
		if (t.level_known[l])
			assert_true(vtc_topo_level_equal(&t, &back, (enum vtc_level)l));
	}
	assert_int_equal(back.cpu[2].core_id, 1);
	assert_int_equal(back.cache_kib[VTC_LEVEL_L3], 32768);
	json_decref(j);
	vtc_topo_free(&t);
	vtc_topo_free(&back);
}

static void make_results(struct vtc_results *r)
{
	vtc_cpuset s;
	vtc_cpulist_parse("0,2,5", &s);
	assert_int_equal(vtc_results_init(r, &s, 2), 0);
	snprintf(r->backend, sizeof(r->backend), "sim");
	for (int i = 0; i < r->n_pairs; i++)
		for (int p = 0; p < 2; p++) {
			struct vtc_lat_stats *st = &r->pairs[i].pass[p];
			st->measured = true;
			st->samples = 50;
			st->median_ns = 40.0 + i + p;
			st->min_ns = st->p10_ns = 30.0;
			st->p90_ns = 60.0;
		}
	r->pairs[1].pass[1].stalled = true;
	r->pairs[1].pass[1].handoff_ns = 1.5e6;
	struct vtc_contention_result c = {.a = 0, .b = 0, .measured = true,
					  .ratio = {0.5, 0.51, 0.49}, .steal_pct = 0};
	assert_int_equal(vtc_results_add_contention(r, &c), 0);
	r->steal_pct[2] = 1.25;
	r->solo_rate[VTC_CONT_ALU][5] = 3.5;
}

/* What schema 2 keeps of a pass (report_json.h): everything judging
 * reads; min_ns, discarded and round_trips are not kept. The test values
 * have 4 significant digits or fewer, so they come back exactly. */
static void assert_pass_kept(const struct vtc_lat_stats *a, const struct vtc_lat_stats *b)
{
	assert_int_equal(a->measured, b->measured);
	if (!a->measured)
		return;
	assert_int_equal(a->stalled, b->stalled);
	assert_int_equal(a->samples, b->samples);
	assert_int_equal(a->stalls, b->stalls);
	assert_true(a->median_ns == b->median_ns && a->p10_ns == b->p10_ns &&
		    a->p90_ns == b->p90_ns && a->handoff_ns == b->handoff_ns &&
		    a->t_start_s == b->t_start_s);
	assert_true(isnan(b->min_ns) && b->discarded == 0 && b->round_trips == 0);
}

static void test_results_roundtrip(void **state)
{
	struct vtc_results r, back;
	char err[128];
	json_t *j;
	(void)state;
	make_results(&r);
	memset(&r.pairs[2].pass, 0, sizeof(r.pairs[2].pass)); /* never measured */
	j = vtc_json_from_results(&r);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "pairs")), 2);
	assert_int_equal(vtc_json_to_results(j, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n, 3);
	assert_false(back.pairs[2].pass[0].measured);
	assert_int_equal(back.n_pairs, 3);
	for (int i = 0; i < 3; i++)
		for (int p = 0; p < 2; p++)
			assert_pass_kept(&r.pairs[i].pass[p], &back.pairs[i].pass[p]);
	assert_non_null(vtc_results_contention(&back, 0, 0));
	assert_true(back.steal_pct[2] == 1.25);
	assert_true(back.steal_pct[0] == -1);
	assert_true(back.solo_rate[VTC_CONT_ALU][5] == 3.5);
	assert_true(vtc_results_pair_median(&back, 0, 5) == 41.0);
	json_decref(j);
	vtc_results_free(&r);
	vtc_results_free(&back);
}

/* Every way a hand-edited or foreign report can be wrong: an error, no crash. */
static void test_results_hostile(void **state)
{
	static const char *bad[] = {
		"{}",
		"[]",
		"{\"probed\": 5, \"n_passes\": 2}",
		"{\"probed\": \"0-1\", \"n_passes\": 99}",
		"{\"probed\": \"0-99999\", \"n_passes\": 2}",
		"{\"probed\": \"0-1\", \"n_passes\": 2}",
		"{\"probed\": \"0-1\", \"n_passes\": 1, \"pairs\": [{\"a\": 0, \"b\": 7, "
		"\"passes\": [{}]}], \"contention\": [], \"timer\": {}, \"params\": {}, "
		"\"solo_rate_ops_per_ns\": {}}",
		"{\"probed\": \"0-1\", \"n_passes\": 1, \"pairs\": [{\"a\": -1, \"b\": 1, "
		"\"passes\": []}], \"contention\": [], \"timer\": {}, \"params\": {}, "
		"\"solo_rate_ops_per_ns\": {}}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vtc_results r;
		char err[128] = "";
		json_t *j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		assert_int_equal(vtc_json_to_results(j, &r, err, sizeof(err)), -EINVAL);
		assert_true(strlen(err) > 0);
		json_decref(j);
	}
}

/* make_results with an observation window from 1 to 2 s and two samples,
 * as the JSON measurements object. */
static json_t *watched_json(void)
{
	struct vtc_results r;
	json_t *j;

	make_results(&r);
	r.watch_from_s = 1.0;
	r.watch_to_s = 2.0;
	assert_int_equal(vtc_results_add_watch(&r, 1.0, 0, 40.0), 0);
	assert_int_equal(vtc_results_add_watch(&r, 1.9, 1, -1), 0);
	j = vtc_json_from_results(&r);
	assert_non_null(j);
	vtc_results_free(&r);
	return j;
}

/* Load @j (consumed); @want NULL: it loads, else the error holds @want. */
static void load_expect(json_t *j, const char *want)
{
	struct vtc_results r;
	char err[256] = "";
	int rc = vtc_json_to_results(j, &r, err, sizeof(err));

	if (!want) {
		if (rc != 0)
			fail_msg("refused: %s", err);
		vtc_results_free(&r);
	} else {
		if (rc != -EINVAL || !strstr(err, want))
			fail_msg("want -EINVAL with '%s', got %d '%s'", want, rc, err);
	}
	json_decref(j);
}

/* The first pair replaced by @text. */
static json_t *with_pair(const char *text)
{
	json_t *j = watched_json();

	json_array_set_new(json_object_get(j, "pairs"), 0, json_loads(text, 0, NULL));
	return j;
}

/* A window sample replaced by @text. */
static json_t *with_sample(const char *text)
{
	json_t *j = watched_json();

	json_array_set_new(json_object_get(j, "watch_samples"), 0, json_loads(text, 0, NULL));
	return j;
}

/* Watch samples are checked before they are cast or judged: CPU numbers
 * that wrap to a probed CPU (4294967296 read as 0), times outside the
 * window, latencies that are not latencies (negative, 0, 1e-300 which a
 * float holds as 0, the stall mark). */
static void test_watch_samples_checked(void **state)
{
	(void)state;
	load_expect(watched_json(), NULL);
	load_expect(with_sample("[0.995, 0, 2, 40.0]"), NULL); /* rounding */
	load_expect(with_sample("[2.0, 2, 0, null]"), NULL);
	load_expect(with_sample("[1.5, 4294967296, 2, 40.0]"),
		    "watch_samples[0] names CPU 4294967296, not a CPU number");
	load_expect(with_sample("[1.5, 0, -4294967294, 40.0]"), "names CPU -4294967294");
	load_expect(with_sample("[1.5, 0, 1, 40.0]"), "watch_samples[0] is of CPUs 0 and 1");
	load_expect(with_sample("[5e6, 0, 2, 40.0]"),
		    "watch_samples[0] at 5000000.0000 s is outside the window (1.0000 to 2.0000 s");
	load_expect(with_sample("[0.5, 0, 2, 40.0]"), "outside the window");
	load_expect(with_sample("[2.5, 0, 2, 40.0]"), "outside the window");
	load_expect(with_sample("[1e8, 0, 2, 40.0]"), "outside the window");
	load_expect(with_sample("[1.5, 0, 2, 1e-300]"), "reads 1e-300 ns, not a latency");
	load_expect(with_sample("[1.5, 0, 2, -5]"), "reads -5 ns");
	load_expect(with_sample("[1.5, 0, 2, 0]"), "reads 0 ns");
	load_expect(with_sample("[1.5, 0, 2, 1.7e308]"), "not a latency");
	load_expect(with_sample("[1.5, 0, 2]"), "watch_samples[0] is not [t_s, a, b, ns]");
}

/* The same pair co-run twice (in either order, or the same-vCPU control
 * twice): the judge used whichever came first, so their order flipped the
 * verdict. Refused, naming the repeat. */
static void test_contention_once(void **state)
{
	json_t *j, *cont, *c;
	(void)state;
	j = watched_json();
	cont = json_object_get(j, "contention");
	c = json_deep_copy(json_array_get(cont, 0));
	json_object_set_new(c, "a", json_integer(2));
	json_object_set_new(c, "b", json_integer(0));
	json_array_append(cont, c);
	load_expect(json_deep_copy(j), NULL); /* (0,0) and (2,0): different */
	json_object_set_new(c, "a", json_integer(0));
	json_object_set_new(c, "b", json_integer(2));
	json_array_append(cont, c); /* (0,2) repeats (2,0) */
	load_expect(json_deep_copy(j),
		    "contention[2] (CPUs 0 and 2) repeats contention[1] (a pair is co-run once)");
	json_array_remove(cont, 2);
	json_array_append(cont, json_array_get(cont, 0)); /* the control twice */
	load_expect(j, "contention[2] (CPUs 0 and 0) repeats contention[0]");
	json_decref(c);
}

/* A pass's latencies are null or from 0 to 1e12 ns: 1.7e308 averaged or
 * summed overflows to inf further on. */
/* Pair 0-2 as schema 1 wrote it (named fields), which --analyze reads. */
static json_t *v1_pair(void)
{
	return json_loads("{\"a\":0,\"b\":2,\"passes\":[{\"measured\":true,\"stalled\":false,"
			  "\"samples\":50,\"discarded\":0,\"stalls\":0,\"round_trips\":9,"
			  "\"min_ns\":30,\"p10_ns\":30,\"median_ns\":40,\"p90_ns\":60,"
			  "\"handoff_ns\":0,\"t_start_s\":0},{\"measured\":true,\"stalled\":false,"
			  "\"samples\":50,\"discarded\":0,\"stalls\":0,\"round_trips\":9,"
			  "\"min_ns\":30,\"p10_ns\":30,\"median_ns\":41,\"p90_ns\":60,"
			  "\"handoff_ns\":0,\"t_start_s\":0}]}", 0, NULL);
}

/* Latencies out of range are refused in either schema's pairs: schema 2's
 * positional passes, and schema 1's named fields. */
static void test_pair_latency_range(void **state)
{
	static const char *fields[] = {"min_ns", "p10_ns", "median_ns", "p90_ns", "handoff_ns"};
	static const char *positional[] = {"median_ns", "p10_ns", "p90_ns", "handoff_ns"};
	(void)state;
	for (size_t at = 3; at <= 6; at++) { /* median, p10, p90, handoff */
		json_t *j = watched_json();
		json_t *pass = json_array_get(json_array_get(json_object_get(j, "pairs"), 0), 2);
		assert_true(json_is_array(pass));
		json_array_set_new(pass, at, json_real(1.7e308));
		load_expect(json_deep_copy(j), "pair of CPUs 0 and 2, pass 0: latency out of range "
			    "(0 to 1e12 ns)");
		json_array_set_new(pass, at, json_real(-1));
		load_expect(j, positional[at - 3]); /* the field, by name */
	}
	load_expect(with_pair("[0, 2, [0, 50, 0, 40, 30, 60, 0, 0], [2, 50, 0, 41, 30, 60, 0, 0]]"),
		    "stalled (0 or 1)");
	load_expect(with_pair("[0, 2, [0, 50, 0, 40, 30, 60, 0]]"), "a pass is not null or");
	load_expect(with_pair("[0, 2, null, null, null, null, null]"), "wrong pass count");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *j = watched_json(), *pair = v1_pair();
		json_t *pass = json_array_get(json_object_get(pair, "passes"), 0);
		json_array_set_new(json_object_get(j, "pairs"), 0, pair);
		load_expect(json_deep_copy(j), NULL); /* schema 1 as written: read */
		json_object_set_new(pass, fields[i], json_real(1.7e308));
		load_expect(json_deep_copy(j), "pair of CPUs 0 and 2, pass 0: latency out of range "
			    "(0 to 1e12 ns)");
		json_object_set_new(pass, fields[i], json_real(-1));
		load_expect(j, fields[i]);
	}
}

static void test_topo_hostile(void **state)
{
	static const char *bad[] = {
		"{}",
		"{\"source\": \"x\", \"ncpus\": 0, \"cpus\": [], \"levels\": {}}",
		"{\"source\": \"x\", \"ncpus\": 100000, \"cpus\": [], \"levels\": {}}",
		"{\"source\": \"x\", \"ncpus\": 2, \"cpus\": [{\"cpu\": 5}], \"levels\": {}, "
		"\"possible\": \"0-1\", \"present\": \"0-1\", \"online\": \"0-1\", "
		"\"allowed\": \"0-1\"}",
		"{\"source\": \"x\", \"ncpus\": 2, \"cpus\": [], \"levels\": {}, "
		"\"possible\": \"0-9\", \"present\": \"0-1\", \"online\": \"0-1\", "
		"\"allowed\": \"0-1\"}",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vtc_topo t;
		char err[128] = "";
		json_t *j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		assert_int_equal(vtc_json_to_topo(j, &t, err, sizeof(err)), -EINVAL);
		json_decref(j);
	}
}

/* A run that measured @r only (NULL: nothing): the rest of its report is
 * null or empty. @r is shared, not copied: free the run with free(). */
static struct vtc_run *run_with(const struct vtc_results *r)
{
	struct vtc_run *app = calloc(1, sizeof(*app));

	assert_non_null(app);
	if (r) {
		app->res = *r;
		app->have_results = true;
	}
	return app;
}

static void test_atomic_write(void **state)
{
	char dir[] = "/tmp/vtc-json-XXXXXX", path[256];
	struct vtc_run *app = run_with(NULL);
	json_t *back;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.json", dir);
	assert_int_equal(vtc_output_path_check(path), 0);
	assert_int_equal(vtc_json_write_app(app, path), 0);
	back = json_load_file(path, 0, NULL);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back, "schema")), VTC_REPORT_SCHEMA);
	assert_true(json_is_null(json_object_get(back, "measurements")));
	assert_int_equal(vtc_output_path_check(dir), -EISDIR);
	snprintf(path, sizeof(path), "%s/nope/r.json", dir);
	assert_int_equal(vtc_output_path_check(path), -ENOENT);
	assert_int_equal(vtc_json_write_app(app, path), -ENOENT);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	unlink(path);
	rmdir(dir);
	json_decref(back);
	free(app);
}

/* The report is written member by member, yet must read as jansson's own
 * JSON_INDENT(2) dump of it (the pairs aside, which are one per line). */
static void test_layout_is_janssons(void **state)
{
	char dir[] = "/tmp/vtc-layout-XXXXXX", path[256];
	struct vtc_results r;
	struct vtc_run *app;
	char *text, *again;
	json_t *back;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.json", dir);
	make_results(&r);
	for (int i = 0; i < r.n_pairs; i++) /* no pair measured: "pairs": [] */
		memset(&r.pairs[i].pass, 0, sizeof(r.pairs[i].pass));
	r.duration_s = 1.0 / 3;
	app = run_with(&r);
	assert_int_equal(vtc_json_write_app(app, path), 0);
	text = vtc_test_slurp(path, NULL);
	back = json_loads(text, 0, NULL);
	assert_non_null(back);
	again = json_dumps(back, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(again);
	assert_int_equal(strlen(text), strlen(again) + 1);
	assert_memory_equal(text, again, strlen(again));
	assert_int_equal(text[strlen(again)], '\n');
	free(again);
	free(text);
	json_decref(back);
	free(app);
	vtc_results_free(&r);
	unlink(path);
	rmdir(dir);
}

/* The report file streams its pairs: same data back, bounded memory. */
static void test_streamed_report(void **state)
{
	char dir[] = "/tmp/vtc-stream-XXXXXX", path[256], err[160] = "";
	struct vtc_results r, back;
	struct vtc_pair_stash stash;
	struct vtc_run *app;
	json_t *loaded;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.json", dir);
	make_results(&r);
	memset(&r.pairs[2].pass, 0, sizeof(r.pairs[2].pass));
	app = run_with(&r);
	assert_int_equal(vtc_json_write_app(app, path), 0);
	assert_int_equal(vtc_report_read(path, &loaded, &stash, err, sizeof(err)), 0);
	assert_int_equal(stash.n, 2);
	assert_int_equal(json_array_size(json_object_get(json_object_get(loaded, "measurements"),
							 "pairs")), 0);
	assert_int_equal(vtc_json_to_results_stash(json_object_get(loaded, "measurements"),
						   &stash, &back, err, sizeof(err)), 0);
	for (int i = 0; i < 3; i++)
		for (int p = 0; p < 2; p++)
			assert_pass_kept(&r.pairs[i].pass[p], &back.pairs[i].pass[p]);
	vtc_results_free(&back);
	vtc_pair_stash_free(&stash);
	json_decref(loaded);
	free(app);
	vtc_results_free(&r);
	unlink(path);
	rmdir(dir);
}

static void read_text(const char *text, int want)
{
	char path[] = "/tmp/vtc-stream-bad-XXXXXX", err[160] = "";
	struct vtc_pair_stash stash;
	json_t *doc = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(vtc_report_read(path, &doc, &stash, err, sizeof(err)), want);
	if (want)
		assert_true(strlen(err) > 0);
	json_decref(doc);
	vtc_pair_stash_free(&stash);
	unlink(path);
}

static void test_streamed_hostile(void **state)
{
	(void)state;
	read_text("{\"measurements\": {\"pairs\": [1, 2]}}", -EINVAL);
	read_text("{\"measurements\": {\"pairs\": [{\"a\": 0, \"b\": 1, \"passes\": []}]}}",
		  -EINVAL);
	read_text("{\"measurements\": {\"pairs\": [{\"a\": 0, \"b\": 1, \"passes\": [{}]} {}]}}",
		  -EINVAL);
	read_text("{\"measurements\": {\"pairs\": [", -EINVAL);
	read_text("{\"measurements\": {\"pairs\": [{\"a\": 0, \"a\": 1}]}}", -EINVAL);
	read_text("{\"x\": \"\\\"pairs\\\": [\", \"y\": 1}", 0); /* the key inside a string */
	read_text("", -EINVAL);
	read_text("{\"measurements\": {\"pairs\": [] , }}", -EINVAL);
	read_text("{\"measurements\": {\"pairs\": [], \"pairs\": []}}", -EINVAL);
	read_text("]]{\"measurements\": {\"pairs\": [1]}}", -EINVAL);
}

/* Read @text; 0 expected, with @npairs pairs and @nsamples samples
 * streamed. */
static json_t *read_streamed(const char *text, int npairs, int nsamples)
{
	char path[] = "/tmp/vtc-stream-path-XXXXXX", err[160] = "";
	struct vtc_pair_stash stash;
	json_t *doc = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	if (vtc_report_read(path, &doc, &stash, err, sizeof(err)) != 0)
		fail_msg("'%s' not read: %s", text, err);
	assert_int_equal(stash.n, npairs);
	assert_int_equal(stash.n_watch, nsamples);
	vtc_pair_stash_free(&stash);
	unlink(path);
	return doc;
}

#define PAIR "{\"a\": 0, \"b\": 1, \"passes\": [{\"measured\": true, \"stalled\": false, " \
	"\"samples\": 1, \"discarded\": 0, \"stalls\": 0, \"round_trips\": 1, \"min_ns\": 9, " \
	"\"p10_ns\": 9, \"median_ns\": 9, \"p90_ns\": 9, \"handoff_ns\": 0, \"t_start_s\": 0}]}"

/* The big arrays are streamed only at measurements.pairs and
 * measurements.watch_samples: a member of that name anywhere else is an
 * unknown field, ignored (a decoy of pair data under platform was judged,
 * a harmless "pairs" elsewhere made a report unreadable). */
static void test_streamed_by_path(void **state)
{
	json_t *doc;
	(void)state;
	/* decoys before the real arrays, at other depths and under other keys */
	doc = read_streamed("{\"platform\": {\"x_vendor_ext\": {\"pairs\": [" PAIR "], "
			    "\"watch_samples\": [[0.5, 0, 1, 1.0]]}}, "
			    "\"pairs\": [1, 2], \"watch_samples\": \"none\", "
			    "\"x\": [{\"measurements\": {\"pairs\": [" PAIR "]}}], "
			    "\"measurements\": {\"backend\": \"[\\\"pairs\\\": [\", "
			    "\"extra\": {\"pairs\": [\"not a pair\"]}, "
			    "\"pairs\": [" PAIR ", " PAIR "], \"watch_samples\": [[0.5, 0, 1, 9.0]]}}",
			    2, 1);
	assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(
		doc, "platform"), "x_vendor_ext"), "pairs")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "pairs")), 2);
	assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(
		doc, "measurements"), "extra"), "pairs")), 1);
	assert_int_equal(json_array_size(json_object_get(json_object_get(doc, "measurements"),
							 "pairs")), 0);
	json_decref(doc);
	/* the real arrays after unknown members, nothing streamed where they
	 * are absent or not arrays */
	json_decref(read_streamed("{\"measurements\": {\"a\": {\"b\": [[], {}]}, \"pairs\": ["
				  PAIR "]}, \"z\": {\"pairs\": [2]}}", 1, 0));
	json_decref(read_streamed("{\"measurements\": null, \"pairs\": [" PAIR "]}", 0, 0));
	json_decref(read_streamed("{\"measurements\": {\"pairs\": {\"pairs\": [1]}}}", 0, 0));
	json_decref(read_streamed("[{\"measurements\": {\"pairs\": [1]}}]", 0, 0));
}

/* Bytes of @r's report as --json writes it. */
static long report_bytes(const struct vtc_results *r)
{
	struct vtc_run *app = run_with(r);
	FILE *f = tmpfile();
	long n;

	assert_non_null(f);
	assert_int_equal(vtc_json_dump_app(f, app), 0);
	n = ftell(f);
	fclose(f);
	free(app);
	return n;
}

/* The longest pass the writer can print: every counter at its largest,
 * every real the longest %.7g of the range the loader accepts. */
static void longest_pass(struct vtc_lat_stats *s)
{
	*s = (struct vtc_lat_stats){.measured = true, .stalled = false, .samples = UINT32_MAX,
				    .discarded = UINT32_MAX, .stalls = UINT32_MAX,
				    .round_trips = UINT32_MAX, .min_ns = 1.234567e-05,
				    .p10_ns = 1.234567e-05, .median_ns = 9.876543e+11,
				    .p90_ns = 9.876543e+11, .handoff_ns = 9.876543e+11,
				    .t_start_s = 1.234567e-05};
}

/* A report vtopocheck writes, it reads back: the loader's size bound
 * (VTC_INPUT_REPORT_MAX) holds the largest report the writer can produce,
 * every pair of VTC_CPUSET_MAX CPUs measured in VTC_MAX_PASSES passes of
 * the longest numbers, and VTC_WATCH_MAX_SAMPLES window samples. (A
 * 4096-CPU matrix imported and written with --json is 1.63 GiB; the bound
 * was 1 GiB, so --analyze refused it as "larger than any report".) The
 * bytes per pair and per sample are measured on the writer itself, so a
 * more compact encoding keeps this true; 64 MiB cover the rest of a
 * 4096-CPU report (its advertised models, contention, findings). */
static void test_largest_report_fits(void **state)
{
	struct vtc_results r;
	vtc_cpuset s;
	long base, pair, sample;
	double most;
	(void)state;
	vtc_cpulist_parse("4093-4095", &s);
	assert_int_equal(vtc_results_init(&r, &s, VTC_MAX_PASSES), 0);
	for (int i = 0; i < r.n_pairs; i++)
		for (int p = 0; p < VTC_MAX_PASSES; p++)
			longest_pass(&r.pairs[i].pass[p]);
	assert_int_equal(vtc_results_add_watch(&r, 9999999.9999, 2, 999999999999.0), 0);
	base = report_bytes(&r);
	assert_int_equal(vtc_results_add_watch(&r, 9999999.9999, 2, 999999999999.0), 0);
	sample = report_bytes(&r) - base;
	memset(&r.pairs[0].pass, 0, sizeof(r.pairs[0].pass)); /* unmeasured: left out */
	pair = base + sample - report_bytes(&r);
	most = (double)pair * (VTC_CPUSET_MAX * (VTC_CPUSET_MAX - 1.0) / 2) +
	       (double)sample * VTC_WATCH_MAX_SAMPLES + (64 << 20);
	print_message("largest report: %ld bytes per pair, %ld per sample, %.2f GiB in all; "
		      "bound %.2f GiB\n", pair, sample, most / (1 << 30),
		      (double)VTC_INPUT_REPORT_MAX / (1 << 30));
	assert_true(pair > 100 && sample > 10);
	assert_true(most <= (double)VTC_INPUT_REPORT_MAX);
	vtc_results_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topo_roundtrip),
		cmocka_unit_test(test_results_roundtrip),
		cmocka_unit_test(test_results_hostile),
		cmocka_unit_test(test_topo_hostile),
		cmocka_unit_test(test_watch_samples_checked),
		cmocka_unit_test(test_contention_once),
		cmocka_unit_test(test_pair_latency_range),
		cmocka_unit_test(test_atomic_write),
		cmocka_unit_test(test_layout_is_janssons),
		cmocka_unit_test(test_streamed_report),
		cmocka_unit_test(test_streamed_hostile),
		cmocka_unit_test(test_streamed_by_path),
		cmocka_unit_test(test_largest_report_fits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
