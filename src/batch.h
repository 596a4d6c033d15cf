/* -b: frames as tab-separated lines, one per CPU per tick (like top -b). */
#ifndef STORMTOP_BATCH_H
#define STORMTOP_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "frame.h"

void batch_header(FILE *out);
/* One line per source that is not working, and why (for stderr). */
void batch_sources(FILE *out, const struct frame *f);
void batch_frame(FILE *out, const struct frame *f, const uint8_t *mask);

#endif
