/* hw.h - the real backend: pinned threads on this machine's CPUs.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VTC_HW_H
#define VTC_HW_H

#include "probes/hw/affinity.h"
#include "probes/backend.h"
#include "probes/hw/timer.h"

/* One contention measurement = the best of VTC_HW_CONT_REPEATS windows of
 * VTC_HW_CONT_WINDOW_MS each, in one set of threads, preferring windows in
 * which no thread was preempted by another task of this guest. How these
 * were chosen: probes/README.md, "Contention windows". */
#define VTC_HW_CONT_WINDOW_MS 1.5
#define VTC_HW_CONT_REPEATS 4

struct vtc_hw_ctx {
	struct vtc_timer timer;
	struct vtc_pin_map pin_map;   /* VTC_TEST_PIN_OVERRIDE */
	double cont_window_ms;
	int cont_repeats;
};

/* Set up @be as the "hw" backend: choose and calibrate the clock (~20 ms)
 * and read the test pin override from VTC_TEST_PIN_OVERRIDE ("from:to,..."
 * : a thread meant for CPU from is pinned to CPU to; it only moves threads,
 * every measurement stays real). Returns 0, -EINVAL (malformed override),
 * -ENOMEM or -EIO (no usable clock). */
int vtc_hw_backend_init(struct vtc_backend *be);
void vtc_hw_backend_fini(struct vtc_backend *be);

/* The cycle counter's frequency in kHz: as calibrated when @be was set up,
 * or measured again now (@again, ~20 ms); 0 without a cycle counter. The
 * start and end of a run compare the two (fingerprint.h). */
double vtc_hw_tsc_khz(const struct vtc_backend *be, bool again);

/* Read /proc/stat into per-CPU steal/total ticks (the cpu_times hook). */
int vtc_hw_cpu_times(void *ctx, int ncpus, uint64_t *steal, uint64_t *total);

#endif
