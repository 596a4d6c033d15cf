// SPDX-License-Identifier: GPL-2.0-only
/* Live, as root: the run-queue path without task storage, what the
 * loader says about programs the kernel will not take, and what the
 * kernel says the programs missed.
 * - --raw-tp, the path a kernel whose BTF lacks the tracepoints gets: the
 *   p99 on a CPU three pinned spinners load agrees with perf's record of
 *   the sched tracepoints within one log2 bucket, that CPU's octave
 *   histogram holds its delays octave by octave, and waits lost to a
 *   shared pid slot (rq_missed) stay under 1 % of them;
 * - a program the verifier refuses is reported with the verifier's words
 *   and a map the kernel refuses by its name and errno, never as a
 *   missing tracepoint, and the unit's other programs attach;
 * - without kernel BTF (hidden in a mount namespace), the CO-RE object's
 *   programs each say "needs kernel BTF" and none vanishes;
 * - each program's recursion_misses is what bpftool reads for it, and
 *   the frames' per-tick deltas add up to the kernel's totals;
 * - two spinners whose pids share their low 16 bits (made with clone3's
 *   set_tid, kernel.pid_max raised for the moment) lose waits to each
 *   other's slot on the CPU they share, and the frame says so (rq_missed),
 *   while a third spinner's waits there are all measured. */
#include "perf_sched.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "collectors/bpf_load.h"
#include "collectors/bpf_status.h"
#include "collectors/ebpf.h"
#include "core/hist.h"
#include "core/ring.h"
#include "collectors/rqlat.h"
#include "rqlat.skel.h"

UNIT_GLUE(rqlat)

static struct bpf_setup setup;

static void setup_env(int force_raw)
{
	memset(&setup, 0, sizeof(setup));
	setup.ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
	setup.nslots = (uint32_t)libbpf_num_possible_cpus();
	if (setup.nslots < setup.ncpu)
		setup.nslots = setup.ncpu;
	setup.env.vmlinux = btf__load_vmlinux_btf();
	setup.env.force_raw = force_raw;
}

/* The highest CPU we may run on: the one the spinners load. */
static int target_cpu(void)
{
	cpu_set_t set;
	int cpu = -1;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, &set))
				cpu = c;
	return cpu;
}

/* In a new child: pinned to cpu, spins until killed. */
static void spin_on(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		_exit(1);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

static pid_t pinned_spinner(int cpu)
{
	pid_t pid = fork();

	if (pid == 0)
		spin_on(cpu);
	return pid;
}

static const struct frame *tick(struct frame_ring *r, struct rqlat_coll *rq)
{
	struct frame *f = ring_begin(r);

	f->interval_ns = 1;
	rqlat_sample(rq, f);
	ring_commit(r);
	return ring_at_age(r, 0);
}

/* The CPU's octaves (frame_cpu.rq_oct) against perf's delays for that
 * CPU folded by value into the same octaves: they hold every delay
 * counted (the sum is rq_count, exactly), and each octave agrees with
 * perf's within the tolerance the counts have (5 % + 20: the window's
 * edges), plus perf's delays within EDGE_NS of the octave's edges: the
 * BPF program and perf stamp the same wait at slightly different instants
 * (measured: stormtop reads a little longer in 1-8 us), so a wait that
 * close to an edge may fall on either side of it.  Absolute, not relative:
 * the spinners' 8 ms waits sit 0.4 ms under an edge and stay judged.
 * Printed side by side. */
#define EDGE_NS 500.0
static void octaves_match(const uint32_t *oct, uint64_t count, const uint64_t *ref, size_t n)
{
	uint64_t want[RQ_OCTAVES] = { 0 }, edge[RQ_OCTAVES] = { 0 }, sum = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned int k = loglin_slot(ref[i]) / LOGLIN_SUB;

		want[k]++;
		if (k > 0 && (double)ref[i] < (double)hist_octave_low(k) + EDGE_NS)
			edge[k]++, edge[k - 1]++;
		if (k + 1 < RQ_OCTAVES && (double)ref[i] >= (double)hist_octave_high(k) - EDGE_NS)
			edge[k]++, edge[k + 1]++;
	}
	for (unsigned int k = 0; k < RQ_OCTAVES; k++) {
		sum += oct[k];
		if (oct[k] || want[k])
			printf("  octave %2u [%llu, %llu) ns: stormtop %u, perf %llu (%llu near its edges)\n", k,
			       (unsigned long long)hist_octave_low(k), (unsigned long long)hist_octave_high(k), oct[k],
			       (unsigned long long)want[k], (unsigned long long)edge[k]);
	}
	assert_int_equal(sum, count);
	for (unsigned int k = 0; k < RQ_OCTAVES; k++)
		if (fabs((double)oct[k] - (double)want[k]) > 0.05 * (double)want[k] + 20 + (double)edge[k])
			fail_msg("octave %u: stormtop %u, perf %llu", k, oct[k], (unsigned long long)want[k]);
}

static void pid_slots_p99_matches_perf(void **state)
{
	static uint64_t ref[1 << 20];
	char dir[] = "/tmp/stormtop-rqraw-XXXXXX", data[128];
	int cpu = target_cpu(), ctl = -1, ack = -1, on, off, status, err;
	uint64_t span[2], p99, ref99, count, missed = 0;
	uint32_t oct[RQ_OCTAVES];
	const struct bpf_unit *u;
	struct rqlat_coll *rq;
	struct frame_ring r;
	pid_t spin[3], rec;
	size_t n;

	(void)state;
	NEED_ROOT("loading BPF programs");
	if (!have("perf"))
		fail_msg("perf is missing (make deps installs linux-perf)");
	setup_env(1);
	assert_int_equal(ring_init(&r, 4, setup.ncpu), 0);
	rq = rqlat_open(&setup, &err);
	assert_non_null(rq);
	u = rqlat_unit(rq);
	for (int i = 0; i < u->nhooks; i++) {
		printf("%s: %s, %s\n", u->hooks[i].tp, prog_family_name(u->hooks[i].family),
		       hook_state_name(u->hooks[i].state));
		assert_int_equal(u->hooks[i].family, FAM_RAW_TP);
		assert_int_equal(u->hooks[i].state, HOOK_ATTACHED);
	}
	/* the pid slots serve */
	assert_true(bpf_map__fd(((struct rqlat_bpf *)u->skel)->maps.enqueued) >= 0);
	assert_non_null(mkdtemp(dir));
	snprintf(data, sizeof(data), "%s/perf.data", dir);
	for (int i = 0; i < 3; i++)
		spin[i] = pinned_spinner(cpu);
	rec = start_perf_sched(dir, data, &ctl, &ack);
	on = rec > 0 ? perf_ctl(ctl, ack, "enable\n") : -1;
	sleep_ms(300);
	tick(&r, rq); /* the baseline: one tick spans the window */
	span[0] = mono_ns();
	sleep_ms(3000);
	span[1] = mono_ns();
	p99 = tick(&r, rq)->cpu[cpu].rq_q[RQ_P99];
	count = ring_at_age(&r, 0)->cpu[cpu].rq_count;
	memcpy(oct, ring_at_age(&r, 0)->cpu[cpu].rq_oct, sizeof(oct));
	for (uint32_t c = 0; c < setup.ncpu; c++)
		missed += ring_at_age(&r, 0)->cpu[c].rq_missed;
	off = on == 0 ? perf_ctl(ctl, ack, "disable\n") : -1;
	if (rec > 0) {
		kill(rec, SIGINT);
		waitpid(rec, &status, 0);
	}
	for (int i = 0; i < 3; i++)
		kill(spin[i], SIGKILL);
	for (int i = 0; i < 3; i++)
		waitpid(spin[i], NULL, 0);
	close(ctl);
	close(ack);
	n = on == 0 && off == 0 ? reference_delays(data, (uint64_t[4]){ span[0], span[0], span[1], span[1] }, cpu, 0, ref,
						    sizeof(ref) / sizeof(ref[0]), NULL, NULL) : 0;
	remove_rq_dir(dir);
	if (on || off)
		fail_msg("perf record did not answer its control fifo");
	ref99 = at(ref, n, 0.99);
	printf("cpu%d, pid slots (raw_tp): p99 %.3f ms over %lu delays; perf p99 %.3f ms over %zu; %llu lost to a shared slot\n",
	       cpu, (double)p99 / 1e6, (unsigned long)count, (double)ref99 / 1e6, n, (unsigned long long)missed);
	assert_true(n > 100);
	/* the same window on the same CPU: the same delays, give or take its edges */
	assert_true(fabs((double)count - (double)n) <= 0.05 * (double)n + 20);
	/* within one log2 bucket */
	assert_true(p99 * 2 >= ref99 && p99 <= ref99 * 2);
	octaves_match(oct, count, ref, n);
	/* two waiting tasks whose pids share their low 16 bits are rare */
	assert_true(missed * 100 <= count);
	rqlat_close(rq);
	ring_free(&r);
	btf__free(setup.env.vmlinux);
}

/* A child with pid want, spinning on cpu; -1 when the pid is taken or
 * clone3's set_tid is refused. */
static pid_t spinner_with_pid(pid_t want, int cpu)
{
	struct clone_args a = { .exit_signal = SIGCHLD, .set_tid = (uint64_t)(uintptr_t)&want, .set_tid_size = 1 };
	long pid = syscall(SYS_clone3, &a, sizeof(a));

	if (pid == 0)
		spin_on(cpu);
	return (pid_t)pid;
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int write_long(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%ld\n", v) > 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Two free pids 65536 apart under pid_max, the lower one returned; 0 if none. */
static pid_t free_pair(long pid_max)
{
	for (pid_t p = (pid_t)(pid_max - 65536 - 1); p > 300; p--)
		if (kill(p, 0) < 0 && errno == ESRCH && kill(p + 65536, 0) < 0 && errno == ESRCH)
			return p;
	return 0;
}

static void shared_slot_misses_counted(void **state)
{
	const char *pm = "/proc/sys/kernel/pid_max";
	long old = read_long(pm);
	int cpu = target_cpu(), err;
	pid_t pair = 0, spin[3] = { -1, -1, -1 };
	const struct frame *f;
	struct rqlat_coll *rq;
	struct frame_ring r;

	(void)state;
	NEED_ROOT("loading BPF programs and raising kernel.pid_max");
	if (old < 0)
		skip();
	setup_env(0);
	assert_int_equal(ring_init(&r, 4, setup.ncpu), 0);
	rq = rqlat_open(&setup, &err);
	assert_non_null(rq);
	tick(&r, rq);
	/* only for the two clones: the old limit is back before any check */
	if (old > 2 * 65536 || write_long(pm, 3 * 65536) == 0) {
		pair = free_pair(old > 2 * 65536 ? old : 3 * 65536);
		if (pair) {
			spin[0] = spinner_with_pid(pair, cpu);
			spin[1] = spinner_with_pid(pair + 65536, cpu);
		}
		if (old <= 2 * 65536)
			write_long(pm, old);
	}
	spin[2] = pinned_spinner(cpu);
	sleep_ms(1500);
	f = tick(&r, rq);
	for (int i = 0; i < 3; i++)
		if (spin[i] > 0)
			kill(spin[i], SIGKILL);
	for (int i = 0; i < 3; i++)
		if (spin[i] > 0)
			waitpid(spin[i], NULL, 0);
	assert_int_equal(read_long(pm), old);
	if (spin[0] <= 0 || spin[1] <= 0)
		fail_msg("could not make pids %d and %d (clone3 set_tid): %s", pair, pair + 65536, strerror(errno));
	printf("cpu%d, spinners %d, %d (one slot) and %d: %llu waits measured, %llu lost to the shared slot\n", cpu,
	       spin[0], spin[1], spin[2], (unsigned long long)f->cpu[cpu].rq_count,
	       (unsigned long long)f->cpu[cpu].rq_missed);
	/* each takes the other's slot whenever both wait: many losses */
	assert_true(f->cpu[cpu].rq_missed > 10);
	/* the third spinner's waits, and the pair's not lost, are measured */
	assert_true(f->cpu[cpu].rq_count > 10);
	rqlat_close(rq);
	ring_free(&r);
	btf__free(setup.env.vmlinux);
}

/* sched_switch's tp_btf program aimed at sched_wakeup, which has one
 * argument: the verifier refuses the read of the second. */
static void retarget(void *skel, void *arg)
{
	struct rqlat_bpf *s = skel;

	(void)arg;
	bpf_map__set_max_entries(s->maps.rq_banks, setup.nslots);
	bpf_program__set_attach_target(s->progs.switch_btf, 0, "sched_wakeup");
}

/* A bank of no entries: the kernel will not create the map. */
static void empty_bank(void *skel, void *arg)
{
	struct rqlat_bpf *s = skel;

	(void)arg;
	bpf_map__set_max_entries(s->maps.rq_banks, 0);
}

static const struct hook *hook_of(const struct bpf_unit *u, const char *tp)
{
	for (int i = 0; i < u->nhooks; i++)
		if (!strcmp(u->hooks[i].tp, tp))
			return &u->hooks[i];
	fail_msg("no hook %s", tp);
	return NULL;
}

static void refusals_say_why(void **state)
{
	struct bpf_unit u = { UNIT_OF(rqlat), .prepare = retarget };
	const struct bpf_unit *up = &u;
	char why[HOOK_WHY_MAX], line[FRAME_STATUS_LEN];
	const struct hook *h;

	(void)state;
	NEED_ROOT("loading BPF programs");
	setup_env(0);
	if (!setup.env.vmlinux)
		fail_msg("no kernel BTF: the tp_btf programs cannot be tried");
	assert_int_equal(unit_load(&u, &setup.env), 2);
	h = hook_of(&u, "sched_switch");
	hook_why(h, why, sizeof(why));
	printf("sched_switch: %s\n", why);
	assert_int_equal(h->state, HOOK_REFUSED);
	assert_non_null(h->detail);
	assert_null(strstr(h->detail, "processed "));
	assert_int_equal(hook_of(&u, "sched_wakeup")->state, HOOK_ATTACHED);
	assert_int_equal(hook_of(&u, "sched_wakeup_new")->state, HOOK_ATTACHED);
	bpf_status_line(&up, 1, NULL, line, sizeof(line));
	printf("status: %s\n", line);
	assert_true(strncmp(line, "refused by the verifier: sched_switch (", 39) == 0);
	assert_null(strstr(line, "no tracepoint"));
	unit_close(&u);

	u = (struct bpf_unit){ UNIT_OF(rqlat), .prepare = empty_bank };
	assert_int_equal(unit_load(&u, &setup.env), 2);
	h = hook_of(&u, "sched_switch");
	hook_why(h, why, sizeof(why));
	printf("sched_switch: %s\n", why);
	assert_int_equal(h->state, HOOK_MAP_FAILED);
	assert_string_equal(why, "map rq_banks cannot be created: Invalid argument");
	assert_int_equal(hook_of(&u, "sched_wakeup")->state, HOOK_ATTACHED);
	unit_close(&u);
	btf__free(setup.env.vmlinux);
}

/* In a child with the kernel's BTF hidden: 0 when every program of the
 * CO-RE run-queue object says it needs kernel BTF. */
static int needs_btf_child(void)
{
	struct bpf_unit u = { UNIT_OF(rqlat) };
	struct load_env env = { 0 };
	int bad = 0;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("/dev/null", "/sys/kernel/btf/vmlinux", NULL, MS_BIND, NULL) < 0)
		return 2;
	if (btf__load_vmlinux_btf() != NULL) /* another copy on disk: nothing to test */
		return 3;
	libbpf_set_print(NULL);
	if (unit_load(&u, &env) > 0 || u.nhooks != 3)
		bad = 1;
	for (int i = 0; i < u.nhooks; i++) {
		char why[HOOK_WHY_MAX];

		hook_why(&u.hooks[i], why, sizeof(why));
		printf("%s: %s\n", u.hooks[i].tp, why);
		bad |= u.hooks[i].state != HOOK_NEEDS_BTF;
	}
	fflush(stdout);
	unit_close(&u);
	return bad;
}

static void without_btf_each_says_so(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	NEED_ROOT("a mount namespace and BPF");
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		fail_msg("no /sys/kernel/btf/vmlinux to hide");
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(needs_btf_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 3) {
		printf("SKIP: a vmlinux image on disk gives libbpf BTF anyway\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The kernel's own figure for one program, read here, not by stormtop. */
static int prog_info(const struct hook *h, struct bpf_prog_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(bpf_program__fd(h->prog), info, &len);
}

static uint64_t bpftool_misses(uint32_t id)
{
	char cmd[128], out[8192];
	size_t n;
	const char *at;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "bpftool prog show id %u --json", id);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, "\"id\":"));
	/* bpftool leaves the field out while it is 0 */
	at = strstr(out, "\"recursion_misses\":");
	return at ? strtoull(at + strlen("\"recursion_misses\":"), NULL, 10) : 0;
}

static uint64_t kernel_total(const struct hook *const *h, int n)
{
	struct bpf_prog_info info;
	uint64_t sum = 0;

	for (int i = 0; i < n; i++)
		if (prog_info(h[i], &info) == 0)
			sum += info.recursion_misses;
	return sum;
}

static void recursion_misses_match_bpftool(void **state)
{
	const struct hook *h[64];
	const char *unit[64];
	uint64_t a0, a1, b0, b1, frames = 0;
	struct frame_ring r;
	struct ebpf *e;
	int n, status;
	pid_t churn;

	(void)state;
	NEED_ROOT("loading BPF programs");
	if (!have("bpftool"))
		fail_msg("bpftool is missing (make deps installs it)");
	assert_int_equal(ring_init(&r, 4, (uint32_t)sysconf(_SC_NPROCESSORS_CONF)), 0);
	e = ebpf_open(r.ncpu, &(struct ebpf_opts){ 0 });
	assert_non_null(e);
	n = ebpf_hooks(e, h, unit, 64);
	assert_true(n > 0);
	a0 = kernel_total(h, n);
	ebpf_sample(e, ring_begin(&r)); /* the baseline */
	ring_commit(&r);
	a1 = kernel_total(h, n);
	churn = start_churn((int)sysconf(_SC_NPROCESSORS_ONLN) - 1, 0, "1");
	while (waitpid(churn, &status, WNOHANG) == 0) {
		sleep_ms(200);
		ebpf_sample(e, ring_begin(&r));
		ring_commit(&r);
		frames += ring_at_age(&r, 0)->sys.bpf_recursion_misses;
	}
	b0 = kernel_total(h, n);
	ebpf_sample(e, ring_begin(&r));
	ring_commit(&r);
	frames += ring_at_age(&r, 0)->sys.bpf_recursion_misses;
	b1 = kernel_total(h, n);
	printf("recursion misses: frames %llu, kernel %llu..%llu\n", (unsigned long long)frames,
	       (unsigned long long)(b0 - a1), (unsigned long long)(b1 - a0));
	assert_true(frames >= b0 - a1 && frames <= b1 - a0);
	for (int i = 0; i < n; i++) {
		struct prog_stats before = { 0 }, after = { 0 };
		struct bpf_prog_info info;
		uint64_t tool;

		assert_int_equal(prog_info(h[i], &info), 0);
		assert_int_equal(hook_stats(h[i], &before), 0);
		tool = bpftool_misses(info.id);
		assert_int_equal(hook_stats(h[i], &after), 0);
		printf("%s %s (id %u): stormtop %llu, bpftool %llu\n", unit[i], h[i]->tp, info.id,
		       (unsigned long long)before.recursion_misses, (unsigned long long)tool);
		assert_true(before.recursion_misses <= tool && tool <= after.recursion_misses);
	}
	ebpf_close(e);
	ring_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pid_slots_p99_matches_perf),
		cmocka_unit_test(refusals_say_why),
		cmocka_unit_test(without_btf_each_says_so),
		cmocka_unit_test(recursion_misses_match_bpftool),
		cmocka_unit_test(shared_slot_misses_counted),
	};
	return cmocka_run_group_tests_name("live run-queue fallbacks and program statuses", tests, NULL, NULL);
}
