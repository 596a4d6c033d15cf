#include "rows.h"

uint32_t rows_build(const struct frame *f, const uint8_t *mask, struct heat_row *rows)
{
	uint32_t n = 0;
	int32_t node = -1;

	/* Nodes come in ascending order: repeatedly take the smallest node id
	 * above the last one.  O(ncpu * nodes), run only on a layout change. */
	for (;;) {
		int32_t next = -1;

		for (uint32_t c = 0; c < f->ncpu; c++) {
			int32_t nd = f->cpu[c].node;

			if ((!mask || mask[c]) && nd > node && (next < 0 || nd < next))
				next = nd;
		}
		if (next < 0)
			return n;
		rows[n++] = (struct heat_row){ .cpu = -1, .node = (uint16_t)next };
		for (uint32_t c = 0; c < f->ncpu; c++)
			if ((!mask || mask[c]) && f->cpu[c].node == next)
				rows[n++] = (struct heat_row){ .cpu = (int32_t)c, .node = (uint16_t)next };
		node = next;
	}
}
