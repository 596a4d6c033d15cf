// SPDX-License-Identifier: GPL-2.0-only
/* The field table and what is derived from it: units agree with names and
 * Prometheus families, gates name something that exists, batch columns and
 * the per-CPU /metrics families come from the rows (values checked against
 * the numbers put in, seconds by hand from nanoseconds). */
#include "testlib.h"
#include "promsample.h"

#include <math.h>

#include "core/field.h"
#include "core/frame.h"
#include "core/present.h"
#include "export/batch.h"
#include "export/prom.h"

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* A name ending in _ns is in nanoseconds, _us in microseconds, _bytes in
 * bytes, and the other way round; every row says what it is. */
static void units_match_names(void **state)
{
	(void)state;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (ends_with(fd->name, "_ns") != (fd->unit == UNIT_NS) ||
		    ends_with(fd->name, "_us") != (fd->unit == UNIT_US) ||
		    ends_with(fd->name, "_bytes") != (fd->unit == UNIT_BYTES))
			fail_msg("field %u '%s': unit %s", fd->id, fd->name, field_unit_base(fd));
		if (!fd->help || !fd->help[0])
			fail_msg("field %u '%s' has no help", fd->id, fd->name);
	}
}

/* Each gate's argument is a line, counter, source or signal that exists. */
static void gates_name_what_exists(void **state)
{
	(void)state;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];
		int ok = 1;

		switch (fd->gate) {
		case GATE_IRQ: ok = fd->arg < IRQ_KIND_MAX; break;
		case GATE_VM: ok = fd->arg < VM_STAT_MAX; break;
		case GATE_SRC: ok = fd->arg < SRC_MAX; break;
		case GATE_PSI_FULL: ok = fd->arg == SRC_PSI_CPU || fd->arg == SRC_PSI_MEMORY; break;
		case GATE_SIG: ok = fd->arg < SIG_MAX; break;
		default: ok = fd->arg == 0; break;
		}
		if (!ok)
			fail_msg("field %u '%s': gate %u with argument %u", fd->id, fd->name, fd->gate, fd->arg);
		/* a counter or gauge of a CPU has a gate: an idle 0 is not a missing figure */
		if (fd->scope == SCOPE_CPU && fd->figure != FIG_STATE && fd->gate == GATE_NONE)
			fail_msg("field %u '%s' has no gate", fd->id, fd->name);
	}
}

/* Prometheus names: per-CPU counters only, _total, the unit word in the
 * name; one family's rows are consecutive, share their help and differ by
 * label; UI labels are unique. */
static void families_are_well_formed(void **state)
{
	(void)state;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		for (size_t j = k + 1; fd->ui && j < frame_nfields; j++)
			if (frame_fields[j].ui && strcmp(fd->ui, frame_fields[j].ui) == 0)
				fail_msg("UI label %s twice", fd->ui);
		if (!fd->prom)
			continue;
		assert_true(fd->scope == SCOPE_CPU || fd->scope == SCOPE_FRAME);
		assert_int_equal(fd->figure, FIG_COUNTER);
		assert_true(ends_with(fd->prom, "_total"));
		if (fd->unit != UNIT_NONE && !strstr(fd->prom, field_unit_base(fd)))
			fail_msg("family %s of '%s' does not say %s", fd->prom, fd->name, field_unit_base(fd));
		if (fd->unit == UNIT_NONE && (strstr(fd->prom, "seconds") || strstr(fd->prom, "bytes")))
			fail_msg("family %s of '%s', a count, names a unit", fd->prom, fd->name);
		for (size_t j = k + 1; j < frame_nfields; j++) {
			const struct field *o = &frame_fields[j];

			if (!o->prom || strcmp(o->prom, fd->prom) != 0)
				continue;
			if (j != k + 1 && !(frame_fields[j - 1].prom && !strcmp(frame_fields[j - 1].prom, fd->prom)))
				fail_msg("family %s: rows %u and %u not consecutive", fd->prom, fd->id, o->id);
			assert_string_equal(o->help, fd->help);
			assert_non_null(fd->prom_label);
			assert_non_null(o->prom_label);
			assert_string_not_equal(o->prom_label, fd->prom_label);
		}
	}
}

/* The batch header is the rows with a column, each at its place, and the
 * two computed ones; no place is empty. */
static void batch_columns_come_from_rows(void **state)
{
	char head[2048], *tok[80], *save = NULL;
	FILE *mem = fmemopen(head, sizeof(head), "w");
	int n = 0, rows = 0;

	(void)state;
	assert_non_null(mem);
	batch_header(mem);
	fclose(mem);
	head[strcspn(head, "\n")] = '\0';
	for (char *p = strtok_r(head, "\t", &save); p && n < 80; p = strtok_r(NULL, "\t", &save))
		tok[n++] = p;
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];

		if (fd->scope != SCOPE_CPU || !fd->col)
			continue;
		rows++;
		assert_true(5 + fd->col < n);
		assert_string_equal(tok[5 + fd->col], fd->name);
	}
	assert_int_equal(n, 6 + rows + 2);
	assert_string_equal(tok[5 + 6], "tlb_per_s");
	assert_string_equal(tok[n - 1], "tlb_rx_gap");
}


/* Every per-CPU family and host counter: one CPU, every gate open, each
 * row a value of its own over two ticks; the sample is the sum, in seconds
 * for a time. */
static void prom_families_come_from_rows(void **state)
{
	static char buf[1 << 20];
	static struct frame_cpu cpu[2][1];
	struct promtext out = { .buf = buf, .cap = sizeof(buf) };
	struct prom_opts o = { .top_k = 1 };
	struct prom_totals t;
	struct frame f[2];

	(void)state;
	assert_int_equal(prom_totals_init(&t, 1), 0);
	for (int i = 0; i < 2; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].cpu = cpu[i];
		f[i].ncpu = 1;
		f[i].online = 1;
		f[i].interval_ns = 1000000000LL;
		f[i].irq_present = (1u << IRQ_KIND_MAX) - 1;
		f[i].signals = (1u << SIG_MAX) - 1;
		for (int s = 0; s < SRC_MAX; s++)
			frame_set_status(&f[i], (enum source)s, SOURCE_OK, NULL);
		cpu[i][0].online = 1;
		for (size_t k = 0; k < frame_nfields; k++)
			if (frame_fields[k].prom)
				field_set_bits(&frame_fields[k], frame_fields[k].scope == SCOPE_CPU ? (void *)&cpu[i][0] :
							  (void *)&f[i], 1000003ull * (frame_fields[k].id + i));
		prom_accumulate(&t, &f[i]);
	}
	promtext_reset(&out);
	prom_render(&out, &t, &f[1], &o);
	assert_false(out.overflow);
	for (size_t k = 0; k < frame_nfields; k++) {
		const struct field *fd = &frame_fields[k];
		char series[160], help[200];
		double want = 1000003.0 * (2 * fd->id + 1) * field_unit_scale(fd);

		if (!fd->prom)
			continue;
		if (fd->scope == SCOPE_FRAME) {
			snprintf(series, sizeof(series), "stormtop_%s", fd->prom);
			if (fabs(sample(buf, series) - want) > want * 1e-9)
				fail_msg("%s = %g, put in %g", series, sample(buf, series), want);
			continue;
		}
		snprintf(series, sizeof(series), "stormtop_cpu_%s{cpu=\"0\",node=\"0\"%s%s}", fd->prom,
			 fd->prom_label ? "," : "", fd->prom_label ? fd->prom_label : "");
		if (fabs(sample(buf, series) - want) > want * 1e-9)
			fail_msg("%s = %g, put in %g", series, sample(buf, series), want);
		snprintf(series, sizeof(series), "stormtop_node_%s{node=\"0\"%s%s}", fd->prom,
			 fd->prom_label ? "," : "", fd->prom_label ? fd->prom_label : "");
		assert_true(fabs(sample(buf, series) - want) <= want * 1e-9);
		snprintf(help, sizeof(help), "# HELP stormtop_cpu_%s %s\n", fd->prom, fd->help);
		assert_non_null(strstr(buf, help));
	}
	prom_totals_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(units_match_names),
		cmocka_unit_test(gates_name_what_exists),
		cmocka_unit_test(families_are_well_formed),
		cmocka_unit_test(batch_columns_come_from_rows),
		cmocka_unit_test(prom_families_come_from_rows),
	};
	return cmocka_run_group_tests_name("field table", tests, NULL, NULL);
}
