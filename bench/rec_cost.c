// SPDX-License-Identifier: GPL-2.0-only
/* What recording costs: bytes per frame at 2, 64 and 256 CPUs with every
 * collector's fields filled (target: <= 2 KB at 64 CPUs), encode and
 * decode rates, opening and seeking a 24 h file at 1 s (target: a seek
 * under 50 ms), and the recorder's own CPU.  Prints figures only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "record/codec.h"
#include "stormtop/loglin.h"
#include "record/recreader.h"
#include "record/recwriter.h"
#include "record/timesel.h"
#include "core/ring.h"

static uint64_t seed = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(uint64_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return n ? seed % n : 0;
}

static int64_t frame_wall(const void *rd, size_t i)
{
	return rec_reader_time(rd, i);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A value as the histogram reports it: the midpoint of a loglin slot. */
static uint64_t quantile_near(uint64_t ns)
{
	unsigned int s = loglin_slot(ns);

	return (loglin_low(s) + loglin_high(s) - 1) / 2;
}

/* A busy host's tick: every collector present; one core in eight in a
 * shootdown storm, the rest with the small counts of a working core.
 * Quantiles are slot midpoints, as the collectors write them. */
static int idle_share; /* of every 4 CPUs, how many are idle */

/* An idle core: tickless, a few interrupts, nothing else. */
static void idle_cpu(struct frame_cpu *p)
{
	p->online = 1;
	p->irq[IRQ_LOC] = rnd(3) ? 0 : rnd(30);
	p->irq[IRQ_RES] = rnd(8) ? 0 : 1;
}

static void fill(struct frame *f, uint64_t i)
{
	frame_clear(f);
	f->seq = i;
	f->wall_ns = 1795000000000000000LL + (int64_t)i * 1000000000LL;
	f->mono_ns = (int64_t)i * 1000000000LL;
	f->interval_ns = 1000000000LL + (int64_t)rnd(200000);
	f->online = f->ncpu;
	f->irq_present = 0xf;
	f->signals = 0x3fff;
	for (int k = 0; k < VM_STAT_MAX; k++)
		f->sys.vm[k] = rnd(4) ? rnd(5000) : 0;
	for (uint32_t c = 0; c < f->ncpu; c++) {
		struct frame_cpu *p = &f->cpu[c];
		int storm = c % 8 == 1;

		p->node = (uint16_t)(c * 2 / f->ncpu);
		if ((int)(c % 4) < idle_share) {
			idle_cpu(p);
			continue;
		}
		p->online = 1;
		p->irq[IRQ_TLB] = storm ? 40000 + rnd(10000) : rnd(4);
		p->irq[IRQ_CAL] = p->irq[IRQ_TLB] + rnd(8);
		p->irq[IRQ_RES] = rnd(40);
		p->irq[IRQ_LOC] = 248 + rnd(5);
		p->tlb_flush[FLUSH_TASK_SWITCH] = rnd(400);
		p->tlb_flush[FLUSH_SEND] = storm ? 0 : rnd(6);
		p->tlb_pages = p->tlb_flush[FLUSH_SEND] * 4;
		p->tlb_fanout = p->tlb_flush[FLUSH_SEND];
		p->tlb_rx = p->irq[IRQ_TLB];
		p->tlb_rx_ns = p->tlb_rx * (600 + rnd(200));
		p->callfn = p->irq[IRQ_CAL];
		p->callfn_ns = p->callfn * (1200 + rnd(300));
		p->rq_count = 100 + rnd(400);
		for (int q = 0; q < RQ_QUANTILES; q++)
			p->rq_q[q] = quantile_near((uint64_t)(q + 1) * (5000 + rnd(20000)));
		p->rq_max = quantile_near(p->rq_q[RQ_P999] + rnd(1000000));
		p->rq_preempt = rnd(30);
		p->perf[PERF_CTXSW] = p->rq_count;
		p->perf[PERF_MIGRATIONS] = rnd(5);
		p->perf[PERF_MINFLT] = rnd(300);
	}
	for (unsigned int s = 200; s < 260; s++)
		f->sys.rq_hist[s] = (uint32_t)rnd(500);
	f->procs.n = FRAME_TOP_PROCS;
	for (uint32_t k = 0; k < FRAME_TOP_PROCS; k++) {
		struct frame_proc *p = &f->procs.top[k];

		p->tgid = (int32_t)(1000 + k * 37);
		snprintf(p->comm, sizeof(p->comm), "proc%u", k);
		p->sent = rnd(50000);
		p->fanout = p->sent;
		p->pages = rnd(100000);
		p->ops[MAP_MUNMAP] = rnd(50000);
		p->ops[MAP_MMAP] = p->ops[MAP_MUNMAP];
		p->faults = rnd(50000);
	}
	frame_set_status(f, SRC_SCHEDSTAT, SOURCE_UNAVAILABLE, "no /proc/schedstat (kernel without CONFIG_SCHEDSTATS)");
	frame_set_status(f, SRC_BPF, SOURCE_PARTIAL, "no tracepoint: qi_submit,cache_tag_flush_all");
	frame_set_status(f, SRC_PERF, SOURCE_PARTIAL, "no hardware PMU: dTLB/iTLB misses unavailable");
}

static struct rec_writer *open_writer(const char *path, uint32_t ncpu)
{
	static uint16_t nodes[4096];
	struct rec_meta m = { .host = "bench", .kernel = "6.18", .version = "bench", .ncpu = ncpu,
			      .nnodes = 2, .node_of = nodes, .interval_ns = 1000000000 };
	char err[256];
	struct rec_writer *w;

	unlink(path);
	if (!(w = rec_writer_open(path, &m, NULL, err, sizeof(err)))) {
		fprintf(stderr, "rec_cost: %s\n", err);
		exit(1);
	}
	return w;
}

static void size_and_rate(uint32_t ncpu)
{
	const char *path = "/tmp/stormtop-bench.rec";
	struct frame_ring r;
	struct rec_writer *w = open_writer(path, ncpu);
	struct rec_reader *rd;
	char err[256];
	int n = 300;
	double t0, t1, t2;
	struct stat st;
	uint64_t head;

	ring_init(&r, 1, ncpu);
	head = rec_writer_bytes(w);
	t0 = now_s();
	for (int i = 0; i < n; i++) {
		fill(&r.frames[0], (uint64_t)i);
		rec_writer_append(w, &r.frames[0], err, sizeof(err));
	}
	t1 = now_s();
	rec_writer_close(w);
	stat(path, &st);
	rd = rec_reader_open(path, err, sizeof(err));
	t2 = now_s();
	for (size_t i = 0; i < rec_reader_count(rd); i++)
		rec_reader_frame(rd, i, &r.frames[0]);
	printf("  %4u CPUs: %6.0f bytes/frame (encoded %6.0f), encode+write %7.0f frames/s, read+decode %7.0f frames/s\n",
	       ncpu, (double)((uint64_t)st.st_size - head) / n,
	       (double)frame_encode(&r.frames[0], (uint8_t[1 << 20]){ 0 }, 1 << 20),
	       n / (t1 - t0), (double)rec_reader_count(rd) / (now_s() - t2));
	rec_reader_close(rd);
	ring_free(&r);
	unlink(path);
}

/* 24 hours at one frame a second, 64 CPUs: open, then random seeks. */
static void day_file(void)
{
	const char *path = "/tmp/stormtop-bench-day.rec";
	struct frame_ring r;
	struct rec_writer *w = open_writer(path, 64);
	struct rec_reader *rd;
	char err[256];
	double t0, worst = 0, sum = 0;
	struct stat st;
	int seeks = 200;

	ring_init(&r, 1, 64);
	for (int i = 0; i < 86400; i++) {
		fill(&r.frames[0], (uint64_t)i);
		rec_writer_append(w, &r.frames[0], err, sizeof(err));
	}
	rec_writer_close(w);
	stat(path, &st);
	t0 = now_s();
	rd = rec_reader_open(path, err, sizeof(err));
	printf("  24 h at 1 s, 64 CPUs: %.1f MB, %zu frames; open (index + CRC of every record) %.0f ms\n",
	       (double)st.st_size / 1e6, rec_reader_count(rd), (now_s() - t0) * 1e3);
	for (int k = 0; k < seeks; k++) {
		int64_t when = 1795000000000000000LL + (int64_t)rnd(86400) * 1000000000LL;
		struct timeline tl = { rec_reader_count(rd), frame_wall, rd, 1000000000LL };
		struct when w;
		char note[200], text[40];
		double s = now_s(), d;

		/* as play's "go to" does it: a typed local time, on the timeline */
		when_format(when, ' ', text, sizeof(text));
		when_parse(text, &w);
		rec_reader_frame(rd, (size_t)timesel_instant(&tl, &w, 0, note, sizeof(note)), &r.frames[0]);
		d = now_s() - s;
		sum += d;
		worst = d > worst ? d : worst;
	}
	printf("  seek to a random time and decode that frame: mean %.3f ms, worst %.3f ms (%d seeks)\n",
	       sum / seeks * 1e3, worst * 1e3, seeks);
	rec_reader_close(rd);
	ring_free(&r);
	unlink(path);
}

/* stormtop record at 10 Hz, steady state: a 70-tick run less a 20-tick one. */
static double record_cpu(void)
{
	double cpu[2];
	const char *ticks[2] = { "20", "70" };

	for (int i = 0; i < 2; i++) {
		struct rusage ru;
		pid_t pid = fork();

		if (pid == 0) {
			execl("./stormtop", "stormtop", "record", "-o", "/tmp/stormtop-bench-live.rec", "-d", "0.1",
			      "-n", ticks[i], (char *)NULL);
			_exit(127);
		}
		wait4(pid, NULL, 0, &ru);
		cpu[i] = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
			 ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
		unlink("/tmp/stormtop-bench-live.rec");
	}
	return (cpu[1] - cpu[0]) / 5.0 * 1e3;
}

int main(void)
{
	printf("Recording size and speed, synthetic frames with every collector's fields.\n"
	       "Every CPU busy, counters noisy (the worst case):\n");
	size_and_rate(2);
	size_and_rate(64);
	size_and_rate(256);
	printf("Three CPUs in four idle, as on most hosts:\n");
	idle_share = 3;
	size_and_rate(64);
	size_and_rate(256);
	idle_share = 0;
	day_file();
	if (geteuid() == 0)
		printf("  stormtop record at 10 Hz on this host: %.2f ms of CPU per second\n", record_cpu());
	return 0;
}
