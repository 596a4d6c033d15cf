// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/procfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/delta.h"
#include "collectors/interrupts.h"
#include "util/mem.h"
#include "util/regfile.h"
#include "collectors/procfile.h"
#include "collectors/psi.h"
#include "collectors/schedstat.h"
#include "collectors/vmstat.h"

/* One file behind one frame source, with what we last said about it. */
struct source_file {
	struct procfile f;
	int open;
	uint8_t state;
	char reason[FRAME_REASON_LEN];
};

struct procfs {
	uint32_t ncpu;
	struct source_file irq_src, sched_src, vm_src, psi_src[2];
	struct irq_snapshot irq[2];
	struct sched_snapshot sched[2];
	int irq_cur, irq_prev_ok;
	int sched_cur, sched_prev_ok;
	uint64_t vm_prev[VM_STAT_MAX];
	int vm_prev_ok;
	struct psi_reading psi_prev[2];
	int psi_prev_ok[2];
};

static void say(struct source_file *s, enum source_state st, const char *fmt, const char *arg)
{
	s->state = (uint8_t)st;
	snprintf(s->reason, sizeof(s->reason), fmt, arg);
}

/* PSI files exist but refuse reads when the kernel booted with psi=0. */
static void say_disabled(struct source_file *s, const char *what)
{
	say(s, SOURCE_UNAVAILABLE, "%s: disabled (boot with psi=1)", what);
}

static void open_source(struct source_file *s, const char *root, const char *rel,
			const char *why_absent)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	rc = procfile_open(&s->f, path);
	s->open = rc == 0;
	if (rc == 0)
		say(s, SOURCE_OK, "%s", "");
	else if (rc == -ENOENT)
		say(s, SOURCE_UNAVAILABLE, "%s", why_absent);
	else if (rc == -EOPNOTSUPP)
		say_disabled(s, rel);
	else if (rc == -REGFILE_NOT_REGULAR && s->f.kind)
		say(s, SOURCE_ERROR, "%s, not a file", s->f.kind);
	else
		say(s, SOURCE_ERROR, "%s", strerror(-rc));
}

struct procfs *procfs_open(const char *root, uint32_t ncpu)
{
	struct procfs *p = mem_zalloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->ncpu = ncpu;
	for (int i = 0; i < 2; i++)
		if (irq_snapshot_init(&p->irq[i], ncpu) < 0 ||
		    sched_snapshot_init(&p->sched[i], ncpu) < 0) {
			procfs_close(p);
			return NULL;
		}
	open_source(&p->irq_src, root, "/proc/interrupts", "no /proc/interrupts");
	/* kernel/sched/stats.c, which shows the file, and the per-CPU
	 * run_delay it prints are built with CONFIG_SCHEDSTATS only;
	 * CONFIG_SCHED_INFO alone gives per-task /proc/PID/schedstat */
	open_source(&p->sched_src, root, "/proc/schedstat",
		    "no /proc/schedstat (kernel without CONFIG_SCHEDSTATS)");
	open_source(&p->vm_src, root, "/proc/vmstat", "no /proc/vmstat");
	open_source(&p->psi_src[0], root, "/proc/pressure/cpu", "no PSI (kernel without CONFIG_PSI)");
	open_source(&p->psi_src[1], root, "/proc/pressure/memory", "no PSI (kernel without CONFIG_PSI)");
	return p;
}

/* Re-reads a source file; on failure records why and returns -1. */
static int refresh(struct source_file *s, const char *what)
{
	int rc;

	if (!s->open)
		return -1;
	rc = procfile_read(&s->f);
	if (rc == 0)
		return 0;
	if (rc == -EOPNOTSUPP)
		say_disabled(s, what);
	else
		say(s, SOURCE_ERROR, "read failed: %s", strerror(-rc));
	return -1;
}

/* Partial when a line stormtop follows on every architecture that has it
 * is missing (the IOMMU's is missing wherever there is none); the reason
 * names them.  arm64 has no TLB line: it flushes by broadcast TLBI. */
static void say_lines(struct source_file *s, const struct irq_snapshot *cur)
{
	char names[32] = "";
	size_t n = 0;

	for (int k = IRQ_TLB; k <= IRQ_LOC; k++)
		if (!cur->present[k])
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "", irq_kind_name(k));
	if (!n) {
		say(s, SOURCE_OK, "%s", "");
		return;
	}
	snprintf(s->reason, sizeof(s->reason), "no %s line%s%s", names, strchr(names, ',') ? "s" : "",
		 cur->present[IRQ_TLB] ? "" : ": this architecture counts no TLB shootdown IPIs apart (arm64 broadcasts TLBI; riscv and arm send them as function calls, in CAL)");
	s->state = SOURCE_PARTIAL;
}

static void sample_interrupts(struct procfs *p, struct frame *f)
{
	struct irq_snapshot *cur = &p->irq[p->irq_cur], *prev = &p->irq[!p->irq_cur];
	char err[FRAME_REASON_LEN];

	if (refresh(&p->irq_src, "/proc/interrupts") < 0)
		return;
	if (irq_parse(p->irq_src.f.buf, p->irq_src.f.len, cur, err, sizeof(err)) < 0) {
		say(&p->irq_src, SOURCE_ERROR, "%s", err);
		p->irq_prev_ok = 0; /* re-baseline once it parses again */
		return;
	}
	say_lines(&p->irq_src, cur);
	for (uint32_t c = 0; c < p->ncpu; c++) {
		struct frame_cpu *fc = &f->cpu[c];

		fc->online = cur->online[c];
		if (!cur->online[c])
			continue;
		if (!p->irq_prev_ok || !prev->online[c]) {
			fc->fresh = 1; /* just came online: no honest delta yet */
			continue;
		}
		for (int k = 0; k < IRQ_KIND_MAX; k++)
			fc->irq[k] = delta_u32(prev->val[k][c], cur->val[k][c]);
	}
	f->online = cur->columns;
	for (int k = 0; k < IRQ_KIND_MAX; k++)
		f->irq_present |= (uint32_t)cur->present[k] << k;
	p->irq_cur = !p->irq_cur;
	p->irq_prev_ok = 1;
}

static void sample_schedstat(struct procfs *p, struct frame *f)
{
	struct sched_snapshot *cur = &p->sched[p->sched_cur], *prev = &p->sched[!p->sched_cur];
	char err[FRAME_REASON_LEN];

	if (refresh(&p->sched_src, "/proc/schedstat") < 0)
		return;
	if (schedstat_parse(p->sched_src.f.buf, p->sched_src.f.len, cur, err, sizeof(err)) < 0) {
		say(&p->sched_src, SOURCE_ERROR, "%s", err);
		p->sched_prev_ok = 0;
		return;
	}
	say(&p->sched_src, SOURCE_OK, "%s", "");
	for (uint32_t c = 0; c < p->ncpu; c++) {
		struct frame_cpu *fc = &f->cpu[c];

		if (!cur->online[c] || !p->sched_prev_ok || !prev->online[c])
			continue;
		fc->run_ns = delta_u64(prev->run_ns[c], cur->run_ns[c]);
		fc->run_delay_ns = delta_u64(prev->delay_ns[c], cur->delay_ns[c]);
		fc->timeslices = delta_u64(prev->slices[c], cur->slices[c]);
	}
	p->sched_cur = !p->sched_cur;
	p->sched_prev_ok = 1;
}

static void sample_vmstat(struct procfs *p, struct frame *f)
{
	uint64_t now[VM_STAT_MAX];

	if (refresh(&p->vm_src, "/proc/vmstat") < 0)
		return;
	f->sys.vm_present = vmstat_parse(p->vm_src.f.buf, p->vm_src.f.len, now);
	say(&p->vm_src, SOURCE_OK, "%s", f->sys.vm_present ? "" : "no known counters");
	if (p->vm_prev_ok)
		for (int i = 0; i < VM_STAT_MAX; i++)
			f->sys.vm[i] = delta_u64(p->vm_prev[i], now[i]);
	memcpy(p->vm_prev, now, sizeof(now));
	p->vm_prev_ok = 1;
}

static void sample_psi(struct procfs *p, int i, struct frame_psi *out)
{
	struct source_file *s = &p->psi_src[i];
	struct psi_reading r;
	char err[FRAME_REASON_LEN];

	if (refresh(s, i ? "/proc/pressure/memory" : "/proc/pressure/cpu") < 0)
		return;
	if (psi_parse(s->f.buf, s->f.len, &r, err, sizeof(err)) < 0) {
		say(s, SOURCE_ERROR, "%s", err);
		p->psi_prev_ok[i] = 0;
		return;
	}
	say(s, SOURCE_OK, "%s", "");
	out->some_avg10 = r.some_avg10;
	out->full_avg10 = r.full_avg10;
	out->has_full = (uint8_t)r.has_full;
	if (p->psi_prev_ok[i]) {
		out->some_us = delta_u64(p->psi_prev[i].some_total_us, r.some_total_us);
		out->full_us = delta_u64(p->psi_prev[i].full_total_us, r.full_total_us);
	}
	p->psi_prev[i] = r;
	p->psi_prev_ok[i] = 1;
}

static void publish(struct frame *f, enum source src, const struct source_file *s)
{
	frame_set_status(f, src, (enum source_state)s->state, s->reason);
}

void procfs_sample(struct procfs *p, struct frame *f)
{
	sample_interrupts(p, f);
	sample_schedstat(p, f);
	sample_vmstat(p, f);
	sample_psi(p, 0, &f->sys.psi_cpu);
	sample_psi(p, 1, &f->sys.psi_mem);
	publish(f, SRC_INTERRUPTS, &p->irq_src);
	publish(f, SRC_SCHEDSTAT, &p->sched_src);
	publish(f, SRC_VMSTAT, &p->vm_src);
	publish(f, SRC_PSI_CPU, &p->psi_src[0]);
	publish(f, SRC_PSI_MEMORY, &p->psi_src[1]);
}

static void close_source(struct source_file *s)
{
	if (s->open)
		procfile_close(&s->f);
	s->open = 0;
}

void procfs_close(struct procfs *p)
{
	if (!p)
		return;
	close_source(&p->irq_src);
	close_source(&p->sched_src);
	close_source(&p->vm_src);
	close_source(&p->psi_src[0]);
	close_source(&p->psi_src[1]);
	for (int i = 0; i < 2; i++) {
		irq_snapshot_free(&p->irq[i]);
		sched_snapshot_free(&p->sched[i]);
	}
	free(p);
}
