// SPDX-License-Identifier: GPL-2.0-only
/* The monitor's memory never makes it send TLB shootdowns itself: a page
 * read before it is written maps the shared zero page, and its first
 * write is a fault that replaces the page and flushes the TLB of every
 * CPU the process runs on.  Counted here as minor faults on a write pass
 * over memory already read: none may happen. */
#include "testlib.h"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/mem.h"

#define LEN (4u << 20)

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Faults taken by writing every page of b after reading every page. */
static long write_faults_after_read(volatile uint8_t *b, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned int sum = 0;
	long before;

	for (size_t i = 0; i < len; i += page)
		sum += b[i];
	assert_int_equal(sum, 0);
	before = minflt();
	for (size_t i = 0; i < len; i += page)
		b[i] = 1;
	return minflt() - before;
}

/* The hazard is real on this kernel: without prefaulting, it faults. */
static void fresh_memory_faults_on_first_write(void **state)
{
	void *m = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long n;

	(void)state;
	assert_true(m != MAP_FAILED);
	n = write_faults_after_read(m, LEN);
	printf("plain anonymous memory: %ld faults writing %u pages after reading them\n", n,
	       LEN / (unsigned int)sysconf(_SC_PAGESIZE));
	assert_true(n > 0);
	munmap(m, LEN);
}

static void zalloc_takes_no_write_fault(void **state)
{
	uint8_t *b = mem_zalloc(LEN / 16, 16);
	long n;

	(void)state;
	assert_non_null(b);
	n = write_faults_after_read(b, LEN);
	printf("mem_zalloc: %ld faults\n", n);
	assert_int_equal(n, 0);
	/* odd sizes end on a written page too */
	free(b);
	b = mem_zalloc(3, 4097);
	assert_non_null(b);
	assert_int_equal(write_faults_after_read(b, 3 * 4097), 0);
	free(b);
}

static void zalloc_is_zeroed(void **state)
{
	uint8_t *b = mem_zalloc(1000, 3);

	(void)state;
	assert_non_null(b);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(b[i], 0);
	free(b);
}

/* Statics in bss, like a table built on first use. */
static uint8_t bss_block[LEN];

static void image_prefault_covers_bss(void **state)
{
	size_t done;
	long n;

	(void)state;
	done = mem_prefault_image();
	printf("mem_prefault_image: %zu bytes\n", done);
	assert_true(done >= sizeof(bss_block));
	n = write_faults_after_read(bss_block, sizeof(bss_block));
	printf("bss after mem_prefault_image: %ld faults\n", n);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_memory_faults_on_first_write),
		cmocka_unit_test(zalloc_takes_no_write_fault),
		cmocka_unit_test(zalloc_is_zeroed),
		cmocka_unit_test(image_prefault_covers_bss),
	};
	return cmocka_run_group_tests_name("memory that never faults into a shootdown", tests, NULL, NULL);
}
