/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line options of the stormtop binary. */
#ifndef STORMTOP_CLI_H
#define STORMTOP_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

#define EXIT_USAGE 2   /* bad arguments */
#define EXIT_RUNTIME 1 /* could not start: no terminal, out of memory */
#define EXIT_FINDINGS 3 /* check: settings to change */
#define CLI_MAX_ATTACH FRAME_APPS

enum run_mode { MODE_LIVE, MODE_RECORD, MODE_PLAY, MODE_DUMP, MODE_DRILL, MODE_CHECK };

#define CLI_MAX_SETS 32

struct options {
	enum run_mode mode;     /* the first word: record, play, dump */
	double interval_s;      /* -d */
	long iterations;        /* -n; 0 = until quit */
	const char *cpus;       /* --cpus LIST, validated against the host later */
	double warn_rate;       /* per-core /s where green turns yellow */
	double crit_rate;       /* per-core /s where yellow turns red */
	uint32_t history;       /* frames kept for the heatmap */
	int batch;              /* -b: text lines, no TUI */
	int no_color;
	const char *root;       /* --root DIR: read /proc from a fixture tree */
	const char *disable;    /* --disable LIST, names checked */
	int raw_tp;             /* --raw-tp */
	int probes;             /* --probes: print the hook table and exit */
	const char *file;       /* -o (record), FILE or -r (play, dump) */
	int follow_symlink;     /* --follow-symlink: record through a symlink at -o */
	double duration_s;      /* record --duration; 0 = until stopped */
	uint64_t rotate_bytes;  /* record --rotate SIZE */
	int rotate_daily;       /* record --rotate daily */
	unsigned int keep;      /* record --keep */
	const char *format;     /* dump: "csv" or "json" */
	const char *from, *to;  /* dump: time range, unparsed */
	const char *metrics;    /* dump: per-CPU columns, unchecked */
	const char *attach[CLI_MAX_ATTACH]; /* --attach NAME, repeatable */
	unsigned int nattach;
	long attach_owner;      /* --attach-owner UID; -1 = none */
	const char *jitter_cpus; /* --jitter-probe LIST, checked against the host later */
	const char *config;     /* --config FILE; NULL = the XDG default */
	const char *sets[CLI_MAX_SETS]; /* --set key=value, checked by config_set_pair */
	unsigned int nsets;
	const char *publish;    /* --publish NAME: the host regime for applications */
	const char *theme;      /* --theme NAME or path */
	uint32_t synth_cpus;    /* --synthetic CPUS[:NODES]; 0 = the real collectors */
	uint32_t synth_nodes;
	const char *prometheus;  /* --prometheus [HOST:]PORT; NULL = no exporter */
	uint32_t prom_top;       /* --prometheus-top K */
	unsigned int given;     /* GIVEN_*: options the config file must not override */
};

enum { GIVEN_INTERVAL = 1, GIVEN_THRESHOLDS = 2, GIVEN_HISTORY = 4, GIVEN_PROM_TOP = 8 };

enum cli_result { CLI_RUN, CLI_EXIT_OK, CLI_ERROR };

/* Fills o from argv.  CLI_EXIT_OK after printing --help or --version to
 * stdout; CLI_ERROR with a one-line message in err. */
enum cli_result cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);

#endif
