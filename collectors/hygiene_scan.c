// SPDX-License-Identifier: GPL-2.0-only
/* The checks that read one setting each: command line, THP, NUMA
 * balancing, tiering, clock source, governor, IOMMU and swap. */
#include "collectors/hygiene_scan.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cpulist.h"
#include "collectors/hostfs.h"
#include "core/hygiene.h"

void hyg_set(struct frame_hygiene *out, int check, int state, const char *fmt, ...)
{
	struct frame_hyg_item *it = &out->item[check];
	va_list ap;

	it->check = (uint8_t)check;
	it->state = (uint8_t)state;
	va_start(ap, fmt);
	vsnprintf(it->observed, sizeof(it->observed), fmt, ap);
	va_end(ap);
}

/* A CPU list from a file or parameter into mask; CPUs counted. */
static int list_mask(const struct hyg_ctx *c, const char *list, uint8_t *mask)
{
	char err[128];
	int n;

	memset(mask, 0, c->topo->ncpu);
	/* isolcpus may carry flags first: isolcpus=nohz,domain,2-15 */
	while (isalpha((unsigned char)*list) && strchr(list, ','))
		list = strchr(list, ',') + 1;
	if (!list[0] || !isdigit((unsigned char)list[0]))
		return 0;
	n = cpulist_parse(list, mask, c->topo->ncpu, err, sizeof(err));
	return n < 0 ? 0 : n;
}

static int covers(const struct hyg_ctx *c, const uint8_t *mask)
{
	for (uint32_t i = 0; i < c->topo->ncpu; i++)
		if (c->isolated[i] && !mask[i])
			return 0;
	return 1;
}

/* nohz_full and rcu_nocbs: ok when the list covers every isolated core.
 * 0 (nothing set) when the list names no CPU. */
static int check_offload(const struct hyg_ctx *c, struct frame_hygiene *out, int check, const char *list)
{
	static uint8_t mask[FRAME_MAX_CPUS];
	int partial;

	if (!list_mask(c, list, mask))
		return 0;
	partial = c->nisolated && !covers(c, mask);
	hyg_set(out, check, partial ? HYG_FINDING : HYG_OK, "%s%s", list, partial ? " (not every isolated core)" : "");
	return 1;
}

static void check_isolation(struct hyg_ctx *c, struct frame_hygiene *out)
{
	static char buf[HYG_TEXT_MAX], param[HYG_TEXT_MAX]; /* CPU lists: 4096 CPUs one by one */

	if (hostfs_read(c->root, "/sys/devices/system/cpu/isolated", buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	if (!buf[0] && hostfs_param(c->cmdline, "isolcpus", param, sizeof(param)) > 0)
		snprintf(buf, sizeof(buf), "%s", param);
	c->nisolated = list_mask(c, buf, c->isolated);
	cpulist_format(c->isolated, c->topo->ncpu, c->isolated_list, sizeof(c->isolated_list));
	if (c->nisolated)
		hyg_set(out, HYG_ISOLCPUS, HYG_OK, "%s", c->isolated_list);
	else
		hyg_set(out, HYG_ISOLCPUS, HYG_FINDING, "none: every core takes housekeeping");

	if (hostfs_read(c->root, "/sys/devices/system/cpu/nohz_full", buf, sizeof(buf)) < 0 &&
	    hostfs_param(c->cmdline, "nohz_full", buf, sizeof(buf)) <= 0)
		buf[0] = '\0';
	if (!check_offload(c, out, HYG_NOHZ_FULL, buf))
		hyg_set(out, HYG_NOHZ_FULL, HYG_FINDING, "none: the tick runs on every core");

	if (hostfs_param(c->cmdline, "rcu_nocbs", param, sizeof(param)) > 0 &&
	    check_offload(c, out, HYG_RCU_NOCBS, param))
		return;
	if (out->item[HYG_NOHZ_FULL].state == HYG_OK)
		hyg_set(out, HYG_RCU_NOCBS, HYG_OK, "implied by nohz_full");
	else
		hyg_set(out, HYG_RCU_NOCBS, HYG_FINDING, "none: callbacks run where they were queued");
}

static void check_thp(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	char buf[256], sel[32];

	if (hostfs_read(c->root, "/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) < 0 ||
	    hostfs_selected(buf, sel, sizeof(sel)) < 0) {
		hyg_set(out, HYG_THP_ENABLED, HYG_NA, "no THP in this kernel");
		hyg_set(out, HYG_THP_DEFRAG, HYG_NA, "no THP in this kernel");
		return;
	}
	hyg_set(out, HYG_THP_ENABLED, strcmp(sel, "always") == 0 ? HYG_FINDING : HYG_OK, "%s", sel);
	if (hostfs_read(c->root, "/sys/kernel/mm/transparent_hugepage/defrag", buf, sizeof(buf)) < 0 ||
	    hostfs_selected(buf, sel, sizeof(sel)) < 0)
		hyg_set(out, HYG_THP_DEFRAG, HYG_NA, "unreadable");
	else
		hyg_set(out, HYG_THP_DEFRAG, strcmp(sel, "always") == 0 ? HYG_FINDING : HYG_OK, "%s", sel);
}

static void check_numa(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	char buf[64];
	int mode = hostfs_read(c->root, "/proc/sys/kernel/numa_balancing", buf, sizeof(buf)) < 0 ? -1 : atoi(buf);
	int nodes = (int)c->topo->nnodes;

	if (mode < 0)
		hyg_set(out, HYG_NUMA_BALANCING, HYG_NA, "not in this kernel");
	else if (mode == 0)
		hyg_set(out, HYG_NUMA_BALANCING, HYG_OK, "off");
	else if (nodes < 2)
		hyg_set(out, HYG_NUMA_BALANCING, HYG_OK, "%d, but one node: it never scans", mode);
	else
		hyg_set(out, HYG_NUMA_BALANCING, HYG_FINDING, "%s across %d nodes",
			mode & 2 ? "on, memory-tiering mode" : "on", nodes);

	if (hostfs_read(c->root, "/sys/kernel/mm/numa/demotion_enabled", buf, sizeof(buf)) < 0)
		hyg_set(out, HYG_DEMOTION, HYG_NA, "no tiering support in this kernel");
	else if (strcmp(buf, "true") == 0 || strcmp(buf, "1") == 0 || (mode > 0 && (mode & 2)))
		hyg_set(out, HYG_DEMOTION, HYG_FINDING, "demotion %s%s", strcmp(buf, "true") == 0 ? "on" : "off",
			mode > 0 && (mode & 2) ? ", promotion by NUMA balancing" : "");
	else
		hyg_set(out, HYG_DEMOTION, HYG_OK, "demotion off");
}

static void check_clock(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	static const char *const fast[] = { "tsc", "kvm-clock", "arch_sys_counter", "hyperv_clocksource_tsc_page" };
	char buf[64];

	if (hostfs_read(c->root, "/sys/devices/system/clocksource/clocksource0/current_clocksource", buf,
			sizeof(buf)) < 0) {
		hyg_set(out, HYG_CLOCKSOURCE, HYG_NA, "unreadable");
		return;
	}
	for (size_t i = 0; i < sizeof(fast) / sizeof(fast[0]); i++)
		if (strcmp(buf, fast[i]) == 0) {
			hyg_set(out, HYG_CLOCKSOURCE, HYG_OK, "%s", buf);
			return;
		}
	hyg_set(out, HYG_CLOCKSOURCE, HYG_FINDING, "%s: not readable from user space", buf);
}

static void check_governor(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	static uint8_t slow[FRAME_MAX_CPUS];
	char rel[96], buf[32], other[32] = "", list[40];
	int seen = 0, nslow = 0;

	memset(slow, 0, c->topo->ncpu);
	for (uint32_t i = 0; i < c->topo->ncpu; i++) {
		snprintf(rel, sizeof(rel), "/sys/devices/system/cpu/cpu%u/cpufreq/scaling_governor", i);
		if (hostfs_read(c->root, rel, buf, sizeof(buf)) < 0)
			continue;
		seen++;
		if (strcmp(buf, "performance") != 0) {
			slow[i] = 1;
			nslow++;
			snprintf(other, sizeof(other), "%s", buf);
		}
	}
	cpulist_format(slow, c->topo->ncpu, list, sizeof(list));
	if (!seen)
		hyg_set(out, HYG_GOVERNOR, HYG_NA, "no cpufreq: fixed frequency or a VM");
	else if (nslow)
		hyg_set(out, HYG_GOVERNOR, HYG_FINDING, "%s on CPUs %s", other, list);
	else
		hyg_set(out, HYG_GOVERNOR, HYG_OK, "performance on all %d", seen);
}

/* Counts IOMMU groups by their default domain type. */
struct group_count { const char *root; int strict, lazy, pt, other; };

static int count_group(const char *name, int is_dir, void *ctx)
{
	struct group_count *g = ctx;
	char rel[128], type[32];

	(void)is_dir;
	snprintf(rel, sizeof(rel), "/sys/kernel/iommu_groups/%s/type", name);
	if (hostfs_read(g->root, rel, type, sizeof(type)) < 0)
		return 0;
	if (strcmp(type, "DMA") == 0)
		g->strict++;
	else if (strcmp(type, "DMA-FQ") == 0)
		g->lazy++;
	else if (strcmp(type, "identity") == 0)
		g->pt++;
	else
		g->other++;
	return 0;
}

static int any_entry(const char *name, int is_dir, void *ctx)
{
	(void)name, (void)is_dir;
	return ++*(int *)ctx > 0;
}

static void check_iommu(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	struct group_count g = { .root = c->root };
	int units = 0;

	hostfs_list(c->root, "/sys/class/iommu", any_entry, &units);
	hostfs_list(c->root, "/sys/kernel/iommu_groups", count_group, &g);
	if (!units || g.strict + g.lazy + g.pt == 0)
		hyg_set(out, HYG_IOMMU, HYG_NA, "no IOMMU translating DMA");
	else if (g.strict)
		hyg_set(out, HYG_IOMMU, HYG_FINDING, "strict in %d groups (lazy %d, passthrough %d)", g.strict, g.lazy,
			g.pt);
	else
		hyg_set(out, HYG_IOMMU, HYG_OK, "%s (%d groups)", g.lazy ? "lazy" : "passthrough", g.lazy + g.pt);
}

static void check_swap(const struct hyg_ctx *c, struct frame_hygiene *out)
{
	static char buf[HYG_TEXT_MAX];
	char dev[64] = "";
	int lines = 0;

	if (hostfs_read(c->root, "/proc/swaps", buf, sizeof(buf)) < 0) {
		hyg_set(out, HYG_SWAP, HYG_NA, "no /proc/swaps");
		return;
	}
	for (char *p = strchr(buf, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
		if (lines++ == 0)
			sscanf(p + 1, "%63s", dev);
	if (lines)
		hyg_set(out, HYG_SWAP, HYG_FINDING, "on: %s%s", dev, lines > 1 ? " and more" : "");
	else
		hyg_set(out, HYG_SWAP, HYG_OK, "off");
}

void hygiene_scan(const char *root, const struct topology *topo, struct frame_hygiene *out)
{
	static struct hyg_ctx c;

	c.root = root;
	c.topo = topo;
	if (hostfs_read(root, "/proc/cmdline", c.cmdline, sizeof(c.cmdline)) < 0)
		c.cmdline[0] = '\0';
	memset(out, 0, sizeof(*out));
	out->n = HYG_CHECKS;
	check_isolation(&c, out);
	check_thp(&c, out);
	check_numa(&c, out);
	hyg_check_irqbalance(&c, out);
	hyg_check_irq_affinity(&c, out);
	check_clock(&c, out);
	check_governor(&c, out);
	check_iommu(&c, out);
	check_swap(&c, out);
	hyg_check_nic_numa(&c, out);
}
