// SPDX-License-Identifier: GPL-2.0-only
#include "cmd/app.h"
#include "cmd/app_tui.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "stages/stages.h"
#include "export/exporter.h"
#include "util/cpulist.h"
#include "util/nstime.h"
#include "export/publish.h"
#include "record/capture.h"
#include "record/recfmt.h"
#include "record/recreader.h"
#include "record/recwriter.h"
#include "collectors/sampler.h"
#include "util/version.h"
#include "util/safefile.h"
#include "util/regfile.h"
#include "util/text.h"
#include "ui/theme.h"

volatile sig_atomic_t stop_requested;
volatile sig_atomic_t hup_requested;
volatile sig_atomic_t hup_saves;

void app_sample(struct app *a)
{
	char err[256];

	struct frame *f = ring_begin(&a->ring);

	a->src.ops->fill(a->src.self, f); /* live sources never end */
	stages_run(&a->stages, &a->ring, f);
	ring_commit(&a->ring);
	if (a->pub)
		publish_frame(a->pub, f);
	if (a->exp)
		exporter_publish(a->exp, f);
	if (a->rec && rec_writer_append(a->rec, ring_at_age(&a->ring, 0), err, sizeof(err)) < 0) {
		/* the file keeps what it has; the UI shows the recording stopped */
		snprintf(a->rec_err, sizeof(a->rec_err), "%s", err);
		app_rec_stop(a);
	}
	if (a->cap)
		capture_frame(a->cap, ring_at_age(&a->ring, 0));
}

/* The file's UI settings where the command line gave none. */
static void ui_settings(struct app *a)
{
	struct options *o = &a->opt;

	if (!(o->given & GIVEN_INTERVAL))
		o->tick.interval_s = a->cfg.interval;
	if (!(o->given & GIVEN_HISTORY))
		o->view.history = (uint32_t)a->cfg.history;
	if (!(o->given & GIVEN_PROM_TOP))
		o->host.prom_top = (uint32_t)a->cfg.prometheus_top;
	if (!(o->given & GIVEN_THRESHOLDS) && a->cfg.heat_warn < a->cfg.heat_crit) {
		o->view.warn_rate = a->cfg.heat_warn;
		o->view.crit_rate = a->cfg.heat_crit;
	} else if (!(o->given & GIVEN_THRESHOLDS)) {
		text_say(stderr, "%s: heat_warn %.12g is not below heat_crit %.12g; using %.12g, %.12g", a->cfg_path,
			a->cfg.heat_warn, a->cfg.heat_crit, o->view.warn_rate, o->view.crit_rate);
	}
	/* setup shows and saves what is in effect */
	a->cfg.interval = o->tick.interval_s;
	a->cfg.history = o->view.history;
	a->cfg.prometheus_top = o->host.prom_top;
	a->cfg.heat_warn = o->view.warn_rate;
	a->cfg.heat_crit = o->view.crit_rate;
}

void app_tui_opts(struct app *a, uint32_t ncpu, struct tui_opts *o)
{
	*o = (struct tui_opts){ .ncpu = ncpu, .no_color = a->opt.view.no_color, .theme = a->opt.view.theme,
				.cfg = &a->cfg, .cfg_path = a->cfg_path, .cgroup = a->opt.view.cgroup };
}

/* An unknown --theme is a bad argument (exit 2) in every mode, said before
 * anything starts; a theme file with bad lines still loads (the TUI says
 * which). */
static int check_theme(struct app *a, char *err, size_t len)
{
	struct theme t;
	char why[300];

	theme_default(&t);
	if (a->opt.view.theme && theme_load(&t, a->opt.view.theme, why, sizeof(why)) < 0) {
		snprintf(err, len, "--theme: %s", why);
		return EXIT_USAGE;
	}
	return 0;
}

int app_config(struct app *a, char *err, size_t len)
{
	char *path = a->cfg_path, why[200];

	config_defaults(&a->cfg);
	if (a->opt.settings.config)
		snprintf(path, sizeof(a->cfg_path), "%s", a->opt.settings.config);
	else
		config_default_path(path, sizeof(a->cfg_path));
	/* a named file must be readable; the default one may be missing or
	 * (running as another user with our HOME) unreadable: defaults then.
	 * Bad lines are reported by config_load and the rest is used. */
	if (a->opt.settings.config) { /* a FIFO would block the start, a device never end */
		const char *kind;
		int fd = regfile_open(path, &kind);

		if (fd < 0) {
			snprintf(err, len, "--config: cannot read %.300s: %s", path,
				 kind ? kind : strerror(errno));
			return EXIT_USAGE;
		}
		close(fd);
	}
	if (path[0] && config_load(&a->cfg, path) < 0)
		text_say(stderr, "%s: %s; using the defaults", path,
			 errno == REGFILE_NOT_REGULAR ? "not a regular file" : strerror(errno));
	for (unsigned int i = 0; i < a->opt.settings.nsets; i++)
		if (config_set_pair(&a->cfg, a->opt.settings.sets[i], why, sizeof(why)) < 0) {
			snprintf(err, len, "--set: %s", why);
			return EXIT_USAGE;
		}
	ui_settings(a);
	return check_theme(a, err, len);
}

int64_t app_interval_ns(const struct app *a)
{
	return (int64_t)(a->opt.tick.interval_s * 1e9);
}

int app_sleep_until(int64_t mono_ns)
{
	struct timespec ts = { mono_ns / 1000000000, mono_ns % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		if (stop_requested)
			return 1;
	return stop_requested != 0;
}

void app_rec_meta(const struct app *a, struct rec_meta *m)
{
	const struct frame *f = ring_at_age(&a->ring, 0);
	struct timespec now;

	memset(m, 0, sizeof(*m));
	snprintf(m->host, sizeof(m->host), "%s", a->uts.nodename);
	snprintf(m->kernel, sizeof(m->kernel), "%s", a->uts.release);
	snprintf(m->version, sizeof(m->version), "%s", STORMTOP_VERSION);
	m->ncpu = a->topo.ncpu;
	m->nnodes = a->topo.nnodes;
	m->node_of = a->topo.node_of;
	m->interval_ns = app_interval_ns(a);
	clock_gettime(CLOCK_REALTIME, &now);
	m->start_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	if (f)
		memcpy(m->status, f->status, sizeof(m->status));
}

int app_rec_start(struct app *a, const char *path, char *err, size_t errlen)
{
	struct rec_meta m;
	struct rec_rotate rot = { .max_bytes = a->opt.rec.rotate_bytes, .daily = a->opt.rec.rotate_daily,
				  .keep = a->opt.rec.keep };

	char target[PATH_MAX];
	const char *shown = path;

	/* the writer never follows a symlink at the name; asked to, the
	 * link is resolved here and the writer opens what it points to */
	if (a->opt.rec.follow_symlink && realpath(path, target))
		path = target;
	app_rec_meta(a, &m);
	a->rec = rec_writer_open(path, &m, &rot, err, errlen);
	if (!a->rec)
		return -1;
	snprintf(a->rec_path, sizeof(a->rec_path), "%s", shown);
	a->rec_err[0] = '\0';
	return 0;
}

void app_rec_stop(struct app *a)
{
	rec_writer_close(a->rec);
	a->rec = NULL;
}

int app_cap_start(struct app *a, char *err, size_t errlen)
{
	const char *dir = a->opt.rec.trigger_dir;
	struct capture_conf cc = { .dir = dir, .pre_s = a->opt.rec.pre_s, .post_s = a->opt.rec.post_s,
				   .interval_s = a->opt.tick.interval_s, .mem_bytes = a->opt.rec.trigger_mem,
				   .log = stderr };
	struct rec_meta m;
	struct stat st;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "--trigger: %.300s is not a directory%s", dir,
			 errno == ENOENT ? " (create it first)" : "");
		return -1;
	}
	app_rec_meta(a, &m);
	a->cap = capture_open(&cc, &m, ring_at_age(&a->ring, 0), err, errlen);
	return a->cap ? 0 : -1;
}

void app_cap_stop(struct app *a)
{
	capture_close(a->cap);
	a->cap = NULL;
}

/* Whether poll saw a key, timed out or was interrupted by SIGWINCH, drain
 * the keys: KEY_RESIZE arrives as one. */
enum ui_action app_wait_keys(struct tui *t, int64_t deadline)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	enum ui_action act = tui_keys(t); /* keys curses already holds: poll cannot see them */
	int64_t left = ns_sub(deadline, clock_ns(CLOCK_MONOTONIC));
	int ms = left <= 0 ? 0 : left >= (int64_t)INT_MAX * 1000000 ? INT_MAX : (int)((left + 999999) / 1000000);

	if (act != UI_NONE)
		return act;
	if (deadline == APP_NO_DEADLINE)
		ms = -1; /* only a key, a signal or a hang-up wakes it */
	/* a terminal that went away (its emulator killed) would make poll
	 * return at once forever: that is a quit, as a SIGHUP would be */
	if (poll(&pfd, 1, ms) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
		stop_requested = 1;
	return tui_keys(t);
}

/* The history asked for (--history ticks), whatever the CPU count: the
 * ring keeps full frames only for its newest RING_FULL ticks and a
 * compact summary (and the heatmap's per-CPU cells) for the rest
 * (core/ring.h), resident only as filled. */
uint32_t app_history(const struct app *a)
{
	return a->opt.view.history;
}

int app_cpulist(const char *opt, const char *list, uint8_t *mask, uint32_t n, char *err, size_t errlen)
{
	char why[256];

	if (cpulist_parse(list, mask, n, why, sizeof(why)) >= 0)
		return 0;
	snprintf(err, errlen, "%s: %s", opt, why);
	return EXIT_USAGE;
}

static uint64_t mem_available(void)
{
	unsigned long long kb = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return (uint64_t)kb << 10;
}

int app_check_history(const struct app *a, uint32_t ncpu, int cells, char *err, size_t errlen)
{
	uint64_t need = ring_bytes(app_history(a), RING_FULL, ncpu, cells), avail = mem_available();

	if (!avail || need <= avail / 2)
		return 0;
	snprintf(err, errlen, "--history %u of %u CPUs would hold %llu MiB once filled, more than half of the "
		 "%llu MiB available; ask for fewer ticks", app_history(a), ncpu,
		 (unsigned long long)(need >> 20), (unsigned long long)(avail >> 20));
	return EXIT_USAGE;
}

struct rec_reader *app_open_recording(const char *path)
{
	char err[320];
	struct rec_reader *r = rec_reader_open(path, err, sizeof(err));

	if (!r)
		text_say(stderr, "%s: %s", path, err);
	else
		say_recovery(path, r);
	return r;
}

/* Says what opening a damaged file recovered; never refuses it. */
void say_recovery(const char *path, const struct rec_reader *r)
{
	if (rec_reader_torn(r))
		text_say(stderr, "%s: recovered %zu frames; dropped a torn tail of %llu bytes", path,
			rec_reader_count(r), (unsigned long long)rec_reader_torn(r));
	if (rec_reader_skipped(r))
		text_say(stderr, "%s: skipped %llu damaged bytes in the middle", path,
			(unsigned long long)rec_reader_skipped(r));
}

/* An existing output, opened without truncating it: -1 with a line on
 * stderr when it starts with the recording magic (the input itself, or
 * any other recording: a page or a folded file written over it would
 * lose what was recorded), else emptied. */
static int reopen_out(const char *path, char *err, size_t errlen)
{
	char head[REC_MAGIC_LEN];
	int fd = safefile_open_own(path, O_RDWR, err, errlen);

	if (fd < 0)
		return -1;
	if (pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) && !memcmp(head, REC_MAGIC, sizeof(head))) {
		snprintf(err, errlen, "%.256s is a stormtop recording: not overwritten (choose another -o)", path);
		close(fd);
		errno = EEXIST;
		return -1;
	}
	if (ftruncate(fd, 0) < 0) {
		snprintf(err, errlen, "%.256s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

FILE *app_open_out(const char *path)
{
	char err[320];
	int fd;
	FILE *f;

	if (!path)
		return stdout;
	fd = safefile_create(path, O_WRONLY, 0644, err, sizeof(err));
	if (fd < 0 && errno == EEXIST)
		fd = reopen_out(path, err, sizeof(err));
	if (fd < 0) {
		text_say(stderr, "%s", err);
		return NULL;
	}
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		text_say(stderr, "%s: out of memory", path);
	}
	return f;
}
