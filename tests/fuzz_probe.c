// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for the stormprobe reader: a real segment (made by the
 * writer library at start-up) patched by the input, then checked and, when
 * the checks pass, read slot by slot twice, as ticks would.  Whatever the
 * bytes, the checks and the reads must stay inside the image. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collectors/probe_check.h"
#include "collectors/probe_seg.h"
#include "collectors/probe_slots.h"
#include "stormtop/probe.h"

#define SLOTS 2

static uint8_t *pristine, *image;
static size_t image_size;
static struct probe_slots slots;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/stormtop-fuzz-XXXXXX";
	struct stormprobe *p;
	struct stormprobe_slot *s;

	(void)argc, (void)argv;
	if (!mkdtemp(dir))
		abort();
	setenv("STORMPROBE_DIR", dir, 1);
	p = stormprobe_create("fuzz", SLOTS);
	s = p ? stormprobe_slot_open(p, STORMPROBE_LATENCY, "seed", 0) : NULL;
	if (!s)
		abort();
	for (uint64_t v = 1; v < 1000000; v = v * 3 + 1)
		stormprobe_record(s, v);
	image_size = stormprobe_header(p)->total_size;
	pristine = malloc(image_size);
	image = malloc(image_size);
	memcpy(pristine, stormprobe_header(p), image_size);
	stormprobe_close(p, 1);
	rmdir(dir);
	return probe_slots_size(&slots, STORMPROBE_MAX_SLOTS);
}

/* The input is patches: 3 bytes of offset (little-endian, wrapped into the
 * image), 1 of length, then that many bytes. */
static void patch(const uint8_t *d, size_t n)
{
	while (n >= 4) {
		size_t off = (d[0] | d[1] << 8 | (size_t)d[2] << 16) % image_size;
		size_t len = d[3];

		d += 4, n -= 4;
		if (len > n)
			len = n;
		if (len > image_size - off)
			len = image_size - off;
		memcpy(image + off, d, len);
		d += len, n -= len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stat st = { .st_mode = S_IFREG | 0644, .st_nlink = 1, .st_uid = 0 };
	uid_t owner = 0;
	struct probe_seg seg = { .fd = -1, .state = APP_OK };
	struct frame_series out;
	char why[FRAME_REASON_LEN];

	memcpy(image, pristine, image_size);
	st.st_size = (off_t)image_size;
	if (probe_check_file(&st, &owner, 1, why, sizeof(why)) != PROBE_OK)
		abort(); /* the writer's own file must pass */
	probe_slots_forget(&slots);
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			patch(data, size);
		memcpy(&seg.hdr, image, sizeof(seg.hdr));
		if (probe_check_header(&seg.hdr, image_size, why, sizeof(why)) != PROBE_OK)
			return 0;
		seg.map = image;
		seg.size = image_size;
		for (uint32_t i = 0; i < seg.hdr.slot_count; i++)
			if (probe_slots_read(&slots, &seg, i, &out) < 0)
				abort(); /* nothing here can fault */
		probe_slots_primed(&slots);
	}
	return 0;
}
