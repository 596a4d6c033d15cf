// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/perf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>

#include "core/delta.h"
#include "collectors/hostfs.h"
#include "util/mem.h"
#include "collectors/privs.h"

#define NSW 4 /* PERF_CTXSW..PERF_MAJFLT: one group per CPU */

struct perf_coll {
	uint32_t ncpu;
	int *fd;           /* ncpu * PERF_COUNTERS, -1 where not open */
	uint64_t *prev;    /* same shape */
	uint32_t have;     /* bit k: counter k open on some CPU */
	int primed;
	uint8_t state;
	char reason[FRAME_REASON_LEN];
	char tlb_name[PERF_COUNTERS - NSW][128]; /* the event each TLB slot got */
};

static const uint64_t sw_config[NSW] = {
	PERF_COUNT_SW_CONTEXT_SWITCHES, PERF_COUNT_SW_CPU_MIGRATIONS,
	PERF_COUNT_SW_PAGE_FAULTS_MIN, PERF_COUNT_SW_PAGE_FAULTS_MAJ,
};

#define NTLB (PERF_COUNTERS - NSW)

/* What each TLB slot counts, best first.  A completed page walk is what a
 * shootdown costs the CPUs it flushed, so the PMU model's own
 * walk-completed event comes first, by its libpfm4 name (libpfm4 encodes
 * only what the host's PMU has); perf's generic cache events, which the
 * kernel maps to walks on most models, are the fallback. */
static const char *const tlb_model[NTLB][3] = {
	/* Intel Sandy Bridge to Sapphire Rapids */
	{ "DTLB_LOAD_MISSES:WALK_COMPLETED",
	  /* AMD Zen: an L1 DTLB miss that missed the L2 DTLB too, loads and
	   * stores together (PMCx045, unit mask 0xf0) */
	  "L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS:TLB_RELOAD_COALESCED_PAGE_MISS:"
	  "TLB_RELOAD_2M_L2_MISS:TLB_RELOAD_1G_L2_MISS" },
	{ "DTLB_STORE_MISSES:WALK_COMPLETED" },
	{ "ITLB_MISSES:WALK_COMPLETED",
	  /* AMD Zen 3 and 4, then Zen 1 and 2 (no coalesced pages): PMCx085 */
	  "L1_ITLB_MISS_L2_ITLB_MISS:IF4K:IF2M:IF1G:COALESCED4K",
	  "L1_ITLB_MISS_L2_ITLB_MISS:IF4K:IF2M:IF1G" },
};

/* perf's generic events: PERF_TYPE_HW_CACHE, id | op << 8 | result << 16
 * (include/uapi/linux/perf_event.h) */
static const uint64_t tlb_generic[NTLB] = {
	PERF_COUNT_HW_CACHE_DTLB | PERF_COUNT_HW_CACHE_OP_READ << 8 | PERF_COUNT_HW_CACHE_RESULT_MISS << 16,
	PERF_COUNT_HW_CACHE_DTLB | PERF_COUNT_HW_CACHE_OP_WRITE << 8 | PERF_COUNT_HW_CACHE_RESULT_MISS << 16,
	PERF_COUNT_HW_CACHE_ITLB | PERF_COUNT_HW_CACHE_OP_READ << 8 | PERF_COUNT_HW_CACHE_RESULT_MISS << 16,
};
static const char *const tlb_generic_name[NTLB] = {
	"PERF_COUNT_HW_CACHE_DTLB:READ:MISS", "PERF_COUNT_HW_CACHE_DTLB:WRITE:MISS",
	"PERF_COUNT_HW_CACHE_ITLB:READ:MISS",
};

static int encode(const char *name, struct perf_event_attr *a)
{
	pfm_perf_encode_arg_t arg = { .attr = a, .size = sizeof(arg) };

	memset(a, 0, sizeof(*a));
	return pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT, &arg) ==
	       PFM_SUCCESS ? 0 : -1;
}

int perf_tlb_choose(int slot, struct perf_event_attr *a, char *name, size_t len)
{
	struct perf_event_attr amd;

	memset(a, 0, sizeof(*a));
	if (slot < 0 || slot >= NTLB)
		return -1;
	/* AMD counts store walks with the loads: no slot of their own */
	if (slot == PERF_DTLB_STORE_MISS - NSW && encode(tlb_model[0][1], &amd) == 0) {
		snprintf(name, len, "counted with dTLB loads");
		return -1;
	}
	for (int i = 0; i < 3 && tlb_model[slot][i]; i++)
		if (encode(tlb_model[slot][i], a) == 0) {
			snprintf(name, len, "%s", tlb_model[slot][i]);
			return 1;
		}
	memset(a, 0, sizeof(*a));
	a->type = PERF_TYPE_HW_CACHE;
	a->config = tlb_generic[slot];
	snprintf(name, len, "%s", tlb_generic_name[slot]);
	return 0;
}

/* leader: -1 to start a group read with PERF_FORMAT_GROUP, -2 for a lone
 * counter, else the group's leader fd. */
static int open_event(struct perf_event_attr *a, uint32_t cpu, int leader)
{
	a->size = sizeof(*a);
	a->disabled = 0;
	a->read_format = leader == -1 ? PERF_FORMAT_GROUP : 0;
	return (int)syscall(SYS_perf_event_open, a, -1, (int)cpu, leader < 0 ? -1 : leader,
			    PERF_FLAG_FD_CLOEXEC);
}

static int *slot(struct perf_coll *p, uint32_t cpu, int k)
{
	return &p->fd[(size_t)cpu * PERF_COUNTERS + (size_t)k];
}

/* Returns the errno of the first failure on a CPU that is online. */
static int open_software(struct perf_coll *p)
{
	int first_err = 0;

	for (uint32_t c = 0; c < p->ncpu; c++)
		for (int k = 0; k < NSW; k++) {
			struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE, .config = sw_config[k] };
			int fd = open_event(&a, c, k == 0 ? -1 : *slot(p, c, 0));

			if (fd < 0) {
				if (!first_err && errno != ENODEV) /* ENODEV: CPU offline */
					first_err = errno;
				break;
			}
			*slot(p, c, k) = fd;
			p->have |= 1u << k;
		}
	return first_err;
}

static int open_tlb(struct perf_coll *p)
{
	int err = 0;

	if (pfm_initialize() != PFM_SUCCESS)
		return ENOENT;
	for (int i = 0; i < NTLB; i++) {
		struct perf_event_attr a;

		if (perf_tlb_choose(i, &a, p->tlb_name[i], sizeof(p->tlb_name[i])) < 0)
			continue;
		for (uint32_t c = 0; c < p->ncpu; c++) {
			int fd = open_event(&a, c, -2);

			if (fd < 0) {
				err = err ? err : errno;
				continue;
			}
			*slot(p, c, NSW + i) = fd;
			p->have |= 1u << (NSW + i);
		}
	}
	pfm_terminate();
	return err;
}

static int paranoid(void)
{
	return hostfs_int("", "/proc/sys/kernel/perf_event_paranoid", -1);
}

static void say(struct perf_coll *p, enum source_state st, const char *fmt, const char *arg)
{
	p->state = (uint8_t)st;
	snprintf(p->reason, sizeof(p->reason), fmt, arg);
}

struct perf_coll *perf_open(uint32_t ncpu, int off)
{
	struct perf_coll *p = mem_zalloc(1, sizeof(*p));
	char why[FRAME_REASON_LEN];
	int err;

	if (!p)
		return NULL;
	p->ncpu = ncpu;
	p->fd = malloc(sizeof(int) * ncpu * PERF_COUNTERS);
	p->prev = mem_zalloc((size_t)ncpu * PERF_COUNTERS, sizeof(uint64_t));
	if (!p->fd || !p->prev) {
		perf_close(p);
		return NULL;
	}
	for (size_t i = 0; i < (size_t)ncpu * PERF_COUNTERS; i++)
		p->fd[i] = -1;
	if (off) {
		say(p, SOURCE_OFF, "%s", "turned off (--disable perf)");
		return p;
	}
	err = open_software(p);
	if (!p->have && (err == EACCES || err == EPERM)) {
		privs_perf_denied(privs_effective(), paranoid(), why, sizeof(why));
		say(p, SOURCE_UNAVAILABLE, "%s", why);
		return p;
	}
	if (!p->have) {
		say(p, SOURCE_UNAVAILABLE, "cannot open: %s", strerror(err));
		return p;
	}
	err = open_tlb(p);
	if (p->have >> NSW)
		say(p, SOURCE_OK, "%s", "");
	else if (err == ENOENT || err == EOPNOTSUPP || err == ENODEV || err == EINVAL)
		say(p, SOURCE_PARTIAL, "%s", "no hardware PMU: dTLB/iTLB misses unavailable");
	else
		say(p, SOURCE_PARTIAL, "dTLB/iTLB misses unavailable: %s", strerror(err));
	return p;
}

static void read_cpu(struct perf_coll *p, struct frame_cpu *fc, uint32_t c)
{
	uint64_t group[1 + NSW], one;
	uint64_t *prev = &p->prev[(size_t)c * PERF_COUNTERS];

	/* PERF_FORMAT_GROUP: nr, then one value per member in open order */
	if (*slot(p, c, 0) >= 0 && read(*slot(p, c, 0), group, sizeof(group)) > 0)
		for (uint64_t k = 0; k < group[0] && k < NSW; k++) {
			fc->perf[k] = p->primed ? delta_u64(prev[k], group[1 + k]) : 0;
			prev[k] = group[1 + k];
		}
	for (int k = NSW; k < PERF_COUNTERS; k++)
		if (*slot(p, c, k) >= 0 && read(*slot(p, c, k), &one, sizeof(one)) == sizeof(one)) {
			fc->perf[k] = p->primed ? delta_u64(prev[k], one) : 0;
			prev[k] = one;
		}
}

void perf_sample(struct perf_coll *p, struct frame *f)
{
	frame_set_status(f, SRC_PERF, (enum source_state)p->state, p->reason);
	if (!p->have)
		return;
	for (uint32_t c = 0; c < p->ncpu && c < f->ncpu; c++)
		read_cpu(p, &f->cpu[c], c);
	p->primed = 1;
	if ((p->have & 0xf) == 0xf)
		f->signals |= 1u << SIG_PERF_SW;
	if (p->have >> NSW)
		f->signals |= 1u << SIG_PERF_TLB;
}

int perf_describe(const struct perf_coll *p, char *buf, size_t len)
{
	static const char *const slot[NTLB] = { "dtlb_load_miss", "dtlb_store_miss", "itlb_miss" };
	size_t n = 0;

	for (int i = 0; i < NTLB && n < len; i++) {
		const char *state = p->have >> (NSW + i) & 1 ? "counting" : p->reason[0] ? p->reason : "off";

		n += (size_t)snprintf(buf + n, len - n, "perf\t%s\t%s\t-\t%s\n", slot[i],
				      p->tlb_name[i][0] ? p->tlb_name[i] : "-", state);
	}
	return (int)(n < len ? n : len);
}

void perf_close(struct perf_coll *p)
{
	if (!p)
		return;
	for (size_t i = 0; p->fd && i < (size_t)p->ncpu * PERF_COUNTERS; i++)
		if (p->fd[i] >= 0)
			close(p->fd[i]);
	free(p->fd);
	free(p->prev);
	free(p);
}
