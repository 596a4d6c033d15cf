// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/probe_seg.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "collectors/probe_check.h"
#include "collectors/sigbus.h"

static void set_state(struct probe_seg *s, enum app_state st, const char *fmt, const char *arg)
{
	s->state = st;
	snprintf(s->why, sizeof(s->why), fmt, arg);
}

int probe_seg_init(struct probe_seg *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	snprintf(s->name, sizeof(s->name), "%s", strrchr(name, '/') ? strrchr(name, '/') + 1 : name);
	if (strchr(name, '/'))
		snprintf(s->path, sizeof(s->path), "%s", name);
	else if (stormprobe_path(name, s->path, sizeof(s->path)) < 0)
		return -1;
	set_state(s, APP_WAITING, "%s", "not opened yet");
	return 0;
}

void probe_seg_close(struct probe_seg *s)
{
	if (s->map)
		munmap((void *)s->map, s->size);
	if (s->fd >= 0)
		close(s->fd);
	s->map = NULL;
	s->fd = -1;
}

static void reject(struct probe_seg *s, const char *why)
{
	probe_seg_close(s);
	set_state(s, APP_REJECTED, "%s", why);
}

struct copy_job { void *dst; const void *src; size_t n; };

static void do_copy(void *arg)
{
	struct copy_job *j = arg;

	memcpy(j->dst, j->src, j->n);
}

int probe_seg_guard(struct probe_seg *s, void (*fn)(void *arg), void *arg)
{
	if (sigbus_run(fn, arg) < 0) {
		reject(s, "segment shrank under us (SIGBUS on read)");
		return -1;
	}
	return 0;
}

const void *probe_seg_at(const struct probe_seg *s, uint64_t off, size_t n)
{
	if (!s->map || off > s->size || n > s->size - off)
		return NULL;
	return s->map + off;
}

int probe_seg_copy(struct probe_seg *s, void *dst, uint64_t off, size_t n)
{
	struct copy_job j = { dst, probe_seg_at(s, off, n), n };

	return j.src ? probe_seg_guard(s, do_copy, &j) : -1;
}

/* A segment others can write is still read (its owner is trusted), but
 * what it reports can be forged by them: that is said in its status. */
static void note_writers(struct probe_seg *s, mode_t mode)
{
	if (mode & S_IWOTH)
		snprintf(s->note, sizeof(s->note), "world-writable (mode %04o): any local user can forge its figures",
			 (unsigned int)(mode & 07777));
	else if (mode & S_IWGRP)
		snprintf(s->note, sizeof(s->note), "group-writable (mode %04o): its group can forge its figures",
			 (unsigned int)(mode & 07777));
	else
		s->note[0] = '\0';
}

/* O_NOFOLLOW and fstat on the open fd: what we check is what we map. */
static int open_checked(struct probe_seg *s, const uid_t *owners, size_t nowners)
{
	char why[FRAME_REASON_LEN];
	struct stat st;
	void *m;

	s->fd = open(s->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (s->fd < 0) {
		if (errno == ENOENT)
			set_state(s, APP_WAITING, "no segment %.120s yet", s->path);
		else if (errno == ELOOP)
			reject(s, "is a symlink");
		else
			set_state(s, APP_REJECTED, "%s", strerror(errno));
		return -1;
	}
	if (fstat(s->fd, &st) < 0 || probe_check_file(&st, owners, nowners, why, sizeof(why)) != PROBE_OK) {
		reject(s, why);
		return -1;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, s->fd, 0);
	if (m == MAP_FAILED) {
		reject(s, strerror(errno));
		return -1;
	}
	s->map = m;
	note_writers(s, st.st_mode);
	s->size = (size_t)st.st_size;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
}

/* Still the file under that name, still the size we mapped? */
static int still_same(struct probe_seg *s)
{
	struct stat by_name, by_fd;
	char why[80];

	if (stat(s->path, &by_name) < 0 || by_name.st_ino != s->ino || by_name.st_dev != s->dev) {
		probe_seg_close(s);
		set_state(s, APP_GONE, "%s", "segment removed or replaced; looking for a new one");
		return 0;
	}
	if (fstat(s->fd, &by_fd) < 0 || (size_t)by_fd.st_size != s->size) {
		snprintf(why, sizeof(why), "segment resized to %lld bytes under us",
			 (long long)by_fd.st_size);
		reject(s, why);
		return 0;
	}
	note_writers(s, by_fd.st_mode); /* a chmod while attached counts too */
	return 1;
}

/* Tracks the heartbeat: 1 when it moved since the last tick.  On first
 * sight the writer's own last beat counts, unless it is in our future. */
static int beat_moved(struct probe_seg *s, int64_t now)
{
	const struct stormprobe_header *h = &s->hdr;

	if (!s->beat_at || h->instance_id != s->instance) {
		s->beat = h->heartbeat;
		s->beat_at = h->heartbeat_mono_ns > 0 && h->heartbeat_mono_ns < now ? h->heartbeat_mono_ns : now;
		return 0;
	}
	if (h->heartbeat == s->beat)
		return 0;
	s->beat = h->heartbeat;
	s->beat_at = now;
	return 1;
}

/* Writer gone: closed, dead, its pid reused, or silent too long.  Only the
 * writer bumps the heartbeat, so a moving one spares the /proc lookups. */
static const char *writer_gone(struct probe_seg *s, int64_t now)
{
	const struct stormprobe_header *h = &s->hdr;
	int beats = h->features & STORMPROBE_FEAT_HEARTBEAT;
	uint64_t st;

	if (h->writer_state == STORMPROBE_WRITER_CLOSED)
		return "writer closed the segment";
	if (beats && beat_moved(s, now))
		return NULL;
	if (h->writer_pid <= 0 || (kill(h->writer_pid, 0) < 0 && errno == ESRCH))
		return "writer process is gone";
	st = stormprobe_starttime(h->writer_pid);
	if (h->writer_starttime && st && st != h->writer_starttime)
		return "writer process is gone (its pid was reused)";
	if (beats && now - s->beat_at > PROBE_STALE_NS)
		return "writer stopped its heartbeat (hung or stopped?)";
	return NULL;
}

static int check_copy(struct probe_seg *s, int64_t now)
{
	char why[FRAME_REASON_LEN];
	const char *gone;

	if (probe_seg_copy(s, &s->hdr, 0, sizeof(s->hdr)) < 0)
		return -1;
	switch (probe_check_header(&s->hdr, s->size, why, sizeof(why))) {
	case PROBE_OK:
		break;
	case PROBE_NOT_READY:
		set_state(s, APP_WAITING, "%s", why);
		return -1;
	default:
		reject(s, why);
		return -1;
	}
	if ((gone = writer_gone(s, now))) {
		set_state(s, APP_GONE, "%s", gone);
		return -1;
	}
	set_state(s, APP_OK, "%s", s->note);
	return 0;
}

int probe_seg_refresh(struct probe_seg *s, const uid_t *owners, size_t nowners, int64_t now)
{
	uint64_t before = s->instance;

	sigbus_arm();
	if (s->map && !still_same(s))
		return 1;
	if (!s->map && open_checked(s, owners, nowners) < 0)
		return 0;
	if (check_copy(s, now) < 0)
		return 0;
	s->instance = s->hdr.instance_id;
	return s->instance != before;
}
