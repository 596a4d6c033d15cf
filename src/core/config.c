// SPDX-License-Identifier: GPL-2.0-only
#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/inifile.h"
#include "util/safefile.h"
#include "util/steps.h"

#define KEY(field, dflt, doc) { #field, offsetof(struct config, field), dflt, doc, 0, 0 }
#define RANGE(field, dflt, lo, hi, doc) { #field, offsetof(struct config, field), dflt, doc, lo, hi }
#define TEXT(field, doc) { #field, offsetof(struct config, field), 0, doc, -1, -1 }

static const struct key {
	const char *name;
	size_t offset;
	double dflt;
	const char *doc;
	double lo, hi;      /* 0, 0: any number >= 0; -1, -1: text */
} keys[] = {
	KEY(tlb_watch_rate_on, 20, "hottest core's TLB IPIs/s, held tlb_watch_sustain_s, entering WATCH"),
	KEY(tlb_watch_rate_off, 10, "... and below which WATCH may end"),
	KEY(tlb_watch_sustain_s, 3, "seconds the hottest core's rate must stay at tlb_watch_rate_on for WATCH"),
	KEY(tlb_watch_sbi_on, 1, "SBI entering WATCH (one crit-level burst a minute is 1.7)"),
	KEY(tlb_watch_sbi_off, 0.5, "... and below which WATCH may end"),
	KEY(tlb_watch_widen_on, 1.5, "run-queue or app p99 over its clean baseline entering WATCH"),
	KEY(tlb_watch_widen_off, 1.2, "... and below which WATCH may end"),
	KEY(tlb_storm_rate_on, 100, "hottest core's TLB IPIs/s entering STORM (a burst, desk_burst_rate)"),
	KEY(tlb_storm_rate_off, 50, "... and below which STORM may end"),
	KEY(tlb_storm_sbi_on, 10, "SBI entering STORM"),
	KEY(tlb_storm_sbi_off, 5, "... and below which STORM may end"),
	KEY(tlb_degrade_after_s, 30, "seconds of STORM before SAFE_DEGRADED can be entered"),
	KEY(tlb_degrade_widen_on, 3, "p99 widening entering SAFE_DEGRADED (deadline risk)"),
	KEY(tlb_degrade_widen_off, 2, "... and below which it may end (with the storm gone)"),
	KEY(tlb_min_dwell_s, 2, "TLB machine: seconds in a state before any transition"),
	KEY(tlb_cooldown_s, 10, "TLB machine: calm seconds before de-escalating"),
	KEY(iommu_watch_dfi_on, 100, "DFI (IOMMU ops/s, hottest core) entering PRESSURE_WATCH"),
	KEY(iommu_watch_dfi_off, 50, "... and below which it may end"),
	KEY(iommu_storm_dfi_on, 1000, "DFI entering FLUSH_STORM"),
	KEY(iommu_storm_dfi_off, 500, "... and below which it may end"),
	KEY(iommu_contain_after_s, 30, "seconds of FLUSH_STORM before SAFE_DMA_CONTAIN"),
	KEY(iommu_contain_djs_on, 1, "DJS entering SAFE_DMA_CONTAIN"),
	KEY(iommu_contain_djs_off, 0.5, "... and below which it may end"),
	KEY(iommu_min_dwell_s, 2, "IOMMU machine: seconds in a state before any transition"),
	KEY(iommu_cooldown_s, 10, "IOMMU machine: calm seconds before de-escalating"),
	KEY(desk_window_s, 60, "window of SBI, DJS, PSO and DVR, seconds"),
	KEY(desk_burst_rate, 100, "hottest core's TLB IPIs/s from which a tick is a burst (SBI)"),
	KEY(desk_late_us, 50, "phase error from which a dispatch counts as late (CBR), us"),
	KEY(desk_baseline_ticks, 60, "clean ticks the rolling p99 baselines average over"),
	KEY(desk_runq_floor_us, 50, "run-queue p99 baselines below this count as this (noise), us"),
	KEY(desk_app_floor_us, 5, "app p99 baselines below this count as this, us"),
	KEY(drill_flap_s, 10, "drill: a return to the previous state within this is a flap"),
	RANGE(interval, 1, 0.05, 3600, "UI: seconds between samples (-d wins)"),
	RANGE(heat_warn, 5, 0.001, 1e9, "UI: per-core /s where a heat cell turns yellow (--thresholds wins)"),
	RANGE(heat_crit, 20, 0.001, 1e9, "UI: ... and red; 10x this is the extreme level"),
	RANGE(history, 600, 10, 100000, "UI: samples kept for the heatmaps and strips (--history wins)"),
	TEXT(theme, "UI: colour theme, a name in the themes directories or a path (--theme wins)"),
	RANGE(panel_regime, 1, 0, 1, "UI: 1 shows the regime timeline and transition log"),
	RANGE(panel_apps, 1, 0, 1, "UI: 1 shows the attached-apps panel"),
	RANGE(panel_procs, 1, 0, 1, "UI: 1 shows the process table under the heatmaps"),
	RANGE(panel_system, 1, 0, 1, "UI: 1 shows the system strip"),
	RANGE(prometheus_top, 10, 0, 20, "exporter: processes named in /metrics, the rest summed into pid=\"other\" (--prometheus-top wins)"),
	RANGE(config_version, CONFIG_VERSION, 1, CONFIG_VERSION, "the file's format version"),
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int is_text(const struct key *k)
{
	return k->lo < 0;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t k = 0; k < NKEYS; k++)
		if (is_text(&keys[k]))
			((char *)c + keys[k].offset)[0] = '\0';
		else
			*(double *)((char *)c + keys[k].offset) = keys[k].dflt;
	snprintf(c->theme, sizeof(c->theme), "default");
}

static int set_text(struct config *c, const struct key *k, const char *value, char *err, size_t len)
{
	char *dst = (char *)c + k->offset;

	if (strlen(value) >= sizeof(c->theme) || strchr(value, '\n')) {
		snprintf(err, len, "%s: '%.40s' is too long", k->name, value);
		return -1;
	}
	snprintf(dst, sizeof(c->theme), "%s", value);
	return 0;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t len)
{
	char *end;
	double v;

	for (size_t k = 0; k < NKEYS; k++) {
		if (strcmp(keys[k].name, key))
			continue;
		if (is_text(&keys[k]))
			return set_text(c, &keys[k], value, err, len);
		errno = 0;
		v = strtod(value, &end);
		while (*end == ' ' || *end == '\t')
			end++;
		if (errno || end == value || *end || !isfinite(v) || v < 0) {
			snprintf(err, len, "%s: '%s' is not a number >= 0", key, value);
			return -1;
		}
		if ((keys[k].lo || keys[k].hi) && (v < keys[k].lo || v > keys[k].hi)) {
			snprintf(err, len, "%s: %.12g is outside %.12g..%.12g", key, v, keys[k].lo, keys[k].hi);
			return -1;
		}
		*(double *)((char *)c + keys[k].offset) = v;
		return 0;
	}
	snprintf(err, len, "unknown key '%s'", key);
	return -1;
}

int config_set_pair(struct config *c, const char *pair, char *err, size_t len)
{
	char key[64];
	const char *eq = strchr(pair, '=');

	if (!eq || eq == pair || (size_t)(eq - pair) >= sizeof(key)) {
		snprintf(err, len, "'%s' is not key=value", pair);
		return -1;
	}
	memcpy(key, pair, (size_t)(eq - pair));
	key[eq - pair] = '\0';
	return config_set(c, key, eq + 1, err, len);
}

static int on_pair(void *user, const char *key, const char *value, char *err, size_t len)
{
	return config_set(user, key, value, err, len);
}

int config_load(struct config *c, const char *path)
{
	int bad = inifile_load(path, on_pair, c, stderr, NULL, 0);

	return bad < 0 && errno == ENOENT ? 0 : bad;
}

void config_default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && xdg[0])
		snprintf(buf, len, "%s/stormtop/stormtoprc", xdg);
	else if (home && home[0])
		snprintf(buf, len, "%s/.config/stormtop/stormtoprc", home);
	else
		buf[0] = '\0';
}

double config_step(enum config_steps l, double cur, int up)
{
	static const double interval[] = { 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60 };
	static const double heat[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
	static const double history[] = { 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400 };
	static const struct {
		const double *v;
		int n;
	} list[] = {
		[STEPS_INTERVAL] = { interval, (int)(sizeof(interval) / sizeof(interval[0])) },
		[STEPS_HEAT] = { heat, (int)(sizeof(heat) / sizeof(heat[0])) },
		[STEPS_HISTORY] = { history, (int)(sizeof(history) / sizeof(history[0])) },
	};

	return steps_next(cur, up, list[l].v, list[l].n);
}

/* mkdir -p for the file's directory. */
static int make_dirs(const char *path)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static void write_keys(const struct config *c, FILE *f)
{
	fprintf(f, "# stormtop settings: key = value, '#' starts a comment.  Written by the\n"
		   "# setup screen (F2); edit freely.  Command-line options win over these.\n"
		   "config_version = %d\n", CONFIG_VERSION);
	for (size_t k = 0; k < NKEYS; k++) {
		const void *v = (const char *)c + keys[k].offset;

		if (!strcmp(keys[k].name, "config_version"))
			continue;
		fprintf(f, "\n# %s\n", keys[k].doc);
		if (is_text(&keys[k]))
			fprintf(f, "%s = \"%s\"\n", keys[k].name, (const char *)v);
		else
			fprintf(f, "%s = %.15g\n", keys[k].name, *(const double *)v);
	}
}

/* 1 when path exists and its first 4 KiB hold a NUL byte: no config
 * file does, a recording or any other binary file named by --config does,
 * and loading one only warns line by line. */
static int binary_file(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && memchr(buf, '\0', (size_t)n) != NULL;
}

/* The temporary has a random name beside the file, created without
 * following anything already there, 0644 whatever the umask; the rename
 * replaces the name, never what a symlink there points to. */
int config_save(const struct config *c, const char *path, char *err, size_t len)
{
	char tmp[600], why[560];
	FILE *f;
	int fd, bad;

	if (binary_file(path)) {
		snprintf(err, len, "%.400s is not a config file (binary data): not replaced", path);
		return -1;
	}
	if (make_dirs(path) < 0) {
		snprintf(err, len, "cannot write %.400s: %s", path, strerror(errno));
		return -1;
	}
	if ((fd = safefile_temp(path, tmp, sizeof(tmp), O_WRONLY, 0644, why, sizeof(why))) < 0) {
		snprintf(err, len, "cannot write %.500s", why);
		return -1;
	}
	if (!(f = fdopen(fd, "w"))) {
		snprintf(err, len, "cannot write %.400s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	write_keys(c, f);
	bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) < 0) {
		snprintf(err, len, "cannot write %.400s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
