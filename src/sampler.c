#include "sampler.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "procfs.h"
#include "topology.h"

struct sampler {
	const struct topology *topo;
	struct procfs *procfs;
	uint64_t seq;
	int64_t last_mono;
	char numa_note[FRAME_REASON_LEN];
};

int64_t clock_ns(int clock_id)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct sampler *sampler_open(const struct topology *topo, const char *root)
{
	struct sampler *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->topo = topo;
	s->procfs = procfs_open(root, topo->ncpu);
	if (!s->procfs) {
		free(s);
		return NULL;
	}
	if (topo->numa)
		snprintf(s->numa_note, sizeof(s->numa_note), "%u node%s", topo->nnodes,
			 topo->nnodes == 1 ? "" : "s");
	else
		snprintf(s->numa_note, sizeof(s->numa_note), "%s", topo->reason);
	return s;
}

void sampler_fill(struct sampler *s, struct frame *f)
{
	f->mono_ns = clock_ns(CLOCK_MONOTONIC);
	f->wall_ns = clock_ns(CLOCK_REALTIME);
	f->interval_ns = s->seq ? f->mono_ns - s->last_mono : 0;
	f->seq = s->seq++;
	s->last_mono = f->mono_ns;

	procfs_sample(s->procfs, f);
	for (uint32_t c = 0; c < f->ncpu && c < s->topo->ncpu; c++)
		f->cpu[c].node = s->topo->node_of[c];
	frame_set_status(f, SRC_NUMA, s->topo->numa ? SOURCE_OK : SOURCE_UNAVAILABLE,
			 s->numa_note);
	frame_set_status(f, SRC_BPF, SOURCE_OFF, "eBPF collectors not in this build yet");
	frame_set_status(f, SRC_PERF, SOURCE_OFF, "perf collectors not in this build yet");
}

void sampler_close(struct sampler *s)
{
	if (!s)
		return;
	procfs_close(s->procfs);
	free(s);
}
