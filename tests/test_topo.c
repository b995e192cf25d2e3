/* test_topo.c - group partitions derived from sibling sets.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/advertised/topo.h"

static int64_t core_key(const struct vtc_topo_cpu *c)
{
	return c->core_id;
}

static void setup4(struct vtc_topo *t)
{
	assert_int_equal(vtc_topo_init(t, "test", 4), 0);
	vtc_cpulist_parse("0-3", &t->online);
	for (int i = 0; i < 4; i++)
		t->cpu[i].online = true;
}

static void test_groups_from_keys(void **state)
{
	struct vtc_topo t;
	char buf[32];
	(void)state;
	setup4(&t);
	/* v0,v2 share core 0; v1,v3 share core 1: interleaved numbering */
	t.cpu[0].core_id = 0;
	t.cpu[1].core_id = 1;
	t.cpu[2].core_id = 0;
	t.cpu[3].core_id = 1;
	vtc_topo_siblings_from_key(&t, VTC_LEVEL_SMT, core_key);
	assert_int_equal(vtc_topo_build_groups(&t), 0);
	assert_true(t.level_known[VTC_LEVEL_SMT]);
	assert_false(t.level_known[VTC_LEVEL_PACKAGE]);
	assert_int_equal(t.groups[VTC_LEVEL_SMT].count, 2);
	vtc_cpulist_format(&t.groups[VTC_LEVEL_SMT].set[0], buf, sizeof(buf));
	assert_string_equal(buf, "0,2");
	assert_int_equal(vtc_groups_find(&t.groups[VTC_LEVEL_SMT], 3), 1);
	vtc_topo_free(&t);
}

static void test_inconsistent_siblings(void **state)
{
	struct vtc_topo t;
	(void)state;
	setup4(&t);
	vtc_cpulist_parse("0-1", &t.cpu[0].siblings[VTC_LEVEL_SMT]);
	vtc_cpulist_parse("1-2", &t.cpu[1].siblings[VTC_LEVEL_SMT]);
	vtc_cpulist_parse("1-2", &t.cpu[2].siblings[VTC_LEVEL_SMT]);
	vtc_cpulist_parse("3", &t.cpu[3].siblings[VTC_LEVEL_SMT]);
	assert_int_equal(vtc_topo_build_groups(&t), 0);
	assert_false(t.level_known[VTC_LEVEL_SMT]);
	assert_int_equal(t.groups[VTC_LEVEL_SMT].count, 0);
	vtc_topo_free(&t);
}

static void test_offline_excluded(void **state)
{
	struct vtc_topo t;
	char buf[32];
	(void)state;
	setup4(&t);
	vtc_cpuset_unset(&t.online, 1);
	for (int i = 0; i < 4; i++)
		vtc_cpulist_parse("0-3", &t.cpu[i].siblings[VTC_LEVEL_PACKAGE]);
	assert_int_equal(vtc_topo_build_groups(&t), 0);
	assert_true(t.level_known[VTC_LEVEL_PACKAGE]);
	vtc_cpulist_format(&t.groups[VTC_LEVEL_PACKAGE].set[0], buf, sizeof(buf));
	assert_string_equal(buf, "0,2-3");
	vtc_topo_free(&t);
}

static void test_init_bounds(void **state)
{
	struct vtc_topo t;
	(void)state;
	assert_int_not_equal(vtc_topo_init(&t, "x", 0), 0);
	assert_int_not_equal(vtc_topo_init(&t, "x", VTC_CPUSET_MAX + 1), 0);
	vtc_topo_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_from_keys),
		cmocka_unit_test(test_inconsistent_siblings),
		cmocka_unit_test(test_offline_excluded),
		cmocka_unit_test(test_init_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
