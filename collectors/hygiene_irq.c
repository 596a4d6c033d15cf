// SPDX-License-Identifier: GPL-2.0-only
/* The checks that walk directories: irqbalance among the processes, IRQs
 * allowed on isolated CPUs, and NIC interrupts off the NIC's node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cpulist.h"
#include "collectors/hostfs.h"
#include "core/hygiene.h"
#include "collectors/hygiene_scan.h"

struct irqbalance_seen { const char *root; long pid; int pids; };

static int is_irqbalance(const char *name, int is_dir, void *ctx)
{
	struct irqbalance_seen *s = ctx;
	char rel[64], comm[32];

	if (!is_dir || name[0] < '0' || name[0] > '9')
		return 0;
	s->pids++;
	snprintf(rel, sizeof(rel), "/proc/%s/comm", name);
	if (hostfs_read(s->root, rel, comm, sizeof(comm)) < 0 || strcmp(comm, "irqbalance") != 0)
		return 0;
	s->pid = atol(name);
	return 1;
}

void hyg_check_irqbalance(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	struct irqbalance_seen s = { .root = c->root };
	char comm[32];

	if (hostfs_list(c->root, "/proc", is_irqbalance, &s) < 0)
		hyg_set(out, HYG_IRQBALANCE, HYG_NA, "no /proc");
	else if (s.pid)
		hyg_set(out, HYG_IRQBALANCE, HYG_FINDING, "running (pid %ld)", s.pid);
	else if (s.pids && hostfs_read(c->root, "/proc/1/comm", comm, sizeof(comm)) < 0)
		/* /proc mounted hidepid=1 or 2: other users' processes are
		 * hidden from us, irqbalance (root's) among them */
		hyg_set(out, HYG_IRQBALANCE, HYG_NA, "others' processes hidden (/proc hidepid): needs CAP_SYS_PTRACE");
	else
		hyg_set(out, HYG_IRQBALANCE, HYG_OK, "not running");
}

/* The CPUs IRQ N is allowed on (smp_affinity_list: where the kernel or
 * irqbalance may put it), or with effective set those it is delivered to
 * now, where the kernel says.  CPUs counted, 0 if unreadable. */
static int irq_mask(const struct hyg_ctx *c, const char *irq, int effective, uint8_t *mask)
{
	static char list[HYG_TEXT_MAX]; /* one scan at a time */
	char rel[96], err[128];
	int n;

	snprintf(rel, sizeof(rel), "/proc/irq/%s/effective_affinity_list", irq);
	if (!effective || hostfs_read(c->root, rel, list, sizeof(list)) <= 0) {
		snprintf(rel, sizeof(rel), "/proc/irq/%s/smp_affinity_list", irq);
		if (hostfs_read(c->root, rel, list, sizeof(list)) <= 0)
			return 0;
	}
	memset(mask, 0, c->topo->ncpu);
	n = cpulist_parse(list, mask, c->topo->ncpu, err, sizeof(err));
	return n < 0 ? 0 : n;
}

/* IRQ numbers for the observed line, ascending: "24,25,31 (+more)". */
#define IRQS_SHOWN 8

struct irq_list {
	const struct hyg_ctx *c;
	int irq[IRQS_SHOWN];
	int n, shown;
	int node;                 /* nic: the NIC's node */
	char text[48];
};

static void note_irq(struct irq_list *l, const char *irq)
{
	int v = atoi(irq), at = l->shown;

	l->n++;
	if (l->shown == IRQS_SHOWN && v > l->irq[IRQS_SHOWN - 1])
		return;
	if (l->shown < IRQS_SHOWN)
		l->shown++;
	else
		at = IRQS_SHOWN - 1;
	for (; at > 0 && l->irq[at - 1] > v; at--)
		l->irq[at] = l->irq[at - 1];
	l->irq[at] = v;
}

static const char *irq_text(struct irq_list *l)
{
	size_t used = 0;

	l->text[0] = '\0';
	for (int i = 0; i < l->shown && used < sizeof(l->text); i++)
		used += (size_t)snprintf(l->text + used, sizeof(l->text) - used, "%s%d", i ? "," : "", l->irq[i]);
	return l->text;
}

static int has_dir(const char *name, int is_dir, void *ctx)
{
	(void)name;
	return *(int *)ctx = is_dir;
}

static int on_isolated(const char *name, int is_dir, void *ctx)
{
	static uint8_t mask[FRAME_MAX_CPUS];
	struct irq_list *l = ctx;
	char rel[64];
	int handled = 0;

	if (!is_dir)
		return 0;
	/* a handler registers a directory under its IRQ: unused lines have none */
	snprintf(rel, sizeof(rel), "/proc/irq/%s", name);
	hostfs_list(l->c->root, rel, has_dir, &handled);
	if (!handled || !irq_mask(l->c, name, 0, mask))
		return 0;
	for (uint32_t i = 0; i < l->c->topo->ncpu; i++)
		if (mask[i] && l->c->isolated[i]) {
			note_irq(l, name);
			break;
		}
	return 0;
}

void hyg_check_irq_affinity(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	struct irq_list l = { .c = c };

	if (!c->nisolated) {
		hyg_set(out, HYG_IRQ_AFFINITY, HYG_NA, "no isolated CPUs to keep IRQs off");
		return;
	}
	if (hostfs_list(c->root, "/proc/irq", on_isolated, &l) < 0)
		hyg_set(out, HYG_IRQ_AFFINITY, HYG_NA, "no /proc/irq");
	else if (l.n)
		hyg_set(out, HYG_IRQ_AFFINITY, HYG_FINDING, "IRQ %s%s may run on isolated %s", irq_text(&l),
			l.n > l.shown ? " (+more)" : "", c->isolated_list);
	else
		hyg_set(out, HYG_IRQ_AFFINITY, HYG_OK, "none on isolated %s", c->isolated_list);
}

/* One NIC IRQ: does it run on a CPU of another node? */
static int off_node(const char *irq, int is_dir, void *ctx)
{
	static uint8_t mask[FRAME_MAX_CPUS];
	struct irq_list *l = ctx;

	(void)is_dir;
	if (!irq_mask(l->c, irq, 1, mask))
		return 0;
	for (uint32_t i = 0; i < l->c->topo->ncpu; i++)
		if (mask[i] && l->c->topo->node_of[i] != l->node) {
			note_irq(l, irq);
			break;
		}
	return 0;
}

struct nic_walk {
	const struct hyg_ctx *c;
	int nics;                 /* with a device and a known node */
	char bad[160];            /* the first NIC off its node; cut to fit the frame */
};

static int check_nic(const char *name, int is_dir, void *ctx)
{
	struct nic_walk *w = ctx;
	struct irq_list l = { .c = w->c };
	char rel[160], buf[16];

	(void)is_dir;
	snprintf(rel, sizeof(rel), "/sys/class/net/%s/device/numa_node", name);
	if (hostfs_read(w->c->root, rel, buf, sizeof(buf)) < 0 || (l.node = atoi(buf)) < 0)
		return 0; /* virtual, or the firmware gave no node */
	w->nics++;
	snprintf(rel, sizeof(rel), "/sys/class/net/%s/device/msi_irqs", name);
	hostfs_list(w->c->root, rel, off_node, &l);
	if (l.n && !w->bad[0])
		snprintf(w->bad, sizeof(w->bad), "%.16s on node %d: IRQ %.40s%s on other nodes", name, l.node, irq_text(&l),
			 l.n > l.shown ? " (+more)" : "");
	return 0;
}

void hyg_check_nic_numa(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	struct nic_walk w = { .c = c };

	hostfs_list(c->root, "/sys/class/net", check_nic, &w);
	if (!w.nics)
		hyg_set(out, HYG_NIC_NUMA, HYG_NA, "no NIC with a NUMA node");
	else if (w.bad[0])
		hyg_set(out, HYG_NIC_NUMA, HYG_FINDING, "%s", w.bad);
	else
		hyg_set(out, HYG_NIC_NUMA, HYG_OK, "%d NIC%s, IRQs on their own node", w.nics, w.nics > 1 ? "s" : "");
}
