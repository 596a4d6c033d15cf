/* SPDX-License-Identifier: GPL-2.0-only */
/* Who may hold a connection to the exporter, and for how long: the policy
 * that keeps /metrics answering whatever other clients do (slowloris:
 * clients trickling a header byte a second to hold every slot; clients
 * that never read their response).  Pure bookkeeping, no sockets: the
 * exporter calls it from libmicrohttpd's one thread (so no lock) and it
 * says which connections to drop through the shut callback.
 *
 *   - deadlines, whatever the trickle: a request's line and headers must
 *     be complete within header_ns of the connection (or of the previous
 *     response, on keep-alive), a response taken within response_ns;
 *   - over soft connections, each new one drops the oldest still sending
 *     its headers (a scraper sends its request at once, so it is never the
 *     oldest for long);
 *   - at most per_ip connections from one non-loopback address.  Loopback
 *     is exempt: every local client, the scraper too, is 127.0.0.1 or ::1,
 *     so a per-address cap there would lock the scraper out with the
 *     attacker; the deadlines and the eviction protect it instead.
 * Deadlines are checked whenever a connection arrives (a scrape is such an
 * arrival), besides libmicrohttpd's own idle timeout. */
#ifndef STORMTOP_HTTPGUARD_H
#define STORMTOP_HTTPGUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum guard_drop { GUARD_HEADER_DEADLINE, GUARD_RESPONSE_DEADLINE, GUARD_EVICTED, GUARD_PER_IP, GUARD_FULL,
		  GUARD_DROPS };

struct guard_conn {
	const void *conn;          /* libmicrohttpd's connection: an identity only */
	int fd;
	int in_response;           /* headers complete, the response under way */
	int doomed;                /* shut down, waiting to be closed */
	int64_t since_ns;          /* when the current phase began */
	struct sockaddr_storage addr;
};

struct httpguard {
	struct guard_conn *c;      /* cap entries, allocated at set-up */
	size_t n, cap, soft;
	unsigned int per_ip;
	int64_t header_ns, response_ns;
	void (*shut)(int fd);      /* drops a connection (shutdown(2) in the exporter) */
	uint64_t dropped[GUARD_DROPS];
};

/* cap: the most connections libmicrohttpd accepts; soft < cap. 0, or -1
 * out of memory. */
int guard_init(struct httpguard *g, size_t cap, size_t soft, unsigned int per_ip, int64_t header_ns,
	       int64_t response_ns, void (*shut)(int fd));
void guard_free(struct httpguard *g);
/* Accept policy: 0 to refuse addr (its per-address cap is reached), 1 to
 * let it in. */
int guard_admit(struct httpguard *g, const struct sockaddr *addr);
/* A new connection: first drops what is past its deadline, then tracks
 * it, then drops the oldest header-sending ones while over soft. */
void guard_started(struct httpguard *g, const void *conn, int fd, const struct sockaddr *addr, int64_t now_ns);
/* Its request's headers are complete / its response is done (keep-alive:
 * the next request's headers are awaited from now). */
void guard_headers_done(struct httpguard *g, const void *conn, int64_t now_ns);
void guard_request_done(struct httpguard *g, const void *conn, int64_t now_ns);
void guard_closed(struct httpguard *g, const void *conn);
/* Loopback (127/8, ::1, ::ffff:127/104): 1. */
int guard_is_loopback(const struct sockaddr *addr);

#endif
