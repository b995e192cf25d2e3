/* diff.h - what changed between two runs (vtopocheck --analyze OLD NEW):
 * the verdict, the advertised groups, the measured (judged) groups, the
 * findings and the fingerprints. What a support engineer asks first when a
 * ticket has two reports attached.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure: compares two judged struct vtc_run (run.h), never the machine. */
#ifndef VTC_DIFF_H
#define VTC_DIFF_H

#include <stdio.h>

#include "src/report/run.h"

/* The changes, one line of text each ("verdict: OK -> CRITICAL ..."), in a
 * fixed order: verdict, advertised groups (sysfs, per level), KVM hint,
 * measured groups (per kind), findings gone, findings new, findings whose
 * severity changed, topology fingerprint, host fingerprint. */
struct vtc_diff {
	int n, cap;
	char **line;
	/* What both runs share, for "nothing changed": their fingerprints
	 * ("" where a run has none, see vtc_run_fingerprints). */
	char topo_old[VTC_FINGERPRINT_LEN + 1], topo_new[VTC_FINGERPRINT_LEN + 1];
	char host_old[VTC_FINGERPRINT_LEN + 1], host_new[VTC_FINGERPRINT_LEN + 1];
};

/* Compare @old with @new (both judged: vtc_app_judge or equal) into @out
 * (initialised here; free with vtc_diff_free() whether or not this
 * succeeds). Measured groups are compared where both runs have judged
 * groups (a verdict other than UNKNOWN); otherwise the line says which run
 * has none. Returns 0, -EINVAL (NULL), -ENOMEM. */
int vtc_diff_runs(const struct vtc_run *old, const struct vtc_run *new, struct vtc_diff *out);
void vtc_diff_free(struct vtc_diff *d);

/* Print @d: a heading naming @old_name and @new_name, each change on its
 * own line, and a last line "N change(s)" or "nothing changed: ...",
 * wrapped to vtc_text_width(@f) as the text report is. With @quiet only
 * the last line, never wrapped. Returns 0 or -EIO when @f failed. */
int vtc_diff_print(FILE *f, const struct vtc_diff *d, const char *old_name,
		   const char *new_name, bool quiet);

#endif
