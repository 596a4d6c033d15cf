// SPDX-License-Identifier: GPL-2.0-only
/* sitesim: TLB shootdowns from two known call sites, for the call-site
 * sampler's test (tests/test_live_stacks.c).
 *
 * sitesim_unmap_here() maps, touches and unmaps one page;
 * sitesim_protect_there() turns a touched page read-only and back.  A
 * cycle is 3 of the first and 1 of the second; a toucher thread pinned
 * to another CPU keeps the mm live there, so each change that must flush
 * sends it an IPI.  Built with frame pointers, nothing inlined and no
 * sibling calls (Makefile), so each function is its own frame and the
 * return address on top of the stack at each system call points into it.
 *
 *   sitesim [-n CYCLES] [-m MUTATOR_CPU] [-c TOUCHER_CPU] [-w]
 *
 * -w: print "sitesim: ready pid N", wait for a line on stdin, run, print
 * the counts, then wait for stdin's end before exiting (a test samples
 * the process alive, then ends it).  Counts, on stdout:
 *   "sitesim: cycles N sitesim_unmap_here mmap A munmap B sitesim_protect_there mprotect C" */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile int stop;
static long page_size;
static char *hot;
static long n_mmap, n_munmap, n_mprotect;
/* Not static, not const: the compiler may not unroll the loop over it
 * into three call sites. */
int unmaps_per_cycle = 3;

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *toucher(void *arg)
{
	if (pin((int)(long)arg) != 0)
		fprintf(stderr, "sitesim: cannot pin the toucher to CPU %ld\n", (long)arg);
	while (!stop)
		*(volatile char *)hot += 1;
	return NULL;
}

__attribute__((noinline)) int sitesim_unmap_here(void)
{
	char *p = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc;

	n_mmap++;
	if (p == MAP_FAILED)
		return -1;
	*(volatile char *)p = 1;
	rc = munmap(p, (size_t)page_size);
	n_munmap++;
	return rc;
}

__attribute__((noinline)) int sitesim_protect_there(char *page)
{
	int rc;

	*(volatile char *)page += 1;
	rc = mprotect(page, (size_t)page_size, PROT_READ);
	n_mprotect++;
	rc |= mprotect(page, (size_t)page_size, PROT_READ | PROT_WRITE);
	n_mprotect++;
	return rc;
}

static int wait_line(void)
{
	char line[64];

	return fgets(line, sizeof(line), stdin) ? 0 : -1;
}

int main(int argc, char **argv)
{
	long cycles = 20000, done;
	int mut = 0, touch = 1, wait = 0, ch, rc = 0;
	pthread_t th;
	char *page;

	while ((ch = getopt(argc, argv, "n:m:c:w")) != -1) {
		switch (ch) {
		case 'n': cycles = strtol(optarg, NULL, 10); break;
		case 'm': mut = atoi(optarg); break;
		case 'c': touch = atoi(optarg); break;
		case 'w': wait = 1; break;
		default:
			fprintf(stderr, "usage: sitesim [-n CYCLES] [-m MUTATOR_CPU] [-c TOUCHER_CPU] [-w]\n");
			return 2;
		}
	}
	if (cycles < 1 || mut < 0 || touch < 0 || mut == touch)
		return fprintf(stderr, "sitesim: bad arguments\n"), 2;
	page_size = sysconf(_SC_PAGESIZE);
	hot = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page = mmap(NULL, (size_t)page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hot == MAP_FAILED || page == MAP_FAILED)
		return perror("sitesim: mmap"), 1;
	if (pin(mut) != 0)
		fprintf(stderr, "sitesim: cannot pin to CPU %d\n", mut);
	if (pthread_create(&th, NULL, toucher, (void *)(long)touch) != 0)
		return fprintf(stderr, "sitesim: no toucher thread\n"), 1;
	if (wait) {
		printf("sitesim: ready pid %d\n", (int)getpid());
		fflush(stdout);
		if (wait_line() < 0)
			stop = 1;
	}
	for (done = 0; done < cycles && !stop && rc == 0; done++) {
		/* one call site: three would be three user stacks, three sites */
		for (int k = 0; k < unmaps_per_cycle; k++)
			rc |= sitesim_unmap_here();
		rc |= sitesim_protect_there(page);
	}
	if (rc)
		fprintf(stderr, "sitesim: a page-table call failed: %s\n", strerror(errno));
	printf("sitesim: cycles %ld sitesim_unmap_here mmap %ld munmap %ld sitesim_protect_there mprotect %ld\n",
	       done, n_mmap, n_munmap, n_mprotect);
	fflush(stdout);
	stop = 1;
	pthread_join(th, NULL);
	if (wait)
		while (wait_line() == 0)
			;
	return rc ? 1 : 0;
}
