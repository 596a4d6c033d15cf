// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/interrupts.h"
#include "util/mem.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int irq_snapshot_init(struct irq_snapshot *s, uint32_t ncpu)
{
	*s = (struct irq_snapshot){ .ncpu = ncpu };
	s->online = mem_zalloc(ncpu, 1);
	s->col_cpu = mem_zalloc(ncpu, sizeof(*s->col_cpu));
	s->scratch = mem_zalloc(ncpu, sizeof(*s->scratch));
	if (!s->online || !s->col_cpu || !s->scratch)
		goto fail;
	for (int k = 0; k < IRQ_KIND_MAX; k++) {
		s->val[k] = mem_zalloc(ncpu, sizeof(uint32_t));
		if (!s->val[k])
			goto fail;
	}
	return 0;
fail:
	irq_snapshot_free(s);
	return -1;
}

void irq_snapshot_free(struct irq_snapshot *s)
{
	free(s->online);
	free(s->col_cpu);
	free(s->scratch);
	for (int k = 0; k < IRQ_KIND_MAX; k++)
		free(s->val[k]);
	*s = (struct irq_snapshot){0};
}

/* A cursor over one line: [p, end). */
struct line {
	const char *p;
	const char *end;
	unsigned no;
};

static void skip_blanks(struct line *l)
{
	while (l->p < l->end && (*l->p == ' ' || *l->p == '\t'))
		l->p++;
}

/* Reads one unsigned decimal token.  1 = read, 0 = next token is not a
 * number (the description starts), -1 = a number glued to junk. */
static int read_count(struct line *l, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;

	skip_blanks(l);
	if (l->p >= l->end || !isdigit((unsigned char)*l->p))
		return 0;
	while (l->p < l->end && isdigit((unsigned char)*l->p)) {
		if (++digits > 20)
			return -1;
		v = v * 10 + (uint64_t)(*l->p++ - '0');
	}
	if (l->p < l->end && *l->p != ' ' && *l->p != '\t')
		return -1;
	*out = v;
	return 1;
}

static int parse_header(struct line *l, struct irq_snapshot *s, char *err, size_t errlen)
{
	s->columns = 0;
	for (;;) {
		uint64_t id = 0;

		skip_blanks(l);
		if (l->p >= l->end)
			break;
		if (l->end - l->p < 4 || strncmp(l->p, "CPU", 3) != 0 ||
		    !isdigit((unsigned char)l->p[3])) {
			snprintf(err, errlen, "header: expected CPU<n> columns");
			return -1;
		}
		l->p += 3;
		while (l->p < l->end && isdigit((unsigned char)*l->p) && id < s->ncpu)
			id = id * 10 + (uint64_t)(*l->p++ - '0');
		if (id >= s->ncpu) {
			snprintf(err, errlen, "header: CPU%" PRIu64 "... is beyond the %u possible CPUs",
				 id, s->ncpu);
			return -1;
		}
		if (s->columns >= s->ncpu) {
			snprintf(err, errlen, "header: more CPU columns than possible CPUs");
			return -1;
		}
		s->col_cpu[s->columns++] = (int32_t)id;
		s->online[id] = 1;
	}
	if (s->columns == 0) {
		snprintf(err, errlen, "header: no CPU columns");
		return -1;
	}
	return 0;
}

static int label_kind(const char *label, size_t n)
{
	static const char *const names[] = { [IRQ_TLB] = "TLB", [IRQ_CAL] = "CAL",
					     [IRQ_RES] = "RES", [IRQ_LOC] = "LOC" };

	for (int k = 0; k < IRQ_IOMMU; k++)
		if (n == 3 && memcmp(label, names[k], 3) == 0)
			return k;
	return -1;
}

/* IOMMU fault/invalidation interrupts: Intel DMAR, AMD-Vi, ARM SMMU.
 * Marks start with d, a, i or s; other letters are skipped cheaply, since
 * this runs over every device line of every tick. */
static int is_iommu_line(const char *desc, const char *end)
{
	static const char *const marks[] = { "dmar", "amd-vi", "iommu", "smmu" };
	size_t n = (size_t)(end - desc);

	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)desc[i]);

		if (c != 'd' && c != 'a' && c != 'i' && c != 's')
			continue;
		for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++) {
			size_t ml = strlen(marks[m]);

			if (marks[m][0] == c && i + ml <= n && strncasecmp(desc + i, marks[m], ml) == 0)
				return 1;
		}
	}
	return 0;
}

/* arm64 and riscv print their IPIs as IPI0..IPIn, named at the end of
 * the line (arch/arm64/kernel/smp.c ipi_types); the ones that are the
 * x86 lines' kinds.  None is a TLB shootdown: arm64 broadcasts TLBI. */
static int ipi_kind(const char *desc, const char *end)
{
	static const struct { const char *name; int kind; } names[] = {
		{ "Rescheduling interrupts", IRQ_RES },
		{ "Function call interrupts", IRQ_CAL },
		{ "Single function call interrupts", IRQ_CAL }, /* arm64 before 3.x, arm */
	};
	size_t n = (size_t)(end - desc);

	while (n && (desc[n - 1] == ' ' || desc[n - 1] == '\t' || desc[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i].name) && memcmp(desc, names[i].name, n) == 0)
			return names[i].kind;
	return -1;
}

/* The per-CPU architected timer (arm64 arch_timer, riscv riscv-timer):
 * the local timer interrupt x86 names LOC. */
static int is_local_timer(const char *desc, const char *end)
{
	static const char *const names[] = { "arch_timer", "riscv-timer" };
	const char *last = end;

	while (last > desc && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\r'))
		last--;
	end = last;
	while (last > desc && last[-1] != ' ' && last[-1] != '\t')
		last--;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((size_t)(end - last) == strlen(names[i]) && memcmp(last, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

static int is_ipi_label(const char *label, size_t n)
{
	if (n < 4 || memcmp(label, "IPI", 3) != 0)
		return 0;
	for (size_t i = 3; i < n; i++)
		if (!isdigit((unsigned char)label[i]))
			return 0;
	return 1;
}

/* Reads up to `columns` counts into vals; returns how many were read. */
static int read_counts(struct line *l, uint32_t columns, uint32_t *vals, int *bad)
{
	uint32_t i;

	*bad = 0;
	for (i = 0; i < columns; i++) {
		uint64_t v;
		int r = read_count(l, &v);

		if (r < 0)
			*bad = 1;
		if (r <= 0)
			break;
		vals[i] = (uint32_t)v; /* kernel counters are 32-bit: keep mod 2^32 */
	}
	return (int)i;
}

static int parse_line(struct line *l, struct irq_snapshot *s, uint32_t *vals,
		      char *err, size_t errlen)
{
	const char *label, *colon;
	int kind, got, bad, numeric, ipi;

	skip_blanks(l);
	label = l->p;
	colon = memchr(l->p, ':', (size_t)(l->end - l->p));
	if (!colon) {
		snprintf(err, errlen, "line %u: no ':' after the interrupt name (truncated?)", l->no);
		return -1;
	}
	l->p = colon + 1;
	kind = label_kind(label, (size_t)(colon - label));
	numeric = isdigit((unsigned char)*label);
	ipi = is_ipi_label(label, (size_t)(colon - label));
	if (kind < 0 && !numeric && !ipi)
		return 0; /* NMI, ERR, MIS, ...: not followed */
	got = read_counts(l, s->columns, vals, &bad);
	if (bad) {
		snprintf(err, errlen, "line %u: bad count after '%.*s:'", l->no,
			 (int)(colon - label), label);
		return -1;
	}
	skip_blanks(l);
	if (ipi && (kind = ipi_kind(l->p, l->end)) < 0)
		return 0; /* CPU stop, IRQ work, timer broadcast, ...: not followed */
	if (numeric) {
		if (is_iommu_line(l->p, l->end)) {
			kind = IRQ_IOMMU;
			s->iommu_lines++;
		} else if (is_local_timer(l->p, l->end)) {
			kind = IRQ_LOC;
		} else {
			return 0;
		}
	}
	if ((uint32_t)got < s->columns) {
		snprintf(err, errlen, "line %u: %s has %d of %u CPU columns (truncated?)",
			 l->no, irq_kind_name(kind), got, s->columns);
		return -1;
	}
	s->present[kind] = 1;
	/* numbered and IPIn lines add up (several DMAR lines, two call-function
	 * IPIs); a named x86 line is the whole count */
	for (uint32_t c = 0; c < s->columns; c++) {
		uint32_t *slot = &s->val[kind][s->col_cpu[c]];

		*slot = numeric || ipi ? *slot + vals[c] : vals[c];
	}
	return 0;
}

static void reset(struct irq_snapshot *s)
{
	memset(s->online, 0, s->ncpu);
	memset(s->present, 0, sizeof(s->present));
	for (int k = 0; k < IRQ_KIND_MAX; k++)
		memset(s->val[k], 0, s->ncpu * sizeof(uint32_t));
	s->columns = 0;
	s->iommu_lines = 0;
}

int irq_parse(const char *text, size_t len, struct irq_snapshot *s, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned no = 0;

	reset(s);
	if (len == 0) {
		snprintf(err, errlen, "empty file");
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct line l = { p, nl ? nl : end, ++no };
		int rc;

		if (no == 1)
			rc = parse_header(&l, s, err, errlen);
		else if (l.p == l.end)
			rc = 0;
		else
			rc = parse_line(&l, s, s->scratch, err, errlen);
		if (rc < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}
