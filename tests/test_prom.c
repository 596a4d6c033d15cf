// SPDX-License-Identifier: GPL-2.0-only
/* The Prometheus exposition: label escaping, histogram buckets from
 * loglin slots, running totals, gates, the process cardinality guard and
 * the buffer bound. */
#include "testlib.h"
#include "promsample.h"

#include <arpa/inet.h>
#include <math.h>

#include "export/exporter.h"
#include "export/httpguard.h"
#include "export/prom.h"

static char buf[1 << 25];

static struct promtext text(size_t cap)
{
	struct promtext t = { .buf = buf, .cap = cap };

	promtext_reset(&t);
	return t;
}


static int count_lines(const char *out, const char *prefix)
{
	int n = 0;

	for (const char *p = out; (p = strstr(p, prefix)); p++)
		n += p == out || p[-1] == '\n';
	return n;
}

/* Whether every "# HELP <prefix>..." line of out contains want (NULL: any)
 * and none contains bad (NULL: none); at least one such line. */
static int helps_say(const char *out, const char *prefix, const char *want, const char *bad)
{
	char head[128];
	int n = 0;

	snprintf(head, sizeof(head), "# HELP %s", prefix);
	for (const char *p = out; (p = strstr(p, head)); p++) {
		const char *eol = strchr(p, '\n');
		char line[600];

		snprintf(line, sizeof(line), "%.*s", (int)(eol ? eol - p : (long)strlen(p)), p);
		if ((want && !strstr(line, want)) || (bad && strstr(line, bad)))
			return 0;
		n++;
	}
	return n > 0;
}

static void test_label_escaping(void **state)
{
	char set[256] = "";

	(void)state;
	prom_label(set, sizeof(set), "comm", "a\"b\\c\nd");
	assert_string_equal(set, "comm=\"a\\\"b\\\\c\\nd\"");
	set[0] = '\0';
	/* valid UTF-8 kept, a stray byte and a control byte replaced by U+FFFD */
	prom_label(set, sizeof(set), "comm", "caf\xc3\xa9\xff\x01x");
	assert_string_equal(set, "comm=\"caf\xc3\xa9\xef\xbf\xbd\xef\xbf\xbdx\"");
	set[0] = '\0';
	/* a cut-off sequence is one U+FFFD; a C1 control (CSI) and an encoded
	 * surrogate (not UTF-8: three) are replaced too */
	prom_label(set, sizeof(set), "comm", "\xe2\x82|\xc2\x9b|\xed\xa0\x80");
	assert_string_equal(set, "comm=\"\ufffd|\ufffd|\ufffd\ufffd\ufffd\"");
	prom_label_u(set, sizeof(set), "pid", 42);
	assert_string_equal(set, "comm=\"\ufffd|\ufffd|\ufffd\ufffd\ufffd\",pid=\"42\"");
}

static void test_label_bounded(void **state)
{
	char set[24] = "";
	char lng[200];

	(void)state;
	memset(lng, '"', sizeof(lng) - 1);
	lng[sizeof(lng) - 1] = '\0';
	prom_label(set, sizeof(set), "x", lng);
	assert_true(strlen(set) < sizeof(set));
	assert_int_equal(set[strlen(set) - 1], '"');
}

/* 900 ns fits under 1 us whole; 3 us under 5 us; 2 s only under +Inf. */
static void test_histogram_buckets(void **state)
{
	static uint64_t slots[LOGLIN_SLOTS];
	struct promtext t = text(sizeof(buf));

	(void)state;
	slots[loglin_slot(900)] += 5;
	slots[loglin_slot(3000)] += 2;
	slots[loglin_slot(2000000000ULL)] += 1;
	prom_histogram(&t, "h_seconds", "help", slots);
	assert_false(t.overflow);
	assert_int_equal(sample(buf, "h_seconds_bucket{le=\"5e-07\"}"), 0);
	assert_int_equal(sample(buf, "h_seconds_bucket{le=\"1e-06\"}"), 5);
	assert_int_equal(sample(buf, "h_seconds_bucket{le=\"2.5e-06\"}"), 5);
	assert_int_equal(sample(buf, "h_seconds_bucket{le=\"5e-06\"}"), 7);
	assert_int_equal(sample(buf, "h_seconds_bucket{le=\"1\"}"), 7);
	assert_int_equal(sample(buf, "h_seconds_bucket{le=\"+Inf\"}"), 8);
	assert_int_equal(sample(buf, "h_seconds_count"), 8);
	/* the sum uses slot midpoints: within a slot's width of the truth */
	assert_true(fabs(sample(buf, "h_seconds_sum") - (5 * 900e-9 + 2 * 3e-6 + 2.0)) < 2.0 / 16);
}

static struct frame_cpu cpus[2][4];

static void fill(struct frame *f, struct frame_cpu *c, uint32_t seq)
{
	memset(f, 0, sizeof(*f));
	memset(c, 0, sizeof(cpus[0]));
	f->cpu = c;
	f->ncpu = 4;
	f->online = 3;
	f->seq = seq;
	f->interval_ns = 1000000000LL;
	f->irq_present = 1u << IRQ_TLB;
	f->signals = 1u << SIG_MAP_OPS;
	for (int i = 0; i < 4; i++) {
		c[i].online = i != 2; /* CPU 2 offline: no series */
		c[i].node = (uint16_t)(i / 2);
		c[i].irq[IRQ_TLB] = 10 * (i + 1);
		c[i].tlb_rx = 1000; /* no SIG_TLB_RX: must not show */
	}
	frame_set_status(f, SRC_INTERRUPTS, SOURCE_OK, NULL);
	frame_set_status(f, SRC_BPF, SOURCE_UNAVAILABLE, "not root");
}

static void test_totals_and_gates(void **state)
{
	struct prom_totals tot;
	struct frame f[2];
	struct promtext t = text(sizeof(buf));

	(void)state;
	assert_int_equal(prom_totals_init(&tot, 4), 0);
	fill(&f[0], cpus[0], 0);
	fill(&f[1], cpus[1], 1);
	prom_accumulate(&tot, &f[0]);
	prom_accumulate(&tot, &f[1]);
	prom_render(&t, &tot, &f[1], &(struct prom_opts){ .top_k = 3 });
	assert_false(t.overflow);
	/* counters are the sum of both ticks */
	assert_int_equal(sample(buf, "stormtop_cpu_interrupts_total{cpu=\"1\",node=\"0\",kind=\"TLB\"}"), 40);
	assert_int_equal(sample(buf, "stormtop_cpu_interrupts_total{cpu=\"3\",node=\"1\",kind=\"TLB\"}"), 80);
	assert_null(strstr(buf, "cpu=\"2\""));
	/* node 0 holds CPUs 0 and 1; node 1 only CPU 3 online */
	assert_int_equal(sample(buf, "stormtop_node_interrupts_total{node=\"0\",kind=\"TLB\"}"), 60);
	assert_int_equal(sample(buf, "stormtop_node_interrupts_total{node=\"1\",kind=\"TLB\"}"), 80);
	/* a node family's HELP says it sums CPUs; a CPU family's does not */
	assert_true(helps_say(buf, "stormtop_node_", "Summed over the node's online CPUs: ", NULL));
	assert_true(helps_say(buf, "stormtop_cpu_", NULL, "node's"));
	/* lines absent from this host are not invented */
	assert_null(strstr(buf, "kind=\"CAL\""));
	assert_null(strstr(buf, "tlb_shootdowns_received"));
	assert_int_equal(sample(buf, "stormtop_source_up{source=\"bpf\",state=\"unavailable\"}"), 0);
	assert_int_equal(sample(buf, "stormtop_source_up{source=\"interrupts\",state=\"ok\"}"), 1);
	assert_int_equal(sample(buf, "stormtop_frames_total"), 2);
	assert_int_equal(sample(buf, "stormtop_regime_tlb_state{state=\"CLEAN\"}"), 1);
	assert_int_equal(sample(buf, "stormtop_regime_tlb_state{state=\"STORM\"}"), 0);
	prom_totals_free(&tot);
}

/* 20 listed processes plus 500 already summed, two ticks: whatever K is,
 * the counters name K processes and one "other", and add up to the host's
 * two ticks (a hand sum). */
static void test_cardinality_guard(void **state)
{
	struct frame f;
	struct prom_totals tot;
	double host = 0;

	(void)state;
	fill(&f, cpus[0], 0);
	f.procs.n = FRAME_TOP_PROCS;
	for (int i = 0; i < FRAME_TOP_PROCS; i++) {
		f.procs.top[i].tgid = 100 + i;
		snprintf(f.procs.top[i].comm, FRAME_COMM_LEN, "p%d", i);
		f.procs.top[i].ops[MAP_MUNMAP] = (uint64_t)(100 - i);
		host += 100 - i;
	}
	f.procs.others = 500;
	f.procs.other.ops[MAP_MUNMAP] = 500;
	host += 500;
	for (uint32_t k = 0; k <= FRAME_TOP_PROCS; k += 5) {
		struct promtext t = text(sizeof(buf));
		double sum = 0;
		char name[128];

		assert_int_equal(prom_totals_init(&tot, 4), 0);
		prom_procs_init(&tot.procs, k);
		f.mono_ns = 1000000000;
		prom_accumulate(&tot, &f);
		f.mono_ns += 1000000000;
		prom_accumulate(&tot, &f);
		prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = k });
		assert_int_equal(count_lines(buf, "stormtop_process_map_ops_total{"), (k + 1) * MAP_OPS);
		assert_non_null(strstr(buf, "# TYPE stormtop_process_map_ops_total counter"));
		for (uint32_t i = 0; i < k; i++) {
			snprintf(name, sizeof(name), "stormtop_process_map_ops_total{pid=\"%u\",comm=\"p%u\",op=\"munmap\"}",
				 100 + i, i);
			assert_int_equal(sample(buf, name), 2 * (100 - i));
			sum += sample(buf, name);
		}
		sum += sample(buf, "stormtop_process_map_ops_total{pid=\"other\",comm=\"other\",op=\"munmap\"}");
		assert_true(fabs(sum - 2 * host) < 1e-6);
		assert_int_equal(sample(buf, "stormtop_processes_other"), 500 + FRAME_TOP_PROCS - k);
		prom_totals_free(&tot);
	}
}

/* A process that bursts in one tick and is idle in the next keeps its
 * count (a gauge of the newest tick would say 0 at the scrape); with every
 * slot taken a small newcomer counts as "other" until a slot has been idle
 * for two minutes; a newcomer 2000 times the slot's recent activity takes
 * it once it has been held 10 s; "other" never goes down. */
static void test_process_counters_keep_bursts(void **state)
{
	struct frame f;
	struct prom_totals tot;
	struct promtext t;
	double other, other_before;

	(void)state;
	fill(&f, cpus[0], 0);
	assert_int_equal(prom_totals_init(&tot, 4), 0);
	prom_procs_init(&tot.procs, 1);
	f.procs.n = 1;
	f.procs.top[0] = (struct frame_proc){ .tgid = 7, .comm = "burst", .ops[MAP_MUNMAP] = 1000 };
	f.mono_ns = 1000000000;
	prom_accumulate(&tot, &f);                      /* the burst */
	f.procs.top[0] = (struct frame_proc){ .tgid = 8, .comm = "late", .ops[MAP_MUNMAP] = 5 };
	f.mono_ns += 1000000000;
	prom_accumulate(&tot, &f);                      /* burst is idle, late has no slot */
	t = text(sizeof(buf));
	prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = 1 });
	assert_int_equal(sample(buf, "stormtop_process_map_ops_total{pid=\"7\",comm=\"burst\",op=\"munmap\"}"), 1000);
	other_before = sample(buf, "stormtop_process_map_ops_total{pid=\"other\",comm=\"other\",op=\"munmap\"}");
	assert_int_equal(other_before, 5);
	f.mono_ns += 121 * 1000000000LL;                /* burst idle past two minutes */
	prom_accumulate(&tot, &f);
	t = text(sizeof(buf));
	prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = 1 });
	assert_int_equal(sample(buf, "stormtop_process_map_ops_total{pid=\"8\",comm=\"late\",op=\"munmap\"}"), 5);
	assert_null(strstr(buf, "pid=\"7\""));
	other = sample(buf, "stormtop_process_map_ops_total{pid=\"other\",comm=\"other\",op=\"munmap\"}");
	assert_true(other >= other_before);
	f.procs.top[0] = (struct frame_proc){ .tgid = 9, .comm = "storm", .ops[MAP_MUNMAP] = 10000 };
	f.mono_ns += 5 * 1000000000LL;                  /* late held its slot 5 s: too soon */
	prom_accumulate(&tot, &f);
	f.mono_ns += 6 * 1000000000LL;                  /* 11 s: storm takes it */
	prom_accumulate(&tot, &f);
	t = text(sizeof(buf));
	prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = 1 });
	assert_int_equal(sample(buf, "stormtop_process_map_ops_total{pid=\"9\",comm=\"storm\",op=\"munmap\"}"), 10000);
	assert_null(strstr(buf, "pid=\"8\""));
	assert_int_equal(sample(buf, "stormtop_process_map_ops_total{pid=\"other\",comm=\"other\",op=\"munmap\"}"),
			 other + 10000);
	prom_totals_free(&tot);
}

/* Cgroups go through the processes' guard: K named by path (escaped as
 * promtext escapes labels), the rest in cgroup="other", named + other
 * adding up to every munmap fed in (a hand sum), the cgroups_other gauge
 * counting the unnamed; a frame without the view renders no family. */
static void test_cgroup_counters(void **state)
{
	struct frame f;
	struct prom_totals tot;
	double host = 0;

	(void)state;
	fill(&f, cpus[0], 0);
	f.signals |= 1u << SIG_SENDERS | 1u << SIG_TLB_FANOUT;
	f.cgroups.state = CGROUPS_OK;
	f.cgroups.n = FRAME_TOP_CGROUPS;
	for (int i = 0; i < FRAME_TOP_CGROUPS; i++) {
		f.cgroups.top[i].id = 5000u + (unsigned)i;
		snprintf(f.cgroups.top[i].path, FRAME_CGROUP_PATH, "/system.slice/s%d.service", i);
		f.cgroups.top[i].sum.ops[MAP_MUNMAP] = (uint64_t)(100 - i);
		f.cgroups.top[i].sum.cgroup_id = f.cgroups.top[i].id;
		host += 100 - i;
	}
	/* the busiest: a quote, a backslash, a newline, an ESC, invalid UTF-8 */
	snprintf(f.cgroups.top[0].path, FRAME_CGROUP_PATH, "/a\"b\\c\nd\x1b\xff" "e");
	f.cgroups.others = 30;
	f.cgroups.other.sum.ops[MAP_MUNMAP] = 700;
	host += 700;
	for (uint32_t k = 0; k <= FRAME_TOP_CGROUPS; k += 4) {
		struct promtext t = text(sizeof(buf));
		double sum = 0;
		char name[160];

		assert_int_equal(prom_totals_init(&tot, 4), 0);
		prom_cgroups_init(&tot.cgroups, k);
		f.mono_ns = 1000000000;
		prom_accumulate(&tot, &f);
		f.mono_ns += 1000000000;
		prom_accumulate(&tot, &f);
		prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = k });
		assert_int_equal(count_lines(buf, "stormtop_cgroup_map_ops_total{"), (k + 1) * MAP_OPS);
		/* a cgroup family's HELP never says "the process" */
		assert_true(helps_say(buf, "stormtop_cgroup_tlb_", "the cgroup's processes", "the process "));
		assert_true(helps_say(buf, "stormtop_process_tlb_", "the process ", NULL));
		assert_non_null(strstr(buf, "# TYPE stormtop_cgroup_map_ops_total counter"));
		for (uint32_t i = 1; i < k; i++) {
			snprintf(name, sizeof(name),
				 "stormtop_cgroup_map_ops_total{cgroup=\"/system.slice/s%u.service\",op=\"munmap\"}", i);
			assert_int_equal(sample(buf, name), 2 * (100 - i));
			sum += sample(buf, name);
		}
		if (k) {
			const char *esc = "stormtop_cgroup_map_ops_total{cgroup=\"/a\\\"b\\\\c\\nd\xef\xbf\xbd\xef\xbf\xbd"
					  "e\",op=\"munmap\"}";

			assert_int_equal(sample(buf, esc), 200);
			sum += sample(buf, esc);
		}
		sum += sample(buf, "stormtop_cgroup_map_ops_total{cgroup=\"other\",op=\"munmap\"}");
		assert_true(fabs(sum - 2 * host) < 1e-6);
		assert_int_equal(sample(buf, "stormtop_cgroups_other"), 30 + FRAME_TOP_CGROUPS - k);
		prom_totals_free(&tot);
	}
	f.cgroups.state = CGROUPS_V1_ONLY;
	assert_int_equal(prom_totals_init(&tot, 4), 0);
	prom_accumulate(&tot, &f);
	{
		struct promtext t = text(sizeof(buf));

		prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = 10 });
	}
	assert_null(strstr(buf, "stormtop_cgroup"));
	prom_totals_free(&tot);
}

/* A 4096-CPU, 64-node host with every signal on fits prom_bound; one
 * byte less than the text needs is reported, never overrun. */
static void test_bound(void **state)
{
	static struct frame_cpu big[FRAME_MAX_CPUS];
	struct prom_totals tot;
	struct frame f = { .cpu = big, .ncpu = FRAME_MAX_CPUS, .signals = ~0u, .irq_present = ~0u };
	struct promtext t;
	size_t need;

	(void)state;
	for (int i = 0; i < FRAME_MAX_CPUS; i++)
		big[i] = (struct frame_cpu){ .online = 1, .node = (uint16_t)(i / 64), .jit_n = 1,
					     .irq = { UINT64_MAX / 2, 1, 2, 3, 4 }, .callfn_ns = UINT64_MAX / 3 };
	for (int s = 0; s < SRC_MAX; s++)
		frame_set_status(&f, s, SOURCE_OK, NULL);
	f.procs.n = FRAME_TOP_PROCS;
	assert_int_equal(prom_totals_init(&tot, FRAME_MAX_CPUS), 0);
	prom_accumulate(&tot, &f);
	/* PROM_TOP_MAX cgroups named, each path 127 bytes that each escape to
	 * U+FFFD: two frames of distinct cgroups fill the slots */
	prom_cgroups_init(&tot.cgroups, PROM_TOP_MAX);
	f.cgroups.state = CGROUPS_OK;
	f.cgroups.n = FRAME_TOP_CGROUPS;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < FRAME_TOP_CGROUPS; i++) {
			f.cgroups.top[i].sum.cgroup_id = 1 + (uint64_t)(round * FRAME_TOP_CGROUPS + i);
			f.cgroups.top[i].sum.ops[MAP_MUNMAP] = UINT64_MAX / 4;
			memset(f.cgroups.top[i].path, 0xff, FRAME_CGROUP_PATH - 1);
			f.cgroups.top[i].path[0] = (char)('a' + round);
			f.cgroups.top[i].path[1] = (char)('a' + i);
		}
		f.mono_ns += 1000000000;
		prom_cgroups_accumulate(&tot.cgroups, &f);
	}
	assert_int_equal(tot.cgroups.n, PROM_TOP_MAX);
	t = text(sizeof(buf));
	prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = FRAME_TOP_PROCS });
	assert_false(t.overflow);
	assert_int_equal(count_lines(buf, "stormtop_cgroup_map_ops_total{"), (PROM_TOP_MAX + 1) * MAP_OPS);
	need = t.len;
	print_message("4096 CPUs, 64 nodes, every family: %zu bytes (bound %zu)\n", need,
		      prom_bound(FRAME_MAX_CPUS));
	assert_true(need < prom_bound(FRAME_MAX_CPUS));
	buf[need - 1] = 'Z';
	t = text(need);
	buf[need] = 'Y';
	prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = FRAME_TOP_PROCS });
	assert_true(t.overflow);
	assert_int_equal(buf[need], 'Y');
	prom_totals_free(&tot);
}

static void test_parse_addr(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[200];

	(void)state;
	assert_int_equal(exporter_parse_addr("9464", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr), 0x7f000001); /* loopback by default */
	assert_int_equal(exporter_parse_addr(":0", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(exporter_parse_addr("0.0.0.0:9464", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9464);
	assert_int_equal(exporter_parse_addr("[::1]:9464", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(exporter_parse_addr("127.0.0.1:65536", &ss, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0 to 65535"));
	assert_int_equal(exporter_parse_addr("127.0.0.1:", &ss, &len, err, sizeof(err)), -1);
	assert_int_equal(exporter_parse_addr("999.1.1.1:80", &ss, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "999.1.1.1"));
}

/* The fds the guard asked to drop, in order. */
static int shut_fds[64], nshut;

static void fake_shut(int fd)
{
	shut_fds[nshut++] = fd;
}

static struct sockaddr_storage addr_of(const char *ip)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *v4 = (void *)&ss;
	struct sockaddr_in6 *v6 = (void *)&ss;

	if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1)
		v4->sin_family = AF_INET;
	else if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1)
		v6->sin6_family = AF_INET6;
	else
		fail_msg("bad test address %s", ip);
	return ss;
}

#define S 1000000000LL
#define CONN(n) ((const void *)(uintptr_t)(n))

/* Deadlines whatever the trickle, keep-alive restarting the clock, the
 * oldest header-sender evicted over the soft cap (never a response, never
 * the newcomer), and the per-address cap sparing loopback. */
static void test_http_guard(void **state)
{
	struct sockaddr_storage lo = addr_of("127.0.0.1"), far = addr_of("10.0.0.1");
	struct httpguard g;

	(void)state;
	nshut = 0;
	assert_int_equal(guard_init(&g, 8, 3, 2, 5 * S, 10 * S, fake_shut), 0);
	/* header deadline: 1 sends headers for 6 s; 2 arrives and drops it */
	guard_started(&g, CONN(1), 101, (struct sockaddr *)&lo, 0);
	guard_started(&g, CONN(2), 102, (struct sockaddr *)&lo, 6 * S);
	assert_int_equal(nshut, 1);
	assert_int_equal(shut_fds[0], 101);
	assert_int_equal(g.dropped[GUARD_HEADER_DEADLINE], 1);
	guard_closed(&g, CONN(1));
	/* 2 gets its answer under way at 7 s: safe from the header deadline,
	 * and until 17 s from the response one */
	guard_headers_done(&g, CONN(2), 7 * S);
	guard_started(&g, CONN(3), 103, (struct sockaddr *)&lo, 16 * S);
	assert_int_equal(nshut, 1);
	guard_request_done(&g, CONN(2), 16 * S); /* keep-alive: waits for its next request */
	guard_headers_done(&g, CONN(3), 16 * S);
	guard_started(&g, CONN(4), 104, (struct sockaddr *)&lo, 20 * S);
	assert_int_equal(nshut, 1);
	/* soft cap 3: 5 makes four; the oldest header-sender (2, since 16 s)
	 * goes, not 3 (answering), not 5 (new) */
	guard_started(&g, CONN(5), 105, (struct sockaddr *)&lo, 20 * S);
	assert_int_equal(nshut, 2);
	assert_int_equal(shut_fds[1], 102);
	assert_int_equal(g.dropped[GUARD_EVICTED], 1);
	guard_closed(&g, CONN(2));
	/* at 26.5 s: 3 has taken more than 10 s over its answer, 4 and 5
	 * more than 5 s over their headers; 6 stays */
	guard_started(&g, CONN(6), 106, (struct sockaddr *)&lo, 26.5 * S);
	assert_int_equal(nshut, 5);
	assert_int_equal(g.dropped[GUARD_RESPONSE_DEADLINE], 1);
	assert_int_equal(g.dropped[GUARD_HEADER_DEADLINE], 3);
	assert_int_equal(shut_fds[2] + shut_fds[3] + shut_fds[4], 103 + 104 + 105);
	/* per address: two from 10.0.0.1, then no more; loopback always */
	guard_free(&g);
	assert_int_equal(guard_init(&g, 8, 8, 2, 5 * S, 10 * S, fake_shut), 0);
	assert_int_equal(guard_admit(&g, (struct sockaddr *)&far), 1);
	guard_started(&g, CONN(7), 107, (struct sockaddr *)&far, 0);
	guard_started(&g, CONN(8), 108, (struct sockaddr *)&far, 0);
	assert_int_equal(guard_admit(&g, (struct sockaddr *)&far), 0);
	assert_int_equal(g.dropped[GUARD_PER_IP], 1);
	far = addr_of("10.0.0.2");
	assert_int_equal(guard_admit(&g, (struct sockaddr *)&far), 1);
	for (int i = 0; i < 5; i++)
		guard_started(&g, CONN(20 + i), 120 + i, (struct sockaddr *)&lo, 0);
	assert_int_equal(guard_admit(&g, (struct sockaddr *)&lo), 1);
	guard_closed(&g, CONN(7));
	far = addr_of("10.0.0.1");
	assert_int_equal(guard_admit(&g, (struct sockaddr *)&far), 1);
	guard_free(&g);
	lo = addr_of("::1");
	assert_true(guard_is_loopback((struct sockaddr *)&lo));
	lo = addr_of("::ffff:127.0.0.9");
	assert_true(guard_is_loopback((struct sockaddr *)&lo));
	far = addr_of("::ffff:10.0.0.1");
	assert_false(guard_is_loopback((struct sockaddr *)&far));
	far = addr_of("128.0.0.1");
	assert_false(guard_is_loopback((struct sockaddr *)&far));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_label_bounded),
		cmocka_unit_test(test_histogram_buckets),
		cmocka_unit_test(test_totals_and_gates),
		cmocka_unit_test(test_cardinality_guard),
		cmocka_unit_test(test_process_counters_keep_bursts),
		cmocka_unit_test(test_cgroup_counters),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_parse_addr),
		cmocka_unit_test(test_http_guard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
