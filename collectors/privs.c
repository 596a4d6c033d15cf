// SPDX-License-Identifier: GPL-2.0-only
#include "collectors/privs.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/capability.h>

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

const char *privs_release(void)
{
	static struct utsname u;

	return uname(&u) == 0 ? u.release : "";
}

unsigned long long privs_memlock(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_MEMLOCK, &r) < 0 || r.rlim_cur == RLIM_INFINITY)
		return ~0ULL;
	return (unsigned long long)r.rlim_cur;
}

/* 1 when release (uname -r) is older than major.minor, or unreadable. */
static int release_before(const char *release, int major, int minor)
{
	int ma = 0, mi = 0;

	if (sscanf(release, "%d.%d", &ma, &mi) != 2)
		return 1;
	return ma < major || (ma == major && mi < minor);
}

/* Kernels before 6.5 check CAP_BPF on every bpf() call when unprivileged
 * BPF is disabled, map reads included. */
static int map_reads_need_caps(void)
{
	return release_before(privs_release(), 6, 5);
}

int privs_missing(unsigned long long held, unsigned long long need, char *buf, size_t len)
{
	static const struct { int cap; const char *name; } names[] = {
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN" }, { CAP_SYSLOG, "CAP_SYSLOG" },
		{ CAP_PERFMON, "CAP_PERFMON" }, { CAP_BPF, "CAP_BPF" },
	};
	unsigned long long lack;
	int n = 0;
	size_t at = 0;

	if (held & 1ULL << CAP_SYS_ADMIN) /* bpf_capable(), perfmon_capable() */
		held |= 1ULL << CAP_BPF | 1ULL << CAP_PERFMON;
	lack = need & ~held;
	if (len)
		buf[0] = '\0';
	for (int k = (int)(sizeof(names) / sizeof(names[0])) - 1; k >= 0; k--) {
		if (!(lack >> names[k].cap & 1))
			continue;
		lack &= ~(1ULL << names[k].cap);
		if (at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", !n ? "" : lack ? ", " : " and ",
					       names[k].name);
		n++;
	}
	return n;
}

void privs_bpf_denied(unsigned long long held, const char *release, unsigned long long memlock,
		      char *buf, size_t len)
{
	char caps[64];

	if (privs_missing(held, 1ULL << CAP_BPF | 1ULL << CAP_PERFMON, caps, sizeof(caps)))
		snprintf(buf, len, "not permitted: needs %s (or root)", caps);
	else if (release_before(release, 5, 11) && memlock != ~0ULL)
		snprintf(buf, len, "not permitted: RLIMIT_MEMLOCK %llu KiB is too low on kernels before "
			 "5.11 (raise ulimit -l, or grant CAP_SYS_RESOURCE)", memlock >> 10);
	else
		snprintf(buf, len, "not permitted although CAP_BPF and CAP_PERFMON are held "
			 "(kernel lockdown or a security module)");
}

void privs_perf_denied(unsigned long long held, int paranoid, char *buf, size_t len)
{
	char caps[32];

	if (!privs_missing(held, 1ULL << CAP_PERFMON, caps, sizeof(caps)))
		snprintf(buf, len, "not permitted although CAP_PERFMON is held (a security module)");
	else if (paranoid > 0)
		snprintf(buf, len, "not permitted: needs CAP_PERFMON (kernel.perf_event_paranoid is %d; "
			 "0 or less would do)", paranoid);
	else
		snprintf(buf, len, "not permitted: needs CAP_PERFMON");
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
