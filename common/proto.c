// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "io.h"
#include "proto.h"

size_t proto_request_size(uint16_t type)
{
	switch (type) {
	case PROTO_READ_VFILE:
	case PROTO_READ_DIR:
	case PROTO_GETATTR: return sizeof(struct proto_node_req);
	case PROTO_LOOKUP: return sizeof(struct proto_lookup_req);
	case PROTO_PSI_ARM: return sizeof(struct proto_psi_arm_req);
	case PROTO_PSI_DISARM: return sizeof(struct proto_psi_disarm_req);
	default: return 0;
	}
}

const char *proto_type_name(uint16_t type)
{
	switch (type) {
	case PROTO_READ_VFILE: return "READ_VFILE";
	case PROTO_READ_DIR: return "READ_DIR";
	case PROTO_LOOKUP: return "LOOKUP";
	case PROTO_GETATTR: return "GETATTR";
	case PROTO_PSI_ARM: return "PSI_ARM";
	case PROTO_PSI_DISARM: return "PSI_DISARM";
	case PROTO_REPLY: return "REPLY";
	case PROTO_PSI_EVENT: return "PSI_EVENT";
	default: return "UNKNOWN";
	}
}

int proto_check_hdr(const struct proto_hdr *h, bool expect_reply)
{
	if (h->version != PROTO_VERSION || h->reserved != 0 || (h->flags & ~PROTO_F_ALL))
		return -EPROTO;
	if (expect_reply && h->type == PROTO_PSI_EVENT)
		return h->len == sizeof(struct proto_psi_event) && h->id == 0 && h->flags == 0
			   ? 0
			   : -EPROTO;
	if (expect_reply) {
		if (h->type != PROTO_REPLY || h->len < sizeof(struct proto_reply) ||
		    h->len > sizeof(struct proto_reply) + PROTO_MAX_PAYLOAD)
			return -EPROTO;
		return 0;
	}
	if (h->type == PROTO_REPLY || proto_request_size(h->type) == 0 ||
	    proto_request_size(h->type) != h->len)
		return -EPROTO;
	return 0;
}

bool proto_psi_spec_valid(const struct proto_psi_spec *s)
{
	return s->kind <= PROTO_PSI_FULL && s->reserved == 0 &&
	       s->window_us >= PROTO_PSI_WINDOW_MIN_US && s->window_us <= PROTO_PSI_WINDOW_MAX_US &&
	       s->threshold_us >= 1 && s->threshold_us <= s->window_us;
}

bool proto_name_valid(const char name[PROTO_NAME_MAX])
{
	const char *nul = memchr(name, '\0', PROTO_NAME_MAX);

	if (!nul || nul == name)
		return false;
	for (const char *p = nul; p < name + PROTO_NAME_MAX; p++)
		if (*p)
			return false;
	if (memchr(name, '/', (size_t)(nul - name)))
		return false;
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

int proto_frame(struct buf *out, uint16_t type, uint32_t flags, uint64_t id, const void *payload,
		size_t len)
{
	struct proto_hdr h = { .version = PROTO_VERSION,
			       .type = type,
			       .flags = flags,
			       .id = id,
			       .len = (uint32_t)len };

	if (len > sizeof(struct proto_reply) + PROTO_MAX_PAYLOAD)
		return -EMSGSIZE;
	/* all or nothing: a header without its payload would desync the stream */
	if (buf_reserve(out, sizeof(h) + len) < 0) {
		int r = out->err;

		out->err = 0;
		return r;
	}
	buf_append(out, &h, sizeof(h));
	return buf_append(out, payload, len);
}

static int writev_full(int fd, struct iovec *iov, int cnt)
{
	while (cnt > 0) {
		ssize_t r = RETRY_EINTR(writev(fd, iov, cnt));

		if (r < 0)
			return -errno;
		while (cnt > 0 && (size_t)r >= iov->iov_len) {
			r -= (ssize_t)iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt > 0) {
			iov->iov_base = (char *)iov->iov_base + r;
			iov->iov_len -= (size_t)r;
		}
	}
	return 0;
}

int proto_send_reply(int fd, uint64_t id, int status, const void *data, size_t len)
{
	struct proto_reply rep = { .status = status };
	struct proto_hdr h = { .version = PROTO_VERSION, .type = PROTO_REPLY, .id = id };
	struct iovec iov[3] = { { &h, sizeof(h) }, { &rep, sizeof(rep) }, { (void *)data, len } };

	if (status != 0)
		len = 0;
	if (len > PROTO_MAX_PAYLOAD)
		return -EMSGSIZE;
	h.len = (uint32_t)(sizeof(rep) + len);
	return writev_full(fd, iov, len ? 3 : 2);
}

int proto_send_psi_event(int fd, uint64_t trigger, int status)
{
	struct proto_psi_event ev = { .trigger = trigger, .status = status };
	struct proto_hdr h = { .version = PROTO_VERSION,
			       .type = PROTO_PSI_EVENT,
			       .len = sizeof(ev) };
	struct iovec iov[2] = { { &h, sizeof(h) }, { &ev, sizeof(ev) } };

	return writev_full(fd, iov, 2);
}

void proto_reader_init(struct proto_reader *r, bool expect_reply)
{
	memset(r, 0, sizeof(*r));
	r->payload = BUF_INIT(sizeof(struct proto_reply) + PROTO_MAX_PAYLOAD);
	r->expect_reply = expect_reply;
}

void proto_reader_free(struct proto_reader *r)
{
	buf_free(&r->payload);
}

void proto_reader_next(struct proto_reader *r)
{
	r->got = 0;
	buf_reset(&r->payload);
}

static int reader_read(int fd, void *p, size_t n, size_t *got)
{
	ssize_t k;

	k = RETRY_EINTR(read(fd, p, n));
	if (k < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	if (k == 0)
		return -EPIPE;
	*got += (size_t)k;
	return 1;
}

int proto_reader_feed(struct proto_reader *r, int fd)
{
	for (;;) {
		int k;

		if (r->got < sizeof(r->hdr)) {
			k = reader_read(fd, (char *)&r->hdr + r->got, sizeof(r->hdr) - r->got,
					&r->got);
			if (k <= 0)
				return k;
			if (r->got < sizeof(r->hdr))
				continue;
			if (proto_check_hdr(&r->hdr, r->expect_reply) < 0)
				return -EPROTO;
			buf_reset(&r->payload);
			if (buf_reserve(&r->payload, r->hdr.len) < 0)
				return r->payload.err;
		}
		if (r->got - sizeof(r->hdr) == r->hdr.len)
			return 1;
		{
			size_t before = r->payload.len;
			size_t want = r->hdr.len - before;

			k = reader_read(fd, r->payload.data + before, want, &r->payload.len);
			if (k <= 0)
				return k;
			r->got += r->payload.len - before;
		}
	}
}

int proto_dirent_add(struct buf *out, uint64_t node, uint32_t mode, const char *name)
{
	size_t n = strlen(name);
	struct proto_dirent e = { .node = node, .mode = mode, .namelen = (uint16_t)n };
	static const char zero[8];

	if (n == 0 || n >= PROTO_NAME_MAX)
		return -ENAMETOOLONG;
	buf_append(out, &e, sizeof(e));
	buf_append(out, name, n);
	return buf_append(out, zero, (8 - n % 8) % 8);
}

int proto_dirent_next(const char *data, size_t len, size_t *off, struct proto_dirent *e,
		      const char **name)
{
	size_t o = *off, padded;

	if (o == len)
		return 0;
	if (o > len || len - o < sizeof(*e))
		return -EPROTO;
	memcpy(e, data + o, sizeof(*e));
	o += sizeof(*e);
	if (e->namelen == 0 || e->namelen >= PROTO_NAME_MAX || e->reserved)
		return -EPROTO;
	padded = ((size_t)e->namelen + 7) & ~(size_t)7;
	if (len - o < padded)
		return -EPROTO;
	if (memchr(data + o, '\0', e->namelen) || memchr(data + o, '/', e->namelen))
		return -EPROTO;
	*name = data + o;
	*off = o + padded;
	return 1;
}
