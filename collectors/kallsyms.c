// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/kallsyms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collectors/hostfs.h"
#include "ksym.skel.h"
#include "util/regfile.h"

int kallsyms_parse(const char *line, struct kallsyms_line *out)
{
	const char *mod;
	int at = 0;

	if (sscanf(line, "%" SCNx64 " %c %n", &out->addr, &out->type, &at) != 2 || !at)
		return 0;
	out->name = line + at;
	out->name_len = strcspn(out->name, " \t\n");
	mod = out->name + out->name_len;
	mod += strspn(mod, " \t");
	out->mod = NULL;
	out->mod_len = 0;
	if (*mod == '[' && strchr(mod, ']')) {
		out->mod = mod + 1;
		out->mod_len = (size_t)(strchr(mod, ']') - out->mod);
	}
	return 1;
}

/* Whole lines (getline): a symbol can be longer than any fixed buffer
 * (KSYM_NAME_LEN is 512), and a line cut in two would be read as two. */
uint64_t kallsyms_addr(const char *path, const char *name, int *listed)
{
	FILE *f = regfile_fopen(path, NULL); /* /dev/zero in a tree: one endless line */
	struct kallsyms_line k;
	char *line = NULL;
	size_t cap = 0, len = strlen(name);
	uint64_t found = 0;
	int seen = 0;

	if (listed)
		*listed = 0;
	if (!f)
		return 0;
	while (!found && getline(&line, &cap, f) > 0)
		if (kallsyms_parse(line, &k) && (k.type == 't' || k.type == 'T') && k.name_len == len &&
		    memcmp(k.name, name, len) == 0) {
			seen = 1; /* listed, if with a zeroed address (no CAP_SYSLOG) */
			found = k.addr;
		}
	free(line);
	fclose(f);
	if (listed)
		*listed = seen;
	return found;
}

/* The kernel resolves the ksym while verifying; one test run copies it
 * into .bss.  0 on any failure: no BTF, kernel before 6.4, no privilege. */
static uint64_t from_btf(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct ksym_bpf *s = ksym_bpf__open_and_load();
	uint64_t addr = 0;

	if (!s)
		return 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(s->progs.find), &run) == 0)
		addr = s->bss->flush_tlb_func_addr;
	ksym_bpf__destroy(s);
	return addr;
}

static int kptr_restrict(void)
{
	return hostfs_int("", "/proc/sys/kernel/kptr_restrict", -1);
}

void kallsyms_hidden_why(const char *name, int restrict_level, char *why, size_t len)
{
	if (restrict_level >= 2)
		snprintf(why, len, "%s address hidden by kernel.kptr_restrict=2", name);
	else
		snprintf(why, len, "%s address hidden: needs CAP_SYSLOG (no kernel BTF to resolve it)",
			 name);
}

uint64_t flush_tlb_func_addr(const char *kallsyms, char *why, size_t len)
{
	uint64_t addr = from_btf();
	int listed;

	why[0] = '\0';
	if (addr)
		return addr;
	addr = kallsyms_addr(kallsyms, "flush_tlb_func", &listed);
	if (!addr && listed)
		kallsyms_hidden_why("flush_tlb_func", kptr_restrict(), why, len);
	else if (!addr)
		snprintf(why, len, "no flush_tlb_func in this kernel");
	return addr;
}
