// SPDX-License-Identifier: GPL-2.0-only
#include "core/metric.h"

#include <math.h>
#include <stdio.h>

#include "core/hist.h"
#include "core/sigwhy.h"

static int has_delta(const struct frame *f, uint32_t cpu)
{
	return cpu < f->ncpu && f->interval_ns > 0 && f->cpu[cpu].online && !f->cpu[cpu].fresh;
}

/* Why signal s is missing, from the frame's status (the UI thread only). */
static const char *why_not(const struct frame *f, enum signal s)
{
	static char why[FRAME_STATUS_LEN];

	return signal_why(f, s, why, sizeof(why));
}

/* Received IPIs: the kernel's own /proc/interrupts line when it has one,
 * which needs no privilege; the csd tracepoints otherwise (arm64). */
static double tlb_rx(const struct frame *f, uint32_t cpu)
{
	if (!has_delta(f, cpu))
		return -1;
	if (f->irq_present & (1u << IRQ_TLB))
		return frame_rate(f, f->cpu[cpu].irq[IRQ_TLB]);
	if (frame_has(f, SIG_TLB_RX))
		return frame_rate(f, f->cpu[cpu].tlb_rx);
	return -1;
}

int tlb_rx_gap(const struct frame *f, uint32_t cpu, int64_t *gap)
{
	*gap = 0;
	if (!has_delta(f, cpu) || !(f->irq_present & (1u << IRQ_TLB)) || !frame_has(f, SIG_TLB_RX))
		return 0;
	*gap = (int64_t)(f->cpu[cpu].irq[IRQ_TLB] - f->cpu[cpu].tlb_rx);
	return 1;
}

static const char *tlb_rx_missing(const struct frame *f)
{
	static char why[FRAME_STATUS_LEN + 64];

	if ((f->irq_present & (1u << IRQ_TLB)) || frame_has(f, SIG_TLB_RX))
		return 0;
	snprintf(why, sizeof(why), "no TLB line in /proc/interrupts; csd tracepoints: %s", why_not(f, SIG_TLB_RX));
	return why;
}

const struct metric metric_tlb_rx = {
	.key = "tlb_rx", .brief = "TLB IPIs rx", .title = "TLB shootdown IPIs received", .unit = "/s",
	.per_cpu = tlb_rx, .needs = -1, .missing = tlb_rx_missing,
};

static double ipi_sent(const struct frame *f, uint32_t cpu)
{
	if (!has_delta(f, cpu) || !frame_has(f, SIG_TLB_FANOUT))
		return -1;
	return frame_rate(f, f->cpu[cpu].tlb_fanout);
}

/* Only the csd tracepoints (Linux 6.5+) see IPIs sent: name them, as
 * /proc/interrupts stands in for the received ones but not for these. */
static const char *ipi_sent_missing(const struct frame *f)
{
	const struct source_status *s = &f->status[SRC_BPF];

	if (frame_has(f, SIG_TLB_FANOUT))
		return 0;
	if (s->state != SOURCE_OK && s->state != SOURCE_PARTIAL)
		return s->reason;
	return "needs csd:csd_queue_cpu for flush_tlb_func (Linux 6.5+; see the bpf status)";
}

static const struct metric metric_ipi_sent = {
	.key = "ipi_sent", .brief = "TLB IPIs sent", .title = "TLB shootdown IPIs sent", .unit = "/s",
	.per_cpu = ipi_sent, .needs = -1, .missing = ipi_sent_missing,
};

/* Microseconds per second spent in call-function IPI handlers. */
static double ipi_tax(const struct frame *f, uint32_t cpu)
{
	if (!has_delta(f, cpu) || !frame_has(f, SIG_CALLFN))
		return -1;
	return frame_rate(f, f->cpu[cpu].callfn_ns) / 1e3;
}

/* 1 ms of every second (0.1 % of a core) is already visible at the
 * desk's p99; 10 ms is a core losing 1 %. */
static const struct metric metric_ipi_tax = {
	.key = "ipi_tax", .brief = "IPI tax", .title = "IPI tax: time in call-function IPI handlers", .unit = "us/s",
	.warn = 1000, .crit = 10000, .per_cpu = ipi_tax, .needs = SIG_CALLFN,
};

static double iotlb(const struct frame *f, uint32_t cpu)
{
	const struct frame_cpu *c = &f->cpu[cpu];

	if (!has_delta(f, cpu) || !(f->signals & (1u << SIG_IOMMU_MAP | 1u << SIG_IOTLB_INVAL)))
		return -1;
	return frame_rate(f, c->io_map + c->io_unmap + c->io_inval);
}

static const char *iotlb_missing(const struct frame *f)
{
	if (f->signals & (1u << SIG_IOMMU_MAP | 1u << SIG_IOTLB_INVAL))
		return 0;
	return why_not(f, SIG_IOMMU_MAP);
}

static const struct metric metric_iotlb = {
	.key = "iotlb", .brief = METRIC_IOTLB_NAME,
	.title = METRIC_IOTLB_NAME ": map + unmap + IOTLB invalidations", .unit = "/s",
	.per_cpu = iotlb, .needs = -1, .missing = iotlb_missing,
};

/* p99 of this tick's run-queue delays, microseconds; 0 when none ran. */
static double runq_p99(const struct frame *f, uint32_t cpu)
{
	if (!has_delta(f, cpu) || !frame_has(f, SIG_RUNQ))
		return -1;
	return (double)f->cpu[cpu].rq_q[RQ_P99] / 1e3;
}

/* A desk's gateway budget is tens of microseconds: 100 us waiting for a
 * core is a missed quote, 1 ms a visible p99 step. */
static const struct metric metric_runq_p99 = {
	.key = "runq_p99", .brief = "runq p99", .title = "run-queue delay p99", .unit = "us",
	.warn = 100, .crit = 1000, .per_cpu = runq_p99, .needs = SIG_RUNQ,
};

/* Worst p99 lateness of the dispatch-phase series pinned to this CPU. */
static double jitter(const struct frame *f, uint32_t cpu)
{
	if (!has_delta(f, cpu) || !frame_has(f, SIG_APP_PHASE) || !f->cpu[cpu].jit_n)
		return -1;
	return (double)f->cpu[cpu].jit_p99_ns / 1e3;
}

static const char *jitter_missing(const struct frame *f)
{
	if (frame_has(f, SIG_APP_PHASE))
		return 0;
	return "attach an app (--attach NAME, key a) or start --jitter-probe CPUS";
}

/* A 50 us dispatch grid: 50 us late is a missed slot; 500 us is ten. */
static const struct metric metric_jitter = {
	.key = "jitter", .brief = "jitter p99", .title = "dispatch jitter p99 (lateness vs the app's grid)", .unit = "us",
	.warn = 50, .crit = 500, .per_cpu = jitter, .needs = -1, .missing = jitter_missing,
};

const struct metric *const metrics[METRIC_COUNT] = {
	[METRIC_TLB_RX] = &metric_tlb_rx,
	[METRIC_IPI_SENT] = &metric_ipi_sent,
	[METRIC_IPI_TAX] = &metric_ipi_tax,
	[METRIC_IOTLB] = &metric_iotlb,
	[METRIC_RUNQ_P99] = &metric_runq_p99,
	[METRIC_JITTER] = &metric_jitter,
};

const char *metric_missing(const struct metric *m, const struct frame *f)
{
	if (m->missing)
		return m->missing(f);
	return m->needs < 0 || frame_has(f, (enum signal)m->needs) ? NULL : why_not(f, (enum signal)m->needs);
}

static double per_cpu_sum(const struct metric *m, const struct frame *f, int per_core)
{
	double sum = 0;
	uint32_t n = 0;

	for (uint32_t cpu = 0; cpu < f->ncpu; cpu++) {
		double v = m->per_cpu(f, cpu);

		if (v >= 0) {
			sum += v;
			n++;
		}
	}
	return n ? (per_core ? sum / n : sum) : NAN;
}

double tick_tlb_per_core(const struct frame *f)
{
	return per_cpu_sum(metrics[METRIC_TLB_RX], f, 1);
}

double tick_iotlb_rate(const struct frame *f)
{
	return per_cpu_sum(metrics[METRIC_IOTLB], f, 0);
}

double tick_runq_p99_ns(const struct frame *f)
{
	return frame_has(f, SIG_RUNQ) && hist_total(f->sys.rq_hist) ?
	       (double)hist_quantile(f->sys.rq_hist, 0.99) : NAN;
}

double tick_app_p99_ns(const struct frame *f)
{
	return frame_has(f, SIG_APP_LAT) && hist_total(f->app_hist) ?
	       (double)hist_quantile(f->app_hist, 0.99) : NAN;
}
