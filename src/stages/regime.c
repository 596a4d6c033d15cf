// SPDX-License-Identifier: GPL-2.0-only
#include "stages/regime.h"

#include <math.h>
#include <stdio.h>

#include "util/nstime.h"
#include "util/text.h"

void ladder_init(struct ladder *l, int64_t now_ns)
{
	l->level = 0;
	l->since_ns = now_ns;
	l->calm_ns = 0;
}

/* NAN fails the gate: no pressure measured is no pressure. */
static int gate_open(const struct rule *u, const double *in)
{
	return !u->gate || in[u->gate - 1] >= u->gate_min;
}

/* Says which rules of lv are met (entry or hold thresholds) into why;
 * the count of them. */
static int rules_met(const struct ladder_cfg *c, int lv, const double *in, int entering,
		     char *why, size_t len)
{
	const struct level_rules *r = &c->level[lv];
	size_t used = 0;
	char xs[TEXT_SIG3_LEN], ts[TEXT_SIG3_LEN];
	int met = 0;

	for (int k = 0; k < r->n; k++) {
		const struct rule *u = &r->rule[k];
		double x = in[u->input], t = entering ? u->on : u->off;

		if (isnan(x) || x < t || !gate_open(u, in))
			continue;
		met++;
		if (why && used < len)
			used += (size_t)snprintf(why + used, len - used, "%s%s %s >= %s", used ? ", " : "",
						 c->input_names[u->input], text_sig3(xs, sizeof(xs), x),
						 text_sig3(ts, sizeof(ts), t));
	}
	return met;
}

/* Why nothing holds level lv: every input under its exit threshold. */
static void say_calm(const struct ladder_cfg *c, int lv, const double *in, char *why, size_t len)
{
	const struct level_rules *r = &c->level[lv];
	size_t used = (size_t)snprintf(why, len, "calm %.0f s:", c->cooldown_s);
	char xs[TEXT_SIG3_LEN], ts[TEXT_SIG3_LEN];

	for (int k = 0; k < r->n && used < len; k++) {
		const struct rule *u = &r->rule[k];

		if (!isnan(in[u->input]) && isfinite(u->off))
			used += (size_t)snprintf(why + used, len - used, " %s %s < %s", c->input_names[u->input],
						 text_sig3(xs, sizeof(xs), in[u->input]), text_sig3(ts, sizeof(ts), u->off));
	}
}

static int move(struct ladder *l, const struct ladder_cfg *c, int to, int64_t now, char *why,
		size_t len, const char *reason)
{
	int from = l->level;

	snprintf(why, len, "%s -> %s: %s", c->level_names[from], c->level_names[to], reason);
	l->level = to;
	l->since_ns = now;
	l->calm_ns = 0;
	return from;
}

int ladder_tick(struct ladder *l, const struct ladder_cfg *c, const double *in, int64_t now_ns,
		char *why, size_t len)
{
	double in_level_s = ns_diff_s(now_ns, l->since_ns); /* now_ns may come from a file */
	char reason[256];
	int down;

	why[0] = '\0';
	if (in_level_s < c->min_dwell_s)
		return l->level;
	if (l->level + 1 < LADDER_LEVELS && in_level_s >= c->level[l->level + 1].after_s &&
	    rules_met(c, l->level + 1, in, 1, reason, sizeof(reason)))
		return move(l, c, l->level + 1, now_ns, why, len, reason);
	if (l->level == 0 || rules_met(c, l->level, in, 0, NULL, 0)) {
		l->calm_ns = 0;
		return l->level;
	}
	if (!l->calm_ns)
		l->calm_ns = now_ns;
	if (ns_diff_s(now_ns, l->calm_ns) < c->cooldown_s)
		return l->level;
	/* down to the highest level something still holds */
	for (down = l->level - 1; down > 0 && !rules_met(c, down, in, 0, NULL, 0); down--)
		;
	say_calm(c, l->level, in, reason, sizeof(reason));
	return move(l, c, down, now_ns, why, len, reason);
}

unsigned int ladder_holding(const struct ladder *l, const struct ladder_cfg *c, const double *in,
			    double *thr)
{
	const struct level_rules *r;
	unsigned int mask = 0;

	if (l->level <= 0 || l->level >= LADDER_LEVELS)
		return 0;
	r = &c->level[l->level];
	for (int k = 0; k < r->n; k++) {
		const struct rule *u = &r->rule[k];

		if (!isnan(in[u->input]) && in[u->input] >= u->off && gate_open(u, in)) {
			mask |= 1u << u->input;
			thr[u->input] = u->off;
		}
	}
	return mask;
}

double ladder_wait_s(const struct ladder *l, const struct ladder_cfg *c, int64_t now_ns)
{
	double dwell = c->min_dwell_s - ns_diff_s(now_ns, l->since_ns);
	double cool = l->calm_ns ? c->cooldown_s - ns_diff_s(now_ns, l->calm_ns) : c->cooldown_s;

	dwell = dwell > 0 ? dwell : 0;
	cool = cool > 0 ? cool : 0;
	return dwell > cool ? dwell : cool;
}
