// SPDX-License-Identifier: GPL-2.0-only
/* What one tick costs: parsing /proc/interrupts at 2..4096 CPUs, and a
 * full procfs sample of this host.  Prints figures; asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collectors/interrupts.h"
#include "collectors/procfs.h"
#include "core/ring.h"

/* A /proc/interrupts as a host with ncpu CPUs and 40 device lines prints it. */
static size_t synth_interrupts(char *buf, size_t cap, uint32_t ncpu)
{
	static const char *const names[] = { "NMI", "LOC", "RES", "CAL", "TLB", "TRM", "PIN" };
	size_t n = 0;

	n += (size_t)snprintf(buf + n, cap - n, "    ");
	for (uint32_t c = 0; c < ncpu; c++)
		n += (size_t)snprintf(buf + n, cap - n, " %10s%u", "CPU", c);
	n += (size_t)snprintf(buf + n, cap - n, "\n");
	for (int l = 0; l < 40 + 7; l++) {
		if (l < 40)
			n += (size_t)snprintf(buf + n, cap - n, "%4d:", l + 24);
		else
			n += (size_t)snprintf(buf + n, cap - n, "%s:", names[l - 40]);
		for (uint32_t c = 0; c < ncpu; c++)
			n += (size_t)snprintf(buf + n, cap - n, " %10u", (c * 7919u + (unsigned)l) % 100000000u);
		n += (size_t)snprintf(buf + n, cap - n, l < 40 ? "  PCI-MSIX-0000:00:%02d.0 eth%d\n" : "  x\n", l, l);
	}
	return n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_parse(uint32_t ncpu)
{
	size_t cap = (size_t)ncpu * 12 * 50 + 65536;
	char *buf = malloc(cap), err[128];
	struct irq_snapshot s;
	size_t len = synth_interrupts(buf, cap, ncpu);
	int reps = ncpu <= 64 ? 20000 : ncpu <= 1024 ? 500 : 100;
	double t0;

	irq_snapshot_init(&s, ncpu);
	t0 = now_s();
	for (int i = 0; i < reps; i++)
		if (irq_parse(buf, len, &s, err, sizeof(err)) < 0) {
			printf("parse failed: %s\n", err);
			break;
		}
	printf("  /proc/interrupts parse, %4u CPUs (%7zu bytes): %9.1f us/tick\n", ncpu, len,
	       (now_s() - t0) / reps * 1e6);
	irq_snapshot_free(&s);
	free(buf);
}

static void bench_live(void)
{
	struct frame_ring r;
	struct procfs *p;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	int reps = 2000;
	double t0;

	ring_init(&r, 4, (uint32_t)ncpu);
	p = procfs_open("", (uint32_t)ncpu);
	t0 = now_s();
	for (int i = 0; i < reps; i++) {
		procfs_sample(p, ring_begin(&r));
		ring_commit(&r);
	}
	printf("  full procfs sample of this host (%ld CPUs):     %9.1f us/tick\n", ncpu,
	       (now_s() - t0) / reps * 1e6);
	procfs_close(p);
	ring_free(&r);
}

int main(void)
{
	static const uint32_t sizes[] = { 2, 64, 256, 1024, 4096 };

	printf("stormtop tick cost\n");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench_parse(sizes[i]);
	bench_live();
	printf("  a full frame: %zu bytes per CPU, plus %zu (the ring keeps %d)\n", sizeof(struct frame_cpu),
	       sizeof(struct frame), RING_FULL);
	/* what each tick of --history adds once filled, by core/ring.h's own sum */
	printf("  a tick of history: %llu bytes, plus %llu per CPU where a heatmap is drawn\n",
	       (unsigned long long)(ring_bytes(2, 1, 1, 0) - ring_bytes(1, 1, 1, 0)),
	       (unsigned long long)(ring_bytes(2, 1, 2, 1) - ring_bytes(1, 1, 2, 1) -
				    (ring_bytes(2, 1, 1, 1) - ring_bytes(1, 1, 1, 1))));
	return 0;
}
