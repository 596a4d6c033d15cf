// SPDX-License-Identifier: GPL-2.0-only
/* What stormtop says about its BPF programs, without loading any:
 * - the verifier's reason is found in a real refusal log (Debian 6.1),
 *   not its first line of noise;
 * - the bpf status line with every program of every object failing, each
 *   group in its own state, fits FRAME_STATUS_LEN with nothing cut, and
 *   survives the recording codec whole;
 * - a panel's reason names the real cause (refused, disabled...), never
 *   "tracepoint missing";
 * - the programs kept: tp_btf where the kernel's BTF has the tracepoint,
 *   the raw_tp twins where the collector rules tp_btf out (no task
 *   storage) or --raw-tp asks, the classic tracepoints without BTF;
 * - tracefs record formats (6.x and a 32-bit-style layout) give the
 *   offsets the classic tracepoint programs read;
 * - recursion misses are a counter in /metrics: the sum of the ticks. */
#include "testlib.h"

#include <errno.h>
#include <linux/types.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "collectors/bpf_load.h"
#include "collectors/bpf_status.h"
#include "record/codec.h"
#include "core/metric.h"
#include "export/prom.h"
#include "core/sigwhy.h"
#include "collectors/tpformat.h"
#include "churn.skel.h"
#include "iotlb.skel.h"
#include "rqlat.skel.h"
#include "rqlat_tp.skel.h"
#include "tlb.skel.h"

UNIT_GLUE(tlb)
UNIT_GLUE(churn)
UNIT_GLUE(rqlat)
UNIT_GLUE(rqlat_tp)
UNIT_GLUE(iotlb)

static void reason_of_real_refusal(void **state)
{
	char out[512];
	size_t len;
	const char *log = fixture("verifier/sched_switch-6.1.log", &len);

	(void)state;
	/* its first line is "reg type unsupported for arg#0 ...": noise */
	assert_true(verifier_reason(log, out, sizeof(out)) > 0);
	assert_string_equal(out, "R2 unbounded memory access, make sure to bounds check any such access");
}

static void reason_shapes(void **state)
{
	char out[256];

	(void)state;
	/* two lines of verdict between the last instruction and the summary */
	verifier_reason("0: (b7) r0 = 0\n5: (61) r1 = *(u32 *)(r0 +8)\ninvalid access to map value, "
			"value_size=8 off=8 size=4\nR0 min value is outside of the allowed memory range\n"
			"processed 6 insns (limit 1000000)\n", out, sizeof(out));
	assert_string_equal(out, "invalid access to map value, value_size=8 off=8 size=4: R0 min value is "
				 "outside of the allowed memory range");
	/* an old kernel's register dump line is trace, not verdict */
	verifier_reason("from 4 to 6: R0=map_value(id=0) R10=fp0\n6: (07) r1 += 1\nR1_w=inv(id=0)\n"
			"R1 invalid mem access 'inv'\nprocessed 9 insns\n", out, sizeof(out));
	assert_string_equal(out, "R1 invalid mem access 'inv'");
	/* no summary (rejected before verification): the last line; ';' would
	 * split the status line's groups */
	verifier_reason("func#0 @0\nunknown opcode 8d; at 3\n\n", out, sizeof(out));
	assert_string_equal(out, "unknown opcode 8d, at 3");
	assert_int_equal(verifier_reason("", out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

/* The units stormtop loads (either run-queue object, the longer names of
 * the two), planned from the real skeletons: no privilege needed. */
static void plan_units(struct bpf_unit *u, int btf_rqlat)
{
	struct load_env env = { 0 };

	u[0] = (struct bpf_unit){ UNIT_OF(tlb) };
	u[1] = (struct bpf_unit){ UNIT_OF(churn) };
	u[2] = btf_rqlat ? (struct bpf_unit){ UNIT_OF(rqlat) } : (struct bpf_unit){ UNIT_OF(rqlat_tp) };
	u[3] = (struct bpf_unit){ UNIT_OF(iotlb) };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(unit_plan(&u[i], &env), 0);
		assert_true(u[i].nhooks > 0);
	}
}

/* Every hook of every unit fails, spread over every state a loaded unit
 * can leave a hook in; a unit's map failures all name one map (the
 * loader blames the first map the kernel refused), here its longest.
 * As many groups, labels and names repeated across groups as there can
 * be. */
static void fail_everything(struct bpf_unit *u, const char *words)
{
	static const enum hook_state fixed[] = {
		HOOK_NO_TRACEPOINT, HOOK_REFUSED, HOOK_NEEDS_BTF, HOOK_LOAD_FAILED, HOOK_ATTACH_FAILED,
		HOOK_NOT_PERMITTED, HOOK_DISABLED,
	};
	size_t k = 0;

	for (int i = 0; i < 4; i++) {
		char map[HOOK_MAP_LEN] = "";
		struct bpf_map *m;
		void *skel = u[i].open();

		assert_non_null(skel);
		bpf_object__for_each_map(m, u[i].object(skel))
			if (strlen(bpf_map__name(m)) > strlen(map))
				snprintf(map, sizeof(map), "%s", bpf_map__name(m));
		u[i].destroy(skel);
		for (int h = 0; h < u[i].nhooks; h++) {
			struct hook *hk = &u[i].hooks[h];

			hk->state = (uint8_t)(h == 0 ? HOOK_MAP_FAILED : fixed[k++ % (sizeof(fixed) / sizeof(fixed[0]))]);
			snprintf(hk->map, sizeof(hk->map), "%s", h == 0 ? map : "");
			free(hk->detail);
			hk->detail = NULL;
			if (hk->state == HOOK_REFUSED || hk->state == HOOK_LOAD_FAILED ||
			    hk->state == HOOK_ATTACH_FAILED || hk->state == HOOK_MAP_FAILED) {
				char d[HOOK_WHY_MAX];

				snprintf(d, sizeof(d), "%s %s #%zu", hk->state == HOOK_REFUSED ? words :
					 "Operation not supported", hk->tp, k);
				hk->detail = strdup(d);
			}
		}
	}
}

/* Every hook's name is in its group: "<label>: ...name..." */
static void assert_all_named(const struct bpf_unit *u, const char *line)
{
	for (int i = 0; i < 4; i++)
		for (int h = 0; h < u[i].nhooks; h++) {
			char label[128], *at;

			hook_label(&u[i].hooks[h], label, sizeof(label));
			at = strstr(line, label);
			assert_non_null(at);
			if (!strstr(at, u[i].hooks[h].tp))
				fail_msg("%s (%s) missing from: %s", u[i].hooks[h].tp, label, line);
		}
}

static void longest_status_line(void **state)
{
	static char words[2000];
	const struct bpf_unit *up[4];
	struct bpf_unit u[4];
	char line[FRAME_STATUS_LEN];
	size_t need, most = 0;

	(void)state;
	memset(words, 'w', sizeof(words) - 1); /* a verifier's longest words */
	for (int btf = 0; btf < 2; btf++) {
		plan_units(u, btf);
		for (int i = 0; i < 4; i++)
			up[i] = &u[i];
		fail_everything(u, words);
		need = bpf_status_line(up, 4, "flush_tlb_func not in kallsyms: no fan-out or received counts",
				       line, sizeof(line));
		printf("longest bpf status (%s): %zu of %d bytes\n", btf ? "rqlat" : "rqlat_tp", need,
		       FRAME_STATUS_LEN);
		assert_true(need < sizeof(line));
		assert_int_equal(strlen(line), need);
		assert_all_named(u, line);
		assert_non_null(strstr(line, "flush_tlb_func not in kallsyms: no fan-out or received counts"));
		/* the details did not fit: left out whole, and said */
		assert_null(strstr(line, "www"));
		assert_non_null(strstr(line, "(their details: stormtop --probes)"));
		most = need > most ? need : most;
		/* short words do fit, whole */
		fail_everything(u, "R2 unbounded memory access, make sure to bounds check any such access");
		for (int i = 0; i < 4; i++)
			for (int h = 0; h < u[i].nhooks; h++)
				if (u[i].hooks[h].state != HOOK_REFUSED) {
					u[i].hooks[h].state = HOOK_ATTACHED;
					free(u[i].hooks[h].detail);
					u[i].hooks[h].detail = NULL;
				}
		need = bpf_status_line(up, 4, NULL, line, sizeof(line));
		assert_true(need < sizeof(line));
		assert_non_null(strstr(line, "refused by the verifier: "));
		assert_non_null(strstr(line, "(R2 unbounded memory access, make sure to bounds check any such access"));
		for (int i = 0; i < 4; i++)
			unit_close(&u[i]);
	}
	assert_true(most > 600); /* the test did build a long one */
}

/* Nothing failing: an empty line; one disabled: the old words kept. */
static void status_line_simple(void **state)
{
	struct bpf_unit u = { .name = "rqlat", .nhooks = 3 };
	const struct bpf_unit *up = &u;
	char line[FRAME_STATUS_LEN];

	(void)state;
	strcpy(u.hooks[0].tp, "sched_wakeup");
	strcpy(u.hooks[1].tp, "sched_wakeup_new");
	strcpy(u.hooks[2].tp, "sched_switch");
	for (int i = 0; i < 3; i++)
		u.hooks[i].state = HOOK_ATTACHED;
	assert_int_equal(bpf_status_line(&up, 1, NULL, line, sizeof(line)), 0);
	assert_string_equal(line, "");
	u.hooks[2].state = HOOK_DISABLED;
	bpf_status_line(&up, 1, NULL, line, sizeof(line));
	assert_string_equal(line, "disabled: sched_switch");
	u.hooks[0].state = HOOK_MAP_FAILED;
	strcpy(u.hooks[0].map, "enqueued_at");
	u.hooks[0].detail = "Invalid argument";
	bpf_status_line(&up, 1, NULL, line, sizeof(line));
	assert_string_equal(line, "map enqueued_at cannot be created: sched_wakeup (Invalid argument); "
				  "disabled: sched_switch");
}

static struct frame_cpu cpus[2];

static void frame_with(struct frame *f, enum source_state st, const char *bpf_reason)
{
	memset(f, 0, sizeof(*f));
	memset(cpus, 0, sizeof(cpus));
	f->cpu = cpus;
	f->ncpu = 2;
	f->interval_ns = 1000000000;
	f->signals = 1u << SIG_TLB_FLUSH | 1u << SIG_CALLFN;
	frame_set_status(f, SRC_BPF, st, bpf_reason);
}

/* The runq panel says what is wrong with which program. */
static void panels_say_the_real_cause(void **state)
{
	static struct frame f;
	const char *why;
	char buf[FRAME_STATUS_LEN];

	(void)state;
	frame_with(&f, SOURCE_PARTIAL, "no tracepoint: qi_submit,cache_tag_flush_all; refused by the verifier: "
		   "sched_switch (R2 unbounded memory access, make sure to bounds check any such access)");
	why = metric_missing(metrics[METRIC_RUNQ_P99], &f);
	assert_non_null(why);
	assert_string_equal(why, "refused by the verifier: sched_switch (R2 unbounded memory access, make sure "
				 "to bounds check any such access)");
	assert_null(strstr(why, "tracepoint missing"));
	/* the IOMMU panel gets its own group, not the run queue's */
	assert_string_equal(signal_why(&f, SIG_IOTLB_INVAL, buf, sizeof(buf)), "no tracepoint: qi_submit,cache_tag_flush_all");
	/* metrics whose signal is there say nothing */
	assert_null(metric_missing(metrics[METRIC_IPI_TAX], &f));
	/* a name inside another is not it: "map" is not "mm_migrate_pages" */
	frame_with(&f, SOURCE_PARTIAL, "needs kernel BTF: mm_migrate_pages,unmap_x; disabled: sched_wakeup_new,sched_switch");
	assert_string_equal(metric_missing(metrics[METRIC_RUNQ_P99], &f), "disabled: sched_wakeup_new,sched_switch");
	assert_string_equal(signal_why(&f, SIG_IOMMU_MAP, buf, sizeof(buf)), f.status[SRC_BPF].reason);
	/* fan-out and received IPIs need flush_tlb_func's address: its group,
	 * not the unrelated ones before it (case caps, no kernel BTF) */
	frame_with(&f, SOURCE_PARTIAL, "no tracepoint: map_single,qi_submit; cannot be loaded: sched_wakeup "
		   "(needs tracefs (no kernel BTF): x: Permission denied); flush_tlb_func address hidden: needs "
		   "CAP_SYSLOG (no kernel BTF to resolve it): no TLB IPIs sent, no csd received count");
	assert_string_equal(signal_why(&f, SIG_TLB_FANOUT, buf, sizeof(buf)),
			    "flush_tlb_func address hidden: needs CAP_SYSLOG (no kernel BTF to resolve it): no TLB IPIs "
			    "sent, no csd received count");
	assert_true(!strncmp(signal_why(&f, SIG_TLB_RX, buf, sizeof(buf)), "flush_tlb_func address hidden", 29));
	assert_null(strstr(buf, "map_single"));
	assert_null(strstr(signal_why(&f, SIG_RUNQ, buf, sizeof(buf)), "flush_tlb_func"));
	/* no eBPF at all: the source's own reason */
	frame_with(&f, SOURCE_UNAVAILABLE, "not permitted (run as root, or grant CAP_BPF and CAP_PERFMON): procfs only");
	assert_string_equal(metric_missing(metrics[METRIC_RUNQ_P99], &f), f.status[SRC_BPF].reason);
}

/* A status of 1000 bytes is recorded and read back whole. */
static void long_status_recorded_whole(void **state)
{
	static struct frame a, b;
	static struct frame_cpu ca[2], cb[2];
	static uint8_t wire[1 << 20];
	char reason[FRAME_STATUS_LEN];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(reason) - 1; i++)
		reason[i] = (char)('a' + i % 26);
	reason[sizeof(reason) - 1] = '\0';
	frame_with(&a, SOURCE_PARTIAL, reason);
	a.cpu = ca;
	a.sys.bpf_recursion_misses = 12345;
	b.cpu = cb;
	b.ncpu = 2;
	n = frame_encode(&a, wire, sizeof(wire));
	assert_true(n > sizeof(reason));
	assert_true(n <= codec_bound(2));
	assert_int_equal(frame_decode(wire, n, &b), 0);
	assert_string_equal(b.status[SRC_BPF].reason, reason);
	assert_int_equal(b.sys.bpf_recursion_misses, 12345);
}

/* Which program of each tracepoint the loader keeps. */
static void programs_kept(void **state)
{
	struct load_env env = { .vmlinux = btf__load_vmlinux_btf() };
	struct bpf_unit u;

	(void)state;
	if (!env.vmlinux) {
		printf("SKIP: no kernel BTF to plan the tp_btf programs with\n");
		skip();
	}
	u = (struct bpf_unit){ UNIT_OF(rqlat) };
	assert_int_equal(unit_plan(&u, &env), 0);
	for (int i = 0; i < u.nhooks; i++)
		assert_int_equal(u.hooks[i].family, FAM_TP_BTF);
	unit_close(&u);
	/* no task storage (5.10): the collector rules tp_btf out */
	u = (struct bpf_unit){ UNIT_OF(rqlat), .avoid = 1u << FAM_TP_BTF, .avoid_why = "no task storage" };
	assert_int_equal(unit_plan(&u, &env), 0);
	assert_int_equal(u.nhooks, 3);
	for (int i = 0; i < u.nhooks; i++) {
		assert_int_equal(u.hooks[i].family, FAM_RAW_TP);
		assert_int_equal(u.hooks[i].state, HOOK_OFF);
	}
	unit_close(&u);
	/* the classic tracepoints ruled out too: nothing left, and why */
	u = (struct bpf_unit){ UNIT_OF(rqlat_tp), .avoid = 1u << FAM_TRACEPOINT, .avoid_why = "needs tracefs" };
	assert_int_equal(unit_plan(&u, &env), 0);
	for (int i = 0; i < u.nhooks; i++) {
		assert_int_equal(u.hooks[i].family, FAM_TRACEPOINT);
		assert_int_equal(u.hooks[i].state, HOOK_LOAD_FAILED);
		assert_string_equal(u.hooks[i].detail, "needs tracefs");
	}
	unit_close(&u);
	/* --disable: the program is still named, and off */
	env.disable = "sched_switch";
	u = (struct bpf_unit){ UNIT_OF(rqlat_tp) };
	assert_int_equal(unit_plan(&u, &env), 0);
	for (int i = 0; i < u.nhooks; i++)
		assert_int_equal(u.hooks[i].state, strcmp(u.hooks[i].tp, "sched_switch") ? HOOK_OFF : HOOK_DISABLED);
	unit_close(&u);
	/* no kernel BTF: tp_btf programs alone say so */
	btf__free(env.vmlinux);
	env = (struct load_env){ 0 };
	u = (struct bpf_unit){ UNIT_OF(rqlat), .avoid = 1u << FAM_RAW_TP };
	assert_int_equal(unit_plan(&u, &env), 0);
	for (int i = 0; i < u.nhooks; i++)
		assert_int_equal(u.hooks[i].state, HOOK_NEEDS_BTF);
	unit_close(&u);
}

static void tracefs_formats(void **state)
{
	char text[8192], path[512];
	struct tp_field f;

	(void)state;
	assert_true(tpformat_read("tests/fixtures/root-tracefs", "sched", "sched_switch", text, sizeof(text), path,
				  sizeof(path)) > 0);
	assert_int_equal(tpformat_field(text, "prev_pid", &f), 0);
	assert_int_equal(f.offset, 24);
	assert_int_equal(f.size, 4);
	assert_int_equal(tpformat_field(text, "prev_state", &f), 0);
	assert_int_equal(f.offset, 32);
	assert_int_equal(f.size, 8);
	assert_int_equal(tpformat_field(text, "next_pid", &f), 0);
	assert_int_equal(f.offset, 56);
	assert_int_equal(tpformat_field(text, "prev_comm", &f), 0); /* an array */
	assert_int_equal(f.size, 16);
	assert_int_equal(tpformat_field(text, "pid", &f), -ENOENT); /* not a suffix match */
	assert_true(tpformat_read("tests/fixtures/root-tracefs", "sched", "sched_wakeup", text, sizeof(text), path,
				  sizeof(path)) > 0);
	assert_int_equal(tpformat_field(text, "pid", &f), 0);
	assert_int_equal(f.offset, 24);
	/* debugfs' mount, a 4-byte prev_state */
	assert_true(tpformat_read("tests/fixtures/root-tracefs-old", "sched", "sched_switch", text, sizeof(text),
				  path, sizeof(path)) > 0);
	assert_int_equal(tpformat_field(text, "prev_state", &f), 0);
	assert_int_equal(f.size, 4);
	assert_int_equal(tpformat_field(text, "next_pid", &f), 0);
	assert_int_equal(f.offset, 52);
	/* no tracefs: the first path tried, and why */
	assert_int_equal(tpformat_read("tests/fixtures/interrupts-empty", "sched", "sched_switch", text, sizeof(text),
				       path, sizeof(path)), -ENOTDIR);
	assert_non_null(strstr(path, "/sys/kernel/tracing/events/sched/sched_switch/format"));
	assert_int_equal(tpformat_field("\tfield:pid_t pid;\toffset:x;\tsize:4;\n", "pid", &f), -EINVAL);
}

/* Two ticks of 3 and 4 misses: a counter of 7, typed as one. */
static void recursion_misses_exposed(void **state)
{
	static char buf[1 << 20];
	static struct frame f;
	struct promtext t = { .buf = buf, .cap = sizeof(buf) };
	struct prom_totals tot;
	const char *at;

	(void)state;
	promtext_reset(&t);
	assert_int_equal(prom_totals_init(&tot, 2), 0);
	frame_with(&f, SOURCE_OK, NULL);
	f.sys.bpf_recursion_misses = 3;
	prom_accumulate(&tot, &f);
	f.sys.bpf_recursion_misses = 4;
	prom_accumulate(&tot, &f);
	prom_render(&t, &tot, &f, &(struct prom_opts){ .top_k = 3 });
	assert_false(t.overflow);
	assert_non_null(strstr(buf, "# TYPE stormtop_bpf_recursion_misses_total counter\n"));
	at = strstr(buf, "\nstormtop_bpf_recursion_misses_total ");
	assert_non_null(at);
	assert_int_equal(strtol(at + strlen("\nstormtop_bpf_recursion_misses_total "), NULL, 10), 7);
	prom_totals_free(&tot);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reason_of_real_refusal),
		cmocka_unit_test(reason_shapes),
		cmocka_unit_test(longest_status_line),
		cmocka_unit_test(status_line_simple),
		cmocka_unit_test(panels_say_the_real_cause),
		cmocka_unit_test(long_status_recorded_whole),
		cmocka_unit_test(programs_kept),
		cmocka_unit_test(tracefs_formats),
		cmocka_unit_test(recursion_misses_exposed),
	};
	return cmocka_run_group_tests_name("what stormtop says about its BPF programs", tests, NULL, NULL);
}
