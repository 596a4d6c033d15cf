// SPDX-License-Identifier: GPL-2.0-only
#include "export/batch.h"

#include <inttypes.h>
#include <string.h>

#include "core/field.h"
#include "util/cpulist.h"
#include "core/metric.h"
#include "core/present.h"

/* The per-CPU columns after seq, time, interval_s, cpu, node, online: the
 * field rows with a batch column (struct field.col), in that order, and two
 * computed ones at their places: tlb_per_s the TLB line as a rate,
 * tlb_rx_gap the TLB line less the csd program's count (what it missed:
 * metric.h).  A computed column follows its field's gate. */
enum how { READ, RATE, RX_GAP };
static const struct { uint8_t col; const char *name, *field; uint8_t how; } computed[] = {
	{ 6, "tlb_per_s", "tlb", RATE },
	{ 24, "tlb_rx_gap", "tlb_rx", RX_GAP },
};
#define MAX_COLS BATCH_MAX_COLS

struct column {
	const char *name;
	const struct field *fd;
	uint8_t how;
};
static struct column cols[MAX_COLS];
static size_t ncols;

/* The columns by position, holes closed up; built once. */
static void columns_init(void)
{
	struct column at[MAX_COLS + 1] = { { 0 } };

	if (ncols)
		return;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (fd->scope == SCOPE_CPU && fd->col && fd->col <= MAX_COLS)
			at[fd->col] = (struct column){ fd->name, fd, READ };
	}
	for (size_t i = 0; i < sizeof(computed) / sizeof(computed[0]); i++)
		at[computed[i].col] = (struct column){ computed[i].name, field_find(SCOPE_CPU, computed[i].field),
						       computed[i].how };
	for (size_t p = 1; p <= MAX_COLS; p++)
		if (at[p].name && at[p].fd)
			cols[ncols++] = at[p];
}

#include "util/text.h"

void batch_header(FILE *out)
{
	columns_init();
	fputs("seq\ttime\tinterval_s\tcpu\tnode\tonline", out);
	for (size_t i = 0; i < ncols; i++)
		fprintf(out, "\t%s", cols[i].name);
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
			fprintf(out, "%u CPU%s", n->cpus, n->cpus == 1 ? "" : "s");
		else
			fputs("memory only", out);
		if (n->mem_bytes)
			fprintf(out, ", %.1f GiB", (double)n->mem_bytes / (1 << 30));
		fputc(')', out);
	}
	fputc('\n', out);
}

void batch_missing(FILE *out, const struct frame *f, uint8_t *said)
{
	static const struct field *fds[MAX_COLS];
	static const char *names[MAX_COLS];

	columns_init();
	for (size_t i = 0; i < ncols; i++) {
		fds[i] = cols[i].fd;
		names[i] = cols[i].name;
	}
	field_say_missing(out, "-", fds, names, ncols, f, said);
}

void batch_frame(FILE *out, const struct frame *f, const uint8_t *mask)
{
	double t = (double)f->wall_ns / 1e9;
	double iv = (double)f->interval_ns / 1e9;

	columns_init();
	for (uint32_t c = 0; c < f->ncpu; c++) {
		const struct frame_cpu *fc = &f->cpu[c];

		if (!frame_cpu_exists(f, c) || (mask && !mask[c]))
			continue;
		fprintf(out, "%" PRIu64 "\t%.3f\t%.6f\t%u\t%u\t%u", f->seq, t, iv, c, fc->node, fc->online);
		for (size_t i = 0; i < ncols; i++) {
			const struct field *fd = cols[i].fd;
			char v[32];
			int64_t gap;

			if (!field_present_cpu(f, fd, c))
				snprintf(v, sizeof(v), "-");
			else if (cols[i].how == RX_GAP) {
				if (tlb_rx_gap(f, c, &gap))
					snprintf(v, sizeof(v), "%" PRId64, gap);
				else
					snprintf(v, sizeof(v), "-");
			}
			else if (cols[i].how == RATE)
				snprintf(v, sizeof(v), "%.1f", frame_rate(f, field_bits(fd, fc)));
			else
				field_format(fd, fc, v, sizeof(v));
			fprintf(out, "\t%s", v);
		}
		fputc('\n', out);
	}
	fflush(out);
}
