// SPDX-License-Identifier: GPL-2.0-only
/* Writes the reader fuzzer's seeds for fields 253 (call sites) and 254
 * (cgroups) in the current directory: frame payloads as frame_encode
 * writes them (the fuzzer decodes its input as one), since a fuzzer
 * starting without them rarely builds a well-formed nested field.  Not
 * part of the build; from the top of the tree after `make`:
 *   cc -D_GNU_SOURCE -Isrc -I. -Iinclude -o /tmp/seeds \
 *      tests/fuzz/gen/seed_sites_cgroups.c build/libstorm.a -lzstd -lm -lnuma -pthread
 *   (cd tests/fuzz/corpus/reader && /tmp/seeds) */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "record/codec.h"
#include "core/ring.h"
static void put(const char *path, const struct frame *f)
{
  size_t cap = codec_bound(f->ncpu); unsigned char *b = malloc(cap);
  size_t n = frame_encode(f, b, cap); FILE *o = fopen(path, "wb");
  if (!n || !o) { fprintf(stderr, "fail %s\n", path); exit(1); }
  fwrite(b, 1, n, o); fclose(o); free(b);
}
int main(void)
{
  struct frame_ring r; struct frame *f;
  if (ring_init(&r, 1, 2)) return 1;
  f = &r.frames[0];
  /* 1: a few sites and cgroups with hostile text */
  frame_clear(f); f->seq = 7;
  f->signals |= 1u << SIG_STACKS; f->sites.tgid = 42; f->sites.period = 64; f->sites.n = 3;
  f->sites.other_events = 5; f->sites.other_ipis = 2;
  for (unsigned i = 0; i < 3; i++) {
    f->sites.site[i].kind = i; f->sites.site[i].events = 64 * (i + 1); f->sites.site[i].ipis = i;
    snprintf(f->sites.site[i].caller, FRAME_SITE_SYM, "\x1b[2J<x>%u\xff", i);
    snprintf(f->sites.site[i].upath, FRAME_SITE_PATH, "main;a\nb;\xc0\xaf%u", i);
    snprintf(f->sites.site[i].kpath, FRAME_SITE_PATH, i ? "do_syscall_64;k\"%u" : "", i);
  }
  f->cgroups.state = CGROUPS_OK; f->cgroups.n = 3; f->cgroups.others = 4;
  for (unsigned i = 0; i < 3; i++) {
    struct frame_cgroup *c = &f->cgroups.top[i];
    c->id = 1000 + i; c->procs = i + 1; c->sum.sent = 10 * i + 1; c->sum.cgroup_id = c->id;
    snprintf(c->path, FRAME_CGROUP_PATH, "/system.slice/docker-%064u.scope/a b\x1b%u", i, i);
  }
  f->cgroups.other.sum.sent = 3; f->cgroups.other.procs = 2;
  put("seed-253-254-hostile", f);
  /* 2: every slot full, every string full length, extreme values */
  frame_clear(f); f->seq = 8;
  f->signals |= 1u << SIG_STACKS; f->sites.tgid = -1; f->sites.period = ~0u; f->sites.n = FRAME_SITES;
  f->sites.other_events = ~0ull;
  for (unsigned i = 0; i < FRAME_SITES; i++) {
    struct frame_site *s = &f->sites.site[i];
    s->kind = 255; s->events = ~0ull; s->ipis = ~0ull;
    memset(s->caller, 0xe2, FRAME_SITE_SYM - 1); memset(s->upath, ';', FRAME_SITE_PATH - 1);
    memset(s->kpath, 0x9b, FRAME_SITE_PATH - 1);
  }
  f->cgroups.state = 255; f->cgroups.n = FRAME_TOP_CGROUPS; f->cgroups.others = ~0u;
  memset(f->cgroups.why, 0x7f, FRAME_REASON_LEN - 1);
  for (unsigned i = 0; i < FRAME_TOP_CGROUPS; i++) {
    struct frame_cgroup *c = &f->cgroups.top[i];
    c->id = ~0ull - i; c->procs = ~0u; c->sum.sent = ~0ull;
    memset(c->path, '/', FRAME_CGROUP_PATH - 1);
  }
  f->cgroups.other.sum.sent = ~0ull; f->cgroups.other.procs = ~0u;
  put("seed-253-254-full", f);
  /* 3: cgroup v1 only: 254 with only the state and why; no 253 */
  frame_clear(f); f->seq = 9;
  f->cgroups.state = CGROUPS_V1_ONLY;
  snprintf(f->cgroups.why, FRAME_REASON_LEN, "cgroup v1 only: no cgroup2 mount");
  put("seed-254-v1", f);
  ring_free(&r);
  return 0;
}
