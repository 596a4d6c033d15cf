/* -b: frames as tab-separated lines, one per CPU per tick (like top -b). */
#ifndef STORMTOP_BATCH_H
#define STORMTOP_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "frame.h"

void batch_header(FILE *out);
void batch_frame(FILE *out, const struct frame *f, const uint8_t *mask);

#endif
