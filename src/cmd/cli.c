// SPDX-License-Identifier: GPL-2.0-only
#include "cmd/cli.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/exporter.h"
#include "core/frame.h"
#include "stormtop/probe.h"
#include "util/version.h"

static const char usage[] =
	"Usage: stormtop [OPTIONS]                      watch this host live\n"
	"       stormtop record -o FILE [OPTIONS]       record without a UI\n"
	"       stormtop play FILE   (or -r FILE)       replay a recording in the UI\n"
	"       stormtop dump FILE --format csv|json    print a recording\n"
	"       stormtop drill FILE [--set K=V]...      replay a recording through the\n"
	"                                               regime controller\n"
	"       stormtop check [--format json]          host settings that cause or cure\n"
	"                                               storms (exit 0 clean, 3 findings)\n"
	"Per-core TLB-shootdown, IPI and run-queue monitor.\n"
	"\n"
	"  -d, --delay SECONDS     sampling interval (0.05..3600, default 1)\n"
	"  -n, --iterations N      stop after N samples (default: run until q)\n"
	"      --cpus LIST         show only these CPUs, e.g. 0-3,8\n"
	"      --thresholds W,C    per-core IPIs/s where the heatmap turns\n"
	"                          yellow and red (default 5,20)\n"
	"      --history N         samples kept for the heatmap (default 600)\n"
	"  -b, --batch             print tab-separated samples instead of the UI\n"
	"      --no-color          monochrome (also when NO_COLOR is set)\n"
	"      --theme NAME        colour theme: default, dark, light, monochrome,\n"
	"                          colorblind, or a file (themes/README.md)\n"
	"      --synthetic CPUS[:NODES]  a made-up host with moving storms instead\n"
	"                          of the collectors (demos, many-core views)\n"
	"      --prefix DIR        read /proc and /sys under DIR (fixtures, tests;\n"
	"                          --root is the same)\n"
	"      --disable LIST      collectors or tracepoints to leave off: bpf,\n"
	"                          perf, or tracepoint names (sched_switch, ...)\n"
	"      --raw-tp            attach raw_tp programs even where tp_btf works\n"
	"      --probes            load the collectors, print each program's kind,\n"
	"                          recursion misses and state with its whole reason\n"
	"                          (tab-separated) and exit\n"
	"Applications (see include/stormtop/probe.h):\n"
	"      --attach NAME       read the app's stormprobe segment\n"
	"                          /dev/shm/stormprobe.NAME (repeatable, up to 4)\n"
	"      --attach-owner USER also trust segments owned by USER (name or uid);\n"
	"                          by default only yours and root's\n"
	"      --jitter-probe LIST one thread per listed CPU sleeps to a 1 ms grid\n"
	"                          and reports its lateness as dispatch jitter\n"
	"Regime controller (docs/REGIME.md):\n"
	"      --config FILE       thresholds (default $XDG_CONFIG_HOME/stormtop/stormtoprc)\n"
	"      --set KEY=VALUE     one threshold, over the file (repeatable)\n"
	"      --publish NAME      publish the host regime to applications in\n"
	"                          /dev/shm/stormprobe.NAME (include/README.md)\n"
	"Prometheus (docs/PROMETHEUS.md):\n"
	"      --prometheus [HOST:]PORT  serve /metrics (live and record); HOST\n"
	"                          defaults to 127.0.0.1, port 0 picks a free one\n"
	"      --prometheus-top K  processes named in /metrics (0..20, default 10);\n"
	"                          the rest are summed into pid=\"other\"\n"
	"Recording and playback:\n"
	"  -o, --output FILE       record: the file (appended to if it exists and\n"
	"                          is yours); live: where the w key records\n"
	"      --follow-symlink    record, w: append through a symlink at FILE\n"
	"                          (refused by default)\n"
	"      --duration D        record: stop after D (30, 30s, 10m, 2h)\n"
	"      --rotate SIZE|daily record: start a new file past SIZE (500K,\n"
	"                          100M, 1G) or at midnight; the old one is\n"
	"                          renamed FILE.YYYYmmdd-HHMMSS\n"
	"      --keep N            record: keep the newest N rotated files\n"
	"  -r FILE                 play FILE (as 'stormtop play FILE')\n"
	"      --format csv|json   dump: CSV rows per frame and CPU, or JSON lines;\n"
	"                          check: text or json\n"
	"      --from T, --to T    dump: only frames read between T and T' on the local\n"
	"                          clock (hh:mm[:ss] on the day it occurs, or\n"
	"                          YYYY-mm-dd hh:mm[:ss]); ambiguity said on stderr\n"
	"      --metrics LIST      dump: only these per-CPU columns (see docs/FORMAT.md)\n"
	"  -h, --help              this text\n"
	"  -V, --version           version\n"
	"\n"
	"Keys: q/F10 quit, space pause, +/- interval, 1-5 heatmap, s sort, w record,\n"
	"arrows/PgUp/PgDn/Home/End scroll.  Playback: t/T step, [/] 1 min, {/} 10 min,\n"
	"b go to a time, +/- speed, n/N next/previous burst.\n"
	"Exit status: 0 ok, 1 could not start (no terminal, no memory) or dump\n"
	"selected no frame, 2 bad arguments, 3 check found settings to change.\n";

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* What --disable accepts: the collectors, and every tracepoint they hook
 * (the sections of the bpf/ programs).  A typo must not silently do nothing. */
static const char *const disable_names[] = {
	"bpf", "perf", "tlb_flush", "csd_queue_cpu", "csd_function_entry", "csd_function_exit",
	"call_function_entry", "call_function_exit", "call_function_single_entry",
	"call_function_single_exit", "sched_wakeup", "sched_wakeup_new", "sched_switch",
	"sys_enter", "page_fault_user", "sched_process_exec", "task_rename", "mm_migrate_pages", "mm_compaction_begin",
	"mm_vmscan_direct_reclaim_begin", "mm_vmscan_direct_reclaim_end", "map", "unmap",
	"qi_submit", "cache_tag_flush_all", "cache_tag_flush_range", "cache_tag_flush_range_np",
};

static int check_disable(const char *list, char *err, size_t errlen)
{
	const char *p = list;

	do {
		size_t len = strcspn(p, ",");
		size_t i, n = sizeof(disable_names) / sizeof(disable_names[0]);

		for (i = 0; i < n; i++)
			if (strlen(disable_names[i]) == len && strncmp(disable_names[i], p, len) == 0)
				break;
		if (i == n) {
			snprintf(err, errlen, "--disable: unknown name '%.*s' (see --probes)", (int)len, p);
			return -1;
		}
		p += len;
	} while (*p++ == ',');
	return 0;
}

static int parse_thresholds(const char *s, struct options *o)
{
	char buf[64], *comma;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	comma = strchr(buf, ',');
	if (!comma)
		return -1;
	*comma = '\0';
	if (parse_double(buf, 0.001, 1e9, &o->warn_rate) < 0 ||
	    parse_double(comma + 1, 0.001, 1e9, &o->crit_rate) < 0)
		return -1;
	return o->warn_rate < o->crit_rate ? 0 : -1;
}

/* "256" or "256:4". */
static int parse_synthetic(const char *arg, struct options *o)
{
	long cpus, nodes = 1;
	char buf[32];
	char *colon;

	snprintf(buf, sizeof(buf), "%s", arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (parse_long(buf, 1, FRAME_MAX_CPUS, &cpus) < 0 ||
	    (colon && parse_long(colon + 1, 1, cpus < FRAME_MAX_NODES ? cpus : FRAME_MAX_NODES, &nodes) < 0))
		return -1;
	o->synth_cpus = (uint32_t)cpus;
	o->synth_nodes = (uint32_t)nodes;
	return 0;
}

enum { OPT_CPUS = 256, OPT_THRESH, OPT_HISTORY, OPT_NOCOLOR, OPT_ROOT, OPT_DISABLE,
       OPT_RAWTP, OPT_PROBES, OPT_DURATION, OPT_ROTATE, OPT_KEEP, OPT_FORMAT, OPT_FROM, OPT_TO,
       OPT_METRICS, OPT_ATTACH, OPT_ATTACH_OWNER, OPT_JITTER, OPT_CONFIG, OPT_SET, OPT_PUBLISH,
       OPT_THEME, OPT_SYNTH, OPT_PROM, OPT_PROM_TOP, OPT_FOLLOW };

static const struct option longopts[] = {
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "thresholds", required_argument, NULL, OPT_THRESH },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "batch", no_argument, NULL, 'b' },
	{ "no-color", no_argument, NULL, OPT_NOCOLOR },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "prefix", required_argument, NULL, OPT_ROOT },
	{ "prometheus", required_argument, NULL, OPT_PROM },
	{ "prometheus-top", required_argument, NULL, OPT_PROM_TOP },
	{ "disable", required_argument, NULL, OPT_DISABLE },
	{ "raw-tp", no_argument, NULL, OPT_RAWTP },
	{ "probes", no_argument, NULL, OPT_PROBES },
	{ "output", required_argument, NULL, 'o' },
	{ "follow-symlink", no_argument, NULL, OPT_FOLLOW },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "rotate", required_argument, NULL, OPT_ROTATE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "attach", required_argument, NULL, OPT_ATTACH },
	{ "attach-owner", required_argument, NULL, OPT_ATTACH_OWNER },
	{ "jitter-probe", required_argument, NULL, OPT_JITTER },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "set", required_argument, NULL, OPT_SET },
	{ "publish", required_argument, NULL, OPT_PUBLISH },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "synthetic", required_argument, NULL, OPT_SYNTH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void defaults(struct options *o)
{
	const char *nc = getenv("NO_COLOR");

	*o = (struct options){
		.interval_s = 1.0, .warn_rate = 5, .crit_rate = 20, .history = 600,
		.no_color = nc && *nc, .root = "", .attach_owner = -1, .prom_top = 10,
	};
}

/* "30", "30s", "10m", "2h", "1d" -> seconds. */
static int parse_duration(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	double unit = *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 1;

	if (end == s || !isfinite(v) || v <= 0 || (*end && end[1]) || (*end && !strchr("smhd", *end)))
		return -1;
	*out = v * unit;
	return 0;
}

/* "500K", "100M", "1G", or plain bytes; at least 64 KiB. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	double v = strtod(s, &end);
	double unit = (*end | 0x20) == 'k' ? 1024.0 : (*end | 0x20) == 'm' ? 1048576.0 :
		      (*end | 0x20) == 'g' ? 1073741824.0 : 1;

	if (end == s || !isfinite(v) || (*end && end[1]) || (*end && !strchr("kKmMgG", *end)) ||
	    v * unit < 65536 || v * unit > 1e15)
		return -1;
	*out = (uint64_t)(v * unit);
	return 0;
}

/* The options about applications publishing their latencies. */
static enum cli_result apply_app(int c, const char *arg, struct options *o, char *err, size_t errlen)
{
	struct passwd *pw;
	long v;

	switch (c) {
	case OPT_ATTACH:
		if (o->nattach < CLI_MAX_ATTACH && arg[0]) {
			o->attach[o->nattach++] = arg;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--attach: %s", arg[0] ? "at most 4 applications" : "empty name");
		return CLI_ERROR;
	case OPT_ATTACH_OWNER:
		if (parse_long(arg, 0, 0x7fffffff, &o->attach_owner) == 0)
			return CLI_RUN;
		if ((pw = getpwnam(arg))) {
			o->attach_owner = (long)pw->pw_uid;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--attach-owner: no user '%s'", arg);
		return CLI_ERROR;
	case OPT_JITTER: o->jitter_cpus = arg; return CLI_RUN;
	case OPT_CONFIG: o->config = arg; return CLI_RUN;
	case OPT_PUBLISH: o->publish = arg; return CLI_RUN;
	case OPT_PROM: o->prometheus = arg; return CLI_RUN;
	case OPT_PROM_TOP:
		if (parse_long(arg, 0, FRAME_TOP_PROCS, &v) == 0) {
			o->prom_top = (uint32_t)v;
			o->given |= GIVEN_PROM_TOP;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--prometheus-top: '%s' is not a count in 0..%d", arg, FRAME_TOP_PROCS);
		return CLI_ERROR;
	case OPT_SET:
		if (o->nsets < CLI_MAX_SETS) {
			o->sets[o->nsets++] = arg;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--set: at most %d", CLI_MAX_SETS);
		return CLI_ERROR;
	}
	snprintf(err, errlen, "unhandled option (see stormtop --help)");
	return CLI_ERROR;
}

/* The options of recording, playback and dump. */
static enum cli_result apply_rec(int c, const char *arg, struct options *o, char *err, size_t errlen)
{
	long v;

	switch (c) {
	case 'o': o->file = arg; return CLI_RUN;
	case OPT_FOLLOW: o->follow_symlink = 1; return CLI_RUN;
	case 'r': o->mode = MODE_PLAY; o->file = arg; return CLI_RUN;
	case OPT_DURATION:
		if (parse_duration(arg, &o->duration_s) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--duration: '%s' is not a duration (30, 30s, 10m, 2h)", arg);
		return CLI_ERROR;
	case OPT_ROTATE:
		if (strcmp(arg, "daily") == 0) {
			o->rotate_daily = 1;
			return CLI_RUN;
		}
		if (parse_size(arg, &o->rotate_bytes) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--rotate: '%s' is not 'daily' or a size of at least 64K", arg);
		return CLI_ERROR;
	case OPT_KEEP:
		if (parse_long(arg, 1, 100000, &v) == 0) {
			o->keep = (unsigned int)v;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--keep: '%s' is not a count in 1..100000", arg);
		return CLI_ERROR;
	case OPT_FORMAT:
		if (strcmp(arg, "csv") == 0 || strcmp(arg, "json") == 0 || strcmp(arg, "text") == 0) {
			o->format = arg;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--format: '%s' is not csv, json or text", arg);
		return CLI_ERROR;
	case OPT_FROM: o->from = arg; return CLI_RUN;
	case OPT_TO: o->to = arg; return CLI_RUN;
	case OPT_METRICS: o->metrics = arg; return CLI_RUN;
	default: return apply_app(c, arg, o, err, errlen);
	}
	snprintf(err, errlen, "unhandled option (see stormtop --help)");
	return CLI_ERROR;
}

/* Applies one option; returns the result, with err set on CLI_ERROR. */
static enum cli_result apply(int c, const char *arg, struct options *o, char *err, size_t errlen)
{
	long v;

	switch (c) {
	case 'd':
		if (parse_double(arg, 0.05, 3600, &o->interval_s) == 0) {
			o->given |= GIVEN_INTERVAL;
			return CLI_RUN;
		}
		snprintf(err, errlen, "-d: '%s' is not a number of seconds in 0.05..3600", arg);
		return CLI_ERROR;
	case 'n':
		if (parse_long(arg, 1, 1000000000L, &o->iterations) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "-n: '%s' is not a positive count", arg);
		return CLI_ERROR;
	case OPT_CPUS: o->cpus = arg; return CLI_RUN;
	case OPT_THRESH:
		if (parse_thresholds(arg, o) == 0) {
			o->given |= GIVEN_THRESHOLDS;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--thresholds: '%s' is not WARN,CRIT with 0 < WARN < CRIT", arg);
		return CLI_ERROR;
	case OPT_HISTORY:
		if (parse_long(arg, 10, 100000, &v) == 0) {
			o->history = (uint32_t)v;
			o->given |= GIVEN_HISTORY;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--history: '%s' is not a count in 10..100000", arg);
		return CLI_ERROR;
	case 'b': o->batch = 1; return CLI_RUN;
	case OPT_NOCOLOR: o->no_color = 1; return CLI_RUN;
	case OPT_THEME: o->theme = arg; return CLI_RUN;
	case OPT_SYNTH:
		if (parse_synthetic(arg, o) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--synthetic: '%s' is not CPUS[:NODES] with 1..4096 CPUs and 1..CPUS nodes", arg);
		return CLI_ERROR;
	case OPT_ROOT: o->root = arg; return CLI_RUN;
	case OPT_DISABLE:
		if (check_disable(arg, err, errlen) < 0)
			return CLI_ERROR;
		o->disable = arg;
		return CLI_RUN;
	case OPT_RAWTP: o->raw_tp = 1; return CLI_RUN;
	case OPT_PROBES: o->probes = 1; return CLI_RUN;
	case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
	case 'V': printf("stormtop %s\n", STORMTOP_VERSION); return CLI_EXIT_OK;
	default:
		return apply_rec(c, arg, o, err, errlen);
	}
}

static enum run_mode mode_of(const char *word)
{
	return strcmp(word, "record") == 0 ? MODE_RECORD : strcmp(word, "play") == 0 ? MODE_PLAY :
	       strcmp(word, "dump") == 0 ? MODE_DUMP : strcmp(word, "drill") == 0 ? MODE_DRILL :
	       strcmp(word, "check") == 0 ? MODE_CHECK : MODE_LIVE;
}

/* What each mode needs, once every option is read. */
static enum cli_result check_mode(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	char path[256];
	int reads = o->mode == MODE_PLAY || o->mode == MODE_DUMP || o->mode == MODE_DRILL;

	if (reads && !o->file && optind < argc)
		o->file = argv[optind++];
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s' (see stormtop --help)", argv[optind]);
		return CLI_ERROR;
	}
	for (unsigned int i = 0; i < o->nattach; i++) {
		if (!strchr(o->attach[i], '/') && stormprobe_path(o->attach[i], path, sizeof(path)) < 0) {
			snprintf(err, errlen, "--attach: '%s' is not a segment name ([A-Za-z0-9_.-]) or a path",
				 o->attach[i]);
			return CLI_ERROR;
		}
	}
	if (o->mode == MODE_RECORD && !o->file) {
		snprintf(err, errlen, "record: which file? (-o FILE)");
		return CLI_ERROR;
	}
	if (reads && !o->file) {
		const char *m = o->mode == MODE_PLAY ? "play" : o->mode == MODE_DUMP ? "dump" : "drill";

		snprintf(err, errlen, "%s: which recording? (stormtop %s FILE)", m, m);
		return CLI_ERROR;
	}
	if (o->mode == MODE_DUMP && !o->format)
		o->format = "csv";
	if ((o->mode == MODE_DRILL || o->mode == MODE_CHECK) && !o->format)
		o->format = "text";
	if (o->mode == MODE_CHECK && strcmp(o->format, "csv") == 0) {
		snprintf(err, errlen, "check: --format is text or json");
		return CLI_ERROR;
	}
	if (o->prometheus && o->mode != MODE_LIVE && o->mode != MODE_RECORD) {
		snprintf(err, errlen, "--prometheus: only live and record serve metrics");
		return CLI_ERROR;
	}
	if (o->prometheus && exporter_parse_addr(o->prometheus, &(struct sockaddr_storage){ 0 },
						 &(socklen_t){ 0 }, err, errlen) < 0)
		return CLI_ERROR;
	if (o->mode == MODE_DRILL && strcmp(o->format, "csv") == 0) {
		snprintf(err, errlen, "drill: --format is text or json");
		return CLI_ERROR;
	}
	if (o->publish && !strchr(o->publish, '/') && stormprobe_path(o->publish, path, sizeof(path)) < 0) {
		snprintf(err, errlen, "--publish: '%s' is not a segment name ([A-Za-z0-9_.-])", o->publish);
		return CLI_ERROR;
	}
	if (o->file && !o->file[0]) {
		snprintf(err, errlen, "empty file name");
		return CLI_ERROR;
	}
	return CLI_RUN;
}

enum cli_result cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	int c;

	defaults(o);
	opterr = 0; /* we print our own one-line error */
	optind = 1;
	if (argc > 1 && (o->mode = mode_of(argv[1])) != MODE_LIVE)
		optind = 2;
	while ((c = getopt_long(argc, argv, ":d:n:bhVo:r:", longopts, NULL)) != -1) {
		enum cli_result r;

		if (c == '?' || c == ':') {
			snprintf(err, errlen, "%s option '%s' (see stormtop --help)",
				 c == ':' ? "missing value for" : "unknown", argv[optind - 1]);
			return CLI_ERROR;
		}
		r = apply(c, optarg, o, err, errlen);

		if (r != CLI_RUN)
			return r;
	}
	return check_mode(argc, argv, o, err, errlen);
}
