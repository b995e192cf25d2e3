/* series.h - pair latency over the observation window: floating placement
 * seen in time.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure: reads the watch samples of a struct vtc_results. A pair whose
 * latency has a near mode well apart from its usual one was, at those
 * moments, placed nearer (both vCPUs on one core or one cache): the host
 * moves its vCPUs. Only a nearer mode counts: noise (interrupts, other
 * tasks, the host) only ever slows a handoff down, so a slower mode proves
 * nothing. The modes are told apart like latency tiers, by a gap on a log
 * scale that is wide against the spread of both sides; no nanosecond
 * constant. Where the values show no such gap (one placement spread as a
 * continuum, under emulation), a run of readings in a row all a tier ratio
 * below the median is the near mode: a move lasts, a stray does not. */
#ifndef VTC_SERIES_H
#define VTC_SERIES_H

#include <stdbool.h>
#include "src/analysis/results.h"

#define VTC_SERIES_SHOWN_EPISODES 6

/* One pair seen nearer than usual during the window. */
struct vtc_series_float {
	int a, b;                /* the CPUs, a < b */
	int samples;             /* measured watch samples of the pair */
	int near;                /* of them in the near mode */
	double usual_ns, near_ns; /* medians of the two modes */
	double near_max_ns;      /* the near mode's upper edge: a sample at or
				  * below it reads near (a report's time strip) */
	int episodes;            /* runs of near samples between usual ones */
	double first_s, last_s;  /* first and last near sample, s since start */
	double episode_s[VTC_SERIES_SHOWN_EPISODES]; /* when the first ones began */
};

struct vtc_series {
	double window_s;   /* how long the run watched (0: it did not): the
			    * window's span less the gaps between rounds in
			    * which nothing was watched (the process stopped,
			    * the guest suspended) */
	double unwatched_s; /* those gaps, total */
	bool cut_short;    /* a signal ended the window before its budget */
	int n_samples;     /* measured watch samples, all pairs */
	int n_float;
	struct vtc_series_float *f; /* most near samples first */
};

/* Near samples a pair needs before its near mode counts: one or two fast
 * readings could be a timer artefact; a placement holds for a while. */
#define VTC_SERIES_MIN_NEAR 3

/* Analyse the watch samples of @r into @out (initialised here; free with
 * vtc_series_free() whether or not this succeeds).
 * Returns 0, -EINVAL (NULL), -ENOMEM. */
int vtc_series_analyze(const struct vtc_results *r, struct vtc_series *out);
void vtc_series_free(struct vtc_series *s);

/* Whether the window has settled the question early: some pair was seen
 * in its near mode in at least two separate episodes (floating proven;
 * watching longer adds nothing to the verdict). */
bool vtc_series_settled(const struct vtc_series *s);
/* Why the window ended early, in the report's words (results.watch_end_reason),
 * or NULL when vtc_series_settled() is false. */
const char *vtc_series_settled_reason(const struct vtc_series *s);

#endif
