// SPDX-License-Identifier: GPL-2.0-only
/* TLB IPIs received, counted twice and both kept: the kernel's
 * /proc/interrupts TLB line and the csd:csd_function_entry program.  Their
 * difference is shown, not hidden: per CPU per tick (tlb_rx_gap, the -b
 * column), and since start in /metrics.  The reference is a hand
 * calculation from the counts put in the frames. */
#include "testlib.h"

#include <math.h>

#include "export/batch.h"
#include "core/metric.h"
#include "export/prom.h"

static struct frame_cpu cpus[2][3];

/* Three CPUs: 0 both counts, 1 just came online, 2 offline. */
static void fill(struct frame *f, struct frame_cpu *c, uint64_t irq, uint64_t csd)
{
	memset(f, 0, sizeof(*f));
	memset(c, 0, sizeof(cpus[0]));
	f->cpu = c;
	f->ncpu = 3;
	f->interval_ns = 1000000000LL;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_TLB_RX;
	c[0].online = c[1].online = 1;
	c[1].fresh = 1;
	c[0].irq[IRQ_TLB] = irq;
	c[0].tlb_rx = csd;
	c[1].irq[IRQ_TLB] = 9;
	c[1].tlb_rx = 1;
	frame_set_status(f, SRC_BPF, SOURCE_OK, NULL);
	frame_topo_derive(f); /* every slot a CPU, as an old recording's */
}

static void gap_per_cpu(void **state)
{
	struct frame f;
	int64_t gap = 99;

	(void)state;
	fill(&f, cpus[0], 10750, 10747);
	assert_int_equal(tlb_rx_gap(&f, 0, &gap), 1);
	assert_int_equal(gap, 3);
	/* a read edge can put an IPI in the csd count first: negative */
	f.cpu[0].tlb_rx = 10752;
	assert_int_equal(tlb_rx_gap(&f, 0, &gap), 1);
	assert_int_equal(gap, -2);
	/* no delta yet, offline, no such CPU: nothing to compare */
	assert_int_equal(tlb_rx_gap(&f, 1, &gap), 0);
	assert_int_equal(gap, 0);
	assert_int_equal(tlb_rx_gap(&f, 2, &gap), 0);
	assert_int_equal(tlb_rx_gap(&f, 7, &gap), 0);
	/* one source alone: no gap (5.10/6.1 have no csd tracepoints; arm64
	 * no TLB line) */
	f.signals = 0;
	assert_int_equal(tlb_rx_gap(&f, 0, &gap), 0);
	f.signals = 1u << SIG_TLB_RX;
	f.irq_present = 0;
	assert_int_equal(tlb_rx_gap(&f, 0, &gap), 0);
	f.irq_present = 1u << IRQ_TLB;
	f.interval_ns = 0; /* the first frame holds no deltas */
	assert_int_equal(tlb_rx_gap(&f, 0, &gap), 0);
}

/* The -b line's last column. */
static long long last_column(const char *line)
{
	const char *tab = strrchr(line, '\t');

	assert_non_null(tab);
	return strtoll(tab + 1, NULL, 10);
}

static void batch_column(void **state)
{
	struct frame f;
	char *out = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);

	(void)state;
	fill(&f, cpus[0], 10750, 10747);
	batch_header(mem);
	batch_frame(mem, &f, NULL);
	fclose(mem);
	line = strtok_r(out, "\n", &save);
	assert_non_null(strstr(line, "\tminflt\ttlb_rx_gap"));
	assert_int_equal(last_column(strtok_r(NULL, "\n", &save)), 3);
	line = strtok_r(NULL, "\n", &save); /* fresh and offline: no figure, "-" */
	assert_string_equal(strrchr(line, '\t'), "\t-");
	line = strtok_r(NULL, "\n", &save);
	assert_string_equal(strrchr(line, '\t'), "\t-");
	free(out);
}

static char text[1 << 20];

static double sample(const char *series)
{
	const char *p = strstr(text, series);

	if (!p)
		return NAN;
	return strtod(p + strlen(series) + 1, NULL);
}

static void metrics_since_start(void **state)
{
	struct prom_totals tot;
	struct frame f[2];
	struct promtext t = { .buf = text, .cap = sizeof(text) };

	(void)state;
	assert_int_equal(prom_totals_init(&tot, 3), 0);
	fill(&f[0], cpus[0], 10750, 10747);
	fill(&f[1], cpus[1], 9000, 9002);
	prom_accumulate(&tot, &f[0]);
	prom_accumulate(&tot, &f[1]);
	promtext_reset(&t);
	prom_render(&t, &tot, &f[1], &(struct prom_opts){ .top_k = 3 });
	assert_false(t.overflow);
	assert_non_null(strstr(text, "# TYPE stormtop_cpu_tlb_shootdowns_unseen gauge"));
	/* (10750 + 9000) - (10747 + 9002) = 1 */
	assert_true(sample("stormtop_cpu_tlb_shootdowns_unseen{cpu=\"0\",node=\"0\"}") == 1);
	/* (9 + 9) - (1 + 1) over both ticks, as the two counters say */
	assert_true(sample("stormtop_cpu_tlb_shootdowns_unseen{cpu=\"1\",node=\"0\"}") == 16);
	assert_true(isnan(sample("stormtop_cpu_tlb_shootdowns_unseen{cpu=\"2\"")));
	/* without the csd count there is no gap to show */
	f[1].signals = 0;
	promtext_reset(&t);
	prom_render(&t, &tot, &f[1], &(struct prom_opts){ .top_k = 3 });
	assert_null(strstr(text, "tlb_shootdowns_unseen"));
	prom_totals_free(&tot);
}

/* Kernels before 6.5 (no csd tracepoints): received comes from
 * /proc/interrupts, and the sent heatmap names what it lacks. */
static void without_csd(void **state)
{
	struct frame f;

	(void)state;
	fill(&f, cpus[0], 10750, 0);
	f.signals = 1u << SIG_TLB_FLUSH; /* tlb_flush attached, csd_* not */
	assert_true(metric_tlb_rx.per_cpu(&f, 0) == 10750.0);
	assert_null(metric_missing(&metric_tlb_rx, &f));
	assert_true(metrics[METRIC_IPI_SENT]->per_cpu(&f, 0) < 0);
	assert_non_null(strstr(metric_missing(metrics[METRIC_IPI_SENT], &f), "csd:csd_queue_cpu"));
	frame_set_status(&f, SRC_BPF, SOURCE_UNAVAILABLE, "not permitted: needs CAP_BPF (or root): procfs only");
	assert_string_equal(metric_missing(metrics[METRIC_IPI_SENT], &f),
			    "not permitted: needs CAP_BPF (or root): procfs only");
	f.signals |= 1u << SIG_TLB_FANOUT;
	assert_null(metric_missing(metrics[METRIC_IPI_SENT], &f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gap_per_cpu),
		cmocka_unit_test(batch_column),
		cmocka_unit_test(metrics_since_start),
		cmocka_unit_test(without_csd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
