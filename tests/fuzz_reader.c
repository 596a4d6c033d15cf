// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: any bytes as a recording file, and as one frame's
 * payload.  The reader must never crash, hang or read out of bounds;
 * it may refuse the file or recover part of it. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "record/codec.h"
#include "record/recreader.h"
#include "core/ring.h"

static struct frame_ring ring;

static void read_file(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	int fd = memfd_create("rec", 0);
	struct rec_reader *r;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = rec_reader_open(path, err, sizeof(err));
	if (r) {
		struct frame_ring fr;

		if (ring_init(&fr, 1, rec_reader_meta(r)->ncpu) == 0) {
			for (size_t i = 0; i < rec_reader_count(r) && i < 64; i++)
				rec_reader_frame(r, i, &fr.frames[0]);
			ring_free(&fr);
		}
		rec_reader_close(r);
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ring.cap && ring_init(&ring, 1, 64) < 0)
		return 0;
	frame_decode(data, size, &ring.frames[0]);
	read_file(data, size);
	return 0;
}
