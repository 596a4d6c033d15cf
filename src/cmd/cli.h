/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line options of the stormtop binary: one row per subcommand
 * (cmd_table[], src/cmd/commands.c) naming the options it takes, one row
 * per option (src/cmd/cli.c) saying how it is spelled and parsed. */
#ifndef STORMTOP_CLI_H
#define STORMTOP_CLI_H

#include <stddef.h>
#include <stdint.h>

#define EXIT_USAGE 2   /* bad arguments */
#define EXIT_RUNTIME 1 /* could not start: no terminal, out of memory */
#define EXIT_FINDINGS 3 /* check: settings to change */
#define CLI_MAX_ATTACH 4 /* = FRAME_APPS */

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

struct app;

/* An option a command takes, by its long name (or "r" for -r), with the
 * help line that command gives it; "\n" starts a continuation line. */
struct cmd_opt {
	const char *name;
	const char *help;
};

enum {
	CMD_CONFIG = 1, /* reads the config file and --set (app_config) */
	CMD_HOST = 2,   /* opens the host: topology, ring, sources, stages */
};

/* One subcommand (the tmux cmd_table[] shape): adding one is a row here
 * and its run function. */
struct command {
	const char *name;          /* the first word; "" for live (no word) */
	enum run_mode mode;
	const char *summary;       /* one line, in stormtop --help */
	const char *usage;         /* the synopsis after "Usage: " */
	const struct cmd_opt *opts; /* the options it takes, ended by { NULL } */
	unsigned int flags;        /* CMD_* */
	/* Runs it once main has done what flags ask: its exit status. */
	int (*run)(struct app *a);
};

extern const struct command cmd_table[];
extern const size_t cmd_count;

/* The row of mode m (every mode has one). */
const struct command *cli_command(enum run_mode m);

/* Whether every option cmd_table[] names is one cli.c parses: 0, or -1
 * naming the first that is not (a typo would drop it from the command). */
int cli_table_check(char *err, size_t errlen);

/* Fills o from argv.  CLI_EXIT_OK after printing --help (that command's)
 * or --version to stdout; CLI_ERROR with a one-line message in err: an
 * option another command takes names this command, the ones that take
 * it and where its help is. */
enum cli_result cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);

#endif
