#include "privs.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/capability.h>

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int get_caps(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return (int)syscall(SYS_capget, &h, d);
}

unsigned long long privs_effective(void)
{
	struct __user_cap_data_struct d[2];

	if (get_caps(d) < 0)
		return 0;
	return (unsigned long long)d[1].effective << 32 | d[0].effective;
}

/* Kernels before 6.5 check CAP_BPF on every bpf() call when unprivileged
 * BPF is disabled, map reads included. */
static int map_reads_need_caps(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 1;
	return major < 6 || (major == 6 && minor < 5);
}

int privs_drop(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	unsigned long long keep = 0, held = privs_effective();

	if (map_reads_need_caps())
		keep = held & (1ULL << CAP_BPF | 1ULL << CAP_SYS_ADMIN);
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return -1;
	return __builtin_popcountll(privs_effective());
}
