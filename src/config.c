#include "config.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY(field, dflt, doc) { #field, offsetof(struct config, field), dflt, doc }

static const struct key {
	const char *name;
	size_t offset;
	double dflt;
	const char *doc;
} keys[] = {
	KEY(tlb_watch_rate_on, 5, "hottest core's TLB IPIs/s entering WATCH (seed 002: yellow)"),
	KEY(tlb_watch_rate_off, 3, "... and below which WATCH may end"),
	KEY(tlb_watch_sbi_on, 1, "SBI entering WATCH (one crit-level burst a minute is 1.7)"),
	KEY(tlb_watch_sbi_off, 0.5, "... and below which WATCH may end"),
	KEY(tlb_watch_widen_on, 1.5, "run-queue or app p99 over its clean baseline entering WATCH"),
	KEY(tlb_watch_widen_off, 1.2, "... and below which WATCH may end"),
	KEY(tlb_storm_rate_on, 20, "hottest core's TLB IPIs/s entering STORM (seed 002: red)"),
	KEY(tlb_storm_rate_off, 10, "... and below which STORM may end"),
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
	KEY(desk_burst_rate, 20, "per-core TLB IPIs/s from which a tick is a burst (SBI)"),
	KEY(desk_late_us, 50, "phase error from which a dispatch counts as late (CBR), us"),
	KEY(desk_baseline_ticks, 60, "clean ticks the rolling p99 baselines average over"),
	KEY(desk_runq_floor_us, 50, "run-queue p99 baselines below this count as this (noise), us"),
	KEY(desk_app_floor_us, 5, "app p99 baselines below this count as this, us"),
	KEY(drill_flap_s, 10, "drill: a return to the previous state within this is a flap"),
	KEY(config_version, 1, "the file's format version"),
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

void config_defaults(struct config *c)
{
	for (size_t k = 0; k < NKEYS; k++)
		*(double *)((char *)c + keys[k].offset) = keys[k].dflt;
}

int config_set(struct config *c, const char *key, const char *value, char *err, size_t len)
{
	char *end;
	double v;

	for (size_t k = 0; k < NKEYS; k++) {
		if (strcmp(keys[k].name, key))
			continue;
		errno = 0;
		v = strtod(value, &end);
		while (*end == ' ' || *end == '\t')
			end++;
		if (errno || end == value || *end || !isfinite(v) || v < 0) {
			snprintf(err, len, "%s: '%s' is not a number >= 0", key, value);
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

/* Debian's inih hands no line numbers to the handler, so the reader
 * counts them: the handler runs right after its line was read. */
struct load { struct config *c; const char *path; FILE *f; int line, bad; };

static char *read_line(char *buf, int size, void *stream)
{
	struct load *l = stream;
	char *s = fgets(buf, size, l->f);

	if (s)
		l->line++;
	return s;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct load *l = user;
	char err[160];

	(void)section;
	if (config_set(l->c, name, value, err, sizeof(err)) < 0) {
		fprintf(stderr, "stormtop: %s:%d: %s\n", l->path, l->line, err);
		l->bad++;
	}
	return 1; /* keep going: the rest still loads */
}

int config_load(struct config *c, const char *path)
{
	struct load l = { c, path, fopen(path, "re"), 0, 0 };
	int rc;

	if (!l.f)
		return errno == ENOENT ? 0 : -1;
	rc = ini_parse_stream(read_line, &l, on_pair, &l);
	fclose(l.f);
	if (rc > 0) /* inih's own syntax errors: a line without '=' */
		fprintf(stderr, "stormtop: %s:%d: not key = value\n", path, rc), l.bad++;
	return l.bad;
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

void config_describe(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < NKEYS && used < len; k++)
		used += (size_t)snprintf(buf + used, len - used, "%-24s %-6g %s\n", keys[k].name,
					 keys[k].dflt, keys[k].doc);
}
