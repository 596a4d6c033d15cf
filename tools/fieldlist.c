// SPDX-License-Identifier: GPL-2.0-only
/* Prints docs/FORMAT.md's field list from the field table (src/core/field.c):
 * one Markdown table per scope, a row per field with its id, name, width,
 * figure, unit, gate, outputs and help; with --prometheus, the per-CPU
 * families of docs/PROMETHEUS.md.  `make fields-doc` puts each between
 * its file's markers; tests/fields_test.sh fails when a file differs. */
#include <stdio.h>
#include <string.h>

#include "core/field.h"
#include "core/frame.h"

static const char *const scope_title[] = {
	[SCOPE_FRAME] = "Frame", [SCOPE_CPU] = "Per CPU", [SCOPE_PROC] = "Per process",
	[SCOPE_SERIES] = "Per app series", [SCOPE_APP] = "Per app", [SCOPE_NODE] = "Per node (desk metrics)",
	[SCOPE_HYG] = "Per hygiene check", [SCOPE_TOPO_NODE] = "Per NUMA node of the topology",
	[SCOPE_SITES] = "Call sites (inside record 253)", [SCOPE_SITE] = "Per call site (inside record 253)",
	[SCOPE_CGROUPS] = "Cgroups (inside record 254)",
	[SCOPE_CGROUP] = "Per cgroup (inside record 254; its counters are the per-process rows)",
};
static const char *const kind_name[] = {
	[KIND_U64] = "u64", [KIND_I64] = "i64", [KIND_U32] = "u32", [KIND_I32] = "i32",
	[KIND_U16] = "u16", [KIND_I16] = "i16", [KIND_U8] = "u8", [KIND_F32] = "f32",
};
static const char *const unit_name[] = {
	[UNIT_NONE] = "", [UNIT_NS] = "ns", [UNIT_US] = "us", [UNIT_BYTES] = "bytes", [UNIT_PERCENT] = "%",
};

/* When the figure exists, in words (src/core/present.h applies it). */
static void gate(const struct field *fd, char *buf, size_t n)
{
	switch (fd->gate) {
	case GATE_IRQ: snprintf(buf, n, "%s line in /proc/interrupts", irq_kind_name(fd->arg)); break;
	case GATE_VM: /* a name ending in '_' is a family, summed */
		snprintf(buf, n, "%s%s in /proc/vmstat", vm_stat_name(fd->arg),
			 vm_stat_name(fd->arg)[strlen(vm_stat_name(fd->arg)) - 1] == '_' ? "*" : "");
		break;
	case GATE_SRC: snprintf(buf, n, "source %s", source_name(fd->arg)); break;
	case GATE_PSI_FULL: snprintf(buf, n, "source %s, \"full\" line", source_name(fd->arg)); break;
	case GATE_SIG:
		snprintf(buf, n, "signal %s%s", signal_name(fd->arg),
			 fd->flags & FIELD_SAMPLED ? ", a pinned series" : "");
		break;
	case GATE_ANY_PROC: snprintf(buf, n, "any per-process signal"); break;
	default: snprintf(buf, n, "always"); break;
	}
}

/* Where a figure shows besides dump: batch, /metrics, the UI. */
static void outputs(const struct field *fd, char *buf, size_t n)
{
	int at = 0;

	buf[0] = '\0';
	if (fd->col)
		at += snprintf(buf + at, n - (size_t)at, "batch");
	if (fd->prom)
		at += snprintf(buf + at, n - (size_t)at, "%s`stormtop_%s%s%s%s%s`", at ? ", " : "",
			       fd->scope == SCOPE_CPU ? "cpu_" : "", fd->prom,
			       fd->prom_label ? "{" : "", fd->prom_label ? fd->prom_label : "",
			       fd->prom_label ? "}" : "");
	if (fd->ui)
		snprintf(buf + at, n - (size_t)at, "%sUI `%s`", at ? ", " : "", fd->ui);
}

/* The gates of a family's rows k..end, in words: one, or each distinct one
 * (by label). */
static void family_gates(size_t k, size_t end, char *buf, size_t n)
{
	int at = 0, distinct = 0;

	if (frame_fields[k].gate == GATE_IRQ && end > k + 1) {
		snprintf(buf, n, "its line in /proc/interrupts");
		return;
	}
	buf[0] = '\0';
	for (size_t j = k; j < end; j++) {
		char g[96];

		gate(&frame_fields[j], g, sizeof(g));
		if (strstr(buf, g))
			continue;
		at += snprintf(buf + at, n - (size_t)at, "%s%s", at ? ", " : "", g);
		distinct++;
	}
	if (distinct > 1)
		snprintf(buf + at, n - (size_t)at, " (by label)");
}

/* One line per per-CPU family: its name, its rows' labels, its gate, its help. */
static void families(void)
{
	puts("| family | labels | exists when | help |");
	puts("| --- | --- | --- | --- |");
	for (size_t k = 0; k < frame_nfields;) {
		const struct field *fd = &frame_fields[k];
		size_t end = k + 1;
		char g[256];

		if (fd->scope != SCOPE_CPU || !fd->prom) {
			k++;
			continue;
		}
		while (end < frame_nfields && frame_fields[end].prom && strcmp(frame_fields[end].prom, fd->prom) == 0)
			end++;
		family_gates(k, end, g, sizeof(g));
		printf("| `stormtop_cpu_%s` |", fd->prom);
		for (size_t j = k; j < end; j++)
			if (frame_fields[j].prom_label)
				printf("%s`%s`", j > k ? ", " : " ", frame_fields[j].prom_label);
		printf(" | %s | %s |\n", g, fd->help);
		k = end;
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--prometheus") == 0) {
		families();
		return 0;
	}
	for (int s = SCOPE_FRAME; s <= SCOPE_CGROUP; s++) {
		int cpu = s == SCOPE_CPU || s == SCOPE_FRAME; /* the scopes with outputs besides dump */
		const struct field *table = s >= SCOPE_CGROUPS ? cgroup_fields : s >= SCOPE_SITES ? site_fields
											: frame_fields;
		size_t n = s >= SCOPE_CGROUPS ? cgroup_nfields : s >= SCOPE_SITES ? site_nfields : frame_nfields;

		printf("%s#### %s\n\n", s == SCOPE_FRAME ? "" : "\n", scope_title[s]);
		printf("| id | name | type | figure | unit | exists when |%s meaning |\n", cpu ? " shown in |" : "");
		printf("| --- | --- | --- | --- | --- | --- |%s --- |\n", cpu ? " --- |" : "");
		for (size_t k = 0; k < n; k++) {
			const struct field *fd = &table[k];
			char g[96], o[160];

			if (fd->scope != s)
				continue;
			gate(fd, g, sizeof(g));
			outputs(fd, o, sizeof(o));
			printf("| %u | `%s` | %s | %s | %s | %s |", fd->id, fd->name, kind_name[fd->kind],
			       field_figure_name(fd), unit_name[fd->unit], g);
			if (cpu)
				printf(" %s |", o);
			printf(" %s |\n", fd->help ? fd->help : "");
		}
	}
	return 0;
}
