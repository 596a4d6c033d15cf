#include "kallsyms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whole lines (getline): a symbol can be longer than any fixed buffer
 * (KSYM_NAME_LEN is 512), and a line cut in two would be read as two. */
uint64_t kallsyms_addr(const char *path, const char *name)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, type;
	size_t cap = 0, len = strlen(name);
	uint64_t addr, found = 0;
	int at = 0;

	if (!f)
		return 0;
	while (!found && getline(&line, &cap, f) > 0)
		if (sscanf(line, "%" SCNx64 " %c %n", &addr, &type, &at) == 2 && at && (type == 't' || type == 'T') &&
		    strncmp(line + at, name, len) == 0 && strchr(" \t\n", line[at + len])) /* "" matches too */
			found = addr;
	free(line);
	fclose(f);
	return found;
}
