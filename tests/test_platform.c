/* test_platform.c - the CPU vendor, decided in one place (platform.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "src/advertised/platform.h"

static void test_vendor_from_signature(void **state)
{
	(void)state;
	assert_int_equal(vtc_vendor_from_signature("GenuineIntel"), VTC_VENDOR_INTEL);
	assert_int_equal(vtc_vendor_from_signature("AuthenticAMD"), VTC_VENDOR_AMD);
	assert_int_equal(vtc_vendor_from_signature("HygonGenuine"), VTC_VENDOR_HYGON);
	assert_int_equal(vtc_vendor_from_signature("CentaurHauls"), VTC_VENDOR_OTHER);
	assert_int_equal(vtc_vendor_from_signature("genuineintel"), VTC_VENDOR_OTHER);
	assert_int_equal(vtc_vendor_from_signature(""), VTC_VENDOR_OTHER);
	assert_int_equal(vtc_vendor_from_signature(NULL), VTC_VENDOR_OTHER);
	assert_true(vtc_vendor_amd_like(VTC_VENDOR_HYGON));
	assert_false(vtc_vendor_amd_like(VTC_VENDOR_INTEL));
	assert_true(vtc_vendor_x86(VTC_VENDOR_INTEL));
	assert_false(vtc_vendor_x86(VTC_VENDOR_OTHER));
}

/* CPUID's leaf 0 first; cpuinfo's vendor_id where CPUID names none (a
 * recorded sysroot without a dump); Arm's implementer is no x86 vendor. */
static void test_platform_vendor(void **state)
{
	struct vtc_platform p;

	(void)state;
	assert_int_equal(vtc_platform_vendor(NULL), VTC_VENDOR_OTHER);
	memset(&p, 0, sizeof(p));
	assert_int_equal(vtc_platform_vendor(&p), VTC_VENDOR_OTHER);
	strcpy(p.cpu_vendor, "AuthenticAMD");
	assert_int_equal(vtc_platform_vendor(&p), VTC_VENDOR_AMD);
	strcpy(p.cpuid_vendor, "GenuineIntel");
	assert_int_equal(vtc_platform_vendor(&p), VTC_VENDOR_INTEL);
	strcpy(p.cpuid_vendor, "KVMKVMKVM");
	assert_int_equal(vtc_platform_vendor(&p), VTC_VENDOR_AMD);
	memset(&p, 0, sizeof(p));
	strcpy(p.cpu_vendor, "ARM");
	assert_int_equal(vtc_platform_vendor(&p), VTC_VENDOR_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vendor_from_signature),
		cmocka_unit_test(test_platform_vendor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
