/* SPDX-License-Identifier: GPL-2.0-only */
/* What the modes of the stormtop binary share: options, the host, the
 * frame ring and the frame source.  main.c owns setup and teardown. */
#ifndef STORMTOP_APP_H
#define STORMTOP_APP_H

#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/utsname.h>

#include "cmd/cli.h"
#include "core/config.h"
#include "record/recfmt.h"
#include "core/ring.h"
#include "core/source.h"
#include "stages/stages.h"
#include "collectors/topology.h"

struct sampler;
struct rec_writer;
struct exporter;
struct capture;

struct app {
	struct options opt;
	struct topology topo;
	uint8_t *mask;
	struct frame_ring ring;
	struct sampler *sampler;   /* the live collectors; --attach goes here */
	struct frame_source src;   /* what app_sample fills from: the sampler, or synthetic */
	struct jitter_probe *jitter; /* --jitter-probe, or NULL */
	struct config cfg;         /* the config file and --set */
	struct stages stages;      /* stage_table's, run on every live tick */
	struct stormprobe *pub;    /* --publish, or NULL */
	struct exporter *exp;      /* --prometheus, or NULL */
	struct utsname uts;
	struct rec_writer *rec;    /* recording in progress, or NULL */
	struct capture *cap;       /* record --trigger's captures, or NULL */
	char rec_path[256];
	char rec_err[320];         /* why a recording stopped on its own */
	char cfg_path[512];        /* the config file read (setup saves there) */
};

extern volatile sig_atomic_t stop_requested;
/* SIGHUP while record --trigger runs: save the ring (not a stop) */
extern volatile sig_atomic_t hup_requested;
extern volatile sig_atomic_t hup_saves;

/* One tick from the live source into the ring (and the recording). */
void app_sample(struct app *a);
int64_t app_interval_ns(const struct app *a);
/* Sleeps until the absolute CLOCK_MONOTONIC time; 1 when interrupted by
 * a stop request. */
int app_sleep_until(int64_t mono_ns);

/* The recording's header for this host and session. */
void app_rec_meta(const struct app *a, struct rec_meta *m);
/* Starts recording to path (appending if it is a recording); 0, or -1
 * with a reason. */
int app_rec_start(struct app *a, const char *path, char *err, size_t errlen);
void app_rec_stop(struct app *a);
/* Starts record --trigger's captures into opt.rec.trigger_dir (an
 * existing directory): 0, or -1 with a reason. */
int app_cap_start(struct app *a, char *err, size_t errlen);
void app_cap_stop(struct app *a);

struct rec_reader;
/* Opens a recording for play and drill: NULL after a one-line error on
 * stderr; otherwise says what a damaged one recovered. */
struct rec_reader *app_open_recording(const char *path);
/* Says on stderr what opening a damaged recording recovered. */
void say_recovery(const char *path, const struct rec_reader *r);

uint32_t app_history(const struct app *a);
/* An option's CPU list (opt: "--cpus", "--jitter-probe") into mask (n
 * CPUs: this host's live, the recording's in playback): 0, or EXIT_USAGE
 * with "opt: why" in err (util/cpulist.h's message). */
int app_cpulist(const char *opt, const char *list, uint8_t *mask, uint32_t n, char *err, size_t errlen);
/* 0 when a history of app_history ticks of ncpu CPUs (with heatmap cells
 * or not) fits in half of this host's MemAvailable (/proc/meminfo) now;
 * otherwise EXIT_USAGE with one line in err saying what it would hold.
 * The history costs what it holds (core/ring.h), so a long --history on
 * many CPUs is refused at start, not found by the OOM killer later on
 * the host being watched.  Unknown MemAvailable: 0 (not checked). */
int app_check_history(const struct app *a, uint32_t ncpu, int cells, char *err, size_t errlen);

/* The run functions of cmd_table[] (src/cmd/commands.c). */
int run_live(struct app *a);
int run_record(struct app *a);
int run_dump(const struct options *o);
int run_check(const struct options *o);
int run_play(struct app *a);
int run_drill(struct app *a);
int run_stacks(struct app *a);
int run_report(const struct options *o);
int run_diff(const struct options *o);
/* -o FILE for a command's output: a new file (mode 0644), or one of ours
 * rewritten (safefile rules) unless it is a recording (REC_MAGIC: never
 * overwritten, the input itself included); stdout for NULL.  NULL after
 * a one-line error on stderr. */
FILE *app_open_out(const char *path);
/* The config file and --set into a->cfg: 0, or EXIT_USAGE with err.
 * The UI settings in it fill the options the command line left alone. */
int app_config(struct app *a, char *err, size_t len);

#endif
