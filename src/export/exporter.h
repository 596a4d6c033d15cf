/* SPDX-License-Identifier: GPL-2.0-only */
/* --prometheus ADDR:PORT: /metrics served by libmicrohttpd on its own
 * thread.  The sampling loop hands each frame over with exporter_publish,
 * which never waits on the HTTP side: a slow, stuck or hostile client can
 * cost a scrape, never a tick.  Nor can other clients lock a scrape out:
 * src/export/httpguard.h bounds how long any connection may take over its request
 * and its response, and drops the oldest header-sender when full. */
#ifndef STORMTOP_EXPORTER_H
#define STORMTOP_EXPORTER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/frame.h"

#define EXPORTER_DEFAULT_HOST "127.0.0.1"
#define EXPORTER_TIMEOUT_S 10        /* an idle or stuck connection is closed */
#define EXPORTER_HEADER_S 5          /* request line and headers complete within this */
#define EXPORTER_RESPONSE_S 10       /* a response taken within this */
#define EXPORTER_MAX_CONNECTIONS 256 /* libmicrohttpd accepts no more */
#define EXPORTER_SOFT_CONNECTIONS 192 /* past this a new one drops the oldest header-sender */
#define EXPORTER_PER_IP 16           /* connections from one non-loopback address */
#define EXPORTER_REQUEST_LIMIT 8192  /* bytes of request line and headers */
#define EXPORTER_TEXT_MAX (256u << 20) /* the largest /metrics text */

struct exporter;

/* "PORT", ":PORT", "HOST:PORT" or "[V6]:PORT"; HOST defaults to
 * 127.0.0.1.  0, or -1 with a one-line reason. */
int exporter_parse_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len, char *err,
			size_t errlen);

/* Binds and listens now (before privileges are dropped, so a port below
 * 1024 works as root); serving starts with exporter_start. */
struct exporter *exporter_bind(const char *spec, uint32_t ncpu, uint32_t top_k, char *err, size_t errlen);
int exporter_start(struct exporter *e, char *err, size_t errlen);
/* The URL to scrape, with the port actually bound (":0" picks one). */
const char *exporter_url(const struct exporter *e);
void exporter_publish(struct exporter *e, const struct frame *f);
void exporter_stop(struct exporter *e);

#endif
