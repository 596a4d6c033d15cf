#include "batch.h"

#include <inttypes.h>

void batch_header(FILE *out)
{
	fputs("seq\ttime\tinterval_s\tcpu\tnode\tonline\ttlb\tcal\tres\tloc\tiommu"
	      "\ttlb_per_s\trun_delay_ns\ttimeslices\n", out);
}

void batch_sources(FILE *out, const struct frame *f)
{
	for (int s = 0; s < SRC_MAX; s++)
		if (f->status[s].state != SOURCE_OK)
			fprintf(out, "stormtop: %s: %s\n", source_name((enum source)s),
				f->status[s].reason);
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
		fprintf(out, "\t%.1f\t%" PRIu64 "\t%" PRIu64 "\n", frame_rate(f, fc->irq[IRQ_TLB]),
			fc->run_delay_ns, fc->timeslices);
	}
	fflush(out);
}
