// SPDX-License-Identifier: GPL-2.0-only
/* The controller's states and desk metrics, collector status and what
 * stormtop itself costs, as Prometheus families. */
#include "export/prom.h"

#include <math.h>
#include <stdio.h>

#include "core/frame.h"
#include "util/version.h"

/* One state machine as a 0/1 gauge per state: PromQL can then both plot
 * the timeline and alert on a state by name. */
static void render_states(struct promtext *out, const char *name, const char *help, int n,
			  const char *(*state_name)(int), int cur)
{
	char labels[64];

	promtext_family(out, name, PROM_GAUGE, help);
	for (int s = 0; s < n; s++) {
		labels[0] = '\0';
		prom_label(labels, sizeof(labels), "state", state_name(s));
		promtext_u64(out, "", labels, s == cur);
	}
}

static void gauge(struct promtext *out, const char *name, const char *help, double v)
{
	if (isnan(v)) /* not measurable yet: no sample rather than a made-up one */
		return;
	promtext_family(out, name, PROM_GAUGE, help);
	promtext_f64(out, "", "", v);
}

static void render_nodes(struct promtext *out, const struct frame *f)
{
	static const char *const names[] = { "stormtop_node_sbi", "stormtop_node_dfi",
					     "stormtop_node_hottest_tlb_ipis_per_second" };
	static const char *const helps[] = {
		"Shootdown burst index of the node, bursts per minute (docs/REGIME.md).",
		"DMA flush intensity of the node, per core per second.",
		"TLB IPIs per second on the node's hottest CPU, latest tick.",
	};
	char labels[32];

	/* a node's figure that is not measurable (no IOMMU source for DFI) has
	 * no series, as the host-wide gauges: never a made-up 0 */
	for (int m = 0; m < 3; m++) {
		int any = 0;

		for (uint32_t i = 0; i < f->regime.nnodes && i < FRAME_NODES; i++) {
			const struct frame_node_desk *d = &f->regime.nodes[i];
			float v = m == 0 ? d->sbi : m == 1 ? d->dfi : d->rate;

			if (isnan(v))
				continue;
			if (!any++)
				promtext_family(out, names[m], PROM_GAUGE, helps[m]);
			labels[0] = '\0';
			prom_label_u(labels, sizeof(labels), "node", d->node);
			promtext_f64(out, "", labels, v);
		}
	}
}

/* What holds each machine's state: the input's value and threshold with
 * the input as a label, and the earliest step down; no sample where
 * nothing holds (the floor) rather than a made-up one. */
static void render_holds(struct promtext *out, const struct frame_regime *r)
{
	static const char *const names[] = { "stormtop_regime_hold_value", "stormtop_regime_hold_threshold",
					      "stormtop_regime_stepdown_seconds" };
	static const char *const helps[] = {
		"The value of the input that holds the regime's state now (docs/REGIME.md).",
		"The threshold that input keeps the state with (its _off).",
		"Seconds before the state can step down at the earliest if no new pressure comes.",
	};
	char labels[96];

	for (int k = 0; k < 3; k++) {
		int any = 0;

		for (int m = 0; m < 2; m++) {
			int in = (m ? r->iommu_hold : r->tlb_hold) - 1;
			float v = k == 0 ? (m ? r->iommu_hold_value : r->tlb_hold_value) :
				  k == 1 ? (m ? r->iommu_hold_threshold : r->tlb_hold_threshold) :
				  (m ? r->iommu_stepdown_s : r->tlb_stepdown_s);

			if (isnan(v) || (k < 2 && (in < 0 || in >= REGIME_INPUTS)))
				continue;
			if (!any++)
				promtext_family(out, names[k], PROM_GAUGE, helps[k]);
			labels[0] = '\0';
			prom_label(labels, sizeof(labels), "machine", m ? "iommu" : "tlb");
			if (k < 2)
				prom_label(labels, sizeof(labels), "input", regime_input_names[in]);
			promtext_f64(out, "", labels, v);
		}
	}
	promtext_family(out, "stormtop_regime_cpu_contention", PROM_GAUGE,
			"1 while the run queue widens without TLB shootdown pressure: CPU contention, not a storm.");
	promtext_u64(out, "", "", r->contention);
}

void prom_render_regime(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	const struct frame_regime *r = &f->regime;
	char labels[32];

	render_states(out, "stormtop_regime_tlb_state", "TLB regime: 1 for the state the controller is in.",
		      TLB_REGIMES, tlb_regime_name, r->tlb);
	render_states(out, "stormtop_regime_iommu_state", "IOMMU regime: 1 for the state the controller is in.",
		      IOMMU_REGIMES, iommu_regime_name, r->iommu);
	promtext_family(out, "stormtop_regime_transitions_total", PROM_COUNTER,
			"State changes of each regime machine.");
	for (int m = 0; m < 2; m++) {
		labels[0] = '\0';
		prom_label(labels, sizeof(labels), "machine", m ? "iommu" : "tlb");
		promtext_u64(out, "", labels, t->transitions[m]);
	}
	gauge(out, "stormtop_desk_sbi", "Shootdown burst index: bursts per minute over the window.", r->sbi);
	gauge(out, "stormtop_desk_dvr", "Dispatch variance ratio, stressed over clean.", r->dvr);
	gauge(out, "stormtop_desk_cbr", "Catch-up burst ratio: share of late dispatches.", r->cbr);
	gauge(out, "stormtop_desk_dfi", "DMA flush intensity of the hottest core, per second.", r->dfi);
	gauge(out, "stormtop_desk_djs", "DMA jitter spread: coefficient of variation of DFI.", r->djs);
	gauge(out, "stormtop_desk_pso", "Packet service oscillation: CV of the dispatch rate.", r->pso);
	gauge(out, "stormtop_desk_hottest_tlb_ipis_per_second", "TLB IPIs per second on the hottest CPU.",
	      r->rate);
	gauge(out, "stormtop_desk_runqueue_p99_widening", "Run-queue p99 over its clean baseline.", r->rq_widen);
	gauge(out, "stormtop_desk_app_p99_widening", "Attached app's p99 over its clean baseline.",
	      r->app_widen);
	render_holds(out, r);
	render_nodes(out, f);
}

static void render_apps(struct promtext *out, const struct frame *f)
{
	char labels[160];

	if (!f->napps)
		return;
	promtext_family(out, "stormtop_app_up", PROM_GAUGE, "1 while the attached segment is read.");
	for (uint32_t i = 0; i < f->napps && i < FRAME_APPS; i++) {
		labels[0] = '\0';
		prom_label(labels, sizeof(labels), "app", f->apps[i].name);
		promtext_u64(out, "", labels, f->apps[i].state == APP_OK);
	}
	if (!f->nseries)
		return;
	promtext_family(out, "stormtop_app_series_p99_seconds", PROM_GAUGE,
			"p99 of each attached series over the latest tick.");
	for (uint32_t i = 0; i < f->nseries && i < FRAME_SERIES; i++) {
		const struct frame_series *s = &f->series[i];

		labels[0] = '\0';
		prom_label(labels, sizeof(labels), "app", s->app < FRAME_APPS ? f->apps[s->app].name : "?");
		prom_label(labels, sizeof(labels), "series", s->label);
		prom_label(labels, sizeof(labels), "kind", s->kind == 2 ? "phase" : "latency");
		promtext_f64(out, "", labels, (double)s->q[SQ_P99] / 1e9);
	}
}

void prom_render_status(struct promtext *out, const struct prom_totals *t, const struct frame *f)
{
	char labels[96];

	render_apps(out, f);
	promtext_family(out, "stormtop_source_up", PROM_GAUGE,
			"1 when the collector delivers (state ok or partial); the state says why not.");
	for (int s = 0; s < SRC_MAX; s++) {
		uint8_t st = f->status[s].state;

		labels[0] = '\0';
		prom_label(labels, sizeof(labels), "source", source_name(s));
		prom_label(labels, sizeof(labels), "state", source_state_name(st));
		promtext_u64(out, "", labels, st == SOURCE_OK || st == SOURCE_PARTIAL);
	}
	promtext_family(out, "stormtop_signal_up", PROM_GAUGE, "1 when the eBPF or perf signal has data.");
	for (int s = 0; s < SIG_MAX; s++) {
		labels[0] = '\0';
		prom_label(labels, sizeof(labels), "signal", signal_name(s));
		promtext_u64(out, "", labels, frame_has(f, s));
	}
	promtext_family(out, "stormtop_build_info", PROM_GAUGE, "stormtop's version.");
	labels[0] = '\0';
	prom_label(labels, sizeof(labels), "version", STORMTOP_VERSION);
	promtext_u64(out, "", labels, 1);
	promtext_family(out, "stormtop_frames_total", PROM_COUNTER, "Ticks sampled.");
	promtext_u64(out, "", "", t->frames);
	promtext_family(out, "stormtop_last_frame_timestamp_seconds", PROM_GAUGE,
			"Wall-clock time of the latest tick.");
	promtext_f64(out, "", "", (double)f->wall_ns / 1e9);
	prom_render_host_counters(out, t, f);
}
