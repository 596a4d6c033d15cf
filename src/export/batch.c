// SPDX-License-Identifier: GPL-2.0-only
#include "export/batch.h"

#include <inttypes.h>
#include <string.h>

#include "core/field.h"
#include "util/cpulist.h"
#include "core/metric.h"
#include "core/present.h"

/* The per-CPU columns after seq, time, interval_s, cpu, node, online: the
 * codec's fields by name (so presence follows their gates), tlb_per_s the
 * TLB line as a rate, tlb_rx_gap the TLB line less the csd program's count
 * (what it missed: metric.h), last. */
static const struct { const char *name, *field; } columns[] = {
	{ "tlb", "tlb" }, { "cal", "cal" }, { "res", "res" }, { "loc", "loc" }, { "iommu", "iommu" },
	{ "tlb_per_s", "tlb" }, { "run_delay_ns", "run_delay_ns" }, { "timeslices", "timeslices" },
	{ "flush_send", "flush_send" }, { "fanout", "fanout" }, { "tlb_rx", "tlb_rx" },
	{ "tlb_rx_ns", "tlb_rx_ns" }, { "callfn", "callfn" }, { "callfn_ns", "callfn_ns" }, { "rq_n", "rq_n" },
	{ "rq_p50_ns", "rq_p50_ns" }, { "rq_p99_ns", "rq_p99_ns" }, { "rq_max_ns", "rq_max_ns" },
	{ "preempt", "preempt" }, { "iommu_map", "iommu_map" }, { "iommu_unmap", "iommu_unmap" },
	{ "ctxsw", "ctxsw" }, { "minflt", "minflt" }, { "tlb_rx_gap", "tlb_rx" },
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

static const struct field *col_field[NCOLS];

static const struct field *field_of(size_t i)
{
	for (size_t k = 0; !col_field[i] && k < frame_nfields; k++)
		if (frame_fields[k].scope == SCOPE_CPU && strcmp(frame_fields[k].name, columns[i].field) == 0)
			col_field[i] = &frame_fields[k];
	return col_field[i];
}

#include "util/text.h"

void batch_header(FILE *out)
{
	fputs("seq\ttime\tinterval_s\tcpu\tnode\tonline", out);
	for (size_t i = 0; i < NCOLS; i++)
		fprintf(out, "\t%s", columns[i].name);
	fputc('\n', out);
}

void batch_sources(FILE *out, const struct frame *f)
{
	for (int s = 0; s < SRC_MAX; s++)
		if (f->status[s].state != SOURCE_OK && f->status[s].reason[0])
			text_say(out, "%s: %s", source_name((enum source)s), f->status[s].reason);
}

void batch_topology(FILE *out, const struct frame *f)
{
	static uint8_t possible[FRAME_MAX_CPUS];
	char list[200];

	for (uint32_t c = 0; c < f->ncpu && c < FRAME_MAX_CPUS; c++)
		possible[c] = (uint8_t)frame_cpu_exists(f, c);
	cpulist_format(possible, f->ncpu, list, sizeof(list));
	fprintf(out, "stormtop: topology: %u CPUs (%s), %u online; %u NUMA node%s", frame_cpus(f), list, f->online,
		frame_nnodes(f), frame_nnodes(f) == 1 ? "" : "s");
	for (uint32_t i = 0; i < f->topo.nlist && i < FRAME_TOPO_NODES; i++) {
		const struct frame_node *n = &f->topo.node[i];

		fprintf(out, "%s %u (", i ? "," : ":", n->node);
		if (n->cpus)
			fprintf(out, "%u CPUs", n->cpus);
		else
			fputs("memory only", out);
		if (n->mem_bytes)
			fprintf(out, ", %.1f GiB", (double)n->mem_bytes / (1 << 30));
		fputc(')', out);
	}
	fputc('\n', out);
}

void batch_missing(FILE *out, const struct frame *f, uint64_t *said)
{
	static char why[NCOLS][FRAME_STATUS_LEN + 96]; /* a status, whole */
	uint64_t missing = 0;

	for (size_t i = 0; i < NCOLS; i++)
		if (!field_available(f, field_of(i), why[i], sizeof(why[i])))
			missing |= 1ull << i;
	if (missing == *said)
		return;
	*said = missing;
	/* one line per reason, naming every column it empties */
	for (size_t i = 0; i < NCOLS; i++) {
		char cols[NCOLS * 16] = "";
		size_t at = 0;

		if (!(missing >> i & 1))
			continue;
		for (size_t j = i; j < NCOLS; j++)
			if (missing >> j & 1 && strcmp(why[i], why[j]) == 0) {
				at += (size_t)snprintf(cols + at, sizeof(cols) - at, "%s%s", at ? ", " : "",
						       columns[j].name);
				if (j > i)
					missing &= ~(1ull << j);
			}
		text_say(out, "no data, printed as -: %s (%s)", cols, why[i]);
	}
}

void batch_frame(FILE *out, const struct frame *f, const uint8_t *mask)
{
	double t = (double)f->wall_ns / 1e9;
	double iv = (double)f->interval_ns / 1e9;

	for (uint32_t c = 0; c < f->ncpu; c++) {
		const struct frame_cpu *fc = &f->cpu[c];

		if (!frame_cpu_exists(f, c) || (mask && !mask[c]))
			continue;
		fprintf(out, "%" PRIu64 "\t%.3f\t%.6f\t%u\t%u\t%u", f->seq, t, iv, c, fc->node, fc->online);
		for (size_t i = 0; i < NCOLS; i++) {
			const struct field *fd = field_of(i);
			char v[32];
			int64_t gap;

			if (!field_present_cpu(f, fd, c))
				snprintf(v, sizeof(v), "-");
			else if (strcmp(columns[i].name, "tlb_rx_gap") == 0) {
				if (tlb_rx_gap(f, c, &gap))
					snprintf(v, sizeof(v), "%" PRId64, gap);
				else
					snprintf(v, sizeof(v), "-");
			}
			else if (strcmp(columns[i].name, "tlb_per_s") == 0)
				snprintf(v, sizeof(v), "%.1f", frame_rate(f, fc->irq[IRQ_TLB]));
			else
				field_format(fd, fc, v, sizeof(v));
			fprintf(out, "\t%s", v);
		}
		fputc('\n', out);
	}
	fflush(out);
}
