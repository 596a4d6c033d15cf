// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/sampler.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/resource.h>

#include "collectors/attach.h"
#include "collectors/bpf_load.h"
#include "collectors/ebpf.h"
#include "collectors/hostfs.h"
#include "collectors/hygiene_scan.h"
#include "util/mem.h"
#include "collectors/perf.h"
#include "collectors/privs.h"
#include "collectors/privsep.h"
#include "collectors/procfs.h"
#include "collectors/stacks.h"
#include "collectors/symbolize.h"
#include "collectors/topology.h"

struct sampler {
	const struct topology *topo;
	struct procfs *procfs;
	struct ebpf *ebpf;      /* NULL when reading a copied tree */
	struct perf_coll *perf;
	struct attach *attach;
	struct stacks *stacks;     /* NULL when reading a copied tree */
	struct symbolizer *sym;    /* NULL: call sites show raw addresses */
	char stacks_why[FRAME_REASON_LEN]; /* why stacks_preload failed, or "" */
	int privsep;               /* the opener (collectors/privsep.h) is ours to stop */
	uint64_t seq;
	int64_t last_mono;
	int64_t last_cpu;
	char numa_note[FRAME_REASON_LEN];
	const char *root;
	struct frame_hygiene hyg;  /* the latest hygiene scan, carried into every frame */
	int64_t hyg_at;
};

#define HYGIENE_RESCAN_NS (10 * 1000000000LL)

int64_t clock_ns(int clock_id)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t self_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
	       ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* Live collectors only on the live host, or on its /proc and /sys at a
 * prefix (a container, hostfs_live): a copied tree has no kernel. */
static int open_live(struct sampler *s, const struct sampler_opts *o)
{
	struct ebpf_opts eo = { .disable = o->disable, .force_raw = o->force_raw, .root = s->root };

	if (!hostfs_live(s->root))
		return 0;
	s->ebpf = ebpf_open(s->topo->ncpu, &eo);
	s->perf = perf_open(s->topo->ncpu, list_has(o->disable, "perf"));
	s->stacks = stacks_new(s->root, o->force_raw);
	s->sym = sym_new(s->root);
	if (!s->sym)
		return -1;
	if (!s->ebpf || !s->perf || !s->stacks)
		return -1;
	/* loading needs the capabilities about to go: load now, target later */
	if (list_has(o->disable, "bpf"))
		snprintf(s->stacks_why, sizeof(s->stacks_why), "off: BPF turned off (--disable bpf)");
	else if (o->drop_privs)
		stacks_preload(s->stacks, s->stacks_why, sizeof(s->stacks_why));
	/* the symbolizer opens maps, binaries and kallsyms after the drop,
	 * when a process is picked: through an opener forked before it, which
	 * opens only under the prefix (--root), so it must be given it */
	if (o->drop_privs && !s->stacks_why[0])
		s->privsep = privsep_start(s->root) > 0;
	if (o->drop_privs)
		privs_drop();
	return 0;
}

struct sampler *sampler_open(const struct topology *topo, const struct sampler_opts *o)
{
	struct sampler *s = mem_zalloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->topo = topo;
	s->root = o->root ? o->root : "";
	s->procfs = procfs_open(o->root ? o->root : "", topo->ncpu);
	s->attach = attach_open(o->attach_owner < 0 ? (uid_t)-1 : (uid_t)o->attach_owner,
				o->late_ns ? o->late_ns : 50000);
	if (!s->procfs || !s->attach || open_live(s, o) < 0) {
		sampler_close(s);
		return NULL;
	}
	if (topo->numa && topology_memory_nodes(topo))
		snprintf(s->numa_note, sizeof(s->numa_note), "%u nodes, %u of them memory only", topo->nnodes,
			 topology_memory_nodes(topo));
	else if (topo->numa)
		snprintf(s->numa_note, sizeof(s->numa_note), "%u node%s", topo->nnodes,
			 topo->nnodes == 1 ? "" : "s");
	else
		snprintf(s->numa_note, sizeof(s->numa_note), "%s", topo->reason);
	return s;
}

void sampler_fill(struct sampler *s, struct frame *f)
{
	int64_t cpu = self_cpu_ns();

	f->mono_ns = clock_ns(CLOCK_MONOTONIC);
	f->wall_ns = clock_ns(CLOCK_REALTIME);
	f->interval_ns = s->seq ? f->mono_ns - s->last_mono : 0;
	f->sys.self_cpu_ns = s->seq ? (uint64_t)(cpu - s->last_cpu) : 0;
	f->seq = s->seq++;
	s->last_mono = f->mono_ns;
	s->last_cpu = cpu;

	procfs_sample(s->procfs, f);
	topology_fill(s->topo, f);
	frame_set_status(f, SRC_NUMA, s->topo->numa ? SOURCE_OK : SOURCE_UNAVAILABLE,
			 s->numa_note);
	if (s->ebpf) {
		ebpf_sample(s->ebpf, f);
		perf_sample(s->perf, f);
	} else {
		frame_set_status(f, SRC_BPF, SOURCE_OFF, "off: reading a copied tree (--root)");
		frame_set_status(f, SRC_PERF, SOURCE_OFF, "off: reading a copied tree (--root)");
	}
	stacks_sample(s->stacks, s->sym, f);
	attach_fill(s->attach, f);
	/* settings change rarely and the scan walks /proc: not every tick */
	if (!s->hyg_at || f->mono_ns - s->hyg_at >= HYGIENE_RESCAN_NS) {
		hygiene_scan(s->root, s->topo, &s->hyg);
		s->hyg_at = f->mono_ns;
	}
	f->hygiene = s->hyg;
}

int sampler_attach(struct sampler *s, const char *name, char *err, size_t len)
{
	return attach_add(s->attach, name, err, len);
}

int sampler_stacks(struct sampler *s, int32_t tgid, char *why, size_t len)
{
	if (!s->stacks) {
		snprintf(why, len, "off: reading a copied tree (--root)");
		return -1;
	}
	if (s->stacks_why[0] && tgid) { /* turned off, or set-up failed and the privileges are gone */
		snprintf(why, len, "%s", s->stacks_why);
		return -1;
	}
	return stacks_target(s->stacks, tgid, why, len);
}

void sampler_describe(const struct sampler *s, FILE *out)
{
	char buf[512];

	if (s->ebpf)
		ebpf_describe(s->ebpf, out);
	if (s->stacks)
		stacks_describe(s->stacks, out);
	if (s->perf && perf_describe(s->perf, buf, sizeof(buf)) > 0)
		fputs(buf, out);
}

void sampler_close(struct sampler *s)
{
	if (!s)
		return;
	procfs_close(s->procfs);
	ebpf_close(s->ebpf);
	perf_close(s->perf);
	attach_close(s->attach);
	stacks_free(s->stacks);
	sym_free(s->sym);
	if (s->privsep)
		privsep_stop();
	free(s);
}

/* The live host as a frame source (src/core/source.h). */
static void *live_open(const struct source_conf *c)
{
	return sampler_open(c->topo, &(struct sampler_opts){
		.root = c->root, .disable = c->disable, .force_raw = c->force_raw,
		.drop_privs = c->drop_privs, .attach_owner = c->attach_owner, .late_ns = c->late_ns });
}

static int live_fill(void *s, struct frame *f)
{
	sampler_fill(s, f);
	return SOURCE_FRAME;
}

static void live_describe(const void *s, FILE *out) { sampler_describe(s, out); }
static void live_close(void *s) { sampler_close(s); }

const struct source_ops sampler_source = {
	.name = "live", .open = live_open, .fill = live_fill, .describe = live_describe,
	.close = live_close,
};
