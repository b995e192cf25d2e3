/* platform_sysfs.c - platform facts from procfs and sysfs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/advertised/platform_sysfs.h"
#include "src/input.h"

enum field { F_VENDOR, F_MODEL, F_FLAGS, F_ARM_IMPL, F_FAMILY, F_MODEL_NUM, F_STEPPING,
	     F_MICROCODE, F_COUNT };

/* cpuinfo keys per architecture, compared without case ("Model Name" on
 * LoongArch) except "Processor", which must not match "processor : 0". */
static const struct { const char *key; enum field field; } cpuinfo_keys[] = {
	{ "vendor_id", F_VENDOR },  /* x86, s390 */
	{ "vendor", F_VENDOR },     /* ia64 */
	{ "model name", F_MODEL },  /* x86, ia64, newer ARM, LoongArch "Model Name" */
	{ "cpu", F_MODEL },         /* POWER */
	{ "cpu model", F_MODEL },   /* MIPS */
	{ "Processor", F_MODEL },   /* 32-bit ARM before 3.8 */
	{ "flags", F_FLAGS },       /* x86 */
	{ "features", F_FLAGS },    /* ia64, s390, ARM "Features", LoongArch */
	{ "CPU implementer", F_ARM_IMPL },
	/* x86: what changes when a live migration lands on another host */
	{ "cpu family", F_FAMILY },
	{ "model", F_MODEL_NUM },   /* x86's number; POWER's "model" is a name */
	{ "stepping", F_STEPPING },
	{ "microcode", F_MICROCODE },
};

/* ARM has no vendor string, only the implementer code of MIDR. */
static const char *arm_vendor(const char *code)
{
	static const struct { long code; const char *name; } impl[] = {
		{ 0x41, "ARM" }, { 0x42, "Broadcom" }, { 0x43, "Cavium" },
		{ 0x46, "Fujitsu" }, { 0x48, "HiSilicon" }, { 0x4e, "NVIDIA" },
		{ 0x50, "APM" }, { 0x51, "Qualcomm" }, { 0x61, "Apple" },
		{ 0x6d, "Microsoft" }, { 0xc0, "Ampere" },
	};
	long v = strtol(code, NULL, 0);

	for (size_t i = 0; i < sizeof(impl) / sizeof(impl[0]); i++)
		if (impl[i].code == v)
			return impl[i].name;
	return code;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static void apply_flags(struct vtc_platform *p, char *list)
{
	char *save = NULL;

	for (char *f = strtok_r(list, " \t", &save); f; f = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(f, "constant_tsc"))
			p->flag_constant_tsc = true;
		else if (!strcmp(f, "nonstop_tsc"))
			p->flag_nonstop_tsc = true;
		else if (!strcmp(f, "hypervisor"))
			p->flag_hypervisor = true;
		else if (!strcmp(f, "ht"))
			p->flag_ht = true;
	}
}

/* Use one "key : value" line; @seen makes the first value of a field win. */
static void apply_line(struct vtc_platform *p, char *line, bool seen[F_COUNT])
{
	char *colon = strchr(line, ':'), *key, *val;

	if (!colon)
		return;
	*colon = '\0';
	key = trim(line);
	val = trim(colon + 1);
	for (size_t i = 0; i < sizeof(cpuinfo_keys) / sizeof(cpuinfo_keys[0]); i++) {
		enum field f = cpuinfo_keys[i].field;
		const char *want = cpuinfo_keys[i].key;
		bool exact = strcmp(want, "Processor") == 0;
		if ((exact ? strcmp(key, want) : strcasecmp(key, want)) != 0 || seen[f])
			continue;
		seen[f] = true;
		if (f == F_VENDOR)
			copy(p->cpu_vendor, sizeof(p->cpu_vendor), val);
		else if (f == F_MODEL)
			copy(p->model_name, sizeof(p->model_name), val);
		else if (f == F_FLAGS)
			apply_flags(p, val);
		else if (f == F_FAMILY)
			copy(p->cpu_family, sizeof(p->cpu_family), val);
		else if (f == F_MODEL_NUM)
			copy(p->cpu_model_num, sizeof(p->cpu_model_num), val);
		else if (f == F_STEPPING)
			copy(p->cpu_stepping, sizeof(p->cpu_stepping), val);
		else if (f == F_MICROCODE)
			copy(p->microcode, sizeof(p->microcode), val);
		else if (!seen[F_VENDOR])
			copy(p->cpu_vendor, sizeof(p->cpu_vendor), arm_vendor(val));
		return;
	}
}

void vtc_platform_parse_cpuinfo(char *text, size_t len, struct vtc_platform *p)
{
	bool seen[F_COUNT] = { false };
	char *line = text, *end = text + len;

	p->cpu_vendor[0] = p->model_name[0] = '\0';
	p->cpu_family[0] = p->cpu_model_num[0] = p->cpu_stepping[0] = p->microcode[0] = '\0';
	p->flag_constant_tsc = p->flag_nonstop_tsc = false;
	p->flag_hypervisor = p->flag_ht = false;
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (nl)
			*nl = '\0';
		apply_line(p, line, seen);
		line = nl ? nl + 1 : end;
	}
}

/* An optional one-line file; anything unreadable leaves @buf empty. */
static void read_opt(const struct vtc_sysfs *fs, char *buf, size_t size, const char *path)
{
	if (vtc_sysfs_read_str(fs, buf, size, "%s", path) < 0)
		buf[0] = '\0';
}

int vtc_platform_read_sysfs(const struct vtc_sysfs *fs, struct vtc_platform *p)
{
	char *text;
	size_t len;
	int rc;

	read_opt(fs, p->sys_hypervisor_type, sizeof(p->sys_hypervisor_type), "sys/hypervisor/type");
	read_opt(fs, p->dmi_sys_vendor, sizeof(p->dmi_sys_vendor), "sys/class/dmi/id/sys_vendor");
	read_opt(fs, p->dmi_product_name, sizeof(p->dmi_product_name),
		 "sys/class/dmi/id/product_name");
	read_opt(fs, p->kernel_release, sizeof(p->kernel_release), "proc/sys/kernel/osrelease");
	rc = vtc_sysfs_read_all(fs, VTC_INPUT_PROC_MAX, &text, &len, "proc/cpuinfo");
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	vtc_platform_parse_cpuinfo(text, len, p);
	free(text);
	return 0;
}
