// SPDX-License-Identifier: GPL-2.0-only
/* What stormprobe costs: the application's record path (target: under
 * 10 ns per record) and stormtop's read of a segment per tick.  Prints
 * figures; asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "collectors/attach.h"
#include "core/ring.h"
#include "stormtop/probe.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Values spread like real latencies (1 us .. 1 ms), precomputed so the
 * loop times the record path alone. */
static void record_cost(struct stormprobe *p)
{
	static uint64_t v[4096];
	struct stormprobe_slot *s = stormprobe_slot_open(p, STORMPROBE_LATENCY, "bench", -1);
	const long n = 200000000;
	uint64_t x = 1;
	double t0;

	for (int i = 0; i < 4096; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		v[i] = 1000 + (x >> 44) % 1000000;
	}
	for (long i = 0; i < 1000000; i++) /* warm */
		stormprobe_record(s, v[i & 4095]);
	t0 = now_s();
	for (long i = 0; i < n; i++)
		stormprobe_record(s, v[i & 4095]);
	printf("record path: %.2f ns per record (%ld records; target < 10 ns)\n",
	       (now_s() - t0) * 1e9 / (double)n, n);
	stormprobe_slot_close(p, s);
}

/* One tick's read of 16 busy slots: copy, subtract, quantiles. */
static void read_cost(struct stormprobe *p)
{
	struct stormprobe_slot *s[16];
	struct frame_ring r;
	struct attach *a = attach_open((uid_t)-1, 50000);
	char err[200];
	const int ticks = 2000;
	double t0;

	for (int i = 0; i < 16; i++) {
		s[i] = stormprobe_slot_open(p, i % 2 ? STORMPROBE_PHASE : STORMPROBE_LATENCY, "r", i % 4);
		for (uint64_t v = 1; v < 100000000; v += v / 3 + 1)
			stormprobe_record(s[i], v);
	}
	if (ring_init(&r, 4, 4) < 0 || !a || attach_add(a, "bench-probe", err, sizeof(err)) < 0)
		exit(1);
	t0 = now_s();
	for (int t = 0; t < ticks; t++) {
		for (int i = 0; i < 16; i++)
			stormprobe_record(s[i], (uint64_t)t * 1000 + 1);
		attach_fill(a, ring_begin(&r));
		ring_commit(&r);
	}
	printf("reader: %.1f us per tick for 16 slots (%d ticks)\n", (now_s() - t0) * 1e6 / ticks, ticks);
	attach_close(a);
	ring_free(&r);
}

int main(void)
{
	char dir[] = "/dev/shm/stormtop-bench-XXXXXX";
	struct stormprobe *p;

	if (!mkdtemp(dir))
		return 1;
	setenv("STORMPROBE_DIR", dir, 1);
	p = stormprobe_create("bench-probe", 17);
	if (!p)
		return 1;
	record_cost(p);
	read_cost(p);
	stormprobe_close(p, 1);
	rmdir(dir);
	return 0;
}
