#include "metric.h"

static int has_delta(const struct frame *f, uint32_t cpu)
{
	return cpu < f->ncpu && f->interval_ns > 0 && f->cpu[cpu].online && !f->cpu[cpu].fresh;
}

static double tlb_rx(const struct frame *f, uint32_t cpu)
{
	if (!has_delta(f, cpu) || !(f->irq_present & (1u << IRQ_TLB)))
		return -1;
	return frame_rate(f, f->cpu[cpu].irq[IRQ_TLB]);
}

const struct metric metric_tlb_rx = {
	.key = "tlb_rx",
	.title = "TLB shootdown IPIs received",
	.unit = "/s",
	.per_cpu = tlb_rx,
};
