/* SPDX-License-Identifier: GPL-2.0-only */
/* Command-line options of the stormtop binary: one row per subcommand
 * (cmd_table[], src/cmd/commands.c) naming the options it takes, one row
 * per option (src/cmd/cli.c) saying how it is spelled and parsed. */
#ifndef STORMTOP_CLI_H
#define STORMTOP_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "core/frame.h"

#define EXIT_USAGE 2   /* bad arguments */
#define EXIT_RUNTIME 1 /* could not start: no terminal, out of memory */
#define EXIT_FINDINGS 3 /* check: settings to change */
#define CLI_MAX_ATTACH FRAME_APPS

enum run_mode { MODE_LIVE, MODE_RECORD, MODE_PLAY, MODE_DUMP, MODE_DRILL, MODE_CHECK, MODE_STACKS, MODE_REPORT,
		MODE_DIFF };

#define CLI_MAX_SETS 32

/* The parsed command line, grouped by what the options are about.  Which
 * command takes which option is cmd_table[]'s business: a group a command
 * does not take keeps its defaults. */
struct tick_opts {             /* live, record (iterations: play too) */
	double interval_s;      /* -d */
	long iterations;        /* -n; 0 = until quit */
};

struct view_opts {             /* the heatmap: live, play (record: the thresholds, history) */
	const char *cpus;       /* --cpus LIST, validated against the host later (dump too) */
	double warn_rate;       /* per-core /s where green turns yellow */
	double crit_rate;       /* per-core /s where yellow turns red */
	uint32_t history;       /* frames kept for the heatmap */
	int no_color;
	const char *theme;      /* --theme NAME or path */
	const char *cgroup;     /* --cgroup PATH: a cgroup v2 path ("/system.slice/x.scope"); NULL all */
};

struct live_opts {             /* what live prints instead of the UI */
	int batch;              /* -b: text lines, no TUI */
	int probes;             /* --probes: print the hook table and exit */
};

struct host_opts {             /* the collectors, applications and exporter: live, record */
	const char *root;       /* --root DIR: read /proc from a fixture tree (check too) */
	const char *disable;    /* --disable LIST, names checked */
	int raw_tp;             /* --raw-tp */
	uint32_t synth_cpus;    /* --synthetic CPUS[:NODES]; 0 = the real collectors */
	uint32_t synth_nodes;
	const char *attach[CLI_MAX_ATTACH]; /* --attach NAME, repeatable */
	unsigned int nattach;
	long attach_owner;      /* --attach-owner UID; -1 = none */
	const char *jitter_cpus; /* --jitter-probe LIST, checked against the host later */
	const char *publish;    /* --publish NAME: the host regime for applications */
	const char *prometheus; /* --prometheus [HOST:]PORT; NULL = no exporter */
	uint32_t prom_top;      /* --prometheus-top K */
};

struct rec_opts {              /* record, and live's w key */
	int follow_symlink;     /* --follow-symlink: record through a symlink at -o */
	double duration_s;      /* record --duration; 0 = until stopped */
	uint64_t rotate_bytes;  /* --rotate SIZE */
	int rotate_daily;       /* --rotate daily */
	unsigned int keep;      /* --keep */
	/* record --trigger storm (src/record/capture.h): captures of the
	 * window around each storm transition in trigger_dir, beside the
	 * recording to file (or alone: then -o names the directory) */
	const char *trigger;    /* --trigger WHAT; NULL = none */
	const char *trigger_dir; /* --trigger-dir DIR, or -o DIR/ */
	double pre_s, post_s;   /* --pre, --post (default 5m, 2m) */
	uint64_t trigger_mem;   /* --trigger-mem SIZE: the ring's bytes at most (default 64M) */
	int trigger_opts;       /* a --pre/--post/--trigger-dir/--trigger-mem was given */
};

struct read_opts {             /* dump (format: drill and check too) */
	const char *format;     /* "csv", "json" or "text" */
	const char *from, *to;  /* time range, unparsed */
	const char *metrics;    /* per-CPU columns, unchecked */
};

struct stacks_opts {           /* stacks */
	int32_t pid;            /* --pid: the process whose call sites are sampled */
	double seconds;         /* --seconds: live, how long */
	const char *out;        /* -o: the folded text's file; NULL stdout */
};

struct page_opts {             /* report, diff */
	const char *out;        /* -o: the HTML page (diff: with --html; else stdout) */
	int html;               /* diff --html */
	const char *file_b;     /* diff: the second recording (B) */
};

struct settings_opts {         /* the config file: live, record, play, drill */
	const char *config;     /* --config FILE; NULL = the XDG default */
	const char *sets[CLI_MAX_SETS]; /* --set key=value, checked by config_set_pair */
	unsigned int nsets;
};

struct options {
	enum run_mode mode;     /* the first word: record, play, dump, ... */
	const char *file;       /* -o (record, w), FILE or -r (play, dump, drill, report; diff's A) */
	struct tick_opts tick;
	struct view_opts view;
	struct live_opts live;
	struct host_opts host;
	struct rec_opts rec;
	struct read_opts read;
	struct settings_opts settings;
	struct stacks_opts stacks;
	struct page_opts page;
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
	CMD_HOST_LIVE = 4, /* the same, unless a recording is named (FILE) */
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
