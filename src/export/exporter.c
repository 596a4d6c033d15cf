// SPDX-License-Identifier: GPL-2.0-only
#include "export/exporter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>

#include "export/httpguard.h"
#include "util/mem.h"
#include "export/prom.h"

/* The totals and the newest frame, as handed over and as a scrape renders
 * them; the sampler keeps its own totals too.  It only ever try-locks, so
 * it never waits for a scrape. */
struct side {
	struct prom_totals tot;
	struct frame f;
};

struct exporter {
	int fd;
	struct MHD_Daemon *d;
	uint32_t top_k;
	struct prom_totals own;    /* the sampler's: every tick, always */
	struct side shared, scrape;
	int have_shared;           /* a frame was handed over */
	pthread_mutex_t lock;
	struct promtext text;
	char url[96];
	/* the HTTP thread's own figures (only it touches them) */
	uint64_t req_ok, req_bad_method, req_not_found, req_not_ready, req_overflow;
	double last_render_s;
	struct httpguard guard;    /* the HTTP thread's too */
};

int exporter_parse_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len, char *err,
			size_t errlen)
{
	char host[256] = EXPORTER_DEFAULT_HOST, *end;
	const char *colon = strrchr(spec, ':'), *port = colon ? colon + 1 : spec;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV }, *res;
	long p = strtol(port, &end, 10);
	int rc;

	if (!*port || *end || p < 0 || p > 65535) {
		snprintf(err, errlen, "--prometheus '%s': expected [HOST:]PORT with a port from 0 to 65535", spec);
		return -1;
	}
	if (colon && colon > spec) {
		size_t n = (size_t)(colon - spec);

		if (spec[0] == '[' && colon[-1] == ']') /* [::1]:9464 */
			spec++, n -= 2;
		if (n >= sizeof(host)) {
			snprintf(err, errlen, "--prometheus: host name too long");
			return -1;
		}
		memcpy(host, spec, n);
		host[n] = '\0';
	}
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "--prometheus '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* The guard's way to drop a connection: libmicrohttpd then sees the end
 * of the stream and closes it (on its own thread, where the guard runs). */
static void shut_down(int fd)
{
	shutdown(fd, SHUT_RDWR);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int side_init(struct side *s, uint32_t ncpu)
{
	memset(&s->f, 0, sizeof(s->f));
	s->f.ncpu = ncpu;
	s->f.cpu = mem_zalloc(ncpu, sizeof(*s->f.cpu));
	return s->f.cpu && prom_totals_init(&s->tot, ncpu) == 0 ? 0 : -1;
}

static void side_free(struct side *s)
{
	free(s->f.cpu);
	prom_totals_free(&s->tot);
}

static void side_copy(struct side *dst, const struct side *src)
{
	prom_totals_copy(&dst->tot, &src->tot);
	frame_copy(&dst->f, &src->f);
}

static void describe(struct exporter *e, const struct sockaddr_storage *ss)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		snprintf(e->url, sizeof(e->url), "http://[%s]:%u/metrics", ip, ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const void *)ss;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		snprintf(e->url, sizeof(e->url), "http://%s:%u/metrics", ip, ntohs(a->sin_port));
	}
}

static int listen_on(struct exporter *e, const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	if (exporter_parse_addr(spec, &ss, &len, err, errlen) < 0)
		return -1;
	e->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (e->fd < 0 || setsockopt(e->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(e->fd, (struct sockaddr *)&ss, len) < 0 || listen(e->fd, 64) < 0) {
		snprintf(err, errlen, "--prometheus %s: %s", spec, strerror(errno));
		return -1;
	}
	len = sizeof(ss);
	getsockname(e->fd, (struct sockaddr *)&ss, &len);
	describe(e, &ss);
	return 0;
}

struct exporter *exporter_bind(const char *spec, uint32_t ncpu, uint32_t top_k, char *err, size_t errlen)
{
	struct exporter *e = mem_zalloc(1, sizeof(*e));

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->fd = -1;
	e->top_k = top_k;
	pthread_mutex_init(&e->lock, NULL);
	e->text.cap = prom_bound(ncpu);
	e->text.buf = mem_zalloc(1, e->text.cap);
	if (!e->text.buf || prom_totals_init(&e->own, ncpu) < 0 || side_init(&e->shared, ncpu) < 0 ||
	    side_init(&e->scrape, ncpu) < 0 ||
	    guard_init(&e->guard, EXPORTER_MAX_CONNECTIONS, EXPORTER_SOFT_CONNECTIONS, EXPORTER_PER_IP,
		       EXPORTER_HEADER_S * 1000000000LL, EXPORTER_RESPONSE_S * 1000000000LL, shut_down) < 0) {
		snprintf(err, errlen, "out of memory for the exporter");
		exporter_stop(e);
		return NULL;
	}
	prom_procs_init(&e->own.procs, top_k);
	prom_cgroups_init(&e->own.cgroups, top_k);
	if (listen_on(e, spec, err, errlen) < 0) {
		exporter_stop(e);
		return NULL;
	}
	return e;
}

const char *exporter_url(const struct exporter *e)
{
	return e->url;
}

void exporter_publish(struct exporter *e, const struct frame *f)
{
	prom_accumulate(&e->own, f);
	/* A scrape is copying: skip this hand-over, the next one carries the
	 * totals on; the sampler never waits. */
	if (pthread_mutex_trylock(&e->lock) != 0)
		return;
	prom_totals_copy(&e->shared.tot, &e->own);
	frame_copy(&e->shared.f, f);
	e->have_shared = 1;
	pthread_mutex_unlock(&e->lock);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The HTTP side's own figures, after the frame's. */
static void render_self(struct exporter *e)
{
	static const char *const codes[] = { "200", "405", "404", "503", "500" };
	static const char *const drops[GUARD_DROPS] = { "header_deadline", "response_deadline", "evicted",
							"per_ip", "full" };
	const uint64_t counts[] = { e->req_ok, e->req_bad_method, e->req_not_found, e->req_not_ready,
				    e->req_overflow };
	char labels[32];

	promtext_family(&e->text, "stormtop_http_requests_total", PROM_COUNTER,
			"Requests to the exporter by status code (this one not yet counted).");
	for (int i = 0; i < 5; i++) {
		snprintf(labels, sizeof(labels), "code=\"%s\"", codes[i]);
		promtext_u64(&e->text, "", labels, counts[i]);
	}
	promtext_family(&e->text, "stormtop_http_connections_dropped_total", PROM_COUNTER,
			"Connections the exporter dropped so others get answered, by reason.");
	for (int i = 0; i < GUARD_DROPS; i++) {
		snprintf(labels, sizeof(labels), "reason=\"%s\"", drops[i]);
		promtext_u64(&e->text, "", labels, e->guard.dropped[i]);
	}
	promtext_family(&e->text, "stormtop_scrape_render_seconds", PROM_GAUGE,
			"Time the previous scrape took to copy and render the metrics.");
	promtext_f64(&e->text, "", "", e->last_render_s);
}

/* A bigger text buffer, on the HTTP thread; 0, or -1 past the cap. */
static int grow_text(struct exporter *e)
{
	char *bigger;

	if (e->text.cap >= EXPORTER_TEXT_MAX || !(bigger = realloc(e->text.buf, e->text.cap * 2)))
		return -1;
	e->text.buf = bigger;
	e->text.cap *= 2;
	return 0;
}

/* Renders into e->text; 200, 503 before the first frame, 500 if even the
 * largest buffer is too small (said rather than truncated). */
static unsigned int render_metrics(struct exporter *e)
{
	double t0 = now_s();
	int ready;

	pthread_mutex_lock(&e->lock);
	ready = e->have_shared;
	if (ready)
		side_copy(&e->scrape, &e->shared);
	pthread_mutex_unlock(&e->lock);
	if (!ready)
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	do {
		promtext_reset(&e->text);
		prom_render(&e->text, &e->scrape.tot, &e->scrape.f, &(struct prom_opts){ .top_k = e->top_k });
		render_self(e);
	} while (e->text.overflow && grow_text(e) == 0);
	e->last_render_s = now_s() - t0;
	return e->text.overflow ? MHD_HTTP_INTERNAL_SERVER_ERROR : MHD_HTTP_OK;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code, const char *type,
			     const char *body, size_t len)
{
	/* copied: a slow reader keeps its own copy, the buffer is reused */
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text_reply(struct MHD_Connection *c, unsigned int code, const char *msg)
{
	return reply(c, code, "text/plain; charset=utf-8", msg, strlen(msg));
}

/* Answers at once, on the first call: a body, if any, is never read. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **req)
{
	struct exporter *e = cls;
	unsigned int code;

	(void)version, (void)upload, (void)upload_size, (void)req;
	guard_headers_done(&e->guard, c, now_ns()); /* from now on its deadline is the response's */
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		e->req_bad_method++;
		return text_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	}
	if (strcmp(url, "/") == 0) {
		e->req_ok++;
		return text_reply(c, MHD_HTTP_OK, "stormtop: metrics at /metrics\n");
	}
	if (strcmp(url, "/metrics") != 0) {
		e->req_not_found++;
		return text_reply(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n");
	}
	code = render_metrics(e);
	if (code == MHD_HTTP_SERVICE_UNAVAILABLE) {
		e->req_not_ready++;
		return text_reply(c, code, "no frame sampled yet\n");
	}
	if (code != MHD_HTTP_OK) {
		e->req_overflow++;
		return text_reply(c, code, "metrics did not fit the buffer\n");
	}
	e->req_ok++;
	return reply(c, code, "text/plain; version=0.0.4; charset=utf-8", e->text.buf, e->text.len);
}

/* Accept policy: the per-address cap of non-loopback clients. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)len;
	return guard_admit(&((struct exporter *)cls)->guard, addr) ? MHD_YES : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct exporter *e = cls;
	const union MHD_ConnectionInfo *fd, *addr;

	(void)socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		guard_closed(&e->guard, c);
		return;
	}
	fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	addr = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (fd)
		guard_started(&e->guard, c, fd->connect_fd, addr ? addr->client_addr : NULL, now_ns());
}

/* A response sent (or abandoned): on keep-alive the next request's
 * headers are awaited from now. */
static void on_completed(void *cls, struct MHD_Connection *c, void **req, enum MHD_RequestTerminationCode toe)
{
	(void)req, (void)toe;
	guard_request_done(&((struct exporter *)cls)->guard, c, now_ns());
}

int exporter_start(struct exporter *e, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD;

	getsockname(e->fd, (struct sockaddr *)&ss, &len);
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* One thread serves every connection without blocking; each is
	 * bounded in memory (the request), in idle time (a client that stops
	 * reading or writing) and, by the guard, in the time its request and
	 * response may take and in its claim on a slot. */
	e->d = MHD_start_daemon(flags, 0, on_accept, e, on_request, e,
				MHD_OPTION_LISTEN_SOCKET, (MHD_socket)e->fd,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, e,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, e,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)EXPORTER_MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)EXPORTER_TIMEOUT_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)EXPORTER_REQUEST_LIMIT,
				MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
				MHD_OPTION_END);
	if (!e->d) {
		snprintf(err, errlen, "--prometheus: the HTTP server did not start");
		return -1;
	}
	return 0;
}

void exporter_stop(struct exporter *e)
{
	if (!e)
		return;
	if (e->d)
		MHD_stop_daemon(e->d);
	else if (e->fd >= 0)
		close(e->fd);
	prom_totals_free(&e->own);
	side_free(&e->shared);
	side_free(&e->scrape);
	guard_free(&e->guard);
	free(e->text.buf);
	pthread_mutex_destroy(&e->lock);
	free(e);
}
