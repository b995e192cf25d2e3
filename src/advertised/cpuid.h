/* cpuid.h - where CPUID values come from: the live instruction on each vCPU,
 * or a recorded dump directory in hwloc's format.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both sources are held the same way: per Linux CPU, a list of recorded
 * "inputs => outputs" lines. The live source (probes/hw/cpuid_live.c, the only
 * code here that runs the instruction) records each allowed CPU once
 * (pinned there) when it is opened, so decoding never migrates the caller
 * and a live recording can be written back out as a dump. This module is
 * pure: the container, the dump parser and writer, and the query. */
#ifndef VTC_CPUID_H
#define VTC_CPUID_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "src/advertised/cpuset.h"

struct vtc_cpuid_src;

/* One CPUID call's registers (inputs or outputs); the live instruction
 * (probes/hw/arch/) fills the same struct. */
struct vtc_cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* Input-register mask bits of a record (hwloc's dump format): which inputs
 * select the answer. A record without ECX answers every subleaf. */
#define VTC_CPUID_MASK_EAX 0x1u
#define VTC_CPUID_MASK_ECX 0x4u

/* Read the hwloc dump files @dump_dir/pu<N> (N = Linux CPU number; other
 * files are ignored). The live source is vtc_cpuid_live_open()
 * (probes/hw/cpuid_live.h); the caller chooses one of the two.
 * Returns 0 and *out, or -EINVAL (@dump_dir NULL or "", a malformed dump
 * line, or a pu<N> file without leaf 0), -ENOENT (no pu<N> files), -ERANGE
 * (N >= VTC_CPUSET_MAX), -ENOMEM, or another -errno from reading the
 * directory. */
int vtc_cpuid_open(const char *dump_dir, struct vtc_cpuid_src **out);
/* After vtc_cpuid_open failed on a dump: the pu<N> file and, for a
 * malformed line, its number and what was wrong ("DIR/pu3:7: not ..."),
 * or "" when no file was at fault (no pu<N> files, an unreadable
 * directory). This thread's last call only. */
const char *vtc_cpuid_last_error(void);
void vtc_cpuid_close(struct vtc_cpuid_src *s);

/* An empty source answering for @cpus (each CPU without records yet), for
 * recorders (the live source) and tests. Returns 0 and *out, or -ENOMEM. */
int vtc_cpuid_new(const vtc_cpuset *cpus, bool live, struct vtc_cpuid_src **out);

/* Append one record for @cpu: CPUID(@in) answered @out, @mask as in the
 * dump format. The first record matching a query wins. Returns 0, -ENODEV
 * (@cpu not in the source's set), -ENOMEM. */
int vtc_cpuid_add(struct vtc_cpuid_src *s, int cpu, uint32_t mask,
		  const struct vtc_cpuid_regs *in, const struct vtc_cpuid_regs *out);

/* True for the live instruction, false for a dump. */
bool vtc_cpuid_is_live(const struct vtc_cpuid_src *s);

/* The CPUs the source answers for (live: the affinity mask at open; dump:
 * the pu<N> files present). */
const vtc_cpuset *vtc_cpuid_cpus(const struct vtc_cpuid_src *s);

/* CPUID(@leaf, @subleaf) as seen on Linux CPU @cpu. A leaf beyond the
 * range's maximum (leaf 0, 0x40000000 or 0x80000000) or absent from the
 * recording reads as zeros, like a CPU answering an unsupported leaf.
 * Returns 0, -ENODEV when @cpu is not in vtc_cpuid_cpus(). */
int vtc_cpuid_query(const struct vtc_cpuid_src *s, int cpu, uint32_t leaf,
		    uint32_t subleaf, struct vtc_cpuid_regs *r);

/* Parse one dump line ("mask eax ebx ecx edx => eax ebx ecx edx", hex).
 * Returns 1 for a record, 0 for a blank or '#' comment line, -EINVAL. */
int vtc_cpuid_parse_line(const char *line, uint32_t *mask, struct vtc_cpuid_regs *in,
			 struct vtc_cpuid_regs *outr);

/* Write @cpu's recorded lines in the dump format. Returns 0, -ENODEV, -EIO. */
int vtc_cpuid_write_dump(const struct vtc_cpuid_src *s, int cpu, FILE *f);

#endif
