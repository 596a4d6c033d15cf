#include "batch.h"

#include <inttypes.h>

#include "text.h"

void batch_header(FILE *out)
{
	fputs("seq\ttime\tinterval_s\tcpu\tnode\tonline\ttlb\tcal\tres\tloc\tiommu"
	      "\ttlb_per_s\trun_delay_ns\ttimeslices"
	      "\tflush_send\tfanout\ttlb_rx\ttlb_rx_ns\tcallfn\tcallfn_ns"
	      "\trq_n\trq_p50_ns\trq_p99_ns\trq_max_ns\tpreempt\tiommu_map\tiommu_unmap"
	      "\tctxsw\tminflt\n", out);
}

void batch_sources(FILE *out, const struct frame *f)
{
	for (int s = 0; s < SRC_MAX; s++)
		if (f->status[s].state != SOURCE_OK && f->status[s].reason[0])
			text_say(out, "%s: %s", source_name((enum source)s), f->status[s].reason);
}

/* The eBPF and perf figures; 0 where the signal is missing (see stderr). */
static void batch_bpf(FILE *out, const struct frame_cpu *fc)
{
	const uint64_t v[] = {
		fc->tlb_flush[4], fc->tlb_fanout, fc->tlb_rx, fc->tlb_rx_ns, fc->callfn,
		fc->callfn_ns, fc->rq_count, fc->rq_q[RQ_P50], fc->rq_q[RQ_P99], fc->rq_max,
		fc->rq_preempt, fc->io_map, fc->io_unmap, fc->perf[PERF_CTXSW], fc->perf[PERF_MINFLT],
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		fprintf(out, "\t%" PRIu64, v[i]);
	fputc('\n', out);
}

void batch_frame(FILE *out, const struct frame *f, const uint8_t *mask)
{
	double t = (double)f->wall_ns / 1e9;
	double iv = (double)f->interval_ns / 1e9;

	for (uint32_t c = 0; c < f->ncpu; c++) {
		const struct frame_cpu *fc = &f->cpu[c];

		if (mask && !mask[c])
			continue;
		fprintf(out, "%" PRIu64 "\t%.3f\t%.6f\t%u\t%u\t%u", f->seq, t, iv, c, fc->node, fc->online);
		for (int k = 0; k < IRQ_KIND_MAX; k++)
			fprintf(out, "\t%" PRIu64, fc->irq[k]);
		fprintf(out, "\t%.1f\t%" PRIu64 "\t%" PRIu64, frame_rate(f, fc->irq[IRQ_TLB]),
			fc->run_delay_ns, fc->timeslices);
		batch_bpf(out, fc);
	}
	fflush(out);
}
