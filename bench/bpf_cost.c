// SPDX-License-Identifier: GPL-2.0-only
/* What stormtop's BPF programs cost per event, next to a bare per-CPU
 * counter on the same tracepoint in the same run (target: at most 1.3x),
 * and stormtop's own CPU per second at 10 Hz, quiet and under a storm.
 * Prints figures; asserts nothing.  Needs root. */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "collectors/bpf_load.h"
#include "collectors/ebpf.h"
#include "collectors/kallsyms.h"
#include "bare.skel.h"
#include "stacks_shared.h"
#include "stacks.skel.h"

UNIT_GLUE(bare)
UNIT_GLUE(stacks)

#define MAXH 64

struct snap {
	uint64_t ns[MAXH], cnt[MAXH];
};

static pid_t run(char *const argv[])
{
	pid_t pid;

	fflush(stdout);
	pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* TLB shootdowns from tools/churn, context switches from stress-ng's
 * pipe ping-pong, and preemption from spinners. */
static void storm(int secs)
{
	char t[16];
	int nspin = 4 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	pid_t spin[4 * 4096], churn, sw;

	snprintf(t, sizeof(t), "%d", secs);
	churn = run((char *const[]){ "tools/churn", "-c", "1", "-m", "0", "-t", t, "-q", NULL });
	sw = run((char *const[]){ "/usr/bin/stress-ng", "--switch", "2", "--timeout", t, "--temp-path", "/tmp",
				  "--quiet", NULL }); /* its scratch directory not in the tree */
	for (int i = 0; i < nspin; i++)
		if ((spin[i] = fork()) == 0)
			for (;;)
				__asm__ volatile("" ::: "memory");
	waitpid(churn, NULL, 0);
	waitpid(sw, NULL, 0);
	for (int i = 0; i < nspin; i++) {
		kill(spin[i], SIGKILL);
		waitpid(spin[i], NULL, 0);
	}
}

static void take(struct snap *s, const struct hook *const *h, int n)
{
	for (int i = 0; i < n; i++) {
		s->ns[i] = s->cnt[i] = 0;
		hook_run_stats(h[i], &s->ns[i], &s->cnt[i]);
	}
}

static double per_event(const struct snap *a, const struct snap *b, int i)
{
	uint64_t n = b->cnt[i] - a->cnt[i];

	return n ? (double)(b->ns[i] - a->ns[i]) / (double)n : 0;
}

static void program_costs(void)
{
	const struct hook *h[MAXH], *bh[MAXH];
	const char *unit[MAXH];
	struct bpf_unit bare = { UNIT_OF(bare) };
	struct load_env env = { .vmlinux = btf__load_vmlinux_btf() };
	struct snap s0, s1, b0, b1;
	struct ebpf *e = ebpf_open((uint32_t)sysconf(_SC_NPROCESSORS_CONF), &(struct ebpf_opts){ 0 });
	int n = ebpf_hooks(e, h, unit, MAXH), nb;

	if (unit_load(&bare, &env) < 0 || n == 0) {
		fprintf(stderr, "bpf_cost: cannot load the programs (root?)\n");
		exit(1);
	}
	for (nb = 0; nb < bare.nhooks; nb++)
		bh[nb] = &bare.hooks[nb];
	take(&s0, h, n);
	take(&b0, bh, nb);
	storm(3);
	take(&s1, h, n);
	take(&b1, bh, nb);
	printf("BPF cost per event under tools/churn, stress-ng --switch and 4 spinners per CPU (3 s),\n"
	       "next to a bare counter on the same tracepoint:\n");
	printf("  %-6s %-20s %10s %9s %9s %6s\n", "unit", "tracepoint", "events", "ns/event", "bare", "ratio");
	for (int i = 0; i < n; i++) {
		double bare_ns = 0;

		for (int j = 0; j < nb; j++)
			if (strcmp(bh[j]->tp, h[i]->tp) == 0)
				bare_ns = per_event(&b0, &b1, j);
		printf("  %-6s %-20.20s %10llu %9.0f ", unit[i], h[i]->tp,
		       (unsigned long long)(s1.cnt[i] - s0.cnt[i]), per_event(&s0, &s1, i));
		if (bare_ns > 0)
			printf("%9.0f %5.2fx\n", bare_ns, per_event(&s0, &s1, i) / bare_ns);
		else
			printf("%9s %6s\n", "-", "-");
	}
	unit_close(&bare);
	btf__free(env.vmlinux);
	ebpf_close(e);
}

static uint64_t flush_addr;
static uint32_t stacks_period;

static void stacks_prepare(void *skel, void *arg)
{
	(void)arg;
	((struct stacks_bpf *)skel)->rodata->flush_tlb_func_addr = flush_addr;
	((struct stacks_bpf *)skel)->rodata->period = stacks_period;
}

/* The target, through the .bss map's fd (bpf_load does not remap the
 * skeleton's pointer onto the map). */
static void aim(struct bpf_unit *u, uint32_t tgid)
{
	struct stacks_bpf *skel = u->skel;
	uint32_t zero = 0;

	skel->bss->target_tgid = tgid;
	bpf_map_update_elem(bpf_map__fd(skel->maps.bss), &zero, skel->bss, BPF_ANY);
}

/* One stacks program's line: its ns/event over every event on the
 * tracepoint (the host's too), the bare counter's in the same run. */
static void stacks_line(const char *what, const struct bpf_unit *u, const struct snap *a, const struct snap *b,
			const struct bpf_unit *bare, const struct snap *ba, const struct snap *bb)
{
	for (int i = 0; i < u->nhooks; i++) {
		double bare_ns = 0, ns = per_event(a, b, i);

		for (int j = 0; j < bare->nhooks; j++)
			if (strcmp(bare->hooks[j].tp, u->hooks[i].tp) == 0)
				bare_ns = per_event(ba, bb, j);
		printf("  %-12s %-14s %10llu %9.0f ", what, u->hooks[i].tp,
		       (unsigned long long)(b->cnt[i] - a->cnt[i]), ns);
		if (bare_ns > 0)
			printf("%9.0f %5.2fx\n", bare_ns, ns / bare_ns);
		else
			printf("%9s %6s\n", "-", "-");
	}
}

/* One run of tools/churn (2 s) with the stacks programs at period p,
 * aimed at churn or at nobody. */
static void stacks_run(uint32_t p, int aimed, struct bpf_unit *bare, const struct load_env *env)
{
	const struct hook *h[MAXH], *bh[MAXH];
	struct bpf_unit st = { UNIT_OF(stacks), .prepare = stacks_prepare };
	struct snap s0, s1, b0, b1;
	char what[32];
	pid_t churn;

	stacks_period = p;
	if (unit_load(&st, env) <= 0) {
		fprintf(stderr, "bpf_cost: cannot load the stacks programs\n");
		exit(1);
	}
	for (int i = 0; i < st.nhooks; i++)
		h[i] = &st.hooks[i];
	for (int i = 0; i < bare->nhooks; i++)
		bh[i] = &bare->hooks[i];
	churn = run((char *const[]){ "tools/churn", "-c", "1", "-m", "0", "-t", "2", "-q", NULL });
	aim(&st, aimed ? (uint32_t)churn : 0);
	take(&s0, h, st.nhooks);
	take(&b0, bh, bare->nhooks);
	waitpid(churn, NULL, 0);
	take(&s1, h, st.nhooks);
	take(&b1, bh, bare->nhooks);
	if (aimed)
		snprintf(what, sizeof(what), "churn 1/%u", p);
	else
		snprintf(what, sizeof(what), "nobody");
	stacks_line(what, &st, &s0, &s1, bare, &b0, &b1);
	unit_close(&st);
}

/* The call-site sampler (bpf/stacks.bpf.c): attached with no target (a
 * sampler never leaves it so: it detaches), then aimed at tools/churn,
 * whose every event is a candidate, at four sampling periods. */
static void stacks_costs(void)
{
	static const uint32_t periods[] = { 1, 4, 16, 64 };
	struct bpf_unit bare = { UNIT_OF(bare) };
	struct load_env env = { .vmlinux = btf__load_vmlinux_btf() };
	char why[128];
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME);

	flush_addr = flush_tlb_func_addr("/proc/kallsyms", why, sizeof(why));
	if (unit_load(&bare, &env) <= 0) {
		fprintf(stderr, "bpf_cost: cannot load the bare programs\n");
		exit(1);
	}
	printf("Call-site sampler (bpf/stacks.bpf.c; default period %d) under tools/churn, 2 s a run;\n"
	       "ns/event over every event on the tracepoint, the target's and the host's:\n", STACKS_PERIOD);
	printf("  %-12s %-14s %10s %9s %9s %6s\n", "target", "tracepoint", "events", "ns/event", "bare", "ratio");
	stacks_run(STACKS_PERIOD, 0, &bare, &env);
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		stacks_run(periods[i], 1, &bare, &env);
	unit_close(&bare);
	btf__free(env.vmlinux);
	if (stats >= 0)
		close(stats);
}

/* CPU seconds of one `stormtop -b -d 0.1 -n ticks` run. */
static double cpu_of_run(const char *ticks)
{
	struct rusage ru;
	int status;

	wait4(run((char *const[]){ "./stormtop", "-b", "-d", "0.1", "-n", (char *)ticks, NULL }),
	      &status, 0, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

/* stormtop at 10 Hz, steady state: the CPU of a 70-tick run minus a
 * 20-tick one, over the 5 s between, so start-up (BPF load) cancels. */
static double stormtop_cpu(int storm)
{
	pid_t churn = storm ? run((char *const[]){ "tools/churn", "-c", "1", "-m", "0", "-t", "12",
						   "-q", NULL }) : 0;
	double ms = (cpu_of_run("70") - cpu_of_run("20")) / 5.0 * 1e3;

	if (churn)
		waitpid(churn, NULL, 0);
	return ms;
}

/* "bpf_cost stacks": the call-site sampler's table alone. */
int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		printf("bpf_cost: skipped (needs root to load BPF)\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "stacks") == 0) {
		stacks_costs();
		return 0;
	}
	program_costs();
	stacks_costs();
	printf("stormtop -b at 10 Hz, own CPU in steady state: quiet %.2f ms/s, under churn %.2f ms/s\n",
	       stormtop_cpu(0), stormtop_cpu(1));
	return 0;
}
