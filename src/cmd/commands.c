// SPDX-License-Identifier: GPL-2.0-only
/* cmd_table[]: every subcommand of stormtop, the options each one takes
 * with the help it prints for them, and what runs it.  cli.c parses
 * against it; main.c does what a row's flags ask and calls its run. */
#include "cmd/app.h"
#include "cmd/cli.h"

static int dump_run(struct app *a) { return run_dump(&a->opt); }
static int check_run(struct app *a) { return run_check(&a->opt); }
static int report_run(struct app *a) { return run_report(&a->opt); }
static int diff_run(struct app *a) { return run_diff(&a->opt); }

/* What every command takes. */
#define HELP_OPTS { "help", "this text" }, { "version", "version" }

/* The sampling, shared by live and record. */
#define TICK_OPTS                                                                              \
	{ "delay", "sampling interval (0.05..3600, default 1)" },                              \
	{ "iterations", "stop after N samples (default: until stopped)" }
#define HEAT_OPTS                                                                              \
	{ "thresholds", "per-core IPIs/s where the heatmap turns\nyellow and red (default 5,20)" }, \
	{ "history", "samples kept for the heatmap and the controller's\nwindow (default 600)" }

/* The collectors, the applications and the controller: live and record. */
#define HOST_OPTS                                                                              \
	{ "synthetic", "a made-up host with moving storms instead\nof the collectors (demos, many-core views)" }, \
	{ "prefix", "read /proc and /sys under DIR: the host's in a\ncontainer (docs/CONTAINER.md), or a copied tree\n(tests); --root is the same" }, \
	{ "disable", "collectors or tracepoints to leave off: bpf,\nperf, or tracepoint names (sched_switch, ...)" }, \
	{ "raw-tp", "attach raw_tp programs even where tp_btf works" },                        \
	{ "attach", "read the app's stormprobe segment\n/dev/shm/stormprobe.NAME (repeatable, up to 4)" }, \
	{ "attach-owner", "also trust segments owned by USER (name or uid);\nby default only yours and root's" }, \
	{ "jitter-probe", "one thread per listed CPU sleeps to a 1 ms grid\nand reports its lateness as dispatch jitter" }, \
	{ "config", "thresholds (default $XDG_CONFIG_HOME/stormtop/stormtoprc)" },             \
	{ "set", "one threshold, over the file (repeatable)" },                                \
	{ "publish", "publish the host regime to applications in\n/dev/shm/stormprobe.NAME (include/README.md)" }, \
	{ "prometheus", "serve /metrics (docs/PROMETHEUS.md); HOST\ndefaults to 127.0.0.1, port 0 picks a free one" }, \
	{ "prometheus-top", "processes named in /metrics (0..20, default 10);\nthe rest are summed into pid=\"other\"" }

static const struct cmd_opt live_opts[] = {
	TICK_OPTS,
	{ "cpus", "show only these CPUs, e.g. 0-3,8" },
	{ "cgroup", "show only this cgroup v2 subtree's processes,\ne.g. /system.slice/docker-ID.scope" },
	HEAT_OPTS,
	{ "batch", "print tab-separated samples instead of the UI" },
	{ "no-color", "monochrome (also when NO_COLOR is set)" },
	{ "theme", "colour theme: default, dark, light, monochrome,\ncolorblind, or a file (themes/README.md)" },
	HOST_OPTS,
	{ "probes", "load the collectors, print each program's kind,\nrecursion misses and state with its whole reason\n(tab-separated) and exit" },
	{ "output", "where the w key records (appended to if it exists\nand is yours)" },
	{ "follow-symlink", "w: append through a symlink at FILE (refused\nby default)" },
	{ "rotate", "w: start a new file past SIZE or at midnight" },
	{ "keep", "w: keep the newest N rotated files" },
	{ "r", "play FILE (as 'stormtop play FILE')" },
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt record_opts[] = {
	{ "output", "the file (appended to if it exists and is yours)" },
	{ "follow-symlink", "append through a symlink at FILE (refused by\ndefault)" },
	{ "duration", "stop after D (30, 30s, 10m, 2h)" },
	{ "rotate", "start a new file past SIZE (500K, 100M, 1G) or at\nmidnight; the old one is renamed FILE.YYYYmmdd-HHMMSS" },
	{ "keep", "keep the newest N rotated files" },
	{ "trigger", "storm: save the window around each transition into\nSTORM, SAFE_DEGRADED, FLUSH_STORM or SAFE_DMA_CONTAIN\nto DIR/storm-<UTC>-<state>.rec (-o DIR/); SIGHUP\nsaves the ring now" },
	{ "pre", "seconds kept before a transition (default 5m)" },
	{ "post", "seconds written after it (default 2m)" },
	{ "trigger-dir", "the captures' directory, beside -o FILE's\nrecording" },
	{ "trigger-mem", "the ring's memory at most (default 64M)" },
	{ "pid", "also record the call sites of process N (the\nwhere view; stacks FILE and report read them)" },
	TICK_OPTS,
	HEAT_OPTS,
	HOST_OPTS,
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt play_opts[] = {
	{ "r", "the recording (as 'stormtop play FILE')" },
	{ "iterations", "stop after N frames" },
	{ "cpus", "show only these CPUs, e.g. 0-3,8" },
	{ "cgroup", "show only this cgroup v2 subtree's processes,\ne.g. /system.slice/docker-ID.scope" },
	{ "thresholds", "per-core IPIs/s where the heatmap turns\nyellow and red (default 5,20)" },
	{ "history", "frames kept for the heatmap (default 600)" },
	{ "no-color", "monochrome (also when NO_COLOR is set)" },
	{ "theme", "colour theme: default, dark, light, monochrome,\ncolorblind, or a file (themes/README.md)" },
	{ "config", "UI settings and thresholds (default\n$XDG_CONFIG_HOME/stormtop/stormtoprc)" },
	{ "set", "one setting, over the file (repeatable)" },
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt dump_opts[] = {
	{ "format", "csv rows per frame and CPU, or JSON lines\n(default csv)" },
	{ "from", "only frames read between T and T' on the local\nclock (hh:mm[:ss] on the day it occurs, or\nYYYY-mm-dd hh:mm[:ss]); ambiguity said on stderr" },
	{ "to", "see --from" },
	{ "cpus", "only these CPUs, e.g. 0-3,8" },
	{ "metrics", "only these per-CPU columns (see docs/FORMAT.md)" },
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt drill_opts[] = {
	{ "config", "thresholds (default $XDG_CONFIG_HOME/stormtop/stormtoprc)" },
	{ "set", "one threshold, over the file (repeatable)" },
	{ "format", "text or json (default text)" },
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt check_opts[] = {
	{ "format", "text or json (default text)" },
	{ "prefix", "read /proc and /sys under DIR (--root is the same)" },
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt stacks_opts[] = {
	{ "pid", "the process whose call sites are sampled; with\na recording (stacks FILE) only its sites" },
	{ "seconds", "live: sample for S seconds (0.1..86400)" },
	{ "prefix", "live: the host's /proc and /sys under DIR (a\ncontainer: docs/CONTAINER.md); --root is the same" },
	{ "output", "write the folded stacks to FILE (default stdout)" },
	{ "delay", "live: sampling interval (0.05..3600, default 1)" },
	{ "from", "FILE: only frames read between T and T' on the\nlocal clock (as dump)" },
	{ "to", "see --from" },
	{ "disable", "collectors or tracepoints to leave off (live)" },
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt report_opts[] = {
	{ "output", "the page to write (one self-contained HTML file)" },
	{ "from", "only frames read between T and T' on the local\nclock (as dump)" },
	{ "to", "see --from" },
	{ "thresholds", "TLB IPIs/s per core where the heatmap turns\nyellow and red (default 5,20)" },
	HELP_OPTS,
	{ NULL, NULL },
};

static const struct cmd_opt diff_opts[] = {
	{ "html", "write an HTML page (-o FILE) instead of text" },
	{ "output", "the --html page" },
	HELP_OPTS,
	{ NULL, NULL },
};

/* In the order stormtop --help lists them. */
const struct command cmd_table[] = {
	{ "", MODE_LIVE, "watch this host live", "stormtop [OPTIONS]", live_opts,
	  CMD_CONFIG | CMD_HOST, run_live },
	{ "record", MODE_RECORD, "record without a UI", "stormtop record -o FILE [OPTIONS]   (--trigger storm -o DIR/)", record_opts,
	  CMD_CONFIG | CMD_HOST, run_record },
	{ "play", MODE_PLAY, "replay a recording in the UI", "stormtop play FILE   (or -r FILE)",
	  play_opts, CMD_CONFIG, run_play },
	{ "dump", MODE_DUMP, "print a recording", "stormtop dump FILE --format csv|json", dump_opts, 0,
	  dump_run },
	{ "drill", MODE_DRILL, "replay a recording through the controller",
	  "stormtop drill FILE [--set K=V]...", drill_opts, CMD_CONFIG, run_drill },
	{ "check", MODE_CHECK, "host settings that cause or cure storms",
	  "stormtop check [--format json]", check_opts, 0, check_run },
	{ "stacks", MODE_STACKS, "a process's call sites as folded stacks",
	  "stormtop stacks --pid N --seconds S", stacks_opts, CMD_CONFIG | CMD_HOST_LIVE, run_stacks },
	{ "report", MODE_REPORT, "a recording as one self-contained HTML page",
	  "stormtop report FILE [--from T --to T] -o storm.html", report_opts, 0, report_run },
	{ "diff", MODE_DIFF, "two recordings side by side, with what changed",
	  "stormtop diff A.rec B.rec [--html -o diff.html]", diff_opts, 0, diff_run },
};
const size_t cmd_count = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct command *cli_command(enum run_mode m)
{
	for (size_t i = 0; i < cmd_count; i++)
		if (cmd_table[i].mode == m)
			return &cmd_table[i];
	return &cmd_table[0];
}
