// SPDX-License-Identifier: GPL-2.0-only
#include "record/recfmt.h"

#include <stdlib.h>
#include <string.h>

#include "util/crc32c.h"
#include "util/varint.h"

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t from_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void rec_put32(uint8_t *p, uint32_t v)
{
	le(p, v, 4);
}

uint32_t rec_get32(const uint8_t *p)
{
	return (uint32_t)from_le(p, 4);
}

void rec_head_pack(const struct rec_head *h, uint8_t out[REC_HEAD_LEN])
{
	le(out, h->sync, 4);
	out[4] = h->type;
	out[5] = h->codec;
	le(out + 6, h->flags, 2);
	le(out + 8, h->stored_len, 4);
	le(out + 12, h->raw_len, 4);
	le(out + 16, (uint64_t)h->wall_ns, 8);
	le(out + 24, h->crc, 4);
}

void rec_head_unpack(const uint8_t in[REC_HEAD_LEN], struct rec_head *h)
{
	h->sync = (uint32_t)from_le(in, 4);
	h->type = in[4];
	h->codec = in[5];
	h->flags = (uint16_t)from_le(in + 6, 2);
	h->stored_len = (uint32_t)from_le(in + 8, 4);
	h->raw_len = (uint32_t)from_le(in + 12, 4);
	h->wall_ns = (int64_t)from_le(in + 16, 8);
	h->crc = (uint32_t)from_le(in + 24, 4);
}

uint32_t rec_crc(const struct rec_head *h, const uint8_t *payload)
{
	uint8_t b[REC_HEAD_LEN];

	rec_head_pack(h, b);
	return crc32c(crc32c(0, b + 4, 20), payload, h->stored_len);
}

enum { M_HOST = 1, M_KERNEL, M_VERSION, M_NCPU, M_NNODES, M_NODE_OF, M_INTERVAL, M_START,
       M_STATUS, M_UNITS };

/* For whoever opens a file with no documentation at hand. */
static const char units[] = "counters: deltas over interval_ns; times: ns; rates: none stored";

static uint8_t *put(uint8_t *p, uint64_t v)
{
	return p + varint_put(p, v);
}

static uint8_t *put_str(uint8_t *p, unsigned int id, const char *s)
{
	size_t n = strlen(s);

	p = put(put(p, id * 2 + 1), n);
	memcpy(p, s, n);
	return p + n;
}

size_t rec_meta_encode(const struct rec_meta *m, uint8_t *buf, size_t cap)
{
	size_t need = 3 * 80 + sizeof(units) + 4 * 2 * VARINT_MAX + 2 * VARINT_MAX + (size_t)m->ncpu * 3 +
		      SRC_MAX * (FRAME_STATUS_LEN + 2 * VARINT_MAX) + 2 * VARINT_MAX;
	uint8_t *p = buf, *len_at;

	_Static_assert(3 * 80 + sizeof(units) + 4 * 2 * VARINT_MAX + 2 * VARINT_MAX + FRAME_MAX_CPUS * 3 +
			       SRC_MAX * (FRAME_STATUS_LEN + 2 * VARINT_MAX) + 2 * VARINT_MAX <= REC_META_MAX,
		       "REC_META_MAX");
	if (cap < need)
		return 0;
	p = put_str(p, M_HOST, m->host);
	p = put_str(p, M_KERNEL, m->kernel);
	p = put_str(p, M_VERSION, m->version);
	p = put_str(p, M_UNITS, units);
	p = put(put(p, M_NCPU * 2), m->ncpu);
	p = put(put(p, M_NNODES * 2), m->nnodes);
	p = put(put(p, M_INTERVAL * 2), (uint64_t)m->interval_ns);
	p = put(put(p, M_START * 2), (uint64_t)m->start_ns);
	/* node_of: a block of ncpu varints; its length is known up front */
	len_at = p = put(p, M_NODE_OF * 2 + 1);
	{
		uint8_t tmp[8];
		size_t body = 0;

		for (uint32_t c = 0; c < m->ncpu; c++)
			body += varint_put(tmp, m->node_of ? m->node_of[c] : 0);
		p = put(len_at, body);
		for (uint32_t c = 0; c < m->ncpu; c++)
			p = put(p, m->node_of ? m->node_of[c] : 0);
	}
	for (int s = 0; s < SRC_MAX; s++) {
		size_t n = strnlen(m->status[s].reason, FRAME_STATUS_LEN);

		p = put(put(p, M_STATUS * 2 + 1), n + 1);
		*p++ = m->status[s].state;
		memcpy(p, m->status[s].reason, n);
		p += n;
	}
	return (size_t)(p - buf);
}

static void copy_str(char *dst, size_t cap, const uint8_t *src, uint64_t n)
{
	n = n < cap - 1 ? n : cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int decode_block(struct rec_meta *m, uint64_t id, const uint8_t *b, uint64_t n, int *nstatus)
{
	switch (id) {
	case M_HOST: copy_str(m->host, sizeof(m->host), b, n); break;
	case M_KERNEL: copy_str(m->kernel, sizeof(m->kernel), b, n); break;
	case M_VERSION: copy_str(m->version, sizeof(m->version), b, n); break;
	case M_NODE_OF: {
		const uint8_t *end = b + n;

		if (!m->ncpu || m->ncpu > FRAME_MAX_CPUS || m->node_of)
			return -1;
		m->node_of = calloc(m->ncpu, sizeof(*m->node_of));
		for (uint32_t c = 0; m->node_of && c < m->ncpu && b < end; c++) {
			uint64_t v;

			if (varint_get(&b, end, &v) < 0)
				return -1;
			m->node_of[c] = (uint16_t)v;
		}
		return m->node_of ? 0 : -1;
	}
	case M_STATUS:
		if (n >= 1 && *nstatus < SRC_MAX) {
			m->status[*nstatus].state = b[0];
			copy_str(m->status[*nstatus].reason, FRAME_STATUS_LEN, b + 1, n - 1);
			(*nstatus)++;
		}
		break;
	}
	return 0;
}

int rec_meta_decode(const uint8_t *buf, size_t len, struct rec_meta *m)
{
	const uint8_t *p = buf, *end = buf + len;
	int nstatus = 0;

	memset(m, 0, sizeof(*m));
	while (p < end) {
		uint64_t key, v;

		if (varint_get(&p, end, &key) < 0 || varint_get(&p, end, &v) < 0)
			return -1;
		if (key & 1) {
			if (v > (uint64_t)(end - p) || decode_block(m, key >> 1, p, v, &nstatus) < 0)
				return -1;
			p += v;
			continue;
		}
		switch (key >> 1) {
		case M_NCPU: m->ncpu = (uint32_t)v; break;
		case M_NNODES: m->nnodes = (uint32_t)v; break;
		case M_INTERVAL: m->interval_ns = (int64_t)v; break;
		case M_START: m->start_ns = (int64_t)v; break;
		}
	}
	if (!m->ncpu || m->ncpu > FRAME_MAX_CPUS)
		return -1;
	if (!m->node_of && !(m->node_of = calloc(m->ncpu, sizeof(*m->node_of))))
		return -1;
	return 0;
}
