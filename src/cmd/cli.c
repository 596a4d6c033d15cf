// SPDX-License-Identifier: GPL-2.0-only
#include "cmd/cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/hostfs.h"
#include "export/exporter.h"
#include "core/frame.h"
#include "stormtop/probe.h"
#include "ui/keytable.h"
#include "util/version.h"

static const char exit_status[] =
	"Exit status: 0 ok, 1 could not start (no terminal, no memory) or dump\n"
	"selected no frame, 2 bad arguments, 3 check found settings to change.\n";

/* A number as a user types one: starts with a digit (or ".5"), decimal.
 * strtod/strtol also take leading blanks, a sign, hex ("0x1") and
 * "infinity", so " 10" passed while "10 " did not; every option says its
 * number the one way. */
static int decimal(const char *s)
{
	return (isdigit((unsigned char)s[0]) || (s[0] == '.' && isdigit((unsigned char)s[1]))) &&
	       !strpbrk(s, "xX");
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!decimal(s))
		return -1;
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

	if (!decimal(s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* A cgroup v2 path as frame_cgroup.path holds it: from the mount's root,
 * below FRAME_CGROUP_PATH bytes, no empty, "." or ".." component.  The
 * kernel names no cgroup "." or "..", so such a path either climbs out of
 * the mount (stat finds /etc) or names another cgroup than it spells; the
 * filter compares strings, so it would keep no process, without a word. */
static int cgroup_path_ok(const char *s)
{
	if (s[0] != '/' || strlen(s) >= FRAME_CGROUP_PATH || strstr(s, "//"))
		return 0;
	for (const char *p = s; (p = strchr(p, '/')); p++)
		if (p[1] == '.' && (p[2] == '/' || !p[2] || (p[2] == '.' && (p[3] == '/' || !p[3]))))
			return 0;
	return 1;
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
	if (parse_double(buf, 0.001, 1e9, &o->view.warn_rate) < 0 ||
	    parse_double(comma + 1, 0.001, 1e9, &o->view.crit_rate) < 0)
		return -1;
	return o->view.warn_rate < o->view.crit_rate ? 0 : -1;
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
	o->host.synth_cpus = (uint32_t)cpus;
	o->host.synth_nodes = (uint32_t)nodes;
	return 0;
}

enum { OPT_CPUS = 256, OPT_THRESH, OPT_HISTORY, OPT_NOCOLOR, OPT_ROOT, OPT_DISABLE,
       OPT_RAWTP, OPT_PROBES, OPT_DURATION, OPT_ROTATE, OPT_KEEP, OPT_FORMAT, OPT_FROM, OPT_TO,
       OPT_METRICS, OPT_ATTACH, OPT_ATTACH_OWNER, OPT_JITTER, OPT_CONFIG, OPT_SET, OPT_PUBLISH,
       OPT_THEME, OPT_SYNTH, OPT_PROM, OPT_PROM_TOP, OPT_FOLLOW, OPT_PID, OPT_SECONDS,
       OPT_TRIGGER, OPT_PRE, OPT_POST, OPT_TRIGGER_DIR, OPT_TRIGGER_MEM, OPT_HTML, OPT_CGROUP };

/* One row per option: how it is spelled, what value it takes (named in
 * help) and the code apply() switches on.  Which commands take it is
 * cmd_table[]'s business. */
struct opt_def {
	const char *name;   /* long name, or NULL for a short-only one */
	int val;            /* the short letter, or OPT_* */
	int has_arg;
	const char *arg;    /* the value's name in help, or NULL */
};

static const struct opt_def opt_defs[] = {
	{ "delay", 'd', required_argument, "SECONDS" },
	{ "iterations", 'n', required_argument, "N" },
	{ "cpus", OPT_CPUS, required_argument, "LIST" },
	{ "cgroup", OPT_CGROUP, required_argument, "PATH" },
	{ "thresholds", OPT_THRESH, required_argument, "W,C" },
	{ "history", OPT_HISTORY, required_argument, "N" },
	{ "batch", 'b', no_argument, NULL },
	{ "no-color", OPT_NOCOLOR, no_argument, NULL },
	{ "theme", OPT_THEME, required_argument, "NAME" },
	{ "synthetic", OPT_SYNTH, required_argument, "CPUS[:NODES]" },
	{ "prefix", OPT_ROOT, required_argument, "DIR" },
	{ "root", OPT_ROOT, required_argument, "DIR" },
	{ "disable", OPT_DISABLE, required_argument, "LIST" },
	{ "raw-tp", OPT_RAWTP, no_argument, NULL },
	{ "probes", OPT_PROBES, no_argument, NULL },
	{ "attach", OPT_ATTACH, required_argument, "NAME" },
	{ "attach-owner", OPT_ATTACH_OWNER, required_argument, "USER" },
	{ "jitter-probe", OPT_JITTER, required_argument, "LIST" },
	{ "config", OPT_CONFIG, required_argument, "FILE" },
	{ "set", OPT_SET, required_argument, "KEY=VALUE" },
	{ "publish", OPT_PUBLISH, required_argument, "NAME" },
	{ "prometheus", OPT_PROM, required_argument, "[HOST:]PORT" },
	{ "prometheus-top", OPT_PROM_TOP, required_argument, "K" },
	{ "output", 'o', required_argument, "FILE" },
	{ "follow-symlink", OPT_FOLLOW, no_argument, NULL },
	{ "duration", OPT_DURATION, required_argument, "D" },
	{ "rotate", OPT_ROTATE, required_argument, "SIZE|daily" },
	{ "keep", OPT_KEEP, required_argument, "N" },
	{ "trigger", OPT_TRIGGER, required_argument, "storm" },
	{ "pre", OPT_PRE, required_argument, "D" },
	{ "post", OPT_POST, required_argument, "D" },
	{ "trigger-dir", OPT_TRIGGER_DIR, required_argument, "DIR" },
	{ "trigger-mem", OPT_TRIGGER_MEM, required_argument, "SIZE" },
	{ "format", OPT_FORMAT, required_argument, "FMT" },
	{ "from", OPT_FROM, required_argument, "T" },
	{ "to", OPT_TO, required_argument, "T" },
	{ "metrics", OPT_METRICS, required_argument, "LIST" },
	{ "pid", OPT_PID, required_argument, "N" },
	{ "seconds", OPT_SECONDS, required_argument, "S" },
	{ "html", OPT_HTML, no_argument, NULL },
	{ NULL, 'r', required_argument, "FILE" },
	{ "help", 'h', no_argument, NULL },
	{ "version", 'V', no_argument, NULL },
};
#define NOPTS (sizeof(opt_defs) / sizeof(opt_defs[0]))

static const struct opt_def *opt_by_val(int val)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opt_defs[i].val == val)
			return &opt_defs[i];
	return NULL;
}

/* A command's option row names "r" for -r, else a long name. */
static const struct opt_def *opt_by_name(const char *name)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (opt_defs[i].name ? strcmp(opt_defs[i].name, name) == 0
				     : name[0] == opt_defs[i].val && !name[1])
			return &opt_defs[i];
	return NULL;
}

/* Whether cmd takes the option with code val (--root is --prefix). */
static int takes(const struct command *cmd, int val)
{
	for (const struct cmd_opt *c = cmd->opts; c->name; c++) {
		const struct opt_def *d = opt_by_name(c->name);

		if (d && d->val == val)
			return 1;
	}
	return 0;
}

static const char *cmd_label(const struct command *cmd)
{
	return cmd->name[0] ? cmd->name : "live";
}

/* "--delay" or "-r": how help and errors spell it. */
static void opt_spelling(const struct opt_def *d, char *buf, size_t n)
{
	if (d->name)
		snprintf(buf, n, "--%s", d->name);
	else
		snprintf(buf, n, "-%c", d->val);
}

/* "play: --prometheus is not an option of play; only live and record take
 * it (see stormtop play --help)". */
static enum cli_result not_taken(const struct command *cmd, int val, char *err, size_t errlen)
{
	const struct opt_def *d = opt_by_val(val);
	char name[32], who[96] = "";
	size_t n = 0, k = 0, used = 0;

	opt_spelling(d, name, sizeof(name));
	for (size_t i = 0; i < cmd_count; i++)
		n += (size_t)takes(&cmd_table[i], val);
	for (size_t i = 0; i < cmd_count && used < sizeof(who); i++)
		if (takes(&cmd_table[i], val))
			used += (size_t)snprintf(who + used, sizeof(who) - used, "%s%s",
						 k++ == 0 ? "" : k == n ? " and " : ", ", cmd_label(&cmd_table[i]));
	snprintf(err, errlen, "%s: %s is not an option of %s; only %s take%s it (see stormtop%s%s --help)",
		 cmd_label(cmd), name, cmd_label(cmd), who, n == 1 ? "s" : "", cmd->name[0] ? " " : "",
		 cmd->name);
	return CLI_ERROR;
}

/* Each of the command's options: "  -d, --delay SECONDS" and its help,
 * continuation lines under the help column. */
static void print_opts(const struct command *cmd, FILE *out)
{
	enum { COL = 26 };

	for (const struct cmd_opt *c = cmd->opts; c->name; c++) {
		const struct opt_def *d = opt_by_name(c->name);
		char left[64];
		int w;

		if (!d)
			continue;
		if (d->name && d->val < 128)
			w = snprintf(left, sizeof(left), "  -%c, --%s", d->val, d->name);
		else if (d->name)
			w = snprintf(left, sizeof(left), "      --%s", d->name);
		else
			w = snprintf(left, sizeof(left), "  -%c", d->val);
		if (d->arg)
			w += snprintf(left + w, sizeof(left) - (size_t)w, " %s", d->arg);
		fprintf(out, "%-*s  ", COL - 2, left); /* a long one pushes its help right */
		for (const char *p = c->help; *p; p++) {
			fputc(*p, out);
			if (*p == '\n')
				fprintf(out, "%*s", COL, "");
		}
		fputc('\n', out);
	}
}

/* stormtop --help: every command's synopsis, then the live command's
 * options; stormtop CMD --help: that command's synopsis and options. */
static void print_help(const struct command *cmd, FILE *out)
{
	if (cmd->mode == MODE_LIVE) {
		for (size_t i = 0; i < cmd_count; i++) {
			const char *lead = i ? "      " : "Usage:", *u = cmd_table[i].usage;

			/* a synopsis past its column puts the summary under the
			 * others, not run on after it */
			if (strlen(u) > 38)
				fprintf(out, "%s %s\n%46s%s\n", lead, u, "", cmd_table[i].summary);
			else
				fprintf(out, "%s %-38s %s\n", lead, u, cmd_table[i].summary);
		}
		fputs("Per-core TLB-shootdown, IPI and run-queue monitor.\n"
		      "'stormtop COMMAND --help' lists a command's own options.\n\n", out);
	} else {
		fprintf(out, "Usage: %s\n%c%s.\n\n", cmd->usage, cmd->summary[0] & ~0x20, cmd->summary + 1);
	}
	print_opts(cmd, out);
	fputs("\n", out);
	if (cmd->mode == MODE_LIVE || cmd->mode == MODE_PLAY) { /* the list F1 shows */
		fputs("Keys (F1 in the UI shows them too):\n", out);
		key_help_print(out, 79);
		fputs("\n", out);
	}
	fputs(exit_status, out);
}

static void defaults(struct options *o)
{
	const char *nc = getenv("NO_COLOR");

	*o = (struct options){
		.tick = { .interval_s = 1.0 },
		.view = { .warn_rate = 5, .crit_rate = 20, .history = 600, .no_color = nc && *nc },
		.host = { .root = "", .attach_owner = -1, .prom_top = 10 },
		.rec = { .pre_s = 300, .post_s = 120, .trigger_mem = 64ull << 20 },
	};
}

/* "30", "30s", "10m", "2h", "1d" -> seconds. */
static int parse_duration(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	double unit = *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 1;

	if (!decimal(s) || end == s || !isfinite(v) || v <= 0 || (*end && end[1]) || (*end && !strchr("smhd", *end)))
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

	if (!decimal(s) || end == s || !isfinite(v) || (*end && end[1]) || (*end && !strchr("kKmMgG", *end)) ||
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
		if (o->host.nattach < CLI_MAX_ATTACH && arg[0]) {
			o->host.attach[o->host.nattach++] = arg;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--attach: %s", arg[0] ? "at most 4 applications" : "empty name");
		return CLI_ERROR;
	case OPT_ATTACH_OWNER:
		if (parse_long(arg, 0, 0x7fffffff, &o->host.attach_owner) == 0)
			return CLI_RUN;
		if ((pw = getpwnam(arg))) {
			o->host.attach_owner = (long)pw->pw_uid;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--attach-owner: no user '%s'", arg);
		return CLI_ERROR;
	case OPT_JITTER: o->host.jitter_cpus = arg; return CLI_RUN;
	case OPT_CONFIG: o->settings.config = arg; return CLI_RUN;
	case OPT_PUBLISH: o->host.publish = arg; return CLI_RUN;
	case OPT_PROM: o->host.prometheus = arg; return CLI_RUN;
	case OPT_PROM_TOP:
		if (parse_long(arg, 0, FRAME_TOP_PROCS, &v) == 0) {
			o->host.prom_top = (uint32_t)v;
			o->given |= GIVEN_PROM_TOP;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--prometheus-top: '%s' is not a count in 0..%d", arg, FRAME_TOP_PROCS);
		return CLI_ERROR;
	case OPT_SET:
		if (o->settings.nsets < CLI_MAX_SETS) {
			o->settings.sets[o->settings.nsets++] = arg;
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
	case 'o':
		*(o->mode == MODE_STACKS ? &o->stacks.out :
		  o->mode == MODE_REPORT || o->mode == MODE_DIFF ? &o->page.out : &o->file) = arg;
		return CLI_RUN;
	case OPT_FOLLOW: o->rec.follow_symlink = 1; return CLI_RUN;
	case 'r': o->mode = MODE_PLAY; o->file = arg; return CLI_RUN;
	case OPT_DURATION:
		if (parse_duration(arg, &o->rec.duration_s) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--duration: '%s' is not a duration (30, 30s, 10m, 2h)", arg);
		return CLI_ERROR;
	case OPT_ROTATE:
		if (strcmp(arg, "daily") == 0) {
			o->rec.rotate_daily = 1;
			return CLI_RUN;
		}
		if (parse_size(arg, &o->rec.rotate_bytes) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--rotate: '%s' is not 'daily' or a size of at least 64K", arg);
		return CLI_ERROR;
	case OPT_KEEP:
		if (parse_long(arg, 1, 100000, &v) == 0) {
			o->rec.keep = (unsigned int)v;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--keep: '%s' is not a count in 1..100000", arg);
		return CLI_ERROR;
	case OPT_TRIGGER: o->rec.trigger = arg; return CLI_RUN;
	case OPT_PRE:
	case OPT_POST:
		o->rec.trigger_opts = 1;
		if (parse_duration(arg, c == OPT_PRE ? &o->rec.pre_s : &o->rec.post_s) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--%s: '%s' is not a duration (30, 30s, 10m, 2h)", c == OPT_PRE ? "pre" : "post", arg);
		return CLI_ERROR;
	case OPT_TRIGGER_DIR: o->rec.trigger_dir = arg; o->rec.trigger_opts = 1; return CLI_RUN;
	case OPT_TRIGGER_MEM:
		o->rec.trigger_opts = 1;
		if (parse_size(arg, &o->rec.trigger_mem) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--trigger-mem: '%s' is not a size of at least 64K", arg);
		return CLI_ERROR;
	case OPT_FORMAT: {
		/* dump prints rows (csv or json), drill and check a report (text
		 * or json): each is told only its own, and dump's "text" was
		 * taken and printed as json */
		const char *own = o->mode == MODE_DUMP ? "csv" : "text";

		if (strcmp(arg, own) == 0 || strcmp(arg, "json") == 0) {
			o->read.format = arg;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--format: '%s' is not %s or json", arg, own);
		return CLI_ERROR;
	}
	case OPT_FROM: o->read.from = arg; return CLI_RUN;
	case OPT_TO: o->read.to = arg; return CLI_RUN;
	case OPT_METRICS: o->read.metrics = arg; return CLI_RUN;
	case OPT_HTML: o->page.html = 1; return CLI_RUN;
	case OPT_PID:
		if (parse_long(arg, 1, 0x7fffffff, &v) == 0) {
			o->stacks.pid = (int32_t)v;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--pid: '%s' is not a process id", arg);
		return CLI_ERROR;
	case OPT_SECONDS:
		if (parse_double(arg, 0.1, 86400, &o->stacks.seconds) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--seconds: '%s' is not a number of seconds in 0.1..86400", arg);
		return CLI_ERROR;
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
		if (parse_double(arg, 0.05, 3600, &o->tick.interval_s) == 0) {
			o->given |= GIVEN_INTERVAL;
			return CLI_RUN;
		}
		snprintf(err, errlen, "-d: '%s' is not a number of seconds in 0.05..3600", arg);
		return CLI_ERROR;
	case 'n':
		if (parse_long(arg, 1, 1000000000L, &o->tick.iterations) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "-n: '%s' is not a positive count", arg);
		return CLI_ERROR;
	case OPT_CPUS: o->view.cpus = arg; return CLI_RUN;
	case OPT_CGROUP:
		/* a path as the cgroup2 mount names it: what frame_cgroup.path holds */
		if (cgroup_path_ok(arg)) {
			o->view.cgroup = arg;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--cgroup: '%.*s' is not a cgroup v2 path from the mount's root "
			 "(e.g. /system.slice/docker-ID.scope, below %d bytes, no . or ..)", 64, arg, FRAME_CGROUP_PATH);
		return CLI_ERROR;
	case OPT_THRESH:
		if (parse_thresholds(arg, o) == 0) {
			o->given |= GIVEN_THRESHOLDS;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--thresholds: '%s' is not WARN,CRIT with 0 < WARN < CRIT", arg);
		return CLI_ERROR;
	case OPT_HISTORY:
		if (parse_long(arg, 10, 100000, &v) == 0) {
			o->view.history = (uint32_t)v;
			o->given |= GIVEN_HISTORY;
			return CLI_RUN;
		}
		snprintf(err, errlen, "--history: '%s' is not a count in 10..100000", arg);
		return CLI_ERROR;
	case 'b': o->live.batch = 1; return CLI_RUN;
	case OPT_NOCOLOR: o->view.no_color = 1; return CLI_RUN;
	case OPT_THEME: o->view.theme = arg; return CLI_RUN;
	case OPT_SYNTH:
		if (parse_synthetic(arg, o) == 0)
			return CLI_RUN;
		snprintf(err, errlen, "--synthetic: '%s' is not CPUS[:NODES] with 1..8192 CPUs and 1..CPUS nodes", arg);
		return CLI_ERROR;
	case OPT_ROOT:
		if (strlen(arg) > HOSTFS_ROOT_MAX) {
			snprintf(err, errlen, "--root: longer than %d bytes: '%.*s...'", HOSTFS_ROOT_MAX, 64, arg);
			return CLI_ERROR;
		}
		o->host.root = arg;
		return CLI_RUN;
	case OPT_DISABLE:
		if (check_disable(arg, err, errlen) < 0)
			return CLI_ERROR;
		o->host.disable = arg;
		return CLI_RUN;
	case OPT_RAWTP: o->host.raw_tp = 1; return CLI_RUN;
	case OPT_PROBES: o->live.probes = 1; return CLI_RUN;
	case 'h': print_help(cli_command(o->mode), stdout); return CLI_EXIT_OK;
	case 'V': printf("stormtop %s\n", STORMTOP_VERSION); return CLI_EXIT_OK;
	default:
		return apply_rec(c, arg, o, err, errlen);
	}
}

/* The command the first word names; live when it names none. */
static const struct command *command_of(const char *word)
{
	for (size_t i = 1; i < cmd_count; i++)
		if (strcmp(word, cmd_table[i].name) == 0)
			return &cmd_table[i];
	return cli_command(MODE_LIVE);
}

/* stacks: live needs the pid and the seconds; a recording takes the
 * time range instead of the seconds. */
static int check_stacks(const struct options *o, char *err, size_t errlen)
{
	if (!o->file && !o->stacks.pid)
		snprintf(err, errlen, "stacks: which process? (--pid N, or a recording: stacks FILE)");
	else if (!o->file && !o->stacks.seconds)
		snprintf(err, errlen, "stacks: for how long? (--seconds S)");
	else if (!o->file && (o->read.from || o->read.to))
		snprintf(err, errlen, "stacks: --from and --to select frames of a recording (stacks FILE)");
	else if (o->file && o->stacks.seconds)
		snprintf(err, errlen, "stacks: --seconds samples live; a recording takes --from and --to");
	else if (!o->file && !hostfs_has_pid(o->host.root, o->stacks.pid))
		snprintf(err, errlen, "stacks: no process %d", (int)o->stacks.pid);
	else if (o->stacks.out && !o->stacks.out[0])
		snprintf(err, errlen, "stacks: empty file name for -o");
	else
		return 0;
	return -1;
}

/* record --trigger: with --trigger-dir DIR the recording goes to -o FILE
 * and the captures to DIR; without it -o names the captures' directory
 * and nothing is recorded continuously. */
static int check_trigger(struct options *o, char *err, size_t errlen)
{
	struct rec_opts *r = &o->rec;

	if (!r->trigger && r->trigger_opts)
		snprintf(err, errlen, "record: --pre, --post, --trigger-dir and --trigger-mem go with --trigger storm");
	else if (r->trigger && strcmp(r->trigger, "storm") != 0)
		snprintf(err, errlen, "--trigger: '%s' is not 'storm' (STORM, SAFE_DEGRADED, FLUSH_STORM, SAFE_DMA_CONTAIN)", r->trigger);
	else if (r->trigger && !r->trigger_dir && !o->file)
		snprintf(err, errlen, "record --trigger: which directory? (-o DIR/, or --trigger-dir DIR beside -o FILE)");
	else if (r->trigger && r->trigger_dir && !o->file)
		snprintf(err, errlen, "record: --trigger-dir names the captures' directory; -o FILE the recording");
	else if (r->trigger && !r->trigger_dir && (o->rec.rotate_bytes || o->rec.rotate_daily || o->rec.keep))
		snprintf(err, errlen, "record --trigger: -o names the captures' directory; to also record with --rotate, put the captures in --trigger-dir DIR");
	else
		goto ok;
	return -1;
ok:
	if (r->trigger && !r->trigger_dir) { /* -o DIR/: the captures alone */
		r->trigger_dir = o->file;
		o->file = NULL;
	}
	if (r->trigger_dir && !r->trigger_dir[0]) {
		snprintf(err, errlen, "record: empty directory name");
		return -1;
	}
	return 0;
}

/* report: a page to write; diff: a second recording, and a page for --html. */
static int check_page(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	if (o->mode == MODE_DIFF && optind < argc)
		o->page.file_b = argv[optind++];
	if (o->mode == MODE_DIFF && (!o->file || !o->page.file_b))
		snprintf(err, errlen, "diff: which two recordings? (stormtop diff A.rec B.rec)");
	else if (o->mode == MODE_REPORT && !o->file)
		snprintf(err, errlen, "report: which recording? (stormtop report FILE -o storm.html)");
	else if (o->mode == MODE_REPORT && !o->page.out)
		snprintf(err, errlen, "report: where to? (-o storm.html)");
	else if (o->mode == MODE_DIFF && o->page.html && !o->page.out)
		snprintf(err, errlen, "diff: --html writes a page: where to? (-o diff.html)");
	else if (o->mode == MODE_DIFF && !o->page.html && o->page.out)
		snprintf(err, errlen, "diff: -o is for the --html page; the text goes to stdout");
	else if (o->page.out && !o->page.out[0])
		snprintf(err, errlen, "%s: empty file name for -o", o->mode == MODE_DIFF ? "diff" : "report");
	else if (o->page.file_b && !o->page.file_b[0])
		snprintf(err, errlen, "empty file name");
	else
		return 0;
	return -1;
}

/* What each mode needs, once every option is read. */
static enum cli_result check_mode(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	char path[256];
	int reads = o->mode == MODE_PLAY || o->mode == MODE_DUMP || o->mode == MODE_DRILL;

	int page = o->mode == MODE_REPORT || o->mode == MODE_DIFF;

	if ((reads || page || o->mode == MODE_STACKS) && !o->file && optind < argc)
		o->file = argv[optind++];
	if (page && check_page(argc, argv, o, err, errlen) < 0)
		return CLI_ERROR;
	if (optind < argc) {
		const char *w = cli_command(o->mode)->name;

		snprintf(err, errlen, "unexpected argument '%s' (see stormtop%s%s --help)", argv[optind],
			 w[0] ? " " : "", w);
		return CLI_ERROR;
	}
	for (unsigned int i = 0; i < o->host.nattach; i++) {
		if (!strchr(o->host.attach[i], '/') && stormprobe_path(o->host.attach[i], path, sizeof(path)) < 0) {
			snprintf(err, errlen, "--attach: '%s' is not a segment name ([A-Za-z0-9_.-]) or a path",
				 o->host.attach[i]);
			return CLI_ERROR;
		}
	}
	if (o->mode == MODE_RECORD && check_trigger(o, err, errlen) < 0)
		return CLI_ERROR;
	if (o->mode == MODE_RECORD && o->stacks.pid && o->host.synth_cpus) {
		snprintf(err, errlen, "record: --pid samples a real process's call sites; --synthetic has none");
		return CLI_ERROR;
	}
	if (o->mode == MODE_RECORD && o->stacks.pid && !hostfs_has_pid(o->host.root, o->stacks.pid)) {
		snprintf(err, errlen, "record: no process %d", (int)o->stacks.pid);
		return CLI_ERROR;
	}
	if (o->mode == MODE_RECORD && !o->file && !o->rec.trigger_dir) {
		snprintf(err, errlen, "record: which file? (-o FILE)");
		return CLI_ERROR;
	}
	if (reads && !o->file) {
		const char *m = o->mode == MODE_PLAY ? "play" : o->mode == MODE_DUMP ? "dump" : "drill";

		snprintf(err, errlen, "%s: which recording? (stormtop %s FILE)", m, m);
		return CLI_ERROR;
	}
	if (o->mode == MODE_DUMP && !o->read.format)
		o->read.format = "csv";
	if ((o->mode == MODE_DRILL || o->mode == MODE_CHECK) && !o->read.format)
		o->read.format = "text";
	if (o->host.prometheus && exporter_parse_addr(o->host.prometheus, &(struct sockaddr_storage){ 0 },
						 &(socklen_t){ 0 }, err, errlen) < 0)
		return CLI_ERROR;
	if (o->host.publish && !strchr(o->host.publish, '/') && stormprobe_path(o->host.publish, path, sizeof(path)) < 0) {
		snprintf(err, errlen, "--publish: '%s' is not a segment name ([A-Za-z0-9_.-])", o->host.publish);
		return CLI_ERROR;
	}
	if (o->mode == MODE_STACKS && check_stacks(o, err, errlen) < 0)
		return CLI_ERROR;
	if (o->file && !o->file[0]) {
		snprintf(err, errlen, "empty file name");
		return CLI_ERROR;
	}
	return CLI_RUN;
}

int cli_table_check(char *err, size_t errlen)
{
	for (size_t i = 0; i < cmd_count; i++)
		for (const struct cmd_opt *c = cmd_table[i].opts; c->name; c++)
			if (!opt_by_name(c->name)) {
				snprintf(err, errlen, "%s: no option named '%s'", cmd_label(&cmd_table[i]), c->name);
				return -1;
			}
	return 0;
}

/* getopt's table, from opt_defs (built once: the rows never change). */
static const struct option *longopts(void)
{
	static struct option lo[NOPTS + 1];
	size_t n = 0;

	if (lo[0].name)
		return lo;
	for (size_t i = 0; i < NOPTS; i++)
		if (opt_defs[i].name)
			lo[n++] = (struct option){ opt_defs[i].name, opt_defs[i].has_arg, NULL, opt_defs[i].val };
	return lo;
}

/* -r in live turns it into play: what was given must suit play too. */
static enum cli_result check_given(const struct command *cmd, const int *given, size_t n, char *err,
				   size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (!takes(cmd, given[i]))
			return not_taken(cmd, given[i], err, errlen);
	return CLI_RUN;
}

enum cli_result cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	const struct command *cmd = cli_command(MODE_LIVE);
	int c, given[64];
	size_t ngiven = 0;

	defaults(o);
	opterr = 0; /* we print our own one-line error */
	optind = 1;
	if (argc > 1 && (cmd = command_of(argv[1]))->mode != MODE_LIVE)
		optind = 2;
	o->mode = cmd->mode;
	while ((c = getopt_long(argc, argv, ":d:n:bhVo:r:", longopts(), NULL)) != -1) {
		enum cli_result r;

		if (c == '?' || c == ':') {
			snprintf(err, errlen, "%s option '%s' (see stormtop%s%s --help)",
				 c == ':' ? "missing value for" : "unknown", argv[optind - 1],
				 cmd->name[0] ? " " : "", cmd->name);
			return CLI_ERROR;
		}
		if (!takes(cmd, c))
			return not_taken(cmd, c, err, errlen);
		if (ngiven < sizeof(given) / sizeof(given[0]))
			given[ngiven++] = c;
		r = apply(c, optarg, o, err, errlen);
		if (r != CLI_RUN)
			return r;
		if (o->mode != cmd->mode) /* -r FILE: play */
			cmd = cli_command(o->mode);
	}
	if (check_given(cmd, given, ngiven, err, errlen) != CLI_RUN)
		return CLI_ERROR;
	return check_mode(argc, argv, o, err, errlen);
}
