// SPDX-License-Identifier: GPL-2.0-only
#include "export/httpguard.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

int guard_init(struct httpguard *g, size_t cap, size_t soft, unsigned int per_ip, int64_t header_ns,
	       int64_t response_ns, void (*shut)(int fd))
{
	memset(g, 0, sizeof(*g));
	g->c = mem_zalloc(cap, sizeof(*g->c));
	g->cap = cap;
	g->soft = soft < cap ? soft : cap;
	g->per_ip = per_ip;
	g->header_ns = header_ns;
	g->response_ns = response_ns;
	g->shut = shut;
	return g->c ? 0 : -1;
}

void guard_free(struct httpguard *g)
{
	free(g->c);
	g->c = NULL;
	g->n = 0;
}

int guard_is_loopback(const struct sockaddr *addr)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (addr->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)addr)->sin_addr.s_addr) >> 24) == 127;
	if (addr->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) || (!memcmp(a->s6_addr, mapped, 12) && a->s6_addr[12] == 127);
	}
	return 0;
}

static int same_host(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	if (a->ss_family != b->sa_family)
		return 0;
	if (b->sa_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)(const void *)b)->sin_addr.s_addr;
	if (b->sa_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr, sizeof(struct in6_addr));
	return 0;
}

int guard_admit(struct httpguard *g, const struct sockaddr *addr)
{
	unsigned int from = 0;

	if (!g->per_ip || guard_is_loopback(addr))
		return 1;
	for (size_t i = 0; i < g->n; i++)
		from += !g->c[i].doomed && same_host(&g->c[i].addr, addr);
	if (from < g->per_ip)
		return 1;
	g->dropped[GUARD_PER_IP]++;
	return 0;
}

static void drop(struct httpguard *g, struct guard_conn *c, enum guard_drop why)
{
	c->doomed = 1;
	g->dropped[why]++;
	g->shut(c->fd);
}

static struct guard_conn *find(struct httpguard *g, const void *conn)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->c[i].conn == conn)
			return &g->c[i];
	return NULL;
}

/* Whatever is past its phase's deadline, trickle or not. */
static void expire(struct httpguard *g, int64_t now_ns)
{
	for (size_t i = 0; i < g->n; i++) {
		struct guard_conn *c = &g->c[i];
		int64_t limit = c->in_response ? g->response_ns : g->header_ns;

		if (!c->doomed && now_ns - c->since_ns > limit)
			drop(g, c, c->in_response ? GUARD_RESPONSE_DEADLINE : GUARD_HEADER_DEADLINE);
	}
}

/* While over soft: the oldest connection still sending headers goes
 * (never the newcomer, skip). */
static void evict(struct httpguard *g, const struct guard_conn *skip)
{
	size_t live = 0;

	for (size_t i = 0; i < g->n; i++)
		live += !g->c[i].doomed;
	while (live > g->soft) {
		struct guard_conn *oldest = NULL;

		for (size_t i = 0; i < g->n; i++) {
			struct guard_conn *c = &g->c[i];

			if (c != skip && !c->doomed && !c->in_response && (!oldest || c->since_ns < oldest->since_ns))
				oldest = c;
		}
		if (!oldest)
			return; /* all answering: libmicrohttpd's cap and idle timeout hold */
		drop(g, oldest, GUARD_EVICTED);
		live--;
	}
}

void guard_started(struct httpguard *g, const void *conn, int fd, const struct sockaddr *addr, int64_t now_ns)
{
	struct guard_conn *c;

	expire(g, now_ns);
	if (g->n == g->cap) { /* cannot happen with the daemon's cap at ours */
		g->dropped[GUARD_FULL]++;
		g->shut(fd);
		return;
	}
	c = &g->c[g->n++];
	*c = (struct guard_conn){ .conn = conn, .fd = fd, .since_ns = now_ns };
	if (addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6))
		memcpy(&c->addr, addr, addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	evict(g, c);
}

void guard_headers_done(struct httpguard *g, const void *conn, int64_t now_ns)
{
	struct guard_conn *c = find(g, conn);

	if (c && !c->in_response) {
		c->in_response = 1;
		c->since_ns = now_ns;
	}
}

void guard_request_done(struct httpguard *g, const void *conn, int64_t now_ns)
{
	struct guard_conn *c = find(g, conn);

	if (c) {
		c->in_response = 0;
		c->since_ns = now_ns;
	}
}

void guard_closed(struct httpguard *g, const void *conn)
{
	struct guard_conn *c = find(g, conn);

	if (c)
		*c = g->c[--g->n];
}
