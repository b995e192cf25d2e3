/* app.c - one run of vtopocheck: advertised model, measurement, judgement.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "src/cli/app.h"
#include "src/grow.h"
#include "probes/hw/affinity.h"
#include "src/analysis/compare.h"
#include "src/analysis/fingerprint.h"
#include "src/advertised/consist.h"
#include "src/advertised/cpuid.h"
#include "probes/hw/cpuid_live.h"
#include "probes/hw/hw.h"
#include "src/input.h"
#include "src/report/matrix_import.h"
#include "src/advertised/platform_sysfs.h"
#include "src/stop.h"
#include "src/advertised/sysfs.h"
#include "src/advertised/topo_cpuid.h"
#include "src/advertised/topo_sysfs.h"
#include "src/analysis/verdict.h"

/* In a container or a Kubernetes pod the process may use fewer CPUs than are
 * online: probing is limited to those, the rest are reported as such. */
static void apply_affinity(struct vtc_topo *t)
{
	vtc_cpuset mask;

	if (vtc_affinity_allowed(&mask) != 0)
		return;
	vtc_cpuset_and(&t->allowed, &mask, &t->online);
}

/* What to do about an input the reader (src/input.h) refused, else
 * @otherwise. */
static const char *input_advice(int rc, const char *otherwise)
{
	switch (rc) {
	case -VTC_INPUT_ENOTREG:
	case -EISDIR:
		return "a recording holds copies of the machine's files, not FIFOs, devices "
		       "or directories in their place";
	case -EFBIG:
		return "that file is not the machine's: record it again";
	case -ENOMEM:
		return "free memory or raise the limit (ulimit -v) and run again";
	default:
		return otherwise;
	}
}

/* Why: vtc_input_strerror(), but -EFBIG says the bound of @kind. */
static const char *input_why(int rc, size_t max, const char *kind, char *buf, size_t size)
{
	if (rc != -EFBIG)
		return vtc_input_strerror(rc);
	snprintf(buf, size, "larger than %zu MiB, more than any %s", max >> 20, kind);
	return buf;
}

static int load_sysfs(struct vtc_run *app, const char *sysroot)
{
	struct vtc_sysfs fs;
	char why[96];
	int rc;

	if ((rc = vtc_sysfs_init(&fs, sysroot)))
		return vtc_run_fail(app, rc, "sysfs: cannot use root '%s' (%s); pass an existing "
			       "directory to --sysroot", sysroot, strerror(-rc));
	rc = vtc_topo_read_sysfs(&fs, &app->sysfs);
	if (rc == -EINTR)
		return vtc_run_fail(app, rc, "interrupted by a signal while reading %s", fs.root);
	if (rc == -ENOENT)
		return vtc_run_fail(app, rc, "sysfs: %ssys/devices/system/cpu not found; is '%s' a "
			       "sysfs/procfs capture (it must hold sys/ and proc/)?",
			       fs.root, sysroot);
	if (rc)
		return vtc_run_fail(app, rc, "sysfs: cannot read the CPU topology: %s (%s); %s",
			       vtc_sysfs_last_error()[0] ? vtc_sysfs_last_error() : fs.root,
			       vtc_input_strerror(rc),
			       input_advice(rc, "the file is malformed or unreadable"));
	app->have_sysfs = true;
	if ((rc = vtc_platform_read_sysfs(&fs, &app->plat)))
		return vtc_run_fail(app, rc, "procfs: cannot read %sproc/cpuinfo (%s); %s", fs.root,
			       input_why(rc, VTC_INPUT_PROC_MAX, "/proc/cpuinfo", why,
					 sizeof(why)),
			       input_advice(rc, "give the machine's own /proc/cpuinfo"));
	return 0;
}

/* CPUID is optional: a missing or unusable source is no reason to stop,
 * except a dump the user asked for explicitly. */
static int load_cpuid(struct vtc_run *app, const char *dump)
{
	struct vtc_cpuid_src *src = NULL;
	char why[96];
	/* The one place that picks the source: the live instruction (which
	 * pins this thread to each CPU in turn) or a recording. */
	int rc = dump && *dump ? vtc_cpuid_open(dump, &src) : vtc_cpuid_live_open(&src);

	if (rc == -ENOTSUP && !dump)
		return 0;
	/* A dump names the file and line at fault when one is. */
	if (rc && dump && vtc_cpuid_last_error()[0])
		dump = vtc_cpuid_last_error();
	if (rc)
		return vtc_run_fail(app, rc, "cpuid: cannot read CPUID %s%s (%s)%s%s",
			       dump ? "dump " : "on this machine", dump ? dump : "",
			       input_why(rc, VTC_INPUT_DUMP_MAX, "CPUID dump file", why, sizeof(why)),
			       dump ? "; " : "",
			       dump ? input_advice(rc, "expected hwloc-style pu<N> files") : "");
	rc = vtc_topo_cpuid_read(src, &app->cpuid);
	if (!rc) {
		app->have_cpuid = true;
		rc = vtc_platform_read_cpuid(src, &app->plat);
	}
	vtc_cpuid_close(src);
	if (rc)
		return vtc_run_fail(app, rc, "cpuid: cannot decode the topology (%s)", strerror(-rc));
	return 0;
}

/* A capture that carries its CPUID dump beside sys/ and proc/ (hwloc's
 * gather scripts and tests/capture write cpuid/pu<N>): used with --sysroot
 * when no --cpuid-dump is given. @buf holds the path; NULL when none. */
static const char *capture_cpuid(const char *sysroot, char *buf, size_t len)
{
	struct stat st;

	if (snprintf(buf, len, "%s/cpuid/pu0", sysroot) >= (int)len || stat(buf, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return NULL;
	snprintf(buf, len, "%s/cpuid", sysroot);
	return buf;
}

int vtc_app_load_advertised(struct vtc_run *app, const char *sysroot, const char *cpuid_dump)
{
	char beside[4096];
	int rc;

	app->live = strcmp(sysroot, "/") == 0;
	/* This machine's sysfs reads in milliseconds, and a live run still owes
	 * a report after a signal; a big recording is what a signal cuts short. */
	vtc_stop_defer(app->live);
	rc = load_sysfs(app, sysroot);
	vtc_stop_defer(false);
	if (rc)
		return rc;
	if (app->live)
		apply_affinity(&app->sysfs);
	/* A recorded machine has no live CPUID: only a dump can stand in. */
	if (!app->live && !cpuid_dump)
		cpuid_dump = capture_cpuid(sysroot, beside, sizeof(beside));
	if ((app->live || cpuid_dump) && (rc = load_cpuid(app, cpuid_dump)))
		return rc;
	vtc_platform_identify(&app->plat);
	if (app->have_cpuid &&
	    (rc = vtc_consist_check(&app->sysfs, &app->cpuid, &app->plat, &app->consist)))
		return vtc_run_fail(app, rc, "consistency check failed (%s)", strerror(-rc));
	return 0;
}

/* Advertised SMT siblings are contention candidates whatever their latency:
 * that is where phantom SMT (the KubeVirt threads: 2 case) hides. */
static int advertised_pairs(const struct vtc_topo *t, const vtc_cpuset *cpus, int (**out)[2])
{
	const struct vtc_groups *g = &t->groups[VTC_LEVEL_SMT];
	int n = 0, cap = 0, a, b;
	int (*v)[2] = NULL;

	for (int i = 0; t->level_known[VTC_LEVEL_SMT] && i < g->count; i++)
		vtc_cpuset_foreach(a, &g->set[i]) {
			vtc_cpuset_foreach(b, &g->set[i]) {
				if (b <= a || !vtc_cpuset_test(cpus, a) || !vtc_cpuset_test(cpus, b))
					continue;
				void *nv = vtc_grow(v, &cap, n, sizeof(*v), 16);
				if (!nv) {
					free(v);
					return -ENOMEM;
				}
				v = nv;
				v[n][0] = a;
				v[n][1] = b;
				n++;
			}
		}
	*out = v;
	return n;
}

/* --cpus CPUs missing from @have, "2-5", and @have itself, for a message. */
static void missing_from(const vtc_cpuset *only, const vtc_cpuset *have, char *miss, char *has,
			 size_t len)
{
	vtc_cpuset m = *only;
	int c;

	vtc_cpuset_foreach(c, have)
		vtc_cpuset_unset(&m, c);
	vtc_cpulist_format(&m, miss, len);
	vtc_cpulist_format(have, has, len);
}

static int probe_set(struct vtc_run *app, const vtc_cpuset *only, vtc_cpuset *cpus)
{
	char miss[128], has[128];

	vtc_cpuset_and(cpus, &app->sysfs.allowed, &app->sysfs.online);
	if (only) {
		if (!vtc_cpuset_subset(only, &app->sysfs.online)) {
			missing_from(only, &app->sysfs.online, miss, has, sizeof(miss));
			return vtc_run_fail(app, -EINVAL, "--cpus names CPUs %s, which are not "
				       "online (online: %s); give online CPUs", miss, has);
		}
		if (!vtc_cpuset_subset(only, &app->sysfs.allowed)) {
			missing_from(only, &app->sysfs.allowed, miss, has, sizeof(miss));
			return vtc_run_fail(app, -EINVAL, "--cpus names CPUs %s, outside this "
				       "process's allowed cpuset (%s); see 'taskset -p $$'", miss, has);
		}
		*cpus = *only;
		if (vtc_cpuset_count(cpus) < 2)
			return vtc_run_fail(app, -EINVAL, "--cpus gives 1 CPU; at least 2 are "
				       "needed: give two or more, e.g. --cpus 0-1");
	}
	if (vtc_cpuset_count(cpus) < 2)
		return vtc_run_fail(app, -EINVAL, "only %d CPU can be probed (online and allowed); "
			       "at least 2 are needed: run outside 'taskset -c N' or a 1-CPU "
			       "cpuset", vtc_cpuset_count(cpus));
	return 0;
}

/* The host signals at the end of probing: /proc/cpuinfo again through the
 * platform reader, and the cycle counter calibrated again. A live
 * migration during the run shows as a difference from the start's. */
static void host_signals_end(struct vtc_run *app, const struct vtc_backend *be)
{
	struct vtc_platform now;
	struct vtc_sysfs fs;

	memset(&now, 0, sizeof(now));
	if (vtc_sysfs_init(&fs, "/") < 0 || vtc_platform_read_sysfs(&fs, &now) < 0)
		return; /* unknown: the rule then says nothing */
	vtc_platform_sanitize(&now);
	vtc_host_signals_from(&now, vtc_hw_tsc_khz(be, true), &app->res.host_end);
}

/* What the end's re-read of the host signals costs: a calibration and
 * /proc/cpuinfo (0.07 ms on this project's 2-vCPU VM, 2026-12-06; the
 * 10 ms leave room for a guest of hundreds of vCPUs). */
#define HOST_SIGNALS_END_S (VTC_TIMER_CALIBRATE_S + 0.01)

int vtc_app_measure(struct vtc_run *app, const vtc_cpuset *only,
		    const struct vtc_probe_params *params_in,
		    vtc_progress_fn progress, void *progress_arg)
{
	/* The probes leave the end's re-read its time, so a run still ends
	 * within its budget (never below a tenth of it). */
	struct vtc_probe_params p = *params_in, *params = &p;
	p.budget_s = params_in->budget_s - HOST_SIGNALS_END_S > 0.1 * params_in->budget_s
		     ? params_in->budget_s - HOST_SIGNALS_END_S : 0.1 * params_in->budget_s;
	struct vtc_backend be;
	vtc_cpuset cpus;
	int (*extra)[2] = NULL;
	int n_extra, rc;

	if (!app->live)
		return vtc_run_fail(app, -EINVAL, "cannot probe a recorded machine (--sysroot); use "
			       "--advertised, or --analyze with a report or matrix");
	if ((rc = probe_set(app, only, &cpus)))
		return rc;
	if ((n_extra = advertised_pairs(&app->sysfs, &cpus, &extra)) < 0)
		return vtc_run_fail(app, n_extra, "out of memory");
	if ((rc = vtc_hw_backend_init(&be))) {
		free(extra);
		return vtc_run_fail(app, rc, "probes: cannot set up the timer or pinning (%s)",
			       strerror(-rc));
	}
	/* Runnable foreign tasks, sampled through the backend while none of
	 * our probe threads exist (before probing, and after as a fallback). */
	double load_sum = 0;
	int load_n = 0;
	vtc_probe_runnable_mean(&be, 20, &load_sum, &load_n);
	/* What the host is at the start: the platform read just before, and
	 * the counter as the backend calibrated it. */
	struct vtc_host_signals start;
	vtc_host_signals_from(&app->plat, vtc_hw_tsc_khz(&be, false), &start);
	rc = vtc_probe_run_with(&be, &cpus, params, (const int (*)[2])extra, n_extra,
				progress, progress_arg, &app->res);
	if (!rc) {
		app->res.host_start = start;
		host_signals_end(app, &be);
	}
	/* The scheduler samples foreign tasks around the full look itself;
	 * around the whole run is the fallback where it could not. */
	if (!rc && app->res.foreign_runnable < 0)
		app->res.foreign_runnable = vtc_probe_runnable_mean(&be, 20, &load_sum, &load_n);
	vtc_hw_backend_fini(&be);
	free(extra);
	if (rc == -EPERM)
		return vtc_run_fail(app, rc, "probes: pinning a thread to a CPU was refused (EPERM); "
			       "a seccomp or cgroup policy forbids sched_setaffinity: allow it "
			       "or run where it is allowed");
	if (rc)
		return vtc_run_fail(app, rc, "probes: measurement failed (%s)", strerror(-rc));
	app->measured_here = true;
	app->res.not_probed = app->sysfs.online;
	for (int c = vtc_cpuset_first(&cpus); c >= 0; c = vtc_cpuset_next(&cpus, c))
		vtc_cpuset_unset(&app->res.not_probed, c);
	app->have_results = true;
	return 0;
}

/* A sysfs with no topology/ or cache/ directories (some containers, a
 * partial capture) advertises nothing to agree or disagree with. */
static bool knows_nothing(const struct vtc_topo *t)
{
	for (int l = 0; l < VTC_LEVEL_COUNT; l++)
		if (t->level_known[l])
			return false;
	return true;
}

/* "could not tell" instead of "OK: matches" when neither source says
 * anything about the layout. True when it decided. */
static bool judge_nothing_advertised(struct vtc_run *app)
{
	if (!knows_nothing(&app->sysfs) || (app->have_cpuid && !knows_nothing(&app->cpuid)))
		return false;
	app->status = VTC_EXIT_UNKNOWN;
	snprintf(app->reason, sizeof(app->reason), "UNKNOWN: could not tell: sysfs has no "
		 "topology or cache directories%s, so nothing is advertised to check",
		 app->have_cpuid ? " and CPUID none of its leaves" : "");
	return true;
}

/* Measurements from two hosts judge neither: the placement of the first
 * and the second are mixed in one matrix. True when it decided. */
static bool judge_moved(struct vtc_run *app)
{
	char why[200];

	if (!vtc_fingerprint_moved(&app->res.host_start, &app->res.host_end, why, sizeof(why)))
		return false;
	app->status = VTC_EXIT_UNKNOWN;
	snprintf(app->reason, sizeof(app->reason), "UNKNOWN: moved to another host during the "
		 "run (%.200s); the measurements mix two placements: run again", why);
	return true;
}

static int judge_results(struct vtc_run *app)
{
	int rc;

	vtc_findings_free(&app->findings);
	if (app->have_inf)
		vtc_inferred_free(&app->inf);
	app->have_inf = true;
	rc = vtc_infer(&app->res, &app->sysfs, &app->inf);
	/* An interrupted run still gets a complete report: whatever inference
	 * makes of the partial data is kept, the verdict is UNKNOWN. A run
	 * stopped while watching had finished its full look (the window only
	 * follows one): that is judged, its window named as cut short. */
	bool look_done = app->res.n_watch > 0;
	if ((app->res.interrupted && !look_done) || app->res.watchdog) {
		app->status = VTC_EXIT_UNKNOWN;
		snprintf(app->reason, sizeof(app->reason), "%s", app->res.interrupted ?
			 "UNKNOWN: interrupted before the measurement finished; the report "
			 "holds the partial data" :
			 "UNKNOWN: the probes' cycle counter did not keep pace with the wall "
			 "clock (stopped or slow, as under emulation); the watchdog ended "
			 "probing at the budget; the report holds the partial data");
		return vtc_findings_append(&app->findings, &app->consist);
	}
	if (rc == -EINTR || (rc == 0 && vtc_stop_requested()))
		return vtc_run_fail(app, -EINTR, "interrupted by a signal while judging");
	if (rc)
		return vtc_run_fail(app, rc, "inference failed on the measurements (%s)",
			       strerror(-rc));
	if (judge_moved(app))
		return vtc_findings_append(&app->findings, &app->consist);
	rc = vtc_compare(&app->inf, &app->res, &app->sysfs, &app->plat, &app->findings);
	if (rc == -EINTR)
		return vtc_run_fail(app, rc, "interrupted by a signal while judging");
	if (rc)
		return vtc_run_fail(app, rc, "comparison failed (%s)", strerror(-rc));
	if ((rc = vtc_findings_append(&app->findings, &app->consist)))
		return vtc_run_fail(app, rc, "out of memory");
	if (judge_nothing_advertised(app))
		return 0;
	app->status = vtc_verdict(&app->inf, &app->findings, app->reason, sizeof(app->reason));
	return 0;
}

int vtc_app_judge(struct vtc_run *app)
{
	int rc;

	/* What this process measured is judged to the end even after a
	 * signal (a fraction of a second): that report is what the signal
	 * asked for. Saved reports and matrices are simply read again. */
	vtc_stop_defer(app->measured_here);
	rc = judge_results(app);
	vtc_stop_defer(false);
	return rc;
}

int vtc_app_judge_advertised(struct vtc_run *app)
{
	int sev = vtc_findings_max_severity(&app->consist);

	vtc_findings_free(&app->findings);
	if (vtc_findings_append(&app->findings, &app->consist))
		return vtc_run_fail(app, -ENOMEM, "out of memory");
	if (judge_nothing_advertised(app))
		return 0;
	if (sev >= VTC_SEV_WARNING) {
		snprintf(app->reason, sizeof(app->reason),
			 "WARNING: the advertised sources disagree (%d finding%s)",
			 app->consist.count, app->consist.count > 1 ? "s" : "");
		app->status = sev == VTC_SEV_CRITICAL ? VTC_EXIT_CRITICAL : VTC_EXIT_WARNING;
		return 0;
	}
	snprintf(app->reason, sizeof(app->reason),
		 "OK: sysfs%s agree%s (advertised topology only; nothing measured)",
		 app->have_cpuid ? " and CPUID" : "", app->have_cpuid ? "" : "s with itself");
	app->status = VTC_EXIT_OK;
	return 0;
}

int vtc_app_import_matrix(struct vtc_run *app, const char *path)
{
	char err[300] = "";
	FILE *f;
	int rc = vtc_input_open(path, VTC_INPUT_MATRIX_MAX, &f);

	if (rc)
		return vtc_run_fail(app, rc, "%s: cannot read the matrix (%s); give a c2clat or "
			       "core-to-core-latency matrix file", path, vtc_input_strerror(rc));
	rc = vtc_matrix_import_within(f, &app->sysfs.online, &app->res, err, sizeof(err));
	fclose(f);
	if (rc == -ENXIO)
		return vtc_run_fail(app, rc, "%s: %s; give the measured machine's sysfs with "
			       "--sysroot DIR", path, err);
	if (rc == -EINTR)
		return vtc_run_fail(app, rc, "%s: interrupted while reading the matrix", path);
	if (rc)
		return vtc_run_fail(app, rc, "%s: not a c2clat or core-to-core-latency matrix: %s",
			       path, err[0] ? err : strerror(-rc));
	app->have_results = true;
	/* The host is the recorded machine's, as its cpuinfo says; another
	 * tool's matrix has no clock frequency. */
	vtc_host_signals_from(&app->plat, 0, &app->res.host_start);
	return 0;
}
