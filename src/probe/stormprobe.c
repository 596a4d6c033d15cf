// SPDX-License-Identifier: MIT
/* libstormprobe: creates and fills a stormprobe segment (the ABI is in
 * include/stormtop/probe.h).  Everything that may block or allocate happens
 * here, outside the record path, which is inline in the header. */
#include "stormtop/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include "util/safefile.h"

struct stormprobe {
	struct stormprobe_header *hdr;
	size_t size;
	char path[256];
};

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= STORMPROBE_NAME_MAX || name[0] == '.')
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

int stormprobe_path(const char *name, char *buf, size_t len)
{
	const char *dir = getenv("STORMPROBE_DIR");
	int n;

	if (!name || !name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(buf, len, "%s/stormprobe.%s", dir && dir[0] ? dir : "/dev/shm", name);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Field 22 of /proc/PID/stat, after the parenthesised comm; read with
 * open/read into the stack, as a reader calls it every tick and stdio
 * would allocate each time. */
uint64_t stormprobe_starttime(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long st = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid ? pid : (int)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &st) != 1)
		return 0;
	return st;
}

static void init_header(struct stormprobe_header *h, const char *name, unsigned int nslots,
			size_t size)
{
	h->magic = STORMPROBE_MAGIC;
	h->header_size = STORMPROBE_HEADER_SIZE;
	h->total_size = size;
	if (getrandom(&h->instance_id, sizeof(h->instance_id), 0) != sizeof(h->instance_id))
		h->instance_id = (uint64_t)now_ns(CLOCK_MONOTONIC) ^ ((uint64_t)getpid() << 32);
	h->writer_pid = getpid();
	h->slot_count = nslots;
	h->writer_starttime = stormprobe_starttime(0);
	h->start_wall_ns = now_ns(CLOCK_REALTIME);
	h->start_mono_ns = now_ns(CLOCK_MONOTONIC);
	h->features = STORMPROBE_FEAT_HEARTBEAT | STORMPROBE_FEAT_STATE;
	h->slot_offset = STORMPROBE_HEADER_SIZE;
	h->slot_size = sizeof(struct stormprobe_slot);
	h->buckets = STORMPROBE_BUCKETS;
	h->grouping_power = STORMPROBE_GROUPING;
	h->max_power = STORMPROBE_MAX_POWER;
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->heartbeat_mono_ns = h->start_mono_ns;
	h->writer_state = STORMPROBE_WRITER_RUNNING;
}

/* Sizes the new file, writes every page (so no first-touch fault or
 * SIGBUS later), and maps it. */
static void *size_and_map(int fd, size_t size)
{
	static const char zero[4096];
	void *m;

	if (ftruncate(fd, (off_t)size) < 0)
		return NULL;
	for (size_t off = 0; off < size; off += sizeof(zero))
		if (pwrite(fd, zero, sizeof(zero), (off_t)off) != (ssize_t)sizeof(zero))
			return NULL;
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
	return m == MAP_FAILED ? NULL : m;
}

/* Built under a temporary name, published by rename: a reader sees no
 * file, or a complete one with its version set.  The temporary has a
 * random name and is created without following anything planted in the
 * (world-writable) directory, 0644 whatever the umask: readers of other
 * users must be able to map it, nobody else to write it. */
static int build(struct stormprobe *p, const char *name, unsigned int nslots)
{
	char tmp[300];
	int fd, saved;

	fd = safefile_temp(p->path, tmp, sizeof(tmp), O_RDWR, 0644, NULL, 0);
	if (fd < 0)
		return -1;
	p->hdr = size_and_map(fd, p->size);
	saved = errno;
	close(fd);
	if (p->hdr) {
		init_header(p->hdr, name, nslots, p->size);
		__atomic_store_n(&p->hdr->version, STORMPROBE_VERSION, __ATOMIC_RELEASE);
		if (rename(tmp, p->path) == 0)
			return 0;
		saved = errno;
		munmap(p->hdr, p->size);
	}
	unlink(tmp);
	errno = saved;
	return -1;
}

struct stormprobe *stormprobe_create(const char *name, unsigned int nslots)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct stormprobe *p;
	int saved;

	if (nslots == 0 || nslots > STORMPROBE_MAX_SLOTS) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->size = STORMPROBE_HEADER_SIZE + (size_t)nslots * sizeof(struct stormprobe_slot);
	p->size = (p->size + page - 1) / page * page;
	if (stormprobe_path(name, p->path, sizeof(p->path)) == 0 && build(p, name, nslots) == 0)
		return p;
	saved = errno;
	free(p);
	errno = saved;
	return NULL;
}

static struct stormprobe_slot *slot_at(struct stormprobe *p, unsigned int i)
{
	return (struct stormprobe_slot *)((char *)p->hdr + p->hdr->slot_offset +
					  (size_t)i * p->hdr->slot_size);
}

/* Claiming is the one contended step (threads of one writer may start
 * together), so it takes a compare-and-swap; recording never does. */
static struct stormprobe_slot *claim(struct stormprobe *p)
{
	for (unsigned int i = 0; i < p->hdr->slot_count; i++) {
		struct stormprobe_slot *s = slot_at(p, i);
		uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);

		if (st != STORMPROBE_SLOT_ACTIVE && st != STORMPROBE_SLOT_CLAIMING &&
		    __atomic_compare_exchange_n(&s->state, &st, STORMPROBE_SLOT_CLAIMING, 0,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return s;
	}
	return NULL;
}

struct stormprobe_slot *stormprobe_slot_open(struct stormprobe *p, enum stormprobe_kind kind,
					     const char *label, int cpu)
{
	struct stormprobe_slot *s;

	if (!p || (kind != STORMPROBE_LATENCY && kind != STORMPROBE_PHASE)) {
		errno = EINVAL;
		return NULL;
	}
	s = claim(p);
	if (!s) {
		errno = ENOSPC;
		return NULL;
	}
	/* counters restart at zero; the new generation tells readers why */
	memset(&s->count, 0, sizeof(*s) - offsetof(struct stormprobe_slot, count));
	s->generation++;
	s->kind = kind;
	s->cpu = cpu;
	s->tid = (int32_t)syscall(SYS_gettid);
	snprintf(s->label, sizeof(s->label), "%s", label ? label : "");
	__atomic_store_n(&s->state, STORMPROBE_SLOT_ACTIVE, __ATOMIC_RELEASE);
	return s;
}

void stormprobe_slot_close(struct stormprobe *p, struct stormprobe_slot *s)
{
	(void)p;
	if (s)
		__atomic_store_n(&s->state, STORMPROBE_SLOT_RETIRED, __ATOMIC_RELEASE);
}

void stormprobe_heartbeat(struct stormprobe *p)
{
	__atomic_store_n(&p->hdr->heartbeat_mono_ns, now_ns(CLOCK_MONOTONIC), __ATOMIC_RELAXED);
	__atomic_store_n(&p->hdr->heartbeat, p->hdr->heartbeat + 1, __ATOMIC_RELEASE);
}

void stormprobe_state_set(struct stormprobe *p, uint32_t mode, const char *label,
			  const int64_t *values, unsigned int n)
{
	struct stormprobe_state *st = &p->hdr->state;
	uint32_t seq = st->seq;

	__atomic_store_n(&st->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	st->mode = mode;
	st->updated_mono_ns = now_ns(CLOCK_MONOTONIC);
	snprintf(st->label, sizeof(st->label), "%s", label ? label : "");
	for (unsigned int i = 0; i < STORMPROBE_STATE_VALUES; i++)
		st->value[i] = values && i < n ? values[i] : 0;
	__atomic_store_n(&st->seq, seq + 2, __ATOMIC_RELEASE);
}

void stormprobe_close(struct stormprobe *p, int unlink_it)
{
	if (!p)
		return;
	__atomic_store_n(&p->hdr->writer_state, STORMPROBE_WRITER_CLOSED, __ATOMIC_RELEASE);
	if (unlink_it)
		unlink(p->path);
	munmap(p->hdr, p->size);
	free(p);
}

const struct stormprobe_header *stormprobe_header(const struct stormprobe *p)
{
	return p->hdr;
}
