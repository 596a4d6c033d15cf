// SPDX-License-Identifier: GPL-2.0-only
/* Live, as root: TLB IPIs received, three ways, on the CPU our own churn
 * sends them to (tools/churn -c TARGET -m 0: its touchers run there, its
 * mutator on CPU 0), over one bracketed window:
 *
 *   irq  the kernel's /proc/interrupts TLB count (irq_tlb_count), read
 *        A1,A2 around the start and B1,B2 around the end, so that
 *        B1 - A2 <= irq <= B2 - A1 however the kernel interleaves;
 *   perf a perf counter on csd:csd_function_entry filtered to
 *        func == flush_tlb_func && csd != 0 on that CPU: how often the
 *        tracepoint fired;
 *   bpf  stormtop's csd program (frame tlb_rx), what the UI shows.
 *
 * The tracepoint fires for every IPI the kernel counts (perf = irq, give
 * or take one per edge: it fires just before flush_tlb_func bumps the
 * count).  The kernel skips the BPF program for a few hits in 100k (1-3
 * measured on 6.18), so bpf <= perf and perf - bpf is held to 10 in 100k
 * plus the edges; the rate seen and the programs' recursion misses are
 * printed.  STORMTOP_CSD_SECS=N churns N seconds instead of 4. */
#include "live.h"

#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collectors/bpf_load.h"
#include "collectors/ebpf.h"
#include "collectors/kallsyms.h"
#include "core/ring.h"

static struct ebpf *e;
static struct frame_ring ring;
static int perf_fd = -1;
static pid_t churn_pid;

static int open_csd_entry(int cpu, uint64_t func)
{
	long id = tracepoint_id("csd", "csd_function_entry");
	struct perf_event_attr a = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(a) };
	char filter[96];
	int fd;

	if (id < 0)
		return -1;
	a.config = (uint64_t)id;
	fd = (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);
	snprintf(filter, sizeof(filter), "func == 0x%llx && csd != 0", (unsigned long long)func);
	if (fd >= 0 && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static uint64_t perf_read(void)
{
	uint64_t v = 0;

	assert_int_equal(read(perf_fd, &v, sizeof(v)), sizeof(v));
	return v;
}

static uint64_t bpf_rx(uint32_t cpu)
{
	struct frame *f = ring_begin(&ring);

	f->interval_ns = 1;
	ebpf_sample(e, f);
	ring_commit(&ring);
	if (!frame_has(ring_at_age(&ring, 0), SIG_TLB_RX))
		fail_msg("no csd received count: %s", ring_at_age(&ring, 0)->status[SRC_BPF].reason);
	return ring_at_age(&ring, 0)->cpu[cpu].tlb_rx;
}

/* The recursion misses the kernel counted for our attached programs. */
static uint64_t recursion_misses(void)
{
	const struct hook *h[64];
	const char *unit[64];
	int n = ebpf_hooks(e, h, unit, 64);
	uint64_t misses = 0;

	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(bpf_program__fd(h[i]->prog), &info, &len) == 0)
			misses += info.recursion_misses;
	}
	return misses;
}

static void received_three_ways(void **state)
{
	static uint64_t a1[MAXC], a2[MAXC], b1[MAXC], b2[MAXC];
	static uint8_t on[MAXC];
	uint32_t ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	int status, target = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1, ticks = 0;
	uint64_t func, p0, p1, bpf = 0, lo, hi, perf, skipped, allow;

	(void)state;
	NEED_ROOT("loading BPF programs and reading /proc/kallsyms");
	if (target < 1 || read_tlb(a1, on) < 2 || !on[target]) {
		printf("SKIP: needs 2 online CPUs with a TLB line in /proc/interrupts\n");
		skip();
	}
	func = kallsyms_addr("/proc/kallsyms", "flush_tlb_func", NULL);
	perf_fd = func ? open_csd_entry(target, func) : -1;
	if (perf_fd < 0) {
		printf("SKIP: no flush_tlb_func or no csd tracepoints to count (kernel before 6.5)\n");
		skip();
	}
	assert_int_equal(ring_init(&ring, 4, ncpu), 0);
	e = ebpf_open(ncpu, &(struct ebpf_opts){ 0 });
	assert_non_null(e);

	read_tlb(a1, on);
	bpf_rx((uint32_t)target); /* baseline */
	p0 = perf_read();
	read_tlb(a2, on);
	/* STORMTOP_CSD_SECS: a longer window, to measure the rate */
	churn_pid = start_churn(target, 0, getenv("STORMTOP_CSD_SECS") ? getenv("STORMTOP_CSD_SECS") : "4");
	while (waitpid(churn_pid, &status, WNOHANG) == 0) {
		sleep_ms(250);
		bpf += bpf_rx((uint32_t)target);
		ticks++;
	}
	churn_pid = 0;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	read_tlb(b1, on);
	bpf += bpf_rx((uint32_t)target);
	p1 = perf_read();
	read_tlb(b2, on);

	lo = b1[target] - a2[target];
	hi = b2[target] - a1[target];
	perf = p1 - p0;
	skipped = perf > bpf ? perf - bpf : 0;
	allow = 2 + (perf + 9999) / 10000;
	printf("cpu%d over %d ticks: /proc/interrupts %lu..%lu, csd tracepoint (perf) %lu, csd program %lu\n",
	       target, ticks, (unsigned long)lo, (unsigned long)hi, (unsigned long)perf, (unsigned long)bpf);
	printf("the program missed %lu of %lu tracepoint hits: %.1f in 100k (allowed %lu); "
	       "recursion misses %lu\n", (unsigned long)skipped, (unsigned long)perf,
	       perf ? (double)skipped * 1e5 / (double)perf : 0, (unsigned long)allow,
	       (unsigned long)recursion_misses());
	assert_true(lo > 1000);                          /* the storm we caused */
	assert_true(perf + 1 >= lo && perf <= hi + 1);   /* every counted IPI fired the tracepoint */
	assert_true(bpf <= perf + 2);                    /* the program sees no more than fired */
	assert_true(skipped <= allow);
	assert_true(bpf + 1 + allow >= lo && bpf <= hi + 1);
}

static int teardown(void **state)
{
	(void)state;
	if (churn_pid > 0) {
		kill(churn_pid, SIGKILL);
		waitpid(churn_pid, NULL, 0);
	}
	if (perf_fd >= 0)
		close(perf_fd);
	ebpf_close(e);
	if (ring.cap)
		ring_free(&ring);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(received_three_ways, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
