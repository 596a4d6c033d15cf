// SPDX-License-Identifier: GPL-2.0-only
/* What drawing a frame costs: the overview of a 64-, 256- and 1024-CPU
 * host composed into the cell model and diffed into terminal bytes, at
 * 200 columns and the heights that give each density.  Every frame is a
 * new tick, so the whole time axis shifts (the worst case for the diff).
 * Prints figures; asserts nothing.  Target: under 0.5 ms a frame.
 * us/frame is tui_render alone (compose and diff); "us fill" is making
 * the frame (synth_fill into a ring slot, whose pages the ring makes
 * resident as it first fills them): the sampler's cost, apart.
 * "ui_cost NCPU FRAMES" runs only the cases of NCPU CPUs, FRAMES frames
 * each (for valgrind --tool=callgrind, whose instruction counts a busy
 * machine does not change). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/config.h"
#include "core/ring.h"
#include "collectors/synth.h"
#include "collectors/topology.h"
#include "ui/tui.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t only_ncpu;
static int frames = 500;

static void run(const char *what, uint32_t ncpu, uint32_t nodes, int w, int h, int depth, const char *keys)
{
	struct topology topo;
	struct frame_ring ring;
	struct synth s;
	struct config cfg;
	char err[256];
	struct tui_opts o = { .ncpu = ncpu, .cfg = &cfg, .cfg_path = "" };
	struct view v = { .interval_s = 1, .warn = 5, .crit = 20, .host = "bench", .kernel = "6.18" };
	struct tui *t;
	double t0, t1, bytes = 0, draw = 0, fill = 0;
	int n = frames;

	if (only_ncpu && ncpu != only_ncpu)
		return;
	config_defaults(&cfg);
	if (topology_synthetic(&topo, ncpu, nodes) < 0 || ring_init(&ring, 600, ncpu) < 0)
		exit(1);
	synth_init(&s, &topo, 1000000000);
	for (int i = 0; i < 300; i++) { /* a full time axis */
		synth_fill(&s, ring_begin(&ring));
		ring_commit(&ring);
	}
	if (!(t = tui_headless(&o, w, h, depth, err, sizeof(err)))) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	tui_feed(t, keys, 0);
	for (const char *k = keys; *k; k++)
		tui_feed(t, k, 1);
	tui_render(t, &ring, &v);
	for (int i = 0; i < n; i++) {
		t0 = now_s();
		synth_fill(&s, ring_begin(&ring));
		ring_commit(&ring);
		t1 = now_s();
		bytes += (double)tui_render(t, &ring, &v);
		fill += t1 - t0;
		draw += now_s() - t1;
	}
	printf("%-34s %4u CPUs %3dx%-3d %6.1f us/frame %8.0f bytes/frame %6.1f us fill\n", what, ncpu, w, h,
	       draw / n * 1e6, bytes / n, fill / n * 1e6);
	tui_close(t);
	ring_free(&ring);
	topology_free(&topo);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		only_ncpu = (uint32_t)strtoul(argv[1], NULL, 10);
	if (argc > 2 && atoi(argv[2]) > 0)
		frames = atoi(argv[2]);
	/* depth 2 = 256 colours, 3 = 24-bit (enum color_depth) */
	run("overview, one CPU a row, 64", 64, 2, 200, 90, 2, "");
	run("overview, auto (blocks)", 256, 4, 200, 60, 2, "");
	run("overview, one CPU a row", 256, 4, 200, 280, 2, "");
	run("overview, one CPU a row, 24-bit", 256, 4, 200, 280, 3, "");
	run("overview, two CPUs a row", 256, 4, 200, 150, 2, "");
	run("single metric, one CPU a row", 256, 4, 200, 280, 2, "1");
	run("overview, auto, 1024 CPUs", 1024, 16, 200, 60, 2, "");
	run("overview, one CPU a row, 1024", 1024, 16, 300, 90, 2, "f");
	return 0;
}
