/* test_fixes.c - the platform part of a finding's fix (src/analysis/fixes.c):
 * which vocabulary a platform gets (KubeVirt and OpenStack by DMI, libvirt
 * for KVM/QEMU, VMware, else a request to the provider) and which text
 * each kind of finding gets within it. Texts are compared with each other
 * and by the platform prefix they start with, not word for word.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "src/analysis/fixes.h"

static struct vtc_platform plat(const char *vendor, const char *product, const char *hv)
{
	struct vtc_platform p;

	memset(&p, 0, sizeof(p));
	snprintf(p.dmi_sys_vendor, sizeof(p.dmi_sys_vendor), "%s", vendor);
	snprintf(p.dmi_product_name, sizeof(p.dmi_product_name), "%s", product);
	snprintf(p.hypervisor, sizeof(p.hypervisor), "%s", hv);
	return p;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The vocabulary of @p, by the prefix of a layout fix; "" for generic. */
static const char *vocabulary(const struct vtc_platform *p)
{
	static const char *const prefixes[] = {"KubeVirt: ", "OpenStack: ", "libvirt: ",
					       "VMware: "};
	const char *t = vtc_fix_platform_text(VTC_FK_SOCKET_MISMATCH, p);

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (starts(t, prefixes[i]))
			return prefixes[i];
	return "";
}

/* DMI names KubeVirt (product or vendor, any case) and OpenStack before
 * the hypervisor is looked at; KVM and QEMU speak libvirt. */
static void test_vocabulary(void **state)
{
	struct vtc_platform p;
	(void)state;

	assert_string_equal(vocabulary(NULL), "");
	p = plat("", "", "");
	assert_string_equal(vocabulary(&p), "");
	p = plat("Red Hat", "KubeVirt", "kvm");
	assert_string_equal(vocabulary(&p), "KubeVirt: ");
	p = plat("KUBEVIRT", "Standard PC", "kvm");
	assert_string_equal(vocabulary(&p), "KubeVirt: ");
	p = plat("OpenStack Foundation", "OpenStack Nova", "kvm");
	assert_string_equal(vocabulary(&p), "OpenStack: ");
	/* OpenStack only by the product name */
	p = plat("OpenStack Foundation", "Standard PC", "kvm");
	assert_string_equal(vocabulary(&p), "libvirt: ");
	p = plat("QEMU", "Standard PC (Q35)", "kvm");
	assert_string_equal(vocabulary(&p), "libvirt: ");
	p = plat("QEMU", "Standard PC", "qemu-tcg");
	assert_string_equal(vocabulary(&p), "libvirt: ");
	p = plat("VMware, Inc.", "VMware7,1", "vmware");
	assert_string_equal(vocabulary(&p), "VMware: ");
	/* other hypervisors: the provider is asked */
	p = plat("Microsoft Corporation", "Virtual Machine", "hyperv");
	assert_string_equal(vocabulary(&p), "");
	p = plat("Xen", "HVM domU", "xen");
	assert_string_equal(vocabulary(&p), "");
	/* an exact name: "kvmish" is not KVM */
	p = plat("", "", "kvmish");
	assert_string_equal(vocabulary(&p), "");
}

/* Within a vocabulary: SMT kinds share a text except KubeVirt's phantom
 * SMT, placement kinds share one, layout kinds share one, and the
 * dedicated hint has its own; every other kind starts with the vocabulary. */
static void test_kinds(void **state)
{
	struct vtc_platform ps[5];
	(void)state;

	ps[0] = plat("", "KubeVirt", "kvm");
	ps[1] = plat("", "OpenStack Nova", "kvm");
	ps[2] = plat("", "", "kvm");
	ps[3] = plat("", "", "vmware");
	ps[4] = plat("", "", "");
	for (int i = 0; i < 5; i++) {
		const struct vtc_platform *p = &ps[i];
		const char *voc = vocabulary(p);
		const char *ph = vtc_fix_platform_text(VTC_FK_PHANTOM_SMT, p);
		const char *hi = vtc_fix_platform_text(VTC_FK_HIDDEN_SMT, p);
		const char *st = vtc_fix_platform_text(VTC_FK_STACKED, p);
		const char *fl = vtc_fix_platform_text(VTC_FK_FLOATING, p);
		const char *llc = vtc_fix_platform_text(VTC_FK_LLC_MISMATCH, p);
		const char *so = vtc_fix_platform_text(VTC_FK_SOCKET_MISMATCH, p);
		const char *nu = vtc_fix_platform_text(VTC_FK_NUMA_MISMATCH, p);
		const char *de = vtc_fix_platform_text(VTC_FK_DEDICATED_MISMATCH, p);

		/* (the dedicated hint: test_dedicated) */
		for (int k = 0; k < VTC_FK_KINDS; k++) {
			const char *t;
			if (k == VTC_FK_DEDICATED_MISMATCH)
				continue;
			t = vtc_fix_platform_text((enum vtc_fkind)k, p);
			assert_non_null(t);
			assert_true(starts(t, voc));
		}
		assert_ptr_equal(st, fl);
		assert_ptr_equal(llc, so);
		assert_ptr_equal(so, nu);
		if (i == 0)
			assert_ptr_not_equal(ph, hi);
		else
			assert_ptr_equal(ph, hi);
		if (i == 3 || i == 4) {
			/* VMware and the provider: one text for every non-dedicated kind */
			assert_ptr_equal(hi, st);
			assert_ptr_equal(st, so);
		} else {
			assert_ptr_not_equal(hi, st);
			assert_ptr_not_equal(st, so);
			assert_ptr_not_equal(hi, so);
		}
		assert_ptr_not_equal(de, st);
		assert_ptr_not_equal(de, so);
	}
}

/* The dedicated hint: KubeVirt, OpenStack and libvirt each have a text;
 * VMware has no such hint and gets the provider's. */
static void test_dedicated(void **state)
{
	struct vtc_platform kv = plat("", "KubeVirt", "kvm"), os = plat("", "OpenStack", "kvm"),
			    lv = plat("", "", "kvm"), vm = plat("", "", "vmware");
	const char *generic = vtc_fix_platform_text(VTC_FK_DEDICATED_MISMATCH, NULL);
	(void)state;

	assert_true(starts(vtc_fix_platform_text(VTC_FK_DEDICATED_MISMATCH, &kv), "KubeVirt: "));
	assert_true(starts(vtc_fix_platform_text(VTC_FK_DEDICATED_MISMATCH, &os), "OpenStack: "));
	assert_true(starts(vtc_fix_platform_text(VTC_FK_DEDICATED_MISMATCH, &lv), "libvirt: "));
	assert_ptr_equal(vtc_fix_platform_text(VTC_FK_DEDICATED_MISMATCH, &vm), generic);
	assert_ptr_not_equal(generic, vtc_fix_platform_text(VTC_FK_STACKED, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_dedicated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
