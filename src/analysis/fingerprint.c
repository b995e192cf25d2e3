/* fingerprint.c - short stable names for a run's judged groups and host.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/analysis/fingerprint.h"

uint64_t vtc_fnv1a64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The first VTC_FINGERPRINT_LEN of the hash's 16 hex digits. */
static void hash_text(const char *text, char out[VTC_FINGERPRINT_LEN + 1])
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016" PRIx64, vtc_fnv1a64(text, strlen(text)));
	memcpy(out, hex, VTC_FINGERPRINT_LEN);
	out[VTC_FINGERPRINT_LEN] = '\0';
}

/* Append @s to @out at *@len; -ENOSPC when it does not fit. */
static int append(char *out, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > size)
		return -ENOSPC;
	memcpy(out + *len, s, n + 1);
	*len += n;
	return 0;
}

static int append_cpulist(char *out, size_t size, size_t *len, const vtc_cpuset *s)
{
	size_t n = vtc_cpulist_format(s, out + *len, size - *len);

	if (*len + n + 1 > size) {
		out[*len] = '\0';
		return -ENOSPC;
	}
	*len += n;
	return 0;
}

/* " smt=0-1/2-3": the level's groups of two or more vCPUs. The groups of
 * a level are a partition sorted by their lowest vCPU (infer.h), so the
 * text depends on the grouping only. */
static int level_text(const struct vtc_inferred *inf, enum vtc_gkind k, char *out,
		      size_t size, size_t *len)
{
	char buf[32];
	bool first = true;
	int rc;

	snprintf(buf, sizeof(buf), " %s=%s", vtc_gkind_name(k), inf->known[k] ? "" : "?");
	if ((rc = append(out, size, len, buf)))
		return rc;
	for (int i = 0; inf->known[k] && i < inf->groups[k].count; i++) {
		const vtc_cpuset *s = &inf->groups[k].g[i].cpus;
		if (vtc_cpuset_count(s) < 2)
			continue;
		if (!first && (rc = append(out, size, len, "/")))
			return rc;
		first = false;
		if ((rc = append_cpulist(out, size, len, s)))
			return rc;
	}
	return 0;
}

int vtc_fingerprint_topology_text(const struct vtc_inferred *inf, char *out, size_t size)
{
	size_t len = 0;
	int rc;

	if (!inf || !out || size == 0 || inf->unknown)
		return -EINVAL;
	out[0] = '\0';
	if ((rc = append(out, size, &len, "probed=")) ||
	    (rc = append_cpulist(out, size, &len, &inf->cpus)))
		return rc;
	for (int k = 0; k < VTC_GROUP_KINDS; k++)
		if ((rc = level_text(inf, (enum vtc_gkind)k, out, size, &len)))
			return rc;
	return 0;
}

int vtc_fingerprint_topology(const struct vtc_inferred *inf, char out[VTC_FINGERPRINT_LEN + 1])
{
	/* Fits every level of VTC_CPUSET_MAX vCPUs: a cpulist takes at most
	 * 5 bytes a vCPU ("4095,"), and the groups of a level are disjoint. */
	size_t size = (VTC_GROUP_KINDS + 1) * VTC_CPUSET_MAX * 5 + 64;
	char *text = malloc(size);
	int rc;

	out[0] = '\0';
	if (!text)
		return -ENOMEM;
	if (!(rc = vtc_fingerprint_topology_text(inf, text, size)))
		hash_text(text, out);
	free(text);
	return rc;
}

void vtc_host_signals_from(const struct vtc_platform *p, double tsc_khz,
			   struct vtc_host_signals *out)
{
	memset(out, 0, sizeof(*out));
	out->known = true;
	snprintf(out->cpu_model, sizeof(out->cpu_model), "%s", p->model_name);
	if (p->cpu_family[0])
		snprintf(out->fms, sizeof(out->fms), "%s/%s/%s", p->cpu_family,
			 p->cpu_model_num[0] ? p->cpu_model_num : "?",
			 p->cpu_stepping[0] ? p->cpu_stepping : "?");
	snprintf(out->microcode, sizeof(out->microcode), "%s", p->microcode);
	out->tsc_khz = tsc_khz > 0 && isfinite(tsc_khz) ? tsc_khz : 0;
}

long long vtc_fingerprint_tsc_khz(double khz)
{
	if (!(khz >= 1) || !isfinite(khz) || khz > 1e12)
		return 0;
	/* Three significant digits: 10 MHz steps from 1 to 10 GHz (x86
	 * TSCs), 100 kHz steps for a 25 MHz Arm generic timer. */
	double step = pow(10, floor(log10(khz)) - 2);
	return llround((double)llround(khz / step) * step);
}

int vtc_fingerprint_host_text(const struct vtc_host_signals *s, char *out, size_t size)
{
	int n;

	if (!s || !out || size == 0 || !s->known)
		return -EINVAL;
	n = snprintf(out, size, "model=%s;fms=%s;microcode=%s;tsc_khz=%lld", s->cpu_model,
		     s->fms, s->microcode, vtc_fingerprint_tsc_khz(s->tsc_khz));
	return n < 0 || (size_t)n >= size ? -ENOSPC : 0;
}

int vtc_fingerprint_host(const struct vtc_host_signals *s, char out[VTC_FINGERPRINT_LEN + 1])
{
	char text[sizeof(s->cpu_model) + sizeof(s->fms) + sizeof(s->microcode) + 64];
	int rc;

	out[0] = '\0';
	if ((rc = vtc_fingerprint_host_text(s, text, sizeof(text))))
		return rc;
	hash_text(text, out);
	return 0;
}

/* A string both sides know and that differs. */
static bool differs(const char *a, const char *b)
{
	return a[0] && b[0] && strcmp(a, b) != 0;
}

bool vtc_fingerprint_moved(const struct vtc_host_signals *a, const struct vtc_host_signals *b,
			   char *why, size_t size)
{
	char buf[320];

	if (!a || !b || !a->known || !b->known)
		return false;
	if (differs(a->cpu_model, b->cpu_model))
		snprintf(buf, sizeof(buf), "CPU model '%.120s' -> '%.120s'", a->cpu_model,
			 b->cpu_model);
	else if (differs(a->fms, b->fms))
		snprintf(buf, sizeof(buf), "CPU family/model/stepping %s -> %s", a->fms, b->fms);
	else if (differs(a->microcode, b->microcode))
		snprintf(buf, sizeof(buf), "microcode %s -> %s", a->microcode, b->microcode);
	else if (a->tsc_khz > 0 && b->tsc_khz > 0 &&
		 fabs(a->tsc_khz - b->tsc_khz) > VTC_FINGERPRINT_TSC_TOLERANCE * a->tsc_khz)
		snprintf(buf, sizeof(buf), "TSC %.1f -> %.1f MHz", a->tsc_khz / 1000,
			 b->tsc_khz / 1000);
	else
		return false;
	if (why && size)
		snprintf(why, size, "%s", buf);
	return true;
}
