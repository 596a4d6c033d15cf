/* SPDX-License-Identifier: GPL-2.0-only */
/* Settings read from the config file and --set: the regime controller's
 * thresholds (docs/REGIME.md documents each default).  The file is
 * key = value lines (inih), `#` or `;` comments; a bad line is reported
 * with file and line and the rest still loads. */
#ifndef STORMTOP_CONFIG_H
#define STORMTOP_CONFIG_H

#include <stddef.h>

struct config {
	/* TLB machine: rates are the hottest core's TLB IPIs received per
	 * second; widen is a p99 over its rolling clean baseline */
	double tlb_watch_rate_on, tlb_watch_rate_off, tlb_watch_sustain_s;
	double tlb_watch_sbi_on, tlb_watch_sbi_off;
	double tlb_watch_widen_on, tlb_watch_widen_off;
	double tlb_storm_rate_on, tlb_storm_rate_off;
	double tlb_storm_sbi_on, tlb_storm_sbi_off;
	double tlb_degrade_after_s, tlb_degrade_widen_on, tlb_degrade_widen_off;
	double tlb_min_dwell_s, tlb_cooldown_s;
	/* IOMMU machine: DFI is the hottest core's IOMMU map/unmap and IOTLB
	 * invalidations per second; DJS the CV of DFI over the window */
	double iommu_watch_dfi_on, iommu_watch_dfi_off;
	double iommu_storm_dfi_on, iommu_storm_dfi_off;
	double iommu_contain_after_s, iommu_contain_djs_on, iommu_contain_djs_off;
	double iommu_min_dwell_s, iommu_cooldown_s;
	/* desk metrics */
	double desk_window_s;       /* SBI, DJS, PSO, DVR window */
	double desk_burst_rate;     /* hottest core's IPIs/s where a tick is a burst (SBI) */
	double desk_late_us;        /* phase error counted late (CBR) */
	double desk_baseline_ticks; /* clean ticks the rolling baselines average */
	double desk_runq_floor_us;  /* run-queue p99 baselines below this count as this */
	double desk_app_floor_us;   /* the same for the app's p99 */
	double drill_flap_s;        /* drill: a return within this is a flap */
	/* the UI (command-line options win over these) */
	double interval;            /* seconds between samples */
	double heat_warn, heat_crit;/* per-core /s where green turns yellow, yellow red */
	double history;             /* samples kept */
	char theme[64];
	double panel_regime, panel_apps, panel_procs, panel_system; /* 1 shown, 0 hidden */
	double prometheus_top;      /* exporter: processes named; the rest sum into "other" */
	double config_version;
};

#define CONFIG_VERSION 1

/* The values the set-up screen (F2) and the live +/- keys step a setting
 * through: one list per setting, so both step alike. */
enum config_steps {
	STEPS_INTERVAL, /* interval, seconds: 0.05 .. 60 */
	STEPS_HEAT,     /* heat_warn and heat_crit, per-core events/s: 1 .. 10000 */
	STEPS_HISTORY,  /* history, samples: 60 .. 14400 */
};
/* The next step of list l above cur (below when !up); cur at either end. */
double config_step(enum config_steps l, double cur, int up);

void config_defaults(struct config *c);
/* One key = value: 0, or -1 with a reason (unknown key, not a number,
 * out of range). */
int config_set(struct config *c, const char *key, const char *value, char *err, size_t len);
/* "key=value", as --set gives it. */
int config_set_pair(struct config *c, const char *pair, char *err, size_t len);
/* Loads FILE over c.  Returns the number of bad lines (each reported on
 * stderr as "FILE:LINE: reason"), or -1 when the file cannot be read
 * (missing is not an error: 0). */
int config_load(struct config *c, const char *path);
/* Writes every key with its doc as a comment, atomically (a temporary
 * with a random name beside path, created without following anything
 * there, mode 0644, renamed over path), creating the directory: 0, or -1
 * with err; -1 too, path untouched, when path holds binary data (a NUL
 * byte in its first 4 KiB: a recording given as --config). */
int config_save(const struct config *c, const char *path, char *err, size_t len);
/* $XDG_CONFIG_HOME/stormtop/stormtoprc, or ~/.config/...; "" if neither. */
void config_default_path(char *buf, size_t len);

#endif
