// SPDX-License-Identifier: GPL-2.0-only
#include "stages/stages.h"

#include <string.h>

#include "stages/controller.h"
#include "stages/correlator.h"

/* The typed stage functions to the table's void * shape. */
static void *corr_new(const struct stage_conf *c) { return correlator_new(c->crit); }
static void corr_run(void *s, const struct frame_ring *r, struct frame *f) { correlator_run(s, r, f); }
static void corr_free(void *s) { correlator_free(s); }
static void *ctrl_new(const struct stage_conf *c) { return controller_new(c->cfg, c->cap); }
static void ctrl_run(void *s, const struct frame_ring *r, struct frame *f) { controller_run(s, r, f); }
static void ctrl_free(void *s) { controller_free(s); }

/* The correlator first: its order has always been this, and a stage may
 * read what an earlier one wrote into the frame. */
static const struct stage_desc stage_table[] = {
	{ "correlator", corr_new, corr_run, corr_free },
	{ "controller", ctrl_new, ctrl_run, ctrl_free },
};
#define NSTAGES (sizeof(stage_table) / sizeof(stage_table[0]))
_Static_assert(NSTAGES <= STAGES_MAX, "STAGES_MAX too small for stage_table");

int stages_new(struct stages *s, const struct stage_conf *c)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < NSTAGES; i++)
		if (!(s->st[i] = stage_table[i].new(c))) {
			stages_free(s);
			return -1;
		}
	return 0;
}

void stages_run(struct stages *s, const struct frame_ring *r, struct frame *cur)
{
	for (size_t i = 0; i < NSTAGES; i++)
		stage_table[i].run(s->st[i], r, cur);
}

void stages_free(struct stages *s)
{
	for (size_t i = 0; i < NSTAGES; i++) {
		if (s->st[i])
			stage_table[i].free(s->st[i]);
		s->st[i] = NULL;
	}
}

const struct stage_desc *stage_find(const char *name)
{
	for (size_t i = 0; i < NSTAGES; i++)
		if (strcmp(stage_table[i].name, name) == 0)
			return &stage_table[i];
	return NULL;
}
