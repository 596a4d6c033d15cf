#include "kallsyms.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

uint64_t kallsyms_addr(const char *path, const char *name)
{
	FILE *f = fopen(path, "re");
	char line[512], sym[256], type;
	uint64_t addr, found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%" SCNx64 " %c %255s", &addr, &type, sym) == 3 &&
		    (type == 't' || type == 'T') && strcmp(sym, name) == 0)
			found = addr;
	fclose(f);
	return found;
}
