// SPDX-License-Identifier: GPL-2.0-only
/* stormtop drill FILE: the seeds' replay drill.  Every frame of a
 * recording goes through a fresh regime controller (thresholds from the
 * config file and --set), and the drill reports the transitions, the time
 * spent in each state, flaps, how long WATCH preceded STORM, and whether
 * the recording's own states agree. */
#include "cmd/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stages/stages.h"
#include "stages/correlator.h"
#include "stages/drill.h"
#include "util/json.h"
#include "record/recreader.h"
#include "util/when.h"
#include "util/text.h"

/* frames in the drill's window at most: a file's interval can say anything */
#define DRILL_MAX_WINDOW 100000.0

static const char *state_name(int machine, int s)
{
	return machine ? iommu_regime_name(s) : tlb_regime_name(s);
}

static void print_json(const struct drill *d, const char *file)
{
	char t[40];

	printf("{\"file\":");
	json_string(file);
	printf(",\"frames\":%zu,\"transitions\":[", d->frames);
	for (size_t i = 0; i < d->n; i++) {
		when_format(d->t[i].wall_ns, 'T', t, sizeof(t));
		printf("%s{\"time\":\"%s\",\"wall_ns\":%lld,\"machine\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"why\":",
		       i ? "," : "", t, (long long)d->t[i].wall_ns, d->t[i].machine ? "iommu" : "tlb",
		       state_name(d->t[i].machine, d->t[i].from), state_name(d->t[i].machine, d->t[i].to));
		json_string(d->t[i].why);
		putchar('}');
	}
	printf("],\"dwell_s\":{");
	for (int m = 0; m < 2; m++) {
		printf("%s\"%s\":{", m ? "," : "", m ? "iommu" : "tlb");
		for (int s = 0; s < TLB_REGIMES; s++)
			printf("%s\"%s\":%.3f", s ? "," : "", state_name(m, s), d->dwell_s[m][s]);
		putchar('}');
	}
	printf("},\"flaps\":%zu,\"watch_before_storm_s\":[", d->flaps);
	for (size_t i = 0; i < d->nlead; i++)
		printf("%s%.3f", i ? "," : "", d->lead_s[i]);
	printf("],\"recorded_transitions\":%zu,\"mismatched_ticks\":%zu}\n", d->recorded_transitions,
	       d->mismatched);
}

/* For a person: the file name and the transition lines through the text
 * rule (a recording's strings are untrusted). */
static void print_text(const struct drill *d, const char *file)
{
	char t[40], clean[4 * FRAME_REASON_LEN + 4096];
	int ascii = !text_locale_utf8();

	text_clean(clean, sizeof(clean), file, ascii);
	printf("drill: %s, %zu frames, %zu transitions\n", clean, d->frames, d->total);
	for (size_t i = 0; i < d->n; i++) {
		when_format(d->t[i].wall_ns, ' ', t, sizeof(t));
		text_clean(clean, sizeof(clean), d->t[i].why, ascii);
		printf("  %s  %-5s %s\n", t, d->t[i].machine ? "IOMMU" : "TLB", clean);
	}
	for (int m = 0; m < 2; m++) {
		printf("time in state, %s:", m ? "IOMMU" : "TLB");
		for (int s = 0; s < TLB_REGIMES; s++)
			printf("  %s %.1f s", state_name(m, s), d->dwell_s[m][s]);
		putchar('\n');
	}
	printf("flaps: %zu\nWATCH before STORM:", d->flaps);
	for (size_t i = 0; i < d->nlead; i++)
		printf(" %.1f s", d->lead_s[i]);
	printf("%s\n", d->nlead ? "" : " (no STORM)");
	if (!d->mismatched) {
		printf("against the recording: the same states on every tick (%zu transitions recorded)\n",
		       d->recorded_transitions);
		return;
	}
	when_format(d->first_mismatch_ns, ' ', t, sizeof(t));
	printf("against the recording: %zu ticks differ, the first at %s (other thresholds, or a\n"
	       "recording started after stormtop did)\n", d->mismatched, t);
}

/* Each frame through the same stages as live, in a ring of the window. */
static int replay(struct app *a, struct rec_reader *r, struct drill *d, char *err, size_t len)
{
	const struct rec_meta *m = rec_reader_meta(r);
	/* the window in frames, from the file's interval: bounded whatever it says */
	double frames = a->cfg.desk_window_s * 1e9 / (m->interval_ns > 0 ? (double)m->interval_ns : 1e9);
	uint32_t cap = (uint32_t)(frames < DRILL_MAX_WINDOW ? frames : DRILL_MAX_WINDOW) + 8;
	/* the controller alone: the correlation is the recorded one */
	const struct stage_desc *ctrl = stage_find("controller");
	void *c;
	struct frame_regime recorded;
	struct frame *f;
	struct rec_losses lost = { 0 };

	if (cap < CORR_WINDOW + 2)
		cap = CORR_WINDOW + 2;
	if (ring_init_full(&a->ring, cap, RING_FULL, m->ncpu, 0) < 0 || !(c = ctrl->new(&(struct stage_conf){ .cfg = &a->cfg, .cap = cap }))) {
		snprintf(err, len, "out of memory for %u frames of %u CPUs", cap, m->ncpu);
		return -1;
	}
	for (size_t i = 0; rec_reader_next(r, NULL, &i, (f = ring_begin(&a->ring)), &lost);) {
		recorded = f->regime;
		ctrl->run(c, &a->ring, f);
		ring_commit(&a->ring);
		drill_add(d, f, &recorded);
	}
	ctrl->free(c);
	if (lost.total)
		text_say(stderr, "%s: %zu damaged frames skipped", a->opt.file, lost.total);
	return 0;
}

int run_drill(struct app *a)
{
	static struct drill d;
	char err[320];
	struct rec_reader *r = app_open_recording(a->opt.file);
	int rc = 0;

	if (!r)
		return EXIT_RUNTIME;
	drill_init(&d, a->cfg.drill_flap_s);
	if (replay(a, r, &d, err, sizeof(err)) < 0) {
		text_say(stderr, "%s", err);
		rc = EXIT_RUNTIME;
	} else if (strcmp(a->opt.read.format, "json") == 0) {
		print_json(&d, a->opt.file);
	} else {
		print_text(&d, a->opt.file);
	}
	ring_free(&a->ring);
	rec_reader_close(r);
	return rc;
}
