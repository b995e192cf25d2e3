/* fingerprint.h - short stable names for what a run measured and for the
 * host it ran on, so that runs can be compared across time (Prometheus
 * keeps the history: an info metric whose label changes), and the rule
 * that a run which moved to another host has no verdict.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure: reads inferred groups and host signals, never the machine. */
#ifndef VTC_FINGERPRINT_H
#define VTC_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/advertised/platform.h"
#include "src/analysis/infer.h"
#include "src/analysis/results.h"

/* Hex digits of a fingerprint: the first 12 of the 64-bit FNV-1a hash's 16
 * (48 bits: two different groupings collide once in ~10^14). */
#define VTC_FINGERPRINT_LEN 12

/* Two TSC readings further apart than this share (1%) are two clocks:
 * a calibration over ~20 ms agrees with itself to ~0.1%. */
#define VTC_FINGERPRINT_TSC_TOLERANCE 0.01

/* FNV-1a, 64 bits, of @len bytes at @data (offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3), as defined at http://www.isthe.com/chongo/tech/comp/fnv/. */
uint64_t vtc_fnv1a64(const void *data, size_t len);

/* The canonical text of the judged groups of @inf (after vtc_compare):
 * "probed=0-3 smt=0-1/2-3 llc=0-3 socket=0-3 stacked=", each level's
 * groups of two or more vCPUs as cpulists in ascending order of their
 * lowest vCPU, "?" for a level not determined. Raw latencies are left
 * out: they jitter from run to run, the grouping does not. Writes at most
 * @size bytes to @out (NUL-terminated). Returns 0, -EINVAL (NULL, or an
 * inference that is unknown: there are no judged groups), -ENOSPC. */
int vtc_fingerprint_topology_text(const struct vtc_inferred *inf, char *out, size_t size);

/* The topology fingerprint: VTC_FINGERPRINT_LEN hex digits and a NUL of
 * the hash of vtc_fingerprint_topology_text(). Returns its return, or
 * -ENOMEM; @out is "" on error. */
int vtc_fingerprint_topology(const struct vtc_inferred *inf,
			     char out[VTC_FINGERPRINT_LEN + 1]);

/* Host signals from what the guest was told (@p: model name, family,
 * model, stepping, microcode) and the TSC frequency @tsc_khz (0 unknown). */
void vtc_host_signals_from(const struct vtc_platform *p, double tsc_khz,
			   struct vtc_host_signals *out);

/* The TSC frequency a fingerprint and a metric label carry: @khz rounded
 * to three significant digits (10 MHz steps from 1 to 10 GHz), so a
 * calibration's last digits do not change them (a run at the edge between
 * two steps still may); 0 unknown. */
long long vtc_fingerprint_tsc_khz(double khz);

/* The canonical text of @s: "model=...;fms=...;microcode=...;tsc_khz=..."
 * (the TSC rounded by vtc_fingerprint_tsc_khz). Returns 0, -EINVAL
 * (NULL, or signals not known), -ENOSPC. */
int vtc_fingerprint_host_text(const struct vtc_host_signals *s, char *out, size_t size);

/* The host fingerprint: the hash of vtc_fingerprint_host_text(). */
int vtc_fingerprint_host(const struct vtc_host_signals *s, char out[VTC_FINGERPRINT_LEN + 1]);

/* Whether the signals read at the start (@a) and the end (@b) of a run
 * name two hosts: the CPU model, family/model/stepping or microcode
 * differ (where both are known), or the TSC frequencies differ by more
 * than VTC_FINGERPRINT_TSC_TOLERANCE. False when either is not known.
 * When true, @why (may be NULL) says what changed, e.g. "TSC 2100.0 ->
 * 2300.0 MHz". */
bool vtc_fingerprint_moved(const struct vtc_host_signals *a, const struct vtc_host_signals *b,
			   char *why, size_t size);

#endif
