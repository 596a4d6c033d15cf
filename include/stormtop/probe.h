/* SPDX-License-Identifier: MIT */
/* stormprobe: the shared-memory ABI through which an application publishes
 * its latency histograms for stormtop to read, and the writer library that
 * fills it (libstormprobe, -lstormprobe, pkg-config stormprobe).
 *
 * A segment is one file, /dev/shm/stormprobe.NAME ($STORMPROBE_DIR
 * overrides the directory):
 *
 *   offset 0       struct stormprobe_header, one 4096-byte page
 *   slot_offset    slot_count x struct stormprobe_slot, slot_size apart
 *
 * Every field is little-endian native, naturally aligned, and its offset is
 * fixed by the _Static_asserts below: a reader built from another compiler
 * or language sees the same bytes.
 *
 * Concurrency contract.  Each slot has exactly one writing thread, so the
 * writer's record path is plain loads and stores (relaxed atomics, which on
 * x86-64 and arm64 are ordinary mov/str: no lock prefix, no syscall, no
 * allocation).  Counters only grow.  A reader copies a slot's cumulative
 * counters and subtracts its previous copy; it never blocks the writer and
 * never takes a lock over the histogram.  The count is stored last with
 * release, so a reader that loads it with acquire sees at least that many
 * samples in the histogram.  Only the small application-state block is
 * seqlock-protected, because its fields must be read together.
 *
 * Lifecycle.  The writer creates the file O_EXCL under a temporary name,
 * sizes it, touches every page, initialises it, stores `version` last (with
 * release) and renames it into place; it never shrinks it.  version == 0
 * means "not ready".  A slot is claimed by storing its descriptor and then
 * `state` (release); reuse bumps `generation`, so a reader resets its
 * baseline instead of subtracting a stranger's counters. */
#ifndef STORMTOP_PROBE_H
#define STORMTOP_PROBE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STORMPROBE_MAGIC        0x31424f5250525453ULL /* "STRPROB1" */
#define STORMPROBE_MAJOR        1
#define STORMPROBE_MINOR        0
#define STORMPROBE_VERSION      ((STORMPROBE_MAJOR << 16) | STORMPROBE_MINOR)
#define STORMPROBE_HEADER_SIZE  4096
#define STORMPROBE_NAME_MAX     40   /* with the NUL */
#define STORMPROBE_LABEL_MAX    32   /* with the NUL */
#define STORMPROBE_MAX_SLOTS    256
#define STORMPROBE_STATE_VALUES 8

/* Histogram: log-linear, "h2" style.  Values below 2^(G+1) get one bucket
 * each; above, every power of two is split into 2^G buckets, so a bucket is
 * at most 2^-G (0.78 %) of its value wide.  Values of 2^P ns (17.2 s) and
 * above clamp into the last bucket and also count as overflow. */
#define STORMPROBE_GROUPING     7
#define STORMPROBE_MAX_POWER    34
#define STORMPROBE_BUCKETS      ((STORMPROBE_MAX_POWER - STORMPROBE_GROUPING + 1) << STORMPROBE_GROUPING)
#define STORMPROBE_MAX_VALUE    ((1ULL << STORMPROBE_MAX_POWER) - 1)

/* The writer, as a whole. */
enum stormprobe_writer_state {
	STORMPROBE_WRITER_INIT = 0,
	STORMPROBE_WRITER_RUNNING = 1,
	STORMPROBE_WRITER_CLOSED = 2,   /* exited cleanly; data stays valid */
};

/* A slot's descriptor state. */
enum stormprobe_slot_state {
	STORMPROBE_SLOT_FREE = 0,
	STORMPROBE_SLOT_ACTIVE = 1,
	STORMPROBE_SLOT_RETIRED = 2,    /* released; counters are final */
};
/* A thread is claiming the slot (its counters are being zeroed): not
 * readable, like FREE. */
#define STORMPROBE_SLOT_CLAIMING 0xffffffffu

/* What a slot's values mean.  Both are nanoseconds. */
enum stormprobe_kind {
	STORMPROBE_LATENCY = 1,         /* e.g. decision -> send */
	STORMPROBE_PHASE = 2,           /* lateness against an intended grid, per CPU */
};

#define STORMPROBE_FEAT_HEARTBEAT 0x1   /* the writer bumps heartbeat */
#define STORMPROBE_FEAT_STATE     0x2   /* the state block is in use */

/* Application state: a few fields that must be read together, under a
 * seqlock (seq odd while the writer is inside). */
struct stormprobe_state {
	uint32_t seq;
	uint32_t mode;                  /* the application's own regime/mode */
	int64_t updated_mono_ns;
	char label[STORMPROBE_LABEL_MAX];
	int64_t value[STORMPROBE_STATE_VALUES];
};

struct stormprobe_header {
	uint64_t magic;                 /* STORMPROBE_MAGIC */
	uint32_t version;               /* major << 16 | minor; 0 = not ready */
	uint32_t header_size;           /* STORMPROBE_HEADER_SIZE */
	uint64_t total_size;            /* bytes; equals the file's st_size */
	uint64_t instance_id;           /* random, new for every segment */
	int32_t writer_pid;
	uint32_t slot_count;
	uint64_t writer_starttime;      /* /proc/PID/stat field 22: tells PID reuse */
	int64_t start_wall_ns;          /* CLOCK_REALTIME at creation */
	int64_t start_mono_ns;          /* CLOCK_MONOTONIC at creation */
	uint64_t features;              /* STORMPROBE_FEAT_* */
	uint32_t slot_offset;           /* bytes from the start to slot 0 */
	uint32_t slot_size;             /* bytes between slots */
	uint32_t buckets;               /* STORMPROBE_BUCKETS */
	uint8_t grouping_power;         /* STORMPROBE_GROUPING */
	uint8_t max_power;              /* STORMPROBE_MAX_POWER */
	uint16_t reserved0;
	char name[STORMPROBE_NAME_MAX];
	/* second cache line: written by the writer's housekeeping only */
	uint64_t heartbeat;             /* bumped off the hot path */
	int64_t heartbeat_mono_ns;      /* CLOCK_MONOTONIC of the last bump */
	uint32_t writer_state;          /* enum stormprobe_writer_state */
	uint32_t reserved1;
	uint8_t pad1[40];
	/* third cache line */
	struct stormprobe_state state;
	uint8_t pad2[STORMPROBE_HEADER_SIZE - 192 - sizeof(struct stormprobe_state)];
};

struct stormprobe_slot {
	/* descriptor: state is stored last */
	uint32_t state;                 /* enum stormprobe_slot_state */
	uint32_t generation;            /* bumped on every claim */
	uint32_t kind;                  /* enum stormprobe_kind */
	int32_t cpu;                    /* -1 when not pinned */
	int32_t tid;
	uint32_t reserved0;
	uint64_t reserved1;
	char label[STORMPROBE_LABEL_MAX];
	/* cumulative counters, own cache line: count is stored last */
	uint64_t count;
	uint64_t sum;                   /* ns, of the values as given */
	uint64_t overflow;              /* values above STORMPROBE_MAX_VALUE */
	uint64_t reserved2[5];
	uint64_t hist[STORMPROBE_BUCKETS];
};

_Static_assert(sizeof(struct stormprobe_state) == 112, "state block");
_Static_assert(offsetof(struct stormprobe_header, version) == 8, "version");
_Static_assert(offsetof(struct stormprobe_header, total_size) == 16, "total_size");
_Static_assert(offsetof(struct stormprobe_header, instance_id) == 24, "instance_id");
_Static_assert(offsetof(struct stormprobe_header, writer_pid) == 32, "writer_pid");
_Static_assert(offsetof(struct stormprobe_header, writer_starttime) == 40, "starttime");
_Static_assert(offsetof(struct stormprobe_header, start_wall_ns) == 48, "start_wall");
_Static_assert(offsetof(struct stormprobe_header, features) == 64, "features");
_Static_assert(offsetof(struct stormprobe_header, slot_offset) == 72, "slot_offset");
_Static_assert(offsetof(struct stormprobe_header, buckets) == 80, "buckets");
_Static_assert(offsetof(struct stormprobe_header, name) == 88, "name");
_Static_assert(offsetof(struct stormprobe_header, heartbeat) == 128, "heartbeat");
_Static_assert(offsetof(struct stormprobe_header, writer_state) == 144, "writer_state");
_Static_assert(offsetof(struct stormprobe_header, state) == 192, "state");
_Static_assert(sizeof(struct stormprobe_header) == STORMPROBE_HEADER_SIZE, "header page");
_Static_assert(offsetof(struct stormprobe_slot, label) == 32, "slot label");
_Static_assert(offsetof(struct stormprobe_slot, count) == 64, "slot count");
_Static_assert(offsetof(struct stormprobe_slot, hist) == 128, "slot hist");
_Static_assert(sizeof(struct stormprobe_slot) == 128 + 8 * STORMPROBE_BUCKETS, "slot size");

/* The bucket that holds value v (v clamped to STORMPROBE_MAX_VALUE). */
static inline unsigned int stormprobe_bucket(uint64_t v)
{
	unsigned int power, shift;

	if (v > STORMPROBE_MAX_VALUE)
		v = STORMPROBE_MAX_VALUE;
	if (v < (2ULL << STORMPROBE_GROUPING))
		return (unsigned int)v;
	power = 63u - (unsigned int)__builtin_clzll(v);
	shift = power - STORMPROBE_GROUPING;
	return ((shift + 1) << STORMPROBE_GROUPING) +
	       (unsigned int)((v >> shift) - (1ULL << STORMPROBE_GROUPING));
}

/* The smallest value in bucket b. */
static inline uint64_t stormprobe_bucket_low(unsigned int b)
{
	unsigned int shift;

	if (b < (2u << STORMPROBE_GROUPING))
		return b;
	shift = (b >> STORMPROBE_GROUPING) - 1;
	return ((1ULL << STORMPROBE_GROUPING) + (b & ((1u << STORMPROBE_GROUPING) - 1))) << shift;
}

/* One past the largest value in bucket b. */
static inline uint64_t stormprobe_bucket_high(unsigned int b)
{
	return b + 1 < STORMPROBE_BUCKETS ? stormprobe_bucket_low(b + 1) : STORMPROBE_MAX_VALUE + 1;
}

/* The record path: one histogram bucket, the sum, then the count (release,
 * which is a plain store on x86-64).  Call it only from the slot's owner. */
static inline void stormprobe_record(struct stormprobe_slot *s, uint64_t ns)
{
	unsigned int b = stormprobe_bucket(ns);

	if (__builtin_expect(ns > STORMPROBE_MAX_VALUE, 0))
		__atomic_store_n(&s->overflow, s->overflow + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->hist[b], s->hist[b] + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->sum, s->sum + ns, __ATOMIC_RELAXED);
	__atomic_store_n(&s->count, s->count + 1, __ATOMIC_RELEASE);
}

/* The writer library. Functions returning a pointer give NULL with errno set. */
struct stormprobe;

/* Creates /dev/shm/stormprobe.NAME with room for nslots threads.  NAME is
 * 1-39 characters of [A-Za-z0-9_.-], not starting with '.'.  An existing
 * segment of that name is replaced atomically (readers see a new
 * instance_id). */
struct stormprobe *stormprobe_create(const char *name, unsigned int nslots);
/* Claims a slot for the calling thread.  cpu is where it runs, or -1. */
struct stormprobe_slot *stormprobe_slot_open(struct stormprobe *p, enum stormprobe_kind kind,
					     const char *label, int cpu);
/* Gives the slot back; its counters stay readable until it is reused. */
void stormprobe_slot_close(struct stormprobe *p, struct stormprobe_slot *s);
/* Says "alive" to readers; call it from housekeeping, e.g. every 100 ms. */
void stormprobe_heartbeat(struct stormprobe *p);
/* Publishes the application-state block (n values, at most 8). */
void stormprobe_state_set(struct stormprobe *p, uint32_t mode, const char *label,
			  const int64_t *values, unsigned int n);
/* Marks the segment closed and unmaps it; unlink_it removes the file. */
void stormprobe_close(struct stormprobe *p, int unlink_it);
/* The segment's path for NAME: 0, or -1 when NAME is not valid. */
int stormprobe_path(const char *name, char *buf, size_t len);
/* Start time of process pid (0: this one) in clock ticks since boot, as
 * writer_starttime holds it; 0 when the process is gone. */
uint64_t stormprobe_starttime(int pid);
/* The segment itself, for tests and readers in the same process. */
const struct stormprobe_header *stormprobe_header(const struct stormprobe *p);

#ifdef __cplusplus
}
#endif

#endif
