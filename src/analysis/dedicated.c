/* dedicated.c - KVM's dedicated-vCPU hint judged against the run
 * (dedicated.h).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/analysis/dedicated.h"
#include "src/analysis/fixes.h"

static void gather_steal(const struct vtc_results *r, struct vtc_dedicated_ev *ev)
{
	for (int i = 0; i < r->n; i++) {
		int c = r->cpu[i];
		double s = c >= 0 && c < r->ncpus_model && r->steal_pct ? r->steal_pct[c] : -1;
		if (s < 0)
			continue;
		ev->steal_known++;
		if (s > ev->steal_max) {
			ev->steal_max = s;
			ev->steal_max_cpu = c;
		}
		if (s >= VTC_DEDICATED_STEAL_PCT)
			vtc_cpuset_set(&ev->steal, c);
	}
}

bool vtc_dedicated_evidence(const struct vtc_inferred *inf, const struct vtc_results *r,
			    struct vtc_dedicated_ev *ev)
{
	const struct vtc_igroups *st = &inf->groups[VTC_GROUP_STACKED];

	memset(ev, 0, sizeof(*ev));
	ev->steal_max = -1;
	ev->steal_max_cpu = -1;
	gather_steal(r, ev);
	/* The window's moves stand even when the full look was too noisy. */
	for (int i = 0; i < inf->series.n_float; i++) {
		vtc_cpuset_set(&ev->moved, inf->series.f[i].a);
		vtc_cpuset_set(&ev->moved, inf->series.f[i].b);
		ev->episodes += inf->series.f[i].episodes;
	}
	if (!inf->unknown) {
		for (int q = 0; inf->known[VTC_GROUP_STACKED] && q < st->count; q++)
			if (vtc_cpuset_count(&st->g[q].cpus) >= 2)
				vtc_cpuset_or(&ev->stacked, &ev->stacked, &st->g[q].cpus);
		for (int i = 0; inf->floating && i < inf->n_fast; i++) {
			vtc_cpuset_set(&ev->moved, inf->fast[i].a);
			vtc_cpuset_set(&ev->moved, inf->fast[i].b);
			ev->moved_passes = true;
		}
	}
	return !vtc_cpuset_empty(&ev->steal) || !vtc_cpuset_empty(&ev->stacked) ||
	       !vtc_cpuset_empty(&ev->moved);
}

/* "steal took 34% of v2's run, 31% of v3's run", the stacked and moved vCPUs,
 * as evidence. */
static void broken_evidence(const struct vtc_results *r, const struct vtc_dedicated_ev *ev,
			    double window_s, char *buf, size_t len)
{
	char l[64];
	int c, shown = 0;

	vtc_finding_catf(buf, len, "KVM promises every vCPU a host CPU of its own (CPUID "
			 "0x40000001 EDX[0], KVM_HINTS_REALTIME), but");
	if (!vtc_cpuset_empty(&ev->steal)) {
		vtc_finding_catf(buf, len, " steal took");
		vtc_cpuset_foreach(c, &ev->steal)
			if (shown++ < 4)
				vtc_finding_catf(buf, len, "%s %.0f%% of v%d's run", shown > 1 ? "," : "",
						 r->steal_pct[c], c);
		if (shown > 4)
			vtc_finding_catf(buf, len, " and %d more vCPUs'", shown - 4);
		vtc_finding_catf(buf, len, " (a host CPU of its own leaves under %.0f%%)",
				 VTC_DEDICATED_STEAL_PCT);
	}
	if (!vtc_cpuset_empty(&ev->stacked)) {
		vtc_cpulist_format(&ev->stacked, l, sizeof(l));
		vtc_finding_catf(buf, len, "%s vCPUs %s share host CPUs (stacked)",
				 vtc_cpuset_empty(&ev->steal) ? "" : ";", l);
	}
	if (!vtc_cpuset_empty(&ev->moved)) {
		vtc_cpulist_format(&ev->moved, l, sizeof(l));
		if (ev->episodes > 0)
			vtc_finding_catf(buf, len, "%s vCPUs %s moved during the %.1f s window "
					 "(%d near episode%s)",
					 vtc_cpuset_empty(&ev->steal) && vtc_cpuset_empty(&ev->stacked)
						 ? "" : ";", l, window_s, ev->episodes,
					 ev->episodes > 1 ? "s" : "");
		else
			vtc_finding_catf(buf, len, "%s vCPUs %s moved between passes",
					 vtc_cpuset_empty(&ev->steal) && vtc_cpuset_empty(&ev->stacked)
						 ? "" : ";", l);
	}
}

static int add_broken(const struct vtc_results *r, const struct vtc_inferred *inf,
		      const struct vtc_dedicated_ev *ev, const struct vtc_platform *plat,
		      struct vtc_findings *out)
{
	char ev_text[640] = "";
	vtc_cpuset cpus;
	struct vtc_finding *f;

	vtc_cpuset_or(&cpus, &ev->steal, &ev->stacked);
	vtc_cpuset_or(&cpus, &cpus, &ev->moved);
	broken_evidence(r, ev, inf->series.window_s, ev_text, sizeof(ev_text));
	f = vtc_findings_add(out, VTC_FK_DEDICATED_MISMATCH, VTC_SEV_WARNING, &cpus, "%s",
			     ev_text);
	if (!f)
		return -ENOMEM;
	snprintf(f->cost, sizeof(f->cost),
		 "a Linux guest that sees the hint uses native spinlocks, the haltpoll idle "
		 "driver and no paravirtual TLB flush or yield: when a vCPU holding a lock is "
		 "preempted, the others spin for the host's time slice (ms) instead of yielding");
	snprintf(f->fix, sizeof(f->fix),
		 "pin each vCPU to a host CPU of its own with the emulator thread elsewhere; "
		 "%s", vtc_fix_platform_text(VTC_FK_DEDICATED_MISMATCH, plat));
	return 0;
}

/* No promise, yet nothing moved over a window long enough to show it. */
static int add_could_set(const struct vtc_inferred *inf, const struct vtc_dedicated_ev *ev,
			 struct vtc_findings *out)
{
	struct vtc_finding *f;

	f = vtc_findings_add(out, VTC_FK_DEDICATED_MISMATCH, VTC_SEV_INFO, &inf->cpus,
			     "no dedicated-vCPU hint (CPUID 0x40000001 EDX[0] clear), yet nothing "
			     "moved over the %.1f s window, no vCPUs were stacked and steal stayed "
			     "at most %.1f%% (v%d); one window does not prove the vCPUs are pinned",
			     inf->series.window_s, ev->steal_max, ev->steal_max_cpu);
	if (!f)
		return -ENOMEM;
	snprintf(f->cost, sizeof(f->cost),
		 "without the hint a Linux guest keeps paravirtual spinlocks and yields, which "
		 "cost a little on vCPUs that are never preempted");
	snprintf(f->fix, sizeof(f->fix),
		 "only if the host does pin each vCPU to a host CPU of its own with the emulator "
		 "thread elsewhere, set the hint: libvirt <hint-dedicated state='on'/>, QEMU "
		 "-cpu ...,kvm-hint-dedicated=on (KubeVirt dedicatedCpuPlacement sets it)");
	return 0;
}

int vtc_dedicated_judge(const struct vtc_inferred *inf, const struct vtc_results *r,
			const struct vtc_platform *plat, double info_window_s,
			struct vtc_findings *out)
{
	struct vtc_dedicated_ev ev;
	bool broken;

	if (!plat || plat->kvm_hint_dedicated == VTC_HINT_UNKNOWN)
		return 0;
	broken = vtc_dedicated_evidence(inf, r, &ev);
	if (plat->kvm_hint_dedicated == VTC_HINT_YES)
		return broken ? add_broken(r, inf, &ev, plat, out) : 0;
	if (broken || inf->unknown || r->n_watch == 0 ||
	    inf->series.window_s < info_window_s || ev.steal_known < r->n)
		return 0;
	return add_could_set(inf, &ev, out);
}
