/* hw.c - the real backend: pinned threads on this machine's CPUs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probes/hw/contention.h"
#include "probes/hw/hw.h"
#include "probes/hw/pingpong.h"
#include "src/advertised/procstat.h"
#include "src/input.h"

static int hw_pingpong(void *ctx, struct vtc_pingpong_job *jobs, int n,
		       const struct vtc_probe_params *params)
{
	struct vtc_hw_ctx *hw = ctx;
	struct vtc_pp_pair *pairs = calloc((size_t)n, sizeof(*pairs));
	int rc;

	if (!pairs)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		pairs[i].cpu_a = vtc_pin_map_apply(&hw->pin_map, jobs[i].a);
		pairs[i].cpu_b = vtc_pin_map_apply(&hw->pin_map, jobs[i].b);
		pairs[i].out = jobs[i].out;
	}
	rc = vtc_pp_run(&hw->timer, pairs, n, params);
	free(pairs);
	return rc;
}

static int hw_throughput(void *ctx, enum vtc_cont_kind kind, int a, int b,
			 double *rate_a, double *rate_b)
{
	struct vtc_hw_ctx *hw = ctx;

	a = vtc_pin_map_apply(&hw->pin_map, a);
	if (b >= 0)
		b = vtc_pin_map_apply(&hw->pin_map, b);
	return vtc_cont_run(kind, a, b, hw->cont_window_ms, hw->cont_repeats, rate_a, rate_b);
}

/* Jobs of one round, each on the CPUs really pinned to (test override). */
static int hw_throughput_many(void *ctx, enum vtc_cont_kind kind, const int (*pairs)[2], int n,
			      double *rates)
{
	struct vtc_hw_ctx *hw = ctx;
	int (*pinned)[2];
	int rc;

	if (n < 1)
		return -EINVAL;
	pinned = calloc((size_t)n, sizeof(*pinned));
	if (!pinned)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		pinned[i][0] = vtc_pin_map_apply(&hw->pin_map, pairs[i][0]);
		pinned[i][1] = pairs[i][1] < 0 ? -1 : vtc_pin_map_apply(&hw->pin_map, pairs[i][1]);
	}
	rc = vtc_cont_run_many(kind, (const int (*)[2])pinned, n, hw->cont_window_ms,
			       hw->cont_repeats, rates);
	free(pinned);
	return rc;
}

/* /proc/stat through the one bounded reader (src/input.h); procfs files
 * report size 0, the bound is checked while reading. */
int vtc_hw_cpu_times(void *ctx, int ncpus, uint64_t *steal, uint64_t *total)
{
	char *text;
	size_t len;
	int rc = vtc_input_read("/proc/stat", VTC_INPUT_PROC_MAX, &text, &len);

	(void)ctx;
	if (rc)
		return rc;
	rc = vtc_procstat_parse(text, ncpus, steal, total);
	free(text);
	return rc;
}

/* Sleep; a signal (the stop request) ends it early, which is what the
 * caller wants: it checks the stop flag next. */
static void hw_rest(void *ctx, double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	(void)ctx;
	nanosleep(&ts, NULL);
}

/* proc/loadavg's running count, less this thread (the only one of ours
 * between backend calls). */
static int hw_runnable(void *ctx, double *others)
{
	char buf[256];
	size_t len;
	int running, total, rc = vtc_input_read_buf("/proc/loadavg", buf, sizeof(buf), &len);

	(void)ctx;
	if (rc)
		return rc;
	if (vtc_procstat_parse_loadavg(buf, &running, &total) != 0 || running <= 0)
		return -EIO;
	*others = running - 1;
	return 0;
}

static int hw_timer_info(void *ctx, struct vtc_timer_info *out)
{
	*out = ((struct vtc_hw_ctx *)ctx)->timer.info;
	return 0;
}

int vtc_hw_backend_init(struct vtc_backend *be)
{
	struct vtc_hw_ctx *hw = calloc(1, sizeof(*hw));
	int rc;

	memset(be, 0, sizeof(*be));
	if (!hw)
		return -ENOMEM;
	rc = vtc_pin_map_parse(getenv(VTC_PIN_OVERRIDE_ENV), &hw->pin_map);
	if (!rc)
		rc = vtc_timer_init(&hw->timer);
	if (rc) {
		free(hw);
		return rc == -ERANGE ? -EINVAL : rc;
	}
	hw->cont_window_ms = VTC_HW_CONT_WINDOW_MS;
	hw->cont_repeats = VTC_HW_CONT_REPEATS;
	*be = (struct vtc_backend){.name = "hw", .ctx = hw, .pingpong = hw_pingpong,
				   .throughput = hw_throughput,
				   .throughput_many = hw_throughput_many, .cpu_times = vtc_hw_cpu_times,
				   .timer_info = hw_timer_info, .runnable = hw_runnable,
				   .rest = hw_rest};
	return 0;
}

double vtc_hw_tsc_khz(const struct vtc_backend *be, bool again)
{
	const struct vtc_hw_ctx *hw = be->ctx;

	return (again ? vtc_timer_calibrate_hz(&hw->timer) : hw->timer.calibrated_hz) / 1e3;
}

void vtc_hw_backend_fini(struct vtc_backend *be)
{
	struct vtc_hw_ctx *hw = be ? be->ctx : NULL;

	free(hw);
	if (be)
		memset(be, 0, sizeof(*be));
}
